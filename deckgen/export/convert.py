"""The names ``deckgen.export.convert`` had before the split, for callers not yet moved to ``deckgen.export``."""

from deckgen.export import (
    DEFAULT_CHUNK,
    DEFAULT_DPI,
    DEFAULT_TIMEOUT,
    POPPLER_INSTALL_HINT,
    SOFFICE_ENV,
    SOFFICE_INSTALL_HINT,
    PdfConverter,
    PreviewResult,
    contact_sheet,
    convert_pdfs,
    deck_date,
    find_soffice,
    normalise_pdf,
    preview_deck,
    render_pngs,
)

__all__ = [
    "DEFAULT_CHUNK",
    "DEFAULT_DPI",
    "DEFAULT_TIMEOUT",
    "POPPLER_INSTALL_HINT",
    "SOFFICE_ENV",
    "SOFFICE_INSTALL_HINT",
    "PdfConverter",
    "PreviewResult",
    "contact_sheet",
    "convert_pdfs",
    "deck_date",
    "find_soffice",
    "normalise_pdf",
    "preview_deck",
    "render_pngs",
]
