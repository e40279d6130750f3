"""The bundled objection library (``deckgen/data/objections.yaml``), read once per process."""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

from pydantic import ValidationError

from deckgen.errors import InputError
from deckgen.load.explain import explain_validation
from deckgen.load.yamlfile import load_yaml_text
from deckgen.model import Objection

LIBRARY_FILE = "data/objections.yaml"


@lru_cache(maxsize=1)
def _library() -> tuple[Objection, ...]:
    ref = resources.files("deckgen").joinpath(LIBRARY_FILE)
    doc = load_yaml_text(ref.read_text(encoding="utf-8"), file=f"deckgen/{LIBRARY_FILE}")
    items = doc.data.get("objections") if isinstance(doc.data, dict) else None
    if not isinstance(items, list):
        raise InputError("expected an 'objections:' list", file=doc.file, line=1)
    out: list[Objection] = []
    seen: set[str] = set()
    for i, item in enumerate(items):
        try:
            objection = Objection.model_validate(item)
        except ValidationError as exc:
            problem = explain_validation(exc)
            raise InputError(
                f"invalid objection: {problem.message}{problem.more}",
                file=doc.file,
                line=doc.line_of(("objections", i, *problem.loc)),
                field=problem.field,
            ) from None
        if objection.id in seen:
            raise InputError(
                f"duplicate objection id '{objection.id}'", file=doc.file, line=doc.line_of(("objections", i))
            )
        seen.add(objection.id)
        out.append(objection)
    return tuple(out)


def load_objections() -> list[Objection]:
    """The bundled objections, validated (parsed once per process; copies returned)."""
    return [o.model_copy(deep=True) for o in _library()]
