"""Thumbnail strips for the review page: a deck's key slides side by side on one small PNG.

``previews/<deck>-strip.png`` is made from the slide PNGs the batch's ``--preview`` step renders anyway
(:func:`make_strip`), or on demand (``--thumbnails``) by :func:`render_strips`, which converts the decks with
LibreOffice in parallel like the PDF export (reusing a deck's PDF when one is already beside it).
"""

from __future__ import annotations

import io
import os
import struct
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["STRIP_HEIGHT", "StripOutcome", "find_thumb", "key_slides", "make_strip", "render_strips", "strip_path"]

STRIP_HEIGHT = 270  # pixels; twice the 135 CSS px the page shows, so it stays sharp and opens readable
STRIP_DPI = 48  # enough for a 270-pixel-high slide (7.5 in * 48 dpi = 360 px, scaled down)
KEY_SLIDES = 4


def strip_path(out_dir: Path, deck_stem: str) -> Path:
    return out_dir / "previews" / f"{deck_stem}-strip.png"


def key_slides(count: int, most: int = KEY_SLIDES) -> list[int]:
    """Indexes of the slides a strip shows: the first, the last and evenly spaced ones between."""
    if count <= most:
        return list(range(count))
    step = (count - 1) / (most - 1)
    return sorted({round(i * step) for i in range(most)})


def make_strip(pngs: Sequence[str | os.PathLike[str]], out: Path, *, height: int = STRIP_HEIGHT) -> Path:
    """Write the key slides of ``pngs`` (one a slide, in order) side by side, ``height`` pixels high."""
    from PIL import Image

    from deckgen.output import atomic_write

    chosen = [pngs[i] for i in key_slides(len(pngs))]
    if not chosen:
        raise ValueError("a thumbnail strip needs at least one slide")
    gap = 4
    thumbs = []
    for p in chosen:
        with Image.open(p) as im:
            im = im.convert("RGB")
            thumbs.append(im.resize((max(1, round(im.width * height / im.height)), height), Image.Resampling.LANCZOS))
    width = sum(t.width for t in thumbs) + gap * (len(thumbs) - 1)
    strip = Image.new("RGB", (width, height), (255, 255, 255))
    x = 0
    for t in thumbs:
        strip.paste(t, (x, 0))
        x += t.width + gap
    buf = io.BytesIO()
    strip.save(buf, format="PNG", optimize=True)
    out.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(out, buf.getvalue())
    return out


def png_size(path: Path) -> tuple[int, int]:
    """(width, height) from a PNG's header; (0, 0) when it is not a PNG."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(24)
    except OSError:
        return 0, 0
    if len(head) < 24 or head[:8] != b"\x89PNG\r\n\x1a\n":
        return 0, 0
    return struct.unpack(">II", head[16:24])


def find_thumb(out_dir: Path, deck: Path) -> Path | None:
    """The deck's strip, else its contact sheet from ``--preview``; only when newer than the deck."""
    for candidate in (strip_path(out_dir, deck.stem), out_dir / "previews" / f"{deck.stem}.png"):
        if _newer(candidate, deck):
            return candidate
    return None


def _current_strip(strip: Path, deck: Path) -> bool:
    """A strip newer than its deck and as high as this version makes them (older ones were too small to read)."""
    return _newer(strip, deck) and png_size(strip)[1] >= STRIP_HEIGHT


def _newer(path: Path, than: Path) -> bool:
    try:
        return path.stat().st_mtime_ns >= than.stat().st_mtime_ns
    except OSError:
        return False


@dataclass
class StripOutcome:
    """Strips written, and the decks that could not be converted (with the reason)."""

    made: int = 0
    failed: list[tuple[Path, Exception]] = field(default_factory=list)


def render_strips(decks: list[Path], out_dir: Path, *, jobs: int = 1) -> StripOutcome:
    """Make the strips that are missing, older than their deck or smaller than :data:`STRIP_HEIGHT`
    (LibreOffice in ``jobs`` processes)."""
    from deckgen.export import convert_pdfs, render_pngs

    outcome = StripOutcome()
    todo = [d for d in decks if not _current_strip(strip_path(out_dir, d.stem), d)]
    if not todo:
        return outcome
    with tempfile.TemporaryDirectory(prefix="deckgen-thumbs-") as tmp:
        pdfs: dict[Path, Path] = {}
        convert = []
        for deck in todo:
            pdf = deck.with_suffix(".pdf")
            if _newer(pdf, deck):
                pdfs[deck] = pdf
            else:
                convert.append(deck)
        if convert:
            for deck, made in convert_pdfs(convert, Path(tmp), workers=max(1, jobs)).items():
                if isinstance(made, Exception):
                    outcome.failed.append((deck, made))
                else:
                    pdfs[deck] = made
        for deck in todo:
            if deck not in pdfs:
                continue
            pngs = render_pngs(pdfs[deck], Path(tmp) / f"png-{deck.stem}", dpi=STRIP_DPI)
            make_strip(pngs, strip_path(out_dir, deck.stem))
            outcome.made += 1
    return outcome
