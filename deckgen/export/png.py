"""PDF pages to PNG images with poppler's ``pdftoppm``."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from deckgen.errors import ConversionError, ToolMissingError

DEFAULT_DPI = 96

POPPLER_INSTALL_HINT = (
    "Install poppler: on Debian/Ubuntu `sudo apt-get install poppler-utils`, on macOS "
    "`brew install poppler`, on Windows a poppler build with pdftoppm on PATH."
)


def find_poppler(name: str) -> str:
    """Return the poppler program ``name`` (e.g. ``pdftoppm``), or raise :class:`ToolMissingError`."""
    found = shutil.which(name)
    if not found:
        raise ToolMissingError(f"`{name}` (poppler) is needed but was not found. " + POPPLER_INSTALL_HINT)
    return found


def render_pngs(
    pdf: str | os.PathLike[str],
    out_dir: str | os.PathLike[str],
    *,
    dpi: int = DEFAULT_DPI,
    prefix: str | None = None,
    timeout: float = 300.0,
) -> list[Path]:
    """Render every page of ``pdf`` to ``out_dir/<prefix>-NN.png`` (prefix: the PDF's name); return the PNGs.

    Stale ``<prefix>-NN.png`` files from a longer earlier version of the deck are removed.
    """
    pdftoppm = find_poppler("pdftoppm")
    pdf = Path(pdf)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    prefix = prefix or pdf.stem
    # pdftoppm writes into a hidden temp folder next to the output, so the PNGs arrive by os.replace
    tmp = Path(tempfile.mkdtemp(dir=out, prefix=".deckgen-", suffix=".part"))
    try:
        try:
            proc = subprocess.run(
                [pdftoppm, "-png", "-r", str(int(dpi)), str(pdf), str(tmp / "page")],
                stdin=subprocess.DEVNULL,
                capture_output=True,
                timeout=timeout,
            )
        except subprocess.TimeoutExpired:
            raise ConversionError(f"pdftoppm did not finish within {timeout:g} s", file=str(pdf)) from None
        if proc.returncode != 0:
            said = proc.stderr.decode("utf-8", "replace").strip().splitlines()
            raise ConversionError(
                "pdftoppm could not render this PDF" + (f": {said[-1]}" if said else ""), file=str(pdf)
            )
        pages = sorted(tmp.glob("page-*.png"), key=lambda p: int(p.stem.rsplit("-", 1)[1]))
        if not pages:
            raise ConversionError("the PDF has no pages", file=str(pdf))
        width = max(2, len(str(len(pages))))
        result = []
        for n, page in enumerate(pages, start=1):
            target = out / f"{prefix}-{n:0{width}d}.png"
            os.replace(page, target)
            result.append(target)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    _remove_stale_pages(out, prefix, result)
    return result


def _remove_stale_pages(out: Path, prefix: str, kept: list[Path]) -> None:
    stale = re.compile(re.escape(prefix) + r"-(\d+)\.png")
    for old in out.glob(f"{_glob_escape(prefix)}-*.png"):
        m = stale.fullmatch(old.name)
        if m and old not in kept and int(m.group(1)) > len(kept):
            old.unlink(missing_ok=True)


def _glob_escape(text: str) -> str:
    return re.sub(r"([*?\[])", r"[\1]", text)
