"""Tagged text frames measured from their text: a frame's paragraphs looked up by their bytes, not parsed.

Text fitting asks of most rendered shapes only whether they fit as they are. Parsing each such shape
(and serialising each of its paragraphs to look it up in :class:`~deckgen.engine.layout.paragraphs.ParagraphMemo`)
cost more than measuring it. :class:`TextMeasures` cuts a shape's text (one of
:func:`~deckgen.engine.layout.fragments.shape_fragments`) into what surrounds its paragraphs (the
*skeleton*: position, body and list styles) and the paragraphs themselves. The skeleton is parsed once
per template slide and text (its frame's box, insets and list levels kept); each distinct paragraph
is parsed on its own, once, and read exactly as :class:`~deckgen.engine.layout.frame.TextFrame` reads
it. Measuring then replays the remembered paragraphs, with the same numbers a fresh read gives. A new
paragraph in markup seen before (only its text is new: the prospect's name) is not even parsed: it is
read from its bytes with the plan the first one of that form left (:mod:`deckgen.engine.layout.paraplan`).

A shape this cannot cut for certain (namespaces declared inside it, a paragraph inside another,
anything after the text body) gives None, and the caller parses it as before.
"""

from __future__ import annotations

import copy
import itertools
import re

from deckgen.engine.layout.frame import Measure, TextFrame, shape_id
from deckgen.engine.layout.paragraphs import remembered_wrap
from deckgen.engine.layout.paraplan import Plan, form_of, plan_of
from deckgen.engine.layout.room import stop_growing
from deckgen.engine.layout.tokens import paragraph_of
from deckgen.engine.opc import NS, parse_xml, q
from deckgen.errors import DeckgenError

NO_FRAME = object()  # the shape has no text frame to measure (no box, vertical text): nothing to fit
_P, _SP, _TX_BODY = q("a:p"), q("p:sp"), q("p:txBody")
_PARAGRAPHS = f"{_TX_BODY}/{_P}"
_DML = NS["a"].encode()
_A_DECLARATION = b'xmlns:a="' + _DML + b'"'
_P_OPEN = re.compile(rb"<a:p[\s>/]")
_P_CLOSE = b"</a:p>"
_SUFFIX = b"</p:txBody></p:sp>"
_FROM_WRAPPER_END = b"</p:spTree>"
# remembered per template (keeps memory flat over a long batch)
_MAX_SKELETONS = 256
_MAX_PARAGRAPHS = 2048  # ~2 KB each, as in ParagraphMemo
_MAX_PLANS = 512  # paragraph forms (a template has a few dozen per shape at most)
# paragraphs of a shape read before one whose text rarely comes back (it names the prospect) is no longer kept
_GIVE_UP_AFTER = 128
_MIN_HIT_RATE = 0.25
_numbers = itertools.count()


def split_paragraphs(text: bytes) -> tuple[bytes, list[bytes]] | None:
    """(the shape's text before its first paragraph, [each paragraph's text]), or None when not certain.

    The paragraphs must follow one another and close the text body, the shape ending right after it;
    no namespace may be declared inside the shape.
    """
    if b"xmlns" in text:
        return None
    first = _P_OPEN.search(text)
    if first is None:
        return None
    pos = first.start()
    paragraphs = []
    while text.startswith(b"<a:p", pos) and text[pos + 4 : pos + 5] in (b" ", b">", b"/", b"\t", b"\r", b"\n"):
        tag_end = text.find(b">", pos)
        if tag_end < 0:
            return None
        if text[tag_end - 1] == ord("/"):
            end = tag_end + 1
        else:
            close = text.find(_P_CLOSE, tag_end)
            if close < 0 or _P_OPEN.search(text, tag_end, close) is not None:
                return None  # unclosed, or a paragraph inside another
            end = close + len(_P_CLOSE)
        paragraphs.append(text[pos:end])
        pos = end
    if text[pos:] != _SUFFIX:
        return None
    return text[: first.start()], paragraphs


class _Skeleton:
    """A shape's frame without its paragraphs: ``frame`` is a TextFrame holding none (or NO_FRAME)."""

    __slots__ = ("number", "frame", "levels", "shape")

    def __init__(self, frame, levels, shape: tuple[str, str]) -> None:
        self.number = next(_numbers)  # never reused, so a cleared skeleton's paragraphs never match another
        self.frame, self.levels, self.shape = frame, levels, shape


class _Replayed(TextFrame):
    """A skeleton's frame with remembered paragraphs: measures exactly as the frame read whole would."""

    def _wrap(self, para, pts: list[float]) -> tuple[list[float], float]:
        return remembered_wrap(self, para, pts, self._wraps[id(para)], super()._wrap)


class TextMeasures:
    """Measures tagged shapes of one compiled template's slides from their text (lives on its FitState)."""

    def __init__(self) -> None:
        self.skeletons: dict[tuple, _Skeleton | None] = {}  # None: the skeleton can't be trusted
        # (skeleton number, first slot, paragraph text) -> (slots, paragraph, {(width, wrap, sizes): lines})
        self.paragraphs: dict[tuple, tuple] = {}
        self.stats: dict[tuple[str, str], list[int]] = {}  # (slide, shape id) -> [paragraphs reused, read]
        self.plans: dict[tuple, Plan] = {}  # (skeleton number, first slot, paragraph form) -> how it reads

    def measure(
        self, wrapper: bytes, sid: str, text: bytes, slide_part: str, state, bottom: int | None = None
    ) -> Measure | object | None:
        """The shape's Measure as its text is, NO_FRAME when it has none to measure, None when it must be parsed.

        ``wrapper`` declares the slide root's namespaces (:func:`~deckgen.engine.layout.fragments.shape_fragments`);
        ``state`` is the template's :class:`~deckgen.engine.layout.fitting.FitState`; ``bottom`` is where a
        frame that grows with its text must stop (:func:`~deckgen.engine.layout.room.stop_growing`).
        """
        cut = split_paragraphs(text)
        if cut is None or _A_DECLARATION not in wrapper or wrapper.count(_DML) != 1:
            return None
        prefix, paragraphs = cut
        key = (slide_part, wrapper, prefix)
        skeleton = self.skeletons.get(key, NO_FRAME)
        if skeleton is NO_FRAME:
            if len(self.skeletons) >= _MAX_SKELETONS:
                self.skeletons.clear()
            skeleton = self.skeletons[key] = _skeleton(wrapper, sid, prefix, slide_part, state)
        if skeleton is None:
            return None
        if skeleton.frame is NO_FRAME:
            return NO_FRAME
        frame = copy.copy(skeleton.frame)
        frame.slots, frame.paras, frame._wraps = [], [], {}
        stats = self.stats.setdefault(skeleton.shape, [0, 0])
        keep = not (stats[1] >= _GIVE_UP_AFTER and stats[0] < _MIN_HIT_RATE * (stats[0] + stats[1]))
        for paragraph in paragraphs:
            start = len(frame.slots)
            pkey = (skeleton.number, start, paragraph)
            found = self.paragraphs.pop(pkey, None)
            if found is None:
                stats[1] += 1
                found = self._read(wrapper, paragraph, slide_part, skeleton, frame, start)
                if found is None:
                    return None
                if keep:
                    if len(self.paragraphs) >= _MAX_PARAGRAPHS:
                        del self.paragraphs[next(iter(self.paragraphs))]
                    self.paragraphs[pkey] = found
            else:
                stats[0] += 1
                self.paragraphs[pkey] = found  # now the most recently used
                frame.slots += found[0]
                frame.paras.append(found[1])
            frame._wraps[id(found[1])] = (start, found[2])
        stop_growing(frame, bottom)
        return frame.measure()

    def _read(self, wrapper: bytes, paragraph: bytes, slide_part: str, skeleton: _Skeleton, frame, start: int):
        """(slots, Para, {}) of a paragraph not seen before, read into ``frame``; None when it must be parsed whole.

        A paragraph of a form seen before is read from its bytes (:mod:`deckgen.engine.layout.paraplan`).
        """
        form, texts = form_of(paragraph)
        key = (skeleton.number, start, form)
        plan = self.plans.get(key)
        if plan is not None:
            para = plan.read(texts)
            if para is not None:
                frame.slots += plan.slots
                frame.paras.append(para)
                return plan.slots, para, {}
        p = _parse_paragraph(wrapper, paragraph, slide_part)
        if p is None:
            return None
        runs, end_slot, props = TextFrame._runs(frame, p, skeleton.levels)
        frame.paras.append(paragraph_of(runs, end_slot, props))
        slots = tuple(slot.on(None) for slot in frame.slots[start:])  # no element of this deck kept
        frame.slots[start:] = slots
        if plan is None:
            plan = plan_of(p, texts, runs, end_slot, props, slots)
            if plan is not None:
                if len(self.plans) >= _MAX_PLANS:
                    del self.plans[next(iter(self.plans))]
                self.plans[key] = plan
        return slots, frame.paras[-1], {}


def _skeleton(wrapper: bytes, sid: str, prefix: bytes, slide_part: str, state) -> _Skeleton | None:
    """The frame of a shape whose text is ``prefix`` + paragraphs + ``</p:txBody></p:sp>``, read once."""
    try:
        tree = parse_xml(wrapper + prefix + b"<a:p/>" + _SUFFIX + _FROM_WRAPPER_END, slide_part)
    except DeckgenError:
        return None
    if len(tree) != 1 or tree[0].tag != _SP:
        return None
    sp = tree[0]
    placeholder = list(sp.iterfind(_PARAGRAPHS))
    if shape_id(sp) != sid or len(placeholder) != 1 or sum(1 for _ in sp.iter(_P)) != 1:
        return None  # the paragraphs would not all be the text body's own
    placeholder[0].getparent().remove(placeholder[0])
    shape = (slide_part, sid)
    style = state.styles.frame_style(sp, slide_part)
    if style.box is None or style.box.cx <= 0 or style.box.cy <= 0:
        return _Skeleton(NO_FRAME, None, shape)
    styles = state.styles
    frame = _Replayed(sp, style, state.fonts, state.theme_fonts(slide_part), (styles.slide_width, styles.slide_height))
    if frame.vertical:
        return _Skeleton(NO_FRAME, None, shape)
    frame.sp = None  # measuring never looks at it; a replayed frame is never shrunk (the caller parses for that)
    return _Skeleton(frame, style.levels, shape)


def _parse_paragraph(wrapper: bytes, paragraph: bytes, slide_part: str):
    try:
        tree = parse_xml(wrapper + paragraph + _FROM_WRAPPER_END, slide_part)
    except DeckgenError:
        return None
    if len(tree) != 1 or tree[0].tag != _P or tree.text or tree[0].tail:
        return None
    return tree[0]


__all__ = ["NO_FRAME", "TextMeasures", "split_paragraphs"]
