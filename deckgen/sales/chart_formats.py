"""The number format of a chart's amount labels, in the deck's money style. Pure.

A template serves every currency, so its own label format cannot carry the sign: deckgen gives every
cost chart a format code made from the deck's ``money`` filter ("$198,915", "£4,487", "198.915 €"),
compact from :data:`COMPACT_FROM` ("HK$1.2M", "HK$845K", "1,2M €"), or once a whole label would be too
long for its bar, because long labels crowd a column.

A format code's "," and "." are placeholders that the application fills with its own locale's
separators; where the deck's money writes other ones (German "198.915 €"), the code carries the
locale's tag (``[$-407]``) so LibreOffice shows the deck's (PowerPoint uses the viewer's own).
"""

from __future__ import annotations

import locale as _stdlib_locale
from functools import lru_cache

from deckgen.sales.locales import DECK_LANGUAGE, make_filters

COMPACT_FROM = 1_000_000  # chart amounts from this size are labelled compactly: 7-digit labels crowd a column
# the longest label written in full: two bars of the bundled cost chart hold "198.915 €" each, side by side;
# "HK$198,915" or "CHF 198,915" would run into the next one, so those are compact ("HK$199K")
MAX_LABEL_CHARS = 9


def chart_money_format(locale: str, currency: str, largest: float, language: str = DECK_LANGUAGE) -> str:
    """The format code for a chart of amounts up to ``largest``: whole amounts with the sign below
    :data:`COMPACT_FROM` while the longest label stays within :data:`MAX_LABEL_CHARS`, else compact.
    The sign sits where the ``money`` filter puts it for ``locale``; K and M are the deck's ``language``
    (English for the bundled templates)."""
    tag, before, after = _money_style(locale, currency, language)
    head, plain = f'"{before}"' if before else "", f'"{after}"' if after else ""
    whole = len(before) + len(f"{round(abs(largest)):,}") + len(after)  # "HK$198,915": 10
    if abs(largest) < COMPACT_FROM and whole <= MAX_LABEL_CHARS:
        return f"{tag}{head}#,##0{plain}"
    return f'{tag}[>=1000000]{head}#,##0.0,,"M{after}";{tag}[>=1000]{head}#,##0,"K{after}";{tag}{head}#,##0{plain}'


@lru_cache(maxsize=256)  # making the filters costs ~0.5 ms, and every cost chart of every deck asks
def _money_style(locale: str, currency: str, language: str) -> tuple[str, str, str]:
    """The locale tag ("" for "1,234.5"), and what the ``money`` filter writes before and after the digits."""
    money = make_filters(locale, currency, language)["money"]
    before, _, after = money(1).partition("1")
    digits = money(1234.5, digits=1).removeprefix(before).removesuffix(after)  # "1,234.5", "1.234,5", "1 234,5"
    english = len(digits) == 7 and digits[1] == "," and digits[5] == "."
    return ("" if english else number_locale_tag(locale)), before, after


def number_locale_tag(locale: str) -> str:
    """``[$-407]`` for "de-DE": the Windows locale id a format code names to use that locale's separators;
    "" when the locale has none (then the application's own separators show)."""
    name = locale.replace("-", "_")
    lcid = _LCIDS.get(name) or _LCIDS.get(name.split("_")[0] + "_" + name.split("_")[-1])
    return f"[$-{lcid:X}]" if lcid else ""


_LCIDS: dict[str, int] = {}
for _id, _name in sorted(_stdlib_locale.windows_locale.items(), reverse=True):
    _LCIDS[_name] = _id  # the lowest id wins where names repeat


__all__ = ["COMPACT_FROM", "chart_money_format", "number_locale_tag"]
