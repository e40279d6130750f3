"""The bundled library of walk-away closing lines (``deckgen/data/closings.yaml``), read once per process."""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

from pydantic import ValidationError

from deckgen.errors import InputError
from deckgen.load.explain import explain_validation
from deckgen.load.yamlfile import load_yaml_text
from deckgen.model import ClosingLine

LIBRARY_FILE = "data/closings.yaml"


@lru_cache(maxsize=1)
def _library() -> tuple[ClosingLine, ...]:
    """The bundled lines, validated; raises InputError naming the line of a broken entry."""
    ref = resources.files("deckgen").joinpath(LIBRARY_FILE)
    doc = load_yaml_text(ref.read_text(encoding="utf-8"), file=f"deckgen/{LIBRARY_FILE}")
    items = doc.data.get("lines") if isinstance(doc.data, dict) else None
    if not isinstance(items, list):
        raise InputError("expected a 'lines:' list", file=doc.file, line=1)
    lines: list[ClosingLine] = []
    seen: set[str] = set()
    for i, item in enumerate(items):
        if not isinstance(item, dict):
            raise InputError(
                "invalid closing line: expected the fields of one line", file=doc.file, line=doc.line_of(("lines", i))
            )
        try:
            line = ClosingLine.model_validate({**item, "source": "library"})
        except ValidationError as exc:
            problem = explain_validation(exc)
            raise InputError(
                f"invalid closing line: {problem.message}{problem.more}",
                file=doc.file,
                line=doc.line_of(("lines", i, *problem.loc)),
                field=problem.field,
            ) from None
        if line.id in seen:
            raise InputError(f"duplicate closing id '{line.id}'", file=doc.file, line=doc.line_of(("lines", i)))
        seen.add(line.id)
        lines.append(line)
    return tuple(lines)


def load_library() -> list[ClosingLine]:
    """The bundled lines, validated with the model (parsed once per process; copies returned)."""
    return [line.model_copy(deep=True) for line in _library()]
