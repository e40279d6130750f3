"""The deck engine: compile a template once, render a deck per context.

``compile(template_bytes, spec, …) -> CompiledTemplate`` (immutable, shared by every deck) and
``render(compiled, context, logo=…, fit=…) -> Rendered(data, shrinks, warnings)``. The engine finds
no files and imports nothing of deckgen but itself and :mod:`deckgen.errors`: the template's bytes,
its theme, logos, font files, locale filters and the context's schema are handed in by the caller
(:mod:`deckgen.build`), and rendering does no I/O at all.
"""

from deckgen.engine.compile import compile
from deckgen.engine.compiled import CompiledTemplate, TemplateSettings
from deckgen.engine.layout.fitting import Shrink
from deckgen.engine.media import Picture, picture_from_bytes
from deckgen.engine.render import Rendered, render
from deckgen.engine.theme import Theme

__all__ = [
    "compile",
    "render",
    "CompiledTemplate",
    "Rendered",
    "Shrink",
    "Picture",
    "Theme",
    "TemplateSettings",
    "picture_from_bytes",
]
