"""Which column feeds which prospect field: field paths, the user's mapping, and the plan.

A field path is what a mapping names: ``size.users``, ``extra.Territory``,
``decision_makers[0].name``, or a short name deckgen understands in files (``users``,
``city``). :func:`plan_columns` decides once per file which columns feed which field,
in this order: the user's mapping, the CRM preset, deckgen's own names; every other
column is kept as text in ``prospect.extra``.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from pathlib import Path

from deckgen.errors import DataWarning, DeckgenWarning, InputError
from deckgen.load.crm.headers import GENERIC, GENERIC_ALIASES, Preset, field_key, header_key
from deckgen.load.fieldshapes import field_shapes
from deckgen.load.yamlfile import load_yaml_file
from deckgen.model import Prospect

MAX_DECISION_MAKERS = 20
MAX_EXTRA_KEY = 200

_STEP = re.compile(r"([A-Za-z_][A-Za-z0-9_]*)(?:\[(\d+)\])?")
_LEAF_KINDS = {"text", "int", "float", "bool"}


@dataclass(frozen=True)
class FieldSpec:
    """A resolved target: canonical path, how to assign it, what kind of value it takes."""

    path: str
    steps: tuple[tuple[str, int | None], ...]
    kind: str  # text, int, float, bool, list, it_model, enum, extra


def resolve_field(target: str) -> FieldSpec:
    """Check a field path like ``size.users``, ``extra.Territory`` or ``decision_makers[0].name``.

    Short names deckgen understands in files are accepted too (``users`` ->
    ``size.users``, ``city`` -> ``location.city``), as is a ``prospect.`` prefix.
    Raises ValueError with a readable reason.
    """
    text = target.strip()
    if text.casefold().startswith("prospect."):
        text = text[len("prospect.") :]
    if text[:6].casefold() == "extra." or text[:6].casefold() == "extra[":
        key = text[6:].strip()
        if text[5] == "[":
            key = key.rstrip("]").strip("'\" ")
        if not key:
            raise ValueError("'extra.' needs a name after it, e.g. extra.Territory")
        if len(key) > MAX_EXTRA_KEY:
            raise ValueError(f"the name after 'extra.' is longer than {MAX_EXTRA_KEY} characters")
        return FieldSpec(f"extra.{key}", (("extra", None), (key, None)), "extra")
    alias = GENERIC_ALIASES.get(field_key(text))
    if alias is not None:
        text = alias
    parts = text.split(".")
    model = Prospect
    steps: list[tuple[str, int | None]] = []
    for i, part in enumerate(parts):
        last = i == len(parts) - 1
        m = _STEP.fullmatch(part)
        where = ".".join(parts[: i + 1])
        if not m:
            raise ValueError(f"'{target}' is not a field path (like size.users or extra.Territory)")
        name, index = m.group(1), m.group(2)
        shapes = field_shapes(model)
        if name not in shapes:
            known = sorted(shapes)
            close = difflib.get_close_matches(name, known, n=1)
            hint = f"did you mean '{close[0]}'? " if close else ""
            raise ValueError(f"unknown field '{where}'; {hint}known here: {', '.join(known)}")
        shape = shapes[name]
        if shape.kind == "model_list":
            if index is None:
                raise ValueError(f"'{where}' is a list of people: give a position and a field, e.g. {name}[0].name")
            if int(index) >= MAX_DECISION_MAKERS:
                raise ValueError(f"'{where}': at most {MAX_DECISION_MAKERS} entries")
            if last:
                raise ValueError(f"'{where}' is a group: name a field inside, e.g. {where}.name")
            steps.append((name, int(index)))
            model = shape.type
            continue
        if shape.kind == "list":
            if index is not None or not last:
                raise ValueError(f"'{name}' is a list of text; map a column to '{name}' itself")
            steps.append((name, None))
            return FieldSpec(".".join(parts), tuple(steps), "list")
        if index is not None:
            raise ValueError(f"'{name}' is not a list; remove [{index}]")
        if shape.kind == "model":
            if last:
                sub = ", ".join(f"{where}.{f}" for f in field_shapes(shape.type))
                raise ValueError(f"'{where}' is a group of fields: use one of {sub}")
            steps.append((name, None))
            model = shape.type
            continue
        if shape.kind == "dict":
            raise ValueError(f"'{where}' needs a name, e.g. {where}.Territory")
        if shape.kind == "enum":
            kind = "it_model" if name == "it_model" else "enum"
        elif shape.kind in _LEAF_KINDS:
            kind = shape.kind
        else:
            raise ValueError(f"'{where}' cannot be filled from a column")
        if not last:
            raise ValueError(f"'{where}' has no sub-fields")
        steps.append((name, None))
        return FieldSpec(".".join(parts), tuple(steps), kind)
    raise ValueError(f"'{target}' is not a field path")  # pragma: no cover - loop always returns


def generic_field(column: str) -> FieldSpec | None:
    """deckgen's own name for a column, if it is one: 'users', 'size.users', 'extra.Territory', ..."""
    text = column.strip()
    if text[:6].casefold() in ("extra.", "extra["):
        try:
            return resolve_field(text)
        except ValueError:
            return None
    for candidate in (text, text.casefold(), field_key(text)):
        try:
            return resolve_field(candidate)
        except ValueError:
            continue
    return None


# --------------------------------------------------------------------------- the user's mapping

_IGNORE = {"", "-", "ignore", "skip", "none"}


def check_target(target) -> str:
    """The canonical field path a mapping names ("" to ignore the column); ValueError when it names none."""
    if target is None or (isinstance(target, str) and target.strip().casefold() in _IGNORE):
        return ""
    if not isinstance(target, str):
        raise ValueError("the field must be text like company or size.users")
    return resolve_field(target).path


def load_mapping_file(path: Path | str) -> dict[str, str]:
    """Read ``mapping.yaml``: ``{"Source Column": "field.path"}``; ``null`` or ``-`` ignores a column.

    The mapping may also sit under a top-level ``columns:`` key. Returns
    column -> canonical field path, with "" for ignored columns.
    """
    doc = load_yaml_file(path)
    data, base = doc.data, ()
    if isinstance(data, dict) and isinstance(data.get("columns"), dict) and len(data) <= 2:
        data, base = data["columns"], ("columns",)
    if data in (None, {}):
        return {}
    if not isinstance(data, dict):
        raise InputError("expected 'Source Column: field' lines, e.g. 'Account Name: company'", file=str(path), line=1)
    out: dict[str, str] = {}
    for column, target in data.items():
        try:
            out[str(column).strip()] = check_target(target)
        except ValueError as exc:
            raise InputError(str(exc), file=str(path), line=doc.line_of(base + (column,)), field=str(column)) from None
    return out


def parse_map_options(items: list[str]) -> dict[str, str]:
    """Parse repeatable ``--map "Account Name=company"`` options (``--map "Phone="`` ignores a column)."""
    out: dict[str, str] = {}
    for item in items:
        if "=" not in item:
            raise InputError(f"--map '{item}': expected 'Source Column=field', e.g. --map \"Account Name=company\"")
        column, _, target = item.rpartition("=")
        column = column.strip()
        if not column:
            raise InputError(f"--map '{item}': the column name before '=' is empty")
        if column in out:
            raise InputError(f"--map: column '{column}' is mapped twice")
        try:
            out[column] = check_target(target)
        except ValueError as exc:
            raise InputError(f"--map '{item}': {exc}") from None
    return out


# --------------------------------------------------------------------------- the plan


def match_user_columns(user_map: dict[str, str], columns: list[str], notes: list[DeckgenWarning]) -> dict[str, str]:
    """User mapping keyed by the file's real column names (matched ignoring case and accents)."""
    by_key = {header_key(c): c for c in columns}
    out: dict[str, str] = {}
    for column, target in user_map.items():
        real = column if column in columns else by_key.get(header_key(column))
        if real is None:
            notes.append(
                DataWarning(f"the file has no column '{column}'; that line of the mapping is unused", field="mapping")
            )
            continue
        out[real] = target
    return out


@dataclass
class Slot:
    """One field of the prospect and the columns that feed it, first non-empty wins (lists take all)."""

    spec: FieldSpec
    columns: list[str]
    origin: str  # "mapping", a preset name, or "generic"


def plan_columns(
    columns: list[str], preset: Preset | None, user: dict[str, str], notes: list[DeckgenWarning], label: str
) -> tuple[list[Slot], list[str], dict[str, str]]:
    """Decide once which columns feed which field; the rest go to ``extra``.

    Returns the slots (company first), the columns kept in ``extra``, and column -> field path
    in the file's column order ("" for an ignored column).
    """
    slots: dict[str, Slot] = {}
    claimed: set[str] = set()
    ignored = {c for c, t in user.items() if t == ""}
    claimed |= ignored
    for column, target in user.items():
        if target == "":
            continue
        spec = resolve_field(target)
        slots.setdefault(spec.path, Slot(spec, [], "mapping")).columns.append(column)
        claimed.add(column)

    by_key: dict[str, str] = {header_key(c): c for c in columns}
    if preset is not None and preset is not GENERIC:
        for path in dict.fromkeys([*preset.fields, *preset.patterns]):
            if path in slots:
                continue
            headers = preset.fields.get(path, ())
            found = [by_key[header_key(h)] for h in headers if header_key(h) in by_key]
            found = [c for c in dict.fromkeys(found) if c not in claimed]
            pattern = preset.patterns.get(path)
            if pattern:
                rx = re.compile(pattern)
                found += [c for c in columns if c not in claimed and c not in found and rx.match(header_key(c))]
            if found:
                slots[path] = Slot(resolve_field(path), found, preset.name)
                claimed.update(found)

    for column in columns:  # deckgen's own names, understood in every file
        if column in claimed:
            continue
        spec = generic_field(column)
        if spec is None:
            continue
        if spec.path in slots:
            if slots[spec.path].origin == "generic" and spec.kind == "list":
                slots[spec.path].columns.append(column)  # 'pain_points' and 'Pain points' both feed the list
                claimed.add(column)
            continue
        slots[spec.path] = Slot(spec, [column], "generic")
        claimed.add(column)

    extra_taken = {s.spec.steps[1][0] for s in slots.values() if s.spec.kind == "extra"}
    extra_cols: list[str] = []
    for column in columns:
        if column in claimed:
            continue
        if column in extra_taken:
            notes.append(DataWarning(f"column '{column}' is not used: extra.{column} is filled from another column"))
            continue
        if len(column) > MAX_EXTRA_KEY:
            raise InputError(
                f"a column name is longer than {MAX_EXTRA_KEY} characters; shorten it or "
                'ignore the column with --map "<name>="',
                file=label,
                field=column[:40] + "...",
            )
        extra_cols.append(column)

    column_map: dict[str, str] = {}
    ordered = sorted(slots.values(), key=lambda s: (s.spec.path != "company", s.spec.path))
    for slot in ordered:
        for column in slot.columns:
            column_map[column] = slot.spec.path
    for column in extra_cols:
        column_map[column] = f"extra.{column}"
    for column in ignored:
        column_map[column] = ""
    return ordered, extra_cols, {c: column_map[c] for c in columns if c in column_map}
