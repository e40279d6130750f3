"""What compiling a template produces: the immutable :class:`CompiledTemplate` and its slides."""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Protocol

from lxml import etree

from deckgen.engine.layout.fitting import FitState
from deckgen.engine.media import PICTURE_BINDINGS
from deckgen.engine.opc import Package, Rel, read_rels, rels_name
from deckgen.engine.reuse import PartCache
from deckgen.engine.sandbox import DeckEnvironment
from deckgen.engine.tags import Location
from deckgen.errors import DeckgenWarning

# the names a template may start an expression with (the render context's top level)
CONTEXT_ROOTS = frozenset(
    {
        "msp",
        "usp",
        "icp",
        "services",
        "slas",
        "certifications",
        "metrics",
        "next_steps",
        "prospect",
        "fit",
        "closing",
        "costs",
        "charts",
        "brand",
        "today",
        "locale",
        "currency",
        "deck",
    }
)


class TemplateSettings(Protocol):
    """What the engine reads from a template's ``template.yaml`` (see :class:`deckgen.load.templates.TemplateSpec`)."""

    name: str
    charts: Mapping[str, str]  # chart shape name -> expression giving its data
    fit: str  # shrink | fail | ignore
    min_font_size: float


@dataclass(frozen=True)
class Compiled:
    """A compiled Jinja2 template for one part, with its source locations."""

    template: object
    locations: list[Location]
    filename: str
    reads: object = None  # deckgen.engine.reuse.PartReads, found at compile (or kept with the cached code)


@dataclass
class ChartBinding:
    """A chart on a slide: the expression giving its data, its embedded workbook, its title tags."""

    name: str
    part: str
    expression: object  # compiled Jinja2 expression
    source: str
    workbook: str | None  # the embedded workbook part, if any
    compiled: Compiled | None = None  # chart title tags


@dataclass
class SlideSpec:
    """One template slide as compiled: its parts, tags, directive, charts and prospect-logo frame."""

    number: int  # 1-based position in the template
    part: str
    rels: list[Rel]
    compiled: Compiled | None
    notes_part: str | None
    notes_rels: list[Rel]
    notes_compiled: Compiled | None
    condition: object | None = None  # compiled expression for {%slide if %}
    loop: tuple[list[str], object] | None = None  # ({%slide for x in …%}) targets, iterable
    directive_text: str = ""
    charts: dict[str, ChartBinding] = field(default_factory=dict)  # by chart part name
    owned: list[str] = field(default_factory=list)  # parts that go (or get copied) with the slide
    prospect_logo_rid: str | None = None
    prospect_logo_frame: tuple[int, int, int, int] | None = None


@dataclass(frozen=True, eq=False)
class CompiledTemplate:
    """Everything needed to render decks from one template with one theme and logo.

    Nothing on it changes when a deck renders; ``members`` and the fitting state only memoise
    work that is the same for every deck (deflated constant parts, measured slides).
    """

    name: str
    source: str
    spec: TemplateSettings
    env: DeckEnvironment
    package: Package
    replaced: dict[str, bytes]  # parts changed at compile time (theme, logos)
    added: dict[str, bytes]  # parts added at compile time (brand logo media)
    content_types: etree._Element
    presentation_part: str
    presentation_xml: etree._Element
    presentation_rels: list[Rel]
    slides: list[SlideSpec]
    variables: set[str]
    fitting: FitState | None  # None: compiled without text fitting (every render measures nothing)
    orphans: frozenset = frozenset()  # media parts nothing refers to after branding: left out of decks
    # what compiling found that did not stop it (renumbered shape ids, master graphics over content, logo
    # contrast): the same for every deck, so callers print them once per run, never per deck
    warnings: tuple[DeckgenWarning, ...] = ()
    # deflated parts that are the same in every deck (relationships, branded theme, slide list…)
    members: dict = field(default_factory=dict)
    # rendered, fitted and deflated parts by the context values they read (deckgen.engine.reuse)
    reuse: PartCache = field(default_factory=PartCache)
    _rels: dict = field(default_factory=dict)

    @functools.cached_property
    def slide_family(self) -> frozenset[str]:
        """Every part that goes (or is copied) with a slide, and their relationship parts."""
        names = set()
        for spec in self.slides:
            for part in (spec.part, spec.notes_part, *spec.owned):
                if part:
                    names.update((part, rels_name(part)))
        return frozenset(names)

    def rels_of(self, part: str) -> list[Rel]:
        """The template's relationships of ``part`` ('' for the package's own), read once."""
        if part not in self._rels:
            self._rels[part] = read_rels(self.package, self.replaced, part)
        return self._rels[part]

    def read(self, part: str) -> bytes:
        """A part as compiled (branded where branding changed it)."""
        return self.replaced.get(part) or self.package.read(part)


__all__ = [
    "CONTEXT_ROOTS",
    "PICTURE_BINDINGS",
    "ChartBinding",
    "Compiled",
    "CompiledTemplate",
    "SlideSpec",
    "TemplateSettings",
]
