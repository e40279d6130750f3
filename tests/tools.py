"""Helpers for deckgen's tests: external tools, PDF text, OOXML validation, small decks.

Import with ``import tools`` (tests/conftest.py puts this folder on ``sys.path``).

External tools are installed by ``bash scripts/test.sh``. A test that needs one calls
:func:`require_tool` (or a helper that does): when the tool is missing the test is skipped on a
developer's machine, but *fails* when ``CI=true`` so a broken CI install can never turn into a
green run of skipped tests.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections.abc import Sequence
from pathlib import Path

import pytest

from deckgen.errors import ToolMissingError

__all__ = [
    "in_ci",
    "require_tool",
    "soffice_path",
    "validator_cmd",
    "pdf_text",
    "pdf_page_count",
    "validate_ooxml",
    "close_shared_validator",
    "make_deck",
]


def in_ci() -> bool:
    """True when the environment variable CI says so (CI=true, as CI systems set it)."""
    return os.environ.get("CI", "").strip().lower() in ("true", "1", "yes")


def _missing(what: str) -> None:
    msg = f"{what} is not installed; `bash scripts/test.sh` installs it"
    if in_ci():
        pytest.fail(f"{msg} (CI=true: a missing tool fails, never skips)", pytrace=False)
    pytest.skip(msg)


def _locate(name: str) -> str | None:
    if name in ("soffice", "libreoffice"):
        from deckgen.export.libreoffice import find_soffice

        try:
            return find_soffice()
        except ToolMissingError:
            return None
    if name == "ooxml-validate":
        from ooxml import find_validator

        cmd = find_validator()
        return cmd[-1] if cmd else None
    return shutil.which(name)


def require_tool(name: str) -> str:
    """Path of the program ``name``; skip the test when missing (fail it under CI=true).

    Known names: ``soffice`` (found like deckgen finds it, ``$DECKGEN_SOFFICE`` included),
    ``ooxml-validate`` (the Open XML SDK validator, see :mod:`tests.ooxml`), and any program
    on PATH (``pdftotext``, ``pdfinfo``, ``pdftoppm``, ...).
    """
    found = _locate(name)
    if not found:
        _missing(f"`{name}`")
    return found  # type: ignore[return-value]


def soffice_path() -> str:
    """LibreOffice's soffice, or skip/fail as :func:`require_tool`."""
    return require_tool("soffice")


def validator_cmd() -> list[str]:
    """The command that runs ``ooxml-validate``, or skip/fail as :func:`require_tool`."""
    from ooxml import find_validator

    cmd = find_validator()
    if not cmd:
        _missing("the Open XML validator `ooxml-validate` (npm @ooxml-tools/validate)")
    return cmd  # type: ignore[return-value]


def pdf_text(pdf: str | os.PathLike[str]) -> str:
    """The text of a PDF in reading layout (poppler's ``pdftotext -layout``), as UTF-8."""
    exe = require_tool("pdftotext")
    proc = subprocess.run(
        [exe, "-layout", "-enc", "UTF-8", os.fspath(pdf), "-"], capture_output=True, check=True, timeout=120
    )
    return proc.stdout.decode("utf-8", "replace")


def pdf_page_count(pdf: str | os.PathLike[str]) -> int:
    """Number of pages of a PDF (poppler's ``pdfinfo``)."""
    exe = require_tool("pdfinfo")
    proc = subprocess.run([exe, os.fspath(pdf)], capture_output=True, check=True, timeout=120)
    m = re.search(r"^Pages:\s+(\d+)", proc.stdout.decode("utf-8", "replace"), re.MULTILINE)
    if not m:
        raise AssertionError(f"pdfinfo printed no page count for {pdf}")
    return int(m.group(1))


_shared_validator = None


def validate_ooxml(pptx: str | os.PathLike[str]) -> list[str]:
    """Open XML SDK errors in a package (empty list = valid); skip/fail when not installed.

    One validator process serves the whole test session (the first package costs about 2 s,
    each further one about 0.2 s); conftest closes it at the end.
    """
    global _shared_validator
    from ooxml import Validator

    if _shared_validator is None:
        _shared_validator = Validator(validator_cmd())
    return _shared_validator.validate(pptx)


def close_shared_validator() -> None:
    global _shared_validator
    if _shared_validator is not None:
        _shared_validator.close()
        _shared_validator = None


def make_deck(
    path: str | os.PathLike[str],
    slides: Sequence[tuple[str, str]] = (
        ("Slide one", "First body"),
        ("Slide two", "Second body"),
        ("Slide three", "Third body"),
    ),
    *,
    widescreen: bool = True,
) -> Path:
    """Write a small deck with python-pptx: one (title, body) text pair a slide, 16:9 by default."""
    from pptx import Presentation
    from pptx.util import Emu, Pt

    prs = Presentation()
    if widescreen:
        prs.slide_width, prs.slide_height = Emu(12192000), Emu(6858000)
    width, height = prs.slide_width, prs.slide_height
    margin = Emu(width // 16)
    blank = prs.slide_layouts[6]
    for title, body in slides:
        slide = prs.slides.add_slide(blank)
        box = slide.shapes.add_textbox(margin, Emu(height // 10), Emu(width - 2 * margin), Emu(height // 6))
        box.text_frame.text = title
        box.text_frame.paragraphs[0].runs[0].font.size = Pt(40)
        box = slide.shapes.add_textbox(margin, Emu(height * 3 // 10), Emu(width - 2 * margin), Emu(height // 2))
        box.text_frame.word_wrap = True
        box.text_frame.text = body
        box.text_frame.paragraphs[0].runs[0].font.size = Pt(24)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    prs.save(path)
    return path
