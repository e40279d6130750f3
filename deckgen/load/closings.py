"""The bundled library of walk-away closing lines (``deckgen/data/closings.yaml``), read once per process,
and the check of the profile's own lines against their slide."""

from __future__ import annotations

from functools import lru_cache

from deckgen.errors import DataWarning
from deckgen.load.library import read_library
from deckgen.model import ClosingLine, Profile

LIBRARY_FILE = "data/closings.yaml"
SHORT_WORDS = 20  # as deckgen.sales.closings.SHORT_WORDS: the most words a line's slide form has


@lru_cache(maxsize=1)
def _library() -> tuple[ClosingLine, ...]:
    """The bundled lines, validated; raises InputError naming the line of a broken entry."""
    return read_library(LIBRARY_FILE, "lines", ClosingLine, "closing line", "closing", extra={"source": "library"})


def load_library() -> list[ClosingLine]:
    """The bundled lines, validated with the model (parsed once per process; copies returned)."""
    return [line.model_copy(deep=True) for line in _library()]


def closing_warnings(profile: Profile, file: str | None = None) -> list[DataWarning]:
    """Warnings for the profile's own lines whose slide form is too long: no ``short:`` for a long line,
    or a ``short:`` over the limit.

    These warn rather than refuse: the deck still builds (a long line's slide shows a shortened
    form, :func:`deckgen.sales.closings.short_form`; a long ``short:`` is shrunk to fit), so a
    profile written before ``short:`` existed keeps working while the warning says what to fix.
    """
    out = []
    for i, line in enumerate(profile.closings):
        where = f"closings[{i}].short"
        if line.short and len(line.short.split()) > SHORT_WORDS:
            message = (
                f"the short form of closing line '{line.id}' has {len(line.short.split())} words; its slide "
                f"is drawn for {SHORT_WORDS}, so shorten it"
            )
        elif not line.short and len(line.text.split()) > SHORT_WORDS:
            message = (
                f"closing line '{line.id}' has {len(line.text.split())} words and no short form, so its slide "
                f"shows a shortened one (its last sentence when that is short enough); add `short:` with the "
                f"line in your own {SHORT_WORDS} words or fewer"
            )
        else:
            continue
        out.append(DataWarning(message, file=file, field=where))
    return out
