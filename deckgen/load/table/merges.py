"""Merged cells in a sheet: a hand-made list groups rows under one merged "Dental" or "Bob Smith" cell, or puts
one header ("Address") over two columns.

Excel shows the merged value across the whole range but stores it in the top-left cell only, so read as stored
the rows below would lose it, and the second column would have no header. The ranges are listed after the rows
(``<mergeCells>`` closes the sheet XML), so they are found by a pass over the part's bytes before the rows are
read, in sheets up to :data:`SCAN_LIMIT` bytes (lists people merge cells in are small; a CRM export merges
nothing). Which ranges are filled is the caller's choice (:mod:`.workbook`: ranges merged down below the header,
and ranges across the header row, never a title line).
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from deckgen.load.table.rows import excel_column

SCAN_LIMIT = 64 * 1024 * 1024  # the sheet XML scanned for merged ranges, at most
MAX_RANGES = 10_000  # merged-down ranges kept; a sheet with more is read as stored
_CHUNK = 1024 * 1024
_MERGE = re.compile(
    rb'<(?:[A-Za-z_][\w.-]{0,20}:)?mergeCell\s[^>]{0,200}?ref="([A-Z]{1,3})([0-9]{1,7}):([A-Z]{1,3})([0-9]{1,7})"'
)
_CARRY = 300  # bytes kept between chunks: longer than any match


def _column(letters: bytes) -> int:
    """b'A' -> 0, b'AA' -> 26."""
    n = 0
    for ch in letters:
        n = n * 26 + ch - 64
    return n - 1


def merged_ranges(p: Path, part: str) -> list[tuple[int, int, int, int]]:
    """The sheet's merged ranges as (first row, first column, last row, last column) (rows from 1, columns from 0),
    sorted; [] when there are none, too many, or the sheet is too large to scan."""
    with zipfile.ZipFile(p) as zf:
        try:
            info = zf.getinfo(part)
        except KeyError:
            return []
        if info.file_size > SCAN_LIMIT:
            return []
        found: list[tuple[int, int, int, int]] = []
        carry = b""
        with zf.open(info) as src:
            while chunk := src.read(_CHUNK):
                window = carry + chunk
                end = 0
                if b"mergeCell" not in window:  # most of a sheet: its rows (a fast search, not the pattern)
                    carry = window[-_CARRY:]
                    continue
                for m in _MERGE.finditer(window):
                    c1, r1, c2, r2 = _column(m[1]), int(m[2]), _column(m[3]), int(m[4])
                    end = m.end()
                    if r2 >= r1 >= 1 and c2 >= c1 and (r2 > r1 or c2 > c1):
                        found.append((r1, c1, r2, c2))
                        if len(found) > MAX_RANGES:
                            return []
                carry = window[max(end, len(window) - _CARRY) :]
    return sorted(found)


class MergeFill:
    """Fills the cells of merged ranges with the value of the range's top-left cell, row by row (rows come in
    increasing order). In the ``header`` row a cell is named after the merged header and its column instead
    ("Address (column E)"): it is the merged column's second column, not a repeat of it."""

    def __init__(self, ranges: list[tuple[int, int, int, int]], header: int = 0) -> None:
        self.header = header
        self.pending = sorted(ranges, reverse=True)  # popped from the end: first row first
        self.active: list[tuple[int, int, int, int, str]] = []  # (first row, first col, last row, last col, value)

    def __call__(self, row: int, cells: list[str]) -> list[str]:
        while self.pending and self.pending[-1][0] <= row:
            r1, c1, r2, c2 = self.pending.pop()
            if r1 == row:
                value = cells[c1] if c1 < len(cells) else ""
                self.active.append((r1, c1, r2, c2, value))
            # a range whose first row never came (an empty row) has no value to give
        if not self.active:
            return cells
        self.active = [a for a in self.active if a[2] >= row]
        for r1, c1, _, c2, value in self.active:
            if not value:
                continue
            if len(cells) <= c2:
                cells.extend([""] * (c2 + 1 - len(cells)))
            for c in range(c1, c2 + 1):
                if (row, c) != (r1, c1):
                    cells[c] = f"{value} (column {excel_column(c)})" if row == self.header else value
        return cells
