"""Paragraphs read from their bytes when only their text is new: no parse, no walk over their elements.

A paragraph :class:`~deckgen.engine.layout.textmeasure.TextMeasures` has not seen is nearly always one
whose text is new (the prospect's name, a pain point) in markup it has seen: the same paragraph and
run properties, the same runs. Its *form* is its bytes with the text of every ``<a:t>`` taken out. The
first paragraph of a form is parsed and read as before, and what reading it found (its slots, each
run's faces, letter spacing and caps, the paragraph's properties) is kept as the form's :class:`Plan`,
once the texts cut out of its bytes are checked to be the very texts the parser read. A later
paragraph of that form has only its texts cut out and decoded, and is tokenised with the plan: the
same slots and :class:`~deckgen.engine.layout.tokens.Para` a parse and read would give. Text that
might not decode exactly as the XML parser decodes it (a carriage return, a control character, an
entity other than the five XML predefines or a character reference) gives None: parse it.
"""

from __future__ import annotations

import re

from deckgen.engine.layout.tokens import Para, paragraph_of
from deckgen.engine.opc import q

_T, _R, _FLD = q("a:t"), q("a:r"), q("a:fld")
_TEXT = re.compile(rb"<a:t>([^<]*)</a:t>")
_EMPTY = b"<a:t></a:t>"
# the parser turns CR and CR LF into LF, refuses other control characters and "]]>" in text
_UNCERTAIN = re.compile(rb"[\x00-\x08\x0b-\x1f]|\]\]>")
_REF = re.compile(r"&(?:(amp|lt|gt|quot|apos)|#([0-9]{1,7})|#x([0-9a-fA-F]{1,6}));")
_NAMED = {"amp": "&", "lt": "<", "gt": ">", "quot": '"', "apos": "'"}


def form_of(paragraph: bytes) -> tuple[bytes, list[bytes]]:
    """(the paragraph's bytes with every ``<a:t>``'s text taken out, those texts as written, in order)."""
    texts = _TEXT.findall(paragraph)
    return (_TEXT.sub(_EMPTY, paragraph) if texts else paragraph), texts


def decode_text(raw: bytes) -> str | None:
    """The text of ``<a:t>raw</a:t>`` as the XML parser reads it, or None when that is not certain."""
    if _UNCERTAIN.search(raw) is not None:
        return None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return None
    if "\ufffe" in text or "\uffff" in text:
        return None
    if "&" not in text:
        return text
    if "&" in _REF.sub("", text):
        return None  # a bare "&" or another entity: the parser refuses it or reads it otherwise
    out, pos = [], 0
    for m in _REF.finditer(text):
        name, decimal, hexadecimal = m.groups()
        if name:
            char = _NAMED[name]
        else:
            code = int(decimal, 10) if decimal else int(hexadecimal, 16)
            if not _xml_char(code):
                return None
            char = chr(code)
        out.append(text[pos : m.start()])
        out.append(char)
        pos = m.end()
    out.append(text[pos:])
    return "".join(out)


def _xml_char(code: int) -> bool:
    return code in (0x9, 0xA, 0xD) or 0x20 <= code <= 0xD7FF or 0xE000 <= code <= 0xFFFD or 0x10000 <= code <= 0x10FFFF


class Plan:
    """How a paragraph of one form reads: its slots (no element kept), runs, end mark and properties."""

    __slots__ = ("slots", "runs", "end_slot", "props")

    def __init__(self, slots: tuple, runs: list[tuple], end_slot: int, props: dict) -> None:
        self.slots, self.runs, self.end_slot, self.props = slots, runs, end_slot, props

    def read(self, raw_texts: list[bytes]) -> Para | None:
        """The Para of a paragraph of this form with these texts (as :func:`form_of` cut them), or None."""
        texts = []
        for raw in raw_texts:
            text = decode_text(raw)
            if text is None:
                return None
            texts.append(text)
        runs, k = [], 0
        for run in self.runs:
            if len(run) > 1 and run[6]:  # a run with an a:t: this paragraph's text in it
                text = texts[k]
                k += 1
                run = (run[0], text.upper() if run[5] else text, *run[2:])
            runs.append(run)
        if k != len(texts):
            return None
        return paragraph_of(runs, self.end_slot, self.props)


def plan_of(p, raw_texts: list[bytes], runs: list[tuple], end_slot: int, props: dict, slots: tuple) -> Plan | None:
    """The plan of parsed paragraph ``p`` (read into ``runs``), or None when its cut-out texts are not
    exactly the texts of its runs' ``a:t`` elements, one each, in order."""
    found = list(p.iter(_T))
    with_text = [run for run in runs if len(run) > 1 and run[6]]
    if not (len(found) == len(raw_texts) == len(with_text)):
        return None
    for t, raw in zip(found, raw_texts):
        run = t.getparent()
        if run is None or run.getparent() is not p or run.tag not in (_R, _FLD) or run.find(_T) is not t:
            return None
        if len(t) or decode_text(raw) != (t.text or ""):
            return None
    return Plan(slots, runs, end_slot, props)


__all__ = ["Plan", "decode_text", "form_of", "plan_of"]
