"""PDF and PNG output of finished decks: LibreOffice PDFs, poppler PNGs and contact sheets.

- :func:`find_soffice` locates LibreOffice (``$DECKGEN_SOFFICE`` overrides) — :mod:`.libreoffice`.
- :class:`PdfConverter`, :func:`convert_pdfs`, :func:`export_pdfs` make PDFs — :mod:`.pdf`;
  :func:`normalise_pdf` and :func:`deck_date` make them reproducible — :mod:`.reproducible`.
- :func:`render_pngs` (``pdftoppm``) — :mod:`.png`; :func:`contact_sheet` (Pillow) — :mod:`.sheet`;
  :func:`preview_deck` all three for one deck — :mod:`.preview`.

Every file lands in the output folder by ``os.replace`` from a temp file in that folder, so an
interrupted run leaves no partial PDF or PNG.
"""

from deckgen.export.libreoffice import DEFAULT_TIMEOUT, SOFFICE_ENV, SOFFICE_INSTALL_HINT, find_soffice
from deckgen.export.pdf import DEFAULT_CHUNK, PdfConverter, PdfResults, convert_pdfs, export_pdfs
from deckgen.export.png import DEFAULT_DPI, POPPLER_INSTALL_HINT, find_poppler, render_pngs
from deckgen.export.preview import PreviewResult, preview_deck
from deckgen.export.reproducible import deck_date, normalise_pdf
from deckgen.export.sheet import contact_sheet

__all__ = [
    "DEFAULT_CHUNK",
    "DEFAULT_DPI",
    "DEFAULT_TIMEOUT",
    "POPPLER_INSTALL_HINT",
    "SOFFICE_ENV",
    "SOFFICE_INSTALL_HINT",
    "PdfConverter",
    "PdfResults",
    "PreviewResult",
    "contact_sheet",
    "convert_pdfs",
    "deck_date",
    "export_pdfs",
    "find_poppler",
    "find_soffice",
    "normalise_pdf",
    "preview_deck",
    "render_pngs",
]
