"""JSON and YAML prospect lists: a list of objects, nested objects flattened to ``size.users``.

A row number here is the 1-based position of the item in the list.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

from deckgen.errors import DataWarning, DeckgenWarning, InputError
from deckgen.load.table.encodings import TextEncoding, choose_encoding
from deckgen.load.table.jsondepth import MAX_ITEM_DEPTH, TOO_DEEP, prune_deep_items
from deckgen.load.table.rows import MAX_CELL_CHARS, Cell, RawRow, RowProblem, Table
from deckgen.load.yamlfile import load_yaml_text

MAX_JSON_BYTES = 64 * 1024 * 1024

_LIST_KEYS = ("prospects", "companies", "accounts", "organizations", "records", "items", "rows", "data", "results")


class _DuplicateKey(ValueError):
    """A key given twice in one object (JSON allows it; a prospect list must not)."""


def _no_duplicates(pairs: list[tuple[str, object]]) -> dict:
    """json's object hook: the object as a dict, refusing a key given twice."""
    out: dict = {}
    for key, value in pairs:
        if key in out:
            raise _DuplicateKey(key)
        out[key] = value
    return out


def _read_text(p: Path, label: str, encoding: str | None, limit: int) -> tuple[str, TextEncoding]:
    """The whole file as text (refused over ``limit`` bytes) and how it was decoded."""
    size = p.stat().st_size
    if size > limit:
        raise InputError(
            f"file is {size // (1024 * 1024)} MiB; the limit for this format is "
            f"{limit // (1024 * 1024)} MiB (export large lists as CSV)",
            file=label,
        )
    enc = choose_encoding(p, label, encoding)
    return p.read_text(encoding=enc.codec), enc


def open_json(p: Path, label: str, encoding: str | None) -> Table:
    """A JSON list of objects (numbers kept as the text written); parsed whole, rows yielded when iterated."""
    text, enc = _read_text(p, label, encoding, MAX_JSON_BYTES)
    text = prune_deep_items(text)
    try:
        data = json.loads(text, parse_int=str, parse_float=str, parse_constant=str, object_pairs_hook=_no_duplicates)
    except _DuplicateKey as exc:
        raise InputError(f"an object has the key '{exc.args[0]}' twice", file=label) from None
    except json.JSONDecodeError as exc:
        raise InputError(f"not valid JSON: {exc.msg} (column {exc.colno})", file=label, line=exc.lineno) from None
    except RecursionError:
        raise InputError("not valid JSON: nested too deeply", file=label) from None
    return _table_from_items(p, label, "json", enc, data)


def open_yaml(p: Path, label: str, encoding: str | None) -> Table:
    """A YAML list of objects, read with deckgen's safe YAML loader."""
    text, enc = _read_text(p, label, encoding, MAX_JSON_BYTES)
    doc = load_yaml_text(text, file=label)
    return _table_from_items(p, label, "yaml", enc, doc.data)


def _item_list(data, label: str) -> list:
    """The list of items in ``data``: the data itself, the one list under a key, or one object alone."""
    if isinstance(data, list):
        return data
    if isinstance(data, dict):
        for key in _LIST_KEYS:
            if isinstance(data.get(key), list) and len(data) == 1:
                return data[key]
        lists = [v for v in data.values() if isinstance(v, list) and v and isinstance(v[0], dict)]
        if len(data) == 1 and lists:
            return lists[0]
        return [data]  # one prospect on its own
    raise InputError("expected a list of objects (one per prospect)", file=label)


def _scalar_text(value) -> str:
    """A JSON scalar as text: null -> '', true -> 'true' (numbers already arrive as text)."""
    if value is None:
        return ""
    if value is True:
        return "true"
    if value is False:
        return "false"
    return str(value)


def _flatten(value, prefix: str, out: dict[str, Cell]) -> None:
    """{'size': {'users': '40'}} -> {'size.users': '40'}; lists of text stay lists."""
    if isinstance(value, dict):
        for key, sub in value.items():
            key = str(key).strip()
            _flatten(sub, f"{prefix}.{key}" if prefix else key, out)
        return
    if isinstance(value, list):
        if all(not isinstance(v, (dict, list)) for v in value):
            _put(out, prefix, [_scalar_text(v) for v in value if v is not None])
        else:
            for i, sub in enumerate(value):
                _flatten(sub, f"{prefix}[{i}]", out)
        return
    _put(out, prefix, _scalar_text(value))


def _put(out: dict[str, Cell], key: str, value: Cell) -> None:
    """Store one flattened value; ``size.users`` written both nested and dotted is a duplicate."""
    if key in out:
        raise _DuplicateKey(key)
    out[key] = value


def _table_from_items(p: Path, label: str, fmt: str, enc: TextEncoding, data) -> Table:
    """A Table over parsed items: columns in first-seen order (refusing names that differ only in case)."""
    items = _item_list(data, label)
    notes: list[DeckgenWarning] = [DataWarning(enc.note)] if enc.note else []
    flat_items: list[dict[str, Cell] | RowProblem] = []
    order: dict[str, str] = {}  # casefolded -> name as first written
    for item in items:
        if item == TOO_DEEP:
            flat_items.append(RowProblem(f"the item is nested more than {MAX_ITEM_DEPTH} levels deep"))
            continue
        if not isinstance(item, dict):
            kind = "a list" if isinstance(item, list) else "empty" if item is None else "text"
            flat_items.append(RowProblem(f"expected an object with fields, found {kind}"))
            continue
        flat: dict[str, Cell] = {}
        try:
            _flatten(item, "", flat)
        except _DuplicateKey as exc:
            flat_items.append(RowProblem(f"the field '{exc.args[0]}' is given twice"))
            continue
        for key in flat:
            folded = key.casefold()
            if folded not in order:
                order[folded] = key
            elif order[folded] != key:
                raise InputError(
                    f"field names '{order[folded]}' and '{key}' differ only in case; use one spelling",
                    file=label,
                    field=key,
                )
        flat_items.append(flat)
    if not items:
        notes.append(DataWarning("the list is empty: no prospects"))
    columns = list(order.values())

    def rows() -> Iterator[RawRow]:
        for index, flat in enumerate(flat_items, start=1):
            if isinstance(flat, RowProblem):
                yield RawRow(index, {}, flat.message)
                continue
            if not any((v.strip() if isinstance(v, str) else v) for v in flat.values()):
                continue  # an empty item, like a blank row
            cells: dict[str, Cell] = {name: flat.get(name, "") for name in columns}
            big = next((k for k, v in cells.items() if _cell_len(v) > MAX_CELL_CHARS), None)
            if big is not None:
                yield RawRow(index, {}, f"the value is larger than {MAX_CELL_CHARS // (1024 * 1024)} MiB of text", big)
                continue
            yield RawRow(index, cells)

    return Table(path=p, format=fmt, encoding=enc.name, columns=columns, diagnostics=notes, _rows=rows)


def _cell_len(value: Cell) -> int:
    return len(value) if isinstance(value, str) else sum(len(v) for v in value)
