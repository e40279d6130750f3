"""What a cell's text means: numbers, sizes and revenue, yes/no, the IT model, lists.

CRMs and people write numbers many ways (``$1.5M``, ``1.234,5``, ``51-200``, ``500+``);
:func:`convert_cell` turns a cell into the value its field takes, with a
:class:`RowWarning` when it had to guess and a :class:`CellError` when it cannot.
"""

from __future__ import annotations

import re

from deckgen.errors import DataWarning
from deckgen.load.crm.headers import header_key
from deckgen.load.crm.industries import industry_label
from deckgen.load.crm.mapping import FieldSpec
from deckgen.load.crm.numbers import NotANumber, parse_number, show_number
from deckgen.load.explain import short_text
from deckgen.load.files import ZERO_IS_UNKNOWN
from deckgen.load.table import Cell

_MULTILINE = {"notes", "closing"}  # text fields whose line breaks are kept
_NULLISH = {
    "n/a", "na", "n.a.", "#n/a", "-", "--", "—", "–", "?", "null", "nil", "none", "unknown", "not known", "tbd",
    "tba", "k.a.", "k. a.", "keine angabe", "not available", "not specified", "unspecified", "#value!", "#ref!",
}  # fmt: skip
LIST_SEPARATORS = re.compile(r"[;\n\r]+")


class CellError(Exception):
    """A cell that cannot fill its field; the row fails with ``message`` naming ``field``."""

    def __init__(self, message: str, field: str | None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class RowWarning(DataWarning):
    """A warning about one row of a prospect list: ``row 2, column 'City' (location.city): ...``.

    ``target`` (the field path) is part of the sentence only where it says more than the column.
    """

    def __init__(self, message: str, *, row: int, column: str | None = None, target: str | None = None) -> None:
        super().__init__(message, row=row, field=target)
        self.column = column

    def __str__(self) -> str:
        where = f"row {self.row}"
        if self.column is not None:
            where += f", column '{self.column}'" + (f" ({self.field})" if self.field else "")
        return f"{where}: {self.message}"


def joined_text(value: Cell) -> str:
    """A cell as one text: a list of values (from JSON or YAML) joined with '; '."""
    return value if isinstance(value, str) else "; ".join(value)


def convert_cell(spec: FieldSpec, text: str, column: str, row: int) -> tuple[object, RowWarning | None]:
    """The value ``text`` (cleaned, not empty) gives field ``spec``, and the warning if it was guessed.

    None as the value leaves the field out. Raises CellError when the text cannot be that value.
    """
    kind = spec.kind
    if kind == "extra":
        return text, None
    if kind == "text":  # the common case, kept inline: it runs for most cells of every row
        if spec.path not in _MULTILINE:
            text = " ".join(text.split())
        if spec.path == "currency":
            code = text.upper()
            if not re.fullmatch(r"[A-Z]{3}", code):
                return None, RowWarning(
                    f"'{short_text(text)}' is not a three-letter currency code like EUR; ignored",
                    row=row,
                    column=column,
                )
            return code, None
        if spec.path == "locale":
            return text.replace("_", "-"), None
        if spec.path == "industry":
            return industry_label(text), None
        return text, None
    if text.casefold() in _NULLISH and kind in ("int", "float", "bool"):
        return None, None
    if kind in ("int", "float"):
        value, warning = _number_value(spec, text, column, row)
        if value == 0 and spec.path in ZERO_IS_UNKNOWN:  # the model reads it as unknown too: say so
            what = ZERO_IS_UNKNOWN[spec.path]
            return None, RowWarning(
                f"{what} of 0 read as not filled in (CRM exports write an empty amount as 0); left unknown, "
                "ask in discovery",
                row=row,
                column=column,
            )
        return value, warning
    if kind == "bool":
        try:
            return parse_bool(text), None
        except ValueError:
            raise CellError(f"'{short_text(text)}' in column '{column}' is not yes or no", spec.path) from None
    if kind == "it_model":
        value = parse_it_model(text)
        if value is None:
            return None, RowWarning(
                f"cannot tell the IT model from '{short_text(text)}'; left as unknown (use "
                "break_fix, in_house, co_managed, other_msp or none)",
                row=row,
                column=column,
            )
        return value, None
    return text, None  # enum values: the model checks them


def _number_value(spec: FieldSpec, text: str, column: str, row: int) -> tuple[float | int, RowWarning | None]:
    try:
        value, note = parse_number(text)
    except NotANumber as exc:
        why = exc.reason or "is not a number"
        raise CellError(f"'{short_text(text)}' in column '{column}' {why}", spec.path) from None
    warning = RowWarning(note, row=row, column=column) if note else None
    if spec.kind == "float":
        return value, warning
    if not float(value).is_integer():
        if not note:
            raise CellError(f"'{short_text(text)}' in column '{column}' must be a whole number", spec.path)
        value = round(value)  # the middle of a range
        warning = RowWarning(
            f"'{short_text(text)}' is a range; used the middle, {show_number(value)}", row=row, column=column
        )
    return int(value), warning


_TRUE = {"true", "yes", "y", "1", "x", "ja", "j", "oui", "si", "sí", "wahr", "vrai", "verdadero", "t", "on", "checked"}
_FALSE = {"false", "no", "n", "0", "nein", "non", "falsch", "faux", "falso", "f", "off", "unchecked"}


def parse_bool(text: str) -> bool:
    """'Yes', 'ja', 'x', '0', 'off' ... as a boolean; ValueError when it is neither."""
    key = text.strip().casefold()
    if key in _TRUE:
        return True
    if key in _FALSE:
        return False
    raise ValueError(text)


_IT_MODELS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("co_managed", ("co managed", "comanaged", "co management", "hybrid")),
    (
        "break_fix",
        (
            "break fix",
            "breakfix",
            "break and fix",
            "break & fix",
            "ad hoc",
            "adhoc",
            "on demand",
            "on call",
            "time and materials",
            "time & materials",
            "t&m",
            "pay as you go",
            "hourly",
            "reactive",
        ),
    ),
    (
        "other_msp",
        (
            "other msp",
            "another msp",
            "msp",
            "managed service",
            "managed services",
            "managed it",
            "outsourced",
            "competitor",
        ),
    ),
    ("in_house", ("in house", "inhouse", "internal", "own it", "own staff", "it staff", "it department", "employee")),
    ("none", ("none", "no it", "nobody", "no one", "nothing", "diy", "do it yourself", "self managed", "self")),
    ("unknown", ("unknown", "n/a", "na", "?", "not known")),
)


_MAX_IT_MODEL_TEXT = 500


def parse_it_model(text: str) -> str | None:
    """'Break/fix' -> 'break_fix', 'In-house IT' -> 'in_house'; None when it is not obvious (or the text
    is longer than a note about it would be: looking for 60 phrases in a 1 MiB cell took 40 s)."""
    if len(text) > _MAX_IT_MODEL_TEXT:
        return None
    key = header_key(text).replace("_", " ")
    key = re.sub(r"[/\-]+", " ", key)
    key = " ".join(key.split())
    for value, words in _IT_MODELS:
        if key == value.replace("_", " ") or key in words:
            return value
    for value, words in _IT_MODELS[:4]:  # phrases inside longer text: "break/fix via local shop"
        for word in words:
            if len(word) > 3 and re.search(rf"(?<!\w){re.escape(word)}(?!\w)", key):
                return value
    return None
