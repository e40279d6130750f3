"""Where bundled templates, brand kits and example data live (installed or in a checkout)."""

from __future__ import annotations

from pathlib import Path

_PKG = Path(__file__).resolve().parent


def bundled_dir(kind: str) -> Path:
    """Return the folder of bundled ``templates`` or ``brand`` kits.

    In a wheel they are installed under ``deckgen/_bundled/``; in a source
    checkout (editable install, tests) they sit at the repository's top level.
    """
    installed = _PKG / "_bundled" / kind
    if installed.is_dir():
        return installed
    return _PKG.parent / kind


def examples_dir() -> Path:
    """The bundled example profile and prospects."""
    return _PKG / "examples"


def data_dir() -> Path:
    return _PKG / "data"
