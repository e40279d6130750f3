"""The bundled library of walk-away closing lines (``deckgen/data/closings.yaml``), read once per process."""

from __future__ import annotations

from functools import lru_cache

from deckgen.load.library import read_library
from deckgen.model import ClosingLine

LIBRARY_FILE = "data/closings.yaml"


@lru_cache(maxsize=1)
def _library() -> tuple[ClosingLine, ...]:
    """The bundled lines, validated; raises InputError naming the line of a broken entry."""
    return read_library(LIBRARY_FILE, "lines", ClosingLine, "closing line", "closing", extra={"source": "library"})


def load_library() -> list[ClosingLine]:
    """The bundled lines, validated with the model (parsed once per process; copies returned)."""
    return [line.model_copy(deep=True) for line in _library()]
