"""Text frames read with their paragraphs remembered: a paragraph read once is not read again.

Reading a paragraph (:class:`~deckgen.engine.layout.frame.TextFrame`: its runs' properties and fonts,
its words and their advances) is most of what fitting a slide's text costs, and most paragraphs come
back deck after deck even when the frame around them does not: the fit reasons of a seller brief
draw on a few sentences per criterion, the closing line on a library, a title on the MSP's words.
:class:`ParagraphMemo` keeps what reading a paragraph added to a frame (its slots and its laid-out
pieces), keyed by the paragraph's XML and everything else the reading looks at (the list levels
and the theme fonts the frame inherits), and replays it into the next frame holding the same
paragraph: the same slots (pointing at the new frame's own elements, so shrinking writes into the
right runs) and the same pieces, so every measurement is the same as reading it afresh.
"""

from __future__ import annotations

from lxml import etree

from deckgen.engine.layout.frame import TextFrame, read_frame, shape_id
from deckgen.engine.layout.styles import DeckStyles
from deckgen.engine.opc import q

_TX_BODY = q("p:txBody")
# remembered per template (keeps memory flat over a long batch): a paragraph costs ~2 KB (its XML as the key,
# its compact reading; it was ~8–16 KB before the reading was made compact), so 2,048 of them ~4 MiB
_MAX_PARAGRAPHS = 2048
_MAX_INPUTS = 64  # kinds of frame (list styles and fonts) a template's slides hold, shared by the keys
_MAX_WRAPS = 16  # widths and size steps remembered per paragraph (shrinking tries a few sizes)
# paragraphs of a shape read before one whose text rarely comes back is read plainly: the fit reasons and
# objections of a seller brief come back often, but only once a few dozen briefs have filled the memo
_GIVE_UP_AFTER = 128
_MIN_HIT_RATE = 0.25


class ParagraphMemo:
    """Remembered paragraphs of one compiled template's slides; :meth:`read` stands in for ``read_frame``.

    The least recently used paragraph goes first; a shape whose paragraphs rarely come back (one
    naming the prospect) stops being remembered after a few decks, so it costs nothing extra.
    """

    def __init__(self) -> None:
        # (frame inputs, first slot, paragraph XML) -> (slots, paragraph, {(width, wrap, sizes): lines})
        self.paragraphs: dict[tuple, tuple] = {}
        self.inputs: dict[tuple, tuple] = {}  # one copy of each frame's inputs, shared by the keys
        self.stats: dict[tuple[str, str], list[int]] = {}  # (slide, shape id) -> [paragraphs reused, read]
        self.plain: set[tuple[str, str]] = set()

    def read(self, sp, slide_part: str, styles: DeckStyles, fonts, theme_fonts: dict[str, str]) -> TextFrame | None:
        """What :func:`~deckgen.engine.layout.frame.read_frame` returns, each distinct paragraph read once."""
        if sp.find(_TX_BODY) is None:
            return None
        shape = (slide_part, shape_id(sp))
        if shape in self.plain:
            return read_frame(sp, slide_part, styles, fonts, theme_fonts)
        style = styles.frame_style(sp, slide_part)
        if style.box is None or style.box.cx <= 0 or style.box.cy <= 0:
            return None
        stats = self.stats.setdefault(shape, [0, 0])
        # what reading a paragraph looks at besides the paragraph itself: the same for all of the frame's
        inputs = (id(fonts), tuple(sorted(theme_fonts.items())), repr(style.levels), repr(style.own_levels))
        if len(self.inputs) >= _MAX_INPUTS:
            self.inputs.clear()
        inputs = self.inputs.setdefault(inputs, inputs)
        size = (styles.slide_width, styles.slide_height)
        frame = _RememberingFrame(sp, style, fonts, theme_fonts, size, self, inputs, stats)
        if stats[1] >= _GIVE_UP_AFTER and stats[0] < _MIN_HIT_RATE * (stats[0] + stats[1]):
            self.plain.add(shape)
        return None if frame.vertical else frame

    def recall(self, key: tuple) -> tuple | None:
        found = self.paragraphs.pop(key, None)
        if found is not None:
            self.paragraphs[key] = found  # now the most recently used
        return found

    def remember(self, key: tuple, value: tuple) -> None:
        if len(self.paragraphs) >= _MAX_PARAGRAPHS:
            del self.paragraphs[next(iter(self.paragraphs))]
        self.paragraphs[key] = value


class _RememberingFrame(TextFrame):
    def __init__(self, sp, style, fonts, theme_fonts, slide_size, memo: ParagraphMemo, inputs, stats) -> None:
        self._memo, self._inputs, self._stats = memo, inputs, stats
        self._remembered: dict[int, tuple[int, dict]] = {}  # id of a paragraph -> (its first slot, its wraps)
        super().__init__(sp, style, fonts, theme_fonts, slide_size)

    def _read_paragraph(self, p, levels: list[dict]) -> None:
        start = len(self.slots)  # the paragraph's slots are numbered from here: part of what it reads as
        key = (self._inputs, start, etree.tostring(p, with_tail=False))
        found = self._memo.recall(key)
        if found is None:
            self._stats[1] += 1
            super()._read_paragraph(p, levels)
            slots = tuple(
                (None if s.element is None else p.index(s.element), s.on(None)) for s in self.slots[start:]
            )  # no element kept: it would keep this deck's whole slide alive
            found = (slots, self.paras[-1], {})
            self._memo.remember(key, found)
        else:
            self._stats[0] += 1
            slots, para, _ = found
            children = list(p)
            self.slots += [slot.on(None if index is None else children[index]) for index, slot in slots]
            self.paras.append(para)  # read, never changed, by measuring
        self._remembered[id(found[1])] = (start, found[2])

    def _wrap(self, para, pts: list[float]) -> tuple[list[float], float]:
        """The paragraph's lines, a remembered paragraph wrapped once per width and sizes (read, never changed)."""
        return remembered_wrap(self, para, pts, self._remembered[id(para)], super()._wrap)


def remembered_wrap(frame: TextFrame, para, pts: list[float], remembered: tuple[int, dict], wrap) -> tuple:
    """``wrap(para, pts)`` once per width, wrap mode and sizes of a remembered paragraph.

    ``remembered`` is (the paragraph's first slot, its wraps so far): the sizes of its own slots are
    the part of ``pts`` its lines depend on.
    """
    start, wraps = remembered
    key = (frame.column_width, frame.wrap, tuple(pts[start : para.end_slot + 1]))
    found = wraps.get(key)
    if found is None:
        found = wrap(para, pts)
        if len(wraps) >= _MAX_WRAPS:
            wraps.clear()
        wraps[key] = found
    return found


__all__ = ["ParagraphMemo"]
