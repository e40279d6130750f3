"""Context variables in template snippets: the paths they use, and what an unknown name or a syntax error means."""

from __future__ import annotations

import re
from difflib import get_close_matches

from jinja2 import TemplateSyntaxError, nodes

from deckgen.engine.compiled import CONTEXT_ROOTS
from deckgen.engine.tags import Location, PartSource


def location_of(locations: list[Location], lineno: int | None) -> Location:
    if lineno is None or not 0 < lineno <= len(locations):
        return Location("", "")
    return locations[lineno - 1]


def syntax_message(exc: TemplateSyntaxError) -> str:
    msg = exc.message or "syntax error"
    if "No filter named" in msg:
        name = re.search(r"'([^']+)'", msg)
        known = ", ".join(
            [
                "money",
                "number",
                "percent",
                "date",
                "join",
                "upper",
                "lower",
                "title",
                "default",
                "round",
                "length",
                "first",
                "last",
            ]
        )
        return f"unknown filter {name.group(0) if name else ''} (filters: {known}, …)"
    # Jinja counts characters in the whole compiled part ("unexpected char '•' at 1069"): an offset no
    # template author can use. The error already names the slide, the shape and the tag text.
    msg = re.sub(r" at \d+$", "", msg)
    return f"template syntax error: {msg}"


def unknown_message(name: str) -> str:
    close = get_close_matches(name, sorted(CONTEXT_ROOTS), n=1)
    hint = f" — did you mean '{close[0]}'?" if close else ""
    return f"unknown variable '{name}'{hint}"


def find_name(source: PartSource, name: str) -> Location | None:
    for loc in source.locations:
        if re.search(r"\b" + re.escape(name) + r"\b", loc.text):
            return loc
    return None


def collect_paths(tree, out: set[str]) -> None:
    """Add dotted paths like ``prospect.company`` used from context roots."""
    for node in tree.find_all(nodes.Getattr):
        parts = []
        cur = node
        while isinstance(cur, nodes.Getattr):
            parts.append(cur.attr)
            cur = cur.node
        if isinstance(cur, nodes.Name) and cur.name in CONTEXT_ROOTS and cur.ctx == "load":
            out.add(".".join([cur.name] + list(reversed(parts))))


_UNDEFINED = re.compile(r"'(?P<owner>[^']*)' (?:object )?has no attribute '(?P<attr>\w+)'")


def fix_hint(message: str, snippet: str | None) -> str:
    """A one-line fix for a tag that fails on missing data: a guard for a missing owner, else a default."""
    snippet = snippet or ""
    m = _UNDEFINED.search(message)
    if m and m.group("owner") == "None":
        path = re.search(r"([A-Za-z_][\w.]*)\." + re.escape(m.group("attr")) + r"\b", snippet)
        if path:
            owner = path.group(1)
            return f"Guard it: {{{{ {owner}.{m.group('attr')} if {owner} else '…' }}}}."
    expr = re.search(r"\{\{-?\s*(.*?)\s*-?\}\}", snippet, re.S)
    if expr:
        inner = expr.group(1)
        return f"Give it a fallback: {{{{ {inner} | default('…') }}}}, or wrap it in {{% if … %}} … {{% endif %}}."
    return "Give the value a fallback with | default('…'), or wrap it in {% if … %} … {% endif %}."
