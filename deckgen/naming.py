"""Safe, unique output file names.

A deck's file name is built from user data (a company name, a CRM row), so it
is reduced to an allow-listed slug: letters and digits (any script), ``-``,
``_`` and ``.``; no path separators, no leading dots, no Windows device names,
no trailing dots or spaces, and at most ``MAX_NAME_BYTES`` bytes of UTF-8.
Names that collide after case-folding and Unicode normalisation get a
deterministic numeric suffix.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from pathlib import Path

from deckgen.errors import OutputError

MAX_NAME_BYTES = 120  # leaves room for suffixes within the usual 255-byte limit
_RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)), *(f"lpt{i}" for i in range(10))}
_SEPARATORS = re.compile(r"[-\s]+")
_NOT_KEPT_ASCII = re.compile(r"[^A-Za-z0-9_.]")  # what _untruncated turns into "-" in ASCII text


def slugify(text: str, fallback: str = "deck") -> str:
    """Reduce ``text`` to a safe file-name stem (without extension)."""
    slug = _truncate_bytes(_untruncated(text), MAX_NAME_BYTES).rstrip("-._ ")
    if not slug:
        slug = fallback
    head, dot, rest = slug.partition(".")
    if head.lower() in _RESERVED:  # Windows reserves AUX and AUX.anything alike
        slug = f"{head}-deck{dot}{rest}"
    return slug


def slug_bytes(text: str) -> int:
    """How many bytes of UTF-8 ``text``'s slug takes before it is cut to ``MAX_NAME_BYTES``."""
    return len(_untruncated(text).encode("utf-8"))


@functools.lru_cache(maxsize=4)  # a batch asks for a stem's length (the --name pattern), then for its slug
def _untruncated(text: str) -> str:
    text = str(text)
    if text.isascii():  # NFKC leaves ASCII as it is; no ASCII character is invisible or a mark
        return re.sub(r"\.{2,}", ".", _SEPARATORS.sub("-", _NOT_KEPT_ASCII.sub("-", text))).strip("-._ ")
    text = unicodedata.normalize("NFKC", text)
    chars = []
    for ch in text:
        if _invisible(ch):
            continue  # fillers and format characters: a name made of them would look empty
        if ch.isalnum() or ch in "_.":
            chars.append(ch)
        elif unicodedata.category(ch) in ("Mn", "Mc") and chars and chars[-1] != "-":
            chars.append(ch)  # a vowel sign or other mark on a kept letter (Devanagari, Tamil, …) stays
        else:
            chars.append("-")
    slug = _SEPARATORS.sub("-", "".join(chars))
    return re.sub(r"\.{2,}", ".", slug).strip("-._ ")


# Default-ignorable code points that str.isalnum() calls letters (Hangul fillers) or that render as nothing.
_FILLERS = frozenset("\u115f\u1160\u3164\uffa0\u034f\u00ad\u17b4\u17b5")


def _invisible(ch: str) -> bool:
    """True for a character that shows as nothing: a filler, a format character (Cf), a variation selector."""
    return ch in _FILLERS or unicodedata.category(ch) == "Cf" or "\ufe00" <= ch <= "\ufe0f" or ch >= "\U000e0000"


def _truncate_bytes(text: str, limit: int) -> str:
    data = text.encode("utf-8")
    if len(data) <= limit:
        return text
    return data[:limit].decode("utf-8", "ignore")


def collision_key(name: str) -> str:
    """The key two names clash on, on a case-insensitive, normalising file system."""
    if name.isascii():  # NFKC leaves ASCII as it is, and casefold is lower there
        return name.lower()
    return unicodedata.normalize("NFKC", name).casefold()


class NameAllocator:
    """Hands out unique file names inside one output folder, deterministically."""

    def __init__(self, out_dir: Path, suffix: str = ".pptx") -> None:
        self.out_dir = out_dir
        self.suffix = suffix
        self.used: set[str] = set()
        self._resolved: Path | None = None  # out_dir resolved once: a row costs no lstat of its parents

    def allocate(self, stem: str, fallback: str = "deck") -> tuple[Path, str | None]:
        """Return (path inside out_dir, warning or None if the name had to change).

        ``fallback`` is the stem used when nothing of ``stem`` survives slugifying.
        """
        base = slugify(stem, fallback=fallback)
        name = base + self.suffix
        warning = None
        n = 2
        while collision_key(name) in self.used:
            name = f"{base}-{n}{self.suffix}"
            n += 1
        if n > 2:
            warning = f"file name '{base}{self.suffix}' was already used; wrote '{name}'"
        self.used.add(collision_key(name))
        if self._resolved is None:
            self._resolved = self.out_dir.resolve()
        return safe_join(self.out_dir, name, self._resolved), warning


def safe_join(out_dir: Path, name: str, resolved: Path | None = None) -> Path:
    """Join a file name to the output folder, refusing anything that would leave it.

    ``resolved`` is ``out_dir.resolve()`` when the caller has it already.
    """
    if "/" in name or "\\" in name or name in ("", ".", "..") or "\x00" in name:
        raise OutputError(f"unsafe output file name '{name}'")
    path = out_dir / name
    # the name's own last component is not resolved: a link of that name is refused when it is written
    # (deckgen.output.atomic_write), failing that one deck, not the folder
    resolved = resolved or out_dir.resolve()
    if (resolved / name).parent != resolved:
        raise OutputError(f"output file name '{name}' would leave the output folder")
    return path
