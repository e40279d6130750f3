"""A paragraph as text fitting measures it: its tokens (words, runs of spaces, line breaks), compact.

:class:`~deckgen.engine.layout.frame.TextFrame` reads a paragraph into tokens and
:class:`~deckgen.engine.layout.paragraphs.ParagraphMemo` keeps thousands of them, so a token is a
few numbers in flat sequences rather than objects of its own (~1 KB a paragraph, was ~8–16 KB).
"""

from __future__ import annotations

import re
from array import array
from dataclasses import dataclass

from deckgen.engine.layout.fonts import text_pieces

WORD, SPACE, BREAK = 0, 1, 2
EMU_PER_PT = 12700
_TAB = " " * 4  # a tab is measured as four spaces (tab stops are not modelled)
_LATIN_PIECES = re.compile("[ \t]+|[^ \t]+")  # fonts.text_pieces for text with no CJK and no ideographic space


@dataclass(slots=True)
class Para:
    """A paragraph read for measuring, compact (a memo keeps thousands): one entry per token in each sequence.

    A token is a word, a run of spaces or a line break. One that lies in one run (nearly all) is its
    kind, slot, advance (ems), letter spacing (pt, all its characters) and text, face and letter
    spacing per character (for a word that must break between characters); one spanning runs keeps
    its groups and pieces in ``spans`` by its index instead.
    """

    kinds: bytes  # WORD, SPACE or BREAK per token
    slots: tuple[int, ...]  # the token's slot (a break's own)
    ems: array  # the token's advance in ems at 1 pt
    spacing: array  # letter spacing (pt) of all its characters
    texts: tuple[str, ...]
    faces: tuple
    char_spacing: array
    # token index -> (((slot, ems, spacing pt), …), ((slot, text, face, spacing pt), …))
    spans: dict[int, tuple[tuple, tuple]]
    end_slot: int
    first_indent: float  # pt from the box's left edge where the first line's text starts
    left: float  # pt where the other lines start
    right: float
    line: tuple[str, float]
    before: tuple[str, float]
    after: tuple[str, float]


class Tokens:
    """A paragraph's tokens as its runs are read, in :class:`Para`'s flat sequences."""

    __slots__ = ("kinds", "slots", "ems", "spacing", "texts", "faces", "char_spacing", "spans")

    def __init__(self) -> None:
        self.kinds = bytearray()
        self.slots: list[int] = []
        self.ems, self.spacing, self.char_spacing = array("d"), array("d"), array("d")
        self.texts: list[str] = []
        self.faces: list = []
        self.spans: dict[int, tuple[dict, list]] = {}  # token index -> ({slot: [ems, spacing pt]}, [pieces])

    def add(self, kind: int, slot: int, piece: str, face, ems: float, spc: float, join: bool) -> None:
        """One piece of a run: a token of its own, or (``join``) the next part of the last token, from another run."""
        if join:
            i = len(self.kinds) - 1
            span = self.spans.get(i)
            if span is None:
                first = self.slots[i]
                span = self.spans[i] = (
                    {first: [self.ems[i], self.spacing[i]]},
                    [(first, self.texts[i], self.faces[i], self.char_spacing[i])],
                )
            group = span[0].setdefault(slot, [0.0, 0.0])
            group[0] += ems
            group[1] += spc * len(piece)
            span[1].append((slot, piece, face, spc))
            return
        self.kinds.append(kind)
        self.slots.append(slot)
        self.ems.append(0.0 + ems)  # the same sums as a group of one run starting at zero
        self.spacing.append(0.0 + spc * len(piece))
        self.char_spacing.append(spc)
        self.texts.append(piece)
        self.faces.append(face)

    def add_latin(self, slot: int, text: str, face, spc: float, open_kind: int | None, tab: str) -> int:
        """All of a run's ``text`` (no character from U+1100 on: no CJK, no ideographic space) at once.

        The same tokens as :meth:`add` for each of its pieces (spaces measured with each tab as ``tab``);
        only the first can join the last token (pieces alternate between words and spaces). Returns the
        kind of the last piece: the ``open_kind`` of the next run.
        """
        pieces = _LATIN_PIECES.findall(text)
        kinds = [SPACE if piece[0] in " \t" else WORD for piece in pieces]
        ems = face.ems
        if "\t" in text:
            advances = [ems(piece.replace("\t", tab)) for piece in pieces]
        else:
            advances = [ems(piece) for piece in pieces]
        if kinds[0] == open_kind:
            self.add(kinds[0], slot, pieces[0], face, advances[0], spc, True)
            del pieces[0], kinds[0], advances[0]
        n = len(pieces)
        self.kinds.extend(kinds)
        self.slots.extend([slot] * n)
        self.ems.extend([0.0 + a for a in advances])
        self.spacing.extend([0.0 + spc * len(piece) for piece in pieces])
        self.char_spacing.extend([spc] * n)
        self.texts.extend(pieces)
        self.faces.extend([face] * n)
        return kinds[-1] if kinds else open_kind

    def line_break(self, slot: int) -> None:
        self.kinds.append(BREAK)
        self.slots.append(slot)
        self.ems.append(0.0)
        self.spacing.append(0.0)
        self.char_spacing.append(0.0)
        self.texts.append("")
        self.faces.append(None)

    def freeze(self) -> tuple:
        """(kinds, slots, ems, spacing, texts, faces, char spacing, spans): :class:`Para`'s first fields."""
        spans = {
            i: (tuple((s, a, b) for s, (a, b) in groups.items()), tuple(pieces))
            for i, (groups, pieces) in self.spans.items()
        }
        return (
            bytes(self.kinds),
            tuple(self.slots),
            self.ems,
            self.spacing,
            tuple(self.texts),
            tuple(self.faces),
            self.char_spacing,
            spans,
        )


def paragraph_of(runs: list[tuple], end_slot: int, props: dict) -> Para:
    """A paragraph's :class:`Para` from its runs as :meth:`~deckgen.engine.layout.frame.TextFrame._runs` reads them."""
    tokens = Tokens()
    open_kind = None  # the kind of the last token while the next piece may still join it
    for run in runs:
        if len(run) == 1:
            tokens.line_break(run[0])
            open_kind = None
            continue
        slot, text, latin, east_asian, spc = run[:5]
        if text and max(text) < "\u1100":  # no CJK, no ideographic space (nearly all text): a run at once
            open_kind = tokens.add_latin(slot, text, latin, spc, open_kind, _TAB)
            continue
        for space, cjk, word in text_pieces(text):  # exactly one of the three is not empty
            if space:
                piece, kind, face = space, SPACE, latin
                if space == " ":
                    ems = latin.ems(" ")
                else:
                    ems = latin.ems(space.replace("\t", _TAB).replace("\u3000", ""))
                    ems += space.count("\u3000")
            elif cjk:
                piece, kind, face = cjk, WORD, east_asian
                ems = east_asian.advance(cjk) if east_asian is not None else 1.0
            else:
                piece, kind, face = word, WORD, latin
                ems = latin.ems(word)
            tokens.add(kind, slot, piece, face, ems, spc, open_kind == kind and not cjk)
            open_kind = None if cjk else kind  # CJK text breaks around every character
    indent = props.get("indent", 0) / EMU_PER_PT
    left = props.get("marL", 0) / EMU_PER_PT
    first = left + indent
    if props.get("bullet") and indent < 0:
        first = left  # a hanging bullet sits in the indent; the text starts at marL
    return Para(
        *tokens.freeze(),
        end_slot,
        max(first, 0.0),
        max(left, 0.0),
        props.get("marR", 0) / EMU_PER_PT,
        props.get("lnSpc", ("pct", 1.0)),
        props.get("spcBef", ("pts", 0.0)),
        props.get("spcAft", ("pts", 0.0)),
    )


__all__ = ["BREAK", "EMU_PER_PT", "SPACE", "WORD", "Para", "Tokens", "paragraph_of"]
