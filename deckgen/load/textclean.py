"""Cleaning of user text, done once at load.

Text from CSV exports, YAML typed by hand and CRM fields can carry characters
that are invalid in XML (C0 controls, U+FFFE/U+FFFF, lone surrogates) or that
are dangerous in a document (bidi overrides that reorder what a reader sees).
They are removed here, once, with a warning naming the field.
"""

from __future__ import annotations

import re
import unicodedata

from deckgen.errors import DataWarning
from deckgen.model import format_field_path

# Characters XML 1.0 forbids, plus noncharacters and bidi controls that can hide text.
_BAD = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f"  # C0 controls (tab, LF, CR allowed) and DEL
    "\x80-\x9f"  # C1 controls
    "\ud800-\udfff"  # lone surrogates
    "\ufdd0-\ufdef\ufffe\uffff"  # noncharacters
    "\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c"  # bidi embeddings, overrides, isolates, marks
    "]"
)
_NONCHAR_PLANES = re.compile("[\U0001fffe\U0001ffff\U0002fffe\U0002ffff\U0010fffe\U0010ffff]")
# Characters that show nothing and can hide text from a reviewer: zero-width space, word joiner and the
# invisible operators, the BOM used as a space, Mongolian vowel separator, Hangul fillers.
_HIDDEN = re.compile("[\u200b\u2060-\u2064\ufeff\u180e\u3164\uffa0\u115f\u1160]")
# Unicode tag characters spell invisible ASCII; they are kept only inside a flag emoji (U+1F3F4, tags, U+E007F).
_TAGS = re.compile("(\U0001f3f4[\U000e0020-\U000e007e]{1,30}\U000e007f)|[\U000e0000-\U000e007f]")
# Zero-width (non-)joiners shape Persian, Indic and emoji text between two visible characters; elsewhere
# (at an edge, next to a space, or in a run) they only hide things.
_JOINERS = re.compile("[\u200c\u200d]+")
REMOVED_CHARACTERS = "removed control or invisible characters"


def clean_text(value: str) -> tuple[str, bool]:
    """Return ``(cleaned, changed)``: NFC-normalised text without unsafe characters.

    Line breaks are normalised to ``\\n``; tabs are kept.
    """
    text = value.replace("\r\n", "\n").replace("\r", "\n")
    cleaned = _BAD.sub("", text)
    cleaned = _NONCHAR_PLANES.sub("", cleaned)
    cleaned = _HIDDEN.sub("", cleaned)
    cleaned = _TAGS.sub(lambda m: m.group(1) or "", cleaned)
    cleaned = _JOINERS.sub(_keep_joining, cleaned)
    cleaned = unicodedata.normalize("NFC", cleaned)
    return cleaned, cleaned != text


def _keep_joining(m: re.Match) -> str:
    """A lone joiner between two visible characters stays; edges and runs go."""
    text, start, end = m.string, m.start(), m.end()
    if end - start == 1 and 0 < start < end < len(text) and not (text[start - 1].isspace() or text[end].isspace()):
        return m.group(0)
    return ""


def clean_tree(value) -> tuple[object, list[DataWarning]]:
    """Return ``value`` (nested dicts/lists of text) with every string cleaned, and one warning per changed field."""
    warnings: list[DataWarning] = []
    return _clean(value, (), warnings), warnings


def _clean(value, loc: tuple, warnings: list[DataWarning]):
    if isinstance(value, str):
        cleaned, changed = clean_text(value)
        if changed:
            warnings.append(DataWarning(REMOVED_CHARACTERS, field=format_field_path(loc) or "value"))
        return cleaned
    if isinstance(value, dict):
        # a key is cleaned under its parent's name: the key itself is what the warning is about
        return {
            (_clean(k, loc, warnings) if isinstance(k, str) else k): _clean(v, loc + (k,), warnings)
            for k, v in value.items()
        }
    if isinstance(value, list):
        return [_clean(v, loc + (i,), warnings) for i, v in enumerate(value)]
    return value


def neutralise_formula(value: str) -> str:
    """Prefix text that a spreadsheet would treat as a formula with an apostrophe."""
    if value and value[0] in "=+-@\t\r|" and not _is_plain_number(value):
        return "'" + value
    return value


def _is_plain_number(value: str) -> bool:
    try:
        float(value)
    except ValueError:
        return False
    return True
