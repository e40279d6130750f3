"""Reading a bundled YAML library (closing lines, objections): a list of items under one key, each a model."""

from __future__ import annotations

from importlib import resources
from typing import TypeVar

from pydantic import BaseModel, ValidationError

from deckgen.errors import InputError
from deckgen.load.explain import explain_validation
from deckgen.load.yamlfile import load_yaml_text

M = TypeVar("M", bound=BaseModel)


def read_library(
    path: str, key: str, model: type[M], noun: str, id_noun: str, extra: dict | None = None
) -> tuple[M, ...]:
    """The items under ``key`` of ``deckgen/<path>``, each validated as ``model`` (with ``extra`` fields added).

    Raises InputError naming the file's line for a missing list, a broken item or a duplicate id.
    """
    ref = resources.files("deckgen").joinpath(path)
    doc = load_yaml_text(ref.read_text(encoding="utf-8"), file=f"deckgen/{path}")
    items = doc.data.get(key) if isinstance(doc.data, dict) else None
    if not isinstance(items, list):
        article = "an" if key[0] in "aeiou" else "a"
        raise InputError(f"expected {article} '{key}:' list", file=doc.file, line=1)
    out: list[M] = []
    seen: set[str] = set()
    for i, item in enumerate(items):
        if not isinstance(item, dict):
            raise InputError(
                f"invalid {noun}: expected the fields of one {noun.split()[-1]}",
                file=doc.file,
                line=doc.line_of((key, i)),
            )
        try:
            value = model.model_validate({**item, **(extra or {})})
        except ValidationError as exc:
            problem = explain_validation(exc, model=model)
            raise InputError(
                f"invalid {noun}: {problem.message}{problem.more}",
                file=doc.file,
                line=doc.line_of((key, i, *problem.loc)),
                field=problem.field,
            ) from None
        if value.id in seen:
            raise InputError(f"duplicate {id_noun} id '{value.id}'", file=doc.file, line=doc.line_of((key, i)))
        seen.add(value.id)
        out.append(value)
    return tuple(out)
