"""One deck's preview: its PDF, one PNG a slide and a contact sheet, side by side in a folder."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from deckgen.errors import ConversionError
from deckgen.export.libreoffice import DEFAULT_TIMEOUT, SofficeCommand
from deckgen.export.pdf import PdfConverter
from deckgen.export.png import DEFAULT_DPI, find_poppler, render_pngs
from deckgen.export.sheet import contact_sheet


@dataclass(frozen=True)
class PreviewResult:
    """The files :func:`preview_deck` wrote."""

    pdf: Path
    pngs: list[Path]
    sheet: Path


def preview_deck(
    pptx: str | os.PathLike[str],
    out_dir: str | os.PathLike[str] | None = None,
    *,
    dpi: int = DEFAULT_DPI,
    columns: int = 3,
    soffice: SofficeCommand | None = None,
    timeout: float = DEFAULT_TIMEOUT,
) -> PreviewResult:
    """Make a PDF, one PNG a slide and a contact sheet for one deck in ``out_dir``; return their paths.

    Writes ``<deck>.pdf``, ``<deck>-01.png``… and ``<deck>-sheet.png`` (``out_dir`` by default:
    ``<deck>-preview`` next to the deck). A deck the package checks refuse (see
    :func:`deckgen.engine.opc.open_package`) raises :class:`UnsafeInputError` before LibreOffice starts. Raises
    :class:`ConversionError` when the deck cannot be converted and :class:`ToolMissingError`
    when LibreOffice or poppler is missing.
    """
    src = Path(pptx)
    out = Path(out_dir) if out_dir is not None else src.parent / f"{src.stem}-preview"
    find_poppler("pdftoppm")  # fail before the slow part
    conv = PdfConverter(soffice, timeout=timeout)
    if conv.check_packages and src.is_file():
        from deckgen.engine.opc import open_package  # the engine is loaded only when it is needed

        open_package(src)  # an unsafe deck is bad input (UnsafeInputError), refused before LibreOffice sees it
    with conv:
        result = conv.convert([src], out)[src]
    if isinstance(result, ConversionError):
        raise result
    pngs = render_pngs(result, out, dpi=dpi, prefix=src.stem)
    sheet = contact_sheet(pngs, out / f"{src.stem}-sheet.png", columns=columns)
    return PreviewResult(pdf=result, pngs=pngs, sheet=sheet)
