"""Break-fix rates, call-out fees and other MSPs' prices per country, not the MSP's home figures converted."""

from __future__ import annotations

import pytest
import yaml
from click.testing import CliRunner
from pptx import Presentation

from deckgen.cli import cli
from deckgen.load.files import read_profile
from deckgen.model import (
    CostDefaults,
    ItModel,
    Location,
    Msp,
    Person,
    Profile,
    Prospect,
    ProspectSize,
    RegionalCosts,
    Service,
    Usp,
)
from deckgen.resources import examples_dir
from deckgen.sales.costs import estimate_costs
from deckgen.sales.pricing import price_point
from deckgen.sales.regions import QUOTED_RATES, REGIONAL_KEYS, REGIONS

RATES = {"GBP": 0.79, "HKD": 7.78, "EUR": 0.92, "CAD": 1.36, "AUD": 1.52}


def profile(**regions: RegionalCosts) -> Profile:
    """A US MSP whose defaults are its home figures: $165 an hour, $250 a call-out, $90 per user elsewhere."""
    return Profile(
        msp=Msp(name="Test MSP", sales_contact=Person(name="Sam Seller")),
        usp=Usp(target="t", problem="p", differentiator="d", one_liner="o"),
        services=[Service(name="Support", price=100, unit="per_user_month")],
        cost_defaults=CostDefaults(regions=regions),
        exchange_rates=RATES,
    )


def prospect(country: str | None, model: ItModel = ItModel.break_fix, **extra) -> Prospect:
    return Prospect(
        company="Prospect Co",
        location=Location(country=country) if country else Location(),
        size=ProspectSize(users=20),
        it_model=model,
        **extra,
    )


def item(prospect_: Prospect, prof: Profile, key: str) -> dict:
    c = estimate_costs(prospect_, prof).to_context()
    return next(i for i in c["assumption_items"] if i["key"] == key)


def sentence(prospect_: Prospect, prof: Profile, label: str) -> str:
    c = estimate_costs(prospect_, prof).to_context()
    return next(a for a in c["assumptions"] if a.startswith(label))


def test_a_uk_break_fix_prospect_gets_uk_rates_not_dollars_converted():
    rate = item(prospect("United Kingdom"), profile(), "break_fix_rate")
    assert (rate["value"], rate["source"]) == (85, "region")  # not 165 × 0.79 = £130
    fee = item(prospect("United Kingdom"), profile(), "emergency_fee")
    assert (fee["value"], fee["source"]) == (150, "region")  # not 250 × 0.79 = £198
    assert sentence(prospect("GB"), profile(), "Break-fix hourly rate") == (
        "Break-fix hourly rate £85 — regional default; basis: a typical UK ad-hoc IT support rate (£60–110 an hour)"
    )


def test_a_hong_kong_break_fix_prospect_gets_hong_kong_rates():
    rate = item(prospect("Hong Kong"), profile(), "break_fix_rate")
    assert (rate["value"], rate["source"]) == (800, "region")  # not 165 × 7.78 = HK$1,284
    assert "a typical Hong Kong call-out rate" in rate["basis"]
    fee = item(prospect("Hong Kong"), profile(), "emergency_fee")
    assert (fee["value"], fee["source"]) == (1500, "region")  # not 250 × 7.78 = HK$1,945
    c = estimate_costs(prospect("Hong Kong"), profile())
    # 4 incidents × 3 h × HK$800 + 4 × 25 % × HK$1,500
    assert (c.break_fix.labour_per_month, c.break_fix.emergency_per_month) == (9600, 1500)


def test_another_msps_fee_is_the_local_price_per_user():
    hk = item(prospect("Hong Kong", ItModel.other_msp), profile(), "other_msp_per_user_month")
    assert (hk["value"], hk["source"]) == (500, "region")  # not 90 × 7.78 = HK$700
    uk = item(prospect("United Kingdom", ItModel.other_msp), profile(), "other_msp_per_user_month")
    assert (uk["value"], uk["source"]) == (55, "region")  # not 90 × 0.79 = £71
    c = estimate_costs(prospect("United Kingdom", ItModel.other_msp), profile())
    assert c.baseline.spend_per_month == 20 * 55
    assert "Current provider's fee per user a month £55 — regional default; basis: a typical UK fully managed" in (
        sentence(prospect("GB", ItModel.other_msp), profile(), "Current provider's fee")
    )


def test_the_profile_overrides_a_country_and_says_so():
    prof = profile(HK=RegionalCosts(break_fix_rate=950, basis="what our Kowloon engineers quote"))
    rate = item(prospect("Hong Kong"), prof, "break_fix_rate")
    assert (rate["value"], rate["source"]) == (950, "profile_region")
    assert sentence(prospect("HK"), prof, "Break-fix hourly rate") == (
        "Break-fix hourly rate HK$950 — our regional figure; basis: what our Kowloon engineers quote"
    )
    # what the override leaves unset still comes from the region
    assert item(prospect("Hong Kong"), prof, "emergency_fee")["value"] == 1500
    plain = profile(GB=RegionalCosts(other_msp_per_user_month=60))
    assert item(prospect("GB", ItModel.other_msp), plain, "other_msp_per_user_month")["basis"] == (
        "our figure for the UK"
    )


def test_an_override_in_another_currency_than_the_deck_is_not_used():
    prof = profile(HK=RegionalCosts(break_fix_rate=120, currency="USD"))  # a dollar figure; the deck is in HKD
    assert item(prospect("Hong Kong"), prof, "break_fix_rate")["value"] == 800
    # the same override does apply to a Hong Kong deck quoted in US dollars... which is the MSP's own currency
    usd = item(prospect("Hong Kong", currency="USD"), prof, "break_fix_rate")
    assert (usd["value"], usd["source"]) == (120, "profile_region")


def test_a_country_without_regional_defaults_keeps_the_converted_figure_and_says_so():
    rate = item(prospect("France"), profile(), "break_fix_rate")
    assert rate["source"] == "default"
    assert rate["value"] == 150  # 165 × 0.92 = €151.80, rounded to a price point like any converted price
    assert rate["basis"] == "the profile's 165 USD at its exchange rate of 0.92 EUR; no regional figure for France"
    # a figure the profile sets for that country replaces it
    prof = profile(FR=RegionalCosts(break_fix_rate=90))
    assert item(prospect("France"), prof, "break_fix_rate")["value"] == 90


def test_a_prospect_without_a_country_says_why_the_figure_is_converted():
    rate = item(prospect(None, currency="GBP"), profile(), "break_fix_rate")
    assert rate["source"] == "default" and rate["value"] == 130  # 165 × 0.79 = 130.35 → £130
    assert rate["basis"].endswith("the prospect's country is not known")


def test_a_us_prospect_of_a_us_msp_keeps_the_profiles_own_figures():
    rate = item(prospect("United States"), profile(), "break_fix_rate")
    assert (rate["value"], rate["source"], rate["basis"]) == (165, "default", "")


@pytest.mark.parametrize("code", sorted(REGIONS))
def test_every_region_sets_every_figure_at_a_local_price_point_with_a_basis(code):
    region = REGIONS[code]
    for key in REGIONAL_KEYS:
        value, basis = region.figure(key)
        assert value > 0 and basis, (code, key)
        if key in QUOTED_RATES:
            assert price_point(value) == value, (code, key, value)
    assert region.name
    assert region.emergency_fee > region.break_fix_rate  # a call-out costs more than an hour of work


def test_the_profile_yaml_sets_regional_figures_and_a_built_deck_shows_them(tmp_path):
    data = yaml.safe_load((examples_dir() / "profile.yaml").read_text(encoding="utf-8"))
    data["cost_defaults"]["regions"] = {
        "HK": {"break_fix_rate": 900, "basis": "what Kowloon firms told us they pay an hour"}
    }
    path = tmp_path / "profile.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    prof, warnings = read_profile(path)
    assert warnings == [] and prof.cost_defaults.regions["HK"].break_fix_rate == 900
    firm = {
        "company": "Harbour Freight Services",
        "industry": "Logistics",
        "size": {"users": 20, "sites": 1},
        "location": {"city": "Kwun Tong", "country": "Hong Kong"},
        "it_model": "break_fix",
        "it_pain": True,
        "numbers": {"incidents_per_month": 8, "hours_per_incident": 4, "annual_revenue": 40_000_000},
    }
    (tmp_path / "harbour.yaml").write_text(yaml.safe_dump(firm), encoding="utf-8")
    deck = tmp_path / "harbour.pptx"
    args = ["build", "-p", str(path), "-x", str(tmp_path / "harbour.yaml"), "-o", str(deck)]
    result = CliRunner().invoke(cli, [*args, "--date", "2026-11-25", "--storyline", "pitch", "--no-brief"])
    assert result.exit_code == 0, result.output
    notes = " ".join(s.notes_slide.notes_text_frame.text for s in Presentation(str(deck)).slides if s.has_notes_slide)
    assert "Break-fix hourly rate HK$900 — our regional figure; basis: what Kowloon firms told us they pay" in notes
    assert "Emergency call-out fee HK$1,500 — regional default; basis: a typical Hong Kong charge" in notes
    assert "HK$1,280" not in notes and "HK$1,950" not in notes  # the profile's US$165 and US$250 converted


def test_a_region_key_must_be_an_iso_country_code():
    with pytest.raises(ValueError, match="regions"):
        CostDefaults(regions={"Hong Kong": {"break_fix_rate": 900}})
