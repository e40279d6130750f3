"""The resume manifest's records, held in a few dozen bytes a deck however many decks there are.

:class:`RecordStore` maps a deck's file name to its :class:`~deckgen.batch.manifest.DeckRecord`.
Each record is appended to an anonymous temporary file as the line the manifest file stores
(``"name": {...}``); memory holds an open-addressing table of name hashes and file offsets in
arrays (no Python object per deck), and a flag per deck for "listed in this run's manifest file".
A name is always confirmed against the line on disk, so two names with the same hash never mix.
Lines are read back in the order they were written, so the manifest is streamed out, never sorted
or built in memory.

:class:`UsedNames` is the set of file names a batch has handed out, held the same way (the names'
bytes in one arena, an array table to find them).
"""

from __future__ import annotations

import json
import tempfile
from array import array
from collections.abc import Callable, Iterator, Mapping

__all__ = ["RecordStore", "UsedNames"]

_EMPTY = 0
_LEN_BITS = 24  # a line is at most 16 MiB (a record is a few hundred bytes)
_BLOCK = 1 << 18  # a manifest is read back this much at a time
_decode = json.JSONDecoder().raw_decode


def _hash(name: str) -> int:
    return (hash(name) & 0xFFFF_FFFF_FFFF_FFFF) | 1  # never _EMPTY


def split_line(line: bytes) -> tuple[str, bytes]:
    """(name, record JSON) of a stored ``"name": {...}`` line."""
    text = line.decode("utf-8")
    name, end = _decode(text)
    return name, text[end + 2 :].encode("utf-8")


class RecordStore(Mapping):
    """File name -> record (decoded by ``decode(json_dict)``), kept on disk and indexed in arrays."""

    def __init__(self, decode: Callable[[dict], object]) -> None:
        self._decode_record = decode
        self._file = tempfile.TemporaryFile(prefix="deckgen-manifest-")
        self._end = 0
        self._keys = array("Q", bytes(8 * 16))
        self._where = array("q", bytes(8 * 16))
        self._own = bytearray(16)
        self._count = 0
        self._owned = 0

    def __del__(self) -> None:
        file = getattr(self, "_file", None)
        if file is not None:
            file.close()

    # ------------------------------------------------------------------ the table

    def _find(self, name: str) -> tuple[int, bool]:
        """(slot, found): the slot holding ``name``, or the free slot where it would go."""
        h = _hash(name)
        mask = len(self._keys) - 1
        i = h & mask
        while True:
            key = self._keys[i]
            if key == _EMPTY:
                return i, False
            if key == h and split_line(self._read(self._where[i]))[0] == name:
                return i, True
            i = (i + 1) & mask

    def _read(self, where: int) -> bytes:
        self._file.seek(where >> _LEN_BITS)
        return self._file.read(where & ((1 << _LEN_BITS) - 1))

    def _grow(self) -> None:
        keys, where, own = self._keys, self._where, self._own
        size = len(keys) * 2
        self._keys, self._where, self._own = array("Q", bytes(8 * size)), array("q", bytes(8 * size)), bytearray(size)
        mask = size - 1
        for k, w, o in zip(keys, where, own):
            if k == _EMPTY:
                continue
            i = k & mask
            while self._keys[i] != _EMPTY:
                i = (i + 1) & mask
            self._keys[i], self._where[i], self._own[i] = k, w, o

    # ------------------------------------------------------------------ the mapping

    def __getitem__(self, name: str):
        slot, found = self._find(name)
        if not found:
            raise KeyError(name)
        return self._decode_record(json.loads(split_line(self._read(self._where[slot]))[1]))

    def __contains__(self, name) -> bool:
        return isinstance(name, str) and self._find(name)[1]

    def __len__(self) -> int:
        return self._count

    def __iter__(self) -> Iterator[str]:
        for name, _, _ in self._current_lines():
            yield name

    # ------------------------------------------------------------------ writing

    def put(self, name: str, record_json: dict, *, own: bool) -> None:
        """Store the record (as its JSON dict) for ``name``; ``own`` marks it as listed in this run's file."""
        line = (
            json.dumps(name, ensure_ascii=False) + ": " + json.dumps(record_json, ensure_ascii=False) + "\n"
        ).encode("utf-8")
        if len(line) >= 1 << _LEN_BITS:
            raise ValueError(f"a manifest record of {len(line):,} bytes is too large")
        slot, found = self._find(name)
        if not found:
            if (self._count + 1) * 3 > len(self._keys) * 2:  # keep the table under 2/3 full
                self._grow()
                slot, _ = self._find(name)
            self._keys[slot] = _hash(name)
            self._count += 1
        self._file.seek(self._end)
        self._file.write(line)
        self._where[slot] = (self._end << _LEN_BITS) | len(line)
        self._end += len(line)
        self._set_own(slot, own or (found and bool(self._own[slot])))

    def _set_own(self, slot: int, own: bool) -> None:
        self._owned += int(own) - self._own[slot]
        self._own[slot] = int(own)

    def set_own(self, name: str, own: bool = True) -> None:
        """Mark ``name`` (a stored record) as listed, or not, in this run's manifest file."""
        slot, found = self._find(name)
        if found:
            self._set_own(slot, own)

    def is_own(self, name: str) -> bool:
        slot, found = self._find(name)
        return found and bool(self._own[slot])

    @property
    def owned(self) -> int:
        """How many records this run's manifest file lists."""
        return self._owned

    # ------------------------------------------------------------------ reading back

    def _current_lines(self) -> Iterator[tuple[str, int, bytes]]:
        """(name, slot, line) of every record's current line, in the order the lines were written.

        The file is read a block at a time from an offset kept here, so lookups in between (which
        move the file's position) don't disturb it.
        """
        pos = start = 0  # where the next block starts; where ``pending`` starts
        pending = b""
        while True:
            self._file.seek(pos)
            block = self._file.read(_BLOCK)
            if not block:
                return
            pos += len(block)
            data, cut = pending + block, 0
            while (newline := data.find(b"\n", cut)) >= 0:
                line = data[cut : newline + 1]
                name = split_line(line)[0]
                slot, found = self._find_at(name, ((start + cut) << _LEN_BITS) | len(line))
                if found:
                    yield name, slot, line
                cut = newline + 1
            pending, start = data[cut:], start + cut

    def _find_at(self, name: str, where: int) -> tuple[int, bool]:
        """The slot of ``name`` if its current line is the one at ``where`` (no read from disk)."""
        h = _hash(name)
        mask = len(self._keys) - 1
        i = h & mask
        while self._keys[i] != _EMPTY:
            if self._keys[i] == h and self._where[i] == where:
                return i, True
            i = (i + 1) & mask
        return i, False

    def own_lines(self, keep: Callable[[str], bool] | None = None) -> Iterator[bytes]:
        """The stored ``"name": {...}`` lines (no newline) of the records this run's file lists, in write order.

        ``keep(name)`` False drops a record from the list (a deck that is gone) without yielding it.
        """
        for name, slot, line in self._current_lines():
            if not self._own[slot]:
                continue
            if keep is not None and not keep(name):
                self._set_own(slot, False)
                continue
            yield line[:-1]


class UsedNames:
    """The set of file names a batch has handed out (``NameAllocator.used``), in a few dozen bytes a name.

    The names' UTF-8 sits in one byte arena; an open-addressing table of (offset, length) pairs in
    an array finds them, so a 100,000-row batch keeps no Python string per row. Membership is exact:
    a probe compares the bytes, not only a hash.
    """

    def __init__(self) -> None:
        self._arena = bytearray()
        self._table = array("Q", bytes(8 * 16))  # (offset << 16 | length) + 1; 0 is empty
        self._count = 0
        self._long: set[str] = set()  # names of 64 KiB or more (never made by deckgen's naming)

    def _probe(self, data: bytes) -> tuple[int, bool]:
        mask = len(self._table) - 1
        i = hash(data) & mask
        while (entry := self._table[i]) != 0:
            offset, length = (entry - 1) >> 16, (entry - 1) & 0xFFFF
            if length == len(data) and self._arena[offset : offset + length] == data:
                return i, True
            i = (i + 1) & mask
        return i, False

    def __contains__(self, name: str) -> bool:
        data = name.encode("utf-8", "surrogatepass")
        return name in self._long if len(data) > 0xFFFF else self._probe(data)[1]

    def add(self, name: str) -> None:
        data = name.encode("utf-8", "surrogatepass")
        if len(data) > 0xFFFF:
            self._long.add(name)
            return
        slot, found = self._probe(data)
        if found:
            return
        if (self._count + 1) * 3 > len(self._table) * 2:
            self._grow()
            slot, _ = self._probe(data)
        self._table[slot] = ((len(self._arena) << 16) | len(data)) + 1
        self._arena += data
        self._count += 1

    def _grow(self) -> None:
        old, self._table = self._table, array("Q", bytes(16 * len(self._table)))
        mask = len(self._table) - 1
        for entry in old:
            if entry == 0:
                continue
            offset, length = (entry - 1) >> 16, (entry - 1) & 0xFFFF
            i = hash(bytes(self._arena[offset : offset + length])) & mask
            while self._table[i] != 0:
                i = (i + 1) & mask
            self._table[i] = entry

    def __len__(self) -> int:
        return self._count + len(self._long)
