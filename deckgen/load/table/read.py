"""Read a prospect list into raw rows of text: CSV, XLSX, JSON and YAML.

This layer knows nothing about prospects. It turns a file into a header (the
column names) and a lazy stream of :class:`RawRow` (column -> text), and it
refuses, before the first row is read, anything it cannot read faithfully:

- CSV the way CRMs and Excel write it: UTF-8 with or without BOM, UTF-16/32
  from their BOM, Windows-1252 when the bytes are not UTF-8 but are plausible
  Western-European text (never a silent guess otherwise), ``,`` ``;`` or tab
  sniffed from the first lines (or Excel's ``sep=;`` line), quoted values,
  multi-line values, ragged rows, a Salesforce report footer (stop there).
- XLSX through openpyxl in read-only mode (rows are streamed), first visible
  worksheet or a named one; numbers and dates turned into text as Excel shows
  them (``12.0`` -> ``"12"``).
- JSON and YAML lists of objects (nested objects flatten to ``size.users``).

Row numbers are the ones a user sees in Excel: the header is row 1 and the
first data row is 2 (blank lines count, multi-line values do not). For JSON and
YAML a row number is the 1-based position of the item in the list.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import io
import json
import math
import re
import warnings
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path

from deckgen.errors import InputError, UnsafeInputError
from deckgen.load.yamlfile import load_yaml_text
from deckgen.load.textclean import clean_text

MAX_CELL_CHARS = 1024 * 1024  # a value larger than this is a row error
_CSV_PARSER_LIMIT = 16 * 1024 * 1024  # beyond this the csv module itself stops (also a row error)
MAX_JSON_BYTES = 64 * 1024 * 1024
_CHUNK = 1024 * 1024
_SNIFF_CHARS = 64 * 1024
DELIMITERS = (",", ";", "\t")

# Workbook safety limits (a .xlsx is a zip of XML parts).
_XLSX_MAX_MEMBERS = 10_000
_XLSX_MAX_TOTAL = 1024 * 1024 * 1024
_XLSX_MAX_RATIO = 200
_XLSX_RATIO_FLOOR = 32 * 1024 * 1024  # the ratio check applies to members larger than this

Cell = str | list[str]

_ENCODING_HELP = (
    "save it from Excel as \"CSV UTF-8\", or name the encoding, e.g. --encoding cp1252 "
    "(Western European Windows), cp1250 (Central European), cp1251 (Cyrillic), "
    "gbk (Simplified Chinese), big5 (Traditional Chinese), shift_jis (Japanese)"
)


@dataclass(slots=True)
class RawRow:
    """One data row: ``cells`` maps every column to its text ("" when empty or missing).

    ``problem`` is set when the row itself cannot be used (too many cells, a
    value over the size limit, a JSON item that is not an object); the stream
    goes on after it. ``problem_column`` names the column concerned, if any.
    """

    row: int
    cells: dict[str, Cell]
    problem: str | None = None
    problem_column: str | None = None


@dataclass
class Table:
    """A readable table: its columns and a way to stream its rows (re-iterable)."""

    path: Path
    format: str  # "csv", "xlsx", "json", "yaml"
    encoding: str  # "utf-8", "utf-8-sig", "utf-16", "cp1252", ... ("xlsx" for workbooks)
    columns: list[str]
    warnings: list[str]
    delimiter: str | None = None
    sheet: str | None = None
    _rows: Callable[[], Iterator[RawRow]] | None = field(default=None, repr=False)

    def __iter__(self) -> Iterator[RawRow]:
        """Stream the data rows; each call reads the file again from the start."""
        assert self._rows is not None
        return self._rows()


# =========================================================================== entry point

def open_table(path: Path | str, *, encoding: str | None = None, sheet: str | None = None) -> Table:
    """Open ``path`` and read its header; raise InputError for anything unreadable."""
    p = Path(path)
    label = str(path)
    try:
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
        table = _open_xlsx(p, label, sheet)
        if encoding:
            table.warnings.append(f"--encoding {encoding} ignored: an Excel workbook names its own encoding")
        return table
    if fmt == "json":
        return _open_json(p, label, encoding)
    if fmt == "yaml":
        return _open_yaml(p, label, encoding)
    return _open_csv(p, label, encoding)


def _detect_format(p: Path, head: bytes, label: str) -> str:
    suffix = p.suffix.lower()
    if head.startswith(b"PK\x03\x04"):
        return "xlsx"  # a zip: checked to really be a workbook when opened
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        raise InputError("this is an old Excel 97-2003 workbook (.xls) or a password-protected "
                         "workbook; save it as .xlsx or as CSV UTF-8", file=label)
    if suffix in (".xlsx", ".xlsm", ".xltx", ".xltm"):
        raise InputError("is not a valid Excel workbook (not a zip package); "
                         "if it is really CSV text, rename it to .csv", file=label)
    if suffix in (".xls", ".ods", ".numbers"):
        raise InputError(f"{suffix} files are not supported; save the sheet as .xlsx or as CSV UTF-8",
                         file=label)
    if suffix == ".json":
        return "json"
    if suffix in (".yaml", ".yml"):
        return "yaml"
    return "csv"


# =========================================================================== encodings

_BOMS = (
    # (BOM, codec for reading with the BOM stripped, BOM-less codec used for scanning)
    (codecs.BOM_UTF32_LE, "utf-32", "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32", "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8-sig", "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16", "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16", "utf-16-be"),
)


@dataclass
class _Encoding:
    codec: str  # what open() uses
    name: str  # what we report
    note: str | None = None  # a warning worth showing


@dataclass
class _ScanResult:
    error_offset: int | None = None
    error_line: int | None = None
    error_bytes: bytes = b""
    nul_line: int | None = None


def _family(name: str) -> str:
    name = codecs.lookup(name).name
    for fam in ("utf-8", "utf-16", "utf-32"):
        if name.startswith(fam):
            return fam
    return name


def choose_encoding(p: Path, label: str, requested: str | None) -> _Encoding:
    """Decide how to decode a text file; scan it whole so no row is yielded before a failure."""
    with open(p, "rb") as fh:
        head = fh.read(4)
    bom = next((b for b in _BOMS if head.startswith(b[0])), None)

    if requested:
        try:
            canonical = codecs.lookup(requested).name
        except LookupError:
            raise InputError(f"unknown encoding '{requested}'; use e.g. utf-8, utf-16, cp1252 or latin-1",
                             file=label) from None
        if bom and _family(bom[2]) == _family(canonical):
            codec, scan_codec, skip, name = bom[1], bom[2], len(bom[0]), bom[1]
        else:
            codec, scan_codec, skip, name = canonical, canonical, 0, canonical
        result = _scan(p, scan_codec, skip)
        if result.error_offset is not None:
            raise InputError(
                f"cannot be read as {name}: {_describe_bad(result)} is not valid in that encoding; "
                f"check the encoding ({_ENCODING_HELP})", file=label, line=result.error_line)
        if result.nul_line is not None:
            raise _nul_error(p, label, result.nul_line)
        return _Encoding(codec, name)

    if bom:
        result = _scan(p, bom[2], len(bom[0]))
        if result.error_offset is not None:
            raise InputError(
                f"starts with a {bom[2].upper()[:6]} byte-order mark but {_describe_bad(result)} is not "
                f"valid {bom[2].upper()}; the file is damaged or mixes encodings ({_ENCODING_HELP})",
                file=label, line=result.error_line)
        if result.nul_line is not None:
            raise _nul_error(p, label, result.nul_line)
        return _Encoding(bom[1], bom[1])

    result = _scan(p, "utf-8", 0)
    if result.error_offset is None:
        if result.nul_line is not None:
            raise _nul_error(p, label, result.nul_line)
        return _Encoding("utf-8", "utf-8")
    if result.nul_line is not None and result.nul_line <= (result.error_line or 0):
        raise _nul_error(p, label, result.nul_line)
    _check_cp1252_plausible(p, label, result)
    return _Encoding("cp1252", "cp1252", note=(
        f"not UTF-8 (first at line {result.error_line}); read as Windows-1252 (cp1252), the encoding "
        "Excel uses for \"CSV (Comma delimited)\"; if names look wrong, pass --encoding"))


def _describe_bad(result: _ScanResult) -> str:
    shown = " ".join(f"0x{b:02X}" for b in result.error_bytes[:4]) or "the end of the file"
    noun = "byte" if len(result.error_bytes) <= 1 else "bytes"
    return f"{noun} {shown} on line {result.error_line} (byte offset {result.error_offset})"


def _scan(p: Path, codec: str, skip: int) -> _ScanResult:
    """Decode the whole file in chunks: where does decoding fail, where is the first NUL?"""
    out = _ScanResult()
    decoder = codecs.getincrementaldecoder(codec)("strict")
    newlines = 0
    pos = skip
    with open(p, "rb") as fh:
        fh.seek(skip)
        while True:
            chunk = fh.read(_CHUNK)
            final = not chunk
            try:
                text = decoder.decode(chunk, final)
            except UnicodeDecodeError as exc:
                data = exc.object
                pending = len(data) - len(chunk)  # bytes carried over from the previous chunk
                out.error_offset = pos - pending + exc.start
                before = codecs.decode(bytes(data[:exc.start]), codec, "replace")
                out.error_line = newlines + before.count("\n") + 1
                out.error_bytes = bytes(data[exc.start:exc.end])
                if out.nul_line is None and "\x00" in before:
                    out.nul_line = newlines + before.count("\n", 0, before.index("\x00")) + 1
                return out
            if out.nul_line is None and "\x00" in text:
                out.nul_line = newlines + text.count("\n", 0, text.index("\x00")) + 1
            newlines += text.count("\n")
            if final:
                return out
            pos += len(chunk)


_CP1252_UNDEFINED = re.compile(rb"[\x81\x8d\x8f\x90\x9d]")
_UTF8_SEQ = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")
_HIGH_RUN = re.compile(rb"[\x80-\xff]+")


def _check_cp1252_plausible(p: Path, label: str, utf8: _ScanResult) -> None:
    """Raise unless the bytes read as Windows-1252 look like Western-European text.

    Refused: bytes Windows-1252 does not define; valid UTF-8 sequences next to
    invalid ones (a file mixing encodings); long runs of non-ASCII bytes (what
    Cyrillic, Greek or Chinese single/double-byte encodings look like; in
    French, German or Spanish text accented letters stand mostly alone).
    """
    high = long_run = utf8_bytes = 0
    first_undefined = first_utf8 = first_run = None  # (line, sample)
    newlines = 0
    with open(p, "rb") as fh:
        while chunk := fh.read(_CHUNK):
            if b"\x00" in chunk:
                raise _nul_error(p, label, newlines + chunk.count(b"\n", 0, chunk.index(b"\x00")) + 1)
            if first_undefined is None and (m := _CP1252_UNDEFINED.search(chunk)):
                first_undefined = (newlines + chunk.count(b"\n", 0, m.start()) + 1, m.group())
            for m in _UTF8_SEQ.finditer(chunk):
                utf8_bytes += len(m.group())
                if first_utf8 is None:
                    first_utf8 = (newlines + chunk.count(b"\n", 0, m.start()) + 1, m.group())
            for m in _HIGH_RUN.finditer(chunk):
                n = len(m.group())
                high += n
                if n >= 3:
                    long_run += n
                    if first_run is None:
                        first_run = (newlines + chunk.count(b"\n", 0, m.start()) + 1, m.group()[:12])
            newlines += chunk.count(b"\n")

    where = f"byte 0x{utf8.error_bytes[0]:02X} on line {utf8.error_line}" if utf8.error_bytes \
        else f"line {utf8.error_line}"

    def mixed() -> InputError:
        return InputError(
            f"mixes encodings: line {first_utf8[0]} holds UTF-8 text but {where} is not UTF-8. "
            "Re-save the file as CSV UTF-8, or pass --encoding cp1252 to read it all as "
            "Windows-1252", file=label, line=utf8.error_line)

    if first_undefined is not None:
        raise InputError(
            f"is not UTF-8 ({where} is invalid) and not Windows-1252 either (byte "
            f"0x{first_undefined[1][0]:02X} on line {first_undefined[0]} is unused in cp1252); "
            f"{_ENCODING_HELP}", file=label, line=utf8.error_line)
    if first_utf8 is not None and utf8_bytes * 2 >= high:
        raise mixed()
    if first_run is not None and long_run * 10 >= high * 3:
        sample = first_run[1].decode("cp1252", "replace")
        raise InputError(
            f"is not UTF-8 ({where} is invalid) and does not look like Western-European "
            f"Windows-1252 text either (e.g. '{sample}' on line {first_run[0]} suggests Cyrillic, "
            f"Greek or East-Asian text); {_ENCODING_HELP}", file=label, line=utf8.error_line)
    if first_utf8 is not None:
        raise mixed()


def _nul_error(p: Path, label: str, line: int) -> InputError:
    with open(p, "rb") as fh:
        head = fh.read(4096)
    pairs = max(1, len(head) // 2)
    odd = sum(1 for i in range(1, len(head), 2) if head[i] == 0)
    even = sum(1 for i in range(0, len(head), 2) if head[i] == 0)
    if odd * 10 >= pairs * 4 and odd > even:
        hint = ("it looks like UTF-16 without a byte-order mark (Excel's \"Unicode Text\"): "
                "pass --encoding utf-16-le")
    elif even * 10 >= pairs * 4:
        hint = "it looks like UTF-16 without a byte-order mark: pass --encoding utf-16-be"
    else:
        hint = "this is not a text export; export the list again as CSV UTF-8 or .xlsx"
    return InputError(f"contains NUL bytes (first on line {line}); {hint}", file=label, line=line)


# =========================================================================== CSV

def _ensure_csv_limit() -> None:
    # Process-wide setting of the csv module; only ever raised, never lowered.
    if csv.field_size_limit() < _CSV_PARSER_LIMIT:
        csv.field_size_limit(_CSV_PARSER_LIMIT)


_SEP_LINE = re.compile(r'"?sep=(.)"?[ \t]*(?:\r\n|\n|\r)')


def _open_csv(p: Path, label: str, encoding: str | None) -> Table:
    enc = choose_encoding(p, label, encoding)
    notes = [enc.note] if enc.note else []
    with open(p, encoding=enc.codec, newline="") as fh:
        sample = fh.read(_SNIFF_CHARS)
        truncated = bool(fh.read(1))
    if not sample.strip():
        raise InputError("the file is empty (no header row)", file=label)
    sep = _SEP_LINE.match(sample)
    if sep:
        delimiter = sep.group(1)
        sample = sample[sep.end():]
    else:
        delimiter = sniff_delimiter(sample, truncated)

    def records() -> Iterator[tuple[int, list[str] | _Problem]]:
        return _csv_records(p, label, enc.codec, delimiter, bool(sep))

    table = _table_from_records(p, label, "csv", enc.name, records, notes)
    table.delimiter = delimiter
    return table


def sniff_delimiter(sample: str, truncated: bool = False) -> str:
    """Pick ``,`` ``;`` or tab: the one giving a multi-column header that later lines agree with."""
    best, best_score = ",", None
    for delim in DELIMITERS:
        widths: list[int] = []
        try:
            for rec in csv.reader(io.StringIO(sample), delimiter=delim):
                if any(c.strip(" ,;\t") for c in rec):  # a line of bare delimiters is blank
                    widths.append(len(rec))
                if len(widths) > 50:
                    break
        except csv.Error:
            continue
        if truncated and 2 < len(widths) <= 50:
            widths.pop()  # the last record may be cut in the middle
        if not widths:
            continue
        width, rest = widths[0], widths[1:]
        agree = sum(1 for w in rest if w == width) / len(rest) if rest else 1.0
        score = (width > 1, agree if width > 1 else 0.0, width)
        if best_score is None or score > best_score:
            best, best_score = delim, score
    return best


@dataclass(slots=True)
class _Problem:
    message: str
    column: str | None = None


def _csv_records(p: Path, label: str, codec: str, delimiter: str,
                 skip_sep_line: bool) -> Iterator[tuple[int, list[str] | _Problem]]:
    _ensure_csv_limit()
    with open(p, encoding=codec, newline="") as fh:
        if skip_sep_line:
            fh.readline()
        reader = csv.reader(fh, delimiter=delimiter)
        row = 0
        while True:
            row += 1
            try:
                rec = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                text = str(exc)
                if "field larger" in text:
                    text = f"a value is larger than {_CSV_PARSER_LIMIT // (1024 * 1024)} MiB"
                yield row, _Problem(f"cannot read this row: {text}")
                continue
            except UnicodeDecodeError as exc:  # the file changed since it was checked
                raise InputError(f"cannot decode row {row} as {codec}: {exc.reason}", file=label,
                                 row=row) from None
            yield row, rec


# =========================================================================== header + rows (CSV, XLSX)

_FOOTER = re.compile(
    r"^\s*(grand totals?\b|totals?\s*\(\d[\d,.]*\s+records?\)|copyright\s*(\(c\)|©)|©|"
    r"confidential information\b|generated by\b|filtered by\b)", re.IGNORECASE)


def _is_blank(rec: list[str]) -> bool:
    return not any(c.strip() for c in rec)


def _is_footer(rec: list[str], after_blank: bool) -> bool:
    """A report footer line: one value in the first cell, like 'Grand Totals (12 records)'."""
    if not rec or not rec[0].strip() or any(c.strip() for c in rec[1:]):
        return False
    text = rec[0]
    if "salesforce.com" in text.lower() and "copyright" in text.lower():
        return True
    return after_blank and bool(_FOOTER.match(text))


def excel_column(index: int) -> str:
    """0 -> 'A', 25 -> 'Z', 26 -> 'AA'."""
    name = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        name = chr(65 + rem) + name
    return name


def _column_names(cells: list[str], label: str, notes: list[str]) -> list[str]:
    """Clean header cells; name empty ones 'Column C'; refuse duplicates."""
    names: list[str] = []
    seen: dict[str, int] = {}
    for i, raw in enumerate(cells):
        text, changed = clean_text(raw.replace("\ufeff", ""))
        text = " ".join(text.split())
        if changed:
            notes.append(f"header of column {excel_column(i)}: removed control or invisible characters")
        if not text:
            text = f"Column {excel_column(i)}"
        key = text.casefold()
        if key in seen:
            first = seen[key]
            raise InputError(
                f"duplicate column name '{text}' (columns {excel_column(first)} and {excel_column(i)}); "
                "rename one of them so each column is unambiguous", file=label, field=text)
        seen[key] = i
        names.append(text)
    return names


def _table_from_records(p: Path, label: str, fmt: str, encoding: str,
                        records: Callable[[], Iterator[tuple[int, list[str] | _Problem]]],
                        notes: list[str], sheet: str | None = None) -> Table:
    header_row, header = _read_header(records, label)
    columns = _column_names(header, label, notes)

    def rows() -> Iterator[RawRow]:
        return _data_rows(records(), columns, header_row)

    return Table(path=p, format=fmt, encoding=encoding, columns=columns, warnings=notes,
                 sheet=sheet, _rows=rows)


def _read_header(records: Callable[[], Iterator[tuple[int, list[str] | _Problem]]],
                 label: str) -> tuple[int, list[str]]:
    gen = records()
    try:
        for row, rec in gen:
            if isinstance(rec, _Problem):
                raise InputError(f"cannot read the header row: {rec.message}", file=label, row=row)
            if not _is_blank(rec):
                while rec and not rec[-1].strip():  # trailing empty header cells carry nothing
                    rec = rec[:-1]
                return row, rec
    finally:
        gen.close()
    raise InputError("the file is empty (no header row)", file=label)


def _data_rows(records: Iterator[tuple[int, list[str] | _Problem]], columns: list[str],
               header_row: int) -> Iterator[RawRow]:
    width = len(columns)
    after_blank = False
    with contextlib.closing(records):  # closing this generator closes the file too
        for row, rec in records:
            if row <= header_row:
                continue
            if isinstance(rec, _Problem):
                after_blank = False
                yield RawRow(row, {}, rec.message, rec.column)
                continue
            if _is_blank(rec):
                after_blank = True
                continue
            if _is_footer(rec, after_blank):
                return
            after_blank = False
            if len(rec) > width and any(c.strip() for c in rec[width:]):
                extra = next(i for i in range(width, len(rec)) if rec[i].strip())
                yield RawRow(row, _cells(columns, rec[:width]),
                             f"this row has {len(rec)} cells but the header has {width} columns "
                             f"(a value in column {excel_column(extra)} has no header; an unquoted "
                             "comma or semicolon inside a value?)", f"column {excel_column(extra)}")
                continue
            big = next((i for i, c in enumerate(rec[:width]) if len(c) > MAX_CELL_CHARS), None)
            if big is not None:
                size = len(rec[big]) / (1024 * 1024)
                yield RawRow(row, {}, f"the value is {size:.1f} MiB of text; the limit is "
                             f"{MAX_CELL_CHARS // (1024 * 1024)} MiB", columns[big])
                continue
            yield RawRow(row, _cells(columns, rec))


def _cells(columns: list[str], rec: list[str]) -> dict[str, Cell]:
    cells: dict[str, Cell] = dict(zip(columns, rec))
    if len(rec) < len(columns):
        for name in columns[len(rec):]:
            cells[name] = ""
    return cells


# =========================================================================== XLSX

def _open_xlsx(p: Path, label: str, sheet: str | None) -> Table:
    _check_workbook_package(p, label)
    notes: list[str] = []
    fh, wb = _load_workbook(p, label, notes)
    try:
        ws = _pick_sheet(wb, sheet, label, notes)
        title = ws.title
    finally:
        wb.close()
        fh.close()

    def records() -> Iterator[tuple[int, list[str] | _Problem]]:
        return _xlsx_records(p, label, title)

    return _table_from_records(p, label, "xlsx", "xlsx", records, notes, sheet=title)


def _check_workbook_package(p: Path, label: str) -> None:
    try:
        with zipfile.ZipFile(p) as zf:
            infos = zf.infolist()
            names = {i.filename for i in infos}
            if "xl/workbook.xml" not in names:
                if "mimetype" in names and b"opendocument" in zf.read("mimetype")[:200]:
                    raise InputError("this is an OpenDocument spreadsheet (.ods); save it as .xlsx or "
                                     "as CSV UTF-8", file=label)
                raise InputError("is a zip archive but not an Excel workbook; export the list as .xlsx or "
                                 "as CSV UTF-8", file=label)
            if len(infos) > _XLSX_MAX_MEMBERS:
                raise UnsafeInputError(f"workbook has {len(infos)} parts; refusing more than "
                                       f"{_XLSX_MAX_MEMBERS}", file=label)
            if sum(i.file_size for i in infos) > _XLSX_MAX_TOTAL:
                raise UnsafeInputError("workbook unpacks to more than 1 GiB; refusing it", file=label)
            for info in infos:
                if (info.file_size > _XLSX_RATIO_FLOOR
                        and info.file_size > _XLSX_MAX_RATIO * max(1, info.compress_size)):
                    raise UnsafeInputError(f"workbook part {info.filename} is compressed more than "
                                           f"{_XLSX_MAX_RATIO}:1 (a zip bomb?); refusing it", file=label)
            for info in infos:
                if info.filename.endswith((".xml", ".rels")) and _declares_dtd(zf, info):
                    raise UnsafeInputError(f"workbook part {info.filename} declares a DOCTYPE or "
                                           "entities; refusing it", file=label)
    except zipfile.BadZipFile as exc:
        raise InputError(f"is damaged or not an Excel workbook ({exc}); open it in Excel and save it again",
                         file=label) from None
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


def _load_workbook(p: Path, label: str, notes: list[str]):
    import openpyxl

    fh = open(p, "rb")  # a file object: openpyxl then does not insist on the file's extension
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            wb = openpyxl.load_workbook(fh, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds on a damaged package
        fh.close()
        raise InputError(f"cannot open the workbook ({exc}); open it in Excel and save it again as .xlsx, "
                         "or export the list as CSV UTF-8", file=label) from None
    for w in caught:
        text = str(w.message)
        if "default style" not in text:
            notes.append(f"workbook: {text}")
    return fh, wb


def _pick_sheet(wb, sheet: str | None, label: str, notes: list[str]):
    sheets = list(wb.worksheets)
    if not sheets:
        raise InputError("the workbook has no worksheets", file=label)
    names = [ws.title for ws in sheets]
    if sheet is not None:
        for ws in sheets:
            if ws.title == sheet:
                return ws
        folded = [ws for ws in sheets if ws.title.casefold() == sheet.strip().casefold()]
        if len(folded) == 1:
            return folded[0]
        raise InputError(f"no sheet named '{sheet}'; the workbook has: "
                         + ", ".join(f"'{n}'" for n in names), file=label)
    visible = [ws for ws in sheets if getattr(ws, "sheet_state", "visible") == "visible"]
    ws = (visible or sheets)[0]
    if len(sheets) > 1:
        notes.append(f"read sheet '{ws.title}' (the workbook has {len(sheets)} sheets; "
                     "use --sheet to pick another)")
    return ws


def _xlsx_records(p: Path, label: str, title: str) -> Iterator[tuple[int, list[str] | _Problem]]:
    fh, wb = _load_workbook(p, label, [])
    try:
        ws = wb[title]
        ws.reset_dimensions()  # some writers store a wrong size; read what is really there
        row = 0
        rows = ws.iter_rows(values_only=True)
        while True:
            try:
                values = next(rows, None)
            except Exception as exc:  # openpyxl and the XML parser raise many kinds on a damaged sheet
                raise InputError(f"the workbook is damaged here ({exc}); open it in Excel and save it again",
                                 file=label, row=row + 1) from None
            if values is None:
                return
            row += 1
            yield row, [cell_text(v) for v in values]
    finally:
        wb.close()
        fh.close()


def cell_text(value) -> str:
    """A spreadsheet value as the text a user would see: 12.0 -> '12', dates as ISO."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
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


# =========================================================================== JSON / YAML

_LIST_KEYS = ("prospects", "companies", "accounts", "organizations", "records", "items", "rows", "data",
              "results")


class _DuplicateKey(ValueError):
    pass


def _no_duplicates(pairs: list[tuple[str, object]]) -> dict:
    out: dict = {}
    for key, value in pairs:
        if key in out:
            raise _DuplicateKey(key)
        out[key] = value
    return out


def _read_text(p: Path, label: str, encoding: str | None, limit: int) -> tuple[str, _Encoding]:
    size = p.stat().st_size
    if size > limit:
        raise InputError(f"file is {size // (1024 * 1024)} MiB; the limit for this format is "
                         f"{limit // (1024 * 1024)} MiB (export large lists as CSV)", file=label)
    enc = choose_encoding(p, label, encoding)
    return p.read_text(encoding=enc.codec), enc


def _open_json(p: Path, label: str, encoding: str | None) -> Table:
    text, enc = _read_text(p, label, encoding, MAX_JSON_BYTES)
    try:
        data = json.loads(text, parse_int=str, parse_float=str, parse_constant=str,
                          object_pairs_hook=_no_duplicates)
    except _DuplicateKey as exc:
        raise InputError(f"an object has the key '{exc.args[0]}' twice", file=label) from None
    except json.JSONDecodeError as exc:
        raise InputError(f"not valid JSON: {exc.msg} (column {exc.colno})", file=label,
                         line=exc.lineno) from None
    except RecursionError:
        raise InputError("not valid JSON: nested too deeply", file=label) from None
    return _table_from_items(p, label, "json", enc, data)


def _open_yaml(p: Path, label: str, encoding: str | None) -> Table:
    text, enc = _read_text(p, label, encoding, MAX_JSON_BYTES)
    doc = load_yaml_text(text, file=label)
    return _table_from_items(p, label, "yaml", enc, doc.data)


def _item_list(data, label: str) -> list:
    if isinstance(data, list):
        return data
    if isinstance(data, dict):
        for key in _LIST_KEYS:
            if isinstance(data.get(key), list) and len(data) == 1:
                return data[key]
        lists = [v for v in data.values() if isinstance(v, list) and v and isinstance(v[0], dict)]
        if len(data) == 1 and lists:
            return lists[0]
        return [data]  # one prospect on its own
    raise InputError("expected a list of objects (one per prospect)", file=label)


def _scalar_text(value) -> str:
    if value is None:
        return ""
    if value is True:
        return "true"
    if value is False:
        return "false"
    return str(value)


def _flatten(value, prefix: str, out: dict[str, Cell]) -> None:
    """{'size': {'users': '40'}} -> {'size.users': '40'}; lists of text stay lists."""
    if isinstance(value, dict):
        for key, sub in value.items():
            key = str(key).strip()
            _flatten(sub, f"{prefix}.{key}" if prefix else key, out)
        return
    if isinstance(value, list):
        if all(not isinstance(v, (dict, list)) for v in value):
            _put(out, prefix, [_scalar_text(v) for v in value if v is not None])
        else:
            for i, sub in enumerate(value):
                _flatten(sub, f"{prefix}[{i}]", out)
        return
    _put(out, prefix, _scalar_text(value))


def _put(out: dict[str, Cell], key: str, value: Cell) -> None:
    if key in out:
        raise _DuplicateKey(key)
    out[key] = value


def _table_from_items(p: Path, label: str, fmt: str, enc: _Encoding, data) -> Table:
    items = _item_list(data, label)
    notes = [enc.note] if enc.note else []
    flat_items: list[dict[str, Cell] | _Problem] = []
    order: dict[str, str] = {}  # casefolded -> name as first written
    for item in items:
        if not isinstance(item, dict):
            kind = "a list" if isinstance(item, list) else "empty" if item is None else "text"
            flat_items.append(_Problem(f"expected an object with fields, found {kind}"))
            continue
        flat: dict[str, Cell] = {}
        try:
            _flatten(item, "", flat)
        except _DuplicateKey as exc:
            flat_items.append(_Problem(f"the field '{exc.args[0]}' is given twice"))
            continue
        for key in flat:
            folded = key.casefold()
            if folded not in order:
                order[folded] = key
            elif order[folded] != key:
                raise InputError(f"field names '{order[folded]}' and '{key}' differ only in case; "
                                 "use one spelling", file=label, field=key)
        flat_items.append(flat)
    if not items:
        notes.append("the list is empty: no prospects")
    columns = list(order.values())

    def rows() -> Iterator[RawRow]:
        for index, flat in enumerate(flat_items, start=1):
            if isinstance(flat, _Problem):
                yield RawRow(index, {}, flat.message)
                continue
            if not any((v.strip() if isinstance(v, str) else v) for v in flat.values()):
                continue  # an empty item, like a blank row
            cells: dict[str, Cell] = {name: flat.get(name, "") for name in columns}
            big = next((k for k, v in cells.items() if _cell_len(v) > MAX_CELL_CHARS), None)
            if big is not None:
                yield RawRow(index, {}, f"the value is larger than {MAX_CELL_CHARS // (1024 * 1024)} MiB "
                             "of text", big)
                continue
            yield RawRow(index, cells)

    return Table(path=p, format=fmt, encoding=enc.name, columns=columns, warnings=notes, _rows=rows)


def _cell_len(value: Cell) -> int:
    return len(value) if isinstance(value, str) else sum(len(v) for v in value)
