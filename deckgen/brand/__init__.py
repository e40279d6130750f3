"""Brand kits: colour and contrast maths, palettes from logos, themes, making kits and drawing them.

The public names below are loaded on first use, so that building a deck (which needs only the kit)
does not load the kit-making tools, and so that importing :mod:`deckgen.brand.kit` from the engine's
master handling, which those tools use in turn, is not circular.
"""

from __future__ import annotations

import importlib

_HOMES = {  # public name -> the module of deckgen.brand that defines it
    "Brand": "kit",
    "load_brand": "kit",
    "contrast_ratio": "contrast",
    "contrast_checks": "contrast",
    "ContrastCheck": "contrast",
    "meet_contrast": "contrast",
    "derive_palette": "palette",
    "DerivedPalette": "palette",
    "ROLES": "theme_slots",
    "ROLE_THEME_SLOTS": "theme_slots",
    "theme_colors": "theme_slots",
    "read_theme": "theme",
    "ThemeInfo": "theme",
    "import_brand": "kit_import",
    "draft_from_theme": "kit_import",
    "locate_logo": "kit_import",
    "init_brand": "kit_init",
    "BrandDraft": "kit_files",
    "NewKit": "kit_files",
    "write_kit": "kit_files",
    "list_brands": "kit_files",
    "show_brand": "swatch",
    "write_swatch": "swatch",
    "ShownBrand": "swatch",
}

__all__ = sorted(_HOMES)


def __getattr__(name: str):
    """The public name ``name``, imported from its module on first use."""
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'deckgen.brand' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"deckgen.brand.{home}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
