"""What makes deckgen a sales tool: each example deck shows where the prospect stands, in their market."""

from __future__ import annotations

import io
import re
import subprocess
import zipfile

import pytest
from click.testing import CliRunner
from lxml import etree
from pptx import Presentation

import tools
from deckgen.build import BuildOptions, DeckBuilder
from deckgen.cli import cli
from deckgen.load.files import load_profile, load_prospect
from deckgen.resources import examples_dir
from deckgen.sales.brief import closing_words

PROFILE = examples_dir() / "profile.yaml"
A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    out = tmp_path_factory.mktemp("demo")
    result = CliRunner().invoke(cli, ["demo", "--out-dir", str(out), "--date", "2026-11-25"])
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture(scope="module")
def pdf_texts(demo):
    from deckgen.export.pdf import PdfConverter

    tools.require_tool("soffice")
    decks = sorted(demo.glob("*.pptx"))  # the decks and their seller briefs
    with PdfConverter() as conv:
        pdfs = conv.convert(decks, demo)
    exe = tools.require_tool("pdftotext")
    return {
        d.stem: subprocess.run(
            [exe, "-enc", "UTF-8", str(pdfs[d]), "-"], capture_output=True, check=True, timeout=120
        ).stdout.decode("utf-8")
        for d in decks
    }


def built(name: str):
    profile = load_profile(PROFILE)
    prospect = load_prospect(examples_dir() / "prospects" / f"{name}.yaml")
    return DeckBuilder(profile, BuildOptions()).build(prospect)


def test_example_prospects_land_in_three_bands():
    bands = {
        name: built(name).fit.band for name in ("alamo-family-dental", "thameside-accountants", "hengxin-logistics")
    }
    assert bands == {"alamo-family-dental": "A", "thameside-accountants": "B", "hengxin-logistics": "walk_away"}


@pytest.mark.slow
@pytest.mark.parametrize(
    "name, money",
    [
        ("alamo-family-dental", r"\$[\d,]+"),
        ("thameside-accountants", r"£[\d,]+"),
        ("hengxin-logistics", r"HK\$[\d,]+"),
    ],
)
def test_the_brief_shows_score_and_band_the_deck_locale_figures_and_never_the_score(pdf_texts, name, money):
    deck = built(name)
    text = pdf_texts[name]
    flat = squash(text)
    brief = squash(pdf_texts[f"{name}-brief"])
    assert f"{deck.fit.score}/100" in brief and squash(deck.fit.band_label) in brief
    assert "/100" not in flat and squash(deck.fit.band_label) not in flat
    assert squash(closing_words(deck.closing.to_context(), deck.storyline)) in brief  # as the seller says it
    if deck.storyline != "walk_away":  # the walk-away deck carries no price
        assert re.search(money, text), f"no {money} amount in the {name} PDF"


@pytest.mark.slow
def test_london_deck_writes_dates_day_first_and_hong_kong_deck_shows_chinese(pdf_texts):
    assert "25 November 2026" in pdf_texts["thameside-accountants"]
    assert "November 25, 2026" in pdf_texts["alamo-family-dental"]
    hk = squash(pdf_texts["hengxin-logistics"])
    assert "恒信物流有限公司" in hk and "陳志明" in hk


def test_charts_are_native_with_the_prospects_numbers_in_their_workbook(demo):
    deck = built("alamo-family-dental")
    prs = Presentation(str(demo / "alamo-family-dental.pptx"))
    charts = {shape.name: shape.chart for slide in prs.slides for shape in slide.shapes if shape.has_chart}
    assert "cost_comparison" in charts and "fit_scorecard" not in charts  # the fit chart is seller-only
    cost = charts["cost_comparison"]
    values = {s.name: list(s.values) for s in cost.series}
    from deckgen.sales.costs import compute_costs

    prospect = load_prospect(examples_dir() / "prospects" / "alamo-family-dental.yaml")
    expected = compute_costs(prospect, load_profile(PROFILE))["charts"]["cost_comparison"]
    assert values == {s["name"]: [float(v) for v in s["values"]] for s in expected["series"]}
    sheet = (
        zipfile.ZipFile(io.BytesIO(cost.part.chart_workbook.xlsx_part.blob)).read("xl/worksheets/sheet1.xml").decode()
    )
    for v in expected["series"][0]["values"]:
        assert f"<v>{v}</v>" in sheet
    brief = Presentation(str(demo / "alamo-family-dental-brief.pptx"))
    fit = next(shape.chart for slide in brief.slides for shape in slide.shapes if shape.name == "fit_scorecard")
    assert [s.name for s in fit.series] == ["Points", "Possible"]
    assert sum(fit.series[0].values) == pytest.approx(deck.fit.score, abs=1)


def test_chinese_text_gets_the_brands_east_asian_font(demo):
    with zipfile.ZipFile(demo / "hengxin-logistics.pptx") as z:
        slide = etree.fromstring(z.read("ppt/slides/slide1.xml"))
    runs = [r for r in slide.iter(f"{A}r") if "恒信" in (r.findtext(f"{A}t") or "")]
    assert runs
    for run in runs:
        assert run.find(f"{A}rPr/{A}ea").get("typeface") == "Microsoft JhengHei"  # the kit's east-asian font


def test_every_slide_has_coaching_notes_and_the_close_says_how_to_use_it(demo):
    prs = Presentation(str(demo / "thameside-accountants.pptx"))
    notes = [s.notes_slide.notes_text_frame.text for s in prs.slides]
    assert all(len(n.split()) >= 15 for n in notes), [len(n.split()) for n in notes]
    deck = built("thameside-accountants")
    line = deck.closing.line.text
    shown = deck.closing.to_context()["short"]  # the line's authored short form
    close = next(
        n
        for n, s in zip(notes, prs.slides)
        if line in n and any(sh.has_text_frame and shown in sh.text_frame.text for sh in s.shapes)
    )  # the slide shows the line's short form; the notes hold it whole
    assert deck.closing.reason in close
    assert "silence" in close.lower() and "log" in close.lower()
