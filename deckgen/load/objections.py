"""The bundled objection library (``deckgen/data/objections.yaml``), read once per process."""

from __future__ import annotations

from functools import lru_cache

from deckgen.load.library import read_library
from deckgen.model import Objection

LIBRARY_FILE = "data/objections.yaml"


@lru_cache(maxsize=1)
def _library() -> tuple[Objection, ...]:
    return read_library(LIBRARY_FILE, "objections", Objection, "objection", "objection")


def load_objections() -> list[Objection]:
    """The bundled objections, validated (parsed once per process; copies returned)."""
    return [o.model_copy(deep=True) for o in _library()]
