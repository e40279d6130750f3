"""Frames read with remembered paragraphs measure, shrink and write exactly as frames read afresh."""

from __future__ import annotations

from deckgen.engine.layout import paragraphs
from deckgen.engine.layout.fonts import FontBook
from deckgen.engine.layout.frame import read_frame
from deckgen.engine.layout.paragraphs import ParagraphMemo
from deckgen.engine.layout.styles import DeckStyles
from deckgen.engine.opc import NS, parse_xml, to_bytes

SLIDE = "ppt/slides/slide1.xml"
THEME = {"+mn-lt": "Carlito", "+mj-lt": "Carlito"}


def _sp(paras: str, cx: float = 4, cy: float = 1.2, lst: str = ""):
    xml = (
        f'<p:sp xmlns:a="{NS["a"]}" xmlns:p="{NS["p"]}"><p:nvSpPr><p:cNvPr id="2" name="Box"/><p:cNvSpPr/>'
        f'<p:nvPr/></p:nvSpPr><p:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="{int(cx * 914400)}" '
        f'cy="{int(cy * 914400)}"/></a:xfrm></p:spPr><p:txBody><a:bodyPr/><a:lstStyle>{lst}</a:lstStyle>'
        f"{paras}</p:txBody></p:sp>"
    )
    return parse_xml(xml.encode())


def _p(text: str, sz: int = 2000, bold: bool = False) -> str:
    b = ' b="1"' if bold else ""
    return f'<a:p><a:r><a:rPr sz="{sz}"{b}/><a:t>{text}</a:t></a:r><a:br/><a:r><a:t>{text}!</a:t></a:r></a:p>'


_STYLES = DeckStyles(lambda part: None, "ppt/presentation.xml")
_FONTS = FontBook()

SHAPES = [
    _p("Industry 20/20: Dental practice is one of your industries.") + _p("Size 0/20: 395 users", 1800),
    _p("Size 0/20: 395 users", 1800) + _p("Industry 20/20: Dental practice is one of your industries."),
    _p("Size 0/20: 395 users", 1800, bold=True) + _p("Size 0/20: 395 users", 1800),
    _p("A long closing line that goes on and on and will need to wrap over several lines of the box " * 3),
    _p("Industry 20/20: Dental practice is one of your industries.") + _p("Size 0/20: 395 users", 1800),
]


def _all_steps(frame) -> list:
    return [frame.measure(sizes) for sizes in [None, *frame.shrink_steps(10)]]


def test_remembered_paragraphs_measure_the_same_at_every_size_as_a_fresh_read():
    memo = ParagraphMemo()
    for _ in range(2):  # the second round replays every paragraph
        for paras in SHAPES:
            fresh = read_frame(_sp(paras), SLIDE, _STYLES, _FONTS, THEME)
            again = memo.read(_sp(paras), SLIDE, _STYLES, _FONTS, THEME)
            assert again.base_sizes() == fresh.base_sizes()
            assert _all_steps(again) == _all_steps(fresh)
            assert again.largest_size() == fresh.largest_size()
    assert memo.paragraphs and any(wraps for _, _, wraps in memo.paragraphs.values())


def test_a_shrink_applied_to_a_replayed_frame_writes_into_its_own_runs():
    memo = ParagraphMemo()
    first = _sp(SHAPES[3])
    memo.read(first, SLIDE, _STYLES, _FONTS, THEME)
    untouched = to_bytes(first)
    sp, fresh_sp = _sp(SHAPES[3]), _sp(SHAPES[3])
    frame, fresh = memo.read(sp, SLIDE, _STYLES, _FONTS, THEME), read_frame(fresh_sp, SLIDE, _STYLES, _FONTS, THEME)
    sizes = list(frame.shrink_steps(10))[3]
    frame.apply(sizes)
    fresh.apply(sizes)
    assert to_bytes(sp) == to_bytes(fresh_sp) != untouched
    assert to_bytes(first) == untouched  # the deck the paragraph was first read from is not written to


def test_the_same_paragraph_under_another_list_style_is_read_again():
    memo = ParagraphMemo()
    paras = _p("Budget 3/10: unknown")
    plain = memo.read(_sp(paras), SLIDE, _STYLES, _FONTS, THEME)
    lst = '<a:lvl1pPr marL="914400" indent="-457400"><a:spcBef><a:spcPts val="2400"/></a:spcBef></a:lvl1pPr>'
    styled = memo.read(_sp(paras, lst=lst), SLIDE, _STYLES, _FONTS, THEME)
    assert styled.measure() == read_frame(_sp(paras, lst=lst), SLIDE, _STYLES, _FONTS, THEME).measure()
    assert styled.measure() != plain.measure()
    assert len(memo.paragraphs) == 2


def test_the_memo_stays_bounded(monkeypatch):
    monkeypatch.setattr(paragraphs, "_MAX_PARAGRAPHS", 5)
    memo = ParagraphMemo()
    for n in range(40):
        memo.read(_sp(_p(f"Row {n} of a long batch")), SLIDE, _STYLES, _FONTS, THEME).measure()
    assert len(memo.paragraphs) <= 5


def test_a_shape_whose_paragraphs_never_come_back_is_read_plainly_and_measures_the_same():
    memo = ParagraphMemo()
    frames = []
    for n in range(paragraphs._GIVE_UP_AFTER + 18):
        paras = _p(f"Prepared for Lakeside Dental {n}")
        frame = memo.read(_sp(paras), SLIDE, _STYLES, _FONTS, THEME)
        assert frame.measure() == read_frame(_sp(paras), SLIDE, _STYLES, _FONTS, THEME).measure()
        frames.append(frame)
    assert memo.plain == {(SLIDE, "2")}
    assert len(memo.paragraphs) <= paragraphs._GIVE_UP_AFTER + 1  # nothing remembered once it went plain
