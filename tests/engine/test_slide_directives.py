"""Slide directives are evaluated for each deck on its own, however many a template has."""

from __future__ import annotations

import io

import pytest
from pptx import Presentation

from deckgen.engine import render as render_deck
from deckgen.errors import RenderError
from tests.engine.builders import TemplateBuilder, compile_in_memory
from tests.engine.test_engine import context


def _titles(data: bytes) -> list[str]:
    return [s.shapes[0].text_frame.text for s in Presentation(io.BytesIO(data)).slides]


def _template() -> TemplateBuilder:
    b = TemplateBuilder()
    b.new_slide()
    b.text("Title", "Always")
    b.new_slide(notes="{%slide if prospect.industry == 'dental' %}")
    b.text("Title", "Dental")
    b.new_slide(notes="{%slide if prospect.notes %}")
    b.text("Title", "Notes")
    b.new_slide(notes="{%slide for pain in prospect.pain_points %}")
    b.text("Title", "Pain: {{ pain }}")
    b.new_slide(notes="{%slide if not prospect.notes and prospect.industry != 'dental' %}")
    b.text("Title", "Neither")
    return b


def test_each_deck_of_one_compiled_template_gets_the_slides_its_own_data_calls_for():
    compiled = compile_in_memory(_template())
    decks = [
        context(),
        context(industry="legal", notes="Met at the meetup", pain_points=["Slow backups"]),
        context(industry="legal", pain_points=[]),
        context(),
    ]
    titles = [_titles(render_deck(compiled, ctx).data) for ctx in decks]
    assert titles == [
        ["Always", "Dental", "Pain: Slow backups", "Pain: Phishing"],
        ["Always", "Notes", "Pain: Slow backups"],
        ["Always", "Neither"],
        ["Always", "Dental", "Pain: Slow backups", "Pain: Phishing"],
    ]


def test_a_directive_that_fails_names_its_slide_and_the_next_deck_still_renders():
    b = TemplateBuilder()
    b.new_slide()
    b.text("Title", "Always")
    b.new_slide(notes="{%slide if prospect.extra.employees > 10 %}")
    b.text("Title", "Big")
    compiled = compile_in_memory(b)
    with pytest.raises(RenderError, match="slide 2"):
        render_deck(compiled, context(extra={}))  # no employees
    assert _titles(render_deck(compiled, context(extra={"employees": 40})).data) == ["Always", "Big"]
    assert _titles(render_deck(compiled, context(extra={"employees": 4})).data) == ["Always"]
