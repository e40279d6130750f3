"""The brand tools' former single module, kept so existing imports keep working.

Each name now lives in the module of its concern (see :mod:`deckgen.brand`); import from there.
"""

from __future__ import annotations

from deckgen.brand.colour import BLACK, WHITE, mix, rgb, to_hex
from deckgen.brand.contrast import (
    AA_TEXT,
    ContrastCheck,
    contrast_checks,
    contrast_ratio,
    contrast_warnings,
    meet_contrast,
    relative_luminance,
)
from deckgen.brand.kit_files import BrandDraft, NewKit, kit_folder, list_brands, write_kit
from deckgen.brand.kit_import import FoundLogo, draft_from_theme, find_logo, import_brand, locate_logo
from deckgen.brand.kit_init import init_brand
from deckgen.brand.palette import DerivedPalette, dark_logo_variant, derive_palette, logo_colors
from deckgen.brand.swatch import ShownBrand, show_brand, write_swatch
from deckgen.brand.theme import ThemeInfo, read_theme
from deckgen.brand.theme_slots import ROLES, THEME_SLOT_LABELS

__all__ = [
    "AA_TEXT",
    "BLACK",
    "WHITE",
    "ROLES",
    "THEME_SLOT_LABELS",
    "rgb",
    "to_hex",
    "mix",
    "relative_luminance",
    "contrast_ratio",
    "meet_contrast",
    "contrast_checks",
    "contrast_warnings",
    "ContrastCheck",
    "derive_palette",
    "DerivedPalette",
    "logo_colors",
    "dark_logo_variant",
    "read_theme",
    "ThemeInfo",
    "find_logo",
    "locate_logo",
    "FoundLogo",
    "draft_from_theme",
    "import_brand",
    "init_brand",
    "BrandDraft",
    "NewKit",
    "kit_folder",
    "write_kit",
    "write_swatch",
    "show_brand",
    "ShownBrand",
    "list_brands",
]
