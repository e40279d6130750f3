"""Chart labels carry the deck's currency; 7-digit amounts are labelled compactly ("HK$1.2M")."""

from __future__ import annotations

import datetime as _dt
import io

from pptx import Presentation

from deckgen.build import BuildOptions, DeckBuilder
from deckgen.load.files import load_profile, load_prospect
from deckgen.model import ItModel, ProspectNumbers
from deckgen.resources import examples_dir
from deckgen.sales.chart_formats import chart_money_format
from deckgen.sales.costs import estimate_costs
from tests.tools import validate_ooxml

EXAMPLES = examples_dir()
PROFILE = load_profile(EXAMPLES / "profile.yaml")
HKD = '[>=1000000]"HK$"#,##0.0,,"M";[>=1000]"HK$"#,##0,"K";"HK$"#,##0'


def test_compact_formats_follow_the_decks_money_style():
    assert chart_money_format("zh-Hant-HK", "HKD", 12_403_030) == HKD
    assert chart_money_format("en-HK", "HKD", 1_000_000) == HKD
    assert chart_money_format("en-US", "USD", 2e6) == '[>=1000000]"$"#,##0.0,,"M";[>=1000]"$"#,##0,"K";"$"#,##0'
    # the sign after the amount where the deck's money puts it ("12.345 €"), German separators (the locale's
    # tag: LibreOffice shows "1,2M €", "12.345 €"); K and M in the deck's English
    de = "[$-407]"
    assert chart_money_format("de-DE", "EUR", 2e6) == (
        f'{de}[>=1000000]#,##0.0,,"M\xa0€";{de}[>=1000]#,##0,"K\xa0€";{de}#,##0"\xa0€"'
    )


def test_six_digit_amounts_are_written_in_full_with_the_sign():
    # below a million the labels fit whole (the compact form is for 7 digits, which crowd a column); the
    # sign is the deck's, since one template serves every currency and its own format cannot know it
    assert chart_money_format("en-US", "USD", 999_999) == '"$"#,##0'
    assert chart_money_format("en-GB", "GBP", 198_915) == '"£"#,##0'
    assert chart_money_format("de-DE", "EUR", 198_915) == '[$-407]#,##0"\xa0€"'


def hong_kong_break_fix():
    hk = load_prospect(EXAMPLES / "prospects" / "hengxin-logistics.yaml")
    return hk.model_copy(
        update={
            "it_model": ItModel.break_fix,
            "it_pain": True,
            "situations": ["price_shopper"],
            "numbers": ProspectNumbers(incidents_per_month=14, hours_per_incident=4, annual_revenue=180_000_000),
        }
    )


def test_a_hong_kong_cost_chart_in_millions_is_compact_and_a_small_us_one_is_not():
    charts = estimate_costs(hong_kong_break_fix(), PROFILE).to_context()["charts"]
    assert max(charts["cost_comparison"]["series"][0]["values"]) >= 1_000_000
    assert charts["cost_comparison"]["number_format"] == HKD
    dental = load_prospect(EXAMPLES / "prospects" / "alamo-family-dental.yaml")
    small = estimate_costs(dental, PROFILE).to_context()["charts"]["cost_comparison"]
    assert max(small["series"][0]["values"]) < 1_000_000 and small["number_format"] == '"$"#,##0'


def test_the_built_decks_chart_labels_read_hk_dollars_in_millions(tmp_path):
    built = DeckBuilder(PROFILE, BuildOptions(today=_dt.date(2026, 12, 1), storyline="pitch")).build(
        hong_kong_break_fix()
    )
    charts = [
        shape.chart
        for slide in Presentation(io.BytesIO(built.data)).slides
        for shape in slide.shapes
        if shape.has_chart
    ]
    (chart,) = charts
    assert chart.plots[0].data_labels.number_format == HKD
    deck = tmp_path / "hk.pptx"
    deck.write_bytes(built.data)
    assert validate_ooxml(deck) == []  # the value axis' numFmt sits where the schema wants it
