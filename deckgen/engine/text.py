"""Finding tags in DrawingML text and turning a part into a Jinja2 template.

PowerPoint splits typed text into runs wherever formatting, spell-checking or
editing history changes, so ``{{ prospect.company }}`` may arrive as three runs.
Each paragraph's runs are read as one string, every tag is found there, and a
tag that spans runs is moved whole into the run where it starts (that run's
formatting is kept). Block tags at the very start and end of a paragraph (or of
a table row) are hoisted around the paragraph (or the row), which is what makes
paragraph and row loops and conditional paragraphs work. ``{%slide …%}``
directives are taken out and returned.

The part is then serialised with markers where code goes and the markers are
replaced by Jinja2 code; every piece of literal text is XML-escaped and its
braces written as character references, so only the author's tags are code.
"""

from __future__ import annotations

import re

from lxml import etree

from deckgen.engine.hidden import fill_hidden_tags
from deckgen.engine.opc import q
from deckgen.engine.tags import (
    CLOSERS,
    MIDDLES,
    OPENERS,
    SHAPE_TAGS,
    SLIDE_DIRECTIVE_RE,
    TAG_RE,
    Location,
    Para,
    PartSource,
    Piece,
    Run,
    SlideDirective,
    balanced,
    body_of,
    container_of,
    drop_piece,
    first_statement,
    group_by,
    last_statement,
    literal,
    normalise_tag,
    own_name,
    remove_keeping_one_paragraph,
    run_groups,
    set_east_asian,
    shape_name,
)
from deckgen.errors import TemplateError

_MARK_OPEN, _MARK_CLOSE = "\ue000", "\ue001"
_RAW = re.compile(r"^\{%-?\s*(raw|endraw)\s*-?%\}$")
_MARKER_RE = re.compile(_MARK_OPEN + r"(\d+)" + _MARK_CLOSE + r"|<\?dg (\d+)\?>")


class TextCompiler:
    """Turns one XML part into Jinja2 source. One instance per part."""

    def __init__(
        self,
        root,
        *,
        part: str,
        slide: int | None,
        shape_of,
        run_props: list[str],
        east_asian_font: str | None,
        source_file: str,
    ) -> None:
        self.root = root
        self.part = part
        self.slide = slide
        self.shape_of = shape_of
        self.run_props = run_props
        self.east_asian_font = east_asian_font
        self.source_file = source_file
        self.codes: list[tuple[str, Location]] = []
        self.directives: list[SlideDirective] = []
        self.expressions: list[tuple[str, Location]] = []
        self.raw: tuple[str, str] | None = None  # (shape, tag) of a {% raw %} whose {% endraw %} is still to come
        self.shape_of_current = ""  # the shape of the paragraph being read

    # ------------------------------------------------------------------ errors
    def error(self, message: str, shape: str, snippet: str | None = None) -> TemplateError:
        return TemplateError(
            message, file=self.source_file, slide=self.slide, shape=shape, snippet=(snippet[:160] if snippet else None)
        )

    # ------------------------------------------------------------------ steps
    def compile(self) -> PartSource | None:
        fill_hidden_tags(self)
        paras = [self._read_paragraph(p) for p in self.root.iter(q("a:p"))]
        paras = [p for p in paras if p is not None]
        if self.raw is not None:
            raise self.error(f"'{self.raw[1]}' is never closed with '{{% endraw %}}'", *self.raw)
        if not paras and not self.directives and not self.codes:
            return None
        by_element = {id(p.element): p for p in paras}
        for group in group_by(paras, container_of).values():
            self._check_balance(group, "")
        self._hoist_rows(by_element)
        for group in group_by(paras, body_of).values():
            self._check_balance(
                group,
                " (a block opened in a table cell must close in the same cell, or open "
                "in the row's first cell and close in its last)",
            )
        for para in paras:
            self._hoist_paragraph(para)
        guarded = set()
        for para in paras:
            if para.before or para.after or para.statement_only:
                guarded.add(body_of(para.element))
            self._emit_paragraph(para)
        for body in guarded:
            if body is not None:
                self._guard_body(body, paras[0].shape)
        return self._serialise()

    def _guard_body(self, body, shape: str) -> None:
        """Make sure a text body whose paragraphs are all conditional still renders one a:p."""
        children = list(body)
        first = next(
            (i for i, c in enumerate(children) if c.tag == q("a:p") or isinstance(c, etree._ProcessingInstruction)),
            len(children),
        )
        body.insert(first, etree.ProcessingInstruction("dg", str(self._code("{% set _pg = namespace(n=0) %}", shape))))
        for p in body.findall(q("a:p")):
            p.addprevious(etree.ProcessingInstruction("dg", str(self._code("{% set _pg.n = 1 %}", shape))))
        body.append(etree.ProcessingInstruction("dg", str(self._code("{% if not _pg.n %}<a:p/>{% endif %}", shape))))

    def _read_paragraph(self, p) -> Para | None:
        shape = self.shape_of_current = self.shape_of(p)
        groups = run_groups(p)
        runs: list[Run] = []
        found = False
        for n, group in enumerate(groups):
            texts = [self._run_text(r) for r in group]
            joined = "".join(texts)
            if "{" not in joined:
                runs.extend(Run(r, [Piece("text", t)] if t else [], bool(t)) for r, t in zip(group, texts))
                continue
            spans = [(m.start(), m.end()) for m in TAG_RE.finditer(joined)]
            rest = TAG_RE.sub("", joined)
            for opener in ("{{", "{%", "{#"):
                if opener in rest:
                    after = "".join(map(self._run_text, groups[n + 1])) if n + 1 < len(groups) else ""
                    broken = opener[1].replace("{", "}") + "}" in after  # the tag goes on after a line break
                    hint = ": a line break (Shift+Enter) splits it; keep the whole tag on one line" if broken else ""
                    raise self.error(f"a tag opened with '{opener}' is never closed{hint}", shape, joined)
            if spans:
                found = True
            runs.extend(self._split_runs(group, texts, spans, joined))
        if not found:
            return None
        para = Para(p, runs, shape)
        self._take_directives(para)
        return para

    @staticmethod
    def _run_text(run) -> str:
        t = run.find(q("a:t"))
        return (t.text or "") if t is not None else ""

    def _split_runs(self, group, texts, spans, joined) -> list[Run]:
        owner: list[int] = []
        for i, t in enumerate(texts):
            owner.extend([i] * len(t))
        pieces: list[list[Piece]] = [[] for _ in group]
        pos = 0
        for start, end in spans + [(len(joined), len(joined))]:
            # literal text between tags stays in the run it was typed in
            for i in range(pos, start):
                r = owner[i]
                if pieces[r] and pieces[r][-1].kind == "text":
                    pieces[r][-1].text += joined[i]
                else:
                    pieces[r].append(Piece("text", joined[i]))
            if start < end:
                tag = normalise_tag(joined[start:end])  # PowerPoint's smart quotes, NBSPs, dashes
                kind = {"{{": "expr", "{%": "stmt", "{#": "comment"}[tag[:2]]
                word = _RAW.match(tag)
                if self.raw is not None or word:  # {% raw %}…{% endraw %}: the text as typed, no code
                    self._raw_piece(pieces[owner[start]], joined[start:end], word, tag)
                else:
                    pieces[owner[start]].append(Piece(kind, tag))
            pos = end
        return [Run(r, pcs, bool(t)) for r, pcs, t in zip(group, pieces, texts)]

    def _raw_piece(self, pieces: list[Piece], typed: str, word, tag: str) -> None:
        """Inside ``{% raw %}`` a tag is literal text, as typed; the raw tags themselves go."""
        if self.raw is None:
            if word.group(1) == "raw":
                self.raw = (self.shape_of_current, tag)
                return
            raise self.error("'{% endraw %}' has no matching '{% raw %}' before it", self.shape_of_current, tag)
        if word and word.group(1) == "endraw":
            self.raw = None
        elif pieces and pieces[-1].kind == "text":
            pieces[-1].text += typed
        else:
            pieces.append(Piece("text", typed))

    def _take_directives(self, para: Para) -> None:
        for run in para.runs:
            for pc in list(run.pieces):
                if pc.kind == "stmt" and pc.keyword == "slide":
                    m = SLIDE_DIRECTIVE_RE.match(pc.text)
                    if not m:
                        raise self.error(
                            "a slide directive reads {%slide if CONDITION %} or {%slide for ITEM in LIST %}",
                            para.shape,
                            pc.text,
                        )
                    self.directives.append(SlideDirective(m.group(1), m.group(2), para.shape, pc.text))
                    run.pieces.remove(pc)

    def _check_balance(self, paras: list[Para], hint: str) -> None:
        stack: list[tuple[str, Para, str]] = []
        for para in paras:
            for pc in para.tokens():
                if pc.kind != "stmt":
                    continue
                word = pc.keyword
                if word in OPENERS:
                    stack.append((word, para, pc.text))
                elif word in CLOSERS:
                    if not stack or stack[-1][0] != CLOSERS[word]:
                        raise self.error(
                            f"'{{% {word} %}}' has no matching '{{% {CLOSERS[word]} %}}' before it" + hint,
                            para.shape,
                            pc.text,
                        )
                    stack.pop()
                elif word in MIDDLES and (not stack or stack[-1][0] != "if"):
                    raise self.error(f"'{{% {word} %}}' outside an '{{% if %}}'", para.shape, pc.text)
        if stack:
            word, para, text = stack[-1]
            raise self.error(f"'{text}' is never closed with '{{% {OPENERS[word]} %}}'" + hint, para.shape, text)

    def _hoist_rows(self, by_element: dict) -> None:
        for tr in self.root.iter(q("a:tr")):
            cells = tr.findall(q("a:tc"))
            if len(cells) < 2:
                continue
            first = [by_element.get(id(p)) for p in cells[0].iter(q("a:p"))]
            last = [by_element.get(id(p)) for p in cells[-1].iter(q("a:p"))]
            head, tail = first[0] if first else None, last[-1] if last else None
            if head is None or tail is None:
                continue
            opener = first_statement(head)
            closer = last_statement(tail)
            if not (opener and closer and opener.keyword in OPENERS and closer.keyword == OPENERS[opener.keyword]):
                continue
            if balanced([pc for pc in head.tokens() if pc is not opener]) is None:
                continue  # the opener closes inside its own cell: not a row loop
            drop_piece(head, opener)
            drop_piece(tail, closer)
            self._wrap(tr, opener.text, closer.text, head.shape)

    def _hoist_paragraph(self, para: Para) -> None:
        tokens = [pc for pc in para.tokens() if not (pc.kind == "text" and not pc.text.strip())]
        if not tokens:
            if para.runs and all(not r.pieces for r in para.runs):
                para.statement_only = True  # a paragraph that held only directives/hoisted tags
            return
        if all(pc.kind in ("stmt", "comment") for pc in tokens):
            para.statement_only = True
            para.before = [pc.text for pc in tokens if pc.kind == "stmt"]
            for r in para.runs:
                r.pieces = []
            return
        while True:
            tokens = [pc for pc in para.tokens() if not (pc.kind == "text" and not pc.text.strip())]
            if len(tokens) < 3:
                return
            head, tail = tokens[0], tokens[-1]
            if not (
                head.kind == "stmt"
                and tail.kind == "stmt"
                and head.keyword in OPENERS
                and tail.keyword == OPENERS[head.keyword]
            ):
                return
            inner = tokens[1:-1]
            if balanced(inner) != 0:
                return
            drop_piece(para, head)
            drop_piece(para, tail)
            para.before.append(head.text)
            para.after.insert(0, tail.text)

    def _wrap(self, element, before: str, after: str, shape: str) -> None:
        parent = element.getparent()
        idx = parent.index(element)
        parent.insert(idx, etree.ProcessingInstruction("dg", str(self._code(before, shape))))
        parent.insert(idx + 2, etree.ProcessingInstruction("dg", str(self._code(after, shape))))

    def marker(self, code: str, shape: str) -> str:
        """Return a marker (for text or an attribute value) that becomes ``code`` in the source."""
        return _MARK_OPEN + str(self._code(code, shape)) + _MARK_CLOSE

    def wrap(self, element, before: str, after: str, shape: str) -> None:
        """Put ``before`` and ``after`` code around an element (e.g. a conditional picture)."""
        self._wrap(element, before, after, shape)

    def _code(self, code: str, shape: str, text: str | None = None) -> int:
        self.codes.append((code, Location(shape, code if text is None else text)))
        return len(self.codes) - 1

    def _emit_paragraph(self, para: Para) -> None:
        p = para.element
        for run in para.runs:
            if not any(pc.kind != "text" for pc in run.pieces):
                if run.had_text and not run.pieces and run.element.tag == q("a:r"):
                    run.element.getparent().remove(run.element)
                elif run.had_text and run.pieces:
                    run.element.find(q("a:t")).text = "".join(pc.text for pc in run.pieces)
                continue
            rpr_id = self._register_rpr(run.element)
            code = []
            for pc in run.pieces:
                if pc.kind == "text":
                    code.append(literal(pc.text))
                elif pc.kind == "expr":
                    self.expressions.append((pc.text, Location(para.shape, pc.text)))
                    inner = pc.text[2:-2]
                    lstrip = inner.startswith("-")
                    rstrip = inner.endswith("-")
                    inner = inner[1 if lstrip else 0 : -1 if rstrip else None]
                    if run.element.tag == q("a:r"):
                        code.append(
                            "{{%s (%s)|_br(%d) %s}}" % ("-" if lstrip else "", inner, rpr_id, "-" if rstrip else "")
                        )
                    else:
                        code.append(
                            "{{%s (%s)|replace('\\n', ' ') %s}}" % ("-" if lstrip else "", inner, "-" if rstrip else "")
                        )
                elif pc.kind == "stmt":
                    self.expressions.append((pc.text, Location(para.shape, pc.text)))
                    code.append(pc.text)
            t = run.element.find(q("a:t"))
            original = "".join(pc.text for pc in run.pieces)
            t.text = _MARK_OPEN + str(self._code("".join(code), para.shape, original)) + _MARK_CLOSE
        if para.statement_only:
            parent = p.getparent()
            idx = parent.index(p)
            for k, stmt in enumerate(para.before):
                parent.insert(idx + k, etree.ProcessingInstruction("dg", str(self._code(stmt, para.shape))))
            remove_keeping_one_paragraph(p)
            return
        if para.before or para.after:
            self._wrap(p, "".join(para.before), "".join(para.after), para.shape)

    def _register_rpr(self, run) -> int:
        rpr = run.find(q("a:rPr"))
        if rpr is None:
            rpr = etree.SubElement(run, q("a:rPr"))
            run.insert(0, rpr)
        if self.east_asian_font:
            set_east_asian(rpr, self.east_asian_font)
        text = etree.tostring(rpr, encoding="unicode")
        text = re.sub(r'\sxmlns(:\w+)?="[^"]*"', "", text)
        self.run_props.append(text)
        return len(self.run_props) - 1

    def _serialise(self) -> PartSource:
        xml = etree.tostring(self.root, xml_declaration=False, encoding="unicode")
        xml = xml.replace("{", "&#123;")
        locations: list[Location] = [Location("", "")]  # line 1: the XML declaration

        def mark(match) -> str:
            code, loc = self.codes[int(match.group(1) or match.group(2))]
            locations.append(loc)
            return "{#\n#}" + code  # one source line per code snippet: errors map back to the shape

        xml = _MARKER_RE.sub(mark, xml)
        head = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        return PartSource(head + xml, locations, self.directives, self.expressions)


# SHAPE_TAGS, own_name, shape_name and run_groups are re-exported for callers not yet importing deckgen.engine.tags
__all__ = [
    "TextCompiler",
    "PartSource",
    "Location",
    "SLIDE_DIRECTIVE_RE",
    "TAG_RE",
    "SHAPE_TAGS",
    "own_name",
    "shape_name",
    "run_groups",
]
