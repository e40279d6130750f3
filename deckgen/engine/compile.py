"""Compile a template once: find every tag, check it, and prepare the parts.

``compile_template`` opens a template package (after the safety checks in
``package``), applies a brand kit to its theme and logo pictures, turns every
slide, speaker-notes and chart part that holds tags into a compiled Jinja2
template, reads slide directives and chart bindings, and checks that every
variable the template uses is one the context provides. Errors name the
slide, the shape and the tag, and are raised before any deck is written.
"""

from __future__ import annotations

import functools
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

from jinja2 import TemplateSyntaxError, meta, nodes
from jinja2.exceptions import TemplateError as JinjaTemplateError
from lxml import etree
from pydantic import BaseModel, ConfigDict, Field

from deckgen.brand.kit import Brand, apply_theme
from deckgen.engine.media import fit_frame
from deckgen.engine.package import Member, Package, open_package
from deckgen.engine.sandbox import DeckEnvironment, make_environment
from deckgen.engine.text import Location, PartSource, TextCompiler, own_name, shape_name
from deckgen.engine.xmlutil import (NS, RT_CHART, RT_IMAGE, RT_NOTES, RT_SLIDE, parse_xml, q,
                                    rels_name, resolve_target, to_bytes)
from deckgen.errors import InputError, TemplateError
from deckgen.load.files import validate_doc
from deckgen.load.yamlfile import load_yaml_file
from deckgen.resources import bundled_dir

DEFAULT_TEMPLATE = "walk-away"
CONTEXT_ROOTS = frozenset({
    "msp", "usp", "icp", "services", "slas", "certifications", "metrics", "next_steps", "prospect", "fit",
    "closing", "costs", "charts", "brand", "today", "locale", "currency", "deck",
})
PICTURE_BINDINGS = ("logo", "logo_dark", "prospect_logo")
_FOR_RE = re.compile(r"^\s*([A-Za-z_]\w*(?:\s*,\s*[A-Za-z_]\w*)*)\s+in\s+(.+)$", re.S)
_MAIN_TYPES = {
    "application/vnd.openxmlformats-officedocument.presentationml.template.main+xml":
        "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml",
    "application/vnd.openxmlformats-officedocument.presentationml.slideshow.main+xml":
        "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml",
}


class TemplateSpec(BaseModel):
    """template.yaml: what a template is for and how it binds data."""

    model_config = ConfigDict(extra="forbid")

    name: str
    description: str = ""
    slides: list[str] = []
    charts: dict[str, str] = {}
    fit: str = Field(default="shrink", pattern=r"^(shrink|fail|ignore)$")
    min_font_size: float = Field(default=14, ge=6, le=72)
    variables: dict[str, str] | list[str] = []  # documented variables: name -> where it is used


@dataclass
class Rel:
    rid: str
    type: str
    target: str  # absolute part name, or the raw target when external
    external: bool = False


@dataclass
class Compiled:
    """A compiled Jinja2 template for one part, with its source locations."""

    template: object
    locations: list[Location]
    filename: str


@dataclass
class ChartBinding:
    name: str
    part: str
    expression: object  # compiled Jinja2 expression
    source: str
    workbook: str | None  # the embedded workbook part, if any
    compiled: Compiled | None = None  # chart title tags


@dataclass
class SlideSpec:
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


@dataclass
class CompiledTemplate:
    """Everything needed to render decks from one template and one brand."""

    name: str
    source: str
    spec: TemplateSpec
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
    brand: Brand
    # deflated parts that are the same in every deck (relationships, branded theme, slide list…),
    # memoised on first use so each deck only deflates what really changed
    members: dict = field(default_factory=dict)
    orphans: frozenset = frozenset()  # media parts nothing refers to after branding: left out of decks
    # text fitting (deckgen.engine.layout.fitting): a per-run override of spec.fit, measuring state, last render's shrinks
    fit_policy: str | None = None
    fitting: object | None = None
    last_shrinks: list = field(default_factory=list)

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
        cache = self.__dict__.setdefault("_rels", {})
        if part not in cache:
            cache[part] = read_rels(self.package, self.replaced, part)
        return cache[part]

    def render(self, context: dict) -> bytes:
        """Render one deck; see :func:`deckgen.engine.render.render_deck`."""
        from deckgen.engine.render import render_deck

        return render_deck(self, context)


# --------------------------------------------------------------------------- locating templates

def resolve_template(name_or_path: str | Path | None) -> tuple[Path, Path | None]:
    """Return (package file, template.yaml or None) for a bundled name or a path."""
    value = str(name_or_path or DEFAULT_TEMPLATE)
    path = Path(value)
    if path.is_file():
        if path.suffix.lower() not in (".pptx", ".potx"):
            raise InputError("a template is a .pptx or .potx file, or a folder holding one", file=value)
        spec = path.parent / "template.yaml"
        return path, spec if spec.is_file() else None
    folder = path if path.is_dir() else None
    if folder is None and "/" not in value and "\\" not in value:
        candidate = bundled_dir("templates") / value
        folder = candidate if candidate.is_dir() else None
    if folder is None:
        names = ", ".join(list_template_names())
        raise InputError(f"template '{value}' not found (bundled: {names}; or give a .pptx/.potx or a folder)")
    for name in ("template.pptx", "template.potx"):
        if (folder / name).is_file():
            spec = folder / "template.yaml"
            return folder / name, spec if spec.is_file() else None
    found = sorted(folder.glob("*.pptx")) + sorted(folder.glob("*.potx"))
    if len(found) == 1:
        spec = folder / "template.yaml"
        return found[0], spec if spec.is_file() else None
    raise InputError("folder holds no template.pptx (or .potx)", file=str(folder))


def list_template_names() -> list[str]:
    root = bundled_dir("templates")
    return sorted(p.name for p in root.iterdir() if p.is_dir()) if root.is_dir() else []


def load_spec(pptx: Path, spec_path: Path | None) -> TemplateSpec:
    if spec_path is None:
        return TemplateSpec(name=pptx.stem)
    return validate_doc(TemplateSpec, load_yaml_file(spec_path))


# --------------------------------------------------------------------------- relationships

def read_rels(pkg: Package, overlay: dict[str, bytes], part: str) -> list[Rel]:
    name = rels_name(part)
    data = overlay.get(name) or (pkg.read(name) if name in pkg else None)
    if data is None:
        return []
    root = parse_xml(data, name, pkg.source)
    rels = []
    for el in root:
        external = el.get("TargetMode") == "External"
        target = el.get("Target", "")
        rels.append(Rel(el.get("Id", ""), el.get("Type", ""), target if external else resolve_target(part, target),
                        external))
    return rels


def rels_xml(part: str, rels: list[Rel]) -> bytes:
    """Serialise relationships for ``part`` (targets made relative)."""
    from deckgen.engine.xmlutil import relative_target

    out = ['<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
           '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">']
    for r in rels:
        target = r.target if r.external else relative_target(part, r.target)
        mode = ' TargetMode="External"' if r.external else ""
        out.append(f'<Relationship Id="{_attr(r.rid)}" Type="{_attr(r.type)}" Target="{_attr(target)}"{mode}/>')
    out.append("</Relationships>")
    return "".join(out).encode("utf-8")


def _attr(value: str) -> str:
    return value.replace("&", "&amp;").replace("<", "&lt;").replace('"', "&quot;")


# --------------------------------------------------------------------------- compile

def compile_template(template: str | Path | None, brand: Brand, master: str | Path | None = None,
                     warnings: list[str] | None = None) -> CompiledTemplate:
    """Compile a template (bundled name or path) for one brand; raise TemplateError on any problem.

    ``master``: a corporate .potx/.pptx whose slide masters and layouts replace the template's
    (see :mod:`deckgen.engine.master`); slides it can't match by layout name add to ``warnings``.
    """
    pptx, spec_path = resolve_template(template)
    spec = load_spec(pptx, spec_path)
    pkg = open_package(pptx)
    if master is not None:
        from deckgen.engine.master import apply_master

        pkg = apply_master(pkg, master, warnings)
    return _Compiler(pkg, spec, brand, str(pptx)).run()


def compile_slide(pkg: Package, spec: TemplateSpec, brand: Brand, label: str, number: int, part: str,
                  overrides: dict[str, bytes] | None = None) -> tuple[SlideSpec, set[str]]:
    """Compile one slide on its own; ``overrides`` stand in for package parts (by part name).

    ``templates lint`` uses it to report every slide's errors instead of stopping at the first.
    Returns the slide and the variables it uses; raises TemplateError.
    """
    compiler = _Compiler(pkg, spec, brand, label)
    compiler.replaced.update(overrides or {})
    return compiler._slide(number, part), compiler.variables


class _Compiler:
    def __init__(self, pkg: Package, spec: TemplateSpec, brand: Brand, label: str) -> None:
        self.pkg = pkg
        self.spec = spec
        self.brand = brand
        self.label = label
        self.env = make_environment()
        self.replaced: dict[str, bytes] = {}
        self.added: dict[str, bytes] = {}
        self.variables: set[str] = set()

    def read(self, part: str) -> bytes:
        if part in self.replaced:
            return self.replaced[part]
        try:
            return self.pkg.read(part)
        except KeyError:
            raise TemplateError(f"the package refers to part '{part}', which is missing", file=self.label) from None

    def run(self) -> CompiledTemplate:
        ct = parse_xml(self.pkg.read("[Content_Types].xml"), "[Content_Types].xml", self.label)
        root_rels = read_rels(self.pkg, {}, "")
        main = next((r.target for r in root_rels if r.type.endswith("/officeDocument")), None)
        if not main or main not in self.pkg:
            raise TemplateError("not a PowerPoint file (no presentation part)", file=self.label)
        self._theme(ct)
        pres_rels = read_rels(self.pkg, {}, main)
        for rel in pres_rels:
            if rel.external:
                raise TemplateError("the presentation links to an external file; remove the link", file=self.label)
        pres = parse_xml(self.read(main), main, self.label)
        by_rid = {r.rid: r for r in pres_rels}
        slides = []
        sld_list = pres.find(q("p:sldIdLst"))
        for number, sld in enumerate(sld_list if sld_list is not None else [], start=1):
            rel = by_rid.get(sld.get(q("r:id")))
            if rel is None or rel.type != RT_SLIDE:
                raise TemplateError(f"slide {number} has no slide part", file=self.label)
            slides.append(self._slide(number, rel.target))
        self._logos_in_layouts()
        self._check_variables(slides)
        return CompiledTemplate(
            name=self.spec.name, source=self.label, spec=self.spec, env=self.env, package=self.pkg,
            replaced=self.replaced, added=self.added, content_types=ct, presentation_part=main,
            presentation_xml=pres, presentation_rels=pres_rels, slides=slides, variables=self.variables,
            brand=self.brand, orphans=self._orphaned_media(slides))

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
        if getattr(self.brand, "keeps_theme", False):  # --master without --brand: the master's own theme
            return
        for el in ct:
            if el.get("ContentType", "").endswith("theme+xml") and el.get("PartName"):
                part = el.get("PartName").lstrip("/")
                if part in self.pkg:
                    self.replaced[part] = apply_theme(self.pkg.read(part), self.brand)

    def _logo_media(self, which: str) -> str | None:
        pic = self.brand.logo_dark if which == "logo_dark" else self.brand.logo
        if pic is None:
            return None
        name = f"ppt/media/brand-{which.replace('_', '-')}-{pic.digest}.png"
        self.added[name] = pic.data
        return name

    def _place_logos(self, root, rels: list[Rel]) -> bool:
        """Point pictures named logo/logo_dark at the brand's logo, fitted in their frame."""
        changed = False
        for pic in root.iter(q("p:pic")):
            name = _binding_name(pic)
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
            image = self.brand.logo_dark if name == "logo_dark" else self.brand.logo
            _fit_xfrm(pic, image.width, image.height)
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
        rels = read_rels(self.pkg, self.replaced, part)
        for rel in rels:
            if rel.external and rel.type.rsplit("/", 1)[-1] in ("oleObject", "externalLinkPath", "video", "audio"):
                raise TemplateError(f"links to an external file ({rel.target}); embed it or remove the link",
                                    file=self.label, slide=number)
        root = parse_xml(self.read(part), part, self.label)
        logo_changed = self._place_logos(root, rels)
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
            for d in (src.directives if src else []):
                self._directive(d, number, spec)
        spec.compiled = self._jinja(source, part, number, spec)
        if spec.compiled is None and logo_changed:
            self.replaced[part] = to_bytes(root)  # the logo's frame changed; no tags
        spec.notes_compiled = self._jinja(notes_source, spec.notes_part, number, spec)

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
            if _binding_name(pic) != "prospect_logo":
                continue
            blip = pic.find(f".//{q('a:blip')}")
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

    def _text_compiler(self, root, part: str, number: int, shape_of) -> TextCompiler:
        return TextCompiler(root, part=part, slide=number, shape_of=shape_of, run_props=self.env.run_props,
                            east_asian_font=self.brand.kit.fonts.east_asian, source_file=self.label)

    def _jinja(self, source: PartSource | None, part: str, number: int, spec: SlideSpec) -> Compiled | None:
        if source is None:
            return None
        if source.directives and not part.startswith(("ppt/slides/", "ppt/notesSlides/")):
            raise TemplateError("{%slide%} directives belong on a slide or in its notes", file=self.label,
                                slide=number)
        filename = f"<deckgen:{part}>"
        try:
            tree = self.env.parse(source.source, filename=filename)
            code = self.env.compile(tree, filename=filename)
            template = self.env.template_class.from_code(self.env, code, self.env.make_globals(None))
        except TemplateSyntaxError as exc:
            loc = _location(source.locations, exc.lineno)
            raise TemplateError(_syntax_message(exc), file=self.label, slide=number, shape=loc.shape,
                                snippet=loc.text) from None
        except JinjaTemplateError as exc:  # e.g. an unknown filter or test
            loc = _location(source.locations, getattr(exc, "lineno", None))
            raise TemplateError(str(exc.message if hasattr(exc, "message") else exc), file=self.label,
                                slide=number, shape=loc.shape, snippet=loc.text) from None
        for name in meta.find_undeclared_variables(tree):
            if name.startswith("_") or name in ("namespace", "range"):
                continue
            allowed = CONTEXT_ROOTS | set(spec.loop[0] if spec.loop else [])
            if name not in allowed:
                loc = _find_name(source, name)
                raise TemplateError(_unknown_message(name), file=self.label, slide=number,
                                    shape=loc.shape if loc else None, snippet=loc.text if loc else None)
            if name in CONTEXT_ROOTS:
                self.variables.add(name)
        _collect_paths(tree, self.variables)
        return Compiled(template, source.locations, filename)

    def _directive(self, d, number: int, spec: SlideSpec) -> None:
        if spec.condition is not None or spec.loop is not None:
            raise TemplateError("a slide takes one {%slide …%} directive", file=self.label, slide=number,
                                shape=d.shape, snippet=d.text)
        spec.directive_text = d.text
        if d.kind == "if":
            spec.condition = self._expression(d.expression, number, d.shape)
            return
        m = _FOR_RE.match(d.expression)
        if not m:
            raise TemplateError("write {%slide for ITEM in LIST %}", file=self.label, slide=number, shape=d.shape,
                                snippet=d.text)
        targets = [t.strip() for t in m.group(1).split(",")]
        spec.loop = (targets, self._expression(m.group(2), number, d.shape))

    def _expression(self, source: str, number: int, shape: str):
        try:
            tree = self.env.parse("{{ %s }}" % source)
            names = meta.find_undeclared_variables(tree)
            expression = self.env.compile_expression(source, undefined_to_none=False)
        except TemplateSyntaxError as exc:
            raise TemplateError(_syntax_message(exc), file=self.label, slide=number, shape=shape,
                                snippet=source) from None
        for name in names:
            if name not in CONTEXT_ROOTS:
                raise TemplateError(_unknown_message(name), file=self.label, slide=number, shape=shape,
                                    snippet=source)
            self.variables.add(name)
        _collect_paths(tree, self.variables)
        return expression

    def _check_variables(self, slides: list[SlideSpec]) -> None:
        from deckgen.sales.context import unknown_path

        for path in sorted(self.variables):
            problem = unknown_path(path)
            if problem is None:
                continue
            for slide in slides:
                for comp in (slide.compiled, slide.notes_compiled,
                             *[c.compiled for c in slide.charts.values()]):
                    if comp is None:
                        continue
                    for loc in comp.locations:
                        if re.search(r"\b" + re.escape(path) + r"\b", loc.text):
                            raise TemplateError(problem, file=self.label, slide=slide.number, shape=loc.shape,
                                                snippet=loc.text)
            raise TemplateError(problem, file=self.label)


# --------------------------------------------------------------------------- helpers

def _binding_name(pic) -> str:
    c_nv = pic.find(f"{q('p:nvPicPr')}/{q('p:cNvPr')}")
    if c_nv is None:
        return ""
    for value in (c_nv.get("name", ""), c_nv.get("descr", "")):
        if value.strip() in PICTURE_BINDINGS:
            return value.strip()
    return ""


def _fit_xfrm(pic, width: int, height: int) -> None:
    xfrm = pic.find(f"{q('p:spPr')}/{q('a:xfrm')}")
    if xfrm is None:
        return
    off, ext = xfrm.find(q("a:off")), xfrm.find(q("a:ext"))
    x, y, cx, cy = fit_frame(int(off.get("x")), int(off.get("y")), int(ext.get("cx")), int(ext.get("cy")),
                             width, height)
    off.set("x", str(x)), off.set("y", str(y)), ext.set("cx", str(cx)), ext.set("cy", str(cy))
    src_rect = pic.find(f".//{q('a:srcRect')}")
    if src_rect is not None:
        src_rect.getparent().remove(src_rect)


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


def _location(locations: list[Location], lineno: int | None) -> Location:
    if lineno is None or not 0 < lineno <= len(locations):
        return Location("", "")
    return locations[lineno - 1]


def _syntax_message(exc: TemplateSyntaxError) -> str:
    msg = exc.message or "syntax error"
    if "No filter named" in msg:
        name = re.search(r"'([^']+)'", msg)
        known = ", ".join(["money", "number", "percent", "date", "join", "upper", "lower", "title", "default",
                           "round", "length", "first", "last"])
        return f"unknown filter {name.group(0) if name else ''} (filters: {known}, …)"
    return f"template syntax error: {msg}"


def _unknown_message(name: str) -> str:
    from difflib import get_close_matches

    close = get_close_matches(name, sorted(CONTEXT_ROOTS), n=1)
    hint = f" — did you mean '{close[0]}'?" if close else ""
    return f"unknown variable '{name}'{hint}"


def _find_name(source: PartSource, name: str) -> Location | None:
    for loc in source.locations:
        if re.search(r"\b" + re.escape(name) + r"\b", loc.text):
            return loc
    return None


def _collect_paths(tree, out: set[str]) -> None:
    """Add dotted paths like ``prospect.company`` used from context roots."""
    for node in tree.find_all(nodes.Getattr):
        parts = []
        cur = node
        while isinstance(cur, nodes.Getattr):
            parts.append(cur.attr)
            cur = cur.node
        if isinstance(cur, nodes.Name) and cur.name in CONTEXT_ROOTS and cur.ctx == "load":
            out.add(".".join([cur.name] + list(reversed(parts))))


def deck_content_type(ct: str) -> str:
    return _MAIN_TYPES.get(ct, ct)


if sys.version_info < (3, 11):  # pragma: no cover
    raise RuntimeError("deckgen needs Python 3.11 or newer")

__all__ = ["CompiledTemplate", "compile_template", "resolve_template", "list_template_names", "TemplateSpec",
           "rels_xml", "read_rels", "Rel", "NS", "Member", "RT_IMAGE"]
