"""Compiling a template slide by slide for ``templates lint`` (:mod:`deckgen.authoring.lint`).

Each slide is compiled on its own; when it fails, each of its shapes (and its notes, each chart)
is compiled with every other one's tags taken out, so every error on the slide is reported, and
every dotted name the context can never have is reported where it is typed.
"""

from __future__ import annotations

import re

from lxml import etree

from deckgen.authoring.report import LintReport
from deckgen.engine.compile import compile_slide
from deckgen.engine.compiled import SlideSpec
from deckgen.engine.opc import RT_CHART, RT_NOTES, Package, parse_xml, q, read_rels, to_bytes
from deckgen.engine.tags import SHAPE_TAGS, run_groups
from deckgen.errors import TemplateError
from deckgen.load.templates import TemplateSpec

_DIRECTIVE_IN_TEXT = re.compile(r"\{%-?\s*slide\s.*?%\}", re.S)


class SlideCompiling:
    """Mixed into the linter, which sets these attributes and ``add``."""

    pkg: Package
    spec: TemplateSpec
    brand: object
    label: str
    report: LintReport
    variables: set[str]

    def _compile(self, number: int, part: str) -> None:
        try:
            spec, variables = compile_slide(self.pkg, self.spec, self.brand, self.label, number, part)
        except TemplateError as first:
            self._isolate(number, part, first)
            return
        self._check_paths(spec, variables, number)

    def _isolate(self, number: int, part: str, first: TemplateError) -> None:
        """Compile each shape (and the notes, each chart) with every other one's tags taken out."""
        slide_root = parse_xml(self.pkg.read(part), part, self.label)
        rels = read_rels(self.pkg, {}, part)
        notes = next((r.target for r in rels if r.type == RT_NOTES and r.target in self.pkg), None)
        charts = [r.target for r in rels if r.type == RT_CHART and r.target in self.pkg]
        tree = slide_root.find(f"{q('p:cSld')}/{q('p:spTree')}")
        units: list[tuple[str, int | str]] = []
        for i, el in enumerate(tree if tree is not None else []):
            if el.tag in SHAPE_TAGS and any("{" in (t.text or "") for t in el.iter(q("a:t"))):
                units.append(("shape", i))
        if notes and b"{" in self.pkg.read(notes):
            units.append(("notes", notes))
        units += [("chart", c) for c in charts if b"{" in self.pkg.read(c)]
        before = len(self.report.findings)
        for unit in units:
            budget = [1]  # other shapes keep one slide directive between them: a second one is the unit's error
            overrides = {part: self._reduced(part, budget, keep=unit[1] if unit[0] == "shape" else None)}
            if notes:
                overrides[notes] = self._reduced(notes, budget, keep_all=unit == ("notes", notes))
            for chart in charts:
                overrides[chart] = self._reduced(chart, [0], keep_all=unit == ("chart", chart))
            try:
                spec, variables = compile_slide(self.pkg, self.spec, self.brand, self.label, number, part, overrides)
            except TemplateError as exc:
                self._template_error(exc, number)
                continue
            self._check_paths(spec, variables, number)
        if len(self.report.findings) == before:
            self._template_error(first, number)

    def _reduced(self, part: str, budget: list[int], keep: int | None = None, keep_all: bool = False) -> bytes:
        """The part with every paragraph outside the kept shape cut down to its slide directives
        (at most ``budget[0]`` of them, shared across the slide's parts)."""
        root = parse_xml(self.pkg.read(part), part, self.label)
        if keep_all:
            return to_bytes(root)
        tree = root.find(f"{q('p:cSld')}/{q('p:spTree')}")
        kept = tree[keep] if keep is not None and tree is not None else None
        for p in list(root.iter(q("a:p"))):
            if kept is not None and any(a is kept for a in p.iterancestors()):
                continue
            text = "".join(_run_text(r) for g in run_groups(p) for r in g)
            if "{" not in text:
                continue
            found = _DIRECTIVE_IN_TEXT.findall(text)[: budget[0]]
            budget[0] -= len(found)
            for child in list(p):
                if child.tag in (q("a:r"), q("a:fld"), q("a:br")):
                    p.remove(child)
            if found:
                run = etree.Element(q("a:r"))
                etree.SubElement(run, q("a:t")).text = " ".join(found)
                end = p.find(q("a:endParaRPr"))
                if end is not None:
                    end.addprevious(run)
                else:
                    p.append(run)
        return to_bytes(root)

    def _template_error(self, exc: TemplateError, number: int) -> None:
        self.add(
            "error",
            exc.message,
            slide=exc.slide if exc.slide is not None else number,
            shape=exc.shape or None,
            text=exc.snippet,
        )

    def _check_paths(self, spec: SlideSpec, variables: set[str], number: int) -> None:
        """Report every dotted name the context can never have (``prospect.compnay``), where it is typed."""
        from deckgen.sales.context import unknown_path

        for path in sorted(variables):
            problem = unknown_path(path)
            if problem is None:
                self.variables.add(path)
                continue
            located = False
            for comp in (spec.compiled, spec.notes_compiled, *[c.compiled for c in spec.charts.values()]):
                for loc in comp.locations if comp is not None else []:
                    if re.search(r"\b" + re.escape(path) + r"\b", loc.text):
                        self.add("error", problem, slide=number, shape=loc.shape or None, text=loc.text)
                        located = True
                        break
            if not located:
                chart = next((n for n, e in self.spec.charts.items() if path in e), None)
                if chart:
                    self.add("error", problem, place="template.yaml", shape=chart, text=self.spec.charts[chart])
                else:
                    self.add("error", problem, slide=number)


def _run_text(run) -> str:
    t = run.find(q("a:t"))
    return (t.text or "") if t is not None else ""
