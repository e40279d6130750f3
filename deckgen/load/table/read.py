"""Read a prospect list into raw rows of text: CSV, XLSX, JSON and YAML.

:func:`open_table` looks at the file's first bytes and name, picks the reader, and
refuses, before the first row is read, anything it cannot read faithfully. The
readers live next to this module: ``encodings`` (how text is decoded), ``csvfile``,
``workbook`` (.xlsx), ``items`` (JSON and YAML lists) and ``rows`` (what they yield).
"""

from __future__ import annotations

import stat
from pathlib import Path

from deckgen.errors import DataWarning, InputError
from deckgen.load.table.csvfile import DELIMITERS, open_csv, sniff_delimiter
from deckgen.load.table.encodings import choose_encoding
from deckgen.load.table.items import MAX_JSON_BYTES, open_json, open_yaml
from deckgen.load.table.rows import MAX_CELL_CHARS, Cell, RawRow, Table, excel_column
from deckgen.load.table.workbook import cell_text, open_workbook

__all__ = [
    "DELIMITERS",
    "MAX_CELL_CHARS",
    "MAX_JSON_BYTES",
    "Cell",
    "RawRow",
    "Table",
    "cell_text",
    "choose_encoding",
    "excel_column",
    "open_table",
    "sniff_delimiter",
]


def open_table(
    path: Path | str, *, encoding: str | None = None, sheet: str | None = None, keep_duplicates: bool = False
) -> Table:
    """Open ``path`` and read its header; raise InputError for anything unreadable.

    A header that names two columns the same is refused, unless ``keep_duplicates``: then the later column is
    named "Phone (column D)" and listed in :attr:`Table.duplicates`, for the caller to decide.
    """
    table = _open_table(path, encoding, sheet)
    if table.duplicates and not keep_duplicates:
        raise table.duplicate_error(str(path))
    return table


def _open_table(path: Path | str, encoding: str | None, sheet: str | None) -> Table:
    p = Path(path)
    label = str(path)
    try:
        mode = p.stat().st_mode
        if stat.S_ISFIFO(mode) or stat.S_ISCHR(mode) or stat.S_ISBLK(mode) or stat.S_ISSOCK(mode):
            # opening a pipe would wait for a writer forever; a device never ends
            raise InputError("is a pipe or a device, not a file; save the list as a file first", file=label)
        with open(p, "rb") as fh:
            head = fh.read(8)
    except FileNotFoundError:
        raise InputError("file not found", file=label) from None
    except IsADirectoryError:
        raise InputError("is a folder, expected a CSV, XLSX, JSON or YAML file", file=label) from None
    except PermissionError:
        raise InputError("permission denied: cannot read the file", file=label) from None
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror or exc}", file=label) from None
    if not head:
        raise InputError("the file is empty", file=label)

    fmt = _detect_format(p, head, label)
    if sheet is not None and fmt != "xlsx":
        raise InputError("--sheet only applies to Excel workbooks (.xlsx)", file=label)
    if fmt == "xlsx":
        table = open_workbook(p, label, sheet)
        if encoding:
            table.diagnostics.append(
                DataWarning(f"--encoding {encoding} ignored: an Excel workbook names its own encoding")
            )
        return table
    if fmt == "json":
        return open_json(p, label, encoding)
    if fmt == "yaml":
        return open_yaml(p, label, encoding)
    return open_csv(p, label, encoding)


def _detect_format(p: Path, head: bytes, label: str) -> str:
    """'xlsx', 'json', 'yaml' or 'csv' from the first bytes and the name; refuse formats that cannot be read."""
    suffix = p.suffix.lower()
    if head.startswith(b"PK\x03\x04"):
        return "xlsx"  # a zip: checked to really be a workbook when opened
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        raise InputError(
            "this is an old Excel 97-2003 workbook (.xls) or a password-protected "
            "workbook; save it as .xlsx or as CSV UTF-8",
            file=label,
        )
    if suffix in (".xlsx", ".xlsm", ".xltx", ".xltm"):
        raise InputError(
            "is not a valid Excel workbook (not a zip package); if it is really CSV text, rename it to .csv", file=label
        )
    if suffix in (".xls", ".ods", ".numbers"):
        raise InputError(f"{suffix} files are not supported; save the sheet as .xlsx or as CSV UTF-8", file=label)
    if suffix == ".json":
        return "json"
    if suffix in (".yaml", ".yml"):
        return "yaml"
    return "csv"
