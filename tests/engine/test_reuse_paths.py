"""A part that reads ``root.a.b`` is reused when that value repeats, whatever else ``root.a`` holds."""

from __future__ import annotations

import io

from pptx import Presentation

from deckgen.engine import render
from deckgen.engine.reuse import _fingerprint, part_reads
from tests.engine.builders import TemplateBuilder, compile_in_memory


def _context(company: str, promise: str, proof: str = "Audited yearly") -> dict:
    coach = {"promise": {"guidance": promise, "says": ""}, "proof": {"guidance": proof}, "heard": {"guidance": company}}
    return {
        "prospect": {"company": company, "pain_points": []},
        "msp": {"name": "Ridgeline", "sales_contact": {"name": "Dana"}},
        "deck": {"coach": coach, "title": f"Ridgeline for {company}"},
        "locale": "en-US",
        "currency": "USD",
    }


def _template() -> TemplateBuilder:
    b = TemplateBuilder()
    b.new_slide(notes="AIM: {{ deck.coach.promise.guidance }}{% if deck.coach.promise.says %}!{% endif %}")
    b.text("Title", "{{ msp.name }} runs IT properly")
    b.new_slide(notes="Ask {{ prospect.company }}")
    b.text("Title", "Hello {{ prospect.company }}")
    b.new_slide(notes="{% set c = deck.coach %}{{ c.proof.guidance }}")
    b.text("Title", "Proof")
    return b


def _notes(data: bytes) -> list[str]:
    return [s.notes_slide.notes_text_frame.text for s in Presentation(io.BytesIO(data)).slides]


def test_a_nested_read_is_keyed_by_its_path_and_a_value_used_whole_by_the_value():
    ct = compile_in_memory(_template())
    first = dict(part_reads(ct.slides[0].notes_compiled.template.root_render_func.__code__).roots)
    assert first["deck"] == frozenset({("coach", "promise", "guidance"), ("coach", "promise", "says")})
    third = dict(part_reads(ct.slides[2].notes_compiled.template.root_render_func.__code__).roots)
    assert third["deck"] == frozenset({"coach"})  # bound to a name, then read: the whole coach


def test_notes_reading_one_coaching_entry_are_reused_across_prospects_and_never_stale():
    ct = compile_in_memory(_template())
    decks = [("Acme", "Lead with uptime"), ("Bolt", "Lead with uptime"), ("Cove", "Lead with cost")]
    decks += [("Dune", "Lead with uptime"), ("Echo", "Lead with cost")]
    seen = [_notes(render(ct, _context(company, promise)).data) for company, promise in decks]
    assert [n[0] for n in seen] == [f"AIM: {p}" for _, p in decks]
    assert [n[1] for n in seen] == [f"Ask {c}" for c, _ in decks]
    hits, _ = ct.reuse.stats["<deckgen:ppt/notesSlides/notesSlide1.xml>"]
    assert hits == 3  # Bolt, Dune and Echo: the same entry as an earlier deck, though every coach differs
    changed = _notes(render(ct, _context("Fjord", "Lead with uptime", proof="Certified")).data)
    assert changed[2] == "Certified"


def test_a_path_through_something_that_is_not_a_plain_key_keys_the_whole_value():
    keys = frozenset({("coach", "items")})
    assert _fingerprint({"coach": {"items": 1}}, keys) == repr({"coach": {"items": 1}})
    assert _fingerprint({"coach": ["a"]}, keys) == repr({"coach": ["a"]})
    assert _fingerprint({"coach": {}}, keys) != _fingerprint({"coach": {"items": "<missing>"}}, keys)
    assert _fingerprint({"x": 1}, keys) != _fingerprint({"coach": {"items": None}}, keys)
