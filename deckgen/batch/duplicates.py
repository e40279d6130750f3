"""Rows of one prospect list that look like the same company: same website domain, phone or cleaned-up name.

A CRM export often holds a company twice (a form fill next to the account, "Acme LLC" beside "Acme"), and two
identical decks go out with no warning. :class:`DuplicateFinder` sees every row as the batch streams past and
says, of a later row, which earlier row it repeats and why. Memory stays bounded however long the list is: an
open-addressing table of 8-byte hashes and 4-byte row numbers in arrays (at most 36 bytes a row for its three keys),
no Python object a row. Two different values whose hashes collide (one in 2**64) would be reported as a
duplicate; the warning names both rows, so a reviewer sees it at once.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from array import array
from collections.abc import Mapping
from dataclasses import dataclass

__all__ = ["Duplicate", "DuplicateFinder", "clean_company", "phone_digits", "row_phone", "web_domain"]

# legal forms dropped from the end of a name ("Pty Ltd" is two of them)
_LEGAL = frozenset(
    "llp llc lllp inc incorporated ltd limited corp corporation co company plc pty gmbh ag kg ug sa sas sarl sl "
    "srl spa bv nv oy ab as aps pc pllc lp".split()
)
_WORD = re.compile(r"[^\W_]+")
_MIN_PHONE_DIGITS = 7  # fewer is an extension or a typo, not a number two companies could share
_PHONE_DIGITS = 10  # compared: the national number, without country code or trunk prefix
_KINDS = ("domain", "phone", "name")


def web_domain(website: str) -> str:
    """``https://www.Acme.com/about`` -> ``acme.com``; empty when there is no host."""
    text = website.strip().lower()
    text = re.sub(r"^[a-z][a-z0-9+.-]*://", "", text)
    host = re.split(r"[/?#\s]", text, maxsplit=1)[0].rsplit("@", 1)[-1].split(":", 1)[0].strip(".")
    host = host.removeprefix("www.")
    return host if "." in host else ""


def phone_digits(phone: str) -> str:
    """The last ten digits of a phone number (``+1 512-555-0190`` -> ``5125550190``), so that a number written
    with and without its country code or trunk 0 compares equal (``+44 20 7946 0958``, ``020 7946 0958``);
    empty when too few digits to compare."""
    digits = "".join(ch for ch in phone if ch.isdigit())
    return digits[-_PHONE_DIGITS:] if len(digits) >= _MIN_PHONE_DIGITS else ""


def clean_company(name: str) -> str:
    """A company name for comparing: case, accents, punctuation and trailing legal forms (LLP, Inc, Pty Ltd,
    GmbH, SA, …) removed; "&" reads as "and", "L.L.P." as "LLP". Empty when nothing but a legal form is left."""
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii").casefold()
    words = _WORD.findall(re.sub(r"[.'\u2019]", "", text).replace("&", " and "))  # L.L.P. -> llp
    while len(words) > 1 and words[-1] in _LEGAL:
        words.pop()
    return " ".join(words) if words and words[-1] not in _LEGAL else ""


@dataclass(frozen=True, slots=True)
class Duplicate:
    """A later row that repeats an earlier one: the earlier row and what they share (domain, phone, name)."""

    first_row: int
    same: tuple[str, ...]

    def message(self, row: int) -> str:
        """``row 25: duplicate of row 4: same domain, phone and name``."""
        same = self.same[0] if len(self.same) == 1 else ", ".join(self.same[:-1]) + " and " + self.same[-1]
        return f"row {row}: duplicate of row {self.first_row}: same {same}"


def _key(kind: str, value: str) -> int:
    digest = hashlib.blake2b(f"{kind}\x00{value}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "little") | 1  # never 0, the empty slot


class DuplicateFinder:
    """The first row seen with each domain, phone and cleaned-up name; :meth:`check` a row as it comes."""

    def __init__(self) -> None:
        self._keys = array("Q", bytes(8 * 64))
        self._rows = array("i", bytes(4 * 64))
        self._count = 0

    def __len__(self) -> int:
        return self._count

    def check(self, row: int, *, company: str, website: str = "", phone: str = "") -> Duplicate | None:
        """The earlier row this one repeats (the earliest that shares the most), or None; the row's values are
        remembered either way, so a third copy points at the first."""
        values = (web_domain(website), phone_digits(phone), clean_company(company))
        matches: dict[int, list[str]] = {}
        for kind, value in zip(_KINDS, values):
            if not value:
                continue
            first = self._find_or_add(_key(kind, value), row)
            if first != row:
                matches.setdefault(first, []).append(kind)
        if not matches:
            return None
        first = min(matches, key=lambda r: (-len(matches[r]), r))
        return Duplicate(first, tuple(matches[first]))

    def _find_or_add(self, key: int, row: int) -> int:
        """The row stored under ``key``, storing ``row`` there when there was none."""
        mask = len(self._keys) - 1
        i = key & mask
        while (k := self._keys[i]) != 0:
            if k == key:
                return self._rows[i]
            i = (i + 1) & mask
        if (self._count + 1) * 3 > len(self._keys) * 2:
            self._grow()
            return self._find_or_add(key, row)
        self._keys[i], self._rows[i] = key, row
        self._count += 1
        return row

    def _grow(self) -> None:
        keys, rows = self._keys, self._rows
        size = len(keys) * 2
        self._keys, self._rows = array("Q", bytes(8 * size)), array("i", bytes(4 * size))
        mask = size - 1
        for k, r in zip(keys, rows):
            if k == 0:
                continue
            i = k & mask
            while self._keys[i] != 0:
                i = (i + 1) & mask
            self._keys[i], self._rows[i] = k, r


def row_phone(raw: Mapping[str, str], contact_phone: str = "") -> str:
    """The phone a row gives: the contact's, else the first column named like a phone that has one."""
    if phone_digits(contact_phone):
        return contact_phone
    for column, value in raw.items():
        if "phone" in str(column).lower() and phone_digits(str(value or "")):
            return str(value)
    return ""
