"""Hyperlinks whose targets hold tags: ``mailto:{{ msp.sales_contact.email }}``, ``{{ prospect.website }}``.

A hyperlink's address lives in the slide's relationships, not in its text, so the text renderer
never sees it. Here the targets of a slide's (and its notes') external hyperlink relationships that
hold a Jinja tag are compiled once per template, in the template's sandboxed environment, and
rendered for every deck with the slide's context. Each result then goes through
:func:`deckgen.engine.safety.clean_hyperlink`: a web or mail address is kept (percent-encoded where
it must be); one that renders empty loses its link and keeps its text; anything else
(``javascript:``, ``file:``, ``data:``, a relative path, a control character) loses its link too,
with a :class:`deckgen.errors.LinkWarning`. Targets without tags are left exactly as they are.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import unquote

from jinja2 import meta
from jinja2.exceptions import TemplateError as JinjaTemplateError
from jinja2.exceptions import TemplateSyntaxError
from jinja2.sandbox import SecurityError

from deckgen.engine.compiled import CONTEXT_ROOTS
from deckgen.engine.faults import is_fault, source_fault
from deckgen.engine.limits import OutputLimitError
from deckgen.engine.opc import NS, RT_HYPERLINK, RT_SLIDE, Rel, parse_xml, to_bytes
from deckgen.engine.safety import HYPERLINK_ELEMENTS, MAX_LINK_CHARS, clean_hyperlink
from deckgen.engine.variables import collect_paths, syntax_message, unknown_message
from deckgen.errors import DeckgenError, LinkWarning, TemplateError

_MAX_RENDERED = 4 * MAX_LINK_CHARS  # stop rendering a target long before it could matter
_R_ID = f"{{{NS['r']}}}id"
_UNESCAPED = "{{% autoescape false %}}{}{{% endautoescape %}}"  # the address goes into an attribute, escaped there
_LINK_TAGS = tuple(f"{{{NS['a']}}}{name}" for name in sorted(HYPERLINK_ELEMENTS))
# compiled link targets per compiled template and part (the template itself stays immutable)
_COMPILED: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


@dataclass(frozen=True)
class _Link:
    rid: str
    source: str  # the target as the template has it (tags decoded)
    template: object  # a compiled Jinja2 template


def has_tags(target: str) -> bool:
    """True when a relationship target holds a Jinja tag (``{{``/``{%``, also percent-encoded)."""
    return "{{" in target or "{%" in target or "%7b%7b" in target.lower() or "%7b%25" in target.lower()


def _tagged(rels: list[Rel]):
    return [r for r in rels if r.external and r.type == RT_HYPERLINK and has_tags(r.target)]


def link_variables(env, rels: list[Rel], spec, label: str) -> set[str]:
    """The context names and dotted paths the tagged hyperlink addresses in ``rels`` use, for the compile checks.

    Raises TemplateError naming the slide for a broken tag or a name the context never has (the
    slide's ``{%slide for%}`` names are allowed), so such a template fails before any deck is built.
    """
    found: set[str] = set()
    loop = set(spec.loop[0]) if spec.loop else set()
    for rel in _tagged(rels):
        source = _source(rel.target)
        try:  # parsed as DeckLinks renders it (one block deeper), so a tag nested too deeply fails here
            tree = env.parse(_UNESCAPED.format(source))
        except TemplateSyntaxError as exc:
            message = f"a hyperlink's address: {syntax_message(exc)}"
            raise TemplateError(message, file=label, slide=spec.number, snippet=source) from None
        for name in meta.find_undeclared_variables(tree):
            if name.startswith("_") or name in ("namespace", "range") or name in loop:
                continue
            if name not in CONTEXT_ROOTS:
                message = f"a hyperlink's address: {unknown_message(name)}"
                raise TemplateError(message, file=label, slide=spec.number, snippet=source)
            found.add(name)
        collect_paths(tree, found)
    return found


def _source(target: str) -> str:
    """The target with tags PowerPoint percent-encoded (``%7B%7B%20x%20%7D%7D``) decoded again."""
    return target if "{{" in target or "{%" in target else unquote(target)


class DeckLinks:
    """The hyperlinks of one deck's slides: their targets rendered, and what was dropped and why.

    ``error(spec, message, snippet, fault=…)`` makes the exception a failed target raises (the
    renderer's, so it names the slide).
    """

    def __init__(self, compiled, error: Callable[..., Exception]) -> None:
        self.compiled = compiled
        self.error = error
        self.warnings: list[LinkWarning] = []
        self.by_part: dict[str, tuple[_Link, ...]] = _COMPILED.get(compiled)
        if self.by_part is None:
            self.by_part = _COMPILED.setdefault(compiled, {})

    def render(self, part: str, rels: list[Rel], ctx: dict, spec) -> tuple[list[Rel], frozenset[str]]:
        """``part``'s relationships with their tagged hyperlink targets rendered, and the ids of links dropped.

        ``part`` is the template's part (the key of its compiled targets); ``rels`` the relationships
        as the deck writes them. Raises the renderer's error for a tag that does not render.
        """
        links = self.by_part.get(part)
        if links is None:
            links = self.by_part[part] = self._compile(rels, spec)
        if not links:
            return rels, frozenset()
        targets: dict[str, str] = {}
        for link in links:
            text = self._render(link, ctx, spec)
            cleaned, why = clean_hyperlink(text)
            targets[link.rid] = cleaned
            if why:
                shown = text.strip()[:80].encode("unicode_escape").decode("ascii")
                self.warnings.append(
                    LinkWarning(
                        f"slide {spec.number}: a hyperlink's address came out as '{shown}' and was removed "
                        f"({why}); its text stays on the slide"
                    )
                )
        dropped = frozenset(rid for rid, target in targets.items() if not target)
        out = [
            Rel(r.rid, r.type, targets[r.rid], True) if r.rid in targets else r for r in rels if r.rid not in dropped
        ]
        return out, dropped

    def _compile(self, rels: list[Rel], spec) -> tuple[_Link, ...]:
        found = []
        for rel in _tagged(rels):
            source = _source(rel.target)
            try:  # the address goes into an XML attribute through rels_xml, which escapes it
                template = self.compiled.env.from_string(_UNESCAPED.format(source))
            except TemplateSyntaxError as exc:
                message = f"a hyperlink's address: {exc.message}"
                raise self.error(spec, message, source, fault=True, about=True) from None
            found.append(_Link(rel.rid, source, template))
        return tuple(found)

    def _render(self, link: _Link, ctx: dict, spec) -> str:
        chunks, size = [], 0
        try:
            for chunk in link.template.generate(ctx):
                size += len(chunk)
                if size > _MAX_RENDERED:
                    return "".join(chunks) + chunk  # clean_hyperlink refuses it as too long
                chunks.append(chunk)
        except (SecurityError, OutputLimitError) as exc:
            about = source_fault(self.compiled.env, exc, link.source)  # (the template's, or this deck's data)
            message = f"a hyperlink's address: not allowed: {exc}"
            raise self.error(spec, message, link.source, fault=True, about=about) from None
        except DeckgenError as exc:
            raise self.error(spec, f"a hyperlink's address: {exc.message}", link.source, fault=is_fault(exc)) from None
        except (JinjaTemplateError, TypeError, ValueError, ArithmeticError, LookupError, AttributeError) as exc:
            message = str(exc) or type(exc).__name__
            if "undefined" in message or "has no attribute" in message:
                message += " (the data for this deck has no such value)"
            raise self.error(spec, f"a hyperlink's address: {message}", link.source) from None
        return "".join(chunks)


def moved_rels(rels: list[Rel], names: dict[str, str], slides: dict[str, str]) -> tuple[list[Rel], frozenset[str]]:
    """``rels`` pointing where the deck has the parts: ``names`` (the slide's own parts, renamed) or, for a
    jump to another slide (Insert › Link › Place in This Document), ``slides`` (each template slide's first
    slide in the deck). A jump to a slide this deck left out goes; its id is returned (its text stays)."""
    out, gone = [], set()
    for r in rels:
        target = names.get(r.target)
        if target is None and r.type == RT_SLIDE and not r.external:
            target = slides.get(r.target)
            if target is None:
                gone.add(r.rid)
                continue
        out.append(Rel(r.rid, r.type, target or r.target, r.external))
    return out, frozenset(gone)


def unlink(xml: bytes, rids: frozenset[str], part: str = "") -> bytes:
    """``xml`` without the click and hover actions that use the relationships ``rids``; the text stays."""
    if not rids:
        return xml
    root = parse_xml(xml, part)
    for el in list(root.iter(*_LINK_TAGS)):
        if el.get(_R_ID) in rids:
            el.getparent().remove(el)
    return to_bytes(root)


__all__ = ["DeckLinks", "has_tags", "link_variables", "moved_rels", "unlink"]
