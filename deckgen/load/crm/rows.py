"""One row of a prospect list into a validated prospect, with the plan decided when the file was opened."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from deckgen.errors import DeckgenWarning, InputError
from deckgen.load.crm.mapping import Slot
from deckgen.load.crm.numbers import written_currency
from deckgen.load.crm.values import LIST_SEPARATORS, CellError, RowWarning, convert_cell, joined_text
from deckgen.load.explain import explain_validation, short_text
from deckgen.load.files import confine_logo
from deckgen.load.table import Cell, RawRow
from deckgen.load.textclean import REMOVED_CHARACTERS, clean_text
from deckgen.model import Prospect, format_field_path


@dataclass
class RowResult:
    """One data row: a validated prospect, or the error that stopped it, and what was guessed or cleaned."""

    row: int  # Excel row number (header = 1, first data row = 2); 1-based item index for JSON/YAML
    prospect: Prospect | None
    error: InputError | None
    diagnostics: list[DeckgenWarning]
    raw: dict[str, str]  # the row as read (column -> text)

    @property
    def warnings(self) -> list[str]:
        """The diagnostics as text, for callers that still keep warnings as strings."""
        return [str(w) for w in self.diagnostics]


class RowMapper:
    """Turns a RawRow into a RowResult with the plan decided at open time."""

    def __init__(
        self, label: str, base_dir: Path, slots: list[Slot], extra_cols: list[str], amounts: AmountPolicy | None = None
    ) -> None:
        self.label = label
        self.amounts = amounts or _own_currency
        self.base_dir = base_dir
        self.slots = slots
        self.extra_cols = extra_cols
        self.company_columns = next(s.columns for s in slots if s.spec.path == "company")
        columns = [c for s in slots for c in s.columns] + list(extra_cols)
        self.field_of = {c: s.spec.path for s in slots for c in s.columns}
        # Salesforce "Export All" also writes deleted and merged-away records, marked in this column
        self.deleted_column = next((c for c in columns if c.casefold() == "isdeleted"), None)

    def __call__(self, raw: RawRow) -> RowResult:
        """The prospect the row makes, or the first reason it makes none."""
        row = raw.row
        raw_text = {k: joined_text(v) for k, v in raw.cells.items()}
        found: list[DeckgenWarning] = []
        for column, where in (raw.unsaved or {}).items():
            found.append(
                RowWarning(
                    f"{where} holds a formula without a saved value, read as empty: open and save the file in "
                    "Excel (or LibreOffice) so the results are stored, or paste the values",
                    row=row,
                    column=column,
                    target=self.field_of.get(column, f"extra.{column}"),
                )
            )
        if raw.hidden:
            found.append(RowWarning(_HIDDEN_ROW, row=row))
        if raw.problem:
            return self._fail(row, raw.problem, raw.problem_column, found, raw_text)
        if self.deleted_column and raw_text.get(self.deleted_column, "").strip().casefold() in _TRUE:
            message = (
                f"a deleted record (column '{self.deleted_column}' is true): no deck for it; export with "
                "Export, not Export All, to leave deleted records out"
            )
            return self._fail(row, message, self.deleted_column, found, raw_text)
        data: dict = {}
        used: dict[str, str] = {}  # field path -> the column its value came from
        written: list[tuple[str, str, str, float]] = []  # amounts that name a currency (see AmountPolicy)
        try:
            for slot in self.slots:
                value = self._value(slot, raw.cells, row, found, used)
                if value is not None and slot.spec.path in MONEY_FIELDS:
                    code = written_currency(raw_text.get(used[slot.spec.path], ""))
                    if code:
                        written.append((slot.spec.path, code, short_text(raw_text[used[slot.spec.path]]), value))
                if value is not None:
                    _assign(data, slot.spec.steps, value)
            if self.extra_cols:
                extra = data.setdefault("extra", {})
                for column in self.extra_cols:
                    text = self._clean(joined_text(raw.cells.get(column, "")), row, column, f"extra.{column}", found)
                    extra[column] = text.strip()
                    used[f"extra.{column}"] = column
            self._finish(data, row, found, raw_text)
        except CellError as exc:
            return self._fail(row, _shifted(raw_text, exc.message, raw.shifted), exc.field, found, raw_text)
        try:
            prospect = Prospect.model_validate(data)
        except ValidationError as exc:
            message, where = _explain(exc, used)
            return self._fail(row, _shifted(raw_text, message, raw.shifted), where, found, raw_text)
        if written:
            given = {path: (code, value) for path, code, _, value in written}
            for path, value, why in self.amounts(prospect, written):
                _assign_model(prospect, path, value)
                code, amount = given[path]
                if value is not None and _CODE.fullmatch(code):  # converted: the brief says from what, at what rate
                    prospect.given_as = {**prospect.given_as, path: (code, amount)}
                found.append(RowWarning(why, row=row, column=used.get(path), target=path))
        shifted = _shifted(raw_text)
        if shifted:
            found.append(RowWarning(shifted, row=row))
        return RowResult(row, prospect, None, found, raw_text)

    def _fail(
        self, row: int, message: str, where: str | None, found: list[DeckgenWarning], raw: dict[str, str]
    ) -> RowResult:
        return RowResult(row, None, InputError(message, file=self.label, row=row, field=where), found, raw)

    def _clean(self, text: str, row: int, column: str, path: str, found: list[DeckgenWarning]) -> str:
        cleaned, changed = clean_text(text)
        if changed:
            found.append(RowWarning(REMOVED_CHARACTERS, row=row, column=column, target=path))
        if "{" in cleaned and _TAG_LIKE.search(cleaned):
            found.append(RowWarning(_TAG_LIKE_TEXT, row=row, column=column, target=path))
        return cleaned

    def _value(self, slot: Slot, cells: dict[str, Cell], row: int, found: list[DeckgenWarning], used: dict[str, str]):
        """The value ``slot``'s field gets from this row, or None to leave it out."""
        spec = slot.spec
        if spec.kind == "list":
            items: list[str] = []
            for column in slot.columns:
                value = cells.get(column, "")
                parts = value if isinstance(value, list) else LIST_SEPARATORS.split(value)
                for part in parts:
                    part = self._clean(part, row, column, spec.path, found).strip()
                    if part and not _spreadsheet_error(part, row, column, spec.path, found):
                        items.append(part)
                        used.setdefault(spec.path, column)
            return items or None
        for column in slot.columns:
            value = joined_text(cells.get(column, ""))
            if value.strip() and not _spreadsheet_error(value, row, column, spec.path, found):
                break
        else:
            return None
        used[spec.path] = column
        text = self._clean(value, row, column, spec.path, found).strip()
        converted, warning = convert_cell(spec, text, column, row)
        if warning is not None:
            found.append(warning)
        return converted

    def _finish(self, data: dict, row: int, found: list[DeckgenWarning], raw: dict[str, str]) -> None:
        """Check the company name, default the id, drop people without names, confine the logo."""
        if not data.get("company"):
            failed = next((c for c in self.company_columns if raw.get(c, "").strip().casefold() in _ERRORS), None)
            if failed is not None:
                why = f"column '{failed}' holds the spreadsheet error '{raw[failed].strip()}', a formula that failed"
                raise CellError(f"no company name ({why})", "company")
            cols = ", ".join(f"'{c}'" for c in self.company_columns)
            raise CellError(f"no company name (column {cols} is empty)", "company")
        if not data.get("id"):
            data["id"] = str(row)
        contact = data.get("contact")
        if contact is not None and not contact.get("name"):
            if contact.get("email"):
                contact["name"] = contact["email"]
            else:
                found.append(RowWarning("contact details without a contact name were left out", row=row))
                del data["contact"]
        people = data.get("decision_makers")
        if people is not None:
            kept = []
            for i, person in enumerate(people):
                if not person:
                    continue
                if not person.get("name"):
                    if person.get("email"):
                        person["name"] = person["email"]
                    else:
                        found.append(RowWarning(f"decision maker {i + 1} has no name and was left out", row=row))
                        continue
                kept.append(person)
            data["decision_makers"] = kept
        logo = data.get("logo")
        if logo:
            try:
                data["logo"] = confine_logo(logo, self.base_dir)
            except InputError as exc:
                raise CellError(exc.message, "logo") from None


_TRUE = {"true", "1", "yes"}
_CODE = re.compile(r"[A-Z]{3}")
_HIDDEN_ROW = (
    "the row is hidden in the sheet (filtered out, or hidden by hand), but deckgen reads every row, so it gets a deck "
    "too; delete the row from the sheet if it should not"
)
# What Excel, Google Sheets and LibreOffice show for a formula that failed (a VLOOKUP that found nothing is #N/A);
# a workbook stores them as error cells, and a CSV saved from the sheet as this text.
_ERRORS = frozenset(
    "#n/a #null! #div/0! #value! #ref! #name? #num! #spill! #calc! #field! #blocked! #connect! #busy! #unknown! "
    "#external! #python! #getting_data #error! #n/a! err:502 err:504 err:508 err:511 err:522".split()
)


def _spreadsheet_error(text: str, row: int, column: str, path: str, found: list[DeckgenWarning]) -> bool:
    """Whether ``text`` is a spreadsheet's error value; if so a warning says it was read as empty."""
    key = text.strip().casefold()
    if len(key) > 14 or key not in _ERRORS:
        return False
    found.append(
        RowWarning(
            f"'{text.strip()}' is a spreadsheet error (a formula that failed), read as empty: fix the formula in "
            "the sheet or paste the values",
            row=row,
            column=column,
            target=path,
        )
    )
    return True


_TAG_LIKE = re.compile(r"\{[{%#]")
# a deck cannot say which text came from data: `deckgen check` reads "{{" in a deck as a tag left unrendered
_TAG_LIKE_TEXT = (
    "the value holds '{{', '{%' or '{#'; the deck shows it as written, but `deckgen check` will report it as a "
    "leftover template tag (a finished deck cannot tell data from a tag)"
)
MONEY_FIELDS = frozenset(
    {"numbers.annual_revenue", "numbers.hourly_wage", "numbers.it_spend_per_month", "budget_per_user_month"}
)

# (prospect, [(field path, currency the text names, the text, its value)]) -> [(field path, new value or
# None for unknown, why)]: what amounts written in another currency than the prospect's deck become
AmountPolicy = Callable[[Prospect, list[tuple[str, str, str, float]]], list[tuple[str, float | None, str]]]


def _own_currency(prospect: Prospect, amounts: list[tuple[str, str, str, float]]):
    """Without a profile (no exchange rates, no deck currency): an amount in another currency than the row's own
    ``currency`` is unknown; with no currency on the row the figure is kept (the batch passes the profile's rule)."""
    own = prospect.currency
    return [
        (path, None, f"'{text}' is in {code} but this row's currency is {own}: left as unknown")
        for path, code, text, _ in amounts
        if own and code != own and code not in "$¥"
    ]


def _assign_model(prospect: Prospect, path: str, value: float | None) -> None:
    node = prospect
    *parents, name = path.split(".")
    for part in parents:
        node = getattr(node, part)
    setattr(node, name, value)


def _shifted(cells: dict[str, str], message: str = "", longer: str | None = None) -> str:
    """The "row looks shifted" sentence when two neighbouring values look like one value split at a comma the file
    left unquoted (``=HYPERLINK("http://x"`` | ``Click)``), or when the row has more cells than the header
    (``longer``, the table's sentence): later values then sit in the wrong columns, and a field error alone would
    send the user looking in the wrong place. ``message`` follows in brackets; with nothing split, ``message``
    comes back as it is."""
    if longer and message:
        return f"{longer} ({message})"
    items = list(cells.items())
    for (left, a), (right, b) in zip(items, items[1:], strict=False):
        opened = a.count("(") > a.count(")") and b.count(")") > b.count("(")
        quoted = a.count('"') % 2 == 1 and b.count('"') % 2 == 1
        if opened or quoted:
            return (
                f"the row looks shifted: columns '{left}' and '{right}' hold one value split in two "
                f"('{short_text(a, 40)}' and '{short_text(b, 40)}') — a value probably holds an unquoted comma, so "
                "the values after it sit one column to the right; quote that value in the file"
                + (f" ({message})" if message else "")
            )
    return message


def _explain(exc: ValidationError, used: dict[str, str]) -> tuple[str, str | None]:
    """The row's error message (naming the column the bad value came from) and the field it is about."""
    problem = explain_validation(exc, quote_values=True)
    column = None
    for n in range(len(problem.loc), 0, -1):
        column = used.get(format_field_path(problem.loc[:n]))
        if column:
            break
    message = problem.message + (f" (column '{column}')" if column else "") + problem.more
    return message, problem.field


def _assign(data: dict, steps: tuple[tuple[str, int | None], ...], value) -> None:
    """Put ``value`` at the field path ``steps`` in nested dicts/lists, creating what is missing."""
    node = data
    for name, index in steps[:-1]:
        if index is None:
            node = node.setdefault(name, {})
        else:
            items = node.setdefault(name, [])
            while len(items) <= index:
                items.append({})
            node = items[index]
    name, _ = steps[-1]
    node[name] = value
