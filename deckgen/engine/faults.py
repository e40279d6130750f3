"""Whose fault a render error is: the template's (the same for every deck) or one deck's data.

A sandbox violation or a limit (:class:`~deckgen.engine.limits.OutputLimitError`) is bad input
either way (:class:`~deckgen.errors.TemplateFaultError`, exit 2 for ``build``). A batch needs to know
more: whether the error is *about the template* — it would stop every row that reaches it, so the
batch stops once instead of failing every row — or whether a row's data tripped it (a 10,000-word
note repeated by the template), so that row fails alone.

An error is the template's only when that is certain from the tags: the tag that failed reads
nothing that comes from the row (no context value, no local set from one, no macro argument, no
loop over one), and no loop or condition around it (or around the block it fills) reads one
either. A sandbox violation on an attribute the tag names itself (``x.__class__``) is the
template's whatever ``x`` is. When unsure, the error is the row's.
"""

from __future__ import annotations

import re

from jinja2 import nodes
from jinja2.sandbox import SecurityError

from deckgen.engine.limits import OutputLimitError
from deckgen.engine.tags import SLIDE_DIRECTIVE_RE

_FREE = frozenset({"range", "namespace", "loop"})  # the sandbox's globals, and a loop's own state
_CAPTURES = (nodes.AssignBlock, nodes.Macro, nodes.CallBlock, nodes.FilterBlock)  # blocks that collect output
_UNSAFE_ATTRIBUTE = re.compile(r"access to attribute '([^']+)' of")
MISSING_DATA = re.compile(r"is undefined|has no attribute|sequence was empty")


def is_fault(exc: BaseException) -> bool:
    """A sandbox violation or a limit: bad input (exit 2 for ``build``), whoever caused it."""
    return isinstance(exc, SecurityError | OutputLimitError)


def failing_line(exc: BaseException, filename: str) -> int | None:
    """The template line an exception came from (Jinja rewrites tracebacks to template lines)."""
    lineno = getattr(exc, "lineno", None)
    tb = exc.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == filename:
            lineno = tb.tb_lineno
        tb = tb.tb_next
    return lineno


def where(exc: BaseException, compiled):
    """The :class:`~deckgen.engine.tags.Location` of the tag an exception came from, or None."""
    lineno = failing_line(exc, compiled.filename)
    if lineno and 0 < lineno <= len(compiled.locations):
        return compiled.locations[lineno - 1]
    return None


def explain(exc: BaseException) -> str:
    text = str(exc) or exc.__class__.__name__
    if isinstance(exc, SecurityError):
        return f"not allowed in a template: {text}"
    if "is undefined" in text or "has no attribute" in text:
        return f"{text} (the data for this deck has no such value)"
    return text


def part_fault(env, exc: BaseException, compiled, clean=()) -> bool:
    """True when ``exc`` (a fault raised rendering ``compiled``, one part's tags) is about the template.

    ``clean`` names the ``{%slide for%}`` targets whose list reads nothing from the row.
    """
    if not is_fault(exc):
        return False
    lineno = failing_line(exc, compiled.filename)
    if not lineno or not 0 < lineno <= len(compiled.locations):
        return False
    # one line per tag, as in the part's source (deckgen.engine.text): line N holds locations[N - 1]
    lines = [loc.text.replace("\r", " ").replace("\n", " ") for loc in compiled.locations]
    taint = _parsed(env, "\n".join(lines), clean)
    return taint is not None and (_named_attribute(exc, taint.tree, lineno) or taint.fixed(lineno))


def source_fault(env, exc: BaseException, source: str) -> bool:
    """True when ``exc``, raised rendering the template text ``source`` (a hyperlink's address), is the template's."""
    if not is_fault(exc):
        return False
    taint = _parsed(env, source.replace("\r", " ").replace("\n", " "), ())
    return taint is not None and (_named_attribute(exc, taint.tree, None) or taint.fixed(None))


def expression_fault(env, exc: BaseException | None, expression: str, clean=()) -> bool:
    """True when ``exc`` (None: a limit deckgen checks itself) from a ``{%slide%}`` directive or a chart's
    data expression is the template's: the expression reads nothing from the row."""
    if exc is not None and not is_fault(exc):
        return False
    m = SLIDE_DIRECTIVE_RE.match(expression)
    if m:
        kind, body = m.groups()
        source = f"{{% {kind} {body} %}}{{% end{kind} %}}"
    else:
        source = "{{ " + expression + " }}"
    taint = _parsed(env, source.replace("\n", " "), clean)
    if taint is None:
        return False
    return (exc is not None and _named_attribute(exc, taint.tree, None)) or taint.fixed(None)


def directive_names(expression: str) -> tuple[str, ...]:
    """The names a ``{%slide for NAMES in …%}`` directive sets (none for ``{%slide if%}``)."""
    m = SLIDE_DIRECTIVE_RE.match(expression)
    if not m or m.group(1) != "for":
        return ()
    return tuple(n.strip() for n in m.group(2).split(" in ", 1)[0].strip("() ").split(",") if n.strip())


def _parsed(env, source: str, clean) -> _Taint | None:
    try:
        tree = env.parse(source)
    except Exception:  # unsure: the row's
        return None
    return _Taint(tree, frozenset(clean))


def _named_attribute(exc: BaseException, tree, lineno: int | None) -> bool:
    """A sandbox violation on an attribute the tag itself names (``x.__class__``, ``x['mro']``)."""
    m = _UNSAFE_ATTRIBUTE.search(str(exc)) if isinstance(exc, SecurityError) else None
    if m is None:
        return False
    name = m.group(1)
    for node in tree.find_all((nodes.Getattr, nodes.Getitem)):
        if lineno is not None and node.lineno != lineno:
            continue
        key = node.attr if isinstance(node, nodes.Getattr) else getattr(node.arg, "value", None)
        if key == name:
            return True
    return False


def _names(target) -> set[str]:
    if isinstance(target, nodes.Name):
        return {target.name}
    if isinstance(target, nodes.NSRef):
        return {target.name}
    return {n for t in getattr(target, "items", ()) for n in _names(t)}


class _Taint:
    """Which names of a template may carry a row's data, and which lines depend on it."""

    def __init__(self, tree, clean: frozenset[str]) -> None:
        self.tree = tree
        stored = set()
        for node in tree.find_all((nodes.Assign, nodes.AssignBlock, nodes.For, nodes.With)):
            for target in getattr(node, "targets", None) or [node.target]:
                stored |= _names(target)
        for node in tree.find_all((nodes.Macro, nodes.CallBlock)):
            stored |= {a.name for a in node.args} | ({node.name} if isinstance(node, nodes.Macro) else set())
        loads = {n.name for n in tree.find_all(nodes.Name) if n.ctx == "load"}
        # a name nothing in the tags sets comes from the context (the row), unless it is the sandbox's own
        self.tainted = {n for n in loads if n not in stored and n not in _FREE and n not in clean}
        while True:
            before = len(self.tainted)
            self.lines, self.controlled = set(), set()
            self._walk(tree, False)
            if len(self.tainted) == before:
                break
        self.bad = {n.lineno for n in tree.find_all(nodes.Name) if n.ctx == "load" and n.name in self.tainted}

    def fixed(self, lineno: int | None) -> bool:
        """Whether line ``lineno`` (None: every line) reads nothing from the row, nor does any loop,
        condition or block around it; a line inside a block that collects output needs the whole block clean."""
        if lineno is None:
            return bool(self.lines) and not self.bad and not self.controlled
        if lineno not in self.lines or lineno in self.bad or lineno in self.controlled:
            return False
        for block in self.tree.find_all(_CAPTURES):
            inside = {n.lineno for n in block.find_all(nodes.Node)} | {block.lineno}
            if lineno in inside and (inside & self.bad or inside & self.controlled or _has_args(block)):
                return False
        return True

    def _reads(self, node) -> bool:
        if node is None:
            return False
        found = [node] if isinstance(node, nodes.Name) else node.find_all(nodes.Name)
        return any(n.ctx == "load" and n.name in self.tainted for n in found)

    def _taint(self, target) -> None:
        self.tainted |= _names(target)

    def _walk(self, node, ctl: bool) -> None:
        self.lines.add(node.lineno)
        if ctl:
            self.controlled.add(node.lineno)
        inner = ctl
        if isinstance(node, nodes.For):
            inner = ctl or self._reads(node.iter) or self._reads(node.test)
            if inner:
                self._taint(node.target)
        elif isinstance(node, nodes.If):
            inner = ctl or self._reads(node.test)
        elif isinstance(node, nodes.Assign):
            if ctl or self._reads(node.node):
                self._taint(node.target)
        elif isinstance(node, nodes.With):
            for target, value in zip(node.targets, node.values, strict=False):
                if ctl or self._reads(value):
                    self._taint(target)
        elif isinstance(node, _CAPTURES):
            inner = ctl or _has_args(node)
            if isinstance(node, nodes.CallBlock | nodes.FilterBlock):
                inner = inner or self._reads(node.call if isinstance(node, nodes.CallBlock) else node.filter)
            if inner or any(self._reads(child) for child in node.body):
                if isinstance(node, nodes.AssignBlock):
                    self._taint(node.target)
                elif isinstance(node, nodes.Macro):
                    self.tainted.add(node.name)
        for child in node.iter_child_nodes():
            self._walk(child, inner)


def _has_args(block) -> bool:
    return bool(getattr(block, "args", None))


__all__ = [
    "MISSING_DATA",
    "directive_names",
    "explain",
    "expression_fault",
    "failing_line",
    "is_fault",
    "part_fault",
    "source_fault",
    "where",
]
