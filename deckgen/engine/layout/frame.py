"""Laying one text frame out the way PowerPoint does, and measuring it.

The box (``a:xfrm``, inherited from the layout and master for placeholders) less its insets, greedy
word wrap at spaces (a word longer than a line breaks between characters; CJK text breaks between any
two characters), explicit line breaks, bullet indents, line spacing (``spcPct`` of 1.2 × the font size,
or ``spcPts``) and space before/after.
"""

from __future__ import annotations

from dataclasses import dataclass

from lxml import etree

from deckgen.engine.layout.fonts import FALLBACK_FAMILY, Face, FontBook
from deckgen.engine.layout.styles import DEFAULT_SIZE, DeckStyles, FrameStyle, int_attr, para_props, run_props
from deckgen.engine.layout.tokens import BREAK as _BREAK
from deckgen.engine.layout.tokens import EMU_PER_PT, paragraph_of
from deckgen.engine.layout.tokens import SPACE as _SPACE
from deckgen.engine.layout.tokens import WORD as _WORD
from deckgen.engine.layout.tokens import Para as _Para
from deckgen.engine.opc import q

PT_PER_IN = 72
SHRINK_STEP = 0.05  # each step takes 5 % of the original size off every run of the frame
# PowerPoint's single line spacing, as a multiple of the font size (LibreOffice lays PPTX text out the same way,
# whatever the font). Descenders stay inside that line box, so a frame fits when its line boxes do.
LINE_HEIGHT = 1.2
TOLERANCE_PT = 0.5
_DEFAULT_INSETS = (91440, 91440, 45720, 45720)  # left, right, top, bottom (EMU)
_VERTICAL = ("vert", "vert270", "wordArtVert", "eaVert", "mongolianVert", "wordArtVertRtl")
_R, _FLD, _BR, _T, _RPR, _PPR, _END = (q(t) for t in ("a:r", "a:fld", "a:br", "a:t", "a:rPr", "a:pPr", "a:endParaRPr"))
_TX_BODY, _C_NV_PR = q("p:txBody"), q("p:cNvPr")
_PARAGRAPHS = f"{_TX_BODY}/{q('a:p')}"
_AUTOFITS = tuple(
    (q(tag), kind) for tag, kind in (("a:noAutofit", "none"), ("a:normAutofit", "shrink"), ("a:spAutoFit", "grow"))
)


@dataclass(slots=True)
class _Slot:
    """Something with a font size: a run, a field, a line break or a paragraph's end mark."""

    element: object
    size: int  # hundredths of a point
    end_mark: bool = False
    explicit: bool = True  # the size is written on the run or in the shape's own list style

    def on(self, element) -> _Slot:
        """This slot on another element (a remembered paragraph replayed into another frame)."""
        return _Slot(element, self.size, self.end_mark, self.explicit)


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

    def __init__(
        self, sp, style: FrameStyle, fonts: FontBook, theme_fonts: dict[str, str], slide_size: tuple[int, int]
    ) -> None:
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
            for tag, kind in _AUTOFITS:
                child = el.find(tag)
                if child is not None:
                    autofit = (kind, child)
        left, right, top, bottom = (
            int_attr(body.get(k), d) for k, d in zip(("lIns", "rIns", "tIns", "bIns"), _DEFAULT_INSETS)
        )
        # vertical text: PowerPoint's ``vert``, or the quarter-turn ``rot`` LibreOffice writes for it instead
        self.vertical = body.get("vert") in _VERTICAL or round(int_attr(body.get("rot")) / 5400000) % 2 == 1
        self.wrap = body.get("wrap") != "none"
        self.columns = max(1, min(int_attr(body.get("numCol"), 1), 16))
        column_gap = int_attr(body.get("spcCol")) / EMU_PER_PT
        self.font_scale, self.line_reduction = 1.0, 0.0
        width, height = box.cx, box.cy
        self.grows_from = None  # (top, height, top + bottom insets) in EMU of a frame that grows with its text
        if autofit and autofit[0] == "shrink":
            self.font_scale = int_attr(autofit[1].get("fontScale"), 100000) / 100000
            self.line_reduction = int_attr(autofit[1].get("lnSpcReduction")) / 100000
        elif autofit and autofit[0] == "grow":
            # a frame that grows with its text may grow to the slide's edge (or a shape under it: room.py)
            height = max(height, slide_size[1] - box.y)
            self.grows_from = (box.y, box.cy, top + bottom)
            if not self.wrap:
                width = max(width, slide_size[0] - box.x)
        self.width = max((width - left - right) / EMU_PER_PT, 0.0)
        self.height = max((height - top - bottom) / EMU_PER_PT, 0.0)
        self.column_width = max((self.width - column_gap * (self.columns - 1)) / self.columns, 0.0)
        self._own_levels = style.own_levels
        for p in sp.iterfind(_PARAGRAPHS):
            self._read_paragraph(p, levels)

    # ------------------------------------------------------------------ reading
    def _read_paragraph(self, p, levels: list[dict]) -> None:
        self.paras.append(paragraph_of(*self._runs(p, levels)))

    def _runs(self, p, levels: list[dict]) -> tuple[list[tuple], int, dict]:
        """(runs, end mark's slot, paragraph properties) of paragraph ``p``, its slots added to the frame.

        A run (or field) is (slot, text, Latin face, east-asian face, letter spacing pt, all caps,
        has an ``a:t``), a line break (slot,): what :func:`~deckgen.engine.layout.tokens.paragraph_of` reads.
        """
        ppr = p.find(_PPR)
        level = min(max(int_attr(ppr.get("lvl")) if ppr is not None else 0, 0), 8)
        props = {**levels[level], **para_props(ppr, False)}
        runs: list[tuple] = []
        for child in p:
            if child.tag == _R or child.tag == _FLD:
                t = child.find(_T)
                text = (t.text or "") if t is not None else ""
                rpr = child.find(_RPR)
                slot = self._slot(child, rpr, props, level=level)
                run = {**props, **run_props(rpr)} if rpr is not None else props
                caps = run.get("cap") in ("all", "small")
                latin, east_asian = self._faces(run)
                spc = run.get("spc", 0) / 100
                runs.append((slot, text.upper() if caps else text, latin, east_asian, spc, caps, t is not None))
            elif child.tag == _BR:
                runs.append((self._slot(child, child.find(_RPR), props),))
        end = p.find(_END)
        return runs, self._slot(end, end, props, end_mark=True), props

    def _slot(self, element, rpr, props: dict, end_mark: bool = False, level: int = 0) -> int:
        own = int_attr(rpr.get("sz"), DEFAULT_SIZE) if rpr is not None and rpr.get("sz") is not None else None
        size = own if own is not None else props.get("sz", DEFAULT_SIZE)
        explicit = own is not None or "sz" in self._own_levels[level]
        self.slots.append(_Slot(element, max(size, 100), end_mark, explicit))
        return len(self.slots) - 1

    def _faces(self, run: dict) -> tuple[Face, Face | None]:
        """The faces a run's Latin and east-asian characters are measured with."""
        bold, italic = run.get("b", False), run.get("i", False)
        latin, east_asian = run.get("latin", "+mn-lt"), run.get("ea", "+mn-ea")
        if latin.startswith("+"):
            latin = self.theme_fonts.get(latin, FALLBACK_FAMILY)
        if east_asian.startswith("+"):
            east_asian = self.theme_fonts.get(east_asian, "")
        return (
            self.fonts.face(latin, bold, italic),
            self.fonts.face(east_asian, bold, italic, east_asian=True) if east_asian else None,
        )

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
        spans, slots, ems, spacing = para.spans, para.slots, para.ems, para.spacing
        for i, kind in enumerate(para.kinds):
            if kind == _BREAK:
                top = max(top, pts[slots[i]]) if not has_text else top
                newline()
                start = True
                continue
            span = spans.get(i) if spans else None
            if span is None:  # one run: the same sums, without the generators
                s = slots[i]
                w, size = ems[i] * pts[s] + spacing[i], pts[s]
            else:
                w = sum(advance * pts[s] + spc for s, advance, spc in span[0])
                size = max(pts[s] for s, _, _ in span[0])
            if kind == _SPACE:
                if has_text or start:
                    pending += w
                    pending_top = max(pending_top, size)
                continue
            start = False
            if self.wrap and has_text and width + pending + w > avail + 1e-6:
                newline()
            if self.wrap and width + pending + w > avail + 1e-6:
                if span is None:
                    chars = ((slots[i], para.texts[i], para.faces[i], para.char_spacing[i]),)
                else:
                    chars = span[1]
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
        return all(
            slot.explicit
            for slot in self.slots
            if not slot.end_mark and slot.element is not None and slot.element.tag != _BR
        )

    def has_text(self) -> bool:
        return any(_WORD in para.kinds for para in self.paras)


def read_frame(
    sp, slide_part: str, styles: DeckStyles, fonts: FontBook, theme_fonts: dict[str, str]
) -> TextFrame | None:
    """The text frame of shape ``sp`` ready to measure, or None (no text body, no size, vertical text)."""
    if sp.find(_TX_BODY) is None:
        return None
    style = styles.frame_style(sp, slide_part)
    if style.box is None or style.box.cx <= 0 or style.box.cy <= 0:
        return None
    frame = TextFrame(sp, style, fonts, theme_fonts, (styles.slide_width, styles.slide_height))
    return None if frame.vertical else frame


def shape_id(sp) -> str:
    for child in sp:  # the first ``*/p:cNvPr``: the shape's non-visual properties come first
        c_nv = child.find(_C_NV_PR)
        if c_nv is not None:
            return c_nv.get("id", "")
    return ""


def describe_length(points: float) -> str:
    """``86.4`` → ``'1.2 in'``; under a tenth of an inch in points (``'3.6 pt'``)."""
    if points >= 0.1 * PT_PER_IN:
        return f"{points / PT_PER_IN:.1f} in"
    return f"{max(points, 0.1):.1f} pt"


def describe_lengths(need: float, have: float) -> tuple[str, str]:
    """Two lengths in one unit, as precise as it takes to tell them apart (``0.94 in`` and ``0.93 in``, not 0.9 twice).

    Inches with one, then two decimals; points when either is under a tenth of an inch or inches can't tell.
    """
    if min(need, have) >= 0.1 * PT_PER_IN:
        for digits in (1, 2):
            a, b = f"{need / PT_PER_IN:.{digits}f}", f"{have / PT_PER_IN:.{digits}f}"
            if a != b:
                return f"{a} in", f"{b} in"
    for digits in (1, 2):
        a, b = f"{max(need, 0.0):.{digits}f}", f"{max(have, 0.0):.{digits}f}"
        if a != b:
            break
    return f"{a} pt", f"{b} pt"
