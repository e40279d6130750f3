"""Render one deck from a compiled template and a context.

Slide directives decide which slides appear (and how often); each slide, its speaker notes and
charts are rendered and their text fitted to its boxes; the presentation's slide list,
relationships, content types and document properties are rebuilt (:mod:`deckgen.engine.deckparts`);
and the package is written with unchanged members' compressed bytes copied as they are. The same
compiled template and context always give the same bytes.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field

from jinja2.exceptions import TemplateError as JinjaTemplateError
from jinja2.sandbox import SecurityError
from jinja2.utils import consume

import deckgen.engine.deckparts as deckparts
from deckgen.engine.charts import chart_number_format, check_chart_data, fill_chart, workbook_bytes
from deckgen.engine.compiled import Compiled, CompiledTemplate, SlideSpec
from deckgen.engine.deadline import deadline
from deckgen.engine.deckparts import APP, CORE
from deckgen.engine.faults import (
    MISSING_DATA,
    directive_names,
    explain,
    expression_fault,
    is_fault,
    part_fault,
    where,
)
from deckgen.engine.layout.fitting import Shrink, SlideFitter
from deckgen.engine.limits import MAX_PART_CHARS, OutputLimitError
from deckgen.engine.links import DeckLinks, moved_rels, unlink
from deckgen.engine.media import Picture, fit_frame
from deckgen.engine.opc import (
    RT_IMAGE,
    Member,
    Rel,
    new_member,
    parse_xml,
    rels_name,
    rels_xml,
    stored_member,
    to_bytes,
    zip_bytes,
)
from deckgen.engine.variables import fix_hint
from deckgen.errors import DeckgenError, DeckgenWarning, RenderError, TemplateFaultError, TextFitWarning

_MAX_CACHED_MEMBERS = 2_000  # keeps memory flat over a long batch
RENDER_SECONDS = 30  # a template that loops for longer than this is stopped
MAX_SLIDES = 500
_DROP_ROOT_RELS = ("/metadata/thumbnail", "/custom-properties")
_TAG_ERRORS = (JinjaTemplateError, SecurityError, TypeError, ValueError, ArithmeticError, LookupError, AttributeError)


@dataclass(frozen=True)
class Rendered:
    """One rendered deck: its bytes, the text frames shrunk to fit, and what the user should know."""

    data: bytes
    shrinks: list[Shrink] = field(default_factory=list)
    warnings: list[DeckgenWarning] = field(default_factory=list)


def render(
    compiled: CompiledTemplate, context: dict, *, logo: Picture | None = None, fit: str | None = None
) -> Rendered:
    """Render one deck; raise RenderError (or TextOverflowError) naming the slide, shape and tag.

    ``logo`` fills pictures named ``prospect_logo``; ``fit`` (shrink | fail | ignore) overrides the
    template's text-fitting policy for this deck. Every shrink is also returned as a TextFitWarning.
    """
    fitter = SlideFitter(compiled.fitting, fit or compiled.spec.fit, compiled.spec.min_font_size)
    renderer = _Renderer(compiled, context, logo, fitter)
    with deadline(RENDER_SECONDS, _too_slow):
        data = renderer.run()
    shrinks = list(fitter.shrinks)
    notes = [TextFitWarning(str(s)) for s in shrinks] + [TextFitWarning(g) for g in fitter.grown]
    return Rendered(data, shrinks, notes + renderer.links.warnings)


def _too_slow() -> OutputLimitError:
    return OutputLimitError(f"rendering took longer than {RENDER_SECONDS} s (a runaway loop in the template?)")


class _Renderer:
    def __init__(self, ct: CompiledTemplate, context: dict, prospect_logo: Picture | None, fitter: SlideFitter) -> None:
        self.ct = ct
        self.context = context
        self.logo = prospect_logo
        self.out: dict[str, Member] = {}
        self.types: dict[str, str] = {}  # output part -> source part (for its content type)
        self.logo_part: str | None = None
        self.fitter = fitter
        self.memo: dict = {}  # fingerprints of this deck's context values (deckgen.engine.reuse)
        self.links = DeckLinks(ct, self._error)  # hyperlink targets with tags (deckgen.engine.links)
        self.deck_context = None  # the Jinja2 context the slide directives are evaluated in
        self.fixed: dict[int, bool] = {}  # slide number -> its directive reads nothing from the row

    # ------------------------------------------------------------------ top level
    def run(self) -> bytes:
        ct = self.ct
        family = self.ct.slide_family
        instances = self._instances()
        self.slide_names = {}  # template slide -> its first slide in the deck (where jumps to it go)
        for i, (spec, _k, _extra) in enumerate(instances, start=1):
            self.slide_names.setdefault(spec.part, f"ppt/slides/slide{i}.xml")
        skip = family | {
            "[Content_Types].xml",
            "_rels/.rels",
            CORE,
            APP,
            ct.presentation_part,
            rels_name(ct.presentation_part),
        }
        every_root_rel = ct.rels_of("")
        root_rels = [r for r in every_root_rel if not r.type.endswith(_DROP_ROOT_RELS)]
        dropped = {r.target for r in every_root_rel} - {r.target for r in root_rels}
        base = []
        for name in ct.package.names():
            if name in skip or name in dropped or name in ct.orphans:
                continue
            base.append(name)
            self._emit_raw(name)
        for name, data in ct.added.items():
            self._emit_fixed(("added", name), name, lambda d=data: d)
        slide_names = []
        for i, (spec, k, extra) in enumerate(instances, start=1):
            slide_names.append(self._slide(i, spec, k, extra))
        self._emit_fixed(
            ("presentation", tuple(slide_names)),
            ct.presentation_part,
            lambda: deckparts.presentation_xml(ct, slide_names),
        )
        self._emit_rels(
            rels_name(ct.presentation_part), ct.presentation_part, deckparts.presentation_rels(ct, slide_names)
        )
        self._emit(CORE, deckparts.core_xml(self.context))
        msp_name = (self.context.get("msp") or {}).get("name", "")
        self._emit_fixed(
            ("app", len(slide_names), msp_name), APP, lambda: deckparts.app_xml(msp_name, len(slide_names))
        )
        root_rels = deckparts.with_properties_rels(root_rels)
        self._emit_rels("_rels/.rels", "", root_rels)
        order = (
            ["[Content_Types].xml", "_rels/.rels", CORE, APP, ct.presentation_part, rels_name(ct.presentation_part)]
            + base
            + list(ct.added)
        )
        seen = set(order)
        order += [n for n in self.out if n not in seen]
        self._emit_fixed(
            ("types", tuple(self.types.items())),
            "[Content_Types].xml",
            lambda: deckparts.content_types_xml(self.ct, self.out, self.types),
        )
        ctypes = self.out.pop("[Content_Types].xml")
        entries = [("[Content_Types].xml", ctypes)] + [(n, self.out[n]) for n in order[1:] if n in self.out]
        return zip_bytes(entries)

    def _instances(self) -> list[tuple[SlideSpec, int, dict]]:
        result = []
        for spec in self.ct.slides:
            if spec.condition is not None:
                if self._evaluate(spec.condition, spec, "{%slide if%}"):
                    result.append((spec, 0, {}))
            elif spec.loop is not None:
                targets, iterable = spec.loop
                items = self._evaluate(iterable, spec, "{%slide for%}")
                try:
                    items = list(items or [])
                except TypeError:
                    raise self._error(spec, "the slide loop needs a list", spec.directive_text) from None
                for k, item in enumerate(items):
                    if len(targets) == 1:
                        extra = {targets[0]: item}
                    else:
                        values = list(item)
                        if len(values) != len(targets):
                            raise self._error(
                                spec,
                                f"cannot unpack {len(values)} values into {len(targets)} names",
                                spec.directive_text,
                            )
                        extra = dict(zip(targets, values))
                    result.append((spec, k, extra))
            else:
                result.append((spec, 0, {}))
            if len(result) > MAX_SLIDES:
                directives = [s for s in self.ct.slides if s.number <= spec.number and s.directive_text]
                shown = directives[-1] if directives else spec
                # the template's when no directive so far reads the row (then every deck has this many slides)
                fixed = all(self._fixed_directive(s) for s in directives)
                message = f"the deck would have more than {MAX_SLIDES} slides"
                raise self._error(shown, message, shown.directive_text or None, fault=fixed, about=fixed)
        if not result:
            raise RenderError("every slide was dropped by its {%slide if%} directive; the deck would be empty")
        return result

    def _fixed_directive(self, spec: SlideSpec) -> bool:
        """Whether the slide's directive reads nothing from the row (asked only when an error needs it)."""
        found = self.fixed.get(spec.number)
        if found is None:
            found = self.fixed[spec.number] = expression_fault(self.ct.env, None, spec.directive_text)
        return found

    # ------------------------------------------------------------------ one slide
    def _slide(self, i: int, spec: SlideSpec, k: int, extra: dict) -> str:
        ctx = dict(self.context, **extra) if extra else dict(self.context)
        names = {spec.part: f"ppt/slides/slide{i}.xml"}
        if spec.notes_part:
            names[spec.notes_part] = f"ppt/notesSlides/notesSlide{i}.xml"
        for part in spec.owned:
            if part not in names:
                names[part] = part if k == 0 else _suffixed(part, k + 1)
        slide = names[spec.part]
        rels, gone = moved_rels(spec.rels, names, self.slide_names)
        pics = {"prospect_logo": None}
        if spec.prospect_logo_rid and self.logo is not None:
            x, y, cx, cy = fit_frame(*spec.prospect_logo_frame, self.logo.width, self.logo.height)
            pics["prospect_logo"] = {"x": x, "y": y, "cx": cx, "cy": cy}
            media = self._prospect_logo_part()
            rels = [Rel(r.rid, RT_IMAGE, media, False) if r.rid == spec.prospect_logo_rid else r for r in rels]
        ctx["_pics"] = pics
        rels, drop = self.links.render(spec.part, rels, ctx, spec)
        self._emit_part(slide, spec.part, spec.compiled, ctx, spec, drop | gone)
        self._emit_rels(rels_name(slide), slide, rels, source=rels_name(spec.part))
        if spec.notes_part:
            notes = names[spec.notes_part]
            nrels, gone = moved_rels(spec.notes_rels, names, self.slide_names)
            nrels, drop = self.links.render(spec.notes_part, nrels, ctx, spec)
            self._emit_part(notes, spec.notes_part, spec.notes_compiled, ctx, spec, drop | gone)
            self._emit_rels(rels_name(notes), notes, nrels, source=rels_name(spec.notes_part))
        for part in spec.owned:
            if part == spec.notes_part:
                continue
            target = names[part]
            binding = spec.charts.get(part)
            if binding is not None:
                self._chart(target, part, binding, ctx, spec, names)
            elif part not in {b.workbook for b in spec.charts.values() if b.expression is not None}:
                self._emit_raw(part, target)
            owned_rels = rels_name(part)
            if owned_rels in self.ct.package and binding is None:
                self._emit_raw(owned_rels, rels_name(target))
        return slide

    def _chart(self, target: str, part: str, binding, ctx: dict, spec: SlideSpec, names: dict) -> None:
        if binding.compiled is not None:
            xml = self._render(binding.compiled, ctx, spec).encode("utf-8")
        else:
            xml = self.ct.read(part)
        if binding.expression is not None:
            data = self._evaluate(binding.expression, spec, binding.source, ctx)
            try:
                cats, series = check_chart_data(data, binding.name)
            except RenderError as exc:
                raise self._error(spec, exc.message, binding.source, binding.name) from None
            root = parse_xml(xml, part)
            fill_chart(root, cats, series, chart_number_format(data, binding.name))
            xml = to_bytes(root)
            if binding.workbook:
                target_wb = names[binding.workbook]  # a zip already: stored, not deflated again
                self.out[target_wb] = stored_member(target_wb, workbook_bytes(cats, series))
                self.types[target_wb] = binding.workbook
        self._emit(target, xml, source=part)
        chart_rels = self.ct.rels_of(part)
        moved = [Rel(r.rid, r.type, names.get(r.target, r.target), r.external) for r in chart_rels]
        self._emit_rels(rels_name(target), target, moved, source=rels_name(part))

    def _prospect_logo_part(self) -> str:
        if self.logo_part is None:
            self.logo_part = f"ppt/media/prospect-logo-{self.logo.digest}.png"
            self._emit(self.logo_part, self.logo.data, source="logo.png")
        return self.logo_part

    # ------------------------------------------------------------------ rendering text
    def _emit_part(self, target: str, source: str, compiled: Compiled | None, ctx: dict, spec: SlideSpec, drop) -> None:
        if compiled is None:  # no tags in its text; ``drop``: links whose address rendered empty or unsafe
            if drop:
                return self._emit(target, unlink(self.ct.read(source), drop, source), source)
            return self._emit_raw(source, target)
        fitter, cache = self.fitter, self.ct.reuse
        key = cache.key(compiled, ctx, self.context, self.memo, target, source, fitter.policy, fitter.min_pt, drop)
        reused = cache.get(key)
        if reused is not None:  # the same inputs as an earlier deck: the same member, the same shrinks
            self.out[target], shrinks, grown = reused
            self.types[target] = source
            fitter.shrinks.extend(shrinks)
            fitter.grown.extend(grown)
            return
        data = unlink(self._render(compiled, ctx, spec).encode("utf-8"), drop, target)
        before, noted = len(fitter.shrinks), len(fitter.grown)
        if target.startswith("ppt/slides/"):  # text fitting (deckgen.engine.layout.fitting)
            data = fitter.fit(data, target, spec)
        self._emit(target, data, source=source)
        cache.put(key, (self.out[target], tuple(fitter.shrinks[before:]), tuple(fitter.grown[noted:])))

    def _render(self, compiled: Compiled, ctx: dict, spec: SlideSpec) -> str:
        chunks = []
        size = 0
        try:
            for chunk in compiled.template.generate(ctx):
                size += len(chunk)
                if size > MAX_PART_CHARS:
                    raise OutputLimitError(f"the slide's text would exceed {MAX_PART_CHARS:,} characters")
                chunks.append(chunk)
        except (DeckgenError, *_TAG_ERRORS, RecursionError) as exc:
            loc = where(exc, compiled)
            message = exc.message if isinstance(exc, DeckgenError) else explain(exc)
            about = is_fault(exc) and part_fault(self.ct.env, exc, compiled, self._clean(spec))
            shape = loc.shape if loc else None
            raise self._error(spec, message, loc.text if loc else None, shape, is_fault(exc), about) from None
        return "".join(chunks)

    def _evaluate(self, expression, spec: SlideSpec, source: str, ctx: dict | None = None):
        try:
            if ctx is not None:
                return expression(**ctx)
            return self._deck_expression(expression)
        except (DeckgenError, *_TAG_ERRORS) as exc:
            text = spec.directive_text if source.startswith("{%slide") else source
            clean = self._clean(spec) if ctx is not None and is_fault(exc) else ()
            about = is_fault(exc) and expression_fault(self.ct.env, exc, text, clean)
            message = exc.message if isinstance(exc, DeckgenError) else explain(exc)
            raise self._error(spec, message, source, fault=is_fault(exc), about=about) from None

    def _clean(self, spec: SlideSpec) -> tuple[str, ...]:
        """The ``{%slide for%}`` names of ``spec`` when its list reads nothing from the row."""
        if spec.loop is None or not self._fixed_directive(spec):
            return ()
        return directive_names(spec.directive_text)

    def _deck_expression(self, expression):
        """``expression(**self.context)`` (a ``TemplateExpression``), every directive of the deck in one Jinja2 context.

        Each call would copy the context into a new one; an expression only reads it and sets its
        ``result`` (a name no template can use: it is no context root), so one context serves them all.
        """
        template = getattr(expression, "_template", None)
        if template is None or getattr(expression, "_undefined_to_none", True):  # not one compile() made
            return expression(**self.context)
        if self.deck_context is None:
            self.deck_context = template.new_context(self.context)
        consume(template.root_render_func(self.deck_context))
        return self.deck_context.vars["result"]

    def _error(
        self,
        spec: SlideSpec,
        message: str,
        snippet: str | None = None,
        shape: str | None = None,
        fault: bool = False,
        about: bool = False,
    ):
        place = f"slide {spec.number}" + (f", shape '{shape}'" if shape else "")
        text = f"{place}: {message}"
        if snippet:
            text += f" (in {snippet[:120]})"
        if snippet and MISSING_DATA.search(message):
            text += f". {fix_hint(message, snippet)}"
        # A sandbox violation or a limit is bad input, whatever the prospect (exit 2). ``about``: it is about the
        # template itself, not this deck's data (deckgen.engine.faults): a batch stops instead of failing each row
        kind = TemplateFaultError if fault or about else RenderError
        exc = kind(text, file=self.ct.source, source="template" if about else None)
        exc.slide, exc.shape, exc.snippet, exc.reason = spec.number, shape, snippet, message  # for lint's trials
        return exc

    # ------------------------------------------------------------------ package parts
    def _emit_raw(self, source: str, target: str | None = None) -> None:
        target = target or source
        if source in self.ct.replaced:
            self._emit_fixed(("replaced", source, target), target, lambda: self.ct.replaced[source], source)
            return
        self.out[target] = self.ct.package.members[source]
        self.types[target] = source

    def _emit_fixed(self, key: tuple, target: str, produce, source: str | None = None) -> None:
        """Emit a part that is the same in every deck with this key; deflate it once per template."""
        member = self.ct.members.get(key)
        if member is None:
            if len(self.ct.members) > _MAX_CACHED_MEMBERS:  # keys vary per deck only with logos/repeats
                self.ct.members.clear()
            member = self.ct.members[key] = new_member(target, produce())
        self.out[target] = member
        self.types[target] = source or target

    def _emit_rels(self, target: str, part: str, rels: list[Rel], source: str | None = None) -> None:
        key = ("rels", target, tuple((r.rid, r.type, r.target, r.external) for r in rels))
        self._emit_fixed(key, target, lambda: rels_xml(part, rels), source)

    def _emit(self, target: str, data: bytes, source: str | None = None) -> None:
        self.out[target] = new_member(target, data)
        self.types[target] = source or target


def _suffixed(part: str, n: int) -> str:
    stem, ext = posixpath.splitext(part)
    return f"{stem}-{n}{ext}"


__all__ = ["render", "Rendered", "RENDER_SECONDS", "MAX_SLIDES"]
