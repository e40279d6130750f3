"""A prospect we do not serve because of where they are gets a short, gracious referral deck, not our standards."""

from __future__ import annotations

import datetime as _dt

from deckgen.build import BuildOptions, DeckBuilder
from deckgen.model import Location, Prospect
from deckgen.sales.brief import seller_brief
from deckgen.sales.coaching import STORYLINE_SLIDES
from deckgen.sales.fit import score_fit
from deckgen.sales.jurisdictions import foreign_frameworks, is_foreign
from deckgen.sales.proof import fitted_proof_points
from deckgen.sales.storyline import storyline_for, storyline_next_steps

from .test_fit import ideal
from .test_unserved_country import cologne, profile

TODAY = _dt.date(2026, 12, 1)


def _text(data: bytes) -> tuple[str, str]:
    import io

    from pptx import Presentation

    prs = Presentation(io.BytesIO(data))
    slides = " ".join(sh.text_frame.text for s in prs.slides for sh in s.shapes if sh.has_text_frame)
    notes = " ".join(s.notes_slide.notes_text_frame.text for s in prs.slides if s.has_notes_slide)
    return slides, notes


def test_the_referral_storyline_shows_who_we_are_and_no_standards():
    assert "standards" not in STORYLINE_SLIDES["referral"] and "promise" in STORYLINE_SLIDES["referral"]
    assert "standards" in STORYLINE_SLIDES["walk_away"]  # an ordinary walk-away still states them
    assert storyline_for("walk_away", referral=True) == "referral"
    assert storyline_for("A", referral=True) == "pitch"  # only a walk-away becomes a referral
    assert storyline_for("walk_away", "walk-away", referral=True) == "walk_away"  # the seller's choice holds


def test_the_brief_tells_the_seller_to_refer_not_to_argue_standards():
    prof, p = profile(), cologne()
    fit = score_fit(p, prof)
    brief = seller_brief(profile=prof, prospect=p, fit=fit, closing=None, storyline="referral")
    assert not any("standards" in q for q in brief["questions"]), brief["questions"]
    assert any("introduction" in q for q in brief["questions"])
    assert "Germany" in brief["goal"] and "referred no" in brief["goal"] and "debate" in brief["goal"]
    assert [o["id"] for o in brief["objections"]] == ["remote-from-abroad"]
    assert "introduction" in brief["closing_how"] and "silence work" not in brief["closing_how"]
    walk = seller_brief(profile=prof, prospect=p, fit=fit, closing=None, storyline="walk_away")
    assert any("the right fit" in q for q in walk["questions"])  # a walk-away (on fit) asks its own question


def test_the_referral_deck_has_no_standards_slide_and_ends_with_the_introduction():
    built = DeckBuilder(profile(), BuildOptions(today=TODAY, brief=False)).build(cologne())
    assert built.storyline == "referral"
    slides, notes = _text(built.data)
    assert "Every client of ours accepts these standards" not in slides
    assert "introduce you to a local provider" in slides
    assert "tested restore" in slides  # what to look for in a provider near them
    assert "Our promise:" in slides  # who we are
    assert "go back to the minimum standards" not in notes and "referred no" in notes
    assert "Couldn't you just support us remotely?" in notes


def test_next_steps_of_a_referral_are_about_their_next_provider():
    steps = storyline_next_steps("referral", profile(), cologne())
    assert not any("standards" in s for s in steps) and any("provider" in s for s in steps)


def test_a_walk_away_without_a_rate_warns_about_no_price():
    built = DeckBuilder(profile(), BuildOptions(today=TODAY, brief=False)).build(cologne())
    assert built.currency == "EUR"  # the example profile has no EUR rate, and this deck shows no price
    assert not [w for w in built.warnings if "exchange_rates" in str(w)], [str(w) for w in built.warnings]


def test_the_missing_rate_warning_names_the_profile_field():
    from deckgen.sales.costs import estimate_costs

    est = estimate_costs(cologne(), profile())
    assert [w.field for w in est.warnings if "under exchange_rates" in w.message] == ["exchange_rates.EUR"]


def test_frameworks_belong_to_their_countries():
    assert is_foreign("HIPAA", "Canada") and is_foreign("hipaa", "CA") and not is_foreign("HIPAA", "United States")
    assert is_foreign("PIPEDA", "US") and not is_foreign("PIPEDA", "Canada")
    assert not is_foreign("GDPR", "Germany") and not is_foreign("GDPR", "United Kingdom") and is_foreign("GDPR", "AU")
    assert not is_foreign("SOC 2", "Canada") and not is_foreign("PCI DSS", "Australia")  # no country's law
    assert not is_foreign("HIPAA", "") and not is_foreign("HIPAA", "Atlantis")  # unknown country: not assumed
    assert foreign_frameworks(["HIPAA", "SOX", "GLBA", "CMMC", "SOC 2"], "Canada") == {"hipaa", "sox", "glba", "cmmc"}


def test_a_canadian_clinic_with_unknown_needs_reads_no_hipaa_proof():
    prof = profile()
    toronto = ideal(industry="Medical practice", location=Location(city="Toronto", country="Canada"))
    toronto = Prospect.model_validate({**toronto.model_dump(exclude={"compliance"}), "compliance": []})
    toronto = Prospect.model_validate(toronto.model_dump(exclude={"compliance"}))  # needs not recorded
    assert not toronto.compliance and "compliance" not in toronto.model_fields_set
    points = fitted_proof_points(prof, toronto)
    assert points and not any("HIPAA" in p for p in points), points
    denver = toronto.model_copy(update={"location": Location(city="Denver", country="United States")})
    assert any("HIPAA" in p for p in fitted_proof_points(prof, denver))  # a US clinic may need it: kept
    recorded = toronto.model_copy(update={"compliance": ["HIPAA"]}, deep=True)
    recorded = Prospect.model_validate(recorded.model_dump())
    assert any("HIPAA" in p for p in fitted_proof_points(prof, recorded))  # recorded as theirs: theirs


def test_skip_walk_away_also_skips_a_referral_deck():
    built = DeckBuilder(profile(), BuildOptions(today=TODAY, skip_walk_away=True, brief=True)).build(cologne())
    assert built.storyline == "referral" and built.data is None and built.brief is not None
