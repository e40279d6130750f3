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
import functools
import re
from functools import lru_cache

from jinja2 import StrictUndefined, pass_context, pass_environment, pass_eval_context
from jinja2.compiler import CodeGenerator
from jinja2.filters import (do_center, do_indent, do_replace, do_tojson, do_urlize, do_wordwrap, make_attrgetter,
                            sync_do_join, sync_do_map, sync_do_sum)
from jinja2.runtime import markup_join, str_join
from jinja2.sandbox import ImmutableSandboxedEnvironment, SandboxedFormatter, SecurityError
from jinja2.utils import Namespace
from markupsafe import EscapeFormatter, Markup

from deckgen.errors import RenderError

MAX_VALUE_CHARS = 1_000_000  # one expression's result
MAX_PART_CHARS = 8_000_000  # one rendered part
MAX_RANGE = 10_000
MAX_INT_BITS = 4_096  # an integer product larger than this (about 1,200 digits) is refused
MAX_FORMAT_WIDTH = 999
# a %-format width or precision of 1000 or more, or one taken from the arguments (*)
_FORMAT_WIDTH = re.compile(r"%(?:\([^)]*\))?[-+ #0]*(?:\d{4,}|\*|\d*\.(?:\d{4,}|\*))")
_GROWING_METHODS = frozenset({"ljust", "rjust", "center", "zfill", "expandtabs", "replace", "join", "translate",
                              "to_bytes"})


class OutputLimitError(RenderError):
    """A template tried to produce more text than deckgen allows."""


def _too_big(n: int) -> None:
    if n > MAX_VALUE_CHARS:
        raise OutputLimitError(f"an expression would produce {n:,} characters; the limit is {MAX_VALUE_CHARS:,}")


_CONTAINERS = (list, tuple, dict, set, frozenset)


def _size(value, limit: int = MAX_VALUE_CHARS) -> int:
    """Roughly how many characters ``value`` prints as: its length for text, one per item plus the
    items' own sizes for lists, tuples, sets and dicts (through any nesting, an item shared twice
    counted twice, because it prints twice). Counting stops a little past ``limit``."""
    if isinstance(value, (str, bytes)):
        return len(value)
    if not isinstance(value, _CONTAINERS):
        return 1
    total, stack = 0, [value]
    while stack and total <= limit:
        item = stack.pop()
        if isinstance(item, (str, bytes)):
            total += len(item)
        elif isinstance(item, dict):
            total += len(item)
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, _CONTAINERS):
            total += len(item)
            stack.extend(item)
        else:
            total += 1
    return total


def _check_size(value) -> None:
    if isinstance(value, _CONTAINERS) or (isinstance(value, (str, bytes)) and len(value) > MAX_VALUE_CHARS):
        _too_big(_size(value))


def _check_format_spec(spec: str) -> None:
    if any(int(n) > MAX_FORMAT_WIDTH for n in re.findall(r"\d+", spec)):
        raise OutputLimitError(f"format widths over {MAX_FORMAT_WIDTH} are not allowed")


class _BoundedFormatter(SandboxedFormatter):
    """``str.format`` in a template: widths capped, each value and the whole result bounded."""

    produced = 0

    def convert_field(self, value, conversion):
        _check_size(value)  # !r and !s turn the value into text before format_field sees it
        return super().convert_field(value, conversion)

    def format_field(self, value, format_spec):
        _check_format_spec(format_spec)
        _check_size(value)
        text = super().format_field(value, format_spec)
        self.produced += len(text)
        _too_big(self.produced)
        return text


class _BoundedEscapeFormatter(_BoundedFormatter, EscapeFormatter):
    """The same for ``Markup.format`` (values are escaped)."""


class _Namespace(Namespace):
    """``namespace()``: a value stored in it (``{% set ns.x = … %}``) is bounded like any other."""

    def __setitem__(self, name, value) -> None:
        _check_size(value)
        super().__setitem__(name, value)


class _Buffer(list):
    """What a macro, ``{% set %}…{% endset %}``, ``{% filter %}`` or ``{% call %}`` block collects."""

    chars = 0

    def append(self, item) -> None:
        self.chars += len(item) if isinstance(item, str) else _size(item)
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


class DeckEnvironment(ImmutableSandboxedEnvironment):
    """Sandboxed environment with bounded operators, methods, filters and buffers."""

    code_generator_class = _CodeGenerator
    intercepted_binops = frozenset({"*", "**", "+", "%"})

    def call_binop(self, context, operator, left, right):
        if operator == "*":
            for seq, times in ((left, right), (right, left)):
                if isinstance(seq, (str, list, tuple)) and isinstance(times, int):
                    _too_big(_size(seq) * max(times, 0))
            if (isinstance(left, int) and isinstance(right, int)
                    and left.bit_length() + right.bit_length() > MAX_INT_BITS):
                raise OutputLimitError(f"a product of integers over {MAX_INT_BITS:,} bits is not allowed")
            return left * right
        if operator == "**":
            if isinstance(right, (int, float)) and abs(right) > 64:
                raise OutputLimitError("exponent too large (limit 64)")
            if isinstance(left, (int, float)) and abs(left) > 1e12:
                raise OutputLimitError("base too large for **")
            return left ** right
        if operator == "+":
            if isinstance(left, (str, list, tuple)) and isinstance(right, (str, list, tuple)):
                _too_big(_size(left) + _size(right))
            return left + right
        if operator == "%" and isinstance(left, str):
            if _FORMAT_WIDTH.search(left):
                raise OutputLimitError(f"%-format widths over {MAX_FORMAT_WIDTH} are not allowed")
            _too_big(len(left) + left.count("%") * _size(right))
            return left % right
        return super().call_binop(context, operator, left, right)

    def call(__self, __context, __obj, *args, **kwargs):  # noqa: N805 - the sandbox's own signature
        result = super().call(__context, __obj, *args, **kwargs)
        _check_size(result)
        return result

    def getattr(self, obj, attribute):
        return _guard_method(super().getattr(obj, attribute))

    def getitem(self, obj, argument):
        return _guard_method(super().getitem(obj, argument))

    def wrap_str_format(self, value):
        if super().wrap_str_format(value) is None:
            return None
        owner = value.__self__
        as_map = value.__name__ == "format_map"

        def bounded_format(*args, **kwargs):
            formatter = (_BoundedEscapeFormatter(self, escape=owner.escape) if isinstance(owner, Markup)
                         else _BoundedFormatter(self))
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
        _too_big(sum(_size(part) for part in parts))
        return markup_join(parts) if context.eval_ctx.autoescape else str_join(parts)


def _arg(args: tuple, kwargs: dict, index: int, name: str, default=None):
    return args[index] if len(args) > index else kwargs.get(name, default)


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
                total += _size(part) + len(owner)
                _too_big(total)
                parts.append(part)
            return owner.join(parts)
        if name in ("ljust", "rjust", "center", "zfill", "to_bytes"):
            width = _arg(args, kwargs, 0, "length" if name == "to_bytes" else "width", 0)
            if isinstance(width, int):
                _too_big(width)
        elif name == "expandtabs":
            size = _arg(args, kwargs, 0, "tabsize", 8)
            if isinstance(size, int):
                _too_big(len(owner) + owner.count("\t" if isinstance(owner, str) else b"\t") * max(size, 0))
        elif name == "replace":
            old, new, count = _arg(args, kwargs, 0, "old", ""), _arg(args, kwargs, 1, "new", ""), \
                _arg(args, kwargs, 2, "count", -1)
            if isinstance(old, type(owner)) and isinstance(new, type(owner)) and isinstance(count, int):
                hits = owner.count(old) if old else len(owner) + 1
                if count >= 0:
                    hits = min(hits, count)
                _too_big(len(owner) + hits * len(new))
        elif name == "translate":
            table = _arg(args, kwargs, 0, "table")
            if isinstance(table, dict):
                longest = max((len(v) for v in table.values() if isinstance(v, (str, bytes))), default=1)
                _too_big(len(owner) * max(longest, 1))
        return value(*args, **kwargs)

    return guarded


def _safe_range(*args):
    r = range(*args)
    if len(r) > MAX_RANGE:
        raise OutputLimitError(f"range() of {len(r):,} items; the limit is {MAX_RANGE:,}")
    return r


def _center(value, width=80):
    if width > 2_000:
        raise OutputLimitError("center() width over 2000")
    return do_center(value, width)


def _indent(value, width=4, first=False, blank=False):
    if isinstance(width, int) and width > 200:
        raise OutputLimitError("indent() width over 200")
    text = str(value)
    _too_big(len(text) + text.count("\n") * (width if isinstance(width, int) else len(str(width))))
    return do_indent(value, width, first, blank)


def _format(value, *args, **kwargs):
    text = str(value)
    if _FORMAT_WIDTH.search(text):
        raise OutputLimitError("format() widths over 999 are not allowed")
    if args and kwargs:
        raise RenderError("format() takes positional or keyword arguments, not both")
    _too_big(len(text) + text.count("%") * sum(_size(v) for v in (kwargs.values() if kwargs else args)))
    return text % (kwargs or args)


@pass_environment
def _wordwrap(env, s, width=79, break_long_words=True, wrapstring=None, break_on_hyphens=True):
    text = str(s)
    joint = len(wrapstring) if isinstance(wrapstring, str) else len(env.newline_sequence)
    lines = len(text) // max(width, 1) + text.count("\n") + 1 if isinstance(width, int) else len(text) + 1
    _too_big(len(text) + lines * joint)
    return do_wordwrap(env, s, width, break_long_words, wrapstring, break_on_hyphens)


@pass_eval_context
def _urlize(eval_ctx, value, trim_url_limit=None, nofollow=False, target=None, rel=None, extra_schemes=None):
    if len(str(target or "")) > 100 or len(str(rel or "")) > 100:
        raise OutputLimitError("urlize() target and rel are limited to 100 characters")
    return do_urlize(eval_ctx, value, trim_url_limit, nofollow, target, rel, extra_schemes)


@pass_eval_context
def _tojson(eval_ctx, value, indent=None):
    if indent is not None and len(indent if isinstance(indent, str) else " " * max(int(indent), 0)) > 8:
        raise OutputLimitError("tojson() indent is limited to 8")
    return do_tojson(eval_ctx, value, indent)


@pass_context
def _replace(ctx, value, old, new, count=None):
    text, o, n = str(value), str(old), str(new)
    hits = text.count(o) if o else len(text) + 1
    if count is not None:
        hits = min(hits, count)
    _too_big(len(text) + hits * len(n))
    return do_replace(ctx.eval_ctx, value, old, new, count)


def _bounded_filter(func):
    """Any filter: its inputs and its result are size-checked (a filter turns its input into text)."""

    @functools.wraps(func)
    def checked(*args, **kwargs):
        for value in args:
            _check_size(value)
        if kwargs:
            for value in kwargs.values():
                _check_size(value)
        result = func(*args, **kwargs)
        _check_size(result)
        return result

    return checked


@pass_eval_context
def _join(eval_ctx, value, d="", attribute=None):
    parts, total = [], 0
    for item in value:
        total += _size(item) + len(str(d))
        _too_big(total)
        parts.append(item)
    return sync_do_join(eval_ctx, parts, d, attribute)


@pass_context
def _map(ctx, value, *args, **kwargs):
    total = 0
    for item in sync_do_map(ctx, value, *args, **kwargs):
        total += _size(item)
        _too_big(total)
        yield item


@pass_environment
def _sum(env, iterable, attribute=None, start=0):
    if not isinstance(start, (list, tuple)):
        return sync_do_sum(env, iterable, attribute, start)
    items = list(start)  # joined in one pass: sum() would copy the growing list once per item
    getter = make_attrgetter(env, attribute) if attribute is not None else None
    total = _size(items)
    for item in iterable:
        item = getter(item) if getter else item
        total += _size(item)
        _too_big(total)
        items.extend(item)
    return type(start)(items)


def _locale_filter(name: str):
    @pass_context
    def apply(ctx, value, *args, **kwargs):
        return _formatters(ctx.get("locale") or "en-US", ctx.get("currency") or "USD")[name](value, *args, **kwargs)

    apply.__name__ = name
    return apply


@lru_cache(maxsize=64)
def _formatters(locale: str, currency: str) -> dict:
    from deckgen.sales.locales import make_filters

    return make_filters(locale, currency)


def _br_factory(env: "DeckEnvironment"):
    """Filter turning line breaks in a value into DrawingML line breaks with the run's formatting."""

    def br(value, rpr_id: int):
        _check_size(value)
        text = Markup.escape(value)
        if "\n" not in text:
            return text
        rpr = env.run_props[rpr_id]
        joint = Markup(f"</a:t></a:r><a:br>{rpr}</a:br><a:r>{rpr}<a:t>")
        _too_big(len(text) + text.count("\n") * len(joint))
        return joint.join(text.split("\n"))

    return br


def _finalize(value):
    """Every ``{{ … }}`` value: checked before it is turned into text."""
    if not isinstance(value, str):
        _check_size(value)
    return value


def make_environment() -> DeckEnvironment:
    """Return a fresh environment with deckgen's filters and limits."""
    env = DeckEnvironment(autoescape=True, undefined=StrictUndefined, keep_trailing_newline=True,
                          auto_reload=False, cache_size=0, finalize=_finalize)
    env.run_props: list[str] = []  # serialised a:rPr of runs holding expressions, for _br
    env.globals = {"range": _safe_range, "lipsum": None, "cycler": None, "joiner": None, "namespace": None}
    env.globals.pop("lipsum")
    env.globals.pop("cycler")
    env.globals.pop("joiner")
    env.globals["namespace"] = _Namespace
    env.filters.update({
        "center": _center,
        "indent": _indent,
        "format": _format,
        "replace": _replace,
        "money": _locale_filter("money"),
        "number": _locale_filter("number"),
        "percent": _locale_filter("percent"),
        "date": _locale_filter("date"),
        "_br": _br_factory(env),
        "join": _join,
        "map": _map,
        "sum": _sum,
        "wordwrap": _wordwrap,
        "urlize": _urlize,
        "tojson": _tojson,
    })
    # deckgen's own formatting filters produce short text from numbers and bound themselves; the
    # per-call size checks would be most of the cost of rendering a deck for nothing
    own = {"_br", "money", "number", "percent", "date"}
    env.filters = {name: f if name in own else _bounded_filter(f) for name, f in env.filters.items()}
    env.tests["date"] = lambda v: isinstance(v, (_dt.date, _dt.datetime))
    return env


__all__ = ["DeckEnvironment", "OutputLimitError", "SecurityError", "make_environment", "MAX_PART_CHARS"]
