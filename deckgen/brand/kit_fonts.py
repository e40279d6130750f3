"""A brand kit's fonts that deckgen cannot measure, found once when the kit is loaded for a build.

deckgen fits text by measuring it: with the kit's own font files, its bundled fonts and their
metric twins (Carlito for Calibri, Liberation Sans for Arial), or a font installed here. A heading
or body font none of those covers is measured with Carlito instead, and where the font is missing
PowerPoint substitutes one with other widths: the text fit deckgen checked no longer holds.
``deckgen check`` reports the same fonts in a deck (:mod:`deckgen.check_text`), by the same lookup.
The east-asian slot is left out on purpose: it names a font Windows and macOS have, and deckgen
measures CJK text with its fallback whether or not that font is here.
"""

from __future__ import annotations

from pathlib import Path

from deckgen.engine.layout.fonts import FALLBACK_FAMILY, FontBook
from deckgen.errors import UnmeasuredFontWarning
from deckgen.load.fonts import brand_font_files, installed_font
from deckgen.model import BrandKit


def unmeasured_font_warnings(kit: BrandKit, folder: Path) -> list[UnmeasuredFontWarning]:
    """One warning per heading or body font deckgen can neither find nor measure with a metric twin."""
    book = FontBook(brand_font_files(folder, kit.fonts.files), find_installed=installed_font)
    slots: dict[str, list[str]] = {}
    for slot, family in (("heading", kit.fonts.heading), ("body", kit.fonts.body)):
        if family and family.strip():
            slots.setdefault(family.strip(), []).append(slot)
    out = []
    for family, used_for in slots.items():
        if book.choose(family).source != "fallback":
            continue
        out.append(
            UnmeasuredFontWarning(
                f"brand kit '{kit.name}': the {' and '.join(used_for)} font '{family}' is not bundled with "
                f"deckgen, not installed here and has no metric twin deckgen measures with, so text was fitted "
                f"with {FALLBACK_FAMILY.title()} instead and the fit is not guaranteed: where '{family}' is "
                "missing, PowerPoint substitutes a font with other widths, and lines may wrap or overflow. "
                "Use Calibri or Arial, install the font here, or add its files to the kit (fonts.files)."
            )
        )
    return out


__all__ = ["unmeasured_font_warnings"]
