"""Write review.html for a batch folder: read the data, find or make thumbnails, render, write atomically."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from deckgen.batch.plan import BatchRequest
from deckgen.errors import DeckgenWarning
from deckgen.output import atomic_writer
from deckgen.review.data import PAGE_CAP, ReviewData, load_review_data
from deckgen.review.extras import request_from_meta, try_extras
from deckgen.review.hashes import DeckHashes
from deckgen.review.page import page_chunks
from deckgen.review.thumbs import find_thumb, png_size, render_strips

__all__ = ["PAGE_NAME", "ReviewOutcome", "write_review"]

PAGE_NAME = "review.html"


@dataclass
class ReviewOutcome:
    """What :func:`write_review` wrote and found."""

    path: Path
    data: ReviewData
    strips_made: int = 0
    warnings: list[DeckgenWarning] = field(default_factory=list)


def write_review(
    out_dir: Path,
    *,
    report: Path | None = None,
    request: BatchRequest | None = None,
    thumbnails: bool = False,
    jobs: int = 1,
    cap: int = PAGE_CAP,
) -> ReviewOutcome:
    """Write ``out_dir/review.html`` from the folder's report(s); ``request`` is the batch's own (else the one
    report.json records); ``thumbnails`` renders the missing strips with LibreOffice first. A batch of more
    than ``cap`` rows gets a page of the ``cap`` rows that need attention first (report.csv has them all)."""
    hashes = DeckHashes.load(out_dir)

    def extras(meta: dict, rows: set[int]):
        return try_extras(request if request is not None else request_from_meta(meta, out_dir), rows)

    data = load_review_data(out_dir, report=report, extras=extras, hashes=hashes, cap=cap)
    warnings: list[DeckgenWarning] = []
    made = 0
    if thumbnails and data.rows:
        outcome = render_strips([out_dir / r.file for r in data.rows], out_dir, jobs=jobs)
        made = outcome.made
        warnings += [DeckgenWarning(f"{d.name}: no thumbnails ({exc})") for d, exc in outcome.failed]
    missing = 0
    for r in data.rows:
        thumb = find_thumb(out_dir, out_dir / r.file)
        if thumb is None:
            missing += 1
            continue
        r.thumb = thumb.relative_to(out_dir).as_posix()
        r.thumb_size = png_size(thumb)
        sheet = out_dir / "previews" / f"{r.stem}.png"  # every slide: what a click on the strip opens
        r.sheet = sheet.relative_to(out_dir).as_posix() if sheet == thumb or sheet.is_file() else ""
    if missing and not thumbnails:
        data.notes.append(f"{missing} deck(s) have no thumbnails yet; `deckgen review --thumbnails` renders them")
    path = out_dir / PAGE_NAME
    _write_page(path, data)
    hashes.save()
    return ReviewOutcome(path, data, made, warnings)


def _write_page(path: Path, data: ReviewData, flush_chars: int = 1 << 16) -> None:
    """Write the page atomically a few dozen KiB at a time (never the whole text in memory)."""
    with atomic_writer(path) as fh:
        parts: list[str] = []
        held = 0
        for chunk in page_chunks(data):
            parts.append(chunk)
            held += len(chunk)
            if held >= flush_chars:
                fh.write("".join(parts).encode("utf-8"))
                parts, held = [], 0
        fh.write("".join(parts).encode("utf-8"))
