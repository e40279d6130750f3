"""A paragraph's compact reading (one entry per token) measures words that span runs as their runs add up."""

from __future__ import annotations

from deckgen.engine.layout.fonts import FontBook
from deckgen.engine.layout.frame import LINE_HEIGHT, read_frame
from deckgen.engine.layout.paragraphs import ParagraphMemo
from deckgen.engine.layout.styles import DeckStyles
from deckgen.engine.opc import NS, parse_xml

SLIDE = "ppt/slides/slide1.xml"
THEME = {"+mn-lt": "Carlito", "+mj-lt": "Carlito"}
_STYLES = DeckStyles(lambda part: None, "ppt/presentation.xml")
_FONTS = FontBook()


def _sp(runs: str, cx: float = 4):
    xml = (
        f'<p:sp xmlns:a="{NS["a"]}" xmlns:p="{NS["p"]}"><p:nvSpPr><p:cNvPr id="2" name="Box"/><p:cNvSpPr/>'
        f'<p:nvPr/></p:nvSpPr><p:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="{int(cx * 914400)}" cy="914400"/>'
        f'</a:xfrm></p:spPr><p:txBody><a:bodyPr lIns="0" rIns="0"/><a:lstStyle/><a:p>{runs}</a:p></p:txBody></p:sp>'
    )
    return parse_xml(xml.encode())


def _r(text: str, sz: int, spc: int = 0) -> str:
    return f'<a:r><a:rPr sz="{sz}" spc="{spc}"/><a:t>{text}</a:t></a:r>'


def _frames(runs: str, cx: float = 4):
    memo = ParagraphMemo()
    memo.read(_sp(runs, cx), SLIDE, _STYLES, _FONTS, THEME)
    return read_frame(_sp(runs, cx), SLIDE, _STYLES, _FONTS, THEME), memo.read(
        _sp(runs, cx), SLIDE, _STYLES, _FONTS, THEME
    )


def test_a_word_across_two_runs_is_as_wide_as_its_parts_at_their_sizes_and_as_high_as_the_larger():
    face = _FONTS.face("Carlito", False, False)
    for frame in _frames(_r("Dent", 2000, spc=100) + _r("al care", 4000)):
        m = frame.measure()
        expected = face.ems("Dent") * 20 + 4 * 1 + face.ems("al") * 40 + face.ems(" ") * 40 + face.ems("care") * 40
        assert abs(m.width - expected) < 1e-9
        assert abs(m.height - 40 * LINE_HEIGHT) < 1e-9


def test_a_word_across_runs_too_long_for_its_line_breaks_between_characters():
    face = _FONTS.face("Carlito", False, False)
    word = "Supercalifragilistic"
    for frame in _frames(_r(word, 2000) + _r(word, 4000), cx=1):
        m = frame.measure()
        assert m.width <= 72 + 1e-6  # no line wider than the inch-wide box
        total = face.ems(word) * 20 + face.ems(word) * 40
        assert m.height >= (total // 72) * 20 * LINE_HEIGHT  # it took several lines
        assert frame.has_text()
    fresh, remembered = _frames(_r(word, 2000) + _r(word, 4000), cx=1)
    assert [fresh.measure(s) for s in fresh.shrink_steps(8)] == [
        remembered.measure(s) for s in remembered.shrink_steps(8)
    ]


def test_a_frame_of_line_breaks_only_has_no_text():
    fresh, remembered = _frames('<a:br><a:rPr sz="1800"/></a:br>')
    assert not fresh.has_text() and not remembered.has_text()
    assert fresh.measure() == remembered.measure()
