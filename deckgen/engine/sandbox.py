"""The Jinja2 environment templates render in: sandboxed, strict, bounded.

Templates come from people deckgen doesn't control, so they render in
``ImmutableSandboxedEnvironment`` (no attribute access to internals, no
mutation of lists/dicts), with ``StrictUndefined`` (a typo is an error, not an
empty string) and limits on what an expression may produce: string and list
repetition, ``~`` and ``+``, ``%`` and ``str.format`` widths, the string
methods that pad or grow (``ljust``, ``replace``, ``join``…), big integers,
powers, ranges, every filter's input and output, namespace values, captured
blocks and macro output are capped, and the total output of a part is capped
while it renders. Text that is too big to keep is refused before it is built.
"""

from __future__ import annotations

import datetime as _dt
from functools import lru_cache

from jinja2 import StrictUndefined, Template, TemplateSyntaxError, nodes
from jinja2.compiler import CodeGenerator
from jinja2.parser import Parser
from jinja2.runtime import markup_join, str_join
from jinja2.sandbox import ImmutableSandboxedEnvironment, SandboxedFormatter, SecurityError
from jinja2.utils import Namespace
from markupsafe import EscapeFormatter, Markup

import deckgen.engine.filters as _filters
from deckgen.engine.filters import LocaleFilters
from deckgen.engine.limits import (
    FORMAT_WIDTH,
    MAX_FORMAT_WIDTH,
    MAX_INT_BITS,
    MAX_PART_CHARS,
    MAX_TAG_DEPTH,
    MAX_VALUE_CHARS,
    OutputLimitError,
    check_format_spec,
    check_size,
    size_of,
    too_big,
)

TOO_DEEP = (
    f"the tags nest too deeply (over {MAX_TAG_DEPTH} levels of brackets, filters, operators and blocks, "
    "or about 20 loops inside one another); split them up, e.g. with {% set %}"
)

_GROWING_METHODS = frozenset(
    {"ljust", "rjust", "center", "zfill", "expandtabs", "replace", "join", "translate", "to_bytes"}
)


class _BoundedFormatter(SandboxedFormatter):
    """``str.format`` in a template: widths capped, each value and the whole result bounded."""

    produced = 0

    def convert_field(self, value, conversion):
        check_size(value)  # !r and !s turn the value into text before format_field sees it
        return super().convert_field(value, conversion)

    def format_field(self, value, format_spec):
        check_format_spec(format_spec)
        check_size(value)
        text = super().format_field(value, format_spec)
        self.produced += len(text)
        too_big(self.produced)
        return text


class _BoundedEscapeFormatter(_BoundedFormatter, EscapeFormatter):
    """The same for ``Markup.format`` (values are escaped)."""


class _Namespace(Namespace):
    """``namespace()``: a value stored in it (``{% set ns.x = … %}``) is bounded like any other."""

    def __setitem__(self, name, value) -> None:
        check_size(value)
        super().__setitem__(name, value)


class _Buffer(list):
    """What a macro, ``{% set %}…{% endset %}``, ``{% filter %}`` or ``{% call %}`` block collects."""

    chars = 0

    def append(self, item) -> None:
        self.chars += len(item) if isinstance(item, str) else size_of(item)
        if self.chars > MAX_PART_CHARS:
            raise OutputLimitError(f"a block or macro would produce more than {MAX_PART_CHARS:,} characters")
        super().append(item)

    def extend(self, items) -> None:
        for item in items:
            self.append(item)


class _CodeGenerator(CodeGenerator):
    """Jinja's code generator with two changes: captured output goes into a bounded buffer, and
    ``a ~ b`` checks the size of its parts before it turns them into text."""

    def buffer(self, frame) -> None:
        frame.buffer = self.temporary_identifier()
        self.writeline(f"{frame.buffer} = environment.output_buffer()")

    def visit_Concat(self, node, frame) -> None:
        self.write("environment.concat_parts(context, (")
        for part in node.nodes:
            self.visit(part, frame)
            self.write(", ")
        self.write("))")


class DeckTemplate(Template):
    """A Jinja2 template that keeps the code object it was made from (``code``), so a compiled
    template can be stored whole between runs (:func:`deckgen.engine.compiled.freeze`)."""

    code = None

    @classmethod
    def from_code(cls, environment, code, globals, uptodate=None):
        template = super().from_code(environment, code, globals, uptodate)
        template.code = code
        return template


class DeckEnvironment(ImmutableSandboxedEnvironment):
    """Sandboxed environment with bounded operators, methods, filters and buffers."""

    code_generator_class = _CodeGenerator
    template_class = DeckTemplate
    intercepted_binops = frozenset({"*", "**", "+", "%"})

    def _parse(self, source, name, filename):
        # Jinja's parser, its code generator and Python's compiler all recurse once or more a level:
        # a deep tag would end in a RecursionError (a traceback), so depth is refused at parse time
        parser = Parser(self, source, name, filename)
        try:
            tree = parser.parse()
        except RecursionError:
            raise TemplateSyntaxError(TOO_DEEP, parser.stream.current.lineno, name, filename) from None
        depth, lineno = _nesting(tree)
        if depth > MAX_TAG_DEPTH:
            raise TemplateSyntaxError(TOO_DEEP, lineno, name, filename)
        return tree

    def compile(self, source, name=None, filename=None, raw=False, defer_init=False):
        try:
            return super().compile(source, name, filename, raw, defer_init)
        except (RecursionError, SyntaxError):  # Python's own limits (20 nested loops, 100 indents) under the depth
            lineno = _nesting(source)[1] if isinstance(source, nodes.Node) else 1
            raise TemplateSyntaxError(TOO_DEEP, lineno, name, filename) from None

    def call_binop(self, context, operator, left, right):
        if operator == "*":
            for seq, times in ((left, right), (right, left)):
                if isinstance(seq, (str, list, tuple)) and isinstance(times, int):
                    too_big(size_of(seq) * max(times, 0))
            if (
                isinstance(left, int)
                and isinstance(right, int)
                and left.bit_length() + right.bit_length() > MAX_INT_BITS
            ):
                raise OutputLimitError(f"a product of integers over {MAX_INT_BITS:,} bits is not allowed")
            return left * right
        if operator == "**":
            if isinstance(right, (int, float)) and abs(right) > 64:
                raise OutputLimitError("exponent too large (limit 64)")
            if isinstance(left, (int, float)) and abs(left) > 1e12:
                raise OutputLimitError("base too large for **")
            return left**right
        if operator == "+":
            if isinstance(left, (str, list, tuple)) and isinstance(right, (str, list, tuple)):
                too_big(size_of(left) + size_of(right))
            return left + right
        if operator == "%" and isinstance(left, str):
            if FORMAT_WIDTH.search(left):
                raise OutputLimitError(f"%-format widths over {MAX_FORMAT_WIDTH} are not allowed")
            too_big(len(left) + left.count("%") * size_of(right))
            return left % right
        return super().call_binop(context, operator, left, right)

    def call(__self, __context, __obj, *args, **kwargs):  # noqa: N805 - the sandbox's own signature
        result = super().call(__context, __obj, *args, **kwargs)
        check_size(result)
        return result

    def getattr(self, obj, attribute):
        # ``ctx.key`` on a plain dict, the most common look-up of a deck (~200 a deck): the sandbox would try
        # the attribute first and fall back to the item; a name no dict attribute has goes straight there
        if type(obj) is dict and type(attribute) is str and attribute not in _DICT_NAMES:
            try:
                value = obj[attribute]
            except KeyError:
                pass
            else:
                return _guard_method(value) if callable(value) else value
        return _guard_method(super().getattr(obj, attribute))

    def getitem(self, obj, argument):
        return _guard_method(super().getitem(obj, argument))

    def wrap_str_format(self, value):
        if super().wrap_str_format(value) is None:
            return None
        owner = value.__self__
        as_map = value.__name__ == "format_map"

        def bounded_format(*args, **kwargs):
            formatter = (
                _BoundedEscapeFormatter(self, escape=owner.escape)
                if isinstance(owner, Markup)
                else _BoundedFormatter(self)
            )
            if as_map:
                if kwargs or len(args) != 1:
                    raise TypeError("format_map() takes exactly one argument")
                args, kwargs = (), args[0]
            return type(owner)(formatter.vformat(owner, args, kwargs))

        return bounded_format

    @staticmethod
    def output_buffer() -> _Buffer:
        return _Buffer()

    @staticmethod
    def concat_parts(context, parts: tuple) -> str:
        too_big(sum(size_of(part) for part in parts))
        return markup_join(parts) if context.eval_ctx.autoescape else str_join(parts)


def _nesting(tree: nodes.Node) -> tuple[int, int]:
    """(depth, template line) of the most deeply nested node of a parsed template, walked without recursion."""
    deepest, line, stack = 0, 1, [(tree, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > deepest:
            deepest, line = depth, getattr(node, "lineno", None) or line
        stack.extend((child, depth + 1) for child in node.iter_child_nodes())
    return deepest, line


def _arg(args: tuple, kwargs: dict, index: int, name: str, default=None):
    return args[index] if len(args) > index else kwargs.get(name, default)


_DICT_NAMES = frozenset(dir(dict))


def _guard_method(value):
    """Wrap the string (and int) methods that can grow their result so the size is checked first."""
    owner = getattr(value, "__self__", None)
    name = getattr(value, "__name__", "")
    if name not in _GROWING_METHODS or not isinstance(owner, (str, bytes, int)):
        return value

    def guarded(*args, **kwargs):
        if name == "join":
            parts, total = [], 0
            for part in _arg(args, kwargs, 0, "iterable", ()):
                total += size_of(part) + len(owner)
                too_big(total)
                parts.append(part)
            return owner.join(parts)
        if name in ("ljust", "rjust", "center", "zfill", "to_bytes"):
            width = _arg(args, kwargs, 0, "length" if name == "to_bytes" else "width", 0)
            if isinstance(width, int):
                too_big(width)
        elif name == "expandtabs":
            size = _arg(args, kwargs, 0, "tabsize", 8)
            if isinstance(size, int):
                too_big(len(owner) + owner.count("\t" if isinstance(owner, str) else b"\t") * max(size, 0))
        elif name == "replace":
            old, new, count = (
                _arg(args, kwargs, 0, "old", ""),
                _arg(args, kwargs, 1, "new", ""),
                _arg(args, kwargs, 2, "count", -1),
            )
            if isinstance(old, type(owner)) and isinstance(new, type(owner)) and isinstance(count, int):
                hits = owner.count(old) if old else len(owner) + 1
                if count >= 0:
                    hits = min(hits, count)
                too_big(len(owner) + hits * len(new))
        elif name == "translate":
            table = _arg(args, kwargs, 0, "table")
            if isinstance(table, dict):
                longest = max((len(v) for v in table.values() if isinstance(v, (str, bytes))), default=1)
                too_big(len(owner) * max(longest, 1))
        return value(*args, **kwargs)

    return guarded


def make_environment(locale_filters: LocaleFilters | None = None) -> DeckEnvironment:
    """Return a fresh environment with deckgen's filters and limits.

    ``locale_filters(locale, currency)`` returns the ``money``, ``number``, ``percent`` and ``date``
    filters for a context's locale; without it those filters refuse to run.
    """
    formatters = lru_cache(maxsize=64)(locale_filters or _filters.no_locale_filters)
    env = DeckEnvironment(
        autoescape=True,
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        auto_reload=False,
        cache_size=0,
        finalize=_filters.finalize,
    )
    env.run_props: list[str] = []  # serialised a:rPr of runs holding expressions, for _br
    env.globals = {"range": _filters.safe_range, "namespace": _Namespace}
    own = {
        "_br": _filters.br_filter(env),
        **{name: _filters.locale_filter(name, formatters) for name in _filters.LOCALE_FILTERS},
    }
    env.filters.update({**_filters.BOUNDED_FILTERS, **own})
    # deckgen's own formatting filters produce short text from numbers and bound themselves; the
    # per-call size checks would be most of the cost of rendering a deck for nothing
    env.filters = {name: f if name in own else _filters.bounded_filter(f) for name, f in env.filters.items()}
    env.tests["date"] = lambda v: isinstance(v, (_dt.date, _dt.datetime))
    return env


__all__ = [
    "DeckEnvironment",
    "DeckTemplate",
    "OutputLimitError",
    "SecurityError",
    "make_environment",
    "MAX_PART_CHARS",
    "MAX_VALUE_CHARS",
    "FORMAT_WIDTH",
    "MAX_FORMAT_WIDTH",
    "MAX_INT_BITS",
]
