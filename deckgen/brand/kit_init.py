"""A brand kit from nothing but a logo: a readable palette from its colours, the logo and a white variant."""

from __future__ import annotations

from pathlib import Path

from deckgen.brand.kit_files import BrandDraft, NewKit, write_kit
from deckgen.brand.palette import dark_logo_variant, derive_palette
from deckgen.brand.rules import STATUS_ORIGIN
from deckgen.brand.theme_slots import STATUS_COLORS
from deckgen.engine.media import load_picture
from deckgen.model import BrandFonts


def init_brand(
    logo: str | Path,
    name: str,
    out: str | Path = "brand",
    heading: str | None = None,
    body: str | None = None,
    force: bool = False,
) -> NewKit:
    """Make a brand kit from a logo: an AA-contrast palette from its colours, the logo and a white variant.

    The returned kit carries the palette's contrast checks and, as warnings, every logo colour it had to tone.
    """
    picture = load_picture(logo, what="logo")
    palette = derive_palette(picture)
    default_fonts = BrandFonts()
    fonts = {
        "heading": heading or default_fonts.heading,
        "body": body or default_fonts.body,
        "east_asian": default_fonts.east_asian,
    }
    shares = dict(palette.source_colors)
    origins = {}
    for role, value in palette.colors.items():
        if value in shares and role != "background":
            origins[role] = f"from the logo ({shares[value]:.0%} of it)"
    origins.update(dict.fromkeys(STATUS_COLORS, STATUS_ORIGIN))
    draft = BrandDraft(
        name,
        palette.colors,
        fonts,
        origins,
        picture,
        dark_logo_variant(picture),
        logo_origin=f"from {Path(logo).name}",
        source=str(logo),
        warnings=list(palette.warnings),
        notes=list(palette.notes),
    )
    return NewKit(write_kit(draft, out, force), draft, palette.checks)
