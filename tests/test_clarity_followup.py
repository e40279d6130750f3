"""A finance director's and a sales coach's review: a cost chart that reads on its own (currency on every
label, a title saying the bars are running totals), a fit slide and a promise slide that do not stand half
empty, money with its currency in the brief, a closing line whose trigger fits the prospect, and the
typical objections of a storyline when nothing in the data points to one."""

from __future__ import annotations

import datetime as _dt
import io
import re
import subprocess
from pathlib import Path

from pptx import Presentation
from pptx.util import Emu

import tools
from deckgen.build import BuildOptions, DeckBuilder
from deckgen.load.closings import load_library
from deckgen.load.files import load_profile, load_prospect
from deckgen.load.objections import load_objections
from deckgen.model import ItModel, Prospect, ProspectNumbers, ProspectSize
from deckgen.resources import examples_dir
from deckgen.sales.brief import seller_brief
from deckgen.sales.chart_formats import chart_money_format
from deckgen.sales.closings import all_lines, choose_closing
from deckgen.sales.fit import score_fit
from deckgen.sales.storyline import storyline_for

EXAMPLES = examples_dir()
PROFILE = load_profile(EXAMPLES / "profile.yaml")
LINES = all_lines(PROFILE, load_library())
TODAY = _dt.date(2026, 12, 1)


def example(name: str) -> Prospect:
    return load_prospect(EXAMPLES / "prospects" / f"{name}.yaml")


def build(prospect: Prospect, **options):
    return DeckBuilder(PROFILE, BuildOptions(today=TODAY, **options)).build(prospect)


def cost_chart(data: bytes):
    for slide in Presentation(io.BytesIO(data)).slides:
        for shape in slide.shapes:
            if shape.has_chart and shape.name == "cost_comparison":
                return shape.chart
    raise AssertionError("no cost chart")


def shape(slide, name: str):
    return next(s for s in slide.shapes if s.name == name)


def slide_titled(data: bytes, start: str):
    return next(s for s in Presentation(io.BytesIO(data)).slides if s.shapes.title.text.startswith(start))


def brighton() -> Prospect:
    """A British break-fix dental practice: a cost slide in pounds."""
    return Prospect.model_validate(
        {
            "company": "Brighton Smile Dental",
            "industry": "Dental practice",
            "size": {"users": 28, "endpoints": 32, "sites": 1},
            "location": {"city": "Brighton", "country": "United Kingdom"},
            "locale": "en-GB",
            "it_model": "break_fix",
            "it_pain": True,
            "pain_points": ["The X-ray server failed twice this year."],
            "numbers": {"it_spend_per_month": 4400, "annual_revenue": 3_200_000, "incidents_per_month": 6},
        }
    )


# ---------------------------------------------------------------- 1. the cost chart reads on its own


def test_the_cost_charts_labels_carry_the_decks_currency_below_a_million():
    dollars = cost_chart(build(example("alamo-family-dental")).data)
    assert dollars.plots[0].data_labels.number_format == '"$"#,##0'
    pounds = cost_chart(build(brighton()).data)
    assert pounds.plots[0].data_labels.number_format == '"£"#,##0'


def test_a_label_too_long_for_its_bar_is_compact_below_a_million_too():
    # "HK$198,915" would run into the next bar's label: "HK$199K"; "198.915 €" still fits whole
    hk = chart_money_format("zh-Hant-HK", "HKD", 198_915)
    assert hk == '[>=1000000]"HK$"#,##0.0,,"M";[>=1000]"HK$"#,##0,"K";"HK$"#,##0'
    assert chart_money_format("zh-Hant-HK", "HKD", 99_999) == '"HK$"#,##0'
    assert chart_money_format("de-DE", "EUR", 198_915) == '[$-407]#,##0"\xa0€"'


def test_the_cost_chart_says_its_bars_are_running_totals_and_in_which_currency():
    chart = cost_chart(build(brighton()).data)
    assert chart.has_title
    assert chart.chart_title.text_frame.text == "Cumulative cost over 36 months, in GBP"


def _words_on(pdf: Path, page: int) -> list[tuple[str, float, float, float, float]]:
    exe = tools.require_tool("pdftotext")
    xml = subprocess.run(
        [exe, "-f", str(page), "-l", str(page), "-bbox", "-enc", "UTF-8", str(pdf), "-"],
        capture_output=True,
        check=True,
        timeout=120,
    ).stdout.decode("utf-8")
    found = re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>', xml)
    return [(w, float(a), float(b), float(c), float(d)) for a, b, c, d, w in found]


def test_libreoffice_shows_the_labels_with_the_sign_each_apart_from_its_neighbour(tmp_path):
    deck = tmp_path / "alamo.pptx"
    deck.write_bytes(build(example("alamo-family-dental")).data)
    subprocess.run(
        [
            tools.soffice_path(),
            f"-env:UserInstallation={(tmp_path / 'lo').as_uri()}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(deck),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    words = _words_on(tmp_path / "alamo.pdf", 3)
    labels = [w for w in words if re.fullmatch(r"\$\d{2,3},\d{3}", w[0])]
    assert len(labels) == 6, [w[0] for w in words]  # two series at three marks, each "$198,915"
    assert any(w[0] == "Cumulative" for w in words)
    for i, a in enumerate(labels):  # no label runs into another on the same line
        for b in labels[i + 1 :]:
            same_line = abs(a[2] - b[2]) < 4
            assert not (same_line and a[1] < b[3] and b[1] < a[3]), (a, b)


# ---------------------------------------------------------------- 2. slides that use their space


def test_the_fit_slide_asks_in_a_band_not_a_full_height_column():
    slide = slide_titled(build(example("alamo-family-dental")).data, "Where we fit")
    panel, fits, needs = shape(slide, "Needs panel"), shape(slide, "Where we fit"), shape(slide, "What we need")
    body = Emu(int((6.6 - 1.95) * 914400))
    assert panel.height < body / 2  # one or two short needs do not get a full-height column
    assert panel.width > fits.width * 0.9  # a band across the slide, under what fits
    assert panel.top > fits.top
    assert needs.text_frame._txBody.bodyPr.get("anchor") == "ctr"  # one need sits in the middle of the band


def test_the_promise_is_set_large_and_centred_in_its_panel():
    slide = slide_titled(build(example("alamo-family-dental")).data, "Our promise")
    box = shape(slide, "Difference")
    assert box.text_frame._txBody.bodyPr.get("anchor") == "ctr"
    sizes = [r.font.size.pt for p in box.text_frame.paragraphs for r in p.runs if r.font.size]
    assert max(sizes) >= 40


# ---------------------------------------------------------------- 3. money in the brief has its currency


def test_the_budget_reason_writes_their_spend_and_our_floor_as_money():
    reason = score_fit(brighton(), PROFILE).criterion("budget").reason
    assert reason.startswith("Budget taken from current IT spend of £4,400 a month over 28 users: £157")
    assert "floor of US$125" in reason and not re.search(r"(?<![£$\d,])4,400", reason)
    spend_only = brighton().model_copy(
        update={"size": ProspectSize(), "numbers": ProspectNumbers(it_spend_per_month=4400)}
    )
    assert "their IT spend of £4,400 a month" in score_fit(spend_only, PROFILE).criterion("budget").reason
    stated = example("hill-country-veterinary")
    assert score_fit(stated, PROFILE).criterion("budget").reason.startswith("Budget $130 per user a month")


# ---------------------------------------------------------------- 4. a closing line that fits


def test_a_slow_decision_without_the_signer_gets_the_line_about_the_signer():
    choice = choose_closing(example("thameside-accountants"), PROFILE, None, lines=LINES)
    assert choice.line.id == "the-person-who-signs" and "Want a vendor" not in choice.line.short


def test_want_a_vendor_is_only_for_a_prospect_who_wants_one():
    for situations in (["slow_decision"], ["no_decision_maker"], ["poor_fit"], ["slow_decision", "poor_fit"]):
        picked = choose_closing(Prospect(company="A", situations=situations), PROFILE, None, lines=LINES)
        assert picked.line.id != "partner-not-vendor", situations
    wants = choose_closing(Prospect(company="A", situations=["wants_vendor"]), PROFILE, None, lines=LINES)
    assert wants.line.id == "partner-not-vendor" and not wants.default


def test_no_situation_takes_the_neutral_default():
    picked = choose_closing(Prospect(company="A", it_model=ItModel.unknown), PROFILE, None, lines=LINES)
    assert picked.line.id == "one-standard-for-all" and picked.default


# ---------------------------------------------------------------- 5. objections to rehearse


def brief_for(prospect: Prospect, storyline: str | None = None) -> dict:
    fit = score_fit(prospect, PROFILE)
    return seller_brief(
        profile=PROFILE,
        prospect=prospect,
        fit=fit,
        closing=None,
        storyline=storyline or storyline_for(fit.band),
        objections=load_objections(),
    )


def test_a_discovery_brief_with_nothing_in_the_data_lists_the_typical_objections():
    brief = brief_for(example("northgate-dental-studio"))
    assert brief["storyline"] == "discovery"
    assert [o["id"] for o in brief["objections"]] == ["already-have-someone", "what-does-it-cost", "not-the-right-time"]
    assert all(o["answer"] and o["why"].startswith("typical of a first meeting") for o in brief["objections"])
    assert brief["objections_label"] == "Typical objections (none in their data yet)"


def test_the_typical_objection_about_their_it_today_follows_their_it_model():
    in_house = brief_for(Prospect(company="A", industry="Legal", it_model="in_house"), "nurture")
    assert [o["id"] for o in in_house["objections"]][:2] == ["we-have-an-it-guy", "not-the-right-time"]
    break_fix = brief_for(Prospect(company="B", industry="Legal", it_model="break_fix"), "discovery")
    assert break_fix["objections"][0]["id"] == "only-call-when-broken"


def test_objections_from_the_data_are_not_padded_and_a_walk_away_gets_no_sales_debate():
    alamo = brief_for(example("alamo-family-dental"))
    assert len(alamo["objections"]) >= 2 and not any(o["why"].startswith("typical") for o in alamo["objections"])
    assert alamo["objections_label"] == "Likely objections"
    walk = brief_for(Prospect(company="C", industry="Legal"), "walk_away")
    assert not any(o["why"].startswith("typical") for o in walk["objections"])
