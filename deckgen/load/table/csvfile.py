"""CSV the way CRMs and Excel write it.

``,`` ``;`` or tab sniffed from the first lines (or Excel's ``sep=;`` line), quoted
values, multi-line values, ragged rows, a Salesforce report footer (the rows stop
there). Decoding is decided by :mod:`deckgen.load.table.encodings`.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from pathlib import Path

from deckgen.errors import DataWarning, DeckgenWarning, InputError
from deckgen.load.table.encodings import choose_encoding
from deckgen.load.table.rows import TITLE_LOOKAHEAD, RowProblem, Table, excel_column, table_from_records

_CSV_PARSER_LIMIT = 16 * 1024 * 1024  # beyond this the csv module itself stops (a row error)
_SNIFF_CHARS = 64 * 1024
DELIMITERS = (",", ";", "\t")


def _ensure_csv_limit() -> None:
    # Process-wide setting of the csv module; only ever raised, never lowered.
    if csv.field_size_limit() < _CSV_PARSER_LIMIT:
        csv.field_size_limit(_CSV_PARSER_LIMIT)


_SEP_LINE = re.compile(r'"?sep=(.)"?[ \t]*(?:\r\n|\n|\r)')


def open_csv(p: Path, label: str, encoding: str | None) -> Table:
    """A CSV (or tab-separated) export: encoding and delimiter decided now, rows read when iterated."""
    enc = choose_encoding(p, label, encoding)
    notes: list[DeckgenWarning] = [DataWarning(enc.note)] if enc.note else []
    with open(p, encoding=enc.codec, newline="") as fh:
        sample = fh.read(_SNIFF_CHARS)
        truncated = bool(fh.read(1))
    if not sample.strip():
        raise InputError("the file is empty (no header row)", file=label)
    sep = _SEP_LINE.match(sample)
    if sep:
        delimiter = sep.group(1)
        sample = sample[sep.end() :]
    else:
        delimiter = sniff_delimiter(sample, truncated)

    def records() -> Iterator[tuple[int, list[str] | RowProblem]]:
        return _csv_records(p, label, enc.codec, delimiter, bool(sep))

    return table_from_records(p, label, "csv", enc.name, records, notes, delimiter=delimiter)


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
        if any(w > 1 for w in widths[1 : TITLE_LOOKAHEAD + 2]):
            while widths and widths[0] == 1:  # title lines above the header (see rows._read_header)
                widths.pop(0)
        if not widths:
            continue
        width, rest = widths[0], widths[1:]
        agree = sum(1 for w in rest if w == width) / len(rest) if rest else 1.0
        score = (width > 1, agree if width > 1 else 0.0, width)
        if best_score is None or score > best_score:
            best, best_score = delim, score
    return best


def _csv_records(
    p: Path, label: str, codec: str, delimiter: str, skip_sep_line: bool
) -> Iterator[tuple[int, list[str] | RowProblem]]:
    """Every record of the file with its row number; a record the csv module refuses is a RowProblem."""
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
                yield row, RowProblem(f"cannot read this row: {text}")
                continue
            except UnicodeDecodeError as exc:  # the file changed since it was checked
                raise InputError(f"cannot decode row {row} as {codec}: {exc.reason}", file=label, row=row) from None
            nul = next((i for i, cell in enumerate(rec) if "\x00" in cell), None)
            if nul is not None and row > 1:  # a NUL in the header still refuses the file (no columns to trust)
                yield (
                    row,
                    RowProblem(
                        f"column {excel_column(nul)} holds a NUL byte (a damaged or binary value); fix it in the CRM "
                        "and export again"
                    ),
                )
                continue
            yield row, rec
