"""Reading a resume manifest file a deck a line, so a 100,000-deck manifest never sits whole in memory.

:meth:`deckgen.batch.manifest.Manifest.save` writes a head line ending in ``"decks": {``, one
``"name": {...},`` line per deck and ``}}``; :func:`read_manifest` reads that layout line by line
and any other JSON (a file edited by hand) whole.
"""

from __future__ import annotations

import json
import os
import stat
from collections.abc import Iterator
from pathlib import Path

__all__ = [
    "DECKS_OPEN",
    "MAX_MANIFEST_BYTES",
    "MANIFEST_FORMAT",
    "UnreadableManifest",
    "read_manifest",
    "read_regular_file",
]

MANIFEST_FORMAT = "deckgen-manifest/1"
MAX_MANIFEST_BYTES = 1024 * 1024 * 1024  # 1 GiB: several million decks


def read_regular_file(path: Path, limit: int) -> bytes:
    """A regular file's bytes; a pipe, device or folder in its place is an OSError, not a hang."""
    with _open_regular(path, limit) as fh:
        return fh.read(limit + 1)


def _open_regular(path: Path, limit: int):
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOFOLLOW", 0))
    fh = os.fdopen(fd, "rb")
    st = os.fstat(fh.fileno())
    if not stat.S_ISREG(st.st_mode):
        fh.close()
        raise OSError(f"{path} is not a regular file")
    if st.st_size > limit:
        fh.close()
        raise OSError(f"{path} is larger than {limit // (1024 * 1024)} MiB")
    return fh


DECKS_OPEN = ', "decks": {'
_decode = json.JSONDecoder().raw_decode


def read_manifest(path: Path) -> tuple[dict, Iterator[tuple[str, dict]]]:
    """(inputs, (name, entry) pairs) of a manifest file; ValueError or OSError when it can't be read.

    A file in the line layout is read a deck a line (memory stays flat however many decks it
    lists); any other JSON is parsed whole. The pairs are checked as they
    come: one that is not a manifest entry raises while they are read.
    """
    fh = _open_regular(path, MAX_MANIFEST_BYTES)
    try:
        first = fh.readline()
        head = _head(first)
        if head is None:  # another layout (edited by hand, an older writer): parse it whole
            data = json.loads(first + fh.read(MAX_MANIFEST_BYTES + 1))
            fh.close()
            return _checked_head(data), iter(_decks_of(data))
    except BaseException:
        fh.close()
        raise
    return _checked_head(head), _lines(fh)


def _head(first: bytes) -> dict | None:
    text = first.decode("utf-8", "replace").rstrip("\n")
    if not text.endswith(DECKS_OPEN):
        return None
    try:
        head = json.loads(text[: -len(DECKS_OPEN)] + "}")
    except ValueError:
        return None
    return head if isinstance(head, dict) else None


def _checked_head(data) -> dict:
    """The ``inputs`` of a manifest's head; ValueError when it is not a manifest this version writes."""
    if not isinstance(data, dict) or data.get("format") != MANIFEST_FORMAT:
        raise ValueError("not a deckgen manifest")
    return dict(data.get("inputs") or {})


def _decks_of(data: dict) -> list[tuple[str, dict]]:
    return [(str(name), entry) for name, entry in dict(data["decks"]).items()]


class UnreadableManifest(ValueError):
    """A manifest in the line layout that is cut short or broken between its lines."""


def _lines(fh) -> Iterator[tuple[str, dict]]:
    """The entries of a manifest in the line layout: ``"name": {...},`` lines, then ``}}``."""
    with fh:
        previous, comma = None, False
        for raw in fh:
            line = raw.rstrip(b"\n")
            if line == b"}}":
                if comma:
                    raise UnreadableManifest("a comma after the last entry")
                if previous is not None:
                    yield previous
                if fh.read(1):
                    raise UnreadableManifest("text after the end of the manifest")
                return
            if previous is not None:
                if not comma:
                    raise UnreadableManifest("a comma missing between two entries")
                yield previous
            comma = line.endswith(b",")
            previous = _entry(line[:-1] if comma else line)
        raise UnreadableManifest("the manifest ends before its last line")


def _entry(line: bytes) -> tuple[str, dict]:
    """``"name": {...}`` as (name, the entry's JSON object)."""
    text = line.decode("utf-8").strip()
    name, end = _decode(text)
    rest = text[end:].lstrip()
    if not isinstance(name, str) or not rest.startswith(":"):
        raise UnreadableManifest("a line that is not a manifest entry")
    return name, json.loads(rest[1:])
