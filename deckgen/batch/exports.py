"""PDFs and contact sheets for the decks a batch wrote (``deckgen batch --pdf --preview``).

A rerun converts only what changed: a PDF is kept when it is newer than its .pptx and was made from the same
bytes, which :data:`SOURCES_NAME` in the output folder records (file name -> SHA-256 of the .pptx the PDF came
from). With ``--pdf`` the seller briefs beside the decks get a PDF too (``<deck>-brief.pdf``), so the review
page's "Seller brief" opens without PowerPoint.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from deckgen.batch.run import BatchResult
from deckgen.build import brief_path
from deckgen.export import contact_sheet, convert_pdfs, render_pngs
from deckgen.output import atomic_write, sha256_file
from deckgen.review.thumbs import make_strip, strip_path

__all__ = ["SOURCES_NAME", "ExportOutcome", "batch_decks", "export_decks"]

SOURCES_NAME = ".deckgen-pdf-sources.json"  # which .pptx bytes each PDF in the folder was made from
_FORMAT = "deckgen-pdf-sources/1"


@dataclass
class ExportOutcome:
    """What an export of a batch's decks made: PDFs (decks and briefs), contact sheets, the PDFs kept as they
    were (unchanged since the last export), and the files whose PDF failed."""

    pdfs: int = 0
    briefs: int = 0
    sheets: int = 0
    unchanged: int = 0
    failed: list[tuple[Path, Exception]] = field(default_factory=list)


def batch_decks(out_dir: Path, result: BatchResult) -> list[Path]:
    """The decks of a batch (built or skipped) that are in the output folder, in row order."""
    return [
        out_dir / r.file
        for r in result.in_row_order()  # streamed from the row log, never every report in memory
        if r.status != "failed" and r.file and (out_dir / r.file).is_file()
    ]


def _load_sources(out_dir: Path) -> dict[str, str]:
    try:
        data = json.loads((out_dir / SOURCES_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict) or data.get("format") != _FORMAT or not isinstance(data.get("pdfs"), dict):
        return {}
    return {str(k): str(v) for k, v in data["pdfs"].items()}


def _save_sources(out_dir: Path, sources: dict[str, str]) -> None:
    body = {"format": _FORMAT, "pdfs": dict(sorted(sources.items()))}
    atomic_write(out_dir / SOURCES_NAME, (json.dumps(body, ensure_ascii=False, indent=1) + "\n").encode("utf-8"))


def _current(source: Path, pdf: Path, sha: str, sources: dict[str, str]) -> bool:
    """True when ``pdf`` is newer than ``source`` and was made from the bytes whose hash is ``sha``."""
    try:
        newer = pdf.stat().st_mtime_ns >= source.stat().st_mtime_ns
    except OSError:
        return False
    return newer and sources.get(source.name) == sha


def export_decks(decks: list[Path], out_dir: Path, *, pdf: bool, preview: bool, jobs: int) -> ExportOutcome:
    """Convert ``decks`` with LibreOffice: a PDF each into ``out_dir`` (``pdf``; the seller brief beside a deck
    gets one too) and a contact sheet each into ``out_dir/previews`` (``preview``), with the key-slide strip
    review.html shows beside it. A PDF newer than its .pptx and made from the same bytes is kept (and its
    sheet too, when that is newer than the PDF). A failed conversion is reported in the outcome, not raised."""
    outcome = ExportOutcome()
    sources = _load_sources(out_dir) if pdf else {}
    files = list(decks)
    if pdf:
        files += [b for b in (brief_path(d) for d in decks) if b.is_file()]
    briefs = set(files[len(decks) :])
    hashes = {f: sha256_file(f) for f in files} if pdf else {}
    kept: dict[Path, Path] = {}
    if pdf:
        for f in files:
            made = out_dir / f"{f.stem}.pdf"
            if _current(f, made, hashes[f], sources) and (not preview or f in briefs or _sheet_current(out_dir, made)):
                kept[f] = made
    outcome.unchanged = len(kept)
    todo = [f for f in files if f not in kept and (pdf or f not in briefs)]
    with tempfile.TemporaryDirectory(prefix="deckgen-pdf-") as tmp:
        pdf_dir = out_dir if pdf else Path(tmp)  # previews alone still need a PDF to render from
        before = {f: _stamp(out_dir / f"{f.stem}.pdf") for f in todo} if pdf else {}
        try:
            results = convert_pdfs(todo, pdf_dir, workers=max(1, jobs)) if todo else {}
        except KeyboardInterrupt:  # keep what was made: a rerun converts only the rest
            made = [f for f in before if _made_since(f, out_dir / f"{f.stem}.pdf", before[f])]
            if made:
                _save_sources(out_dir, {**sources, **{f.name: hashes[f] for f in made}})
            raise
        outcome.failed = [(d, r) for d, r in results.items() if isinstance(r, Exception)]
        if pdf:
            for f, made in results.items():
                if isinstance(made, Exception):
                    sources.pop(f.name, None)
                    continue
                sources[f.name] = hashes[f]
                outcome.briefs += f in briefs
                outcome.pdfs += f not in briefs
            _save_sources(out_dir, {k: v for k, v in sources.items() if os.path.isfile(out_dir / k)})
        if preview:
            previews = out_dir / "previews"
            previews.mkdir(exist_ok=True)
            for deck, made in results.items():
                if isinstance(made, Exception) or deck in briefs:
                    continue
                pngs = render_pngs(made, Path(tmp) / deck.stem)
                contact_sheet(pngs, previews / f"{deck.stem}.png")
                make_strip(pngs, strip_path(out_dir, deck.stem))  # review.html's thumbnails, from the same PNGs
                outcome.sheets += 1
    return outcome


def _stamp(path: Path) -> tuple[int, int] | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return st.st_ino, st.st_mtime_ns


def _made_since(source: Path, pdf: Path, before: tuple[int, int] | None) -> bool:
    """True when ``pdf`` was published (an atomic replace: a new file) since ``before`` was taken, after ``source``
    was last written: the PDF of ``source``'s current bytes."""
    now = _stamp(pdf)
    try:
        return now is not None and now != before and now[1] >= source.stat().st_mtime_ns
    except OSError:
        return False


def _sheet_current(out_dir: Path, pdf: Path) -> bool:
    """True when the contact sheet and the strip of the deck whose PDF is ``pdf`` are newer than that PDF."""
    try:
        since = pdf.stat().st_mtime_ns
        return all(
            p.stat().st_mtime_ns >= since
            for p in (out_dir / "previews" / f"{pdf.stem}.png", strip_path(out_dir, pdf.stem))
        )
    except OSError:
        return False
