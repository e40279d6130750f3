"""Whole compiled templates kept between runs, on :mod:`deckgen.cache`.

A warm ``deckgen build`` loads the template it compiled last time (with the warnings compiling it
gave) instead of compiling it again. The entry is the engine's :func:`deckgen.engine.frozen.freeze`
value, written with ``marshal`` and signed like every entry; the warnings are stored as a class name
from :mod:`deckgen.errors` and plain attributes, never as pickles.
"""

from __future__ import annotations

import functools
from pathlib import Path

from deckgen.cache import DiskCache, cache_root, file_digest, open_cache


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


__all__ = ["CompiledTemplateCache", "compiled_template_cache"]
