"""Rows with more cells than the header: a value split at a comma the file left unquoted, or a column the header
leaves unnamed.

``Smith, Jones & Co CPAs`` unquoted in a CSV is two cells, and every value after it sits one column to the right. When
the row's last column was empty, the extra cell is empty too, so "a value past the last column" does not show it;
the row then fails on a field it never meant ("'Accounting' is not a number"). What does show it: the row has more
cells than the header and than the file's rows usually have. Trailing empty cells that every row has (an export that
ends each line with a delimiter) are not a shift, and neither is a value under a header cell left empty.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import NamedTuple

from deckgen.load.explain import short_text

SAMPLE_ROWS = 50  # data rows read with the header to learn how many cells the file's rows usually have


class Widths(NamedTuple):
    """What the header's record says about the rows: its cells (named or not), the cells the rows usually have
    (0: not sampled), and whether its names follow a space (``company, city``: a file written with ", ", where a
    value starting with a space shows no split)."""

    header: int = 0
    usual: int = 0
    spaced: bool = False


def usual_width(lengths: Iterable[int]) -> int:
    """The most common number of cells of the sampled rows (the smaller on a tie), 0 for none."""
    counts = Counter(lengths)
    return min(counts, key=lambda n: (-counts[n], n)) if counts else 0


@dataclass(frozen=True, slots=True)
class Overflow:
    """What a row with cells past the header comes to: ``problem`` (and its ``column``) fails the row; ``note``
    (a row longer than the others but with nothing to show where) explains a field error the row may have."""

    problem: str | None = None
    column: str | None = None
    note: str | None = None


def check_overflow(rec: list[str], columns: list[str], widths: Widths, delimiter: str | None, column_name) -> Overflow:
    """Whether the cells of ``rec`` past the ``columns`` the header names make the row unusable (``delimiter``:
    the text file's, None for a workbook); ``column_name`` gives Excel's letter of a 0-based column index."""
    width, (header_cells, usual, spaced) = len(columns), widths
    past = next((i for i in range(width, len(rec)) if rec[i].strip()), None)
    note = None
    head = max(header_cells, width)
    if delimiter is not None and len(rec) > head:
        limit = max(head, usual)
        split = _split_at(rec, width, len(rec) - head, not spaced)
        sentence = _shifted(len(rec), header_cells, usual, columns, rec, split, _NAMES.get(delimiter, "a delimiter"))
        # past what the rows usually have; or past the header, in a value a split at a space explains
        if split is not None and (len(rec) > limit or past is not None):
            return Overflow(sentence, columns[split - 1])
        if len(rec) > limit:
            beyond = next((i for i in range(limit, len(rec)) if rec[i].strip()), None)
            if beyond is not None:
                return Overflow(sentence, f"column {column_name(beyond)}")
            note = sentence
    if past is not None:  # a value under a header cell left empty, where the file's rows have one
        letter = column_name(past)
        return Overflow(
            f"column {letter} has no header but this row has a value there (the header has {width} named "
            "columns); name that column in the header row or clear the value",
            f"column {letter}",
        )
    return Overflow(note=note)


def _split_at(rec: list[str], width: int, extra: int, by_space: bool = True) -> int | None:
    """The index of the second half of a value split at an unquoted comma (``"Smith"`` | ``" Jones & Co"``,
    ``=HYPERLINK("http://x"`` | ``"Click")``), when the row shows at most ``extra`` such places; None otherwise
    (a file written with ", " between all its values shows one at every cell)."""
    found = []
    for i in range(1, min(len(rec), width + extra)):
        a, b = rec[i - 1], rec[i]
        if not a.strip() or not b.strip():
            continue
        spaced = by_space and b[0] == " " and a[-1] != " "
        opened = a.count("(") > a.count(")") and b.count(")") > b.count("(")
        quoted = a.count('"') % 2 == 1 and b.count('"') % 2 == 1
        if spaced or opened or quoted:
            found.append(i)
    return found[0] if 0 < len(found) <= extra and found[0] <= width else None


_NAMES = {",": "a comma", ";": "a semicolon", "\t": "a tab"}


def _shifted(
    cells: int, header_cells: int, usual: int, columns: list[str], rec: list[str], split: int | None, sep: str
) -> str:
    others = f" (and the other rows {usual})" if cells > usual > header_cells else ""
    where = ""
    if split is not None:
        left, right = short_text(rec[split - 1], 40), " " * (rec[split][:1] == " ") + short_text(rec[split], 40)
        where = f' (likely in \'{columns[split - 1]}\': "{left}" / "{right}")'
    return (
        f"the row looks shifted: it has {cells} cells but the header has {header_cells}{others} — {sep} inside "
        f"an unquoted value{where} pushes the values after it one column to the right; put that value in quotes"
    )
