"""Paragraphs read from their bytes with a remembered plan (deckgen.engine.layout.paraplan) read as a parse does."""

from __future__ import annotations

import datetime as dt

import pytest
from lxml import etree

from deckgen.build import BuildOptions, DeckBuilder
from deckgen.engine.layout import textmeasure
from deckgen.engine.layout.paraplan import decode_text, form_of
from deckgen.engine.layout.textmeasure import TextMeasures
from deckgen.engine.opc import NS
from deckgen.load.files import load_profile, load_prospect
from deckgen.resources import examples_dir
from tests.engine.test_text_measures import LEVEL, SLIDE, WRAPPER, _fresh, _shape, _State

RUN = '<a:r><a:rPr sz="{sz}"{more}/><a:t>{text}</a:t></a:r>'


def _para(*texts: str, sz: int = 2000, more: str = "", ppr: str = "") -> str:
    runs = "".join(RUN.format(sz=sz, more=more, text=t) for t in texts)
    return f"<a:p>{ppr}{runs}</a:p>"


def _counting(monkeypatch) -> list[bytes]:
    parsed: list[bytes] = []
    parse = textmeasure._parse_paragraph

    def counted(wrapper, paragraph, slide_part):
        parsed.append(paragraph)
        return parse(wrapper, paragraph, slide_part)

    monkeypatch.setattr(textmeasure, "_parse_paragraph", counted)
    return parsed


# texts of one form: only what sits between <a:t> and </a:t> changes
TEXTS = [
    ("Seller brief: ", "North Dental Cedar 1"),
    ("Seller brief: ", "A much longer company name that will have to wrap onto a second line or a third"),
    ("Seller brief: ", "Smith &amp; Sons &lt;Ltd&gt; &quot;Quoted&quot; &#39;n&#x27;"),
    ("Seller brief:\t", "tabs\tinside  and   spaces "),
    ("", ""),
    ("Seller brief: ", "北京 数字 公司 \u3000 mixed"),
    ("Ünïcödé ", "straße café"),
]


@pytest.mark.parametrize(
    "form",
    [
        lambda a, b: _para(a, b),
        lambda a, b: _para(a, b, more=' b="1" cap="all"'),  # capitals: the new text is upper-cased too
        lambda a, b: _para(a, b, more=' spc="300"'),
        lambda a, b: _para(a, b, ppr='<a:pPr marL="457200" indent="-228600"/>'),
        lambda a, b: (
            f'<a:p>{RUN.format(sz=1800, more="", text=a)}<a:br/><a:r><a:rPr sz="2400"/></a:r>'
            f'<a:fld id="{{1}}" type="slidenum"><a:t>{b}</a:t></a:fld></a:p>'
        ),  # a break, a run without text, a field
    ],
)
def test_a_paragraph_read_with_a_plan_measures_as_a_fresh_parse_and_read(monkeypatch, form):
    parsed = _counting(monkeypatch)
    measures, state = TextMeasures(), _State()
    for a, b in TEXTS:
        text = _shape(_para("Fixed heading") + form(a, b), cy=0.8)
        assert measures.measure(WRAPPER, "2", text, SLIDE, state) == _fresh(WRAPPER, text, state), (a, b)
    assert measures.plans
    assert len(parsed) == 2  # the fixed paragraph once, the first of the form once: the others from its plan
    shapes = [_shape(_para("Fixed heading") + form(*t)) for t in TEXTS]
    heights = {measures.measure(WRAPPER, "2", text, SLIDE, state).height for text in shapes}
    assert len(heights) > 1  # the texts differ enough to change the layout


def test_a_plan_is_not_used_for_another_skeleton_another_place_or_other_properties(monkeypatch):
    parsed = _counting(monkeypatch)
    measures, state = TextMeasures(), _State()
    cases = [
        _shape(_para("first text")),
        _shape(_para("second text"), lst=LEVEL),  # another skeleton (list style): its own plan
        _shape(_para("head") + _para("third text")),  # "head" from the first's plan; the form after it: other slots
        _shape(_para("fourth text", more=' b="1"')),  # bold: another form
        _shape(_para("fifth text", sz=3600)),  # another size: another form
    ]
    for text in cases:
        assert measures.measure(WRAPPER, "2", text, SLIDE, state) == _fresh(WRAPPER, text, state)
    assert len(parsed) == 5 and len(measures.plans) == 5
    again = _shape(_para("sixth text", sz=3600))
    assert measures.measure(WRAPPER, "2", again, SLIDE, state) == _fresh(WRAPPER, again, state)
    assert len(parsed) == 5  # the same form as the fifth: read from its plan


@pytest.mark.parametrize(
    "raw",
    [
        b"line\rbreak",  # the parser turns CR into LF
        b"bell\x07",
        b"a]]>b",
        b"&nbsp;",
        b"bare & ampersand",
        b"&#0;",
        b"&#xD800;",
        b"&#X41;",
        b"\xff\xfe",  # not UTF-8
        "\ufffe".encode(),
    ],
)
def test_text_the_parser_might_read_otherwise_is_left_to_a_parse(monkeypatch, raw):
    assert decode_text(raw) is None
    parsed = _counting(monkeypatch)
    measures, state = TextMeasures(), _State()
    measures.measure(WRAPPER, "2", _shape(_para("plain")), SLIDE, state)
    text = _shape(_para("x")).replace(b"<a:t>x</a:t>", b"<a:t>" + raw + b"</a:t>")
    found = measures.measure(WRAPPER, "2", text, SLIDE, state)
    assert len(parsed) == 2  # parsed, not read from the plan
    try:
        expected = _fresh(WRAPPER, text, state)
    except Exception:  # the parser refuses it: so must the measure
        assert found is None
    else:
        assert found == expected


@pytest.mark.parametrize(
    "raw",
    [
        b"plain",
        b"",
        b"tab\tand\nnewline",
        b"&amp;&lt;&gt;&quot;&apos;",
        b"&#39;&#x27;&#13;&#x1F600;",
        "東京 ü".encode(),
    ],
)
def test_decoded_text_is_the_parsers_text(raw):
    root = etree.fromstring(b'<a:t xmlns:a="' + NS["a"].encode() + b'">' + raw + b"</a:t>")
    assert decode_text(raw) == (root.text or "")


def test_a_form_takes_out_only_the_texts():
    paragraph = _para("one", "two &amp; three").encode()
    form, texts = form_of(paragraph)
    assert texts == [b"one", b"two &amp; three"]
    assert form == _para("", "").encode()
    assert form_of(b"<a:p><a:r><a:t/></a:r></a:p>") == (b"<a:p><a:r><a:t/></a:r></a:p>", [])


def test_a_paragraph_whose_texts_cannot_be_matched_to_its_runs_gets_no_plan(monkeypatch):
    parsed = _counting(monkeypatch)
    measures, state = TextMeasures(), _State()
    mixed = "<a:p><a:r><a:t/></a:r><a:r><a:t>{}</a:t></a:r></a:p>"  # an empty <a:t/> the form cannot cut
    for word in ("alpha", "beta", "gamma"):
        text = _shape(mixed.format(word))
        assert measures.measure(WRAPPER, "2", text, SLIDE, state) == _fresh(WRAPPER, text, state)
    assert len(parsed) == 3 and not measures.plans


def test_plans_stay_bounded(monkeypatch):
    monkeypatch.setattr(textmeasure, "_MAX_PLANS", 4)
    measures, state = TextMeasures(), _State()
    for n in range(12):
        text = _shape(_para(f"size {n}", sz=1000 + 100 * n))  # a new form each time
        assert measures.measure(WRAPPER, "2", text, SLIDE, state) == _fresh(WRAPPER, text, state)
        assert len(measures.plans) <= 4


def test_decks_and_briefs_are_the_same_bytes_as_when_every_paragraph_is_parsed(monkeypatch):
    ex = examples_dir()
    profile = load_profile(ex / "profile.yaml")
    prospects = [load_prospect(p) for p in sorted((ex / "prospects").glob("*.yaml"))]
    long_name = "Pinecrest Family Medicine and Associated Regional Healthcare Partners of Central Texas"
    for name in (long_name, "Ølstad & Sønner"):
        prospects.append(prospects[0].model_copy(update={"company": name}))
    options = BuildOptions(brief=True, today=dt.date(2026, 11, 25))

    def build_all():
        builder = DeckBuilder(profile, options)
        return [(d.data, d.brief, [str(w) for w in d.warnings]) for d in map(builder.build, prospects * 2)]

    planned = build_all()
    monkeypatch.setattr(textmeasure, "plan_of", lambda *args: None)  # every new paragraph parsed
    assert build_all() == planned
    assert any("shrunk" in w for _, _, warnings in planned for w in warnings)
