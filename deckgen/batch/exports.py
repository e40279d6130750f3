"""PDFs and contact sheets for the decks a batch wrote (``deckgen batch --pdf --preview``)."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from deckgen.batch.run import BatchResult
from deckgen.export import contact_sheet, convert_pdfs, render_pngs
from deckgen.review.thumbs import make_strip, strip_path

__all__ = ["ExportOutcome", "batch_decks", "export_decks"]


@dataclass
class ExportOutcome:
    """What an export of a batch's decks made: PDFs, contact sheets, and the decks whose PDF failed."""

    pdfs: int = 0
    sheets: int = 0
    failed: list[tuple[Path, Exception]] = field(default_factory=list)


def batch_decks(out_dir: Path, result: BatchResult) -> list[Path]:
    """The decks of a batch (built or skipped) that are in the output folder, in row order."""
    return [
        out_dir / r.file
        for r in result.in_row_order()  # streamed from the row log, never every report in memory
        if r.status != "failed" and r.file and (out_dir / r.file).is_file()
    ]


def export_decks(decks: list[Path], out_dir: Path, *, pdf: bool, preview: bool, jobs: int) -> ExportOutcome:
    """Convert ``decks`` with LibreOffice: a PDF each into ``out_dir`` (``pdf``) and a contact sheet each into
    ``out_dir/previews`` (``preview``), with the key-slide strip review.html shows beside it; a failed
    conversion is reported in the outcome, not raised."""
    outcome = ExportOutcome()
    with tempfile.TemporaryDirectory(prefix="deckgen-pdf-") as tmp:
        pdf_dir = out_dir if pdf else Path(tmp)  # previews alone still need a PDF to render from
        results = convert_pdfs(decks, pdf_dir, workers=max(1, jobs))
        outcome.failed = [(d, r) for d, r in results.items() if isinstance(r, Exception)]
        if pdf:
            outcome.pdfs = len(decks) - len(outcome.failed)
        if preview:
            previews = out_dir / "previews"
            previews.mkdir(exist_ok=True)
            for deck, made in results.items():
                if isinstance(made, Exception):
                    continue
                pngs = render_pngs(made, Path(tmp) / deck.stem)
                contact_sheet(pngs, previews / f"{deck.stem}.png")
                make_strip(pngs, strip_path(out_dir, deck.stem))  # review.html's thumbnails, from the same PNGs
                outcome.sheets += 1
    return outcome
