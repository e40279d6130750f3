"""Building decks: the library entry point behind ``deckgen build``, ``demo`` and ``batch``.

A :class:`DeckBuilder` holds one compiled template (compile once) and renders
a deck per prospect (render many): it scores the fit, chooses the closing
line, computes the prospect's numbers, assembles the context and renders.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from pathlib import Path

from deckgen.brand.kit import Brand, load_brand
from deckgen.sales.closings import ClosingChoice, all_lines, choose_closing
from deckgen.sales.context import build_context
from deckgen.sales.costs import compute_costs
from deckgen.engine.compile import CompiledTemplate, compile_template
from deckgen.engine.media import Picture, load_picture
from deckgen.engine.package import atomic_write
from deckgen.errors import DeckgenError, InputError
from deckgen.sales.fit import Fit, score_fit
from deckgen.sales.locales import resolve_locale
from deckgen.model import Profile, Prospect


@dataclass
class BuildOptions:
    """What the seller chose for a build (one object instead of many parameters)."""

    template: str | Path | None = None
    brand: str | Path | None = None
    closing: str | None = None  # id or literal text, for every deck
    today: _dt.date | None = None
    master: str | Path | None = None  # a corporate .potx/.pptx whose slide master and layouts the deck uses
    fit: str | None = None  # text fitting: shrink | fail | ignore; None = the template's own policy


@dataclass
class BuiltDeck:
    """One rendered deck and what went into it."""

    data: bytes
    fit: Fit
    closing: ClosingChoice
    locale: str
    currency: str
    warnings: list[str] = field(default_factory=list)


class DeckBuilder:
    """Compiles a template for a brand once, then renders a deck per prospect."""

    def __init__(self, profile: Profile, options: BuildOptions | None = None,
                 brand: Brand | None = None, compiled: CompiledTemplate | None = None) -> None:
        self.profile = profile
        self.options = options or BuildOptions()
        self.warnings: list[str] = []
        if brand is None and self.options.master and not self.options.brand:
            from deckgen.engine.master import master_brand

            brand = master_brand(self.options.master, self.warnings)  # keep the master's own theme
        self.brand = brand or load_brand(self.options.brand, self.warnings)
        self.compiled = compiled or compile_template(self.options.template, self.brand, self.options.master,
                                                     self.warnings)
        self.compiled.fit_policy = self.options.fit
        self.closing_lines = all_lines(profile)
        self.today = self.options.today or _dt.date.today()

    def build(self, prospect: Prospect) -> BuiltDeck:
        """Render the deck for ``prospect``; raise DeckgenError for anything the user must fix."""
        warnings: list[str] = []
        fit = score_fit(prospect, self.profile.icp)
        closing = choose_closing(prospect, self.profile, fit, self.options.closing, self.closing_lines)
        locale, currency = resolve_locale(prospect, self.profile)
        costs = compute_costs(prospect, self.profile)
        warnings.extend(costs.get("warnings", []))
        context = build_context(profile=self.profile, prospect=prospect, brand=self.brand, fit=fit,
                                closing=closing, costs=costs, today=self.today, locale=locale, currency=currency)
        logo = _prospect_logo(prospect)
        data = self.compiled.render(context) if logo is None else _render_with_logo(self.compiled, context, logo)
        warnings.extend(str(s) for s in self.compiled.last_shrinks)  # every shrink is reported
        return BuiltDeck(data, fit, closing, locale, currency, warnings)


def _prospect_logo(prospect: Prospect) -> Picture | None:
    if not prospect.logo:
        return None
    return load_picture(prospect.logo, what="prospect logo")


def _render_with_logo(compiled: CompiledTemplate, context: dict, logo: Picture) -> bytes:
    from deckgen.engine.render import render_deck

    return render_deck(compiled, context, logo)


def write_deck(path: Path, data: bytes) -> None:
    """Write a deck atomically; the folder must exist."""
    atomic_write(path, data)


def parse_date(value: str | None) -> _dt.date | None:
    """Parse ``--date YYYY-MM-DD``."""
    if not value:
        return None
    try:
        return _dt.date.fromisoformat(value)
    except ValueError:
        raise InputError(f"--date must look like 2026-11-25, not '{value}'") from None


__all__ = ["BuildOptions", "BuiltDeck", "DeckBuilder", "write_deck", "parse_date", "DeckgenError"]
