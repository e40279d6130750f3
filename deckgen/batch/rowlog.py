"""The rows of a batch as they finish, kept on disk: memory stays flat however long the list is.

:class:`RowLog` appends each :class:`~deckgen.batch.report.RowReport` to an anonymous temporary file
(pickled; the file vanishes when the log is closed or the process ends) and keeps in memory only
the row number and the file offset of each record (16 bytes a row) and the counts by status.
It reads like a sequence in arrival order; :meth:`in_row_order` gives the report's order.
"""

from __future__ import annotations

import pickle
import tempfile
from array import array
from collections.abc import Iterator, Sequence
from itertools import islice

from deckgen.batch.report import RowReport

__all__ = ["RowLog"]


class RowLog(Sequence):
    """Row reports on disk, indexed in memory."""

    def __init__(self) -> None:
        self._file = tempfile.TemporaryFile(prefix="deckgen-rows-")
        self._offsets = array("q")
        self._rows = array("q")
        self._end = 0

    def append(self, report: RowReport) -> None:
        data = pickle.dumps(report, protocol=pickle.HIGHEST_PROTOCOL)
        self._file.seek(self._end)
        self._file.write(data)
        self._offsets.append(self._end)
        self._rows.append(report.row)
        self._end += len(data)

    def __len__(self) -> int:
        return len(self._offsets)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        self._file.seek(self._offsets[index])
        return pickle.load(self._file)

    def __iter__(self) -> Iterator[RowReport]:
        for i in range(len(self)):
            yield self[i]

    def in_row_order(self) -> Iterator[RowReport]:
        """The reports sorted by row number (stable: equal rows keep their arrival order).

        Rows from one process arrive in order and are read straight through; otherwise one packed
        integer a row (row number and arrival index) is sorted, not a list of keys and indexes.
        """
        rows = self._rows
        if all(a <= b for a, b in zip(rows, islice(rows, 1, None))):
            yield from self
            return
        order = [(row << 32) | i for i, row in enumerate(rows)]
        order.sort()
        for key in order:
            yield self[key & 0xFFFF_FFFF]

    def close(self) -> None:
        self._file.close()

    def __del__(self) -> None:  # the log lives as long as the batch result that reads it
        file = getattr(self, "_file", None)
        if file is not None:
            file.close()
