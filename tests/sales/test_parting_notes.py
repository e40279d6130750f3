"""A walk-away deck's coaching follows why we part: for size or industry the standards are not up for debate."""

from __future__ import annotations

import datetime as _dt
import io

import pytest
from pptx import Presentation

from deckgen.build import BuildOptions, DeckBuilder
from deckgen.model import ProspectSize
from deckgen.sales.fit import score_fit
from deckgen.sales.storyline import walk_away_reason

from .test_fit import ideal
from .test_unserved_country import profile

TODAY = _dt.date(2026, 12, 1)
PUSHBACK = "Pushback on one is the signal for the walk-away close"
FIT_NOT_STANDARD = "the parting is about fit, not a standard, so do not invite a debate on them"

PROSPECTS = {
    "too_small": lambda: ideal(size=ProspectSize(users=3)),
    "too_large": lambda: ideal(size=ProspectSize(users=900)),
    "industry": lambda: ideal(industry="Logistics"),
    "standards": lambda: ideal(situations=["refuses_security"]),
}


def _standards_notes(prospect) -> str:
    built = DeckBuilder(profile(), BuildOptions(today=TODAY, storyline="walk_away")).build(prospect)
    assert built.storyline == "walk_away"
    prs = Presentation(io.BytesIO(built.data))
    notes = [
        s.notes_slide.notes_text_frame.text
        for s in prs.slides
        if s.has_notes_slide and "THE FULL STANDARDS" in s.notes_slide.notes_text_frame.text
    ]
    assert len(notes) == 1
    return notes[0]


@pytest.mark.parametrize("reason", ["too_small", "too_large", "industry"])
def test_a_walk_away_for_size_or_industry_does_not_invite_a_debate_on_the_standards(reason):
    prospect = PROSPECTS[reason]()
    assert walk_away_reason(score_fit(prospect, profile())) == reason
    notes = _standards_notes(prospect)
    assert PUSHBACK not in notes
    assert "Is any of these a problem for you?" not in notes
    assert "let them react" not in notes  # the storyline's aim, said for a deck that parts on the standards
    assert FIT_NOT_STANDARD in notes
    assert "WHY WE PART" in notes


def test_a_walk_away_over_the_standards_still_asks_and_reads_the_pushback():
    prospect = PROSPECTS["standards"]()
    assert walk_away_reason(score_fit(prospect, profile())) == "standards"
    notes = _standards_notes(prospect)
    assert PUSHBACK in notes and "Is any of these a problem for you?" in notes
    assert "let them react" in notes
    assert FIT_NOT_STANDARD not in notes and "WHY WE PART" not in notes
