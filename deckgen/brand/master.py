"""The brand of a corporate master itself, for ``--master`` without ``--brand``.

Its theme is kept as it is (not rewritten); its fonts and the logo found on its slide master or
layouts are what the deck uses.
"""

from __future__ import annotations

from pathlib import Path

from deckgen.brand.kit import Brand
from deckgen.brand.kit_import import draft_from_theme, locate_logo
from deckgen.engine.master import open_master
from deckgen.errors import BrandWarning, DeckgenWarning
from deckgen.load.templates import resolve_master
from deckgen.model import BrandColors, BrandFonts, BrandKit


class MasterBrand(Brand):
    """The look of the corporate master itself: its theme is kept as it is, not rewritten."""

    keeps_theme = True


def read_master_brand(master: str | Path) -> tuple[Brand, list[DeckgenWarning]]:
    """A brand read from the master's theme and logo, with warnings (no logo picture, unusable pictures)."""
    path = resolve_master(master)
    pkg = open_master(path)
    draft = draft_from_theme(pkg, path.stem)
    found, warnings = locate_logo(pkg)
    if found is None:
        warnings.append(
            BrandWarning(
                f"{path.name} has no logo picture on its slide master or layouts: pictures "
                "named 'logo' in the template keep their sample image (pass --brand to place "
                "your logo)"
            )
        )
    colors = BrandColors(**{k: "#" + v for k, v in draft.colors.items()})
    kit = BrandKit(name=path.stem[:500], colors=colors, fonts=BrandFonts(**draft.fonts))
    logo = found.picture if found else None
    return MasterBrand(kit, path.parent, logo, logo), list(warnings)


def master_brand(master: str | Path, warnings: list | None = None) -> Brand:
    """:func:`read_master_brand`'s brand; its warnings' text is appended to ``warnings`` (the older spelling)."""
    brand, found = read_master_brand(master)
    if warnings is not None:
        warnings.extend(str(w) for w in found)
    return brand


__all__ = ["MasterBrand", "master_brand", "read_master_brand"]
