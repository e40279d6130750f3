"""Locale and currency resolution, and the locale-aware template filters."""

from __future__ import annotations

import datetime as dt

import pytest

from deckgen.errors import InputError, RenderError
from deckgen.model import Location, Msp, Person, Profile, Prospect, Usp
from deckgen.sales.locales import country_code, make_filters, mostly_cjk, normalise_locale, resolve_locale

NOV_25 = dt.date(2026, 11, 25)


def profile(locale: str = "en-US", currency: str = "USD") -> Profile:
    return Profile(
        msp=Msp(name="Test MSP", locale=locale, currency=currency, sales_contact=Person(name="Sam Seller")),
        usp=Usp(target="t", problem="p", differentiator="d", one_liner="o"),
    )


def prospect(company: str = "Acme", **kw) -> Prospect:
    location = Location(**{k: kw.pop(k) for k in ("city", "region", "country") if k in kw})
    return Prospect(company=company, location=location, **kw)


@pytest.mark.parametrize(
    "text, code",
    [
        ("United States", "US"),
        ("USA", "US"),
        ("us", "US"),
        ("U.S.A.", "US"),
        ("United Kingdom", "GB"),
        ("UK", "GB"),
        ("GB", "GB"),
        ("England", "GB"),
        ("Hong Kong", "HK"),
        ("HK", "HK"),
        ("香港", "HK"),
        ("Germany", "DE"),
        ("Deutschland", "DE"),
        ("Japan", "JP"),
        ("日本", "JP"),
        ("the Netherlands", "NL"),
        ("Brazil", "BR"),
        ("Narnia", None),
        ("", None),
        (None, None),
    ],
)
def test_country_code(text, code):
    assert country_code(text) == code


# ---------------------------------------------------------------- resolve_locale


def test_san_antonio_is_en_us_dollars():
    p = prospect(city="San Antonio", region="TX", country="United States")
    assert resolve_locale(p, profile("en-GB", "GBP")) == ("en-US", "USD")


def test_london_is_en_gb_pounds():
    p = prospect(city="London", country="UK")
    assert resolve_locale(p, profile()) == ("en-GB", "GBP")


def test_hong_kong_english_name_is_en_hk():
    p = prospect(company="Hengxin Logistics Ltd", city="Kwai Chung", country="Hong Kong")
    assert resolve_locale(p, profile()) == ("en-HK", "HKD")


def test_hong_kong_chinese_name_is_traditional_chinese():
    p = prospect(company="恒信物流有限公司", country="香港")
    assert resolve_locale(p, profile()) == ("zh-Hant-HK", "HKD")


@pytest.mark.parametrize(
    "country, expected",
    [
        ("Germany", ("de-DE", "EUR")),
        ("France", ("fr-FR", "EUR")),
        ("Canada", ("en-CA", "CAD")),
        ("Australia", ("en-AU", "AUD")),
        ("Singapore", ("en-SG", "SGD")),
        ("Japan", ("ja-JP", "JPY")),
        ("China", ("zh-CN", "CNY")),
        ("Brazil", ("pt-BR", "BRL")),
    ],
)
def test_other_countries(country, expected):
    assert resolve_locale(prospect(country=country), profile()) == expected


def test_quebec_is_french_canadian():
    assert resolve_locale(prospect(country="Canada", region="QC"), profile()) == ("fr-CA", "CAD")


def test_prospect_locale_wins_and_is_normalised():
    p = prospect(country="United States", locale="en_gb")
    assert resolve_locale(p, profile()) == ("en-GB", "USD")  # currency still follows the country


def test_prospect_locale_without_country_gives_its_territory_currency():
    assert resolve_locale(prospect(locale="en-GB"), profile()) == ("en-GB", "GBP")


def test_prospect_currency_overrides():
    p = prospect(country="Hong Kong", currency="USD")
    assert resolve_locale(p, profile()) == ("en-HK", "USD")


def test_unknown_country_falls_back_to_the_msp():
    assert resolve_locale(prospect(country="Narnia"), profile("en-GB", "GBP")) == ("en-GB", "GBP")
    assert resolve_locale(prospect(), profile("en-AU", "AUD")) == ("en-AU", "AUD")


def test_bad_locale_is_an_input_error():
    with pytest.raises(InputError, match="unknown locale 'klingon'"):
        resolve_locale(prospect(locale="klingon"), profile())
    with pytest.raises(InputError) as err:
        resolve_locale(prospect(), profile(locale="xx-YY"))
    assert err.value.field == "msp.locale"


def test_normalise_locale():
    assert normalise_locale("zh_hant_hk") == "zh-Hant-HK"
    assert normalise_locale("EN-us") == "en-US"


def test_mostly_cjk():
    assert mostly_cjk("恒信物流有限公司")
    assert mostly_cjk("恒信物流 (HK) 有限公司")
    assert not mostly_cjk("Hengxin 物流")
    assert not mostly_cjk("")


# ---------------------------------------------------------------- filters


def test_en_us_filters():
    f = make_filters("en-US", "USD")
    assert f["money"](12345) == "$12,345"
    assert f["money"](12345.5) == "$12,346"  # half up, whole units by default
    assert f["money"](12344.5) == "$12,345"  # not banker's rounding
    assert f["money"](1234.5, digits=2) == "$1,234.50"
    assert f["money"](-250) == "-$250"
    assert f["money"](100, currency="GBP") == "£100"
    assert f["number"](1234567) == "1,234,567"
    assert f["number"](2.5) == "3"
    assert f["number"](2.345, digits=2) == "2.35"
    assert f["percent"](0.25) == "25%"
    assert f["percent"](0.125, digits=1) == "12.5%"
    assert f["date"](NOV_25) == "November 25, 2026"


def test_en_gb_filters():
    f = make_filters("en-GB", "GBP")
    assert f["money"](12345) == "£12,345"
    assert f["date"](NOV_25) == "25 November 2026"
    assert f["date"](dt.datetime(2026, 11, 25, 9, 30)) == "25 November 2026"
    assert f["date"]("2026-11-25") == "25 November 2026"
    assert f["date"](NOV_25, "short") == "25/11/2026"


@pytest.mark.parametrize("locale", ["en-HK", "zh-Hant-HK", "en-US", "en-GB"])
def test_hong_kong_dollars_are_never_a_bare_dollar(locale):
    assert make_filters(locale, "HKD")["money"](12345) == "HK$12,345"


def test_other_locale_conventions():
    f = make_filters("de-DE", "EUR")
    assert f["money"](12345) == "12.345\xa0€"  # money: the prospect's currency conventions
    assert make_filters("ja-JP", "JPY")["money"](12345) == "￥12,345"


@pytest.mark.parametrize("locale, currency", [("de-DE", "EUR"), ("fr-FR", "EUR"), ("sv-SE", "SEK"), ("de-CH", "CHF")])
def test_numbers_and_percentages_inside_english_copy_are_written_the_english_way(locale, currency):
    # the bundled decks are English: "60 %" or "1.234,5" in an English sentence reads as a typo
    f = make_filters(locale, currency)
    assert f["percent"](0.6) == "60%"
    assert f["percent"](0.125, digits=1) == "12.5%"
    assert f["number"](1234.5, digits=1) == "1,234.5"


def test_a_locale_of_the_decks_language_keeps_its_own_number_conventions():
    assert make_filters("en-IN", "INR")["number"](1234567) == "12,34,567"
    assert make_filters("de-DE", "EUR", language="de")["percent"](0.6) == "60\xa0%"


@pytest.mark.parametrize("name", ["money", "number", "percent", "date"])
def test_none_and_blank_render_as_dash(name):
    f = make_filters("en-US", "USD")
    assert f[name](None) == "—"
    assert f[name]("") == "—"


def test_numeric_strings_are_accepted():
    assert make_filters("en-US", "USD")["money"]("2500") == "$2,500"


@pytest.mark.parametrize(
    "name, value", [("money", "lots"), ("number", True), ("percent", float("nan")), ("date", "tomorrow"), ("date", 42)]
)
def test_bad_values_are_render_errors(name, value):
    with pytest.raises(RenderError):
        make_filters("en-US", "USD")[name](value)


def test_make_filters_rejects_bad_locale_and_currency():
    with pytest.raises(InputError):
        make_filters("nope-NOPE", "USD")
    with pytest.raises(InputError):
        make_filters("en-US", "dollars")
