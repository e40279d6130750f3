"""The cost model's assumptions as sentences in the deck's locale, and the one-line basis of the headline.

Pure: the filters (:func:`deckgen.sales.locales.make_filters`) do the formatting.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import lru_cache

from deckgen.sales.cost_estimate import Assumption
from deckgen.sales.locales import make_filters

SOURCE_TEXT = {
    "prospect": "from your numbers",
    "default": "industry default",
    "region": "regional default",
    "profile_region": "our regional figure",
    "profile": "from our price list",
    "claim": "our experience",
}


def format_value(item: Assumption, filters: Mapping[str, Callable]) -> str:
    """One assumption's value as text: money, a percentage, hours or a number."""
    value, unit = item.value, item.unit
    if unit == "money":
        whole = float(value).is_integer()
        return filters["money"](value, digits=0 if whole else 2)
    if unit == "percent":
        return filters["percent"](value, digits=0 if float(value * 100).is_integer() else 1)
    digits = 0 if float(value).is_integer() else (1 if float(value * 10).is_integer() else 2)
    text = filters["number"](value, digits=digits)
    if unit == "hours":
        return f"{text} hour" if value == 1 else f"{text} hours"
    return text


def assumption_texts(items: list[Assumption] | list[Mapping], filters: Mapping[str, Callable]) -> list[str]:
    """Return the assumption items as sentences, e.g. "Hourly wage £24 — from your numbers".

    ``items`` are :class:`Assumption` objects or their ``to_context()`` dicts; ``filters`` is the
    dict from :func:`deckgen.sales.locales.make_filters` (``money``, ``number``, ``percent``) so
    amounts follow the deck's locale and currency. A basis, when there is one, follows after "; basis:".
    """
    out = []
    for raw in items:
        item = raw if isinstance(raw, Assumption) else Assumption(**raw)
        source = SOURCE_TEXT.get(item.source, item.source)
        if item.value is None:
            out.append(f"{item.label} {item.note or 'not known'}".rstrip() + ".")
            continue
        text = f"{item.label} {format_value(item, filters)} — {source}"
        if item.note:
            text += f" ({item.note})"
        if item.basis:
            text += f"; basis: {item.basis}"
        out.append(text)
    return out


def basis_line(items: list[Assumption], filters: Mapping[str, Callable], baseline_label: str) -> str:
    """The one line under the headline figure: what today's cost and the downtime model start from."""
    by_key = {i.key: i for i in items}
    parts = []
    spend = by_key.get("it_spend_per_month")
    if spend is not None and spend.value is not None and spend.source == "prospect":
        parts.append(f"your IT spend of {format_value(spend, filters)} a month")
    elif spend is not None and spend.value is not None:
        parts.append(f"an estimated IT spend of {format_value(spend, filters)} a month ({baseline_label})")
    inc, hrs = by_key.get("incidents_per_month"), by_key.get("hours_per_incident")
    if inc is not None and hrs is not None:
        # "your" only for their own figures: a default is marked as typical, never passed off as theirs
        mine = inc.source == "prospect"
        parts.append(
            f"{'your ' if mine else ''}{format_value(inc, filters)} incidents a month{'' if mine else ' (typical)'}"
            f" of {format_value(hrs, filters)}{'' if hrs.source == 'prospect' else ' (typical)'}"
        )
    red = by_key.get("managed_downtime_reduction")
    if red is not None:
        parts.append(f"{format_value(red, filters)} less downtime with our service")
    return ("Based on " + ", ".join(parts) + ".") if parts else ""


def _remembering(format_value: Callable, limit: int = 512) -> Callable:
    """``format_value`` remembering what it returned for each value and options (it is pure)."""
    seen: dict = {}

    def formatted(value, **options):
        try:
            key = (type(value), value, repr(value), *sorted(options.items()))  # repr: -0.0 == 0.0
            text = seen.get(key)
        except TypeError:  # an unhashable value: nothing to remember it by
            return format_value(value, **options)
        if text is None:
            if len(seen) >= limit:
                seen.clear()
            text = seen[key] = format_value(value, **options)
        return text

    return formatted


@lru_cache(maxsize=32)
def sentence_filters(locale: str, currency: str) -> dict[str, Callable]:
    """The filters the assumption sentences are written with; the same figures recur deck after deck."""
    return {name: _remembering(fn) for name, fn in make_filters(locale, currency).items()}


@lru_cache(maxsize=32)
def sentence_writer(locale: str, currency: str) -> Callable[[list[Assumption]], list[str]]:
    """:func:`assumption_texts` with :func:`sentence_filters`, each distinct assumption written once."""
    filters, seen = sentence_filters(locale, currency), {}

    def write(items: list[Assumption]) -> list[str]:
        out = []
        for item in items:  # the value's type and repr too: 1 == 1.0 == True, and -0.0 == 0.0
            key = (item, type(item.value), repr(item.value))
            text = seen.get(key)
            if text is None:
                if len(seen) >= 1024:
                    seen.clear()
                text = seen[key] = assumption_texts([item], filters)[0]
            out.append(text)
        return out

    return write


__all__ = ["SOURCE_TEXT", "assumption_texts", "basis_line", "format_value", "sentence_filters", "sentence_writer"]
