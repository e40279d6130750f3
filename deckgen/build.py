"""Building decks: the library entry point behind ``deckgen build``, ``demo`` and ``batch``.

A :class:`DeckBuilder` holds one compiled template (compile once) and renders a deck per prospect
(render many): it scores the fit, chooses the closing line, computes the prospect's numbers,
assembles the context and renders. This is where the layers meet: templates and brand kits are
found and read here (:mod:`deckgen.load`, :mod:`deckgen.brand`) and handed to the engine as plain
data, with the sales layer's locale filters and context schema.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from deckgen import engine
from deckgen.brand.kit import Brand, read_brand
from deckgen.cache import jinja_code_cache, luminance_cache
from deckgen.cache_templates import compiled_template_cache, keep_members, reuse_members
from deckgen.engine.compiled import CompiledTemplate
from deckgen.engine.frozen import freeze, package_from_layout, package_layout, thaw
from deckgen.engine.layout.fonts import FontBook
from deckgen.engine.media import Picture, load_picture
from deckgen.engine.opc import Package, open_package, read_package
from deckgen.engine.safety import check_file_size
from deckgen.errors import BrandWarning, DeckgenError, DeckgenWarning, InputError, UnsafeInputError, warning_texts
from deckgen.load.closings import load_library
from deckgen.load.fonts import brand_font_files, installed_font
from deckgen.load.objections import load_objections
from deckgen.load.templates import read_spec, resolve_master, resolve_template
from deckgen.model import Profile, Prospect
from deckgen.output import atomic_write
from deckgen.sales.brief import seller_brief
from deckgen.sales.cautions import deck_cautions
from deckgen.sales.closings import ClosingChoice, all_lines, choose_closing
from deckgen.sales.context import build_context, unknown_path
from deckgen.sales.costs import estimate_costs
from deckgen.sales.fit import Fit, money_view, score_fit
from deckgen.sales.locales import make_filters, resolve_locale
from deckgen.sales.offers import fitted_offers
from deckgen.sales.storyline import PRICED, WALK_AWAYS, require_rate, storyline_for

BRIEF_TEMPLATE = "seller-brief"  # the bundled seller brief


@dataclass
class BuildOptions:
    """What the seller chose for a build (one object instead of many parameters)."""

    template: str | Path | None = None
    brand: str | Path | None = None
    closing: str | None = None  # id or literal text, for every deck
    today: _dt.date | None = None
    master: str | Path | None = None  # a corporate .potx/.pptx whose slide master and layouts the deck uses
    fit: str | None = None  # text fitting: shrink | fail | ignore; None = the template's own policy
    storyline: str | None = None  # pitch | buyer | nurture | discovery | walk_away | referral; None = from the fit band
    brief: bool = False  # also render the seller brief (build and demo turn it on; --no-brief turns it off)
    skip_walk_away: bool = False  # no customer deck for a walk-away storyline (the brief is still made)
    brief_template: str | Path = BRIEF_TEMPLATE


@dataclass
class BuiltDeck:
    """One rendered deck and what went into it; ``warnings`` are typed (``str(w)`` is the sentence).

    ``data`` is None when the deck was skipped (a walk-away storyline with ``skip_walk_away``);
    ``brief`` is the seller brief's bytes, None when briefs are off.
    """

    data: bytes | None
    fit: Fit
    closing: ClosingChoice
    locale: str
    currency: str
    warnings: list[DeckgenWarning] = field(default_factory=list)
    storyline: str = ""
    brief: bytes | None = None


def compile_branded(
    template: str | Path | None, brand: Brand, master: str | Path | None = None
) -> tuple[CompiledTemplate, list[DeckgenWarning]]:
    """Find and compile a template (bundled name or path) for ``brand``, optionally on a corporate ``master``.

    Returns the compiled template and the warnings of reading and compiling it (slides moved onto another
    layout, renumbered shape ids, master graphics over content, logos that barely show…); raises
    TemplateError or InputError.
    """
    pptx, spec_path = resolve_template(template)
    spec, warnings = read_spec(pptx, spec_path)
    if master is None:
        compiled = _compile_kept(pptx, spec_path, spec, brand)
        return compiled, warnings + list(compiled.warnings)
    from deckgen.engine.master import apply_master, open_master  # (only a build on a corporate master needs it)

    pkg = open_package(pptx)
    master_path = resolve_master(master)
    pkg, merged = apply_master(pkg, open_master(master_path), master_path.name)
    compiled = _compile(pkg, spec, pptx, brand)
    return compiled, warnings + merged + list(compiled.warnings)


def _compile(pkg: Package, spec, pptx: Path, brand: Brand) -> CompiledTemplate:
    return engine.compile(
        pkg,
        spec,
        label=str(pptx),
        theme=brand.theme(),
        logo=brand.logo,
        logo_dark=brand.logo_dark,
        font_files=brand_font_files(brand.folder, brand.kit.fonts.files),
        find_font=installed_font,
        locale_filters=make_filters,
        unknown_variable=unknown_path,
        jinja_cache=jinja_code_cache(),
        luminance_cache=luminance_cache(),
    )


def _compile_kept(pptx: Path, spec_path: Path | None, spec, brand: Brand) -> CompiledTemplate:
    """:func:`_compile` of the template file, or what a previous run compiled from the same inputs (the cache).

    A kept template is thawed from the bytes whose digest found it, so the package checks they passed
    then are not run again; anything that does not thaw is compiled again.
    """
    cache = compiled_template_cache()
    if cache is None:
        return _compile(open_package(pptx), spec, pptx, brand)
    label = str(pptx)
    try:
        check_file_size(pptx.stat().st_size, label)  # before reading it whole
        data = pptx.read_bytes()
    except FileNotFoundError:
        raise UnsafeInputError("file not found", file=label) from None
    key = _template_key(pptx, data, spec_path, spec, brand)
    found = cache.load(key)
    if found is not None and isinstance(found[0], tuple) and len(found[0]) == 2:
        (frozen, layout), kept_warnings = found
        pkg = package_from_layout(layout, data, label)
        compiled = None
        if pkg is not None:
            compiled = thaw(
                frozen,
                spec=spec,
                package=pkg,
                locale_filters=make_filters,
                fonts=FontBook(brand_font_files(brand.folder, brand.kit.fonts.files), installed_font),
                font_slots=brand.theme().font_slots(),
                warnings=kept_warnings,
            )
        if compiled is not None:
            reuse_members(compiled, key)
            return compiled
    pkg = read_package(data, label)
    compiled = _compile(pkg, spec, pptx, brand)
    frozen, layout = freeze(compiled), package_layout(pkg, data)
    if frozen is not None and layout is not None:
        cache.store(key, (frozen, layout), compiled.warnings)
    reuse_members(compiled, key)  # (after freezing: a frozen template has no members)
    return compiled


def _template_key(pptx: Path, data: bytes, spec_path: Path | None, spec, brand: Brand) -> bytes:
    """What a compiled template is made from: the template's and its settings' bytes, the brand's look and logos.

    (The brand's fonts only measure text, which the thawed template does afresh; the code is the namespace's.)
    """
    logos = [
        b"" if pic is None else f"{pic.width}x{pic.height}:".encode() + pic.data
        for pic in (brand.logo, brand.logo_dark)
    ]
    h = hashlib.sha256()
    for item in (
        str(pptx).encode("utf-8", "surrogatepass"),
        data,
        spec_path.read_bytes() if spec_path is not None else b"",
        repr(spec).encode("utf-8", "surrogatepass"),
        repr(brand.theme()).encode("utf-8", "surrogatepass"),
        *logos,
    ):
        h.update(len(item).to_bytes(8, "big") + item)
    return h.digest()


def refused_template(template: str | Path | None) -> UnsafeInputError | None:
    """Why the template's package is refused for what it holds (outside content, OLE/ActiveX, macros), or None.

    None too when the template can't be found or is no usable package at all (not a zip, too big):
    those are template errors, not refusals.
    """
    try:
        pptx, _ = resolve_template(template)
        open_package(pptx, refuse_active_content=False)
    except DeckgenError:
        return None
    try:
        open_package(pptx)
    except UnsafeInputError as exc:
        return exc
    except DeckgenError:
        return None
    return None


def compile_template(
    template: str | Path | None, brand: Brand, master: str | Path | None = None, warnings: list | None = None
) -> CompiledTemplate:
    """:func:`compile_branded`'s template; its warnings' text is appended to ``warnings`` (the older spelling)."""
    compiled, found = compile_branded(template, brand, master)
    if warnings is not None:
        warnings.extend(warning_texts(found))
    return compiled


class DeckBuilder:
    """Compiles a template for a brand once, then renders a deck per prospect.

    ``warnings`` holds what loading the brand and compiling the template found (typed warnings).
    """

    def __init__(
        self,
        profile: Profile,
        options: BuildOptions | None = None,
        brand: Brand | None = None,
        compiled: CompiledTemplate | None = None,
    ) -> None:
        self.profile = profile
        self.options = options or BuildOptions()
        self.warnings: list[DeckgenWarning] = []
        if brand is None and self.options.master and not self.options.brand:
            from deckgen.brand.master import read_master_brand

            brand, found = read_master_brand(self.options.master)  # keep the master's own theme
            self.warnings += found
        if brand is None:
            brand, found = read_brand(self.options.brand)
            self.warnings += found
        self.warnings += _other_company(brand, profile)
        self.brand = brand
        if compiled is None:
            compiled, found = compile_branded(self.options.template, brand, self.options.master)
            self.warnings += found
        else:
            self.warnings += compiled.warnings
        self.compiled = _with_slides(compiled)
        self.brief_compiled: CompiledTemplate | None = None
        if self.options.brief:
            self.brief_compiled, found = compile_branded(self.options.brief_template, brand)
            _with_slides(self.brief_compiled)
            self.warnings += found
        self.closing_lines = all_lines(profile, load_library())
        self.objections = load_objections()
        self.today = self.options.today or _dt.date.today()

    def build(self, prospect: Prospect) -> BuiltDeck:
        """Render the deck for ``prospect``; raise DeckgenError for anything the user must fix."""
        # what several steps ask about the prospect, worked out once for this deck and handed down
        offers = fitted_offers(self.profile, prospect)
        money = money_view(prospect, self.profile, offers)
        fit = score_fit(prospect, self.profile, money)
        closing = choose_closing(
            prospect, self.profile, fit, self.options.closing, lines=self.closing_lines, money=money
        )
        locale, currency = resolve_locale(prospect, self.profile)
        costs = estimate_costs(prospect, self.profile)
        storyline = storyline_for(fit.band, self.options.storyline, referral=bool(fit.unserved_country))
        require_rate(storyline, currency, self.profile, prospect.location.country)
        brief = seller_brief(
            profile=self.profile,
            prospect=prospect,
            fit=fit,
            closing=closing,
            storyline=storyline,
            objections=self.objections,
            money=money,
            offers=offers,
        )
        context = build_context(
            profile=self.profile,
            prospect=prospect,
            brand=self.brand,
            fit=fit,
            closing=closing,
            costs=costs,
            today=self.today,
            locale=locale,
            currency=currency,
            storyline=storyline,
            brief=brief,
            offers=offers,
        )
        # a missing exchange rate matters only where prices show (a priced deck without one is refused above)
        unpriced_rate = f"exchange_rates.{currency}" if storyline not in PRICED else None
        warnings: list[DeckgenWarning] = [
            w for w in costs.warnings if unpriced_rate is None or w.field != unpriced_rate
        ]
        warnings += deck_cautions(self.profile, prospect, fit, currency, storyline)
        logo = _prospect_logo(prospect)
        data = None
        if not (storyline in WALK_AWAYS and self.options.skip_walk_away):
            rendered = engine.render(self.compiled, context, logo=logo, fit=self.options.fit)
            data = rendered.data
            warnings += rendered.warnings
        brief_data = None
        if self.brief_compiled is not None:
            try:
                rendered = engine.render(self.brief_compiled, context, logo=logo, fit=self.options.fit)
            except DeckgenError as exc:  # "slide 2, shape 'Close'" alone reads as the customer deck's
                exc.message = f"seller brief: {exc.message}"
                raise
            brief_data = rendered.data
            warnings += [
                type(w)(f"seller brief: {w.message}", file=w.file, row=w.row, field=w.field) for w in rendered.warnings
            ]
        keep_members(self.compiled)  # what the first deck deflated, for the next run (see deckgen.cache_templates)
        keep_members(self.brief_compiled)
        return BuiltDeck(data, fit, closing, locale, currency, warnings, storyline, brief_data)


def _other_company(brand: Brand, profile: Profile) -> list[DeckgenWarning]:
    """A warning when the brand kit's footer names neither the MSP nor the kit as the profile's company.

    The footer goes on every slide: a kit made for another company puts its name beside this MSP's.
    """
    name, kit = profile.msp.name.casefold(), brand.kit
    footer = (kit.footer or "").casefold()
    if not footer or name in footer or name in kit.name.casefold():
        return []
    return [
        BrandWarning(
            f"brand kit '{kit.name}' names another company than your profile ({profile.msp.name}): its footer "
            f"'{kit.footer}' and its logo go on every slide; use your own brand kit, or set name and footer in "
            "its brand.yaml"
        )
    ]


def _with_slides(compiled: CompiledTemplate) -> CompiledTemplate:
    """``compiled``, or InputError naming the file when it has no slides (every deck would be empty).

    Raised while the builder is made, so ``build`` and ``batch`` refuse once, before any row runs.
    """
    if not compiled.slides:
        raise InputError(
            "the template has no slides, so the deck would be empty: add slides to it in PowerPoint "
            "(Home › New Slide), or pass this file as --master to use only its slide master and layouts",
            file=compiled.source,
        )
    return compiled


def _prospect_logo(prospect: Prospect) -> Picture | None:
    if not prospect.logo:
        return None
    return load_picture(prospect.logo, what="prospect logo")


def write_deck(path: Path, data: bytes) -> None:
    """Write a deck atomically; the folder must exist."""
    atomic_write(path, data)


def brief_path(deck: Path) -> Path:
    """Where a deck's seller brief goes: ``<name>-brief.pptx`` beside it."""
    return deck.with_name(f"{deck.stem}-brief.pptx")


def write_built(path: Path, deck: BuiltDeck) -> list[Path]:
    """Write a built deck and its brief (whichever exist) atomically; return the paths written."""
    written = []
    if deck.data is not None:
        atomic_write(path, deck.data)
        written.append(path)
    if deck.brief is not None:
        atomic_write(brief_path(path), deck.brief)
        written.append(brief_path(path))
    return written


def parse_date(value: str | None) -> _dt.date | None:
    """Parse ``--date YYYY-MM-DD``."""
    if not value:
        return None
    try:
        return _dt.date.fromisoformat(value)
    except ValueError:
        raise InputError(f"--date must look like 2026-11-25, not '{value}'") from None


__all__ = [
    "BuildOptions",
    "BuiltDeck",
    "DeckBuilder",
    "compile_branded",
    "compile_template",
    "refused_template",
    "write_deck",
    "write_built",
    "brief_path",
    "parse_date",
    "DeckgenError",
]
