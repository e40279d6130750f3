"""Brand kits: a validated kit with its logos, and the engine theme it gives a template.

A template colours itself with theme colours and theme fonts, so applying a brand is rewriting
the theme's colour scheme and font scheme (latin and east-asian), the way PowerPoint itself swaps
designs, plus placing the logo in pictures named ``logo`` / ``logo_dark``. :meth:`Brand.theme`
hands the engine that look as plain data (:class:`deckgen.engine.theme.Theme`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from deckgen.engine.media import Picture, load_picture
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
        """The theme colour scheme (hex without '#') this brand writes."""
        c = self.kit.colors
        muted = c.muted or mix(c.primary, "FFFFFF", 0.9)
        return {
            "dk1": c.text,
            "lt1": c.background,
            "dk2": c.primary,
            "lt2": muted,
            "accent1": c.primary,
            "accent2": c.secondary,
            "accent3": c.accent,
            "accent4": c.positive or mix(c.secondary, "000000", 0.25),
            "accent5": c.negative or mix(c.accent, "000000", 0.2),
            "accent6": mix(c.primary, "FFFFFF", 0.5),
            "hlink": c.secondary,
            "folHlink": c.primary,
        }

    def theme(self) -> Theme:
        """The look the engine applies: the palette's colour slots and the kit's fonts."""
        f = self.kit.fonts
        return Theme(self.kit.name, self.palette(), f.heading, f.body, f.east_asian, rewrite=not self.keeps_theme)


def mix(a: str, b: str, t: float) -> str:
    """Blend hex colour ``a`` towards ``b`` by ``t`` (0..1)."""
    ca = [int(a[i : i + 2], 16) for i in (0, 2, 4)]
    cb = [int(b[i : i + 2], 16) for i in (0, 2, 4)]
    return "".join(f"{round(x + (y - x) * t):02X}" for x, y in zip(ca, cb))


def read_brand(name_or_path: str | Path | None = None) -> tuple[Brand, list[DeckgenWarning]]:
    """Load and validate a brand kit, with the warnings found; its logo files are checked and re-encoded."""
    folder = resolve_brand_dir(str(name_or_path) if name_or_path is not None else None)
    kit, warnings = read_brand_kit(folder)
    logo, logo_dark = (load_picture(p, what="brand logo") if p else None for p in logo_paths(folder, kit))
    return Brand(kit, folder, logo, logo_dark or logo), warnings


def load_brand(name_or_path: str | Path | None = None, warnings: list | None = None) -> Brand:
    """:func:`read_brand`'s brand; its warnings' text is appended to ``warnings`` (the older spelling)."""
    brand, found = read_brand(name_or_path)
    if warnings is not None:
        warnings.extend(str(w) for w in found)
    return brand


__all__ = ["Brand", "DEFAULT_BRAND", "load_brand", "read_brand", "mix", "resolve_brand_dir"]
