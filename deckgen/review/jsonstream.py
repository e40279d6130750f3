"""Reading a JSON file a value at a time, so a 100,000-row report.json never sits whole in memory.

:class:`JsonStream` walks the text through a buffer of a few dozen KiB: :meth:`~JsonStream.members`
yields an object's keys (the caller then reads each value), :meth:`~JsonStream.items` an array's
values, each parsed with ``json.JSONDecoder.raw_decode``; :meth:`~JsonStream.value` reads one value
whole. Any layout of the JSON works (the batch writes a row a line, a hand-made file may be one line).
Broken JSON raises ``ValueError``.
"""

from __future__ import annotations

import codecs
import json
from collections.abc import Iterator
from typing import BinaryIO

__all__ = ["JsonStream"]

_BLOCK = 1 << 16
_WHITESPACE = " \t\n\r"
_NUMBER = frozenset("0123456789+-.eE")
_decode = json.JSONDecoder().raw_decode


class JsonStream:
    """A JSON text read from a binary file as it is walked."""

    def __init__(self, fh: BinaryIO, block: int = _BLOCK) -> None:
        self._fh = fh
        self._block = block
        self._utf8 = codecs.getincrementaldecoder("utf-8-sig")()
        self._buf = ""
        self._pos = 0
        self._eof = False

    def _fill(self, at_least: int = 0) -> bool:
        """Read more text (at least as much again as is buffered); False at the end of the file."""
        if self._eof:
            return False
        if self._pos:
            self._buf, self._pos = self._buf[self._pos :], 0
        data = self._fh.read(max(self._block, at_least))
        self._buf += self._utf8.decode(data, final=not data)
        self._eof = not data
        return True

    def peek(self) -> str:
        """The next character that is not whitespace ("" at the end of the text)."""
        while True:
            buf, pos = self._buf, self._pos
            while pos < len(buf) and buf[pos] in _WHITESPACE:
                pos += 1
            self._pos = pos
            if pos < len(buf) or not self._fill():
                return buf[pos] if pos < len(buf) else ""

    def _take(self, char: str) -> None:
        if self.peek() != char:
            raise ValueError(f"expected {char!r} in the JSON text")
        self._pos += 1

    def value(self):
        """The next value, whole."""
        self.peek()
        while True:
            try:
                obj, end = _decode(self._buf, self._pos)
            except json.JSONDecodeError:
                if self._fill(len(self._buf) - self._pos):
                    continue
                raise
            if not self._eof and isinstance(obj, int | float) and self._number_may_go_on(end):
                self._fill(len(self._buf) - self._pos)
                continue
            self._pos = end
            return obj

    def _number_may_go_on(self, end: int) -> bool:
        """True when only number characters follow ``end`` up to the end of the buffer: "1" of "12", "-0.5"
        of "-0.5e-7" (a number is the one value that parses whole when cut short)."""
        buf = self._buf
        while end < len(buf) and buf[end] in _NUMBER:
            end += 1
        return end == len(buf)

    def items(self) -> Iterator:
        """The values of the array that comes next, one at a time."""
        self._take("[")
        if self.peek() == "]":
            self._pos += 1
            return
        while True:
            yield self.value()
            if self.peek() == "]":
                self._pos += 1
                return
            self._take(",")

    def members(self) -> Iterator[str]:
        """The keys of the object that comes next; after each, the caller reads (or skips) its value."""
        self._take("{")
        if self.peek() == "}":
            self._pos += 1
            return
        while True:
            key = self.value()
            if not isinstance(key, str):
                raise ValueError("an object key that is not a string")
            self._take(":")
            yield key
            if self.peek() == "}":
                self._pos += 1
                return
            self._take(",")

    def skip(self) -> None:
        """Read past the next value without holding it (an array or object a value at a time)."""
        char = self.peek()
        if char == "[":
            for _ in self.items():
                pass
        elif char == "{":
            for _ in self.members():
                self.skip()
        else:
            self.value()

    def end(self) -> None:
        """Check that nothing but whitespace follows."""
        if self.peek():
            raise ValueError("text after the end of the JSON value")
