"""Whole compiled templates kept between runs, on :mod:`deckgen.cache`.

A warm ``deckgen build`` loads the template it compiled last time (with the warnings compiling it
gave) instead of compiling it again. The entry is the engine's :func:`deckgen.engine.frozen.freeze`
value, written with ``marshal`` and signed like every entry; the warnings are stored as a class name
from :mod:`deckgen.errors` and plain attributes, never as pickles. Beside it, :class:`KeptMembers` keeps
the parts every deck of that template shares, deflated by the first deck an earlier run rendered.
"""

from __future__ import annotations

import functools
import weakref
import zlib
from pathlib import Path

from deckgen.cache import DiskCache, cache_root, file_digest, open_cache
from deckgen.engine.opc import Member


class CompiledTemplateCache:
    """Whole compiled templates and their compile-time warnings.

    The key (see :func:`deckgen.build.compile_branded`) holds the template's, its settings' and the
    brand's bytes; the namespace the code that compiles, so editing either starts afresh.
    """

    def __init__(self, disk: DiskCache) -> None:
        self.disk = disk

    def load(self, key: bytes) -> tuple[object, tuple] | None:
        """(frozen template, warnings) stored for ``key``, or None (the frozen value is checked by ``thaw``)."""
        value = self.disk.get_value(key)
        if not (isinstance(value, tuple) and len(value) == 2 and isinstance(value[1], tuple)):
            return None
        warnings = tuple(_thaw_warning(w) for w in value[1])
        if any(w is None for w in warnings):
            return None
        return value[0], warnings

    def store(self, key: bytes, frozen, warnings) -> None:
        """Keep ``frozen`` and ``warnings`` for ``key`` (skipped when a warning is not one of deckgen's kinds)."""
        kept = tuple(_freeze_warning(w) for w in warnings)
        if frozen is None or any(w is None for w in kept):
            return
        self.disk.put_value(key, (frozen, kept))


def compiled_template_cache() -> CompiledTemplateCache | None:
    """The compiled-template cache, or None when the cache is off."""
    if cache_root() is None:
        return None
    namespace = _template_namespace()
    disk = open_cache("templates", namespace) if namespace else None
    return CompiledTemplateCache(disk) if disk is not None else None


# what a compiled template depends on besides its inputs: the engine, and the callbacks build.py hands it
_TEMPLATE_MAKERS = (
    "engine/*.py",
    "engine/layout/*.py",
    "build.py",
    "cache.py",
    "cache_templates.py",
    "errors.py",
    "load/templates.py",
    "sales/context.py",
    "sales/locales.py",
)


@functools.cache
def _template_namespace() -> str:
    import jinja2
    import PIL  # (the package only: logo brightness, measured by Pillow, decides compile-time warnings)
    from lxml import etree

    package = Path(__file__).resolve().parent
    try:
        code = file_digest(*(p for pattern in _TEMPLATE_MAKERS for p in sorted(package.glob(pattern))))
    except OSError:
        return ""
    return f"jinja2 {jinja2.__version__}|lxml {etree.__version__}|pillow {PIL.__version__}|{code}"


_MAX_KEPT_MEMBERS = 512  # parts a template's decks share; past it (many storylines and repeats) none are kept
_PENDING: dict[int, tuple] = {}  # id(compiled template) -> (weak reference, key, members it started with)


class KeptMembers:
    """The deflated parts every deck of one compiled template shares (its ``members``), kept between runs.

    The first deck a process renders deflates them (relationships, the branded theme, the slide
    list…); a warm run starts with the ones an earlier run made for the same key. The key is the
    compiled template's (its inputs' bytes); the namespace adds the engine's code, which decides what
    a member's key stands for, and zlib's version, which the compressed bytes depend on.
    """

    def __init__(self, disk: DiskCache) -> None:
        self.disk = disk

    def load(self, key: bytes) -> dict | None:
        """The members stored for ``key`` ({member key: Member}), or None when missing or not well formed."""
        value = self.disk.get_value(key)
        if not isinstance(value, tuple):
            return None
        members = {}
        for item in value:
            if not (isinstance(item, tuple) and len(item) == 2 and _member_key(item[0])):
                return None
            fields = item[1]
            if not (isinstance(fields, tuple) and len(fields) == 5 and type(fields[0]) is str):
                return None
            if fields[1] not in (0, 8) or not all(type(f) is int and f >= 0 for f in fields[2:4]):
                return None
            if type(fields[4]) is not bytes:
                return None
            members[item[0]] = Member(*fields)
        return members

    def store(self, key: bytes, members: dict) -> None:
        """Keep ``members`` for ``key``."""
        items = tuple((k, (m.name, m.method, m.crc, m.size, m.data)) for k, m in members.items())
        self.disk.put_value(key, items)


def kept_members() -> KeptMembers | None:
    """The shared-members cache, or None when the cache is off."""
    if cache_root() is None:
        return None
    namespace = _template_namespace()
    disk = open_cache("members", f"{namespace}|zlib {zlib.ZLIB_RUNTIME_VERSION}") if namespace else None
    return KeptMembers(disk) if disk is not None else None


def reuse_members(compiled, key: bytes) -> None:
    """Start ``compiled.members`` with what an earlier run deflated for ``key``; :func:`keep_members` saves
    what its first deck adds. Call it after the template is frozen (a frozen template has no members)."""
    cache = kept_members()
    if cache is None:
        return
    found = cache.load(key) or {}
    compiled.members.update(found)
    ident = id(compiled)
    gone = weakref.ref(compiled, lambda _: _PENDING.pop(ident, None))  # (a template never built is forgotten)
    _PENDING[ident] = (gone, key, len(compiled.members))


def keep_members(compiled) -> None:
    """After ``compiled``'s first deck: store its shared members when the deck added some (once a template)."""
    pending = _PENDING.pop(id(compiled), None) if compiled is not None else None
    if pending is None or pending[0]() is not compiled:
        return
    if pending[2] < len(compiled.members) <= _MAX_KEPT_MEMBERS:
        cache = kept_members()
        if cache is not None:
            cache.store(pending[1], compiled.members)


def _member_key(value, depth: int = 0) -> bool:
    """True for what the renderer keys a shared member by: nested tuples of str, int and bool."""
    if type(value) in (str, int, bool):
        return depth > 0
    return type(value) is tuple and depth < 4 and all(_member_key(v, depth + 1) for v in value)


def _warning_classes() -> dict[str, type]:
    from deckgen import errors

    found, todo = {}, [errors.DeckgenWarning]
    while todo:
        cls = todo.pop()
        if cls.__module__ == errors.__name__:
            found[cls.__name__] = cls
        todo.extend(cls.__subclasses__())
    return found


def _plain(value) -> bool:
    if value is None or type(value) in (str, int, bool):
        return True
    return type(value) is tuple and all(type(v) in (str, int) for v in value)


def _freeze_warning(w) -> tuple | None:
    """(class name, attributes) of one of :mod:`deckgen.errors`' warnings; None for anything else."""
    cls = _warning_classes().get(type(w).__name__)
    attrs = getattr(w, "__dict__", None)
    if cls is not type(w) or not isinstance(attrs, dict) or not all(_plain(v) for v in attrs.values()):
        return None
    return type(w).__name__, tuple(sorted(attrs.items()))


def _thaw_warning(value):
    """The warning :func:`_freeze_warning` gave ``value`` for, or None."""
    if not (isinstance(value, tuple) and len(value) == 2 and isinstance(value[1], tuple)):
        return None
    cls = _warning_classes().get(value[0]) if isinstance(value[0], str) else None
    if cls is None:
        return None
    attrs = {}
    for item in value[1]:
        if not (isinstance(item, tuple) and len(item) == 2 and type(item[0]) is str and _plain(item[1])):
            return None
        attrs[item[0]] = item[1]
    if type(attrs.get("message")) is not str:
        return None
    warning = cls.__new__(cls)
    warning.__dict__.update(attrs)
    return warning


__all__ = [
    "CompiledTemplateCache",
    "KeptMembers",
    "compiled_template_cache",
    "keep_members",
    "kept_members",
    "reuse_members",
]
