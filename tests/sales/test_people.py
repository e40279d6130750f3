"""A slide never singles out the prospect's own people; the notes keep their words."""

from __future__ import annotations

import pytest

from deckgen.load.files import load_prospect
from deckgen.model import Prospect
from deckgen.resources import examples_dir
from deckgen.sales.coaching import coach_slides
from deckgen.sales.people import named_pains_note, named_people, neutral_wording, without_names
from deckgen.sales.storyline import slide_pains

HILL = load_prospect(examples_dir() / "prospects" / "hill-country-veterinary.yaml")  # Sam Ortega, IT Administrator


def prospect(pains: list[str], **kw) -> Prospect:
    data = {
        "company": "Test Co",
        "contact": {"name": "Jo Bloggs", "title": "Office Manager"},
        "decision_makers": [
            {"name": "Dr. Elena Marsh", "title": "Managing Partner", "role": "economic_buyer"},
            {"name": "Kim Lee", "role": "technical"},
        ],
        "pain_points": pains,
        **kw,
    }
    return Prospect.model_validate(data)


def test_the_slide_names_a_role_where_the_pain_named_their_it_person():
    shown = slide_pains(HILL.pain_points, HILL)
    assert shown[0] == "Your IT administrator is the only person who knows how the clinics' systems fit together."
    assert not any("Sam" in p for p in shown)
    assert slide_pains(HILL.pain_points) == HILL.pain_points  # without the record there is nobody to recognise


def test_the_notes_keep_their_own_words():
    note = named_pains_note(HILL)
    assert "“Sam is the only person who knows" in note and "“Patches wait until Sam has a free weekend.”" in note
    assert named_pains_note(prospect(["Backups fail."])) == ""
    coach = coach_slides(storyline="pitch", objections=[], fallback="", bridge="", notes={"heard": note})
    assert coach["heard"]["note"] == note


@pytest.mark.parametrize(
    "pain, shown",
    [
        ("Patches wait until Sam has a free weekend.", "Patches wait until your IT administrator has a free weekend."),
        ("Jo's laptop is six years old.", "Your office manager's laptop is six years old."),
        ("Dr. Marsh signs off every purchase.", "Your managing partner signs off every purchase."),
        ("Only Elena Marsh has the admin password.", "Only your managing partner has the admin password."),
        ("Ask Kim Lee; Kim knows.", "Ask your IT person; your IT person knows."),
        ("Sample tests fail; Jody left.", "Sample tests fail; Jody left."),  # whole words only
        ("Pat keeps the backups.", "Your IT contact keeps the backups."),  # a named contact from a CRM column
    ],
)
def test_names_become_neutral_roles(pain, shown):
    people = [
        *named_people(prospect([], extra={"IT Contact": "Pat Doe", "Contact Email": "pat@example.com"})),
        *named_people(HILL),
    ]
    assert without_names(pain, people) == shown


def test_the_wording_comes_from_the_title_else_the_role():
    assert neutral_wording("IT Administrator") == "your IT administrator"
    assert neutral_wording("Head of IT, Finance") == "your head of IT"
    assert neutral_wording("", "technical") == "your IT person"
    assert neutral_wording("", "economic_buyer") == "your decision maker"
    assert neutral_wording("營運總監") == "a colleague"
    assert neutral_wording("The person who handles all of our IT") == "a colleague"


def test_a_name_in_chinese_text_gives_way_to_the_title():
    p = Prospect.model_validate(
        {
            "company": "恒信物流",
            "decision_makers": [{"name": "陳志明", "title": "營運總監", "role": "economic_buyer"}],
            "pain_points": ["陳志明每週都要重設密碼。"],
        }
    )
    assert slide_pains(p.pain_points, p) == ["營運總監每週都要重設密碼。"]


def test_a_team_in_a_name_field_does_not_eat_ordinary_words():
    p = prospect(["The IT contractor takes days; support tickets pile up."], contact={"name": "IT Support"})
    assert slide_pains(p.pain_points, p) == p.pain_points
