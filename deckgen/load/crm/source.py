"""Open a prospect list: read its header, tell which CRM wrote it, plan the columns, stream the rows.

Problems with the file itself raise :class:`~deckgen.errors.InputError` before any row
is yielded; a problem with one row is reported in that row's ``RowResult.error`` and
the stream goes on.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from deckgen.errors import DataWarning, DeckgenWarning, InputError
from deckgen.load.crm.detection import Detection, detect, generic_company_column
from deckgen.load.crm.headers import GENERIC, PRESETS, Preset, header_key
from deckgen.load.crm.mapping import check_target, match_user_columns, plan_columns
from deckgen.load.crm.numbers import NotANumber, parse_number
from deckgen.load.crm.rows import AmountPolicy, RowMapper, RowResult
from deckgen.load.table import RawRow, Table, excel_column, open_table
from deckgen.load.table.deadline import ReadDeadline

CRM_CHOICES = (
    "auto",
    "hubspot",
    "salesforce",
    "salesforce_report",
    "connectwise",
    "pipedrive",
    "zoho",
    "dynamics",
    "generic",
    "mapping",
)


@dataclass
class ProspectSource:
    """An opened prospect list. Iterating streams :class:`RowResult`; each iteration re-reads the file."""

    path: Path
    preset: str  # one of CRM_CHOICES except "auto"
    encoding: str  # "utf-8", "utf-8-sig", "utf-16", "cp1252", ... ("xlsx" for workbooks)
    columns: list[str]
    diagnostics: list[DeckgenWarning]  # what was guessed or cleaned while opening the file
    format: str = "csv"  # "csv", "xlsx", "json", "yaml"
    column_map: dict[str, str] = field(default_factory=dict)  # column -> field path ("" = ignored)
    detected: str = ""  # how the preset was chosen: "--crm", "detected: HubSpot (5 of 9 headers known …)", …
    _table: Table | None = field(default=None, repr=False)
    _mapper: RowMapper | None = field(default=None, repr=False)

    @property
    def warnings(self) -> list[str]:
        """The diagnostics as text, for callers that still keep warnings as strings."""
        return [str(w) for w in self.diagnostics]

    def __iter__(self) -> Iterator[RowResult]:
        """One RowResult per data row, read from the file as the caller goes; a pass that reads more slowly than
        :mod:`deckgen.load.table.deadline` allows stops with LoadDeadlineError naming the last row read."""
        assert self._table is not None and self._mapper is not None
        rows = _stream(self._table, self._mapper, self.preset in _REPORT_PRESETS)
        return ReadDeadline(self._mapper.label).rows(rows, _row_number)

    def count(self) -> int:
        """How many data rows the list has, bad ones included; reads the file again but validates nothing."""
        assert self._table is not None and self._mapper is not None
        rows = ReadDeadline(self._mapper.label).rows(iter(self._table), _row_number)
        with contextlib.closing(rows):
            return sum(1 for _ in rows)

    def summary(self) -> dict:
        """What was read how: the CRM, how it was chosen, column -> field, and the columns no field uses."""
        label = PRESETS[self.preset].label if self.preset in PRESETS else "your mapping"
        return {
            "file": str(self.path),
            "crm": self.preset,
            "crm_label": label,
            "detected": self.detected,
            "mapping": {c: f for c, f in self.column_map.items() if f and not f.startswith("extra.")},
            "unmapped": [c for c, f in self.column_map.items() if f.startswith("extra.")],
            "ignored": [c for c, f in self.column_map.items() if not f],
        }


def _row_number(row: RowResult | RawRow) -> int:
    return row.row


_REPORT_PRESETS = {"salesforce_report", "hubspot", "zoho", "dynamics"}
_TOTALS = {"total", "totals", "grand total", "grand totals", "subtotal", "sum", "summe", "gesamt", "gesamtsumme",
           "total général", "total general", "totaal", "count", "record count", "summary"}  # fmt: skip


def _is_total(raw) -> bool:
    """A report's totals line: the first filled cell says "Total" (or "Grand Totals (12 records)")."""
    first = next((v for v in raw.cells.values() if isinstance(v, str) and v.strip()), "")
    key = " ".join(first.casefold().split())
    return key in _TOTALS or (key.startswith(("grand total", "total (", "totals (")) and key.endswith(")"))


def _sums(raw) -> bool:
    """Whether the row's values after its first are all numbers, and there is one (a totals line's sums): in a list
    kept by hand a "Total" row with its sums is not a prospect, while a company called Total has a city or a type."""
    values = [v for v in raw.cells.values() if isinstance(v, str) and v.strip()][1:]
    if not values:
        return False
    for value in values:
        try:
            parse_number(value)
        except NotANumber:
            return False
    return True


def _lone_first_cell(raw) -> bool:
    values = [v for v in raw.cells.values() if (v if isinstance(v, str) else "".join(v)).strip()]
    first = next(iter(raw.cells.values()), "")
    return len(values) == 1 and isinstance(first, str) and bool(first.strip())


def _stream(table: Table, mapper: RowMapper, report: bool = False) -> Iterator[RowResult]:
    """Rows as results. For report exports, totals lines are skipped and a last single-cell row that
    follows blank rows (the org-name line a Salesforce report footer starts with) is dropped."""
    rows = iter(table)
    held = None  # a lone first cell after blank rows: a footer's org-name line, or a real row
    last_row = 0
    with contextlib.closing(rows):  # stopping early closes the file
        for raw in rows:
            if not raw.problem and _is_total(raw) and (report or _sums(raw)):
                last_row = raw.row
                continue
            if held is not None:
                yield mapper(held)
                held = None
            if report and not raw.problem and raw.row > last_row + 1 and last_row and _lone_first_cell(raw):
                held, last_row = raw, raw.row
                continue
            last_row = raw.row
            yield mapper(raw)


def _normalise_crm(crm: str | None) -> str:
    """The --crm value as one of CRM_CHOICES (common spellings accepted); InputError for any other."""
    name = (crm or "auto").strip().casefold().replace("-", "_").replace(" ", "_")
    aliases = {
        "sf": "salesforce",
        "salesforce_dataloader": "salesforce",
        "dataloader": "salesforce",
        "sfdc": "salesforce",
        "sf_report": "salesforce_report",
        "cw": "connectwise",
        "connectwise_psa": "connectwise",
        "zoho_crm": "zoho",
        "dynamics365": "dynamics",
        "dynamics_365": "dynamics",
        "ms_dynamics": "dynamics",
        "d365": "dynamics",
        "deckgen": "generic",
    }
    name = aliases.get(name, name)
    if name not in CRM_CHOICES:
        raise InputError(f"unknown --crm '{crm}'; choose one of: {', '.join(CRM_CHOICES)}")
    return name


def open_prospects(
    path: Path | str,
    *,
    crm: str = "auto",
    mapping: dict[str, str] | None = None,
    encoding: str | None = None,
    sheet: str | None = None,
    amounts: AmountPolicy | None = None,
) -> ProspectSource:
    """Open a prospect list and decide how its columns map; rows are read when iterated.

    ``amounts`` decides what an amount written in another currency than the prospect's deck becomes
    (``deckgen.sales.amounts.AmountCurrencies`` for a profile); without it only the row's own
    ``currency`` column is compared.

    Raises InputError (naming the file and, where it applies, the column) for an
    unreadable or empty file, an undecodable encoding, NUL bytes, duplicate
    headers, a missing company-name column, an unknown ``crm`` or a bad mapping.
    """
    crm_name = _normalise_crm(crm)
    user_map: dict[str, str] = {}
    for column, target in (mapping or {}).items():
        try:
            user_map[str(column).strip()] = check_target(target)
        except ValueError as exc:
            raise InputError(f"mapping '{column}': {exc}", field=str(column)) from None
    if crm_name == "mapping" and not user_map:
        raise InputError("--crm mapping needs a mapping (--map or --mapping FILE)")

    label = str(path)
    with ReadDeadline(label).opening():
        table = open_table(path, encoding=encoding, sheet=sheet, keep_duplicates=True)
        if table.format == "xlsx" and sheet is None and crm_name == "auto":
            table = _sheet_with_companies(table, user_map)
    notes = list(table.diagnostics)
    resolved_user = match_user_columns(user_map, table.columns, notes)
    company_mapped = "company" in resolved_user.values()

    detected = "--crm " + crm_name
    if crm_name == "auto":
        detection = detect(table.columns, company_mapped=company_mapped)
        if detection.ambiguous:
            raise _unclear_crm(label, detection)
        preset = detection.preset
        detected = "detected: " + detection.summary() if detection.summary() else "detected"
        if preset is None:
            if not company_mapped:
                raise _missing_company(label, table, None)
            preset_name, preset = "mapping", None
        elif preset is GENERIC and user_map and not generic_company_column(table.columns):
            preset_name, preset = "mapping", None
        else:
            preset_name = preset.name
    elif crm_name == "mapping":
        preset_name, preset = "mapping", None
    else:
        preset_name, preset = crm_name, PRESETS[crm_name]

    slots, extra_cols, column_map = plan_columns(table.columns, preset, resolved_user, notes, label)
    _check_duplicates(table, column_map, resolved_user, notes, label)
    if not any(s.spec.path == "company" for s in slots):
        raise _missing_company(label, table, preset)
    people = _people_columns(table.columns)
    if people:
        notes.append(
            DataWarning(
                f"this looks like a contacts export (columns {people}): deckgen makes one deck per row, so a "
                "company with several contacts gets several decks; export companies (accounts, organizations) "
                "instead, or keep one row per company"
            )
        )
    mapper = RowMapper(label, Path(path).parent, slots, extra_cols, amounts)
    return ProspectSource(
        path=Path(path),
        preset=preset_name,
        encoding=table.encoding,
        columns=list(table.columns),
        diagnostics=notes,
        format=table.format,
        column_map=column_map,
        detected=detected,
        _table=table,
        _mapper=mapper,
    )


def _names_companies(columns: list[str], user_map: dict[str, str]) -> bool:
    """Whether a sheet with these columns has a company-name column deckgen finds (or the mapping names)."""
    if "company" in match_user_columns(user_map, columns, []).values():
        return True
    detection = detect(columns)
    return detection.preset is not None or detection.ambiguous


def _sheet_with_companies(table: Table, user_map: dict[str, str]) -> Table:
    """The first visible sheet, or when it has no company-name column (a summary or cover sheet first) the
    next visible sheet that has one, with a warning; with none, the first sheet (its error names the others)."""
    if _names_companies(table.columns, user_map):
        return table
    for name in table.sheets:
        if name == table.sheet:
            continue
        try:
            other = open_table(table.path, sheet=name, keep_duplicates=True)
        except InputError:
            continue  # an empty or unreadable sheet is not the list either
        if _names_companies(other.columns, user_map):
            other.diagnostics.append(
                DataWarning(
                    f"read sheet '{name}': the first sheet, '{table.sheet}', has no company-name column (use "
                    "--sheet to pick another)"
                )
            )
            return other
    return table


def _check_duplicates(
    table: Table, column_map: dict[str, str], user: dict[str, str], notes: list[DeckgenWarning], label: str
) -> None:
    """Refuse a header named twice when one of the two columns feeds a field (which one is meant?) and the mapping
    names neither; two columns no field reads (a second 'Phone' in a report) are both kept, with a warning."""
    for dup in table.duplicates:
        name, text, first, i = dup
        group = (table.columns[first], name)
        if any(c in user for c in group):
            continue  # the mapping says which column is which
        fed = [column_map[c] for c in group if column_map.get(c, "").partition(".")[0] not in ("", "extra")]
        if fed:
            error = table.duplicate_error(label, dup)
            advice = f' (or say which feeds {fed[0]}: --map "{name}={fed[0]}" takes column {excel_column(i)})'
            raise InputError(error.message + advice, file=label, field=text)
        notes.append(
            DataWarning(
                f"columns {excel_column(first)} and {excel_column(i)} are both named '{text}'; no field reads them, "
                f"so both are kept for templates, column {excel_column(i)} as prospect.extra['{name}']",
                field="header",
            )
        )


# headers that name a person, one per row: a contacts (people) export, not a companies export
_PERSON_HEADERS = (("first name", "last name"), ("firstname", "lastname"), ("person - name",))
_COMPANY_ROW_HEADERS = ("organization - name",)


def _people_columns(columns: list[str]) -> str:
    """The person-name headers of a contacts export, quoted (e.g. "'First Name', 'Last Name'"), or ''."""
    by_key = {header_key(c): c for c in columns}
    if any(k in by_key for k in _COMPANY_ROW_HEADERS):
        return ""
    for keys in _PERSON_HEADERS:
        if all(k in by_key for k in keys):
            return ", ".join(f"'{by_key[k]}'" for k in keys)
    return ""


def _unclear_crm(label: str, detection: Detection) -> InputError:
    """The error for a file no preset reads well: the candidates and their scores, and how to choose."""
    shown = "; ".join(c.describe() for c in detection.candidates[:4])
    return InputError(
        f"cannot tell which CRM wrote this file; closest: {shown}. Say which with --crm NAME "
        f"({', '.join(c for c in CRM_CHOICES if c not in ('auto', 'mapping'))}), or name the company "
        'column with --map "Your Column=company"',
        file=label,
    )


def _missing_company(label: str, table: Table, preset: Preset | None) -> InputError:
    """The error for a file without a company-name column, saying which header was expected."""
    columns = table.columns
    found = ", ".join(f"'{c}'" for c in columns[:12]) + (" ..." if len(columns) > 12 else "")
    if len(table.sheets) > 1:
        names = ", ".join(f"'{n}'" for n in table.sheets)
        found += f" in sheet '{table.sheet}' (the workbook's sheets: {names}; --sheet NAME reads another)"
    if preset is not None and preset is not GENERIC:
        expected = f"'{preset.fields['company'][0]}' for a {preset.label} export"
    else:
        expected = (
            "one of 'Company name' (HubSpot), 'NAME' (Salesforce), 'Account Name' (Salesforce "
            "report, Zoho), 'Company Name' (ConnectWise), 'Organization - Name' (Pipedrive) "
            "or 'company'"
        )
    return InputError(
        f'no company-name column: expected {expected}; found {found}. Name yours with --map "Your Column=company"',
        file=label,
        field="company",
    )
