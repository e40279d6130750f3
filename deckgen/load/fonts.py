"""Font files on this machine and in a brand kit, found once so rendering never looks for them.

Installed fonts are found with fontconfig (``fc-match``). Its answers are kept in deckgen's cache
(:mod:`deckgen.cache`) for a day, and sooner forgotten when a font folder or fontconfig's own cache
changes or the file found is gone or changed, so a first deck starts no subprocess.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from functools import lru_cache
from pathlib import Path

from deckgen.cache import DiskCache, open_cache
from deckgen.errors import InputError

_KEEP_SECONDS = 24 * 3600
# Where fonts get installed, and fontconfig's caches (fc-cache rewrites them when fonts are added).
_FONT_DIRS = (
    "/usr/share/fonts",
    "/usr/local/share/fonts",
    "/var/cache/fontconfig",
    "~/.fonts",
    "~/.local/share/fonts",
    "~/.cache/fontconfig",
    "/Library/Fonts",
    "/System/Library/Fonts",
    "~/Library/Fonts",
)


@lru_cache(maxsize=256)
def installed_font(family: str, bold: bool = False) -> tuple[str, int] | None:
    """(file, face index) of the installed font of exactly this family (fontconfig), or None."""
    exe = shutil.which("fc-match")
    if not exe:
        return None
    cache = _lookup_cache()
    key = f"{exe}\0{family}\0{bold}".encode("utf-8", "surrogatepass")
    if cache is not None:
        entry = cache.get_value(key)
        if _still_true(entry):
            return (entry[0], entry[1]) if entry[0] else None
    found = _fc_match(exe, family, bold)
    if cache is not None:
        cache.put_value(key, (*(found or ("", 0)), _file_stamp(found[0]) if found else (), _dirs_stamp(), time.time()))
    return found


def _fc_match(exe: str, family: str, bold: bool) -> tuple[str, int] | None:
    pattern = family.replace("-", r"\-").replace(":", r"\:") + (":bold" if bold else "")
    try:
        out = (
            subprocess.run(
                [exe, "-f", "%{family}\n%{file}\n%{index}", pattern], capture_output=True, timeout=10, check=False
            )
            .stdout.decode("utf-8", "replace")
            .split("\n")
        )
    except (OSError, subprocess.SubprocessError):
        return None
    if len(out) < 3 or family.lower() not in [f.strip().lower() for f in out[0].split(",")]:
        return None
    try:
        return out[1], int(out[2] or 0)
    except ValueError:
        return None


def _lookup_cache() -> DiskCache | None:
    return open_cache("fonts", "fc-match 1")


def _still_true(entry) -> bool:
    """A cached answer is used while it is young, the font folders are as they were and its file is unchanged."""
    if not (isinstance(entry, tuple) and len(entry) == 5 and isinstance(entry[0], str) and isinstance(entry[1], int)):
        return False
    file, _, file_stamp, dirs_stamp, made = entry
    if not isinstance(made, float) or not 0 <= time.time() - made < _KEEP_SECONDS or dirs_stamp != _dirs_stamp():
        return False
    return not file or file_stamp == _file_stamp(file)


def _file_stamp(file: str) -> tuple:
    try:
        info = os.stat(file)
    except OSError:
        return ()
    return (info.st_size, info.st_mtime_ns)


@lru_cache(maxsize=1)
def _dirs_stamp() -> tuple:
    stamp = []
    for folder in _FONT_DIRS:
        try:
            stamp.append((folder, os.stat(os.path.expanduser(folder)).st_mtime_ns))
        except OSError:
            continue
    return tuple(stamp)


def brand_font_files(folder: Path, files: list[str]) -> list[Path]:
    """The font files a brand kit lists (relative to its folder), each checked to exist inside it."""
    base = Path(folder).resolve()
    found = [(base / f).resolve() for f in files]
    for path in found:
        if not path.is_relative_to(base) or not path.is_file():
            raise InputError(
                "a font file listed in the brand kit is missing or outside its folder",
                file=str(base / "brand.yaml"),
                field="fonts.files",
            )
    return found


__all__ = ["installed_font", "brand_font_files"]
