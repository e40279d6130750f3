"""The filters and globals a template may use, each bounded in what it produces.

Jinja2's own filters that can grow their output (``center``, ``indent``, ``format``, ``wordwrap``,
``replace``, ``join``, ``map``, ``sum``, ``batch``, ``slice``…) are replaced by versions that check
the size first; every other filter has its inputs and result size-checked. The locale filters
(``money``, ``number``, ``percent``, ``date``) come from the caller, who knows the locales.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

from jinja2 import pass_context, pass_environment, pass_eval_context
from jinja2.filters import (
    do_batch,
    do_center,
    do_indent,
    do_replace,
    do_round,
    do_tojson,
    do_wordwrap,
    make_attrgetter,
    sync_do_join,
    sync_do_map,
    sync_do_slice,
    sync_do_sum,
)
from markupsafe import Markup

from deckgen.engine.limits import FORMAT_WIDTH, MAX_RANGE, OutputLimitError, check_size, size_of, too_big
from deckgen.errors import RenderError

LOCALE_FILTERS = ("money", "number", "percent", "date")
LocaleFilters = Callable[[str, str], dict]  # (locale, currency) -> {"money": …, "number": …, …}


def safe_range(*args):
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
    too_big(len(text) + text.count("\n") * (width if isinstance(width, int) else len(str(width))))
    return do_indent(value, width, first, blank)


def _format(value, *args, **kwargs):
    text = str(value)
    if FORMAT_WIDTH.search(text):
        raise OutputLimitError("format() widths over 999 are not allowed")
    if args and kwargs:
        raise RenderError("format() takes positional or keyword arguments, not both")
    too_big(len(text) + text.count("%") * sum(size_of(v) for v in (kwargs.values() if kwargs else args)))
    return text % (kwargs or args)


@pass_environment
def _wordwrap(env, s, width=79, break_long_words=True, wrapstring=None, break_on_hyphens=True):
    text = str(s)
    joint = len(wrapstring) if isinstance(wrapstring, str) else len(env.newline_sequence)
    lines = len(text) // max(width, 1) + text.count("\n") + 1 if isinstance(width, int) else len(text) + 1
    too_big(len(text) + lines * joint)
    return do_wordwrap(env, s, width, break_long_words, wrapstring, break_on_hyphens)


def _urlize(value, trim_url_limit=None, nofollow=False, target=None, rel=None, extra_schemes=None):
    # Jinja's urlize writes HTML (<a href="…">) into the text, which in a slide is XML PowerPoint must
    # repair: the text stays plain (a link on a slide is a hyperlink on its shape, Insert › Link)
    if len(str(target or "")) > 100 or len(str(rel or "")) > 100:
        raise OutputLimitError("urlize() target and rel are limited to 100 characters")
    return value if isinstance(value, str) else str(value)


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
    too_big(len(text) + hits * len(n))
    return do_replace(ctx.eval_ctx, value, old, new, count)


def bounded_filter(func):
    """Any filter: its inputs and its result are size-checked (a filter turns its input into text)."""

    @functools.wraps(func)
    def checked(*args, **kwargs):
        for value in args:
            check_size(value)
        if kwargs:
            for value in kwargs.values():
                check_size(value)
        try:
            result = func(*args, **kwargs)
        except AssertionError as exc:  # Jinja's own argument checks (truncate's length) are asserts
            raise ValueError(str(exc)) from None
        check_size(result)
        return result

    return checked


@pass_eval_context
def _join(eval_ctx, value, d="", attribute=None):
    parts, total = [], 0
    for item in value:
        total += size_of(item) + len(str(d))
        too_big(total)
        parts.append(item)
    return sync_do_join(eval_ctx, parts, d, attribute)


@pass_context
def _map(ctx, value, *args, **kwargs):
    total = 0
    for item in sync_do_map(ctx, value, *args, **kwargs):
        total += size_of(item)
        too_big(total)
        yield item


@pass_environment
def _sum(env, iterable, attribute=None, start=0):
    if not isinstance(start, (list, tuple)):
        return sync_do_sum(env, iterable, attribute, start)
    items = list(start)  # joined in one pass: sum() would copy the growing list once per item
    getter = make_attrgetter(env, attribute) if attribute is not None else None
    total = size_of(items)
    for item in iterable:
        item = getter(item) if getter else item
        total += size_of(item)
        too_big(total)
        items.extend(item)
    return type(start)(items)


def _batch(value, linecount, fill_with=None):
    if fill_with is not None and isinstance(linecount, int):
        too_big(linecount)  # the last batch is filled up to linecount items
    return do_batch(value, linecount, fill_with)


def _round(value, precision=0, method="common"):
    if isinstance(precision, int) and abs(precision) > 100:  # round(5, -10**9) builds 10**(10**9) first
        raise OutputLimitError("round() precision beyond 100 digits")
    return do_round(value, precision, method)


def _slice(value, slices, fill_with=None):
    if isinstance(slices, int):
        too_big(slices)  # one list a slice, however few items there are
    return sync_do_slice(value, slices, fill_with)


def _safe(value):
    # a slide's text is XML: text marked safe would be spliced into the part as markup (a CRM value
    # closing the run and adding shapes or links), so |safe changes nothing and the value is escaped
    # where it lands like any other; what a macro or a {% set %} block made is escaped already
    return value


# Jinja2's filters that can grow their output or trust their input, replaced by bounded versions
BOUNDED_FILTERS = {
    "safe": _safe,
    "batch": _batch,
    "round": _round,
    "slice": _slice,
    "center": _center,
    "indent": _indent,
    "format": _format,
    "replace": _replace,
    "join": _join,
    "map": _map,
    "sum": _sum,
    "wordwrap": _wordwrap,
    "urlize": _urlize,
    "tojson": _tojson,
}


def locale_filter(name: str, formatters: LocaleFilters):
    """The filter ``name`` of the context's locale and currency, from ``formatters(locale, currency)``."""

    @pass_context
    def apply(ctx, value, *args, **kwargs):
        return formatters(ctx.get("locale") or "en-US", ctx.get("currency") or "USD")[name](value, *args, **kwargs)

    apply.__name__ = name
    return apply


def no_locale_filters(locale: str, currency: str) -> dict:
    """Stand-in when the caller gave no locale filters: using one is an error naming it."""

    def missing(name: str):
        def refuse(value, *args, **kwargs):
            raise RenderError(f"the {name} filter needs locale filters, and none were given to compile()")

        return refuse

    return {name: missing(name) for name in LOCALE_FILTERS}


def br_filter(env):
    """Filter turning line breaks in a value into DrawingML line breaks with the run's formatting."""

    # what br made of each short text and whole number (~85% of a batch's recur: profile copy, prices);
    # exact types only (a bool is an int, 1.0 == 1), and run_props only grows, so a text stays right
    made: dict[tuple, Markup] = {}

    def br(value, rpr_id: int):
        kind = type(value)
        keep = kind is int or (kind is str and len(value) <= _MADE_CHARS)
        if keep:
            key = (value, rpr_id)
            found = made.get(key)
            if found is not None:
                return found
        check_size(value)
        text = Markup.escape(value)
        if "\n" in text:
            rpr = env.run_props[rpr_id]
            joint = Markup(f"</a:t></a:r><a:br>{rpr}</a:br><a:r>{rpr}<a:t>")
            too_big(len(text) + text.count("\n") * len(joint))
            text = joint.join(text.split("\n"))
        if keep:
            if len(made) >= _MADE_LIMIT:
                made.clear()
            made[key] = text
        return text

    return br


_MADE_LIMIT = 4096  # br texts an environment remembers (then it starts again) ...
_MADE_CHARS = 2000  # ... each made from at most this many characters


def finalize(value):
    """Every ``{{ … }}`` value: checked before it is turned into text."""
    if not isinstance(value, str):
        check_size(value)
    return value
