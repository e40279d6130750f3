"""Downtime cost and break-fix vs managed comparison, computed by hand."""

from __future__ import annotations

from deckgen.errors import DataWarning
from deckgen.model import (
    CostDefaults,
    Location,
    Msp,
    Person,
    Profile,
    Prospect,
    ProspectNumbers,
    ProspectSize,
    Service,
    Usp,
)
from deckgen.sales.cost_estimate import Assumption, ChartData, ChartSeries, CostEstimate, ServiceLine
from deckgen.sales.costs import DEFAULT_USERS, assumption_texts, compute_costs, estimate_costs
from deckgen.sales.locales import make_filters

SERVICES = [
    Service(name="Support", price=100, unit="per_user_month"),
    Service(name="Devices", price=10, unit="per_device_month"),
    Service(name="Backup", price=50, unit="per_site_month"),
    Service(name="Vendor management", price=200, unit="per_month"),
    Service(name="Project", price=999, unit="one_time"),  # not part of the monthly cost
]


def profile(services=SERVICES, **defaults) -> Profile:
    return Profile(
        msp=Msp(name="Test MSP", sales_contact=Person(name="Sam Seller")),
        usp=Usp(target="t", problem="p", differentiator="d", one_liner="o"),
        services=services,
        cost_defaults=CostDefaults(**{"incident_impact": 1, "revenue_lost_share": 1, "hourly_wage": 38, **defaults}),
    )
    # incident_impact 1 (an incident stops the whole business) and revenue_lost_share 1 keep the hand
    # computations below simple; test_incident_impact_scales_downtime_cost and
    # test_alamo_starts_from_its_own_spend cover the factors themselves


def known() -> Prospect:
    return Prospect(
        company="Known Co",
        location=Location(country="US"),
        size=ProspectSize(users=10, endpoints=12, sites=2),
        numbers=ProspectNumbers(
            annual_revenue=2_080_000, hourly_wage=40, incidents_per_month=2, hours_per_incident=1.5
        ),
    )


def costs(prospect: Prospect, prof: Profile) -> dict:
    """The ``costs`` a template sees."""
    return estimate_costs(prospect, prof).to_context()


def test_everything_known_by_hand():
    c = costs(known(), profile())
    # revenue/h = 2,080,000 / 2,080 = 1,000; staff/h = 10 × 40 × 1.3 × 0.5 = 260
    assert c["downtime"] == {
        "revenue_per_hour": 1000,
        "revenue_known": True,
        "staff_per_hour": 260,
        "total_per_hour": 1260,
    }
    assert c["downtime_per_hour"] == 1260
    # 2 incidents × 1.5 h = 3 h: labour 3 × 165 = 495; call-outs 2 × 0.25 × 250 = 125; downtime 3 × 1,260 = 3,780
    assert c["break_fix"] == {
        "incidents_per_month": 2,
        "hours_per_incident": 1.5,
        "downtime_hours_per_month": 3,
        "labour_per_month": 495,
        "emergency_per_month": 125,
        "downtime_per_month": 3780,
        "per_month": 4400,
    }
    # managed: 100 × 10 + 10 × 12 devices + 50 × 2 sites + 200 = 1,420, plus the downtime that remains:
    # 3,780 × (1 − 0.6) = 1,512 → 2,932 a month
    assert c["managed"]["per_month"] == 1420
    assert [s["per_month"] for s in c["managed"]["services"]] == [1000, 120, 100, 200]
    assert c["managed"]["onboarding_fee"] == 2500
    assert (c["managed"]["downtime_per_month"], c["managed"]["total_per_month"]) == (1512, 2932)
    assert c["comparison"] == {
        "months": 36,
        "break_fix_total": 158400,
        "managed_total": 108052,
        "savings": 50348,
        "break_even_month": 2,  # 2,500 / (4,400 − 2,932) = 1.7 → month 2
        "horizons": [12, 24, 36],
        "labels": ["Month 12", "Month 24", "Month 36"],
        "break_fix_by_horizon": [52800, 105600, 158400],
        "managed_by_horizon": [37684, 72868, 108052],  # 2,500 + 2,932 × m
        "savings_by_horizon": [15116, 32732, 50348],
    }
    # the range takes the modelled downtime half as large and half again as large:
    # low: today 620 + 1,890 = 2,510, managed 1,420 + 756 = 2,176 → 90,360 − 80,836 = 9,524
    # high: today 620 + 5,670 = 6,290, managed 1,420 + 2,268 = 3,688 → 226,440 − 135,268 = 91,172
    assert c["range"]["savings"] == {"low": 9524, "expected": 50348, "high": 91172}
    assert c["range"]["today_per_year"] == {"low": 30120, "expected": 52800, "high": 75480}
    assert c["baseline"]["model"] == "unknown" and c["baseline"]["spend_source"] == "modelled"
    assert c["users"] == 10 and c["users_known"] is True
    assert c["warnings"] == []


def test_charts():
    charts = costs(known(), profile())["charts"]
    assert charts["downtime_cost"] == {
        "categories": ["Lost revenue", "Idle staff time"],
        "series": [{"name": "Cost per hour of downtime", "values": [1000, 260]}],
        "number_format": '"$"#,##0',  # the deck's currency on every label
    }
    assert charts["cost_comparison"] == {
        "categories": ["Month 12", "Month 24", "Month 36"],
        "series": [
            {"name": "Today's IT", "values": [52800, 105600, 158400]},
            {"name": "Managed", "values": [37684, 72868, 108052]},
        ],
        "number_format": '"$"#,##0',
    }
    # a year of each, the modelled downtime on its own: spend 620 × 12; downtime 3,780 × 12 and × 0.4
    assert charts["cost_breakdown"] == {
        "categories": ["Today", "Managed"],
        "series": [
            {"name": "IT spend a year", "values": [7440, 17040]},
            {"name": "Modelled downtime a year", "values": [45360, 18144]},
        ],
        "number_format": '"$"#,##0',
    }


def test_unknown_numbers_use_defaults_and_say_so():
    c = costs(Prospect(company="Unknown Co"), profile())
    assert c["users"] == DEFAULT_USERS == 25 and c["users_known"] is False
    # no revenue → left out; staff/h = 25 × 38 × 1.3 × 0.5 = 617.5 → 618
    assert c["downtime"]["revenue_per_hour"] == 0 and c["downtime"]["revenue_known"] is False
    assert c["downtime_per_hour"] == 618
    # 4 × 3 = 12 h: labour 1,980 + call-outs 250 + downtime 12 × 617.5 = 7,410 → 9,640
    assert c["break_fix"]["per_month"] == 9640
    # 100 × 25 + 10 × 25 (one device per user) + 50 × 1 site + 200 = 3,000; + 7,410 × 0.4 = 2,964 → 5,964
    assert c["managed"]["per_month"] == 3000
    assert c["comparison"]["break_fix_by_horizon"] == [115680, 231360, 347040]
    assert c["comparison"]["managed_by_horizon"] == [74068, 145636, 217204]
    assert (c["comparison"]["break_fix_total"], c["comparison"]["managed_total"]) == (347040, 217204)
    assert c["charts"]["downtime_cost"]["categories"] == ["Idle staff time"]
    sources = {i["key"]: i["source"] for i in c["assumption_items"]}
    assert sources["users"] == sources["hourly_wage"] == sources["devices"] == sources["sites"] == "default"
    texts = c["assumptions"]
    assert "Staff affected by an outage 25 — industry default (headcount not known)" in texts
    assert "Annual revenue not known, so lost revenue is left out." in texts
    assert "Hourly wage $38 — industry default" in texts
    assert "Devices under management 25 — industry default (one per member of staff)" in texts


def test_endpoints_stand_in_for_users():
    c = costs(Prospect(company="E", size=ProspectSize(endpoints=30)), profile())
    assert c["users"] == 30 and c["users_known"] is True
    assert c["assumption_items"][0]["note"] == "one person per endpoint"


def test_assumption_items_and_texts_in_the_deck_locale():
    p = known().model_copy(update={"location": Location(city="London", country="United Kingdom")})
    c = costs(p, profile())
    assert c["locale"] == "en-GB" and c["currency"] == "GBP"
    item = next(i for i in c["assumption_items"] if i["key"] == "hourly_wage")
    assert item == {
        "key": "hourly_wage",
        "label": "Hourly wage",
        "value": 40,
        "unit": "money",
        "source": "prospect",
        "note": "",
        "basis": "",
    }
    assert "Hourly wage £40 — from your numbers" in c["assumptions"]
    assert "Work lost while systems are down 50% — industry default" in c["assumptions"]
    assert "Downtime per incident 1.5 hours — from your numbers" in c["assumptions"]
    assert "Wage on-cost factor (benefits and overheads) 1.3 — industry default" in c["assumptions"]
    assert "Onboarding fee £2,500 — from our price list" in c["assumptions"]
    assert {i["unit"] for i in c["assumption_items"]} <= {"money", "number", "percent", "hours"}
    assert c["warnings"] == [
        "exchange_rates.GBP: Prices and default figures are in USD (your profile) but this deck shows GBP; "
        "add 'GBP' under exchange_rates in the profile to convert them. Amounts are shown "
        "unconverted."
    ]


def test_incident_impact_scales_downtime_cost():
    c = costs(known(), profile(incident_impact=0.25))
    # downtime 3 h × 1,260 × 0.25 = 945; 495 + 125 + 945 = 1,565
    assert c["break_fix"]["downtime_per_month"] == 945
    assert c["break_fix"]["per_month"] == 1565
    assert "Share of the business one incident stops 25% — industry default" in c["assumptions"]


def test_exchange_rate_converts_prices_and_defaults_not_the_prospects_numbers():
    p = known().model_copy(update={"location": Location(city="London", country="United Kingdom")})
    prof = profile().model_copy(update={"exchange_rates": {"GBP": 0.5}})
    c = costs(p, prof)
    assert c["warnings"] == []
    assert c["managed"]["onboarding_fee"] == 1250  # 2,500 × 0.5
    # converted prices are rounded to price points: 50 → 50, 5 → 5, 25 → 25, 100 → 100
    assert c["managed"]["per_month"] == 710  # 1,420 × 0.5
    assert c["break_fix"]["labour_per_month"] == 255  # 3 h × the UK's £85 an hour (not 165 × 0.5, regions.py)
    hourly = next(i for i in c["assumption_items"] if i["key"] == "hourly_wage")
    assert hourly["value"] == 40 and hourly["source"] == "prospect"  # their own wage is already in £


def test_assumption_texts_take_any_formatter():
    c = costs(known(), profile())
    hk = assumption_texts(c["assumption_items"], make_filters("en-HK", "HKD"))
    assert "Hourly wage HK$40 — from your numbers" in hk
    assert len(hk) == len(c["assumption_items"])


def test_horizons_follow_the_months_default():
    thirty = costs(known(), profile(months=30))["comparison"]
    assert thirty["horizons"] == [12, 24, 30] and thirty["months"] == 30
    assert thirty["break_fix_total"] == 4400 * 30 and thirty["managed_total"] == 2500 + 2932 * 30
    short = costs(known(), profile(months=6))["comparison"]
    assert short["horizons"] == [6] and short["labels"] == ["Month 6"]
    assert costs(known(), profile(months=60))["comparison"]["horizons"] == [12, 24, 36, 48, 60]


def test_no_break_even_when_managed_costs_more_and_no_services_warns():
    cheap = known().model_copy(update={"numbers": ProspectNumbers(incidents_per_month=0)})
    c = costs(cheap, profile())
    assert c["break_fix"]["per_month"] == 0
    assert c["comparison"]["break_even_month"] is None
    empty = costs(known(), profile(services=[]))
    assert empty["managed"]["per_month"] == 0
    # no fee, only the downtime that remains: 2,500 + 1,512 × m
    assert empty["comparison"]["managed_by_horizon"] == [20644, 38788, 56932]
    assert any("no monthly services" in w for w in empty["warnings"])


def test_money_is_whole_units_rounded_half_up():
    # staff/h = 3 × 25 × 1.3 × 0.5 = 48.75 → 49; one incident of 1 h: downtime 48.75, labour 165, call-out 62.5
    p = Prospect(
        company="R",
        size=ProspectSize(users=3),
        numbers=ProspectNumbers(hourly_wage=25, incidents_per_month=1, hours_per_incident=1),
    )
    c = costs(p, profile())
    assert c["downtime_per_hour"] == 49
    assert c["break_fix"]["emergency_per_month"] == 63  # 62.5 → 63, not banker's 62
    assert c["break_fix"]["per_month"] == 276  # 165 + 62.5 + 48.75 = 276.25
    assert all(isinstance(v, int) for v in c["comparison"]["break_fix_by_horizon"])


def test_the_estimate_is_typed_and_its_context_is_the_plain_data():
    est = estimate_costs(known(), profile())
    assert isinstance(est, CostEstimate)
    assert est.downtime_per_hour == est.downtime.total_per_hour == 1260
    assert est.break_fix.per_month == 4400 and est.managed.per_month == 1420
    assert est.managed.services[0] == ServiceLine("Support", "per_user_month", 100, 10, 1000)
    assert est.comparison.break_even_month == 2 and est.comparison.horizons == [12, 24, 36]
    assert est.assumption_items[0] == Assumption("users", "Staff affected by an outage", 10, "number", "prospect")
    assert est.charts["cost_comparison"] == ChartData(
        ["Month 12", "Month 24", "Month 36"],
        [ChartSeries("Today's IT", [52800, 105600, 158400]), ChartSeries("Managed", [37684, 72868, 108052])],
        '"$"#,##0',
    )
    assert est.warnings == []
    context = est.to_context()
    assert list(context) == [
        "locale",
        "currency",
        "price_currency",
        "users",
        "users_known",
        "downtime_per_hour",
        "downtime",
        "break_fix",
        "managed",
        "comparison",
        "assumption_items",
        "assumptions",
        "warnings",
        "charts",
        "baseline",
        "range",
        "downtime_reduction",
        "basis",
    ]
    assert compute_costs(known(), profile()) == context  # the old call gives the same plain data
    context["comparison"]["horizons"].append(48)
    assert est.comparison.horizons == [12, 24, 36]  # the context is a copy


def test_warnings_are_typed_and_read_as_before():
    p = known().model_copy(update={"location": Location(city="London", country="United Kingdom")})
    est = estimate_costs(p, profile(services=[]))
    assert [type(w) for w in est.warnings] == [DataWarning, DataWarning]
    assert (
        [str(w) for w in est.warnings]
        == est.to_context()["warnings"]
        == [
            "exchange_rates.GBP: Prices and default figures are in USD (your profile) but this deck shows GBP; "
            "add 'GBP' under "
            "exchange_rates in the profile to convert them. Amounts are shown unconverted.",
            "Your profile lists no monthly services, so the managed cost is the onboarding fee only.",
        ]
    )


def test_assumption_texts_take_typed_items_too():
    est = estimate_costs(known(), profile())
    filters = make_filters("en-US", "USD")
    assert assumption_texts(est.assumption_items, filters) == est.assumptions
    assert assumption_texts([i.to_context() for i in est.assumption_items], filters) == est.assumptions


def _example(name: str) -> dict:
    from deckgen.load.files import load_profile, load_prospect
    from deckgen.resources import examples_dir

    prof = load_profile(examples_dir() / "profile.yaml")
    return estimate_costs(load_prospect(examples_dir() / "prospects" / f"{name}.yaml"), prof).to_context()


def test_alamo_starts_from_its_own_spend_and_models_downtime_conservatively():
    c = _example("alamo-family-dental")
    assert c["baseline"] == {
        "model": "break_fix",
        "label": "Break-fix",
        "spend_per_month": 2100,  # what they told us, not modelled call-outs
        "spend_source": "prospect",
        "kept": False,
        # 15 h down a month × (4,200,000 / 2,080 × 0.2 lost for good + 28 × 28 × 1.3 × 0.5) × 0.25 = 3,425
        "downtime_per_month": 3425,
        "per_month": 5525,
    }
    assert c["downtime"]["revenue_per_hour"] == 404  # a fifth of the revenue of an hour, not all of it
    lost_revenue_year = 15 * 404 * 0.25 * 12
    assert lost_revenue_year / c["range"]["today_per_year"]["expected"] < 0.35
    assert c["range"]["today_per_year"]["expected"] < 70_000  # not $148k
    # managed keeps 40 % of the downtime: 3,940 + 3,425 × 0.4 = 5,310
    assert c["managed"]["total_per_month"] == 5310 and c["managed"]["downtime_per_month"] == 1370
    low, expected, high = (c["range"]["savings"][k] for k in ("low", "expected", "high"))
    assert low < expected == c["comparison"]["savings"] < high
    assert "Your IT spend a month $2,100 — from your numbers (replaced by the managed service)" in c["assumptions"]
    reduction = next(a for a in c["assumptions"] if a.startswith("Less downtime with managed IT 60%"))
    assert "basis:" in reduction
    assert c["basis"].startswith("Based on your IT spend of $2,100 a month")
    assert c["charts"]["cost_comparison"]["series"][0]["name"] == "Break-fix"


def test_every_default_figure_has_a_basis_or_is_the_prospects_own():
    for name in ("alamo-family-dental", "thameside-accountants", "hengxin-logistics"):
        for item in _example(name)["assumption_items"]:
            if item["source"] in ("region", "claim") or (item["source"] == "default" and item["unit"] == "money"):
                assert item["basis"] or item["note"], (name, item)


def test_in_house_and_other_msp_baselines():
    uk = _example("thameside-accountants")
    assert uk["baseline"]["label"] == "In-house IT" and uk["baseline"]["kept"] is True
    assert uk["baseline"]["spend_source"] == "unknown"  # the same on both sides, so left out
    assert uk["charts"]["cost_comparison"]["series"][0]["name"] == "In-house IT"
    hk = _example("hengxin-logistics")
    assert hk["baseline"]["label"] == "Current provider" and hk["baseline"]["spend_source"] == "default"
    # 60 users × Hong Kong's HK$500 per user a month (regions.py), not the profile's US$90 converted
    assert hk["baseline"]["spend_per_month"] == 30000


def test_hong_kong_uses_regional_wages_not_a_converted_us_default():
    hk = _example("hengxin-logistics")
    wage = next(i for i in hk["assumption_items"] if i["key"] == "hourly_wage")
    hours = next(i for i in hk["assumption_items"] if i["key"] == "working_hours_per_year")
    assert (wage["value"], wage["source"]) == (110, "region")  # not 32 × 7.78 = 249
    assert (hours["value"], hours["source"]) == (2150, "region")
    assert "Hourly wage HK$110 — regional default" in " ".join(hk["assumptions"])
    # a US prospect of a US MSP keeps the profile's own default
    us = _example("northgate-dental-studio")
    assert next(i for i in us["assumption_items"] if i["key"] == "hourly_wage")["source"] == "default"


def test_managed_downtime_reduction_comes_from_the_profile():
    none = costs(known(), profile(managed_downtime_reduction=0))
    full = costs(known(), profile(managed_downtime_reduction=1))
    assert none["managed"]["downtime_per_month"] == 3780 and full["managed"]["downtime_per_month"] == 0
    assert none["downtime_reduction"] == 0 and full["comparison"]["savings"] > none["comparison"]["savings"]


def test_the_basis_line_calls_only_their_own_figures_theirs():
    """Pinecrest gave its incidents but not their length: the default hours are marked typical."""
    from deckgen.load.files import load_profile, load_prospect
    from deckgen.resources import examples_dir
    from deckgen.sales.costs import estimate_costs

    profile = load_profile(examples_dir() / "profile.yaml")
    pinecrest = load_prospect(examples_dir() / "prospects" / "pinecrest-family-medicine.yaml")
    basis = estimate_costs(pinecrest, profile).to_context()["basis"]
    assert "your 3 incidents a month of 3 hours (typical)" in basis, basis
    blank = pinecrest.model_copy(update={"numbers": pinecrest.numbers.model_copy(update={"incidents_per_month": None})})
    basis = estimate_costs(blank, profile).to_context()["basis"]
    assert "your " not in basis.split("a month,", 1)[1] and "incidents a month (typical)" in basis, basis


def test_against_another_provider_only_half_the_downtime_drop_is_claimed():
    from deckgen.load.files import load_profile, load_prospect
    from deckgen.model import ItModel
    from deckgen.resources import examples_dir
    from deckgen.sales.costs import estimate_costs

    profile = load_profile(examples_dir() / "profile.yaml")
    pinecrest = load_prospect(examples_dir() / "prospects" / "pinecrest-family-medicine.yaml")
    costs = estimate_costs(pinecrest, profile).to_context()
    assert costs["downtime_reduction"] == profile.cost_defaults.managed_downtime_reduction / 2
    assert "another provider runs their IT today" in " ".join(costs["assumptions"])
    breakfix = pinecrest.model_copy(update={"it_model": ItModel.break_fix})
    assert estimate_costs(breakfix, profile).to_context()["downtime_reduction"] == 0.6
