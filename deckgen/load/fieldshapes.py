"""What each field of a model holds, for the loaders that map columns onto fields (the model itself stays plain
pydantic classes)."""

from __future__ import annotations

import types
import typing
from dataclasses import dataclass
from enum import Enum
from functools import cache

from pydantic import BaseModel

__all__ = ["FieldShape", "field_shapes", "inner_type"]


@dataclass(frozen=True)
class FieldShape:
    """What one model field holds once ``Annotated[...]`` and ``X | None`` are taken off.

    ``kind`` is "model" (a sub-model), "model_list" (a list of sub-models), "list" (a list of plain values),
    "dict", "text", "int", "float", "bool", "enum" or "other"; ``type`` is the sub-model, the item type or the type.
    """

    kind: str
    type: object


def inner_type(annotation) -> object:
    """The type inside ``Annotated[...]`` and ``X | None`` (a union of several types stays as it is)."""
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
            continue
        if origin in (typing.Union, types.UnionType):
            args = [a for a in typing.get_args(annotation) if a is not type(None)]
            if len(args) == 1:
                annotation = args[0]
                continue
        return annotation


_LEAF_KINDS = {str: "text", bool: "bool", int: "int", float: "float"}


def _shape_of(annotation) -> FieldShape:
    tp = inner_type(annotation)
    origin = typing.get_origin(tp)
    if origin is list:
        item = inner_type(typing.get_args(tp)[0])
        if isinstance(item, type) and issubclass(item, BaseModel):
            return FieldShape("model_list", item)
        return FieldShape("list", item)
    if origin is dict or tp is dict:
        return FieldShape("dict", tp)
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        return FieldShape("model", tp)
    if tp in _LEAF_KINDS:
        return FieldShape(_LEAF_KINDS[tp], tp)
    if isinstance(tp, type) and issubclass(tp, Enum):
        return FieldShape("enum", tp)
    return FieldShape("other", tp)


@cache
def field_shapes(model: type[BaseModel]) -> dict[str, FieldShape]:
    """Every field of ``model`` by name, in declaration order, with the shape of what it holds."""
    return {name: _shape_of(info.annotation) for name, info in model.model_fields.items()}
