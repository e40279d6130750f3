"""Found by reading decks as the prospect and as a sales coach: what each deck and brief must say, or not."""

from __future__ import annotations

import datetime as _dt
import io

import pytest
from pptx import Presentation

from deckgen.build import BuildOptions, DeckBuilder
from deckgen.load.closings import load_library
from deckgen.load.files import load_prospect
from deckgen.load.objections import load_objections
from deckgen.model import Location, Person, ProspectSize
from deckgen.resources import examples_dir
from deckgen.sales.brief import seller_brief
from deckgen.sales.closings import all_lines, choose_closing
from deckgen.sales.coaching import rank_objections, situation_sources
from deckgen.sales.fit import score_fit
from deckgen.sales.storyline import walk_away_reason

from .test_fit import INFLUENCER, ideal
from .test_unserved_country import profile

TODAY = _dt.date(2026, 12, 1)
PARTINGS = {
    "too_small": lambda: ideal(size=ProspectSize(users=3)),
    "too_large": lambda: ideal(size=ProspectSize(users=900)),
    "industry": lambda: ideal(industry="Logistics"),
}


def _build(prospect, prof=None, **options):
    built = DeckBuilder(prof or profile(), BuildOptions(today=TODAY, brief=True, **options)).build(prospect)
    return built, Presentation(io.BytesIO(built.data)), Presentation(io.BytesIO(built.brief))


def _notes(slide) -> str:
    return slide.notes_slide.notes_text_frame.text if slide.has_notes_slide else ""


def _titled(prs, start: str):
    return next(s for s in prs.slides if s.shapes.title is not None and s.shapes.title.text.startswith(start))


def _shape_text(prs, name: str) -> str:
    return next(sh.text_frame.text for s in prs.slides for sh in s.shapes if sh.name == name and sh.has_text_frame)


@pytest.mark.parametrize("reason", sorted(PARTINGS))
def test_a_walk_away_for_size_or_industry_coaches_the_parting_not_the_standards(reason):
    prospect = PARTINGS[reason]()
    assert walk_away_reason(score_fit(prospect, profile())) == reason
    built, deck, brief = _build(prospect, storyline="walk_away")
    assert built.storyline == "walk_away"
    standards = _notes(_titled(deck, "We serve"))
    assert "THEY MAY SAY" in standards and "exception" in standards  # their pushback on why we part, answered
    assert "never been hacked" not in standards.lower()  # no library debate on a standard nobody refused
    close = _notes(next(s for s in deck.slides if s.shapes.title is not None and s.shapes.title.name == "Closing line"))
    assert "go back to the minimum standards" not in close and "do not make an exception" in close
    assert "after the standards" not in close  # WHEN: after the slide on who we serve
    last = _notes(deck.slides[-1])
    assert "LAST WORDS" in last and "start from the standards" not in last.split("LAST WORDS")[1].split("\n")[0]
    assert "door open on your standards" not in last
    assert "state our standards" not in _notes(deck.slides[0])  # THIS DECK: the brief's reason-aware guidance
    page1, page2 = _shape_text(brief, "Questions"), _shape_text(brief, "Objections")
    assert "standards" not in page1
    assert "exception" in page2 or "industry matter" in page2  # the parting's objection leads the brief
    prof = profile()
    fit = score_fit(prospect, prof)
    brief_data = seller_brief(
        profile=prof, prospect=prospect, fit=fit, closing=None, storyline="walk_away", objections=load_objections()
    )
    # nothing is sold: no debate implied by their IT model or budget, only the parting they will push back on
    assert [o["id"] for o in brief_data["objections"]] == [f"parting-{reason.replace('_', '-')}"]
    stated = ideal(size=prospect.size, industry=prospect.industry, situations=["slow_decision"])
    kept = seller_brief(
        profile=prof,
        prospect=stated,
        fit=score_fit(stated, prof),
        closing=None,
        storyline="walk_away",
        objections=load_objections(),
    )
    assert "not-the-right-time" in [o["id"] for o in kept["objections"]]  # what they said themselves stays


def test_a_walk_away_over_a_refused_standard_still_rests_on_the_standards():
    prospect = ideal(situations=["refuses_security"])
    assert walk_away_reason(score_fit(prospect, profile())) == "standards"
    _, deck, brief = _build(prospect, storyline="walk_away")
    assert "start from the standards" in _notes(deck.slides[-1])
    assert "firm no" in _shape_text(brief, "Questions")  # not "any flexibility on the standards?"
    assert "flexibility" not in _shape_text(brief, "Questions")


def test_the_brief_gives_the_closing_line_in_the_words_the_slide_shows():
    thameside = load_prospect(examples_dir() / "prospects" / "thameside-accountants.yaml")
    built, deck, brief = _build(thameside)
    assert built.storyline == "buyer"  # a deck with the closing slide
    on_slide = next(sh.text_frame.text for s in deck.slides for sh in s.shapes if sh.name == "Closing line")
    assert built.closing.line.short and on_slide == built.closing.line.short != built.closing.line.text
    assert f"“{on_slide}”" in _shape_text(brief, "Close")  # the seller rehearses what the prospect reads
    close_notes = _notes(next(s for s in deck.slides if s.shapes.title and s.shapes.title.name == "Closing line"))
    assert f"SAY THE SLIDE'S WORDS (they are on the screen as you speak; the brief has the same): “{on_slide}”" in (
        close_notes
    )


def test_a_pitch_without_a_closing_slide_keeps_the_full_line_in_the_brief():
    alamo = load_prospect(examples_dir() / "prospects" / "alamo-family-dental.yaml")
    built, _, brief = _build(alamo)
    assert built.storyline == "pitch"
    assert " ".join(built.closing.line.text.split()) in " ".join(_shape_text(brief, "Close").split())


def _sla_rows(deck) -> list[str]:
    return [c.text for s in deck.slides for sh in s.shapes if sh.has_table for r in sh.table.rows for c in r.cells]


def test_a_client_abroad_reads_the_slas_as_our_hours_and_the_seller_is_told_so():
    thameside = load_prospect(examples_dir() / "prospects" / "thameside-accountants.yaml")
    _, deck, _ = _build(thameside)
    assert "First response, our hours (US Central Time)" in _sla_rows(deck)
    proof = _notes(_titled(deck, "Our service levels"))
    assert "THEIR HOURS: They work in the UK" in proof and "US Central Time" in proof


def test_a_remote_client_at_home_keeps_business_hours_and_gets_no_hours_note():
    houston = ideal(location=Location(city="Houston", region="TX", country="US"))
    _, deck, _ = _build(houston)
    assert "First response, business hours (US Central Time)" in _sla_rows(deck)
    assert "THEIR HOURS" not in _notes(_titled(deck, "Our service levels"))


def test_a_deck_in_another_currency_names_the_rate_in_the_sellers_notes():
    thameside = load_prospect(examples_dir() / "prospects" / "thameside-accountants.yaml")
    _, deck, _ = _build(thameside)
    plan = _notes(_titled(deck, "Your plan"))
    assert "FIGURES IN GBP" in plan and "0.79 GBP per USD" in plan and "check it before sending" in plan
    _, home, _ = _build(ideal())
    assert "FIGURES IN" not in _notes(_titled(home, "Your plan"))


def test_an_unknown_location_is_not_coached_as_a_remote_client():
    nowhere = ideal(location=Location())
    assert "remote_only" not in situation_sources(nowhere, profile())
    houston = ideal(location=Location(city="Houston", country="US"))
    assert situation_sources(houston, profile())["remote_only"] == "from their location"


def test_a_buyer_deck_prepared_for_the_person_who_signs_asks_them_not_for_a_meeting_with_them():
    buyer = ideal().decision_makers[0]
    ready = ideal(contact=Person(name=buyer.name, title=buyer.title), situations=["slow_decision"], compliance=[])
    built, deck, brief = _build(ready, storyline="buyer")
    last = _titled(deck, "One meeting")
    assert last.shapes.title.text == "One meeting to agree the scope is the next step"
    body = " ".join(sh.text_frame.text for sh in last.shapes if sh.has_text_frame)
    assert "30 minutes with you to agree the scope." in body and buyer.name not in body
    notes = _notes(last)
    assert "When could the three of us meet?" not in notes and "a date you'll decide by" in notes
    goal = _shape_text(brief, "Goal")
    assert f"Leave with {buyer.name}'s agreement" in goal and "into the next meeting" not in goal
    assert "getting the economic buyer into the room" not in _shape_text(brief, "Verdict")
    assert "THIS DECK: Pitch to the person who signs" in _notes(deck.slides[0])
    other = ideal(contact=Person(name="Someone Else", title="Office Manager"), situations=["slow_decision"])
    _, deck2, _ = _build(other, storyline="buyer")
    assert _titled(deck2, "One meeting").shapes.title.text == "One meeting with your decision maker is the next step"


def _large_hospital():
    return ideal(
        industry="Hospital",
        size=ProspectSize(users=900, sites=6),
        location=Location(city="Houston", region="TX", country="US"),
        it_model="in_house",
        it_pain=False,
        compliance=[],
        budget_per_user_month=70,
        decision_makers=[INFLUENCER],
    )


def test_a_walk_away_on_fit_closes_with_the_line_made_for_fit():
    hospital = _large_hospital()
    fit = score_fit(hospital, profile())
    assert fit.band == "walk_away" and walk_away_reason(fit) == "too_large"
    closing = choose_closing(hospital, profile(), fit, lines=all_lines(profile(), load_library()))
    # not "Want a vendor? We're not your team." (it also answers no_decision_maker): they never said that
    assert closing.line.id == "built-for-a-kind-of-client"
    refuses = ideal(situations=["refuses_security"], size=ProspectSize(users=900))
    lines = all_lines(profile(), load_library())
    refused = choose_closing(refuses, profile(), score_fit(refuses, profile()), lines=lines)
    assert "refuses_security" in refused.line.triggers  # a disqualifier is still the why


@pytest.mark.parametrize("storyline", ["walk_away", "nurture", "discovery"])
def test_a_deck_without_a_price_does_not_coach_a_price_negotiation(storyline):
    hospital = _large_hospital()
    fit = score_fit(hospital, profile())
    closing = choose_closing(hospital, profile(), fit, lines=all_lines(profile(), load_library()))
    prof, library = profile(), load_objections()
    brief = seller_brief(
        profile=prof, prospect=hospital, fit=fit, closing=closing, storyline=storyline, objections=library
    )
    assert not any("budget of" in o["says"] for o in brief["objections"]), [o["says"] for o in brief["objections"]]
    priced = seller_brief(
        profile=profile(), prospect=hospital, fit=fit, closing=closing, storyline="buyer", objections=load_objections()
    )
    assert any("budget of $70" in o["says"] for o in priced["objections"])  # where the price shows, it is coached


def test_the_price_answer_offers_a_remote_client_no_on_site_time():
    library = load_objections()

    def answer(prospect) -> str:
        prof = profile()
        ranked = rank_objections(prospect, situation_sources(prospect, prof), library)
        return next(o["answer"] for o in ranked if o["id"] == "price-too-high")

    remote = ideal(situations=["price_shopper"], location=Location(city="Manchester", country="United Kingdom"))
    assert "on-site" not in answer(remote) and "written response times" in answer(remote)
    assert "on-site time" in answer(ideal(situations=["price_shopper"]))  # San Antonio: visits are in the contract
