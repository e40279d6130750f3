"""The budget criterion: a known IT spend stands in for an unstated budget, and a budget that can only be a
unit mistake is a warning to check, not a bad fit."""

from __future__ import annotations

from fractions import Fraction

import pytest

from deckgen.load.files import load_profile, load_prospect
from deckgen.model import Prospect
from deckgen.resources import examples_dir
from deckgen.sales.brief import BUDGET_CHECK_QUESTION, QUESTIONS, SPEND_QUESTION, questions, slide_questions
from deckgen.sales.budget import IMPLAUSIBLY_HIGH, IMPLAUSIBLY_LOW, budget_basis, implausible, price_band
from deckgen.sales.closings import implied_situations
from deckgen.sales.fit import score_fit
from deckgen.sales.storyline import customer_fit

PROFILE = load_profile(examples_dir() / "profile.yaml")  # floor $125; cheapest plan $95 a user, all per user $145


def example(name: str) -> Prospect:
    return load_prospect(examples_dir() / "prospects" / f"{name}.yaml")


def prospect(**kw) -> Prospect:
    data = {
        "company": "Test Dental",
        "industry": "dental",
        "size": {"users": 20},
        "location": {"city": "San Antonio", "country": "US"},
        **kw,
    }
    return Prospect.model_validate(data)


# ---------------------------------------------------------------- a known IT spend is the budget


def test_a_known_it_spend_is_scored_as_the_budget_and_the_brief_says_so():
    fit = score_fit(example("alamo-family-dental"), PROFILE)  # $2,100 a month, 28 users, no budget stated
    budget = fit.criterion("budget")
    assert budget.known and budget.rule == "spend"
    assert budget.reason.startswith("Budget taken from current IT spend of $2,100 a month over 28 users: $75 per user")
    assert "Budget" not in [c.label for c in fit.criteria if not c.known]


@pytest.mark.parametrize(
    "spend, points",
    [(2600, 10), (2100, 5), (1900, 0)],  # over 20 users: $130, $105 and $95 against a $125 floor
)
def test_the_spend_per_user_meets_the_floor_like_a_stated_budget(spend, points):
    fit = score_fit(prospect(numbers={"it_spend_per_month": spend}), PROFILE)
    assert fit.criterion("budget").points == points


def test_a_spend_in_another_currency_is_converted_like_a_budget():
    p = prospect(location={"city": "London", "country": "GB"}, numbers={"it_spend_per_month": 2000})
    reason = score_fit(p, PROFILE).criterion("budget").reason  # £100 a user at 0.79 to the dollar
    assert reason.startswith("Budget taken from current IT spend of £2,000 a month over 20 users: £100 (about US$127)")
    assert "meets your floor of US$125, but the recommended plan (Secure, £110 a user a month)" in reason


def test_a_stated_budget_wins_over_the_spend_and_endpoints_stand_in_for_users():
    both = prospect(budget_per_user_month=130, numbers={"it_spend_per_month": 100})
    assert budget_basis(both).source == "stated" and score_fit(both, PROFILE).criterion("budget").points == 10
    devices = prospect(size={"endpoints": 25}, numbers={"it_spend_per_month": 3250})
    assert budget_basis(devices).per_user == 130 and budget_basis(devices).unit == "endpoints"


def test_a_spend_without_a_head_count_stays_unknown_and_says_what_is_missing():
    p = prospect(size={}, numbers={"it_spend_per_month": 2100})
    budget = score_fit(p, PROFILE).criterion("budget")
    assert not budget.known and "not how many users it serves" in budget.reason


def test_the_brief_does_not_ask_for_a_spend_it_already_has():
    for p in (example("alamo-family-dental"), prospect(size={}, numbers={"it_spend_per_month": 2100})):
        fit = score_fit(p, PROFILE)
        asked = questions(fit, p, "pitch")
        assert SPEND_QUESTION not in asked and QUESTIONS["budget"] not in asked
        assert "What do you spend on IT a month, all in?" not in slide_questions(fit, p)


def test_without_any_spend_the_brief_still_asks_for_it():
    p = prospect()  # IT model unknown too: its question asks what IT cost them, and the spend one would repeat it
    asked = questions(score_fit(p, PROFILE), p, "discovery")
    assert QUESTIONS["it_model"] in asked and SPEND_QUESTION not in asked
    known_model = prospect(it_model="in_house")
    assert SPEND_QUESTION in questions(score_fit(known_model, PROFILE), known_model, "discovery")


def test_a_low_current_spend_is_not_read_as_wanting_the_cheapest():
    p = example("alamo-family-dental")
    assert "wants_cheapest" not in implied_situations(p, PROFILE, score_fit(p, PROFILE))


# ---------------------------------------------------------------- an implausible budget is a warning


def test_hengxins_budget_is_a_unit_mistake_to_check_not_a_bad_fit():
    p = example("hengxin-logistics")  # HK$60 a user a month: about $8, against a cheapest plan of $95
    fit = score_fit(p, PROFILE)
    budget = fit.criterion("budget")
    assert (budget.known, budget.points, budget.rule) == (False, Fraction(3), "implausible")
    assert budget.reason.startswith(
        "Check the budget: HK$60 a user a month is far below your cheapest plan (about HK$740 a user a month)"
    )
    assert "per month or per year, per user or for the whole company" in budget.reason
    assert fit.confidence == 0.9 and "budget" in fit.missing
    assert fit.band == "walk_away" and fit.disqualified_by == ("refuses_security",)  # for its refusal, not its budget
    assert "wants_cheapest" not in implied_situations(p, PROFILE, fit)
    asked = questions(fit, p, "walk_away")
    assert asked[1] == BUDGET_CHECK_QUESTION and asked.count(SPEND_QUESTION) == 1  # their spend is not known


def test_a_budget_far_above_every_price_is_flagged_too():
    p = prospect(budget_per_user_month=4000)  # more than 20 × $145, everything per user together
    budget = score_fit(p, PROFILE).criterion("budget")
    assert not budget.known and budget.reason.startswith("Check the budget: $4,000 a user a month is far above")


def test_a_spend_that_reads_as_a_years_total_is_flagged_as_the_spend():
    p = prospect(numbers={"it_spend_per_month": 1_200_000})
    reason = score_fit(p, PROFILE).criterion("budget").reason
    assert reason.startswith(
        "Check the IT spend: $1,200,000 a month over 20 users is $60,000 a user a month, far above"
    )


def test_the_thresholds_are_named_and_their_edges_are_plausible():
    band = price_band(PROFILE, PROFILE.icp)
    assert (band.low, band.high) == (95, 145)  # the cheapest tier per user; everything per user, add-ons too
    assert implausible(band.low * IMPLAUSIBLY_LOW, band) == ""
    assert implausible(band.low * IMPLAUSIBLY_LOW - Fraction(1, 100), band) == "low"
    assert implausible(band.high * IMPLAUSIBLY_HIGH, band) == ""
    assert implausible(band.high * IMPLAUSIBLY_HIGH + 1, band) == "high"


def test_with_only_the_icp_the_floor_is_the_yardstick():
    icp = PROFILE.icp.model_copy(update={"budget_floor_per_user_month": 100})
    assert score_fit(prospect(budget_per_user_month=19), icp).criterion("budget").rule == "implausible"
    assert score_fit(prospect(budget_per_user_month=20), icp).criterion("budget").points == 0  # low, but real


def test_the_customer_reads_their_own_spend_not_a_budget_they_never_named():
    p = prospect(industry="", location={}, numbers={"it_spend_per_month": 2600})  # $130 a user: meets the floor
    strengths = customer_fit(score_fit(p, PROFILE), p, PROFILE).strengths
    assert "Your IT spend covers security, not just support." in strengths
    stated = prospect(industry="", location={}, budget_per_user_month=130)
    assert (
        "Your budget covers security, not just support."
        in customer_fit(score_fit(stated, PROFILE), stated, PROFILE).strengths
    )


# --------------------------------------------------------------------------- a plan above their figure


def _brief(p: Prospect) -> dict:
    from deckgen.load.objections import load_objections
    from deckgen.sales.brief import seller_brief

    fit = score_fit(p, PROFILE)
    return seller_brief(
        profile=PROFILE, prospect=p, fit=fit, closing=None, storyline="pitch", objections=load_objections()
    )


@pytest.mark.parametrize(
    "name, says, price, theirs",
    [
        ("hill-country-veterinary", "That's more than our budget of $130 a user.", "$143", "$130"),
        ("thameside-accountants", "That's more than our budget of £105 a user.", "£107", "£105"),
        ("alamo-family-dental", "That's a lot more than we spend on IT today.", "$141", "$75"),
    ],
)
def test_a_plan_above_their_budget_or_spend_gives_a_price_objection_with_an_answer(name, says, price, theirs):
    p = example(name)
    reason = score_fit(p, PROFILE).criterion("budget").reason
    if "meets your floor" in reason:  # the floor is met, but the plan still costs more: the reason says so
        assert f"recommended plan (Secure, {price} a user a month)" in reason and "price objection" in reason
    # first, after what we do not cover (Thameside's GDPR and Cyber Essentials)
    first = next(o for o in _brief(p)["objections"] if o["id"] != "compliance-gap")
    assert first["id"] == "price-above-budget" and first["says"] == says
    assert f"{price} a user a month" in first["answer"] and theirs in first["answer"]
    assert "Essentials" in first["answer"]  # the tier below
    assert "walk-away point" in first["answer"]  # where the seller stops
    assert "Do not discount" in first["avoid"]


def test_a_budget_that_covers_the_plan_gives_no_price_objection():
    p = prospect(budget_per_user_month=200)
    assert "price objection" not in score_fit(p, PROFILE).criterion("budget").reason
    assert all(o["id"] != "price-above-budget" for o in _brief(p)["objections"])
