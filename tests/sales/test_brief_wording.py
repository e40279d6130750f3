"""The brief and the notes speak the prospect's terms: who signs off, one IT person or a team, only the cue
words that say an objection, "none" stated is not "unknown", and no near-duplicate questions or stray stops.

The prospects under ``prospects/`` are a reviewer's: a German manufacturer with a two-person IT team
(GDPR, NIS2), a non-profit with a board, an Australian law firm and a Canadian clinic.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from deckgen.load.files import load_profile, load_prospect
from deckgen.load.objections import load_objections
from deckgen.resources import examples_dir
from deckgen.sales.brief import QUESTIONS, SPEND_QUESTION, seller_brief, slide_questions
from deckgen.sales.coaching import BRIDGES, QUOTES_BRIDGE, bridge_line
from deckgen.sales.fit import score_fit
from deckgen.sales.people import fill_words, is_situation, objection_words, pains_only, signers
from deckgen.sales.storyline import storyline_for

PROFILE = load_profile(examples_dir() / "profile.yaml")
HERE = Path(__file__).resolve().parent / "prospects"


def load(name: str):
    path = HERE / f"{name}.yaml"
    return load_prospect(path if path.exists() else examples_dir() / "prospects" / f"{name}.yaml")


def brief(name: str) -> dict:
    p = load(name)
    fit = score_fit(p, PROFILE)
    return seller_brief(
        profile=PROFILE,
        prospect=p,
        fit=fit,
        closing=None,
        storyline=storyline_for(fit.band),
        objections=load_objections(),
    )


def objection(b: dict, oid: str) -> dict:
    return next(o for o in b["objections"] if o["id"] == oid)


def test_who_signs_off_is_worded_from_their_own_people_and_words():
    assert signers(load("open-hands")) == "the board"  # a non-profit: its board, not "partners"
    assert signers(load("thameside-accountants")) == "the partners"
    said = objection(brief("open-hands"), "need-to-ask-the-partners")
    assert said["says"] == "I need to take this to the board first."
    assert "partners" not in said["says"] + said["answer"]


def test_in_house_it_of_several_people_is_a_team_not_a_guy():
    mueller = objection(brief("mueller-praezision"), "we-have-an-it-guy")  # "The two-person IT team …"
    assert mueller["says"] == "We have our own IT team; they handle it."
    text = f"{mueller['answer']} {mueller['avoid']}"
    assert "keep them" in text and " him" not in text and " he " not in text
    one = objection(brief("hill-country-veterinary"), "we-have-an-it-guy")  # Sam, the only one
    assert one["says"] == "We have an IT guy; he handles it."


def test_placeholders_fill_at_the_start_of_a_sentence_and_leave_strangers_alone():
    words = objection_words(load("mueller-praezision"))
    assert fill_words("{They} may be in the room.", words) == "They may be in the room."
    assert fill_words("A {brace} stays; so does }", words) == "A {brace} stays; so does }"


def test_an_objection_is_put_down_to_the_notes_only_when_the_notes_say_it():
    # "…before the next audit" says nothing about being too small to attack
    small = objection(brief("mueller-praezision"), "too-small-to-target")
    assert "your notes point to it" not in small["why"] and small["note"] == ""


def test_the_bridge_speaks_of_quotes_only_when_they_said_they_compare_them():
    assert bridge_line(["price_shopper"], ["price_shopper"], load("open-hands")) == BRIDGES["price_shopper"]
    assert "quotes" not in BRIDGES["price_shopper"]
    assert bridge_line(["price_shopper"], ["price_shopper"], load("hengxin-logistics")) == QUOTES_BRIDGE


def test_compliance_stated_as_none_is_known_not_asked():
    p = load("open-hands")  # compliance: []
    c = score_fit(p, PROFILE).criterion("compliance")
    assert c.known and "unknown" not in c.reason.casefold()
    b = brief("open-hands")
    assert QUESTIONS["compliance"] not in b["questions"] and "Compliance needs" not in b["unknowns"]


def test_the_cost_of_it_is_asked_once():
    b = brief("northgate-dental-studio")  # IT model and spend both unknown
    assert QUESTIONS["it_model"] in b["questions"] and SPEND_QUESTION not in b["questions"]
    p = load("northgate-dental-studio")
    asked = slide_questions(score_fit(p, PROFILE), p)
    assert sum("cost" in q or "spend" in q for q in asked) == 1


@pytest.mark.parametrize("name", ["mueller-praezision", "maple-clinic", "harbour-legal"])
def test_must_haves_not_met_end_with_one_stop(name):
    failures = score_fit(load(name), PROFILE).to_context()["must_have_failures"]
    assert failures and all(f.endswith(".") and not f.endswith("..") for f in failures)


def test_the_discovery_goal_points_at_nothing_that_is_not_there():
    assert "below" not in brief("northgate-dental-studio")["goal"]


def test_a_contract_up_for_renewal_is_a_situation_not_an_it_problem():
    pains = load("hengxin-logistics").pain_points
    assert pains_only(pains) == pains[:2]  # "The current provider's contract is up for renewal." left out
    assert is_situation("Contract with the current MSP ends in March.")
    assert not is_situation("Backups of the ERP system have never been restore-tested.")
    assert not any(is_situation(p) for p in load("mueller-praezision").pain_points + load("open-hands").pain_points)
