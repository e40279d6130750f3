"""Compile a template once: find every tag, check it, and prepare the parts.

:func:`compile` reads a template package (after the checks in :mod:`deckgen.engine.safety`),
applies a theme to its theme parts and logo pictures, turns every slide, speaker-notes and chart
part that holds tags into a compiled Jinja2 template, reads slide directives and chart bindings,
and checks every variable the template uses against the context roots (and, through the caller's
``unknown_variable``, against the paths the context can provide). Errors name the slide, the shape
and the tag, and are raised before any deck is written. Fonts are found and loaded here too, so
rendering never looks anything up.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from pathlib import Path

from deckgen.engine.animations import animate_as_one, as_one_message
from deckgen.engine.comments import comment_parts, drop_comment_refs, without_comments
from deckgen.engine.compiled import (
    CONTEXT_ROOTS,
    PICTURE_BINDINGS,
    ChartBinding,
    Compiled,
    CompiledTemplate,
    SlideSpec,
    TemplateSettings,
)
from deckgen.engine.diagrams import refuse_tags_in_diagrams
from deckgen.engine.filters import LocaleFilters
from deckgen.engine.graphics import LuminanceCache, graphics_warnings, slide_size
from deckgen.engine.layout.fitting import FitState
from deckgen.engine.layout.fonts import FontBook
from deckgen.engine.links import link_variables
from deckgen.engine.mastertags import master_tag_warnings
from deckgen.engine.media import Picture, binding_name, fit_picture, reset_crop
from deckgen.engine.opc import (
    RT_CHART,
    RT_NOTES,
    RT_SLIDE,
    Package,
    Rel,
    describe_missing_target,
    drop_missing_targets,
    parse_xml,
    q,
    read_package,
    read_rels,
    rels_name,
    rels_xml,
    to_bytes,
)
from deckgen.engine.placeholders import give_own_frame
from deckgen.engine.sandbox import make_environment
from deckgen.engine.shapeids import duplicate_id_message, duplicate_shape_ids, renumber_duplicate_ids
from deckgen.engine.showsettings import show_settings
from deckgen.engine.tags import own_name, shape_name
from deckgen.engine.templating import JinjaCache, TagCompiling
from deckgen.engine.text import TextCompiler
from deckgen.engine.theme import Theme, apply_theme
from deckgen.errors import DeckgenWarning, ShapeIdWarning, SlideWarning, TemplateError

_EXTERNAL_ON_SLIDES = ("oleObject", "externalLinkPath", "video", "audio")
FontFinder = Callable[[str, bool], "tuple[str, int] | None"]  # (family, bold) -> (file, face index) or None


def compile(
    template: bytes | Package,
    spec: TemplateSettings,
    *,
    label: str = "template",
    theme: Theme | None = None,
    logo: Picture | None = None,
    logo_dark: Picture | None = None,
    font_files: Iterable[Path] = (),
    find_font: FontFinder | None = None,
    locale_filters: LocaleFilters | None = None,
    unknown_variable: Callable[[str], str | None] | None = None,
    jinja_cache: JinjaCache | None = None,
    luminance_cache: LuminanceCache | None = None,
) -> CompiledTemplate:
    """Compile a template package (its bytes, or a :class:`Package` read already); raise TemplateError.

    ``theme`` rewrites the theme parts (unless ``theme.rewrite`` is false) and gives tagged runs their
    east-asian typeface; ``logo``/``logo_dark`` replace pictures named so. ``font_files`` (the brand's)
    and ``find_font`` (an installed-font lookup) are used once, here, to find every typeface the
    template names. ``locale_filters(locale, currency)`` gives the ``money``/``number``/``percent``/
    ``date`` filters; ``unknown_variable(path)`` returns why a dotted context path can never exist, or None.
    ``jinja_cache`` keeps the Python code of each part's tags between runs (see :class:`JinjaCache`),
    ``luminance_cache`` how light each logo measured (see :class:`LuminanceCache`).
    The result is immutable and can render any number of decks.
    """
    pkg = template if isinstance(template, Package) else read_package(template, label)
    compiler = _Compiler(pkg, spec, label, theme, logo, logo_dark, locale_filters)
    compiler.jinja_cache, compiler.luminance_cache = jinja_cache, luminance_cache
    return compiler.run(FontBook(font_files, find_font), unknown_variable)


def compile_slide(
    pkg: Package,
    spec: TemplateSettings,
    brand,
    label: str,
    number: int,
    part: str,
    overrides: dict[str, bytes] | None = None,
) -> tuple[SlideSpec, set[str]]:
    """Compile one slide on its own; ``overrides`` stand in for package parts (by part name).

    ``templates lint`` uses it to report every slide's errors instead of stopping at the first.
    ``brand`` is anything with ``theme()``, ``logo`` and ``logo_dark`` (a :class:`deckgen.brand.kit.Brand`),
    or None. Returns the slide and the variables it uses; raises TemplateError.
    """
    theme = brand.theme() if brand is not None else None
    logo, logo_dark = (brand.logo, brand.logo_dark) if brand is not None else (None, None)
    compiler = _Compiler(pkg, spec, label, theme, logo, logo_dark, None)
    compiler.replaced.update(overrides or {})
    return compiler._slide(number, part), compiler.variables


def themed_parts(pkg: Package, content_types, theme: Theme | None) -> dict[str, bytes]:
    """The package's theme parts rewritten for ``theme`` (by part name); none when there is no theme to apply
    (``theme.rewrite`` false: e.g. ``--master`` without ``--brand`` keeps the master's own theme)."""
    if theme is None or not theme.rewrite:
        return {}
    out = {}
    for el in content_types:
        if el.get("ContentType", "").endswith("theme+xml") and el.get("PartName"):
            part = el.get("PartName").lstrip("/")
            if part in pkg:
                out[part] = apply_theme(pkg.read(part), theme)
    return out


class _Compiler(TagCompiling):
    def __init__(
        self,
        pkg: Package,
        spec: TemplateSettings,
        label: str,
        theme: Theme | None,
        logo: Picture | None,
        logo_dark: Picture | None,
        locale_filters: LocaleFilters | None,
    ) -> None:
        self.pkg = pkg
        self.spec = spec
        self.label = label
        self.theme = theme
        self.logos = {"logo": logo, "logo_dark": logo_dark}
        self.env = make_environment(locale_filters)
        self.replaced: dict[str, bytes] = {}
        self.added: dict[str, bytes] = {}
        self.variables: set[str] = set()
        self.dropped: set[str] = set()  # parts left out of every deck (comments)
        self.warnings: list[DeckgenWarning] = []

    def read(self, part: str) -> bytes:
        if part in self.replaced:
            return self.replaced[part]
        try:
            return self.pkg.read(part)
        except KeyError:
            raise TemplateError(f"the package refers to part '{part}', which is missing", file=self.label) from None

    def run(self, fonts: FontBook, unknown_variable: Callable[[str], str | None] | None) -> CompiledTemplate:
        ct = parse_xml(self.pkg.read("[Content_Types].xml"), "[Content_Types].xml", self.label)
        root_rels = read_rels(self.pkg, {}, "")
        main = next((r.target for r in root_rels if r.type.endswith("/officeDocument")), None)
        if not main or main not in self.pkg:
            raise TemplateError("not a PowerPoint file (no presentation part)", file=self.label)
        missing = drop_missing_targets(self.pkg)
        if missing:
            part, rel = missing[0]
            raise TemplateError(describe_missing_target(part, rel), file=self.label)
        self._theme(ct)
        pres_rels = without_comments(read_rels(self.pkg, {}, main), self.dropped)
        for rel in pres_rels:
            if rel.external:
                raise TemplateError("the presentation links to an external file; remove the link", file=self.label)
        pres = parse_xml(self.read(main), main, self.label)
        settings, found = show_settings(self.pkg, pres, pres_rels, self.label)
        self.replaced.update(settings)
        self.warnings += found
        by_rid = {r.rid: r for r in pres_rels}
        slides = []
        sld_list = pres.find(q("p:sldIdLst"))
        for number, sld in enumerate(sld_list if sld_list is not None else [], start=1):
            rel = by_rid.get(sld.get(q("r:id")))
            if rel is None or rel.type != RT_SLIDE:
                raise TemplateError(f"slide {number} has no slide part", file=self.label)
            slides.append(self._slide(number, rel.target))
        self._logos_in_layouts()
        self.warnings += master_tag_warnings(self.pkg.names(), self.read, self.label)
        self.warnings += graphics_warnings(
            self.pkg,
            self.replaced,
            self.added,
            [(s.number, s.part) for s in slides],
            self.logos,
            self.label,
            slide_size(pres),
            self.luminance_cache,
        )
        if unknown_variable is not None:
            self._check_variables(slides, unknown_variable)
        fitting = FitState(
            self._read_or_none, main, fonts, self.theme.font_slots() if self.theme else {}, [s.part for s in slides]
        )
        return CompiledTemplate(
            name=self.spec.name,
            source=self.label,
            spec=self.spec,
            env=self.env,
            package=self.pkg,
            replaced=self.replaced,
            added=self.added,
            content_types=ct,
            presentation_part=main,
            presentation_xml=pres,
            presentation_rels=pres_rels,
            slides=slides,
            variables=self.variables,
            fitting=fitting,
            orphans=self._orphaned_media(slides) | comment_parts(self.pkg, self.dropped),
            warnings=tuple(self.warnings),
        )

    def _read_or_none(self, part: str) -> bytes | None:
        if part in self.replaced:
            return self.replaced[part]
        return self.pkg.read(part) if part in self.pkg else None

    def _orphaned_media(self, slides: list[SlideSpec]) -> frozenset[str]:
        """Media no relationship points at any more (placeholder pictures replaced by the brand logo)."""
        slide_rels = {rels_name(p) for s in slides for p in (s.part, s.notes_part) if p}
        referenced = {r.target for s in slides for r in s.rels + s.notes_rels}
        for name in list(self.pkg.names()) + list(self.replaced):
            if name.endswith(".rels") and name not in slide_rels:
                owner = name.replace("_rels/", "")[: -len(".rels")]
                referenced.update(r.target for r in read_rels(self.pkg, self.replaced, owner))
        return frozenset(n for n in self.pkg.names() if n.startswith("ppt/media/") and n not in referenced)

    # ------------------------------------------------------------------ theme & logos
    def _theme(self, ct) -> None:
        self.replaced.update(themed_parts(self.pkg, ct, self.theme))

    def _logo_media(self, which: str) -> str | None:
        pic = self.logos[which]
        if pic is None:
            return None
        name = f"ppt/media/brand-{which.replace('_', '-')}-{pic.digest}.png"
        self.added[name] = pic.data
        return name

    def _place_logos(self, root, rels: list[Rel]) -> bool:
        """Point pictures named logo/logo_dark at the brand's logo, fitted in their frame."""
        changed = False
        for pic in root.iter(q("p:pic")):
            name = binding_name(pic)
            if name not in ("logo", "logo_dark"):
                continue
            media = self._logo_media(name)
            blip = pic.find(f".//{q('a:blip')}")
            if media is None or blip is None:
                continue
            rid = blip.get(q("r:embed"))
            for rel in rels:
                if rel.rid == rid:
                    rel.target = media
            image = self.logos[name]
            give_own_frame(pic, rels, self.pkg, self.replaced, self.label)
            fit_picture(pic, image.width, image.height)
            changed = True
        return changed

    def _logos_in_layouts(self) -> None:
        for part in self.pkg.names():
            if not re.match(r"ppt/slide(Layout|Master)s/slide(Layout|Master)\d+\.xml$", part):
                continue
            data = self.read(part)
            if b'name="logo' not in data and b'descr="logo' not in data:
                continue
            root = parse_xml(data, part, self.label)
            rels = read_rels(self.pkg, self.replaced, part)
            if self._place_logos(root, rels):
                self.replaced[part] = to_bytes(root)
                self.replaced[rels_name(part)] = rels_xml(part, rels)

    # ------------------------------------------------------------------ slides
    def _slide(self, number: int, part: str) -> SlideSpec:
        rels = without_comments(read_rels(self.pkg, self.replaced, part), self.dropped)
        for rel in rels:
            if rel.external and rel.type.rsplit("/", 1)[-1] in _EXTERNAL_ON_SLIDES:
                raise TemplateError(
                    f"links to an external file ({rel.target}); embed it or remove the link",
                    file=self.label,
                    slide=number,
                )
        root = parse_xml(self.read(part), part, self.label)
        refuse_tags_in_diagrams(root, rels, self.read, self.label, number)
        logo_changed = drop_comment_refs(root)
        for shape_id, names in duplicate_shape_ids(root):
            message = duplicate_id_message(shape_id, names)
            self.warnings.append(ShapeIdWarning(message, slides=(number,), shape=names[1], file=self.label))
        logo_changed = bool(renumber_duplicate_ids(root)) or logo_changed
        for name in (animated := animate_as_one(root)):  # deckgen.engine.animations
            self.warnings.append(SlideWarning(as_one_message(), slides=(number,), shape=name, file=self.label))
        logo_changed = bool(animated) or logo_changed
        logo_changed = self._place_logos(root, rels) or logo_changed
        compiler = self._text_compiler(root, part, number, shape_name)
        spec = SlideSpec(number, part, rels, None, None, [], None)
        self._prospect_logo(root, rels, compiler, spec)
        source = compiler.compile()
        notes = next((r for r in rels if r.type == RT_NOTES), None)
        notes_source = None
        if notes is not None:
            spec.notes_part = notes.target
            spec.notes_rels = read_rels(self.pkg, self.replaced, notes.target)
            nroot = parse_xml(self.read(notes.target), notes.target, self.label)
            notes_source = self._text_compiler(nroot, notes.target, number, lambda p: "speaker notes").compile()
            spec.owned.append(notes.target)
        for src in (source, notes_source):
            for d in src.directives if src else []:
                self._directive(d, number, spec)
        spec.compiled = self._jinja(source, part, number, spec)
        if spec.compiled is None and logo_changed:
            self.replaced[part] = to_bytes(root)  # the logo's frame changed; no tags
        spec.notes_compiled = self._jinja(notes_source, spec.notes_part, number, spec)
        self.variables |= link_variables(self.env, [*rels, *spec.notes_rels], spec, self.label)  # tags in links

        frames = {_chart_rid(gf): own_name(gf) for gf in root.iter(q("p:graphicFrame")) if _chart_rid(gf)}
        for rel in rels:
            if rel.type != RT_CHART:
                continue
            shape = frames.get(rel.rid, "")
            spec.owned.append(rel.target)
            chart_rels = read_rels(self.pkg, self.replaced, rel.target)
            spec.owned.extend(r.target for r in chart_rels if not r.external)
            workbook = next((r.target for r in chart_rels if r.type.endswith("/package")), None)
            croot = parse_xml(self.read(rel.target), rel.target, self.label)
            if _fix_axis_ids(croot):
                self.replaced[rel.target] = to_bytes(croot)
            ccomp = self._text_compiler(croot, rel.target, number, lambda p, s=shape: f"{s} (chart)")
            compiled = self._jinja(ccomp.compile(), rel.target, number, spec)
            source = self.spec.charts.get(shape)
            if source is None and compiled is None:
                continue
            expression = self._expression(source, number, shape) if source else None
            spec.charts[rel.target] = ChartBinding(shape, rel.target, expression, source or "", workbook, compiled)
        bound = {b.name for b in spec.charts.values() if b.source}
        for name in self.spec.charts:
            if name in frames.values() and name not in bound:
                raise TemplateError(f"chart '{name}' could not be bound", file=self.label, slide=number, shape=name)
        return spec

    def _prospect_logo(self, root, rels, compiler: TextCompiler, spec: SlideSpec) -> None:
        for pic in root.iter(q("p:pic")):
            if binding_name(pic) != "prospect_logo":
                continue
            blip = pic.find(f".//{q('a:blip')}")
            give_own_frame(pic, rels, self.pkg, self.replaced, self.label)
            reset_crop(pic)
            xfrm = pic.find(f"{q('p:spPr')}/{q('a:xfrm')}")
            if blip is None or xfrm is None:
                continue
            off, ext = xfrm.find(q("a:off")), xfrm.find(q("a:ext"))
            spec.prospect_logo_rid = blip.get(q("r:embed"))
            spec.prospect_logo_frame = (int(off.get("x")), int(off.get("y")), int(ext.get("cx")), int(ext.get("cy")))
            for el, attr, key in ((off, "x", "x"), (off, "y", "y"), (ext, "cx", "cx"), (ext, "cy", "cy")):
                el.set(attr, compiler.marker("{{ _pics.prospect_logo.%s }}" % key, "prospect_logo"))
            compiler.wrap(pic, "{% if _pics.prospect_logo %}", "{% endif %}", "prospect_logo")
            return


# --------------------------------------------------------------------------- helpers


def _chart_rid(gf) -> str | None:
    chart = gf.find(f".//{q('c:chart')}")
    return chart.get(q("r:id")) if chart is not None else None


def _fix_axis_ids(chart) -> bool:
    """Make negative axis ids (python-pptx writes them) the positive ints the schema requires."""
    changed = False
    for tag in ("c:axId", "c:crossAx"):
        for el in chart.iter(q(tag)):
            val = el.get("val", "")
            if val.startswith("-") and val[1:].isdigit():
                el.set("val", str(-int(val)))  # the schema wants 0..2147483647
                changed = True
    return changed


__all__ = [
    "compile",
    "compile_slide",
    "CompiledTemplate",
    "SlideSpec",
    "ChartBinding",
    "Compiled",
    "CONTEXT_ROOTS",
    "PICTURE_BINDINGS",
    "TemplateSettings",
    "Rel",
    "read_rels",
    "rels_xml",
]
