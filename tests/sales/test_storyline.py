"""The storyline per verdict, the plain-words fit a prospect may read, and the seller brief's data."""

from __future__ import annotations

import re
from types import SimpleNamespace

import pytest

from deckgen.errors import InputError
from deckgen.load.closings import load_library
from deckgen.load.files import load_profile, load_prospect
from deckgen.load.objections import load_objections
from deckgen.model import Prospect
from deckgen.resources import examples_dir
from deckgen.sales.brief import brief_situations, pick_objections, questions, seller_brief
from deckgen.sales.closings import all_lines, choose_closing
from deckgen.sales.fit import score_fit
from deckgen.sales.storyline import (
    FIT_SHOWN,
    FIT_WORDS,
    STORYLINES,
    customer_fit,
    storyline_for,
    storyline_next_steps,
)

PROFILE = load_profile(examples_dir() / "profile.yaml")
EXAMPLES = sorted((examples_dir() / "prospects").glob("*.yaml"))
SELLER_WORDS = re.compile(r"\d+\s*/\s*100|\bband\b|\bscore\b|walk[\s-]*away|points|confidence|objection", re.I)


@pytest.mark.parametrize(
    "band, storyline",
    [("A", "pitch"), ("B", "buyer"), ("C", "nurture"), ("walk_away", "walk_away"), ("qualify_first", "discovery")],
)
def test_each_band_has_its_storyline(band, storyline):
    assert storyline_for(band) == storyline


@pytest.mark.parametrize("band", ["", None, "D", "something_new"])
def test_an_unknown_band_is_qualify_first_never_walk_away(band):
    assert storyline_for(band) == "discovery"


def test_the_override_wins_and_takes_bands_and_spellings():
    assert storyline_for("A", "walk-away") == "walk_away"
    assert storyline_for("walk_away", "B") == "buyer"
    assert storyline_for("C", " Pitch ") == "pitch"
    with pytest.raises(InputError, match="unknown storyline 'hard-sell'"):
        storyline_for("A", "hard-sell")


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_customer_fit_is_plain_words_without_score_or_band(path):
    prospect = load_prospect(path)
    fit = score_fit(prospect, PROFILE.icp)
    words = customer_fit(fit, prospect, PROFILE)
    assert words.strengths or words.needs
    assert len(words.strengths) <= 3 and len(words.needs) <= 3
    for text in [*words.strengths, *words.needs]:
        assert not SELLER_WORDS.search(text), text
        assert len(text.split()) <= 14, text


def _criterion(name: str, known: bool = True, share: float = 1.0, rule: str = "") -> SimpleNamespace:
    return SimpleNamespace(name=name, label=name.title(), known=known, share=share, rule=rule)


def test_the_fit_slide_holds_its_words_dropping_a_second_strength_before_a_second_need():
    """The slide shows two of each under a nine-word headline: together they stay within FIT_WORDS."""
    prospect = Prospect(company="Long Words", industry="Dental", it_model="break_fix")
    fit = SimpleNamespace(
        criteria=[
            _criterion("budget", rule="spend"),  # 8 words
            _criterion("it_model"),  # 10 words
            _criterion("industry"),  # 7 words
            _criterion("compliance", known=False),  # 8 words
        ],
        disqualified_by=("refuses_security",),  # "Agreement to our client standards." first, 5 words
        must_have_failures=(),
    )
    words = customer_fit(fit, prospect, PROFILE)
    assert words.strengths == ["Your IT spend covers security, not just support."]
    assert words.needs == ["Agreement to our client standards.", "The rules your data must meet, if any."]
    shown = [*words.strengths[:FIT_SHOWN], *words.needs[:FIT_SHOWN]]
    assert sum(len(t.split()) for t in shown) <= FIT_WORDS == 27


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_the_fit_slide_words_stay_within_budget_for_every_example(path):
    prospect = load_prospect(path)
    words = customer_fit(score_fit(prospect, PROFILE), prospect, PROFILE)
    shown = [*words.strengths[:FIT_SHOWN], *words.needs[:FIT_SHOWN]]
    assert sum(len(t.split()) for t in shown) <= FIT_WORDS


def test_a_bare_prospect_is_asked_not_told():
    bare = Prospect(company="Bare Ltd")
    fit = score_fit(bare, PROFILE.icp)
    words = customer_fit(fit, bare, PROFILE)
    assert words.strengths == []
    assert any("budget" in n.lower() or "people" in n.lower() for n in words.needs)
    asked = questions(fit, bare, "discovery")
    assert asked[0] == "What would make this meeting worth your time?" and len(asked) <= 5


def test_next_steps_follow_the_storyline():
    hengxin = load_prospect(examples_dir() / "prospects" / "hengxin-logistics.yaml")
    assert storyline_next_steps("pitch", PROFILE, hengxin) == PROFILE.next_steps
    # the deck is prepared for the economic buyer: the meeting is with "you", not with them by name
    assert storyline_next_steps("buyer", PROFILE, hengxin)[0] == "30 minutes with you to agree the scope."
    other = hengxin.model_copy(update={"contact": hengxin.contact.model_copy(update={"name": "李嘉欣"})})
    assert "陳志明" in storyline_next_steps("buyer", PROFILE, other)[0]  # someone else signs: by name
    walk = " ".join(storyline_next_steps("walk_away", PROFILE, hengxin))
    assert "assessment" not in walk and "onboarding" not in walk and "recommend" in walk
    for storyline in STORYLINES:
        assert storyline_next_steps(storyline, PROFILE, hengxin)


def test_objections_are_keyed_on_situations_stated_and_inferred():
    library = load_objections()
    assert {o.id for o in library} >= {
        "price-too-high",
        "security-not-needed",
        "we-have-an-it-guy",
        "never-been-hacked",
    }
    hengxin = load_prospect(examples_dir() / "prospects" / "hengxin-logistics.yaml")
    picked = [o.id for o in pick_objections(brief_situations(hengxin, PROFILE), library)]
    assert picked[:2] == ["price-too-high", "security-not-needed"]
    thameside = load_prospect(examples_dir() / "prospects" / "thameside-accountants.yaml")
    assert "in_house_it" in brief_situations(thameside, PROFILE)
    assert "we-have-an-it-guy" in [o.id for o in pick_objections(brief_situations(thameside, PROFILE), library)]
    quiet = Prospect(company="Quiet Co", it_model="other_msp", it_pain=False)
    assert "never-been-hacked" in [o.id for o in pick_objections(brief_situations(quiet, PROFILE), library)]
    assert pick_objections([], library) == []


def test_the_brief_holds_goal_questions_objections_and_how_to_close():
    prospect = load_prospect(examples_dir() / "prospects" / "thameside-accountants.yaml")
    fit = score_fit(prospect, PROFILE.icp)
    closing = choose_closing(prospect, PROFILE, fit, None, lines=all_lines(PROFILE, load_library()))
    storyline = storyline_for(fit.band)
    brief = seller_brief(
        profile=PROFILE, prospect=prospect, fit=fit, closing=closing, storyline=storyline, objections=load_objections()
    )
    assert storyline == "buyer" and "next meeting" in brief["goal"]
    assert brief["closing_text"] == closing.to_context()["short"]  # a buyer deck shows the line: its words
    assert brief["closing_full"] == closing.line.text
    assert "silence" in brief["closing_how"] and brief["closing_when"]
    assert brief["prospect_notes"] == prospect.notes
    assert brief["objections"] and all(o["says"] and o["answer"] for o in brief["objections"])
    assert brief["questions"][0].startswith("What would make")
