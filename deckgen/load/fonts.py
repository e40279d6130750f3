"""Font files on this machine and in a brand kit, found once so rendering never looks for them."""

from __future__ import annotations

import shutil
import subprocess
from functools import lru_cache
from pathlib import Path

from deckgen.errors import InputError


@lru_cache(maxsize=256)
def installed_font(family: str, bold: bool = False) -> tuple[str, int] | None:
    """(file, face index) of the installed font of exactly this family (fontconfig), or None."""
    exe = shutil.which("fc-match")
    if not exe:
        return None
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
