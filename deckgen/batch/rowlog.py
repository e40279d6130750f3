"""The rows of a batch as they finish, kept on disk: memory stays flat however long the list is.

:class:`RowLog` appends each :class:`~deckgen.batch.report.RowReport` to an anonymous temporary file
(pickled; the file vanishes when the log is closed or the process ends) and keeps in memory only
the count and whether the rows came in row order: no bytes a row. It reads like a sequence in
arrival order; :meth:`in_row_order` gives the report's order. Rows from one process come in order
and are read straight through; rows that came out of order (several workers) are placed by row
number, 8 bytes a row number, when they are read in row order; only an index (``log[i]``), or row
numbers that repeat or lie far apart, make it index the file, 16 bytes a row.
"""

from __future__ import annotations

import pickle
import tempfile
from array import array
from collections.abc import Iterator, Sequence

from deckgen.batch.report import RowReport

__all__ = ["RowLog"]


class RowLog(Sequence):
    """Row reports on disk; in memory a count, an order flag and (once asked for) an index."""

    def __init__(self) -> None:
        self._file = tempfile.TemporaryFile(prefix="deckgen-rows-")
        self._count = 0
        self._end = 0
        self._last_row: int | None = None
        self._ordered = True  # every row so far came after the one before it
        self._offsets = array("q")  # the index, built as far as it was asked for (see _index)
        self._rows = array("q")
        self._low: int | None = None  # the smallest and largest row numbers appended
        self._high = 0
        self._by_row: tuple[int, array] | None = None  # (rows it covers, offset by row number) for in_row_order

    def append(self, report: RowReport) -> None:
        data = pickle.dumps(report, protocol=pickle.HIGHEST_PROTOCOL)
        self._file.seek(self._end)
        self._file.write(data)
        self._end += len(data)
        self._count += 1
        if self._last_row is not None and report.row < self._last_row:
            self._ordered = False
        self._last_row = report.row
        self._low = report.row if self._low is None else min(self._low, report.row)
        self._high = max(self._high, report.row)

    def __len__(self) -> int:
        return self._count

    def _read_at(self, offset: int) -> tuple[RowReport, int]:
        self._file.seek(offset)
        report = pickle.load(self._file)
        return report, self._file.tell()

    def _index(self) -> None:
        """Index the records appended since the last call (offset and row number of each)."""
        offset = self._offsets[-1] if self._offsets else 0
        if self._offsets:
            _, offset = self._read_at(offset)
        while len(self._offsets) < self._count:
            report, after = self._read_at(offset)
            self._offsets.append(offset)
            self._rows.append(report.row)
            offset = after

    def __getitem__(self, index):
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        if not -self._count <= index < self._count:
            raise IndexError("row log index out of range")
        self._index()
        return self._read_at(self._offsets[index])[0]

    def __iter__(self) -> Iterator[RowReport]:
        offset = 0  # its own position: two passes over the log may interleave
        for _ in range(self._count):
            report, offset = self._read_at(offset)
            yield report

    def in_row_order(self) -> Iterator[RowReport]:
        """The reports sorted by row number (stable: equal rows keep their arrival order).

        Rows that came in order are read straight through. Rows out of order (several workers) that are each
        there once and close together, as a batch's are, are placed by number: one file offset (8 bytes) a row
        number, kept for the next pass. Otherwise the log is indexed and one packed integer a row (row number
        and arrival index) is sorted.
        """
        if self._ordered:
            yield from self
            return
        by_row = self._offsets_by_row()
        if by_row is not None:
            for offset in by_row:
                if offset >= 0:
                    yield self._read_at(offset)[0]
            return
        self._index()
        order = [(row << 32) | i for i, row in enumerate(self._rows)]
        order.sort()
        for key in order:
            yield self._read_at(self._offsets[key & 0xFFFF_FFFF])[0]

    def _offsets_by_row(self) -> array | None:
        """File offset of each row number from the lowest to the highest (-1: no such row), or None when a
        row number comes twice or the numbers are too sparse for that (the caller sorts instead)."""
        if self._by_row is not None and self._by_row[0] == self._count:
            return self._by_row[1]
        if self._low is None or self._high - self._low >= 2 * self._count + 1024:
            return None
        low = self._low
        by_row = array("q", [-1]) * (self._high - low + 1)
        offset = 0
        for _ in range(self._count):
            report, after = self._read_at(offset)
            if by_row[report.row - low] >= 0:
                return None  # twice: equal rows keep their arrival order, which the sort does
            by_row[report.row - low] = offset
            offset = after
        self._by_row = (self._count, by_row)
        return by_row

    def close(self) -> None:
        self._file.close()

    def __del__(self) -> None:  # the log lives as long as the batch result that reads it
        file = getattr(self, "_file", None)
        if file is not None:
            file.close()
