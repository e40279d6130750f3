"""The locale filters remember what they wrote (issue #16): a remembered text is the one Babel writes."""

from __future__ import annotations

from decimal import Decimal

import pytest

from deckgen.sales import chart_formats
from deckgen.sales.chart_formats import chart_money_format, number_locale_tag
from deckgen.sales.locales import make_filters

LOCALES = [("en-US", "USD"), ("de-DE", "EUR"), ("zh-Hant-HK", "HKD"), ("en-IN", "INR"), ("ja-JP", "JPY")]
# near neighbours a careless key would mix up: -0 and 0, 1 and 1.0 and "1", values that round together
VALUES = [0, -0.0, 0.0, -0.4, 0.4, 0.5, -0.5, 1, 1.0, "1", Decimal("1.00"), Decimal("-0"), 2.675, 99.995, 1234.5]
VALUES += [-1234.5, 12_345.678, 1e6, 1_234_567, "0.05", 0.005, -0.005, 1e-7, 250, 250.4]


def _calls(name: str):
    for value in VALUES:
        for digits in (0, 1, 2, 6):
            if name == "money":
                for currency in (None, "EUR", "HKD", "usd"):
                    yield value, {"digits": digits, "currency": currency}
            else:
                yield value, {"digits": digits}


@pytest.mark.parametrize(("locale", "currency"), LOCALES)
@pytest.mark.parametrize("name", ["money", "number", "percent"])
def test_a_remembered_text_is_the_direct_one(locale, currency, name):
    shared = make_filters(locale, currency)[name]
    calls = list(_calls(name))
    for value, options in calls:  # the shared filter sees every value (it remembers them all) ...
        shared(value, **options)
    for value, options in calls:  # ... and a new one sees each value first: Babel's own text
        assert shared(value, **options) == make_filters(locale, currency)[name](value, **options), (value, options)


def test_what_is_remembered_is_bounded_and_still_right():
    money = make_filters("en-GB", "GBP")["money"]
    first = money(12.5, digits=2)
    for n in range(5000):  # more than it keeps: it starts again
        money(n)
    assert money(12.5, digits=2) == first == "£12.50"
    assert money(4999) == make_filters("en-GB", "GBP")["money"](4999) == "£4,999"


@pytest.mark.parametrize(("locale", "currency"), [*LOCALES, ("fr-CA", "CAD"), ("en-GB", "GBP")])
def test_the_compact_chart_format_is_the_one_made_from_the_money_filter(locale, currency):
    chart_formats._money_style.cache_clear()
    money = make_filters(locale, currency)["money"]
    before, _, after = money(1).partition("1")
    head, plain = (f'"{before}"' if before else ""), (f'"{after}"' if after else "")
    # the locale's tag where its money separators are not "1,234.5" (LibreOffice then shows the deck's)
    tag = "" if before + "1,234.5" + after == money(1234.5, digits=1) else number_locale_tag(locale)
    direct = f'{tag}[>=1000000]{head}#,##0.0,,"M{after}";{tag}[>=1000]{head}#,##0,"K{after}";{tag}{head}#,##0{plain}'
    for _ in range(2):  # made, then remembered
        assert chart_money_format(locale, currency, 2_500_000) == direct
        assert chart_money_format(locale, currency, -1_000_000) == direct
    assert chart_money_format(locale, currency, 99_999) == f"{tag}{head}#,##0{plain}"  # the sign, in full


def test_a_remembered_assumption_sentence_is_the_direct_one():
    from deckgen.sales.cost_estimate import Assumption
    from deckgen.sales.cost_text import assumption_texts, sentence_writer

    items = [
        Assumption("hourly_wage", "Hourly wage", value, unit, source, note, basis)
        for value in (1, 1.0, 0, 0.0, -0.0, 0.25, 2.5, 24, 1234.5, None)
        for unit in ("money", "percent", "number", "hours")
        for source, note, basis in (("prospect", "", ""), ("default", "a note", "a basis"))
    ]
    for locale, currency in LOCALES:
        write = sentence_writer(locale, currency)
        write(items)  # seen once: remembered
        direct = assumption_texts(items, make_filters(locale, currency))
        assert write(items) == direct
        assert write(list(reversed(items))) == list(reversed(direct))
