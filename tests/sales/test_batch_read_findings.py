"""What a sales manager found reading a 30-row HubSpot batch's decks: each deck must say what fits *this* row.

Rows like the ones read: IT model unknown, no situations recorded, a size or an industry we do not serve,
no site count.
"""

from __future__ import annotations

import datetime as _dt
import io

import pytest
from pptx import Presentation

from deckgen.build import BuildOptions, DeckBuilder
from deckgen.load.closings import load_library
from deckgen.load.files import load_profile
from deckgen.model import Location, Prospect, ProspectSize
from deckgen.resources import examples_dir
from deckgen.sales.closings import all_lines, choose_closing
from deckgen.sales.criteria import industry
from deckgen.sales.fit import money_view, score_fit
from deckgen.sales.storyline import organisation_word, standards_title, storyline_next_steps, walk_away_reason

TODAY = _dt.date(2026, 12, 1)
PROFILE = load_profile(examples_dir() / "profile.yaml")
SAN_ANTONIO = Location(city="San Antonio", region="TX", country="United States")
INSULTS = ("too small", "too big", "too large", "score", "not good enough")


def crm_row(company: str, industry_: str, users: int | None, **kw) -> Prospect:
    """A CRM row as the HubSpot preset maps it: no IT model, no situations, no sites."""
    return Prospect(company=company, industry=industry_, size=ProspectSize(users=users), location=SAN_ANTONIO, **kw)


def _deck(prospect: Prospect, brief: bool = False):
    built = DeckBuilder(PROFILE, BuildOptions(today=TODAY, brief=brief)).build(prospect)
    prs = Presentation(io.BytesIO(built.data))
    slides = [" | ".join(sh.text_frame.text for sh in s.shapes if sh.has_text_frame) for s in prs.slides]
    notes = " ".join(s.notes_slide.notes_text_frame.text for s in prs.slides if s.has_notes_slide)
    return built, slides, notes


# ---------------------------------------------------------------- 1. no break-fix line without break-fix


def test_a_b_deck_with_unknown_it_model_gets_a_neutral_default_line_not_the_break_fix_one():
    row = crm_row("Alamo Heights Dental Group", "Medical Practice", 32)
    lines = all_lines(PROFILE, load_library())
    choice = choose_closing(row, PROFILE, score_fit(row, PROFILE), lines=lines)
    assert "break_fix" not in choice.line.triggers, choice.line.id  # the profile's own break-fix line won before
    assert choice.default and "confirm" in choice.reason
    built, slides, notes = _deck(row, brief=True)
    assert built.storyline == "buyer"
    text = " ".join(slides)
    assert "quick reset" not in text and "only want a call when it breaks" not in text
    assert choice.line.short in text
    assert "default: confirm in discovery" in notes  # the seller is told it is a default to confirm
    brief = Presentation(io.BytesIO(built.brief))
    brief_text = " ".join(sh.text_frame.text for s in brief.slides for sh in s.shapes if sh.has_text_frame)
    assert "default" in brief_text and "confirm" in brief_text


def test_a_row_with_break_fix_still_gets_a_break_fix_line():
    row = crm_row("Alamo Heights Dental Group", "Medical Practice", 32, it_model="break_fix")
    choice = choose_closing(row, PROFILE, score_fit(row, PROFILE), lines=all_lines(PROFILE, load_library()))
    assert "break_fix" in choice.line.triggers and not choice.default


# ---------------------------------------------------------------- 2. the walk-away says why, as fit


@pytest.mark.parametrize(
    "row, reason, title_words, step_words",
    [
        (
            crm_row("Texas Hill Country Regional Hospital", "Hospital & Health Care", 400),
            "too_large",
            "teams of 15–150 people",
            "built for hospitals your size",
        ),
        (
            crm_row("Medina Valley Insurance Agency", "Insurance", 9),
            "too_small",
            "teams of 15–150 people",
            "grows past 15 people",
        ),
        (
            crm_row("Bexar Logistics & Freight", "Logistics and Supply Chain", 210),
            "too_large",
            "teams of 15–150 people",
            "built for businesses your size",
        ),
    ],
)
def test_a_walk_away_for_size_says_it_as_fit_not_as_standards(row, reason, title_words, step_words):
    fit = score_fit(row, PROFILE)
    assert fit.band == "walk_away" and not fit.disqualified_by
    assert walk_away_reason(fit) == reason
    built, slides, _ = _deck(row)
    assert built.storyline == "walk_away"
    text = " ".join(slides)
    assert "Every client of ours accepts these standards" not in text
    assert "When these standards work for you" not in text
    assert title_words in text and step_words in text
    assert not any(word in text.lower() for word in INSULTS)
    assert f"{row.size.users} users" not in text and f"{row.size.users} people" not in text  # no size read back


def test_a_walk_away_for_industry_names_the_clients_we_serve():
    fit = score_fit(crm_row("Acme Freight", "Logistics and Supply Chain", 60), PROFILE)
    by_name = {c.name: c for c in fit.criteria}
    assert by_name["industry"].share == 0
    fake = type(fit)(**{**fit.__dict__, "band": "walk_away", "must_have_failures": ("industry",)})
    assert walk_away_reason(fake) == "industry"
    title = standards_title("walk_away", "industry", PROFILE, crm_row("Acme Freight", "Logistics", 60))
    assert title == "We serve dental, medical, legal and accounting clients"
    steps = storyline_next_steps("walk_away", PROFILE, crm_row("Acme Freight", "Logistics", 60), "industry")
    assert any("knows your sector" in s for s in steps) and not any("standards" in s for s in steps)


def test_a_walk_away_for_a_refused_standard_keeps_the_standards_copy():
    row = crm_row("Lone Co", "Dental", 40, situations=["refuses_security"])
    prof = PROFILE.model_copy(deep=True)
    prof.icp.disqualifiers = ["refuses_security"]
    fit = score_fit(row, prof)
    assert walk_away_reason(fit) == "standards"
    assert standards_title("walk_away", "standards", prof, row) == "Every client of ours accepts these standards"
    assert storyline_next_steps("walk_away", prof, row, "standards")[0].startswith("When these standards work")


def test_a_pitch_keeps_the_standards_headline():
    assert standards_title("buyer", "", PROFILE, crm_row("A", "Dental", 40)).startswith("Every client of ours")


# ---------------------------------------------------------------- 3. the plan says how many sites it counted


def test_the_plan_title_and_rate_card_say_the_site_count_and_that_it_is_assumed():
    _, slides, _ = _deck(crm_row("Northside Pediatrics", "Medical Practice", 48))
    plan = next(s for s in slides if s.startswith("Your plan:"))
    assert plan.split(" | ")[0].endswith("· 48 users · 1 site (assumed)"), plan
    rates = next(s for s in slides if s.startswith("Appendix: the rates behind your plan"))
    assert "Priced for 48 users (your figure), 1 site (assumed)." in rates


def test_known_sites_are_counted_without_assumed():
    row = crm_row("Northside Pediatrics", "Medical Practice", 48)
    row = row.model_copy(update={"size": ProspectSize(users=48, sites=2)})
    _, slides, _ = _deck(row)
    plan = next(s for s in slides if s.startswith("Your plan:"))
    assert plan.split(" | ")[0].endswith("· 48 users · 2 sites"), plan
    rates = next(s for s in slides if s.startswith("Appendix: the rates behind your plan"))
    assert "2 sites (your figure)" in rates and "assumed" not in rates


# ---------------------------------------------------------------- 4. words that fit the organisation


@pytest.mark.parametrize(
    "company, industry_, word",
    [
        ("St. Brendan's Catholic School", "Primary/Secondary Education", "schools"),
        ("Hill Country Food Bank", "Non-profit Organization Management", "organizations"),
        ("Stone Oak Family Dentistry", "Hospital & Health Care", "practices"),
        ("Mission Trail Animal Hospital", "Veterinary", "practices"),
        ("Caliche Ridge Builders", "Construction", "businesses"),
        ("Brightpath Financial Advisors", "Financial Services", "firms"),
    ],
)
def test_the_nurture_deck_calls_the_prospect_what_it_is(company, industry_, word):
    row = crm_row(company, industry_, 40)
    assert organisation_word(row, plural=True) == word
    steps = storyline_next_steps("nurture", PROFILE, row)
    assert f"what we see in {word} like yours" in steps[0]


def test_british_spelling_outside_the_us():
    row = Prospect(company="Food Bank", industry="Non-profit", location=Location(country="United Kingdom"))
    assert organisation_word(row) == "organisation"


def test_industry_reasons_read_naturally_for_the_seller():
    icp = PROFILE.icp
    money = money_view(crm_row("A", "Dental", 40), PROFILE)
    broad = industry(crm_row("Stone Oak Family Dentistry", "Hospital & Health Care", 18), icp, money).reason
    assert "broader category of" not in broad
    assert broad.startswith("Hospital & Health Care is a broad category that takes in dental, one of your industries")
    same = industry(crm_row("A", "Accounting", 40), icp, money).reason
    assert same == "Accounting is one of your industries."  # not "Accounting is … (accounting)"
    listed = industry(crm_row("A", "Veterinary", 40), icp, money).reason
    assert listed == "Veterinary is one of your adjacent industries."
