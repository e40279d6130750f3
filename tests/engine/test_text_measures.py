"""Shapes measured from their text (remembered skeletons and paragraphs) measure as a fresh parse and read."""

from __future__ import annotations

import datetime as dt
import zipfile

import pytest

from deckgen.build import BuildOptions, DeckBuilder
from deckgen.engine.layout import textmeasure
from deckgen.engine.layout.fitting import SlideFitter
from deckgen.engine.layout.fonts import FontBook
from deckgen.engine.layout.fragments import WRAPPER_END, shape_fragments
from deckgen.engine.layout.frame import read_frame
from deckgen.engine.layout.styles import DeckStyles
from deckgen.engine.layout.textmeasure import NO_FRAME, TextMeasures, split_paragraphs
from deckgen.engine.opc import NS, parse_xml
from deckgen.load.files import load_profile, load_prospect
from deckgen.load.templates import resolve_template
from deckgen.resources import examples_dir

SLIDE = "ppt/slides/slide1.xml"
WRAPPER = f'<p:spTree xmlns:a="{NS["a"]}" xmlns:p="{NS["p"]}">'.encode()


class _State:  # what TextMeasures reads of a FitState
    def __init__(self, read=lambda part: None) -> None:
        self.styles = DeckStyles(read, "ppt/presentation.xml")
        self.fonts = FontBook()

    def theme_fonts(self, slide_part: str) -> dict[str, str]:
        return {"+mn-lt": "Carlito", "+mj-lt": "Carlito"}


def _shape(paras: str, sid: str = "2", cx: float = 4, cy: float = 1.2, lst: str = "", body: str = "") -> bytes:
    return (
        f'<p:sp><p:nvSpPr><p:cNvPr id="{sid}" name="Box"/><p:cNvSpPr/><p:nvPr/></p:nvSpPr><p:spPr><a:xfrm>'
        f'<a:off x="0" y="0"/><a:ext cx="{int(cx * 914400)}" cy="{int(cy * 914400)}"/></a:xfrm></p:spPr>'
        f"<p:txBody><a:bodyPr{body}/><a:lstStyle>{lst}</a:lstStyle>{paras}</p:txBody></p:sp>"
    ).encode()


def _p(text: str, sz: int = 2000, bold: bool = False) -> str:
    b = ' b="1"' if bold else ""
    return f'<a:p><a:r><a:rPr sz="{sz}"{b}/><a:t>{text}</a:t></a:r><a:br/><a:r><a:t>{text}!</a:t></a:r></a:p>'


def _fresh(wrapper: bytes, text: bytes, state: _State, part: str = SLIDE):
    sp = parse_xml(wrapper + text + WRAPPER_END)[0]
    frame = read_frame(sp, part, state.styles, state.fonts, state.theme_fonts(part))
    return NO_FRAME if frame is None else frame.measure()


LEVEL = '<a:lvl1pPr marL="914400" indent="-457400"><a:spcBef><a:spcPts val="2400"/></a:spcBef></a:lvl1pPr>'
SHAPES = [
    _shape(_p("Industry 20/20: Dental practice is one of your industries.") + _p("Size 0/20: 395 users", 1800)),
    _shape(_p("Size 0/20: 395 users", 1800) + _p("Industry 20/20: Dental practice is one of your industries.")),
    _shape(_p("Size 0/20: 395 users", 1800, bold=True) + _p("Size 0/20: 395 users", 1800)),
    _shape(_p("A long closing line that goes on and on and will need to wrap over several lines " * 3)),
    _shape(_p("Size 0/20: 395 users", 1800), lst=LEVEL),  # the same paragraph under another list style
    _shape(_p("Size 0/20: 395 users", 1800), cx=1.5),  # ... in a narrower box
    _shape(_p("Size 0/20: 395 users", 1800), body=' lIns="0" rIns="0" wrap="none"'),
    _shape('<a:p><a:pPr lvl="1"/><a:r><a:t>level two &amp; more</a:t></a:r></a:p><a:p/>'),
    _shape(_p("Budget 3/10: unknown"), sid="9"),
    _shape(_p("vertical"), body=' vert="vert"'),
    _shape(_p("no room"), cx=0),
]


def test_a_measured_shape_measures_what_a_fresh_parse_and_read_measures():
    measures, state = TextMeasures(), _State()
    for _ in range(2):  # the second round finds every skeleton and paragraph remembered
        for text in SHAPES:
            sid = text.split(b'id="')[1].split(b'"')[0].decode()
            assert measures.measure(WRAPPER, sid, text, SLIDE, state) == _fresh(WRAPPER, text, state)
    assert measures.paragraphs and sum(reused for reused, _ in measures.stats.values()) > 0


def test_remembered_paragraphs_of_another_skeleton_are_not_reused_for_this_one():
    measures, state = TextMeasures(), _State()
    plain, styled = _shape(_p("Budget 3/10: unknown")), _shape(_p("Budget 3/10: unknown"), lst=LEVEL)
    first = measures.measure(WRAPPER, "2", plain, SLIDE, state)
    second = measures.measure(WRAPPER, "2", styled, SLIDE, state)
    assert first == _fresh(WRAPPER, plain, state)
    assert second == _fresh(WRAPPER, styled, state) != first


def test_the_memo_stays_bounded_and_gives_up_on_paragraphs_that_never_come_back(monkeypatch):
    monkeypatch.setattr(textmeasure, "_MAX_PARAGRAPHS", 8)
    monkeypatch.setattr(textmeasure, "_GIVE_UP_AFTER", 20)
    measures, state = TextMeasures(), _State()
    for n in range(60):
        text = _shape(_p(f"Seller brief: Company number {n}"))
        assert measures.measure(WRAPPER, "2", text, SLIDE, state) == _fresh(WRAPPER, text, state)
        assert len(measures.paragraphs) <= 8
    kept = b"".join(key[2] for key in measures.paragraphs)
    assert b"number 19<" in kept and b"number 20<" not in kept  # 20 read, none reused: no more kept


@pytest.mark.parametrize("template", ["walk-away", "seller-brief"])
def test_every_shape_of_the_bundled_templates_measures_as_a_fresh_read(template):
    path = resolve_template(template)[0]
    with zipfile.ZipFile(path) as zf:
        names = [n for n in zf.namelist() if n.startswith("ppt/") and n.endswith(".xml")]
        parts = {n: zf.read(n) for n in names}
    state = _State(lambda part: parts.get(part))
    measures, measured = TextMeasures(), 0
    for name in sorted(n for n in parts if n.startswith("ppt/slides/slide")):
        cut = shape_fragments(parts[name])
        if cut is None:
            continue
        wrapper, shapes = cut
        for sid, text in shapes:
            found = measures.measure(wrapper, sid, text, name, state)
            if found is not None:
                measured += 1
                assert found == _fresh(wrapper, text, state, name), (name, sid)
    assert measured > 10


@pytest.mark.parametrize(
    "text",
    [
        _shape(_p("x")).replace(b"<p:sp>", b'<p:sp xmlns:x="urn:x">'),  # a namespace declared in the shape
        _shape("<a:p><a:r><a:t>x</a:t></a:r><a:p></a:p></a:p>"),  # a paragraph inside another
        _shape(_p("x")).replace(b"</p:txBody></p:sp>", b"</p:txBody><p:extLst/></p:sp>"),  # after the text
        _shape(""),  # no paragraph
        _shape(_p("x") + "<a:endParaRPr/>" + _p("y")),  # something between paragraphs
    ],
)
def test_a_shape_that_cannot_be_cut_for_certain_is_left_to_a_parse(text):
    assert TextMeasures().measure(WRAPPER, "2", text, SLIDE, _State()) is None


def test_paragraphs_are_cut_in_order_with_empty_ones():
    prefix, paras = split_paragraphs(_shape("<a:p/>" + _p("a") + '<a:p><a:pPr algn="l"/></a:p>'))
    assert prefix.endswith(b"</a:lstStyle>")
    assert paras == [b"<a:p/>", _p("a").encode(), b'<a:p><a:pPr algn="l"/></a:p>']


def test_a_shape_whose_id_is_not_the_one_cut_is_left_to_a_parse():
    assert TextMeasures().measure(WRAPPER, "5", _shape(_p("x"), sid="2"), SLIDE, _State()) is None


def test_decks_and_briefs_are_the_same_bytes_as_when_every_shape_is_parsed(monkeypatch):
    ex = examples_dir()
    profile = load_profile(ex / "profile.yaml")
    prospects = [load_prospect(p) for p in sorted((ex / "prospects").glob("*.yaml"))]
    long_name = "Pinecrest Family Medicine and Associated Regional Healthcare Partners of Central Texas Group"
    prospects.append(prospects[0].model_copy(update={"company": long_name}))  # its brief's title shrinks
    options = BuildOptions(brief=True, today=dt.date(2026, 11, 25))

    def build_all():
        builder = DeckBuilder(profile, options)
        return [(d.data, d.brief, [str(w) for w in d.warnings]) for d in map(builder.build, prospects * 2)]

    quick = build_all()
    monkeypatch.setattr(TextMeasures, "measure", lambda *args: None)
    assert build_all() == quick
    all_fit = SlideFitter._all_fit

    def forgetting(self, xml, target, spec, tagged, layout, fitted):  # a slide that shrinks measures every shape
        found = all_fit(self, xml, target, spec, tagged, layout, fitted)
        fitted.clear()
        return found

    monkeypatch.setattr(SlideFitter, "_all_fit", forgetting)
    assert build_all() == quick
    assert any("shrunk" in w for _, _, warnings in quick for w in warnings)
