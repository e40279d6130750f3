"""What a slide's text frames inherit: slide size, text defaults, layout and master placeholders."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from deckgen.engine.opc import RT, parse_xml, q, rels_name, resolve_target

DEFAULT_SIZE = 1800  # hundredths of a point, when nothing sets a size
_MASTER_STYLE = {
    "title": "p:titleStyle",
    "ctrTitle": "p:titleStyle",
    "dt": "p:otherStyle",
    "ftr": "p:otherStyle",
    "sldNum": "p:otherStyle",
    "hdr": "p:otherStyle",
}
_SPC_PCT, _SPC_PTS, _BU_NONE, _DEF_RPR = (q(t) for t in ("a:spcPct", "a:spcPts", "a:buNone", "a:defRPr"))
_SPACING_TAGS = {q("a:lnSpc"): "lnSpc", q("a:spcBef"): "spcBef", q("a:spcAft"): "spcAft"}
_BULLETS = {q("a:buChar"), q("a:buAutoNum"), q("a:buBlip")}
_FONT_TAGS = {q("a:latin"): "latin", q("a:ea"): "ea"}
_BODY_PR = f"{q('p:txBody')}/{q('a:bodyPr')}"
_LST_STYLE = f"{q('p:txBody')}/{q('a:lstStyle')}"


def int_attr(value: str | None, default: int = 0) -> int:
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default


def _spacing(el) -> tuple[str, float] | None:
    """``a:lnSpc``/``a:spcBef``/``a:spcAft`` → ('pct', 1.05) or ('pts', 18.0)."""
    for child in el:
        if child.tag == _SPC_PCT:
            return "pct", int_attr(child.get("val"), 100000) / 100000
        if child.tag == _SPC_PTS:
            return "pts", int_attr(child.get("val")) / 100
    return None


def run_props(rpr) -> dict:
    props: dict = {}
    if rpr is None:
        return props
    attrib = rpr.attrib
    if "sz" in attrib:
        props["sz"] = int_attr(attrib["sz"], DEFAULT_SIZE)
    for attr in ("b", "i"):
        if attr in attrib:
            props[attr] = attrib[attr] in ("1", "true")
    if attrib.get("cap"):
        props["cap"] = attrib["cap"]
    if "spc" in attrib:
        props["spc"] = int_attr(attrib["spc"])
    for child in rpr:
        key = _FONT_TAGS.get(child.tag)
        if key and child.get("typeface"):
            props[key] = child.get("typeface")
    return props


def para_props(ppr, with_defaults: bool) -> dict:
    """Paragraph properties of an ``a:pPr`` or ``a:lvlNpPr``; a list level's ``a:defRPr`` too."""
    props: dict = {}
    if ppr is None:
        return props
    attrib = ppr.attrib
    for attr in ("marL", "marR", "indent"):
        if attr in attrib:
            props[attr] = int_attr(attrib[attr])
    for child in ppr:
        tag = child.tag
        key = _SPACING_TAGS.get(tag)
        if key is not None:
            value = _spacing(child)
            if value is not None:
                props[key] = value
        elif tag == _BU_NONE:
            props["bullet"] = False
        elif tag in _BULLETS:
            props["bullet"] = True
        elif with_defaults and tag == _DEF_RPR:
            props.update(run_props(child))
    return props


_NO_LEVELS: list[dict] = [{} for _ in range(9)]  # shared: never modified


def _levels(lst) -> list[dict]:
    """The nine list levels of an ``a:lstStyle`` (or a master's title/body/other style)."""
    if lst is None or len(lst) == 0:
        return _NO_LEVELS
    base = para_props(lst.find(q("a:defPPr")), True)
    return [{**base, **para_props(lst.find(q(f"a:lvl{n}pPr")), True)} for n in range(1, 10)]


def _merge(*chains: list[dict]) -> list[dict]:
    chains = tuple(c for c in chains if c is not _NO_LEVELS)
    if len(chains) == 1:
        return chains[0]
    return [{k: v for chain in chains for k, v in chain[n].items()} for n in range(9)]


def _ph(sp) -> tuple[str, str | None] | None:
    ph = sp.find(f"./*/{q('p:nvPr')}/{q('p:ph')}")
    return None if ph is None else (ph.get("type", "obj"), ph.get("idx"))


def _find_placeholder(root, kind: str, idx: str | None, by_type_only: bool):
    if root is None:
        return None
    shapes = [(sp, _ph(sp)) for sp in root.iter(q("p:sp"))]
    shapes = [(sp, key) for sp, key in shapes if key is not None]
    if idx is not None and not by_type_only:
        for sp, key in shapes:
            if key[1] == idx:
                return sp
    wanted = {"ctrTitle": "title", "subTitle": "body", "obj": "body"}.get(kind, kind) if by_type_only else kind
    for sp, key in shapes:
        if key[0] == kind or key[0] == wanted:
            return sp
    return None


@dataclass
class _Box:
    x: int
    y: int
    cx: int
    cy: int


def _xfrm(sp) -> _Box | None:
    xfrm = sp.find(f"{q('p:spPr')}/{q('a:xfrm')}")
    if xfrm is None:
        return None
    off, ext = xfrm.find(q("a:off")), xfrm.find(q("a:ext"))
    if ext is None:
        return None
    return _Box(
        int_attr(off.get("x")) if off is not None else 0,
        int_attr(off.get("y")) if off is not None else 0,
        int_attr(ext.get("cx")),
        int_attr(ext.get("cy")),
    )


def _in_groups(sp, box: _Box) -> _Box:
    """Map a box from its groups' child coordinates onto the slide."""
    node = sp.getparent()
    while node is not None and node.tag == q("p:grpSp"):
        xfrm = node.find(f"{q('p:grpSpPr')}/{q('a:xfrm')}")
        if xfrm is not None:
            off, ext = xfrm.find(q("a:off")), xfrm.find(q("a:ext"))
            ch_off, ch_ext = xfrm.find(q("a:chOff")), xfrm.find(q("a:chExt"))
            if None not in (off, ext, ch_off, ch_ext):
                sx = int_attr(ext.get("cx")) / max(int_attr(ch_ext.get("cx")), 1)
                sy = int_attr(ext.get("cy")) / max(int_attr(ch_ext.get("cy")), 1)
                box = _Box(
                    round(int_attr(off.get("x")) + (box.x - int_attr(ch_off.get("x"))) * sx),
                    round(int_attr(off.get("y")) + (box.y - int_attr(ch_off.get("y"))) * sy),
                    round(box.cx * sx),
                    round(box.cy * sy),
                )
        node = node.getparent()
    return box


class DeckStyles:
    """What a slide's text frames inherit: slide size, text defaults, layout and master placeholders.

    ``read(part)`` returns a part's bytes or None; parts are parsed once. ``parsed`` holds parts
    the caller has parsed already (by name), so they are not parsed again.
    """

    def __init__(
        self, read: Callable[[str], bytes | None], presentation_part: str, parsed: dict[str, object] | None = None
    ) -> None:
        self._read = read
        self._roots: dict[str, object] = dict(parsed or {})
        pres = self.root(presentation_part)
        size = pres.find(q("p:sldSz")) if pres is not None else None
        self.slide_width = int_attr(size.get("cx"), 12192000) if size is not None else 12192000
        self.slide_height = int_attr(size.get("cy"), 6858000) if size is not None else 6858000
        self._default_style = pres.find(q("p:defaultTextStyle")) if pres is not None else None
        self.default_levels = _levels(self._default_style)
        self._rels: dict[str, dict[str, str]] = {}
        self._inherited: dict[tuple, tuple] = {}

    def default_fonts(self) -> list:
        """The ``a:latin``/``a:ea`` elements of the presentation's default text style."""
        style = self._default_style
        return [] if style is None else list(style.iter(q("a:latin"), q("a:ea")))

    def root(self, part: str | None):
        if part is None:
            return None
        if part not in self._roots:
            data = self._read(part)
            self._roots[part] = parse_xml(data, part) if data is not None else None
        return self._roots[part]

    def related(self, part: str, kind: str) -> str | None:
        """The part ``part`` points to with a relationship of type ``kind`` (e.g. slideLayout)."""
        if part not in self._rels:
            found: dict[str, str] = {}
            rels = self.root(rels_name(part))
            if rels is not None:
                for rel in rels:
                    if rel.get("TargetMode") != "External" and rel.get("Type", "").startswith(RT):
                        found.setdefault(rel.get("Type")[len(RT) :], resolve_target(part, rel.get("Target", "")))
            self._rels[part] = found
        return self._rels[part].get(kind)

    def theme_fonts(self, slide_part: str) -> dict[str, str]:
        """``+mj-lt``/``+mn-lt``/``+mj-ea``/``+mn-ea`` → typefaces, from the slide master's theme."""
        layout = self.related(slide_part, "slideLayout")
        master = self.related(layout, "slideMaster") if layout else None
        theme = self.root(self.related(master, "theme")) if master else None
        fonts: dict[str, str] = {}
        scheme = theme.find(f".//{q('a:fontScheme')}") if theme is not None else None
        for tag, prefix in (("a:majorFont", "+mj"), ("a:minorFont", "+mn")):
            group = scheme.find(q(tag)) if scheme is not None else None
            for script, suffix in (("a:latin", "-lt"), ("a:ea", "-ea")):
                el = group.find(q(script)) if group is not None else None
                if el is not None and el.get("typeface"):
                    fonts[prefix + suffix] = el.get("typeface")
        return fonts

    def frame_style(self, sp, slide_part: str) -> FrameStyle:
        """Where shape ``sp`` sits and the body and list styles its text inherits."""
        own_body = sp.find(_BODY_PR)
        own_levels = _levels(sp.find(_LST_STYLE))
        box = _xfrm(sp)
        key = _ph(sp)
        if key is None:
            return FrameStyle(
                _in_groups(sp, box) if box else None, [own_body], _merge(self.default_levels, own_levels), own_levels
            )
        layout = self.related(slide_part, "slideLayout")
        inherited_box, bodies, levels = self._placeholder(layout, *key)
        box = box or inherited_box
        return FrameStyle(
            _in_groups(sp, box) if box else None, bodies + [own_body], _merge(levels, own_levels), own_levels
        )

    def _placeholder(self, layout: str | None, kind: str, idx: str | None) -> tuple:
        """What a placeholder inherits from its layout and master: (box, bodyPr elements, list levels)."""
        key = (layout, kind, idx)
        if key not in self._inherited:
            master = self.related(layout, "slideMaster") if layout else None
            master_root = self.root(master)
            styles = (
                master_root.find(f"{q('p:txStyles')}/{q(_MASTER_STYLE.get(kind, 'p:bodyStyle'))}")
                if master_root is not None
                else None
            )
            levels, bodies, box = [_levels(styles)], [], None
            for inherited in (
                _find_placeholder(master_root, kind, idx, True),
                _find_placeholder(self.root(layout), kind, idx, False),
            ):
                if inherited is not None:
                    levels.append(_levels(inherited.find(_LST_STYLE)))
                    bodies.append(inherited.find(_BODY_PR))
                    box = _xfrm(inherited) or box
            self._inherited[key] = (box, bodies, _merge(*levels))
        return self._inherited[key]


@dataclass
class FrameStyle:
    box: _Box | None  # on the slide
    bodies: list  # a:bodyPr elements, from the least to the most specific
    levels: list[dict]  # the nine list levels, merged
    own_levels: list[dict]  # the shape's own lstStyle


# --------------------------------------------------------------------------- laying text out
