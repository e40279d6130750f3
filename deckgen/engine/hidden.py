"""Tags where no text run holds them: picture alt text (``descr``, ``title``) and chart data caches (``c:v``).

A reviewer never sees these in the slide view, so a tag left there would ship as literal
``{{ prospect.company }}`` to screen-reader users and in a chart's data sheet. ``{{ }}`` tags are
filled like any other; a ``{% %}`` block cannot wrap anything there and is an error naming the shape.
"""

from __future__ import annotations

import re

from deckgen.engine.opc import q
from deckgen.engine.tags import Location, literal, normalise_tag, shape_name

_EXPR_RE = re.compile(r"\{\{.*?\}\}", re.DOTALL)


def fill_hidden_tags(compiler) -> None:
    """Replace tagged alt text and chart cache values of ``compiler.root`` (a TextCompiler) with code markers."""
    for el in compiler.root.iter("{*}cNvPr"):
        for attr in ("descr", "title"):
            value = el.get(attr, "")
            if "{{" in value or "{%" in value:
                what = "alt text" if attr == "descr" else "alt-text title"
                el.set(attr, _filled(compiler, value, shape_name(el) or el.get("name", ""), what))
    if compiler.part.startswith("ppt/charts/"):
        for v in compiler.root.iter(q("c:v")):
            if v.text and ("{{" in v.text or "{%" in v.text):
                v.text = _filled(compiler, v.text, compiler.shape_of(v), "chart's data cache")


def _filled(compiler, text: str, shape: str, what: str) -> str:
    if "{%" in text:
        raise compiler.error(
            f"the {what} holds a {{% … %}} block, which cannot wrap anything there; use {{{{ … }}}} tags only",
            shape,
            text,
        )
    code, last = [], 0
    for m in _EXPR_RE.finditer(text):
        tag = normalise_tag(m.group(0))
        compiler.expressions.append((tag, Location(shape, tag)))
        code.append(literal(text[last : m.start()]))
        code.append("{{ (%s)|replace('\\n', ' ') }}" % tag[2:-2].strip("-"))
        last = m.end()
    code.append(literal(text[last:]))
    return compiler.marker("".join(code), shape)
