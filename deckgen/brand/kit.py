"""Brand kits: a validated kit with its logos, and the engine theme it gives a template.

A template colours itself with theme colours and theme fonts, so applying a brand is rewriting
the theme's colour scheme and font scheme (latin and east-asian), the way PowerPoint itself swaps
designs, plus placing the logo in pictures named ``logo`` / ``logo_dark``. :meth:`Brand.theme`
hands the engine that look as plain data (:class:`deckgen.engine.theme.Theme`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from deckgen.brand.colour import mix
from deckgen.brand.kit_fonts import unmeasured_font_warnings
from deckgen.brand.kit_logos import dark_logo, load_logo
from deckgen.brand.rules import colour_warnings
from deckgen.brand.theme_slots import theme_colors
from deckgen.engine.media import Picture
from deckgen.engine.theme import Theme
from deckgen.errors import DeckgenWarning
from deckgen.load.brand import DEFAULT_BRAND, logo_paths, read_brand_kit, resolve_brand_dir
from deckgen.model import BrandKit


@dataclass
class Brand:
    """A validated brand kit with its logo images loaded."""

    kit: BrandKit
    folder: Path
    logo: Picture | None
    logo_dark: Picture | None
    keeps_theme = False  # a corporate master's own look keeps its theme (see deckgen.brand.master)

    def to_context(self) -> dict:
        return {
            "name": self.kit.name,
            "footer": self.kit.footer,
            "disclaimer": self.kit.disclaimer,
            "colors": self.palette(),
            "fonts": self.kit.fonts.model_dump(exclude={"files"}),
        }

    def palette(self) -> dict[str, str]:
        """The theme colour scheme (hex without '#') this brand writes: see :func:`theme_colors`."""
        return theme_colors(self.kit.colors)

    def theme(self) -> Theme:
        """The look the engine applies: the palette's colour slots and the kit's fonts."""
        f = self.kit.fonts
        return Theme(self.kit.name, self.palette(), f.heading, f.body, f.east_asian, rewrite=not self.keeps_theme)


def read_brand(name_or_path: str | Path | None = None) -> tuple[Brand, list[DeckgenWarning]]:
    """Load and validate a brand kit, with the warnings found; its logo files are checked and re-encoded
    (once per file: :mod:`deckgen.brand.kit_logos`).

    The warnings include every colour rule the kit breaks (:func:`deckgen.brand.rules.colour_warnings`) and
    every font deckgen cannot measure (:func:`deckgen.brand.kit_fonts.unmeasured_font_warnings`). A kit
    with a logo but no ``logo_dark`` gets a white knocked-out version of its logo for dark slides, made here.
    """
    folder = resolve_brand_dir(str(name_or_path) if name_or_path is not None else None)
    kit, warnings = read_brand_kit(folder)
    logo, logo_dark = (load_logo(p, what="brand logo") if p else None for p in logo_paths(folder, kit))
    if logo is not None and logo_dark is None:
        logo_dark = dark_logo(logo)
    warnings = [*warnings, *colour_warnings(kit.colors.model_dump(), f"brand kit '{kit.name}'")]
    warnings += unmeasured_font_warnings(kit, folder)  # fonts text fit cannot be checked with
    return Brand(kit, folder, logo, logo_dark or logo), warnings


def load_brand(name_or_path: str | Path | None = None, warnings: list | None = None) -> Brand:
    """:func:`read_brand`'s brand; its warnings' text is appended to ``warnings`` (the older spelling)."""
    brand, found = read_brand(name_or_path)
    if warnings is not None:
        warnings.extend(str(w) for w in found)
    return brand


__all__ = ["Brand", "DEFAULT_BRAND", "load_brand", "read_brand", "mix", "resolve_brand_dir"]
