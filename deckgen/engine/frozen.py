"""A compiled template kept between runs: :func:`freeze` turns a :class:`CompiledTemplate` into plain
values and code objects (what ``marshal`` writes), :func:`thaw` makes the same template from them.

What a cache gives back is checked field by field: a value of the wrong shape makes :func:`thaw`
return None (the caller compiles again), never a half-made template. The engine does no I/O here;
:mod:`deckgen.cache` stores the values.
"""

from __future__ import annotations

import dataclasses
import io
import struct
import types
import zipfile

from jinja2.environment import TemplateExpression

from deckgen.engine.compiled import ChartBinding, Compiled, CompiledTemplate, SlideSpec, TemplateSettings
from deckgen.engine.filters import LocaleFilters
from deckgen.engine.layout.fitting import FitState, TaggedShape
from deckgen.engine.layout.fonts import FontBook
from deckgen.engine.opc import Member, Package, Rel, to_bytes
from deckgen.engine.reuse import PartReads
from deckgen.engine.safety import parse_xml
from deckgen.engine.sandbox import DeckEnvironment, make_environment
from deckgen.engine.tags import Location
from deckgen.errors import DeckgenError, DeckgenWarning

FROZEN_FORMAT = 2

# the fields freeze knows how to keep: a class that gains one is not frozen (compiled every run) until
# freeze and thaw learn it, rather than thawed without it
_KNOWN_FIELDS = {
    CompiledTemplate: "name source spec env package replaced added content_types presentation_part presentation_xml "
    "presentation_rels slides variables fitting orphans warnings members reuse _rels",
    SlideSpec: "number part rels compiled notes_part notes_rels notes_compiled condition loop directive_text charts "
    "owned prospect_logo_rid prospect_logo_frame",
    Compiled: "template locations filename reads",
    ChartBinding: "name part expression source workbook compiled",
    Rel: "rid type target external",
    Location: "shape text",
    TaggedShape: "name tags",
}


def _fields_known() -> bool:
    return all({f.name for f in dataclasses.fields(cls)} == set(names.split()) for cls, names in _KNOWN_FIELDS.items())


def freeze(ct: CompiledTemplate) -> tuple | None:
    """``ct`` as plain values and code objects (what ``marshal`` writes), for a cache; None when it can't be.

    Left out, because the caller hands them to :func:`thaw` again: the template settings, the package,
    the environment's locale filters, the fonts and the warnings. Kept of the text-fitting state: which
    shapes hold tags and the typefaces to load, so a thawed template parses no slide to find them.
    Call it before ``ct`` renders a deck.
    """
    if not _fields_known() or ct.members or ct.fitting is None:
        return None  # (members: ``ct`` has rendered a deck already)
    try:
        slides = tuple(_freeze_slide(s) for s in ct.slides)
        fitting = _freeze_fitting(ct.fitting)
    except _NotFrozen:
        return None
    return (
        FROZEN_FORMAT,
        ct.name,
        ct.source,
        dict(ct.replaced),
        dict(ct.added),
        to_bytes(ct.content_types),
        ct.presentation_part,
        to_bytes(ct.presentation_xml),
        _freeze_rels(ct.presentation_rels),
        slides,
        tuple(sorted(ct.variables)),
        tuple(sorted(ct.orphans)),
        tuple(ct.env.run_props),
        fitting,
    )


def thaw(
    frozen,
    *,
    spec: TemplateSettings,
    package: Package,
    locale_filters: LocaleFilters | None,
    fonts: FontBook,
    font_slots: dict[str, str],
    warnings: tuple[DeckgenWarning, ...],
) -> CompiledTemplate | None:
    """The :class:`CompiledTemplate` :func:`freeze` gave ``frozen`` for, or None when ``frozen`` is not such a value.

    ``package`` must be the template package it was compiled from; the environment and the text-fitting
    state are made afresh, as compiling makes them (with the tagged shapes and typefaces compiling found).
    """
    try:
        (fmt, name, source, replaced, added, ct_xml, main, pres_xml, pres_rels, slides, variables, orphans, props,
         fitting) = frozen  # fmt: skip
        if fmt != FROZEN_FORMAT or not (_all(replaced.items(), _str_bytes) and _all(added.items(), _str_bytes)):
            return None
        if not (_all(variables, _is_str) and _all(orphans, _is_str) and _all(props, _is_str)):
            return None
        env = make_environment(locale_filters)
        env.run_props.extend(props)
        thawed = [_thaw_slide(env, s) for s in slides]
        tagged, typefaces = _thaw_fitting(fitting)

        def read(part: str) -> bytes | None:
            if part in replaced:
                return replaced[part]
            return package.read(part) if part in package else None

        return CompiledTemplate(
            name=_text(name),
            source=_text(source),
            spec=spec,
            env=env,
            package=package,
            replaced=replaced,
            added=added,
            content_types=parse_xml(ct_xml, "[Content_Types].xml", source),
            presentation_part=_text(main),
            presentation_xml=parse_xml(pres_xml, main, source),
            presentation_rels=_thaw_rels(pres_rels),
            slides=thawed,
            variables=set(variables),
            fitting=FitState(read, main, fonts, font_slots, [s.part for s in thawed], tagged, typefaces),
            orphans=frozenset(orphans),
            warnings=tuple(warnings),
        )
    except (_NotFrozen, DeckgenError, TypeError, ValueError, AttributeError, KeyError, IndexError):
        return None  # (DeckgenError: a part that does not parse, or a member that is not what it was)


def package_layout(pkg: Package, data: bytes) -> tuple | None:
    """Where each member of ``pkg`` (read from ``data``) sits in ``data``, in order, for :func:`package_from_layout`.

    None when a member is not found there as it is in ``pkg``.
    """
    try:
        infos = {info.filename: info for info in zipfile.ZipFile(io.BytesIO(data)).infolist()}
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return None
    out = []
    for name, member in pkg.members.items():
        info = infos.get(name)
        if info is None:
            return None
        head = info.header_offset
        if len(data) < head + 30:
            return None
        name_len, extra_len = struct.unpack("<HH", data[head + 26 : head + 30])
        start = head + 30 + name_len + extra_len
        end = start + len(member.data)
        if data[start:end] != member.data:
            return None
        out.append((name, member.method, member.crc, member.size, start, end))
    return tuple(out)


def package_from_layout(layout, data: bytes, label: str) -> Package | None:
    """The package :func:`package_layout` described, cut from the same ``data``; None for a layout of the wrong shape.

    The package checks are not run again: call it only with bytes a package that passed them was read from.
    """
    members = {}
    try:
        for name, method, crc, size, start, end in layout:
            if not (_is_str(name) and all(type(v) is int for v in (method, crc, size, start, end))):
                return None
            if not 0 <= start <= end <= len(data):
                return None
            members[name] = Member(name, method, crc, size, data[start:end])
    except (TypeError, ValueError):
        return None
    return Package(members, label)


class _NotFrozen(Exception):
    pass


def _is_str(value) -> bool:
    return type(value) is str


def _str_bytes(item) -> bool:
    return type(item[0]) is str and type(item[1]) is bytes


def _all(items, check) -> bool:
    return all(check(item) for item in items)


def _text(value) -> str:
    if type(value) is not str:
        raise _NotFrozen
    return value


def _code_of(template) -> object:
    code = getattr(template, "code", None)
    if code is None:
        raise _NotFrozen  # made outside a DeckEnvironment: nothing to keep
    return code


def _freeze_rels(rels: list[Rel]) -> tuple:
    return tuple((r.rid, r.type, r.target, r.external) for r in rels)


def _thaw_rels(rels) -> list[Rel]:
    out = []
    for rid, type_, target, external in rels:
        if not (_is_str(rid) and _is_str(type_) and _is_str(target) and type(external) is bool):
            raise _NotFrozen
        out.append(Rel(rid, type_, target, external))
    return out


def _freeze_fitting(state: FitState) -> tuple:
    tagged, typefaces = getattr(state, "tagged", None), getattr(state, "typefaces", None)
    if not (isinstance(tagged, dict) and isinstance(typefaces, tuple) and len(typefaces) == 2):
        raise _NotFrozen
    shapes = tuple(
        (part, tuple((sid, shape.name, tuple(shape.tags)) for sid, shape in by_id.items()))
        for part, by_id in tagged.items()
    )
    return shapes, tuple(tuple(faces) for faces in typefaces)


def _thaw_fitting(frozen) -> tuple[dict[str, dict[str, TaggedShape]], tuple[list[str], list[str]]]:
    shapes, (latin, east_asian) = frozen
    tagged = {}
    for part, by_id in shapes:
        found = {}
        for sid, name, tags in by_id:
            if not (_is_str(sid) and _is_str(name) and type(tags) is tuple and _all(tags, _is_str)):
                raise _NotFrozen
            found[sid] = TaggedShape(name, list(tags))
        tagged[_text(part)] = found
    if not (type(latin) is tuple and type(east_asian) is tuple and _all(latin + east_asian, _is_str)):
        raise _NotFrozen
    return tagged, (list(latin), list(east_asian))


def _freeze_compiled(c: Compiled | None) -> tuple | None:
    if c is None:
        return None
    reads = c.reads.roots if isinstance(c.reads, PartReads) else None
    if c.reads is not None and reads is None:
        raise _NotFrozen
    return (_code_of(c.template), tuple((loc.shape, loc.text) for loc in c.locations), c.filename, reads)


def _thaw_template(env: DeckEnvironment, code):
    if type(code) is not types.CodeType:
        raise _NotFrozen
    return env.template_class.from_code(env, code, env.make_globals(None))


def _thaw_compiled(env: DeckEnvironment, frozen) -> Compiled | None:
    if frozen is None:
        return None
    code, locations, filename, reads = frozen
    locs = [Location(_text(shape), _text(text)) for shape, text in locations]
    return Compiled(_thaw_template(env, code), locs, _text(filename), PartReads(reads) if reads is not None else None)


def _freeze_expression(expression) -> object:
    if expression is None:
        return None
    if not isinstance(expression, TemplateExpression) or expression._undefined_to_none:
        raise _NotFrozen
    return _code_of(expression._template)


def _thaw_expression(env: DeckEnvironment, code):
    if code is None:
        return None
    return TemplateExpression(_thaw_template(env, code), undefined_to_none=False)


def _freeze_slide(s: SlideSpec) -> tuple:
    charts = tuple(
        (key, b.name, b.part, _freeze_expression(b.expression), b.source, b.workbook, _freeze_compiled(b.compiled))
        for key, b in s.charts.items()
    )
    loop = (tuple(s.loop[0]), _freeze_expression(s.loop[1])) if s.loop is not None else None
    return (
        s.number,
        s.part,
        _freeze_rels(s.rels),
        _freeze_compiled(s.compiled),
        s.notes_part,
        _freeze_rels(s.notes_rels),
        _freeze_compiled(s.notes_compiled),
        _freeze_expression(s.condition),
        loop,
        s.directive_text,
        charts,
        tuple(s.owned),
        s.prospect_logo_rid,
        tuple(s.prospect_logo_frame) if s.prospect_logo_frame is not None else None,
    )


def _thaw_slide(env: DeckEnvironment, frozen) -> SlideSpec:
    (number, part, rels, compiled, notes_part, notes_rels, notes_compiled, condition, loop, directive, charts, owned,
     logo_rid, logo_frame) = frozen  # fmt: skip
    if type(number) is not int or not (notes_part is None or _is_str(notes_part)):
        raise _NotFrozen
    if not (logo_rid is None or _is_str(logo_rid)) or not _all(owned, _is_str):
        raise _NotFrozen
    if logo_frame is not None and not (len(logo_frame) == 4 and all(type(v) is int for v in logo_frame)):
        raise _NotFrozen
    bindings = {}
    for key, name, chart_part, expression, source, workbook, chart_compiled in charts:
        if not (_is_str(key) and (workbook is None or _is_str(workbook))):
            raise _NotFrozen
        bindings[key] = ChartBinding(
            _text(name),
            _text(chart_part),
            _thaw_expression(env, expression),
            _text(source),
            workbook,
            _thaw_compiled(env, chart_compiled),
        )
    if loop is not None:
        targets, iterable = loop
        loop = ([_text(t) for t in targets], _thaw_expression(env, iterable))
    return SlideSpec(
        number=number,
        part=_text(part),
        rels=_thaw_rels(rels),
        compiled=_thaw_compiled(env, compiled),
        notes_part=notes_part,
        notes_rels=_thaw_rels(notes_rels),
        notes_compiled=_thaw_compiled(env, notes_compiled),
        condition=_thaw_expression(env, condition),
        loop=loop,
        directive_text=_text(directive),
        charts=bindings,
        owned=list(owned),
        prospect_logo_rid=logo_rid,
        prospect_logo_frame=tuple(logo_frame) if logo_frame is not None else None,
    )


__all__ = ["FROZEN_FORMAT", "freeze", "package_from_layout", "package_layout", "thaw"]
