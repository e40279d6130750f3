"""The deck engine: compile a template once, render a deck per context.

``compile(template_bytes, spec, …) -> CompiledTemplate`` (immutable, shared by every deck) and
``render(compiled, context, logo=…, fit=…) -> Rendered(data, shrinks, warnings)``. The engine finds
no files and imports nothing of deckgen but itself and :mod:`deckgen.errors`: the template's bytes,
its theme, logos, font files, locale filters and the context's schema are handed in by the caller
(:mod:`deckgen.build`), and rendering does no I/O at all.

The names below are imported on first use: a build that finds its template in the cache renders
without importing the compiler (its tag scanner, theme and graphics checks) at all.
"""

from __future__ import annotations

import importlib
import sys
import types

_EXPORTS = {
    "compile": "deckgen.engine.compile",
    "render": "deckgen.engine.render",
    "CompiledTemplate": "deckgen.engine.compiled",
    "Rendered": "deckgen.engine.render",
    "Shrink": "deckgen.engine.layout.fitting",
    "Picture": "deckgen.engine.media",
    "Theme": "deckgen.engine.theme",
    "TemplateSettings": "deckgen.engine.compiled",
    "picture_from_bytes": "deckgen.engine.media",
}
# functions named like the module they live in: ``engine.compile`` and ``engine.render`` stay the functions
_SHADOWED = frozenset({"compile", "render"})

__all__ = list(_EXPORTS)


def __getattr__(name: str):
    if name not in _EXPORTS:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(_EXPORTS[name]), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})


class _Engine(types.ModuleType):
    """The package module: importing ``deckgen.engine.compile`` (or ``.render``) later does not set
    the package's ``compile`` attribute to the submodule, as the import system otherwise would."""

    def __setattr__(self, name: str, value) -> None:
        if name in _SHADOWED and isinstance(value, types.ModuleType):
            return
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Engine
