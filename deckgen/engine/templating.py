"""Turning a part's tags into Jinja2 and checking every variable they use (for :mod:`deckgen.engine.compile`).

:class:`TagCompiling` is the part of the template compiler that compiles a part's tag source (from
:class:`deckgen.engine.text.TextCompiler`) into a Jinja2 template, reads ``{%slide if/for%}``
directives and chart-binding expressions, and checks each name against the context roots and each
dotted path against the caller's ``unknown_variable``. Errors name the slide, the shape and the tag.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Protocol

from jinja2 import TemplateSyntaxError, meta, nodes
from jinja2.environment import TemplateExpression
from jinja2.exceptions import TemplateError as JinjaTemplateError
from jinja2.parser import Parser

from deckgen.engine.compiled import CONTEXT_ROOTS, Compiled, SlideSpec
from deckgen.engine.reuse import PartReads, part_reads
from deckgen.engine.sandbox import DeckEnvironment
from deckgen.engine.tags import PartSource
from deckgen.engine.text import TextCompiler
from deckgen.engine.theme import Theme
from deckgen.engine.variables import collect_paths, find_name, location_of, syntax_message, unknown_message
from deckgen.errors import TemplateError


class JinjaCache(Protocol):
    """Where compiled tag code is kept between runs (the engine does no caching I/O of its own).

    ``load(key)`` returns what ``store(key, value)`` was given for the same key, or None; ``value``
    is (code object, undeclared names, dotted paths) for an expression, and for a part also the
    context values its code reads (:attr:`deckgen.engine.reuse.PartReads.roots`), so a warm run does
    not disassemble the code again. The key holds the part name, the environment's filter and test
    names and the tag source; the cache adds what else the code depends on.
    """

    def load(self, key: str) -> tuple | None: ...

    def store(self, key: str, value: tuple) -> None: ...


_FOR_RE = re.compile(r"^\s*([A-Za-z_]\w*(?:\s*,\s*[A-Za-z_]\w*)*)\s+in\s+(.+)$", re.S)


class TagCompiling:
    """Mixed into the compiler, which sets these attributes."""

    env: DeckEnvironment
    label: str
    theme: Theme | None
    variables: set[str]
    jinja_cache: JinjaCache | None = None
    luminance_cache: object = None  # the logo-contrast check's (deckgen.engine.graphics.LuminanceCache)

    def _text_compiler(self, root, part: str, number: int, shape_of) -> TextCompiler:
        return TextCompiler(
            root,
            part=part,
            slide=number,
            shape_of=shape_of,
            run_props=self.env.run_props,
            east_asian_font=self.theme.east_asian if self.theme else None,
            source_file=self.label,
        )

    def _jinja(self, source: PartSource | None, part: str, number: int, spec: SlideSpec) -> Compiled | None:
        if source is None:
            return None
        if source.directives and not part.startswith(("ppt/slides/", "ppt/notesSlides/")):
            raise TemplateError("{%slide%} directives belong on a slide or in its notes", file=self.label, slide=number)
        filename = f"<deckgen:{part}>"
        key = f"{filename}\0{sorted(self.env.filters)}\0{sorted(self.env.tests)}\0{source.source}"
        cached = self.jinja_cache.load(key) if self.jinja_cache is not None else None
        if cached is not None and len(cached) == 4:
            code, names, paths, roots = cached
            template = self.env.template_class.from_code(self.env, code, self.env.make_globals(None))
            reads = PartReads(roots)
        else:
            code, names, paths = self._jinja_code(source, filename, number)
            template = self.env.template_class.from_code(self.env, code, self.env.make_globals(None))
            reads = part_reads(template.root_render_func.__code__)
            if self.jinja_cache is not None:
                self.jinja_cache.store(key, (code, names, paths, reads.roots))
        for name in names:
            if name.startswith("_") or name in ("namespace", "range"):
                continue
            allowed = CONTEXT_ROOTS | set(spec.loop[0] if spec.loop else [])
            if name not in allowed:
                loc = find_name(source, name)
                raise TemplateError(
                    unknown_message(name),
                    file=self.label,
                    slide=number,
                    shape=loc.shape if loc else None,
                    snippet=loc.text if loc else None,
                )
            if name in CONTEXT_ROOTS:
                self.variables.add(name)
        self.variables.update(paths)
        return Compiled(template, source.locations, filename, reads)

    def _jinja_code(self, source: PartSource, filename: str, number: int) -> tuple:
        """(code, undeclared names sorted, dotted paths sorted) of a part's tag source; raise TemplateError."""
        try:
            tree = self.env.parse(source.source, filename=filename)
            code = self.env.compile(tree, filename=filename)
        except TemplateSyntaxError as exc:
            loc = location_of(source.locations, exc.lineno)
            raise TemplateError(
                syntax_message(exc), file=self.label, slide=number, shape=loc.shape, snippet=loc.text
            ) from None
        except JinjaTemplateError as exc:  # e.g. an unknown filter or test
            loc = location_of(source.locations, getattr(exc, "lineno", None))
            raise TemplateError(
                str(exc.message if hasattr(exc, "message") else exc),
                file=self.label,
                slide=number,
                shape=loc.shape,
                snippet=loc.text,
            ) from None
        paths: set[str] = set()
        collect_paths(tree, paths)
        return code, tuple(sorted(meta.find_undeclared_variables(tree))), tuple(sorted(paths))

    def _directive(self, d, number: int, spec: SlideSpec) -> None:
        if spec.condition is not None or spec.loop is not None:
            raise TemplateError(
                "a slide takes one {%slide …%} directive", file=self.label, slide=number, shape=d.shape, snippet=d.text
            )
        spec.directive_text = d.text
        if d.kind == "if":
            spec.condition = self._expression(d.expression, number, d.shape)
            return
        m = _FOR_RE.match(d.expression)
        if not m:
            raise TemplateError(
                "write {%slide for ITEM in LIST %}", file=self.label, slide=number, shape=d.shape, snippet=d.text
            )
        targets = [t.strip() for t in m.group(1).split(",")]
        spec.loop = (targets, self._expression(m.group(2), number, d.shape))

    def _expression(self, source: str, number: int, shape: str):
        key = f"<expression>\0{sorted(self.env.filters)}\0{sorted(self.env.tests)}\0{source}"
        cached = self.jinja_cache.load(key) if self.jinja_cache is not None else None
        if cached is None:
            try:
                cached = _expression_code(self.env, source)
            except TemplateSyntaxError as exc:
                raise TemplateError(
                    syntax_message(exc), file=self.label, slide=number, shape=shape, snippet=source
                ) from None
            if self.jinja_cache is not None:
                self.jinja_cache.store(key, cached)
        code, names, paths = cached
        for name in names:
            if name not in CONTEXT_ROOTS:
                raise TemplateError(unknown_message(name), file=self.label, slide=number, shape=shape, snippet=source)
            self.variables.add(name)
        self.variables.update(paths)
        template = self.env.template_class.from_code(self.env, code, self.env.make_globals(None))
        return TemplateExpression(template, undefined_to_none=False)

    def _check_variables(self, slides: list[SlideSpec], unknown_variable: Callable[[str], str | None]) -> None:
        for path in sorted(self.variables):
            problem = unknown_variable(path)
            if problem is None:
                continue
            for slide in slides:
                for comp in (slide.compiled, slide.notes_compiled, *[c.compiled for c in slide.charts.values()]):
                    if comp is None:
                        continue
                    for loc in comp.locations:
                        if re.search(r"\b" + re.escape(path) + r"\b", loc.text):
                            raise TemplateError(
                                problem, file=self.label, slide=slide.number, shape=loc.shape, snippet=loc.text
                            )
            raise TemplateError(problem, file=self.label)


def _expression_code(env: DeckEnvironment, source: str) -> tuple:
    """(code, undeclared names, dotted paths) of one expression, compiled as ``env.compile_expression`` does."""
    tree = env.parse("{{ %s }}" % source)
    parser = Parser(env, source, state="variable")
    expr = parser.parse_expression()
    if not parser.stream.eos:
        raise TemplateSyntaxError("chunk after expression", parser.stream.current.lineno, None, None)
    expr.set_environment(env)
    code = env.compile(nodes.Template([nodes.Assign(nodes.Name("result", "store"), expr, lineno=1)], lineno=1))
    paths: set[str] = set()
    collect_paths(tree, paths)
    return code, tuple(sorted(meta.find_undeclared_variables(tree))), tuple(sorted(paths))
