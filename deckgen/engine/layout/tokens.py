"""A paragraph as text fitting measures it: its tokens (words, runs of spaces, line breaks), compact.

:class:`~deckgen.engine.layout.frame.TextFrame` reads a paragraph into tokens and
:class:`~deckgen.engine.layout.paragraphs.ParagraphMemo` keeps thousands of them, so a token is a
few numbers in flat sequences rather than objects of its own (~1 KB a paragraph, was ~8–16 KB).
"""

from __future__ import annotations

from array import array
from dataclasses import dataclass

WORD, SPACE, BREAK = 0, 1, 2


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


__all__ = ["BREAK", "SPACE", "WORD", "Para", "Tokens"]
