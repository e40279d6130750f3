"""Content fitted to the prospect: service area, industry proof, tax wording, price points, dates, the plan."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

import pytest

from deckgen.load.files import load_profile, load_prospect
from deckgen.resources import examples_dir
from deckgen.sales.context import build_context
from deckgen.sales.costs import estimate_costs
from deckgen.sales.fit import score_fit
from deckgen.sales.fitted import local_disclaimer
from deckgen.sales.locales import make_filters, resolve_locale
from deckgen.sales.pricing import price_point
from deckgen.sales.regions import REGIONS, tax_wording

EXAMPLES = examples_dir()
PROFILE = load_profile(EXAMPLES / "profile.yaml")


class _Brand:
    def to_context(self):
        return {
            "name": "t",
            "footer": "",
            "disclaimer": "Prices exclude sales tax and are valid for 30 days.",
            "colors": {},
            "fonts": {},
        }


def context(name: str) -> dict:
    prospect = load_prospect(EXAMPLES / "prospects" / f"{name}.yaml")
    fit = score_fit(prospect, PROFILE)
    locale, currency = resolve_locale(prospect, PROFILE)
    return build_context(
        profile=PROFILE,
        prospect=prospect,
        brand=_Brand(),
        fit=fit,
        closing=None,
        costs=estimate_costs(prospect, PROFILE),
        today=dt.date(2026, 11, 25),
        locale=locale,
        currency=currency,
    )


@pytest.mark.parametrize(
    "value, point",
    [(28, 29), (27.65, 29), (75.05, 75), (739.1, 740), (272.3, 270), (1167, 1170), (118.5, 120), (50, 50), (7.4, 7.5)],
)
def test_converted_prices_become_price_points(value, point):
    assert price_point(Fraction(str(value))) == Fraction(str(point))


def test_regional_defaults_cover_the_markets_with_their_currency():
    assert {"US", "GB", "HK", "CA", "AU", "DE"} <= set(REGIONS)
    assert REGIONS["HK"].currency == "HKD" and REGIONS["GB"].currency == "GBP" and REGIONS["DE"].currency == "EUR"
    assert all(
        r.hourly_wage > 0 and 1500 <= r.working_hours_per_year <= 2300 and r.wage_basis for r in REGIONS.values()
    )


@pytest.mark.parametrize(
    "country, text",
    [
        ("US", "Prices exclude sales tax and are valid for 30 days."),
        ("GB", "Prices exclude VAT and are valid for 30 days."),
        ("DE", "Prices exclude VAT and are valid for 30 days."),
        ("AU", "Prices exclude GST and are valid for 30 days."),
        ("CA", "Prices exclude GST and are valid for 30 days."),
        ("HK", "Prices are valid for 30 days."),
    ],
)
def test_tax_wording_per_country(country, text):
    assert local_disclaimer("Prices exclude sales tax and are valid for 30 days.", tax_wording(country)) == text


def test_hong_kong_drops_a_trailing_tax_clause_too():
    assert local_disclaimer("Indicative pricing, excluding taxes.", tax_wording("HK")) == "Indicative pricing."


def test_on_site_slas_and_services_only_inside_the_service_area():
    alamo, hk, uk = context("alamo-family-dental"), context("hengxin-logistics"), context("thameside-accountants")
    assert alamo["deck"]["service_area"] == "onsite" and hk["deck"]["service_area"] == "remote"
    for remote in (hk, uk):
        assert not any("on-site" in s["metric"].lower() for s in remote["slas"])
        assert any(s["where"] == "remote" for s in remote["slas"])
        assert not any("on-site" in s["description"].lower() for s in remote["services"])
    assert any("On-site" in s["metric"] for s in alamo["slas"])
    assert not any(s["where"] == "remote" for s in alamo["slas"])
    assert "on-site visits" in alamo["services"][0]["description"]


def test_industry_wording_and_proof():
    hk, alamo = context("hengxin-logistics"), context("alamo-family-dental")
    assert "patient" not in hk["usp"]["problem"] and "shipment" in hk["usp"]["problem"]
    assert any("Depot" in p for p in hk["usp"]["proof_points"])
    assert "Practices supported" not in [m["label"] for m in hk["metrics"]]
    assert "patient records" in alamo["usp"]["problem"]
    assert "Practices supported" in [m["label"] for m in alamo["metrics"]]
    assert alamo["deck"]["industry_proof"]["data_at_risk"] == "patient records and card data"


def test_tax_and_disclaimer_in_the_context():
    assert context("thameside-accountants")["brand"]["disclaimer"].startswith("Prices exclude VAT")
    hk = context("hengxin-logistics")
    assert "tax" not in hk["brand"]["disclaimer"].lower() and hk["deck"]["tax"]["name"] == ""
    assert context("alamo-family-dental")["deck"]["tax"]["sentence"] == "Prices exclude sales tax."


def test_local_price_list_beats_conversion_and_conversion_gives_price_points():
    uk = {s["name"]: s for s in context("thameside-accountants")["services"]}
    assert uk["Managed Support"]["price"] == 75 and uk["Managed Support"]["price_source"] == "local"
    hk = {s["name"]: s for s in context("hengxin-logistics")["services"]}
    assert hk["Managed Support"]["price"] == 740 and hk["Managed Support"]["price_source"] == "converted"
    assert hk["Security Baseline"]["price"] == 270


def test_the_hong_kong_date_is_english_in_an_english_deck():
    prospect = load_prospect(EXAMPLES / "prospects" / "hengxin-logistics.yaml")
    locale, _ = resolve_locale(prospect, PROFILE)
    assert locale == "zh-Hant-HK"
    assert make_filters(locale, "HKD")["date"](dt.date(2026, 11, 25)) == "25 November 2026"
    assert make_filters(locale, "HKD")["money"](740) == "HK$740"


def test_plan_total_tiers_and_add_ons():
    c = context("alamo-family-dental")
    plan = c["deck"]["plan"]
    # 28 × 95 + 28 × 35 + 2 sites × 150 = 3,940, the "Your plan" headline
    assert plan["per_month"] == c["costs"]["managed"]["per_month"] == 3940
    assert plan["per_user"] == 141 and (plan["users"], plan["sites"]) == (28, 2)
    tiers = {t["name"]: t for t in plan["tiers"]}
    assert tiers["Essentials"]["per_month"] == 28 * 95
    assert tiers["Secure"]["per_month"] == 3940 and tiers["Secure"]["recommended"]
    assert tiers["Compliant"]["per_month"] == 3940 + 28 * 15
    addons = {a["name"]: a for a in plan["addons"]}
    assert addons["Quarterly Strategy Review"]["per_month"] == 450
    assert "Compliance Program" not in addons  # the Compliant tier sells it: not offered twice
    assert "Compliance Program" not in [s["name"] for s in c["services"]]  # add-ons are not in the plan's rate card
    uk = context("thameside-accountants")["deck"]["plan"]
    assert uk["currency"] == "GBP" and uk["per_month"] == 42 * 75 + 42 * 29 + 119
    assert uk["tax"] == "Prices exclude VAT."
