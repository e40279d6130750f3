"""A prospect in a country the profile does not serve is a walk-away with a referral, never a nurture deck."""

from __future__ import annotations

import datetime as _dt

import pytest

from deckgen.build import BuildOptions, DeckBuilder
from deckgen.load.closings import load_library
from deckgen.load.files import load_profile
from deckgen.model import Geography, Location, Prospect, ProspectSize
from deckgen.resources import examples_dir
from deckgen.sales.closings import all_lines, choose_closing
from deckgen.sales.fit import score_fit
from deckgen.sales.storyline import storyline_for, storyline_next_steps

from .test_fit import icp, ideal


def profile():
    return load_profile(examples_dir() / "profile.yaml")


def cologne(**kw) -> Prospect:
    """A good fit on everything but the country (the example profile serves US, GB and HK)."""
    base = dict(location=Location(city="Köln", country="Germany"), locale="de-DE")
    base.update(kw)
    return ideal(**base)


def test_a_country_outside_the_served_list_is_a_walk_away_whatever_the_score():
    fit = score_fit(cologne(), icp(must_haves=[]))
    assert fit.raw_band in ("A", "B")  # everything else fits: without the rule this was a pitch
    assert fit.band == "walk_away"
    assert fit.unserved_country == "Germany"
    assert fit.verdict.startswith("Walk away and refer: Germany is not among the countries")
    assert "icp.geography.countries" in fit.verdict
    assert storyline_for(fit.band) == "walk_away"
    assert storyline_for(fit.band, referral=True) == "referral"


def test_the_geography_must_have_no_longer_turns_it_into_a_nurture_deck():
    fit = score_fit(cologne(), icp(must_haves=["geography"]))
    assert fit.band == "walk_away" and "Nurture" not in fit.verdict


@pytest.mark.parametrize(
    "location, geography",
    [
        (Location(city="Köln", country="DE"), Geography(countries=["DE", "US"])),  # served, by code
        (Location(city="Köln", country="Germany"), Geography(countries=[])),  # no list: anywhere
        (Location(city="Köln"), Geography(countries=["US"])),  # no country given: not held against them
    ],
)
def test_served_or_unknown_countries_are_not_walked_away(location, geography):
    fit = score_fit(ideal(location=location, size=ProspectSize(users=40)), icp(geography=geography))
    assert fit.unserved_country == "" and fit.band != "walk_away"


def test_the_closing_line_is_the_referral_and_the_next_steps_refer():
    prof = profile()
    p = cologne()
    fit = score_fit(p, prof)
    choice = choose_closing(p, prof, fit, lines=all_lines(prof, load_library()))
    assert choice.line.id == "not-where-we-work"
    assert "outside_service_area (from their country)" in choice.reason
    steps = storyline_next_steps("referral", prof, p)
    assert any("provider" in s for s in steps) and not any("standards" in s for s in steps)


def test_the_seller_is_asked_to_confirm_the_country_in_the_build_warnings():
    built = DeckBuilder(profile(), BuildOptions(today=_dt.date(2026, 12, 1))).build(cologne())
    assert built.storyline == "referral"
    texts = [str(w) for w in built.warnings]
    assert any(t.startswith("location.country: confirm we serve Germany") for t in texts), texts


def test_every_slide_of_the_referral_deck_holds_at_most_40_words(tmp_path):
    """The referral's next steps share their slide with the headline and the contact band (46 words once)."""
    import importlib.util
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    spec = importlib.util.spec_from_file_location("measure_decks", root / "tools" / "measure_decks.py")
    measure = importlib.util.module_from_spec(spec)
    sys.modules["measure_decks"] = measure  # dataclasses look their module up while the class is made
    spec.loader.exec_module(measure)
    built = DeckBuilder(profile(), BuildOptions(today=_dt.date(2026, 12, 1))).build(cologne())
    assert built.storyline == "referral"
    deck = tmp_path / "cologne.pptx"
    deck.write_bytes(built.data)
    slides = measure.measure_deck(deck)
    assert "We help you find a team near you" in [m.title for m in slides]
    assert [(m.number, m.title, m.words) for m in slides if m.words > 40] == []
