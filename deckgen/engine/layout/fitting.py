"""Text that always fits its box: measure text frames the way PowerPoint lays them out.

A text frame is laid out like PowerPoint does it: the box (``a:xfrm``, inherited from the layout
and master for placeholders) less its insets, greedy word wrap at spaces (a word longer than a
line breaks between characters; CJK text breaks between any two characters), explicit line
breaks, bullet indents, line spacing (``spcPct`` of 1.2 × the font size, or ``spcPts``) and
space before/after. Character advances come from FreeType (Pillow) with the brand kit's font
files, else the metric-compatible fonts bundled in ``deckgen/fonts`` (Carlito for Calibri,
Liberation Sans for Arial), else an installed font of that family; CJK characters use the
east-asian font when one is found and one em otherwise.

While a deck renders, :class:`SlideFitter` measures every text frame that held template tags
and applies the template's policy (``fit`` in template.yaml, overridable per run through
``CompiledTemplate.fit_policy``): ``shrink`` scales the frame's font sizes down in 5 % steps to
``min_font_size`` and records a :class:`Shrink`, failing if even that is not enough; ``fail``
raises :class:`~deckgen.errors.TextOverflowError` naming the slide, the shape and the tag;
``ignore`` measures nothing. ``deckgen check`` measures every frame of any deck the same way.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from lxml import etree
from PIL import ImageFont

from deckgen.engine.text import TAG_RE, own_name
from deckgen.engine.xmlutil import RT, parse_xml, q, rels_name, resolve_target, to_bytes
from deckgen.errors import InputError, TextOverflowError

POLICIES = ("shrink", "fail", "ignore")
EMU_PER_PT = 12700
PT_PER_IN = 72
SHRINK_STEP = 0.05  # each step takes 5 % of the original size off every run of the frame
# PowerPoint's single line spacing, as a multiple of the font size (LibreOffice lays PPTX text out the same way,
# whatever the font). Descenders stay inside that line box, so a frame fits when its line boxes do.
LINE_HEIGHT = 1.2
TOLERANCE_PT = 0.5
DEFAULT_SIZE = 1800  # hundredths of a point, when nothing sets a size
FONTS_DIR = Path(__file__).resolve().parents[2] / "fonts"

_MAX_RESULTS = 128  # rendered slides remembered per template (keeps memory flat over a batch)
_UNITS = 1000  # fonts are loaded at this many pixels per em: advances come back in thousandths of an em
_DEFAULT_INSETS = (91440, 91440, 45720, 45720)  # left, right, top, bottom (EMU)
_BUNDLED = {
    ("carlito", False): "Carlito-Regular.ttf", ("carlito", True): "Carlito-Bold.ttf",
    ("liberation sans", False): "LiberationSans-Regular.ttf", ("liberation sans", True): "LiberationSans-Bold.ttf",
}
METRIC_COMPATIBLE = {"calibri": "carlito", "arial": "liberation sans", "helvetica": "liberation sans",
                     "arimo": "liberation sans", "helvetica neue": "liberation sans"}
FALLBACK_FAMILY = "carlito"
_CJK_FALLBACKS = ("Noto Sans CJK SC", "Noto Sans CJK TC", "Noto Sans CJK JP", "Noto Sans CJK KR")
_CJK_RANGES = ("\u1100-\u11ff\u2e80-\u9fff\ua960-\ua97f\uac00-\ud7af\uf900-\ufaff\ufe30-\ufe4f"
               "\uff00-\uffef\U00020000-\U0003ffff")
_CJK_RE = re.compile(f"[{_CJK_RANGES}]")
_SPACES = " \t\u3000"
_PIECE_RE = re.compile(f"(?P<space>[{_SPACES}]+)|(?P<cjk>[{_CJK_RANGES}])|(?P<word>[^{_SPACES}{_CJK_RANGES}]+)")
_TAB_SPACES = 4  # a tab is measured as four spaces (tab stops are not modelled)
_VERTICAL = ("vert", "vert270", "wordArtVert", "eaVert", "mongolianVert", "wordArtVertRtl")
_MASTER_STYLE = {"title": "p:titleStyle", "ctrTitle": "p:titleStyle", "dt": "p:otherStyle",
                 "ftr": "p:otherStyle", "sldNum": "p:otherStyle", "hdr": "p:otherStyle"}
_FOR_RE = re.compile(r"\{%-?\s*for\s+.+?\s+in\s+(.+?)\s*-?%\}", re.S)
_R, _FLD, _BR, _T, _RPR, _PPR, _END = (q(t) for t in ("a:r", "a:fld", "a:br", "a:t", "a:rPr", "a:pPr",
                                                "a:endParaRPr"))
_SPC_PCT, _SPC_PTS, _BU_NONE, _DEF_RPR = (q(t) for t in ("a:spcPct", "a:spcPts", "a:buNone", "a:defRPr"))
_SPACING_TAGS = {q("a:lnSpc"): "lnSpc", q("a:spcBef"): "spcBef", q("a:spcAft"): "spcAft"}
_BULLETS = {q("a:buChar"), q("a:buAutoNum"), q("a:buBlip")}
_FONT_TAGS = {q("a:latin"): "latin", q("a:ea"): "ea"}
_BODY_PR = f"{q('p:txBody')}/{q('a:bodyPr')}"
_LST_STYLE = f"{q('p:txBody')}/{q('a:lstStyle')}"


# --------------------------------------------------------------------------- fonts

class _Face:
    """One font file, loaded once; character advances in ems, cached per character."""

    def __init__(self, path: Path, index: int) -> None:
        self.path = path
        self.font = ImageFont.truetype(str(path), _UNITS, index=index, layout_engine=ImageFont.Layout.BASIC)
        self.widths: dict[str, float] = {}

    def advance(self, ch: str) -> float:
        width = self.widths.get(ch)
        if width is None:
            width = self.widths[ch] = self.font.getlength(ch) / _UNITS
        return width

    def ems(self, text: str) -> float:
        """The advance of ``text`` in ems (kerning ignored: text is never measured narrower than it is)."""
        widths = self.widths
        total = 0.0
        for ch in text:
            width = widths.get(ch)
            total += width if width is not None else self.advance(ch)
        return total


_FACES: dict[tuple[str, int], _Face] = {}


def _face(path: Path, index: int = 0) -> _Face:
    key = (str(path), index)
    face = _FACES.get(key)
    if face is None:
        face = _FACES[key] = _Face(path, index)
    return face


@lru_cache(maxsize=256)
def installed_font(family: str, bold: bool = False) -> tuple[str, int] | None:
    """(file, face index) of the installed font of exactly this family (fontconfig), or None."""
    exe = shutil.which("fc-match")
    if not exe:
        return None
    pattern = family.replace("-", r"\-").replace(":", r"\:") + (":bold" if bold else "")
    try:
        out = subprocess.run([exe, "-f", "%{family}\n%{file}\n%{index}", pattern], capture_output=True,
                             timeout=10, check=False).stdout.decode("utf-8", "replace").split("\n")
    except (OSError, subprocess.SubprocessError):
        return None
    if len(out) < 3 or family.lower() not in [f.strip().lower() for f in out[0].split(",")]:
        return None
    try:
        return out[1], int(out[2] or 0)
    except ValueError:
        return None


@dataclass(frozen=True)
class FontChoice:
    """The file a typeface is measured with, and where it came from."""

    family: str
    path: Path | None  # None: no file; CJK characters count one em, others as the fallback font
    index: int
    source: str  # brand, bundled, metric-compatible, installed, fallback


class FontBook:
    """Finds the font file to measure a typeface with: the brand kit's files, then deckgen's bundled
    fonts (by name or metric-compatible alias), then an installed font of that family, then Carlito.
    """

    def __init__(self, files: Iterable[Path] = ()) -> None:
        self._brand: dict[tuple[str, bool, bool], Path] = {}
        for path in files:
            try:
                family, style = ImageFont.truetype(str(path), 12).getname()
            except OSError:
                continue
            style = (style or "").lower()
            key = ((family or "").lower(), "bold" in style, "italic" in style or "oblique" in style)
            self._brand.setdefault(key, path)
        self._choices: dict[tuple[str, bool, bool, bool], FontChoice] = {}

    def choose(self, family: str, bold: bool = False, italic: bool = False, *, east_asian: bool = False
               ) -> FontChoice:
        """The file for ``family`` in that style (styles the files lack fall back to regular)."""
        key = (family, bold, italic, east_asian)
        choice = self._choices.get(key)
        if choice is None:
            choice = self._choices[key] = self._find(family, bold, italic, east_asian)
        return choice

    def _find(self, family: str, bold: bool, italic: bool, east_asian: bool) -> FontChoice:
        name = family.strip().lower()
        for style in ((bold, italic), (bold, False), (False, False)):
            path = self._brand.get((name, *style))
            if path is not None:
                return FontChoice(family, path, 0, "brand")
        for wanted, source in ((name, "bundled"), (METRIC_COMPATIBLE.get(name), "metric-compatible")):
            if wanted and (wanted, False) in _BUNDLED:
                return FontChoice(family, FONTS_DIR / _BUNDLED[(wanted, bold)], 0, source)
        found = installed_font(family.strip(), bold) if family.strip() else None
        if found is not None:
            return FontChoice(family, Path(found[0]), found[1], "installed")
        if east_asian:
            for other in _CJK_FALLBACKS:
                found = installed_font(other, bold)
                if found is not None:
                    return FontChoice(family, Path(found[0]), found[1], "fallback")
            return FontChoice(family, None, 0, "fallback")
        return FontChoice(family, FONTS_DIR / _BUNDLED[(FALLBACK_FAMILY, bold)], 0, "fallback")

    def face(self, family: str, bold: bool, italic: bool, *, east_asian: bool = False) -> _Face | None:
        """The loaded face for ``family`` (a file that will not load is measured as the fallback font)."""
        choice = self.choose(family, bold, italic, east_asian=east_asian)
        if choice.path is None:
            return None
        try:
            return _face(choice.path, choice.index)
        except OSError:
            fallback = FontChoice(family, FONTS_DIR / _BUNDLED[(FALLBACK_FAMILY, bold)], 0, "fallback")
            self._choices[(family, bold, italic, east_asian)] = fallback
            return _face(fallback.path)


def is_cjk(ch: str) -> bool:
    """True for characters PowerPoint sets in the east-asian font (Han, kana, Hangul, full-width forms)."""
    return bool(_CJK_RE.match(ch))


# --------------------------------------------------------------------------- inherited styles

def _int(value: str | None, default: int = 0) -> int:
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default


def _spacing(el) -> tuple[str, float] | None:
    """``a:lnSpc``/``a:spcBef``/``a:spcAft`` → ('pct', 1.05) or ('pts', 18.0)."""
    for child in el:
        if child.tag == _SPC_PCT:
            return "pct", _int(child.get("val"), 100000) / 100000
        if child.tag == _SPC_PTS:
            return "pts", _int(child.get("val")) / 100
    return None


def _run_props(rpr) -> dict:
    props: dict = {}
    if rpr is None:
        return props
    attrib = rpr.attrib
    if "sz" in attrib:
        props["sz"] = _int(attrib["sz"], DEFAULT_SIZE)
    for attr in ("b", "i"):
        if attr in attrib:
            props[attr] = attrib[attr] in ("1", "true")
    if attrib.get("cap"):
        props["cap"] = attrib["cap"]
    if "spc" in attrib:
        props["spc"] = _int(attrib["spc"])
    for child in rpr:
        key = _FONT_TAGS.get(child.tag)
        if key and child.get("typeface"):
            props[key] = child.get("typeface")
    return props


def _para_props(ppr, with_defaults: bool) -> dict:
    """Paragraph properties of an ``a:pPr`` or ``a:lvlNpPr``; a list level's ``a:defRPr`` too."""
    props: dict = {}
    if ppr is None:
        return props
    attrib = ppr.attrib
    for attr in ("marL", "marR", "indent"):
        if attr in attrib:
            props[attr] = _int(attrib[attr])
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
            props.update(_run_props(child))
    return props


_NO_LEVELS: list[dict] = [{} for _ in range(9)]  # shared: never modified


def _levels(lst) -> list[dict]:
    """The nine list levels of an ``a:lstStyle`` (or a master's title/body/other style)."""
    if lst is None or len(lst) == 0:
        return _NO_LEVELS
    base = _para_props(lst.find(q("a:defPPr")), True)
    return [{**base, **_para_props(lst.find(q(f"a:lvl{n}pPr")), True)} for n in range(1, 10)]


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
    return _Box(_int(off.get("x")) if off is not None else 0, _int(off.get("y")) if off is not None else 0,
                _int(ext.get("cx")), _int(ext.get("cy")))


def _in_groups(sp, box: _Box) -> _Box:
    """Map a box from its groups' child coordinates onto the slide."""
    node = sp.getparent()
    while node is not None and node.tag == q("p:grpSp"):
        xfrm = node.find(f"{q('p:grpSpPr')}/{q('a:xfrm')}")
        if xfrm is not None:
            off, ext = xfrm.find(q("a:off")), xfrm.find(q("a:ext"))
            ch_off, ch_ext = xfrm.find(q("a:chOff")), xfrm.find(q("a:chExt"))
            if None not in (off, ext, ch_off, ch_ext):
                sx = _int(ext.get("cx")) / max(_int(ch_ext.get("cx")), 1)
                sy = _int(ext.get("cy")) / max(_int(ch_ext.get("cy")), 1)
                box = _Box(round(_int(off.get("x")) + (box.x - _int(ch_off.get("x"))) * sx),
                           round(_int(off.get("y")) + (box.y - _int(ch_off.get("y"))) * sy),
                           round(box.cx * sx), round(box.cy * sy))
        node = node.getparent()
    return box


class DeckStyles:
    """What a slide's text frames inherit: slide size, text defaults, layout and master placeholders.

    ``read(part)`` returns a part's bytes or None; parts are parsed once. ``parsed`` holds parts
    the caller has parsed already (by name), so they are not parsed again.
    """

    def __init__(self, read: Callable[[str], bytes | None], presentation_part: str,
                 parsed: dict[str, object] | None = None) -> None:
        self._read = read
        self._roots: dict[str, object] = dict(parsed or {})
        pres = self.root(presentation_part)
        size = pres.find(q("p:sldSz")) if pres is not None else None
        self.slide_width = _int(size.get("cx"), 12192000) if size is not None else 12192000
        self.slide_height = _int(size.get("cy"), 6858000) if size is not None else 6858000
        self.default_levels = _levels(pres.find(q("p:defaultTextStyle")) if pres is not None else None)
        self._rels: dict[str, dict[str, str]] = {}
        self._inherited: dict[tuple, tuple] = {}

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
                        found.setdefault(rel.get("Type")[len(RT):], resolve_target(part, rel.get("Target", "")))
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

    def frame_style(self, sp, slide_part: str) -> _FrameStyle:
        """Where shape ``sp`` sits and the body and list styles its text inherits."""
        own_body = sp.find(_BODY_PR)
        own_levels = _levels(sp.find(_LST_STYLE))
        box = _xfrm(sp)
        key = _ph(sp)
        if key is None:
            return _FrameStyle(_in_groups(sp, box) if box else None, [own_body],
                               _merge(self.default_levels, own_levels), own_levels)
        layout = self.related(slide_part, "slideLayout")
        inherited_box, bodies, levels = self._placeholder(layout, *key)
        box = box or inherited_box
        return _FrameStyle(_in_groups(sp, box) if box else None, bodies + [own_body], _merge(levels, own_levels),
                           own_levels)

    def _placeholder(self, layout: str | None, kind: str, idx: str | None) -> tuple:
        """What a placeholder inherits from its layout and master: (box, bodyPr elements, list levels)."""
        key = (layout, kind, idx)
        if key not in self._inherited:
            master = self.related(layout, "slideMaster") if layout else None
            master_root = self.root(master)
            styles = master_root.find(f"{q('p:txStyles')}/{q(_MASTER_STYLE.get(kind, 'p:bodyStyle'))}") \
                if master_root is not None else None
            levels, bodies, box = [_levels(styles)], [], None
            for inherited in (_find_placeholder(master_root, kind, idx, True),
                              _find_placeholder(self.root(layout), kind, idx, False)):
                if inherited is not None:
                    levels.append(_levels(inherited.find(_LST_STYLE)))
                    bodies.append(inherited.find(_BODY_PR))
                    box = _xfrm(inherited) or box
            self._inherited[key] = (box, bodies, _merge(*levels))
        return self._inherited[key]


@dataclass
class _FrameStyle:
    box: _Box | None  # on the slide
    bodies: list  # a:bodyPr elements, from the least to the most specific
    levels: list[dict]  # the nine list levels, merged
    own_levels: list[dict]  # the shape's own lstStyle


# --------------------------------------------------------------------------- laying text out

_WORD, _SPACE, _BREAK = 0, 1, 2


@dataclass
class _Slot:
    """Something with a font size: a run, a field, a line break or a paragraph's end mark."""

    element: object
    size: int  # hundredths of a point
    end_mark: bool = False
    explicit: bool = True  # the size is written on the run or in the shape's own list style


@dataclass
class _Para:
    tokens: list  # [kind, {slot: [ems, spacing pt]}, [(slot, text, face, spacing pt)]]; a break: [kind, slot, None]
    end_slot: int
    first_indent: float  # pt from the box's left edge where the first line's text starts
    left: float  # pt where the other lines start
    right: float
    line: tuple[str, float]
    before: tuple[str, float]
    after: tuple[str, float]


@dataclass(frozen=True)
class Measure:
    """How much room a frame's text takes and has, in points."""

    height: float  # of all lines with their spacing
    available_height: float
    width: float  # the widest line (only grows past the box when it cannot wrap)
    available_width: float

    @property
    def excess(self) -> float:
        """Points the text sticks out of its box (0 when it fits)."""
        return max(self.height - self.available_height, self.width - self.available_width, 0.0)

    @property
    def fits(self) -> bool:
        return self.excess <= TOLERANCE_PT

    @property
    def direction(self) -> str:
        return "wide" if self.width - self.available_width > self.height - self.available_height else "high"


class TextFrame:
    """One shape's text as PowerPoint lays it out: lines, heights, and font sizes it can shrink to."""

    def __init__(self, sp, style: _FrameStyle, fonts: FontBook, theme_fonts: dict[str, str],
                 slide_size: tuple[int, int]) -> None:
        box, bodies, levels = style.box, style.bodies, style.levels
        self.sp = sp
        self.fonts = fonts
        self.theme_fonts = theme_fonts
        self.slots: list[_Slot] = []
        self.paras: list[_Para] = []
        body = {}
        autofit = None
        for el in bodies:
            if el is None:
                continue
            body.update(el.attrib)
            for tag, kind in (("a:noAutofit", "none"), ("a:normAutofit", "shrink"), ("a:spAutoFit", "grow")):
                child = el.find(q(tag))
                if child is not None:
                    autofit = (kind, child)
        left, right, top, bottom = (_int(body.get(k), d) for k, d in zip(("lIns", "rIns", "tIns", "bIns"),
                                                                           _DEFAULT_INSETS))
        self.vertical = body.get("vert") in _VERTICAL
        self.wrap = body.get("wrap") != "none"
        self.columns = max(1, min(_int(body.get("numCol"), 1), 16))
        column_gap = _int(body.get("spcCol")) / EMU_PER_PT
        self.font_scale, self.line_reduction = 1.0, 0.0
        width, height = box.cx, box.cy
        if autofit and autofit[0] == "shrink":
            self.font_scale = _int(autofit[1].get("fontScale"), 100000) / 100000
            self.line_reduction = _int(autofit[1].get("lnSpcReduction")) / 100000
        elif autofit and autofit[0] == "grow":
            # a frame that grows with its text may grow to the slide's edge, no further
            height = max(height, slide_size[1] - box.y)
            if not self.wrap:
                width = max(width, slide_size[0] - box.x)
        self.width = max((width - left - right) / EMU_PER_PT, 0.0)
        self.height = max((height - top - bottom) / EMU_PER_PT, 0.0)
        self.column_width = max((self.width - column_gap * (self.columns - 1)) / self.columns, 0.0)
        self._own_levels = style.own_levels
        for p in sp.iterfind(f"{q('p:txBody')}/{q('a:p')}"):
            self._read_paragraph(p, levels)

    # ------------------------------------------------------------------ reading
    def _read_paragraph(self, p, levels: list[dict]) -> None:
        ppr = p.find(_PPR)
        level = min(max(_int(ppr.get("lvl")) if ppr is not None else 0, 0), 8)
        props = {**levels[level], **_para_props(ppr, False)}
        tokens: list = []  # [kind, {slot: [ems, spacing pt]}, [(slot, text, face, spacing pt)]]; a break: slot
        open_kind = None  # the kind of the last token while the next piece may still join it
        for child in p:
            if child.tag == _R or child.tag == _FLD:
                t = child.find(_T)
                text = (t.text or "") if t is not None else ""
                rpr = child.find(_RPR)
                slot = self._slot(child, rpr, props, level=level)
                run = {**props, **_run_props(rpr)} if rpr is not None else props
                if run.get("cap") in ("all", "small"):
                    text = text.upper()
                latin, east_asian = self._faces(run)
                spc = run.get("spc", 0) / 100
                for m in _PIECE_RE.finditer(text):
                    piece = m.group()
                    if m.lastgroup == "space":
                        kind, face = _SPACE, latin
                        ems = latin.ems(piece.replace("\t", " " * _TAB_SPACES).replace("\u3000", "")) \
                            + piece.count("\u3000")
                    elif m.lastgroup == "cjk":
                        kind, face = _WORD, east_asian
                        ems = east_asian.advance(piece) if east_asian is not None else 1.0
                    else:
                        kind, face = _WORD, latin
                        ems = latin.ems(piece)
                    if open_kind == kind and m.lastgroup != "cjk":
                        token = tokens[-1]
                    else:
                        token = [kind, {}, []]
                        tokens.append(token)
                    group = token[1].setdefault(slot, [0.0, 0.0])
                    group[0] += ems
                    group[1] += spc * len(piece)
                    token[2].append((slot, piece, face, spc))
                    open_kind = None if m.lastgroup == "cjk" else kind  # CJK text breaks around every character
            elif child.tag == _BR:
                tokens.append([_BREAK, self._slot(child, child.find(_RPR), props), None])
                open_kind = None
        end = p.find(_END)
        end_slot = self._slot(end, end, props, end_mark=True)
        indent = props.get("indent", 0) / EMU_PER_PT
        left = props.get("marL", 0) / EMU_PER_PT
        first = left + indent
        if props.get("bullet") and indent < 0:
            first = left  # a hanging bullet sits in the indent; the text starts at marL
        self.paras.append(_Para(tokens, end_slot, max(first, 0.0), max(left, 0.0),
                                props.get("marR", 0) / EMU_PER_PT, props.get("lnSpc", ("pct", 1.0)),
                                props.get("spcBef", ("pts", 0.0)), props.get("spcAft", ("pts", 0.0))))

    def _slot(self, element, rpr, props: dict, end_mark: bool = False, level: int = 0) -> int:
        own = _int(rpr.get("sz"), DEFAULT_SIZE) if rpr is not None and rpr.get("sz") is not None else None
        size = own if own is not None else props.get("sz", DEFAULT_SIZE)
        explicit = own is not None or "sz" in self._own_levels[level]
        self.slots.append(_Slot(element, max(size, 100), end_mark, explicit))
        return len(self.slots) - 1

    def _faces(self, run: dict) -> tuple[_Face, _Face | None]:
        """The faces a run's Latin and east-asian characters are measured with."""
        bold, italic = run.get("b", False), run.get("i", False)
        latin, east_asian = run.get("latin", "+mn-lt"), run.get("ea", "+mn-ea")
        if latin.startswith("+"):
            latin = self.theme_fonts.get(latin, FALLBACK_FAMILY)
        if east_asian.startswith("+"):
            east_asian = self.theme_fonts.get(east_asian, "")
        return (self.fonts.face(latin, bold, italic),
                self.fonts.face(east_asian, bold, italic, east_asian=True) if east_asian else None)

    # ------------------------------------------------------------------ measuring
    def base_sizes(self) -> list[int]:
        return [slot.size for slot in self.slots]

    def measure(self, sizes: list[int] | None = None) -> Measure:
        """Lay the text out at ``sizes`` (hundredths of a point per slot; default: as written)."""
        pts = [s * self.font_scale / 100 for s in (sizes or self.base_sizes())]
        total = 0.0
        widest = 0.0
        last_after = 0.0
        for para in self.paras:
            lines, width = self._wrap(para, pts)
            widest = max(widest, width)
            total += self._space(para.before, lines[0])
            for size in lines:
                total += self._line_height(para.line, size)
            last_after = self._space(para.after, lines[-1])
            total += last_after
        total -= last_after  # space after the last paragraph moves no text
        return Measure(total, self.height * self.columns, widest, self.column_width)

    def _line_height(self, spacing: tuple[str, float], size: float) -> float:
        kind, value = spacing
        if kind == "pts":
            return value
        return size * LINE_HEIGHT * max(value - self.line_reduction, 0.1)

    @staticmethod
    def _space(spacing: tuple[str, float], size: float) -> float:
        kind, value = spacing
        return value if kind == "pts" else size * LINE_HEIGHT * value

    def _wrap(self, para: _Para, pts: list[float]) -> tuple[list[float], float]:
        """Greedy word wrap: the largest font size on each line, and the widest line (pt)."""
        room = max(self.column_width - para.right, 0.0)
        avail = room - para.first_indent
        lines: list[float] = []
        width = 0.0
        pending = 0.0  # spaces after the last word: they hang past the edge when the line breaks
        top = 0.0
        pending_top = 0.0
        has_text = False
        start = True  # spaces at the start of a paragraph take room; after a wrap they do not

        def newline():
            nonlocal width, pending, top, pending_top, has_text, avail
            lines.append(top)
            widths.append(width)
            width, pending, top, pending_top, has_text = 0.0, 0.0, 0.0, 0.0, False
            avail = room - para.left

        widths: list[float] = []
        for kind, groups, chars in para.tokens:
            if kind == _BREAK:
                top = max(top, pts[groups]) if not has_text else top
                newline()
                start = True
                continue
            w = sum(ems * pts[s] + spc for s, (ems, spc) in groups.items())
            size = max(pts[s] for s in groups)
            if kind == _SPACE:
                if has_text or start:
                    pending += w
                    pending_top = max(pending_top, size)
                continue
            start = False
            if self.wrap and has_text and width + pending + w > avail + 1e-6:
                newline()
            if self.wrap and width + pending + w > avail + 1e-6:
                for s, text, face, spc in chars:  # a word longer than the line breaks between characters
                    for ch in text:
                        cw = (face.advance(ch) if face is not None else 1.0) * pts[s] + spc
                        if has_text and width + pending + cw > avail + 1e-6:
                            newline()
                        width += pending + cw
                        pending = 0.0
                        top = max(top, pending_top, pts[s])
                        has_text = True
                continue
            width += pending + w
            top = max(top, pending_top, size)
            pending, pending_top = 0.0, 0.0
            has_text = True
        if not has_text and top == 0.0:
            top = pending_top or pts[para.end_slot]
        lines.append(top)
        widths.append(width)
        offsets = [para.first_indent] + [para.left] * (len(widths) - 1)
        widest = max(w + o + para.right for w, o in zip(widths, offsets))
        return lines, widest

    # ------------------------------------------------------------------ shrinking
    def shrink_steps(self, min_pt: float):
        """Yield smaller size lists, 5 % of the original at a time, none below ``min_pt`` (sizes already
        below it stay); stops when no run can get smaller."""
        base = self.base_sizes()
        previous = base
        step = 1
        while step * SHRINK_STEP < 1:
            scale = 1 - step * SHRINK_STEP
            sizes = []
            for size in base:
                floor = min(size, round(min_pt * 100))
                sizes.append(min(size, max(floor, round(size * scale / 50) * 50)))
            if sizes == previous:
                return
            yield sizes
            previous = sizes
            step += 1

    def largest_size(self, sizes: list[int] | None = None) -> float:
        """The largest font size (pt) of the frame's text runs."""
        sizes = sizes or self.base_sizes()
        text = [s for slot, s in zip(self.slots, sizes) if not slot.end_mark] or sizes
        return max(text) / 100 if text else DEFAULT_SIZE / 100

    def apply(self, sizes: list[int]) -> None:
        """Write ``sizes`` into the frame's runs (``sz``), adding ``a:rPr`` where a run had none."""
        for slot, size in zip(self.slots, sizes):
            if size == slot.size or slot.element is None:
                continue
            if slot.end_mark:
                rpr = slot.element
            else:
                rpr = slot.element.find(_RPR)
                if rpr is None:
                    rpr = etree.Element(_RPR)
                    slot.element.insert(0, rpr)
            rpr.set("sz", str(size))

    def has_explicit_sizes(self) -> bool:
        """True when every run that holds text states its size (rPr) or the shape's own list style does."""
        return all(slot.explicit for slot in self.slots if not slot.end_mark and slot.element is not None
                   and slot.element.tag != _BR)

    def has_text(self) -> bool:
        return any(kind == _WORD for para in self.paras for kind, _, _ in para.tokens)


def read_frame(sp, slide_part: str, styles: DeckStyles, fonts: FontBook, theme_fonts: dict[str, str]
               ) -> TextFrame | None:
    """The text frame of shape ``sp`` ready to measure, or None (no text body, no size, vertical text)."""
    if sp.find(q("p:txBody")) is None:
        return None
    style = styles.frame_style(sp, slide_part)
    if style.box is None or style.box.cx <= 0 or style.box.cy <= 0:
        return None
    frame = TextFrame(sp, style, fonts, theme_fonts, (styles.slide_width, styles.slide_height))
    return None if frame.vertical else frame


def shape_id(sp) -> str:
    c_nv = sp.find(f"./*/{q('p:cNvPr')}")
    return c_nv.get("id", "") if c_nv is not None else ""


def describe_length(points: float) -> str:
    """``86.4`` → ``'1.2 in'``; under a tenth of an inch in points (``'3.6 pt'``)."""
    if points >= 0.1 * PT_PER_IN:
        return f"{points / PT_PER_IN:.1f} in"
    return f"{max(points, 0.1):.1f} pt"


def _pt(value: float) -> str:
    return f"{value:g}"


# --------------------------------------------------------------------------- fitting a deck as it renders

@dataclass(frozen=True)
class Shrink:
    """A text frame whose font sizes were reduced so its text fits."""

    slide: int
    shape: str
    from_pt: float
    to_pt: float

    def __str__(self) -> str:
        return (f"slide {self.slide}, shape '{self.shape}': text shrunk from {_pt(self.from_pt)} pt to "
                f"{_pt(self.to_pt)} pt to fit its box")


@dataclass
class TaggedShape:
    """A shape whose text holds template tags, as found in the template."""

    name: str
    tags: list[str]

    def field(self) -> str:
        """The tags a reader should shorten, e.g. ``{{ p }} (from prospect.pain_points)``."""
        values = [t for t in self.tags if t.startswith("{{")]
        sources = [m.group(1).strip() for t in self.tags for m in [_FOR_RE.match(t)] if m]
        text = ", ".join(dict.fromkeys(values[:3])) or ", ".join(self.tags[:2])
        if sources:
            text += f" (from {', '.join(dict.fromkeys(sources))})"
        return text


def tagged_shapes(slide_xml: bytes, part: str = "") -> dict[str, TaggedShape]:
    """Shapes of a template slide whose text holds tags, by shape id."""
    root = parse_xml(slide_xml, part)
    found: dict[str, TaggedShape] = {}
    for sp in root.iter(q("p:sp")):
        tags = []
        for p in sp.iter(q("a:p")):
            text = "".join(t.text or "" for t in p.iter(q("a:t")))
            if "{" in text:
                tags.extend(t for t in TAG_RE.findall(text)
                            if not t.startswith("{#") and not re.match(r"\{%-?\s*slide\s", t))
        if tags:
            found[shape_id(sp)] = TaggedShape(own_name(sp), tags)
    return found


@dataclass
class _TemplateFitting:
    """Per compiled template: parsed layouts and masters, fonts, and which shapes hold tags."""

    styles: DeckStyles
    fonts: FontBook
    brand_fonts: dict[str, str]
    tagged: dict[str, dict[str, TaggedShape]] = field(default_factory=dict)
    themes: dict[str, dict[str, str]] = field(default_factory=dict)
    # (template slide, policy, min size, rendered XML) -> (fitted XML, [(shape, from pt, to pt)]): slides that
    # render the same for many prospects (the MSP's own pages) are measured once
    results: dict[tuple, tuple[bytes, list]] = field(default_factory=dict)
    fits: set[tuple[str | None, bytes]] = field(default_factory=set)  # (layout, shape XML) known to fit

    def theme_fonts(self, slide_part: str) -> dict[str, str]:
        """The theme's fonts as branded (the brand's heading/body/east-asian names fill any gap)."""
        fonts = self.themes.get(slide_part)
        if fonts is None:
            fonts = self.themes[slide_part] = {**self.brand_fonts, **self.styles.theme_fonts(slide_part)}
        return fonts


def _template_fitting(ct) -> _TemplateFitting:
    state = ct.fitting
    if state is None:
        def read(part: str) -> bytes | None:
            if part in ct.replaced:
                return ct.replaced[part]
            return ct.package.read(part) if part in ct.package else None

        kit, folder = ct.brand.kit, Path(ct.brand.folder).resolve()
        files = [(folder / f).resolve() for f in kit.fonts.files]
        for f in files:
            if not f.is_relative_to(folder) or not f.is_file():
                raise InputError("a font file listed in the brand kit is missing or outside its folder",
                                 file=str(folder / "brand.yaml"), field="fonts.files")
        brand_fonts = {"+mj-lt": kit.fonts.heading, "+mn-lt": kit.fonts.body,
                       "+mj-ea": kit.fonts.east_asian, "+mn-ea": kit.fonts.east_asian}
        state = ct.fitting = _TemplateFitting(DeckStyles(read, ct.presentation_part), FontBook(files), brand_fonts)
    return state


class SlideFitter:
    """Fits the text of one deck's slides as they render. ``shrinks`` lists what was made smaller."""

    def __init__(self, ct) -> None:
        self.ct = ct
        self.policy = ct.fit_policy or ct.spec.fit
        if self.policy not in POLICIES:
            raise InputError(f"text fitting is one of {', '.join(POLICIES)}, not '{self.policy}'")
        self.min_pt = float(ct.spec.min_font_size)
        self.shrinks: list[Shrink] = []

    def fit(self, xml: bytes, target: str, spec) -> bytes:
        """Return the slide's XML with every tagged text frame fitting its box; raise TextOverflowError."""
        if self.policy == "ignore":
            return xml
        state = _template_fitting(self.ct)
        tagged = state.tagged.get(spec.part)
        if tagged is None:
            source = self.ct.replaced.get(spec.part) or self.ct.package.read(spec.part)
            tagged = state.tagged[spec.part] = tagged_shapes(source, spec.part)
        if not tagged:
            return xml
        number = int(m.group(1)) if (m := re.search(r"(\d+)\.xml$", target)) else spec.number
        remembered = (spec.part, self.policy, self.min_pt, xml)
        known = state.results.get(remembered)
        if known is not None:
            self.shrinks.extend(Shrink(number, *shrunk) for shrunk in known[1])
            return known[0]
        root = parse_xml(xml, target)
        layout = state.styles.related(spec.part, "slideLayout")
        changed = False
        shrunk: list[tuple[str, float, float]] = []
        for sp in root.iter(q("p:sp")):
            shape = tagged.get(shape_id(sp))
            if shape is None:
                continue
            key = (layout, etree.tostring(sp))
            if key in state.fits:
                continue
            frame = read_frame(sp, spec.part, state.styles, state.fonts, state.theme_fonts(spec.part))
            if frame is None:
                continue
            measure = frame.measure()
            if measure.fits:
                if len(state.fits) >= _MAX_RESULTS * 8:
                    state.fits.clear()
                state.fits.add(key)
                continue
            if self.policy == "shrink":
                for sizes in frame.shrink_steps(self.min_pt):
                    trial = frame.measure(sizes)
                    if trial.fits:
                        frame.apply(sizes)
                        changed = True
                        shrunk.append((shape.name, frame.largest_size(), frame.largest_size(sizes)))
                        break
                    measure = trial
                else:
                    raise self._overflow(number, spec, shape, measure, frame, at_minimum=True)
                continue
            raise self._overflow(number, spec, shape, measure, frame, at_minimum=False)
        result = to_bytes(root) if changed else xml
        if len(state.results) >= _MAX_RESULTS:
            state.results.clear()
        state.results[remembered] = (result, shrunk)
        self.shrinks.extend(Shrink(number, *s) for s in shrunk)
        return result

    def _overflow(self, number: int, spec, shape: TaggedShape, measure: Measure, frame: TextFrame,
                  at_minimum: bool) -> TextOverflowError:
        where = f"slide {number}" + (f" (template slide {spec.number})" if spec.number != number else "")
        if measure.direction == "wide":
            need = f"a line is {describe_length(measure.excess)} wider than the box"
        else:
            need = (f"it needs {describe_length(measure.height)} of height and the box has "
                    f"{describe_length(measure.available_height)}")
        if at_minimum and frame.largest_size() > self.min_pt:
            hint = (f"even at {_pt(self.min_pt)} pt, the smallest allowed (min_font_size in template.yaml); "
                    "shorten the text")
        elif at_minimum:
            hint = (f"at {_pt(frame.largest_size())} pt, already no larger than min_font_size "
                    f"({_pt(self.min_pt)} pt); shorten the text")
        else:
            hint = (f"at {_pt(frame.largest_size())} pt; shorten the text, or let deckgen shrink it "
                    "(fit: shrink in template.yaml)")
        exc = TextOverflowError(f"{where}, shape '{shape.name}': the text of {shape.field()} is too long for "
                                f"its box — {need} {hint}")
        exc.slide, exc.shape, exc.tags = number, shape.name, list(shape.tags)
        return exc


__all__ = ["POLICIES", "FontBook", "FontChoice", "DeckStyles", "TextFrame", "Measure", "Shrink", "SlideFitter",
           "TaggedShape", "read_frame", "tagged_shapes", "shape_id", "installed_font", "is_cjk", "describe_length",
           "FONTS_DIR", "METRIC_COMPATIBLE"]
