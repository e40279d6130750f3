"""Text that always fits its box: the template's fitting policy, applied while a deck renders.

:class:`SlideFitter` measures every text frame that held template tags and applies the policy
(``fit`` in template.yaml, or the ``fit`` argument of :func:`deckgen.engine.render`): ``shrink``
scales the frame's font sizes down in 5 % steps to ``min_font_size`` and records a :class:`Shrink`,
failing if even that is not enough; ``fail`` raises :class:`~deckgen.errors.TextOverflowError`
naming the slide, the shape and the tag; ``ignore`` measures nothing. ``deckgen check`` measures
every frame of any deck the same way (:mod:`deckgen.engine.layout.frame`). A box that grows with its
text grows down to the shape under it (:mod:`~deckgen.engine.layout.room`); tagged table cells shrink
to keep their table within its room (:mod:`~deckgen.engine.layout.table_fit`).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from lxml import etree

from deckgen.engine.layout.fonts import FALLBACK_FAMILY, FONTS_DIR, METRIC_COMPATIBLE, FontBook, FontChoice, is_cjk
from deckgen.engine.layout.fragments import WRAPPER_END, shape_fragments
from deckgen.engine.layout.frame import (
    Measure,
    TextFrame,
    describe_length,
    describe_lengths,
    read_frame,
    shape_id,
)
from deckgen.engine.layout.paragraphs import ParagraphMemo
from deckgen.engine.layout.room import growth_limits, stop_growing
from deckgen.engine.layout.styles import DeckStyles
from deckgen.engine.layout.table_fit import fit_tables
from deckgen.engine.layout.table_fit import pt_text as _pt
from deckgen.engine.layout.table_text import table_extent
from deckgen.engine.layout.textmeasure import NO_FRAME, TextMeasures
from deckgen.engine.opc import parse_xml, q, to_bytes
from deckgen.engine.tags import TAG_RE, own_name
from deckgen.errors import DeckgenError, InputError, TextOverflowError

POLICIES = ("shrink", "fail", "ignore")
_LATIN, _EA, _SP = q("a:latin"), q("a:ea"), q("p:sp")
_PH = f"{q('p:nvSpPr')}/{q('p:nvPr')}/{q('p:ph')}"
_FOOTERS = {"dt", "ftr", "sldNum", "hdr"}  # Insert › Header & Footer: small on purpose, under 14 pt (DESIGN.md)
_FOOTER_SHRINK = 0.75
_MAX_RESULTS = 128  # rendered slides remembered per template (keeps memory flat over a batch)
MAX_CELLS = 2048  # table cells' heights remembered (keyed by the cell's XML: a prospect's own cells rarely repeat)
_FOR_RE = re.compile(r"\{%-?\s*for\s+.+?\s+in\s+(.+?)\s*-?%\}", re.S)


# --------------------------------------------------------------------------- fitting a deck as it renders


@dataclass(frozen=True)
class Shrink:
    """A text frame whose font sizes were reduced so its text fits."""

    slide: int
    shape: str
    from_pt: float
    to_pt: float

    def __str__(self) -> str:
        return (
            f"slide {self.slide}, shape '{self.shape}': text shrunk from {_pt(self.from_pt)} pt to "
            f"{_pt(self.to_pt)} pt to fit its box"
        )


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
                tags.extend(
                    t for t in TAG_RE.findall(text) if not t.startswith("{#") and not re.match(r"\{%-?\s*slide\s", t)
                )
        if tags:
            found[shape_id(sp)] = TaggedShape(own_name(sp), tags)
    return found


class FitState:
    """Everything text fitting needs from one compiled template, prepared once when it compiles.

    The layouts and masters it inherits from, its fonts (every typeface found and loaded, so
    measuring never looks a font up), and which shapes of each template slide hold tags. Its
    dicts only memoise measurements: a slide that renders the same for many prospects (the MSP's
    own pages) is measured once; nothing in it depends on which deck is rendered.
    """

    def __init__(
        self,
        read: Callable[[str], bytes | None],
        presentation_part: str,
        fonts: FontBook,
        theme_fonts: dict[str, str],
        slide_parts: list[str],
        tagged: dict[str, dict[str, TaggedShape]] | None = None,
        typefaces: tuple[list[str], list[str]] | None = None,
    ) -> None:
        # tagged, typefaces: what a compile of the same template found (the compiled-template cache)
        self.styles = DeckStyles(read, presentation_part)
        self.fonts = fonts
        self._fallback_fonts = theme_fonts  # the brand's own names fill slots a theme leaves empty
        self._themes: dict[str, dict[str, str]] = {}
        if tagged is None:
            tagged = {part: tagged_shapes(read(part), part) for part in slide_parts}
        self.tagged = tagged
        # (template slide, policy, min size, rendered XML) -> (fitted XML, [(shape, from pt, to pt)])
        self.results: dict[tuple, tuple[bytes, list]] = {}
        self.fits: set[tuple[str | None, bytes]] = set()  # (layout, shape XML) known to fit
        self.paragraphs = ParagraphMemo()  # each distinct paragraph read once
        self.cells: dict[tuple[str, int, bytes], float] = {}  # (slide, column width, cell XML) -> height
        self.measures = TextMeasures()  # shapes measured from their text, not parsed
        self.rooms: dict[tuple[str, str], dict] = {}  # what lies under shapes, per template slide (layout.room)
        self.typefaces = typefaces if typefaces is not None else self._typefaces(slide_parts)
        fonts.prepare(*self.typefaces)

    def cell_memo(self) -> dict[tuple[str, int, bytes], float]:
        """The table cells' heights remembered, emptied first when full (call it once per table)."""
        if len(self.cells) >= MAX_CELLS:
            self.cells.clear()
        return self.cells

    def table_height(self, frame, slide_part: str) -> float | None:
        """Points the table in graphic frame ``frame`` takes with its text laid out (cells memoised)."""
        memo = self.cell_memo()
        extent = table_extent(
            frame, slide_part, self.styles, self.fonts, self.theme_fonts(slide_part), memo, self.paragraphs.read
        )
        return extent[1] if extent is not None else None

    def theme_fonts(self, slide_part: str) -> dict[str, str]:
        """The theme's fonts as branded (the brand's heading/body/east-asian names fill any gap)."""
        fonts = self._themes.get(slide_part)
        if fonts is None:
            fonts = self._themes[slide_part] = {**self._fallback_fonts, **self.styles.theme_fonts(slide_part)}
        return fonts

    def _typefaces(self, slide_parts: list[str]) -> tuple[list[str], list[str]]:
        """(Latin, east-asian) typefaces the slides, their layouts, masters and themes can name."""
        latin, east_asian = [FALLBACK_FAMILY], [self._fallback_fonts.get("+mn-ea", "")]
        for part in slide_parts:
            theme = self.theme_fonts(part)
            latin += [theme.get("+mn-lt", FALLBACK_FAMILY), theme.get("+mj-lt", FALLBACK_FAMILY)]
            east_asian += [theme.get("+mn-ea", ""), theme.get("+mj-ea", "")]
            layout = self.styles.related(part, "slideLayout")
            master = self.styles.related(layout, "slideMaster") if layout else None
            for root in (self.styles.root(p) for p in (part, layout, master) if p):
                for el in root.iter(_LATIN, _EA) if root is not None else ():
                    face = el.get("typeface", "")
                    cjk = el.tag == _EA
                    if face.startswith("+"):
                        face = theme.get(face, "" if cjk else FALLBACK_FAMILY)
                    (east_asian if cjk else latin).append(face)
        for el in self.styles.default_fonts():
            (east_asian if el.tag == _EA else latin).append(el.get("typeface", ""))
        return [f for f in latin if f and not f.startswith("+")], [f for f in east_asian if f and not f.startswith("+")]


class SlideFitter:
    """Fits the text of one deck's slides as they render. ``shrinks`` lists what was made smaller."""

    def __init__(self, state: FitState | None, policy: str, min_font_size: float) -> None:
        if policy not in POLICIES:
            raise InputError(f"text fitting is one of {', '.join(POLICIES)}, not '{policy}'")
        self.state = state
        self.policy = policy if state is not None else "ignore"
        self.min_pt = float(min_font_size)
        self.shrinks: list[Shrink] = []
        self.grown: list[str] = []  # tables whose rows now cover other shapes (deckgen.engine.layout.tables)

    def fit(self, xml: bytes, target: str, spec) -> bytes:
        """Return the slide's XML with every tagged text frame fitting its box; raise TextOverflowError."""
        state = self.state
        number = int(m.group(1)) if (m := re.search(r"(\d+)\.xml$", target)) else spec.number
        if state is not None and b"a:tbl>" in xml:  # tagged cells shrink (deckgen.engine.layout.table_fit)
            xml, cells, grown = fit_tables(state, xml, target, spec.part, self.policy, self.min_pt, number)
            self.shrinks.extend(cells)
            self.grown.extend(f"slide {number}, {sentence}" for sentence in grown)
        if self.policy == "ignore":
            return xml
        tagged = state.tagged.get(spec.part)
        if not tagged:
            return xml
        remembered = (spec.part, self.policy, self.min_pt, xml)
        known = state.results.get(remembered)
        if known is not None:
            self.shrinks.extend(Shrink(number, *shrunk) for shrunk in known[1])
            return known[0]
        layout = state.styles.related(spec.part, "slideLayout")
        fitted: dict[int, str] = {}  # the slide's shapes (by place) _all_fit found fitting (by id)
        if self._all_fit(xml, target, spec, tagged, layout, fitted):  # nothing to change: the same bytes back
            self._remember(remembered, xml, [])
            return xml
        root = parse_xml(xml, target)
        changed = False
        shrunk: list[tuple[str, float, float]] = []
        limits = growth_limits(state, spec.part)  # boxes that grow with their text, down to a shape under them
        shapes = list(root.iter(_SP))
        if len(shapes) != fitted.pop(-1, -1):
            fitted = {}  # not the shapes _all_fit cut out: measure every one again
        for index, sp in enumerate(shapes):
            sid = shape_id(sp)
            shape = tagged.get(sid)
            if shape is None or fitted.get(index) == sid:
                continue
            key = (layout, etree.tostring(sp), limits.get(sid))
            if key in state.fits:
                continue
            frame = state.paragraphs.read(sp, spec.part, state.styles, state.fonts, state.theme_fonts(spec.part))
            stop_growing(frame, limits.get(sid))
            if frame is None:
                continue
            measure = frame.measure()
            if measure.fits:
                if len(state.fits) >= _MAX_RESULTS * 8:
                    state.fits.clear()
                state.fits.add(key)
                continue
            if self.policy == "shrink":
                floor = self._floor(sp, frame)
                for sizes in frame.shrink_steps(floor):
                    trial = frame.measure(sizes)
                    if trial.fits:
                        frame.apply(sizes)
                        changed = True
                        shrunk.append((shape.name, frame.largest_size(), frame.largest_size(sizes)))
                        break
                    measure = trial
                else:
                    raise self._overflow(number, spec, shape, measure, frame, at_minimum=True, floor=floor)
                continue
            raise self._overflow(number, spec, shape, measure, frame, at_minimum=False)
        result = to_bytes(root) if changed else xml
        self._remember(remembered, result, shrunk)
        self.shrinks.extend(Shrink(number, *s) for s in shrunk)
        return result

    def _remember(self, key: tuple, result: bytes, shrunk: list) -> None:
        results = self.state.results
        if len(results) >= _MAX_RESULTS:
            results.clear()
        results[key] = (result, shrunk)

    def _all_fit(self, xml: bytes, target: str, spec, tagged: dict, layout: str | None, fitted: dict) -> bool:
        """True when every tagged frame fits as it is, found by parsing only the shapes not measured before.

        False (the caller then parses the whole slide) when the slide cannot be cut up by text
        (:mod:`deckgen.engine.layout.fragments`) or a frame needs shrinking or does not fit. ``fitted``
        gets the place (among the slide's shapes) and id of each tagged shape found fitting, or with no
        frame to fit, and under -1 how many shapes the slide has, so the caller measures only the others.
        """
        cut = shape_fragments(xml)
        if cut is None:
            return False
        state = self.state
        wrapper, shapes = cut
        fitted[-1] = len(shapes)
        shrinks = False  # a shape measured from its text does not fit: the others are still measured
        limits = growth_limits(state, spec.part)
        for index, (sid, text) in enumerate(shapes):
            shape = tagged.get(sid)
            if shape is None:
                continue
            key = (layout, wrapper, text, limits.get(sid))  # the wrapper: the namespaces the text is read in
            if key in state.fits:
                fitted[index] = sid
                continue
            quick = state.measures.measure(wrapper, sid, text, spec.part, state, limits.get(sid))
            if quick is NO_FRAME:
                fitted[index] = sid
                continue
            if quick is not None:
                if not quick.fits:
                    shrinks = True
                    continue
                if len(state.fits) >= _MAX_RESULTS * 8:
                    state.fits.clear()
                state.fits.add(key)
                fitted[index] = sid
                continue
            try:
                sp = parse_xml(wrapper + text + WRAPPER_END, target)[0]
            except DeckgenError:
                return False
            if shape_id(sp) != sid:
                return False
            frame = state.paragraphs.read(sp, spec.part, state.styles, state.fonts, state.theme_fonts(spec.part))
            stop_growing(frame, limits.get(sid))
            if frame is not None and not frame.measure().fits:
                return False
            fitted[index] = sid
            if frame is None:
                continue
            if len(state.fits) >= _MAX_RESULTS * 8:
                state.fits.clear()
            state.fits.add(key)
        return not shrinks

    def _floor(self, sp, frame: TextFrame) -> float:
        """The size text may shrink to: min_font_size, or for a footer (the date, footer, slide number
        and header placeholders, which designers set small) three quarters of its own size."""
        ph = sp.find(_PH)
        if ph is not None and ph.get("type") in _FOOTERS:
            return min(self.min_pt, frame.largest_size() * _FOOTER_SHRINK)
        return self.min_pt

    def _overflow(
        self,
        number: int,
        spec,
        shape: TaggedShape,
        measure: Measure,
        frame: TextFrame,
        at_minimum: bool,
        floor: float | None = None,
    ) -> TextOverflowError:
        where = f"slide {number}" + (f" (template slide {spec.number})" if spec.number != number else "")
        if measure.direction == "wide":
            need = f"a line is {describe_length(measure.excess)} wider than the box"
        else:
            needed, has = describe_lengths(measure.height, measure.available_height)
            need = f"it needs {needed} of height and the box has {has}"
        if at_minimum and floor is not None and floor < self.min_pt:
            hint = (
                f"even at {_pt(floor)} pt, the smallest a footer is shrunk to (three quarters of its size); "
                "shorten the text"
            )
        elif at_minimum and frame.largest_size() > self.min_pt:
            hint = (
                f"even at {_pt(self.min_pt)} pt, the smallest allowed (min_font_size in template.yaml); "
                "shorten the text"
            )
        elif at_minimum:
            hint = (
                f"at {_pt(frame.largest_size())} pt, already smaller than min_font_size "
                f"({_pt(self.min_pt)} pt), so it is not shrunk; shorten the text or make the box larger"
            )
        else:
            hint = (
                f"at {_pt(frame.largest_size())} pt; shorten the text, or let deckgen shrink it "
                "(fit: shrink in template.yaml)"
            )
        exc = TextOverflowError(
            f"{where}, shape '{shape.name}': the text of {shape.field()} is too long for its box — {need} {hint}"
        )
        exc.slide, exc.shape, exc.tags = number, shape.name, list(shape.tags)
        return exc


__all__ = [
    "POLICIES",
    "FontBook",
    "FontChoice",
    "DeckStyles",
    "TextFrame",
    "Measure",
    "Shrink",
    "SlideFitter",
    "FitState",
    "TaggedShape",
    "read_frame",
    "tagged_shapes",
    "shape_id",
    "is_cjk",
    "describe_length",
    "FONTS_DIR",
    "METRIC_COMPATIBLE",
]
