"""Excel workbooks (.xlsx), streamed a row at a time (:mod:`.sheetxml`) with openpyxl's cell conversion.

The first visible worksheet is read, or a named one; numbers and dates become the
text Excel shows (``12.0`` -> ``"12"``). The package is checked before openpyxl
opens it (a .xlsx is a zip of XML parts, so zip bombs and DTDs are refused).
"""

from __future__ import annotations

import math
import re
import warnings
import zipfile
import zlib
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import IO

from deckgen.errors import DataWarning, DeckgenError, DeckgenWarning, InputError, UnsafeInputError
from deckgen.load.table.merges import MergeFill, merged_ranges
from deckgen.load.table.rows import MAX_COLUMNS, RowProblem, SheetCells, Table, excel_column, table_from_records
from deckgen.load.table.sheetxml import Book

_CHUNK = 1024 * 1024
_XLSX_MAX_MEMBERS = 10_000
_XLSX_MAX_TOTAL = 1024 * 1024 * 1024
_XLSX_MAX_RATIO = 200
_XLSX_RATIO_FLOOR = 32 * 1024 * 1024  # the ratio check applies to members larger than this
# Cell text a sheet may expand to: a shared string is stored once but can be named by every cell, so a
# 20 KB workbook could expand to gigabytes. Real exports expand to about their XML's size; allow 4x plus a floor.
_XLSX_TEXT_FLOOR = 64 * 1024 * 1024
_XLSX_TEXT_FACTOR = 4


def open_workbook(p: Path, label: str, sheet: str | None) -> Table:
    """An .xlsx workbook (checked to be a safe package first): a sheet chosen now, rows streamed when iterated."""
    _check_workbook_package(p, label)
    notes: list[DeckgenWarning] = []
    fh, book = _load_workbook(p, label, notes)
    try:
        title, part = _pick_sheet(book.sheets, sheet, label, notes)
    finally:
        book.close()
        fh.close()

    ranges = merged_ranges(p, part)
    merged: list[tuple[int, int, int, int]] = []  # the ranges filled, decided once the header row is known
    opening = list(notes)
    header_row = [0]

    def records() -> Iterator[tuple[int, list[str] | RowProblem]]:
        return _xlsx_records(p, label, part, title, merged, header_row[0])

    table = table_from_records(p, label, "xlsx", "xlsx", records, notes, sheet=title)
    header = header_row[0] = table.header_row
    across = [r for r in ranges if r[0] == r[2] == header]  # one header over several columns: each is named by it
    if across:
        merged.extend(across)
        notes = list(opening)
        table = table_from_records(p, label, "xlsx", "xlsx", records, notes, sheet=title)
    table.sheets = [name for name, state, _ in book.sheets if state == "visible"]
    down = [r for r in ranges if r[2] > r[0] > header]  # merged down below the header (title merges stay as they are)
    merged.extend(down)
    if down:
        shown = ", ".join(f"{excel_column(c1)}{r1}:{excel_column(c2)}{r2}" for r1, c1, r2, c2 in down[:3])
        more = f" and {len(down) - 3} more" if len(down) > 3 else ""
        notes.append(
            DataWarning(
                f"sheet '{title}' has cells merged down ({shown}{more}): every row of a merged cell reads its value, "
                "as Excel shows it"
            )
        )
    return table


def _check_workbook_package(p: Path, label: str) -> None:
    """Refuse what is not a workbook, and zip bombs, huge part counts and DTDs, before openpyxl sees it."""
    try:
        with zipfile.ZipFile(p) as zf:
            infos = zf.infolist()
            names = {i.filename for i in infos}
            if "xl/workbook.xml" not in names:
                if "mimetype" in names and b"opendocument" in zf.read("mimetype")[:200]:
                    raise InputError(
                        "this is an OpenDocument spreadsheet (.ods); save it as .xlsx or as CSV UTF-8", file=label
                    )
                raise InputError(
                    "is a zip archive but not an Excel workbook; export the list as .xlsx or as CSV UTF-8", file=label
                )
            if len(infos) > _XLSX_MAX_MEMBERS:
                raise UnsafeInputError(
                    f"workbook has {len(infos)} parts; refusing more than {_XLSX_MAX_MEMBERS}", file=label
                )
            if sum(i.file_size for i in infos) > _XLSX_MAX_TOTAL:
                raise UnsafeInputError("workbook unpacks to more than 1 GiB; refusing it", file=label)
            for info in infos:
                if info.file_size > _XLSX_RATIO_FLOOR and info.file_size > _XLSX_MAX_RATIO * max(1, info.compress_size):
                    raise UnsafeInputError(
                        f"workbook part {info.filename} is compressed more than "
                        f"{_XLSX_MAX_RATIO}:1 (a zip bomb?); refusing it",
                        file=label,
                    )
            for info in infos:
                if info.filename.endswith((".xml", ".rels")) and _declares_dtd(zf, info):
                    raise UnsafeInputError(
                        f"workbook part {info.filename} declares a DOCTYPE or entities; refusing it", file=label
                    )
    except (zipfile.BadZipFile, zlib.error, EOFError) as exc:  # a bad zip, or a damaged compressed part
        raise InputError(
            f"is damaged or not an Excel workbook ({exc}); open it in Excel and save it again", file=label
        ) from None
    except OSError as exc:
        raise InputError(f"cannot read the workbook: {exc.strerror or exc}", file=label) from None


_DTD_MARKS = [m.encode(enc) for m in ("<!DOCTYPE", "<!ENTITY") for enc in ("utf-8", "utf-16-le", "utf-16-be")]


def _declares_dtd(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> bool:
    """Whether a part holds a DOCTYPE or ENTITY anywhere (a long comment can push one past any prefix)."""
    keep = max(len(m) for m in _DTD_MARKS) - 1
    carry = b""
    with zf.open(info) as part:
        while chunk := part.read(_CHUNK):
            window = carry + chunk
            if any(m in window for m in _DTD_MARKS):
                return True
            carry = window[-keep:]
    return False


def _load_workbook(p: Path, label: str, notes: list[DeckgenWarning]) -> tuple[IO[bytes], Book]:
    """The open file and workbook (its sheets listed, none parsed); what openpyxl warns about goes to ``notes``."""
    fh = open(p, "rb")  # a file object: openpyxl then does not insist on the file's extension
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            book = Book(fh)
    except DeckgenError:  # the loading deadline
        fh.close()
        raise
    except Exception as exc:  # openpyxl raises many kinds on a damaged package
        fh.close()
        raise InputError(
            f"cannot open the workbook ({exc}); open it in Excel and save it again as .xlsx, "
            "or export the list as CSV UTF-8",
            file=label,
        ) from None
    for w in caught:
        text = str(w.message)
        if "default style" not in text:
            notes.append(DataWarning(text, field="workbook"))
    return fh, book


def _pick_sheet(
    sheets: list[tuple[str, str, str]], sheet: str | None, label: str, notes: list[DeckgenWarning]
) -> tuple[str, str]:
    """The name and part of the sheet named ``sheet`` (exactly, else ignoring case), or of the first visible one."""
    if not sheets:
        raise InputError("the workbook has no worksheets", file=label)
    names = [name for name, _, _ in sheets]
    if sheet is not None:
        for name, _, part in sheets:
            if name == sheet:
                return name, part
        folded = [(name, part) for name, _, part in sheets if name.casefold() == sheet.strip().casefold()]
        if len(folded) == 1:
            return folded[0]
        raise InputError(
            f"no sheet named '{sheet}'; the workbook has: " + ", ".join(f"'{n}'" for n in names), file=label
        )
    visible = [(name, part) for name, state, part in sheets if state == "visible"]
    name, part = (visible or [(n, pt) for n, _, pt in sheets])[0]
    if len(sheets) > 1:
        notes.append(
            DataWarning(f"read sheet '{name}' (the workbook has {len(sheets)} sheets; use --sheet to pick another)")
        )
    return name, part


def _xlsx_records(
    p: Path, label: str, part: str, title: str = "", merged: list[tuple[int, int, int, int]] = (), header: int = 0
) -> Iterator[tuple[int, list[str] | RowProblem]]:
    """Every row of the sheet stored in ``part`` as text, with its row number (the workbook is opened again).

    A row keeps at most :data:`MAX_COLUMNS` cells (see :mod:`.sheetxml`); a value past those fails its row. The
    cells of ``merged`` ranges (see :mod:`.merges`) read the value of the range's top-left cell (in the ``header``
    row, a name made from it).
    """
    budget = _text_budget(p)
    fill = MergeFill(list(merged), header) if merged else None
    fh, book = _load_workbook(p, label, [])
    try:
        rows = book.rows(part, MAX_COLUMNS)
        try:
            row = 0
            expanded = 0
            while True:
                try:
                    got = next(rows, None)
                except DeckgenError:
                    raise
                except Exception as exc:  # openpyxl and the XML parser raise many kinds on a damaged sheet
                    raise InputError(
                        f"the workbook is damaged here ({exc}); open it in Excel and save it again",
                        file=label,
                        row=row + 1,
                    ) from None
                if got is None:
                    return
                row = got.number
                if got.beyond:
                    problem = RowProblem(
                        f"this row has a value past its first {MAX_COLUMNS:,} cells; deckgen reads at most "
                        f"{MAX_COLUMNS:,} columns (export only the columns you need)"
                    )
                    yield row, problem
                    continue
                cells = [cell_text(v) for v in got.values]
                if fill is not None:
                    cells = fill(row, cells)
                if got.unsaved or got.hidden:
                    cells = SheetCells(cells)
                    # formulas without a saved result read as empty: say where
                    cells.unsaved = {i - 1: f"sheet '{title}', cell {excel_column(i - 1)}{row}" for i in got.unsaved}
                    cells.hidden = got.hidden
                expanded += sum(len(c) for c in cells)
                if expanded > budget:
                    raise InputError(
                        f"the workbook's cells expand to more than {budget // (1024 * 1024)} MiB of text (one long "
                        "text named by every row?); export the list as CSV UTF-8 or shorten the long values",
                        file=label,
                        row=row,
                    )
                yield row, cells
        finally:
            rows.close()
    finally:
        book.close()
        fh.close()


def _text_budget(p: Path) -> int:
    """How many characters of cell text the workbook may expand to (a floor plus a multiple of its XML)."""
    with zipfile.ZipFile(p) as zf:
        unpacked = sum(i.file_size for i in zf.infolist())
    return _XLSX_TEXT_FLOOR + _XLSX_TEXT_FACTOR * unpacked


# A workbook's strings escape characters XML cannot hold as _xHHHH_: "_x000D_" is a carriage return (what many
# export tools write for a CRLF line break), "_x005F_" an underscore, so a literal "_x000D_" is "_x005F_x000D_".
# openpyxl hands them on as written; Excel shows the characters.
_OOXML_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")


def _unescape(text: str) -> str:
    """``text`` with its _xHHHH_ escapes as the characters they stand for (an escaped surrogate pair as the one
    character it spells; a control character or lone surrogate is removed later, with the usual warning)."""
    text = _OOXML_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text)
    if any("\ud800" <= ch <= "\udfff" for ch in text):
        text = text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "surrogatepass")
    return text


def cell_text(value) -> str:
    """A spreadsheet value as the text a user would see: 12.0 -> '12', dates as ISO."""
    if value is None:
        return ""
    if isinstance(value, str):
        return _unescape(value) if "_x" in value else value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            return ""
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return format(value, ".15g")
    if isinstance(value, datetime):
        if value.time() == time(0) and value.tzinfo is None:
            return value.date().isoformat()
        return value.isoformat(sep=" ", timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, time):
        return value.isoformat(timespec="seconds")
    if isinstance(value, timedelta):
        total = int(value.total_seconds())
        return f"{total // 3600}:{total % 3600 // 60:02d}:{total % 60:02d}"
    return str(value)
