"""What text fitting remembers between decks gives the same numbers as measuring afresh."""

from __future__ import annotations

from deckgen.engine.layout import fonts
from deckgen.engine.layout.fonts import FONTS_DIR, Face
from deckgen.engine.layout.frame import shape_id
from deckgen.engine.opc import NS, parse_xml

CARLITO = FONTS_DIR / "Carlito-Regular.ttf"


def test_a_remembered_word_measures_what_its_characters_add_up_to():
    face = Face(CARLITO, 0)
    words = ["Lakeside", "Dental", "restore", "Lakeside", "", "crashed 12 times"]
    first = [face.ems(w) for w in words]
    again = [face.ems(w) for w in words]
    fresh = Face(CARLITO, 0)
    by_char = [sum((fresh.advance(ch) for ch in w), 0.0) for w in words]
    assert first == again == by_char
    assert "Lakeside" in face.words and first[0] > 0


def test_the_word_memo_stays_bounded(monkeypatch):
    monkeypatch.setattr(fonts, "_MAX_WORDS", 5)
    face = Face(CARLITO, 0)
    for n in range(40):
        face.ems(f"word{n}")
    assert len(face.words) <= 5


def _sp(inner: str):
    xml = f'<p:sp xmlns:p="{NS["p"]}" xmlns:a="{NS["a"]}">{inner}</p:sp>'
    return parse_xml(xml.encode())


def test_a_shape_id_is_its_first_non_visual_id():
    assert shape_id(_sp('<p:nvSpPr><p:cNvPr id="7" name="Pains"/></p:nvSpPr><p:spPr/>')) == "7"
    assert shape_id(_sp('<!-- x --><p:nvSpPr><p:cNvPr id="9" name="A"/></p:nvSpPr>')) == "9"
    assert shape_id(_sp('<p:nvSpPr><p:cNvPr name="no id"/></p:nvSpPr>')) == ""
    assert shape_id(_sp("<p:spPr/>")) == ""
    assert shape_id(_sp('<p:cNvPr id="3"/>')) == ""  # only a grandchild counts, as ``./*/p:cNvPr``
