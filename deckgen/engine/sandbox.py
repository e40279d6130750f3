"""The Jinja2 environment templates render in: sandboxed, strict, bounded.

Templates come from people deckgen doesn't control, so they render in
``ImmutableSandboxedEnvironment`` (no attribute access to internals, no
mutation of lists/dicts), with ``StrictUndefined`` (a typo is an error, not an
empty string) and limits on what an expression may produce: string and list
repetition, powers, ranges and padding filters are capped, and the total
output of a part is capped while it renders.
"""

from __future__ import annotations

import datetime as _dt
import re
from functools import lru_cache

from jinja2 import StrictUndefined, pass_context
from jinja2.filters import do_center, do_indent, do_replace
from jinja2.sandbox import ImmutableSandboxedEnvironment, SecurityError
from markupsafe import Markup

from deckgen.errors import RenderError

MAX_VALUE_CHARS = 1_000_000  # one expression's result
MAX_PART_CHARS = 8_000_000  # one rendered part
MAX_RANGE = 10_000
_FORMAT_WIDTH = re.compile(r"%[-+ #0]*(\d{4,}|\*)")


class OutputLimitError(RenderError):
    """A template tried to produce more text than deckgen allows."""


def _too_big(n: int) -> None:
    if n > MAX_VALUE_CHARS:
        raise OutputLimitError(f"an expression would produce {n:,} characters; the limit is {MAX_VALUE_CHARS:,}")


class DeckEnvironment(ImmutableSandboxedEnvironment):
    """Sandboxed environment with bounded operators."""

    intercepted_binops = frozenset({"*", "**", "+"})

    def call_binop(self, context, operator, left, right):
        if operator == "*":
            for seq, times in ((left, right), (right, left)):
                if isinstance(seq, (str, list, tuple)) and isinstance(times, int):
                    _too_big(len(seq) * max(times, 0))
            return left * right
        if operator == "**":
            if isinstance(right, (int, float)) and abs(right) > 64:
                raise OutputLimitError("exponent too large (limit 64)")
            if isinstance(left, (int, float)) and abs(left) > 1e12:
                raise OutputLimitError("base too large for **")
            return left ** right
        if operator == "+":
            if isinstance(left, (str, list, tuple)) and isinstance(right, (str, list, tuple)):
                _too_big(len(left) + len(right))
            return left + right
        return super().call_binop(context, operator, left, right)


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
    if _FORMAT_WIDTH.search(str(value)):
        raise OutputLimitError("format() widths over 999 are not allowed")
    if args and kwargs:
        raise RenderError("format() takes positional or keyword arguments, not both")
    return str(value) % (kwargs or args)


@pass_context
def _replace(ctx, value, old, new, count=None):
    text, o, n = str(value), str(old), str(new)
    hits = text.count(o) if o else len(text) + 1
    if count is not None:
        hits = min(hits, count)
    _too_big(len(text) + hits * len(n))
    return do_replace(ctx.eval_ctx, value, old, new, count)


def _locale_filter(name: str):
    @pass_context
    def apply(ctx, value, *args, **kwargs):
        return _formatters(ctx.get("locale") or "en-US", ctx.get("currency") or "USD")[name](value, *args, **kwargs)

    apply.__name__ = name
    return apply


@lru_cache(maxsize=64)
def _formatters(locale: str, currency: str) -> dict:
    from deckgen.locales import make_filters

    return make_filters(locale, currency)


def _br_factory(env: "DeckEnvironment"):
    """Filter turning line breaks in a value into DrawingML line breaks with the run's formatting."""

    def br(value, rpr_id: int):
        text = Markup.escape(value)
        if "\n" not in text:
            return text
        rpr = env.run_props[rpr_id]
        joint = Markup(f"</a:t></a:r><a:br>{rpr}</a:br><a:r>{rpr}<a:t>")
        return joint.join(text.split("\n"))

    return br


def make_environment() -> DeckEnvironment:
    """Return a fresh environment with deckgen's filters and limits."""
    env = DeckEnvironment(autoescape=True, undefined=StrictUndefined, keep_trailing_newline=True,
                          auto_reload=False, cache_size=0)
    env.run_props: list[str] = []  # serialised a:rPr of runs holding expressions, for _br
    env.globals = {"range": _safe_range, "lipsum": None, "cycler": None, "joiner": None, "namespace": None}
    env.globals.pop("lipsum")
    env.globals.pop("cycler")
    env.globals.pop("joiner")
    from jinja2.utils import Namespace

    env.globals["namespace"] = Namespace
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
    })
    env.tests["date"] = lambda v: isinstance(v, (_dt.date, _dt.datetime))
    return env


__all__ = ["DeckEnvironment", "OutputLimitError", "SecurityError", "make_environment", "MAX_PART_CHARS"]
