"""Master and layout graphics that collide with a slide, and logos that barely stand out.

A corporate slide master often carries a logo or a coloured band. On a slide whose own text box,
picture, chart or table sits where that graphic is, every deck shows the two on top of each other;
a logo made for light backgrounds disappears on a dark title slide. :func:`graphics_warnings` finds
both, once per template, from the parts as compiled (branded theme, brand logos in their slots):

- a picture or filled shape on the slide master or a layout (not a placeholder, not a full-slide
  background covering about 90 % of the slide) whose box overlaps a content shape of a slide by
  more than a few per cent of the smaller box;
- a logo (a picture named ``logo``/``logo_dark``, or a small picture on a master or layout) whose opaque
  pixels' mean luminance is under 3:1 against the colour under it: the filled shape behind it, else
  the slide's, layout's or master's background.

Slides that share a finding are named in one warning. Measuring a logo means decoding it; a
:class:`LuminanceCache` keeps what was measured between runs (the engine does no caching I/O itself).
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Protocol

from deckgen.engine.colours import NO_FILL, Palette, colour_map, luminance, picture_luminance, ratio, theme_scheme
from deckgen.engine.media import Picture, binding_name
from deckgen.engine.opc import RT_LAYOUT, RT_MASTER, RT_THEME, Package, parse_xml, q, read_rels
from deckgen.engine.placeholders import inherited_xfrm
from deckgen.errors import LogoContrastWarning, OverlapWarning, SlideWarning, TemplateError

LOGO_CONTRAST = 3.0  # WCAG 2's floor for graphics that carry meaning; a logo below it barely shows
BACKGROUND_SHARE = 0.9  # a graphic covering this much of the slide is its background
OVERLAP_SHARE = 0.03  # overlaps under this share of the smaller box are ignored
LOGO_SHARE = 0.25  # a picture on a master or layout larger than this share of the slide is not a logo
_UNDER_SHARE = 0.5  # a shape covering this much of a logo's box is what the logo sits on
_DEFAULT_SIZE = (12192000, 6858000)
_SELECTION_PANE = "Home › Arrange › Selection Pane"
_TOP_LEVEL = tuple(q(t) for t in ("p:sp", "p:pic", "p:graphicFrame", "p:grpSp", "p:cxnSp"))


class LuminanceCache(Protocol):
    """Where measured picture luminances are kept between runs, by the SHA-256 (hex) of the image bytes.

    ``load(digest)`` returns what ``store(digest, value)`` was given, or None when nothing is kept;
    ``value`` is a 1-tuple holding the luminance, or None for a picture that is not measured.
    """

    def load(self, digest: str) -> tuple[float | None] | None: ...

    def store(self, digest: str, value: tuple[float | None]) -> None: ...


@dataclass
class _Shape:
    el: object
    name: str
    tag: str  # sp | pic | graphicFrame | grpSp | cxnSp
    box: tuple[int, int, int, int] | None
    placeholder: bool
    fill: str | None  # RRGGBB, NO_FILL, or None (not one colour)

    @property
    def content(self) -> bool:
        """Something a reader reads: text, a picture, a chart or table (or a group holding one)."""
        if self.tag in ("pic", "graphicFrame"):
            return True
        if self.tag == "grpSp" and any(True for _ in self.el.iter(q("p:pic"), q("p:graphicFrame"))):
            return True
        return any((t.text or "").strip() for t in self.el.iter(q("a:t")))

    @property
    def graphic(self) -> bool:
        """A picture or a filled shape, or a group holding a picture."""
        if self.tag == "pic" or (self.tag == "sp" and self.fill != NO_FILL):
            return True
        return self.tag == "grpSp" and any(True for _ in self.el.iter(q("p:pic")))


@dataclass
class _Layer:
    """One part as a slide shows it: its shapes in z-order, and whether it shows the master's shapes."""

    part: str
    root: object
    shapes: list[_Shape]
    shows_master: bool
    where: str  # 'the slide master', "layout 'Title Only'", 'the slide'


def graphics_warnings(
    pkg: Package,
    replaced: Mapping[str, bytes],
    added: Mapping[str, bytes],
    slides: list[tuple[int, str]],
    logos: Mapping[str, Picture | None],
    label: str,
    slide_size: tuple[int, int] | None = None,
    luminance_cache: LuminanceCache | None = None,
) -> list[SlideWarning]:
    """Overlap and logo-contrast warnings for the template's ``slides`` (number, part), one per finding.

    ``replaced``/``added`` are parts as compiled (branded theme, logos placed); ``logos`` the brand's
    ``logo``/``logo_dark`` pictures, which replace pictures of those names. ``luminance_cache``, when
    given, spares decoding a picture measured in an earlier run.
    """
    finder = _Finder(pkg, replaced, added, logos, label, slide_size or _DEFAULT_SIZE)
    finder.cache = luminance_cache
    return finder.run(slides)


class _Finder:
    cache: LuminanceCache | None = None

    def __init__(self, pkg, replaced, added, logos, label: str, size: tuple[int, int]) -> None:
        self.pkg, self.replaced, self.added, self.logos, self.label = pkg, replaced, added, logos, label
        self.area = size[0] * size[1]
        self.found: dict[tuple, list[int]] = {}  # (class, message, shape) -> slide numbers
        self.luminance: dict[str, float | None] = {}
        self.roots: dict[str, object] = {}  # parsed parts: a layout and its master serve many slides

    def _read(self, part: str) -> bytes | None:
        for source in (self.replaced, self.added):
            if part in source:
                return source[part]
        return self.pkg.read(part) if part in self.pkg else None

    def _root(self, part: str):
        if part not in self.roots:
            self.roots[part] = parse_xml(self._read(part), part, self.label)
        return self.roots[part]

    def _parent(self, part: str, kind: str) -> str | None:
        rel = next((r for r in read_rels(self.pkg, self.replaced, part) if r.type == kind and not r.external), None)
        return rel.target if rel is not None and self._read(rel.target) is not None else None

    def run(self, slides: list[tuple[int, str]]) -> list[SlideWarning]:
        for number, part in slides:
            layout = self._parent(part, RT_LAYOUT)
            master = self._parent(layout, RT_MASTER) if layout else None
            if layout is None or master is None:
                continue
            theme = self._parent(master, RT_THEME)
            try:
                roots = {p: self._root(p) for p in (part, layout, master)}
                scheme = theme_scheme(self._root(theme)) if theme else {}
            except TemplateError:
                continue  # a part that does not parse: compiling or ``deckgen check`` reports it, not this advice
            clr = colour_map(roots[master], {})
            for p in (layout, part):
                clr = colour_map(roots[p], clr)
            palette = Palette(scheme, clr)
            c_sld = roots[layout].find(q("p:cSld"))
            layout_name = c_sld.get("name", "") if c_sld is not None else ""
            layers = [
                self._layer(master, roots[master], palette, "the slide master"),
                self._layer(layout, roots[layout], palette, f"layout '{layout_name}'"),
                self._layer(part, roots[part], palette, "the slide"),
            ]
            self._overlaps(number, layers)
            self._logos(number, layers, palette)
        return [
            cls(message, slides=numbers, shape=shape, file=self.label)
            for (cls, message, shape), numbers in self.found.items()
        ]

    def _layer(self, part: str, root, palette: Palette, where: str) -> _Layer:
        tree = root.find(f"{q('p:cSld')}/{q('p:spTree')}")
        rels = read_rels(self.pkg, self.replaced, part)
        shapes = []
        for el in tree if tree is not None else ():
            if el.tag not in _TOP_LEVEL:
                continue
            c_nv = next(iter(el.iter(q("p:cNvPr"))), None)
            if c_nv is None or c_nv.get("hidden") in ("1", "true"):
                continue
            tag = el.tag.rsplit("}", 1)[-1]
            placeholder = el.find(f"./*/{q('p:nvPr')}/{q('p:ph')}") is not None
            box = _box(el)
            if box is None and placeholder:
                box = _xfrm_box(inherited_xfrm(el, rels, self.pkg, self.replaced, self.label))
            sp_pr = el.find(q("p:spPr"))
            fill = palette.fill(sp_pr, el.find(q("p:style"))) if tag == "sp" else None
            shapes.append(_Shape(el, c_nv.get("name", ""), tag, box, placeholder, fill))
        return _Layer(part, root, shapes, root.get("showMasterSp") not in ("0", "false"), where)

    # ------------------------------------------------------------------ overlaps
    def _overlaps(self, number: int, layers: list[_Layer]) -> None:
        master, layout, slide = layers
        shown = [layout] if slide.shows_master else []
        if slide.shows_master and layout.shows_master:
            shown.insert(0, master)
        content = [s for s in slide.shapes if s.box and s.content]
        for layer in shown:
            for graphic in layer.shapes:
                if graphic.placeholder or not graphic.box or not graphic.graphic:
                    continue
                if _area(graphic.box) >= BACKGROUND_SHARE * self.area:
                    continue
                what = "picture" if graphic.tag == "pic" else "shape"
                for shape in content:
                    if _overlap_share(graphic.box, shape.box) < OVERLAP_SHARE:
                        continue
                    message = (
                        f"the {what} '{graphic.name}' on {layer.where} covers part of this shape in every deck: "
                        f"move the shape, use a layout without the {what}, or delete it from {layer.where} "
                        "(View › Slide Master)"
                    )
                    self.found.setdefault((OverlapWarning, message, shape.name), []).append(number)

    # ------------------------------------------------------------------ logo contrast
    def _logos(self, number: int, layers: list[_Layer], palette: Palette) -> None:
        master, layout, slide = layers
        visible = [slide]
        if slide.shows_master:
            visible.append(layout)
            if layout.shows_master:
                visible.append(master)
        for depth, layer in enumerate(visible):
            for index, shape in enumerate(layer.shapes):
                if shape.tag != "pic" or shape.placeholder or not shape.box:
                    continue
                binding = binding_name(shape.el)
                if binding not in ("logo", "logo_dark"):  # on a master or layout, any small picture is a logo
                    if layer is slide or _area(shape.box) > LOGO_SHARE * self.area:
                        continue
                below = [(layer, layer.shapes[:index])] + [(v, v.shapes) for v in visible[depth + 1 :]]
                background = self._under(shape.box, below, slide, palette, [slide, layout, master])
                if background is None:
                    continue  # not one colour under it: nothing to measure the logo against
                logo = self._picture_luminance(layer.part, shape, binding)
                if logo is None:
                    continue
                contrast = ratio(logo, luminance(background))
                if contrast >= LOGO_CONTRAST:
                    continue
                message = _contrast_message(binding, shape.name, layer.where, contrast, background)
                self.found.setdefault((LogoContrastWarning, message, shape.name), []).append(number)

    def _under(self, box, below, slide: _Layer, palette: Palette, chain: list[_Layer]) -> str | None:
        """The colour under ``box``: the topmost shape covering most of it, else the nearest background."""
        for layer, shapes in below:
            for shape in reversed(shapes):
                if not shape.box or (shape.placeholder and layer is not slide):
                    continue  # a layout's or master's placeholders are not drawn on slides
                if _intersection(box, shape.box) < _UNDER_SHARE * _area(box):
                    continue
                if shape.tag == "pic":
                    return None  # a logo on a photo: not one colour to measure against
                if shape.tag == "sp" and shape.fill != NO_FILL:
                    return shape.fill
        for layer in chain:  # backgrounds are inherited whatever showMasterSp says
            value = palette.background(layer.root)
            if value is not False:
                return value
        return "FFFFFF"

    def _picture_luminance(self, part: str, shape: _Shape, binding: str) -> float | None:
        brand = self.logos.get(binding) if binding in ("logo", "logo_dark") else None
        if brand is not None:
            key, data = f"brand:{binding}", brand.data
        else:
            blip = shape.el.find(f".//{q('a:blip')}")
            rid = blip.get(q("r:embed")) if blip is not None else None
            rel = next((r for r in read_rels(self.pkg, self.replaced, part) if r.rid == rid and not r.external), None)
            if rel is None:
                return None
            key, data = rel.target, None
        if key not in self.luminance:
            data = data if data is not None else self._read(key)
            self.luminance[key] = self._measure(data) if data else None
        return self.luminance[key]

    def _measure(self, data: bytes) -> float | None:
        if self.cache is None:
            return picture_luminance(data)
        digest = hashlib.sha256(data).hexdigest()
        kept = self.cache.load(digest)
        if kept is not None:
            return kept[0]
        value = picture_luminance(data)
        self.cache.store(digest, (value,))
        return value


def slide_size(pres) -> tuple[int, int] | None:
    """The presentation's slide size in EMU (``p:sldSz``), or None when it is missing or unreadable."""
    el = pres.find(q("p:sldSz")) if pres is not None else None
    cx, cy = (el.get("cx", ""), el.get("cy", "")) if el is not None else ("", "")
    return (int(cx), int(cy)) if cx.isdigit() and cy.isdigit() and int(cx) and int(cy) else None


def _contrast_message(binding: str, name: str, where: str, contrast: float, background: str) -> str:
    dark = luminance(background) < 0.18  # WCAG's crossover: white and black text read equally well here
    what = {"logo": "the logo", "logo_dark": "the dark-background logo"}.get(
        binding, f"the picture '{name}' on {where}"
    )
    head = f"{what} barely stands out from its background here ({contrast:.1f}:1 against #{background}; aim for 3:1)"
    wanted, kind = ("logo_dark", "dark-background") if dark else ("logo", "light-background")
    if binding == wanted:
        shade = "light" if dark else "dark"
        return f"{head}: give the brand kit a {shade}er {wanted} ({kind} logo), or change the background"
    pane = _SELECTION_PANE if binding in ("logo", "logo_dark") else f"{_SELECTION_PANE} (View › Slide Master)"
    return (
        f"{head}: name the picture {wanted} in {pane} so deckgen places the brand kit's {kind} logo there, "
        "or change the background"
    )


def _xfrm_box(xfrm) -> tuple[int, int, int, int] | None:
    if xfrm is None:
        return None
    off, ext = xfrm.find(q("a:off")), xfrm.find(q("a:ext"))
    if off is None or ext is None:
        return None
    try:
        return int(off.get("x")), int(off.get("y")), int(ext.get("cx")), int(ext.get("cy"))
    except (TypeError, ValueError):
        return None


def _box(el) -> tuple[int, int, int, int] | None:
    for path in (f"{q('p:spPr')}/{q('a:xfrm')}", f"{q('p:grpSpPr')}/{q('a:xfrm')}", q("p:xfrm")):
        xfrm = el.find(path)
        if xfrm is not None:
            return _xfrm_box(xfrm)
    return None


def _area(box) -> int:
    return max(0, box[2]) * max(0, box[3])


def _intersection(a, b) -> int:
    w = min(a[0] + a[2], b[0] + b[2]) - max(a[0], b[0])
    h = min(a[1] + a[3], b[1] + b[3]) - max(a[1], b[1])
    return w * h if w > 0 and h > 0 else 0


def _overlap_share(a, b) -> float:
    smaller = min(_area(a), _area(b))
    return _intersection(a, b) / smaller if smaller else 0.0


__all__ = ["BACKGROUND_SHARE", "LOGO_CONTRAST", "OVERLAP_SHARE", "LuminanceCache", "graphics_warnings", "slide_size"]
