"""A chart's data may carry the format code of its labels (compact amounts); the engine writes it into the chart."""

from __future__ import annotations

import pytest
from lxml import etree

from deckgen.errors import DeckgenError
from tests.engine.test_engine import TemplateBuilder, context, render

COMPACT = '[>=1000000]"HK$"#,##0.0,,"M";[>=1000]"HK$"#,##0,"K";"HK$"#,##0'
C = "{http://schemas.openxmlformats.org/drawingml/2006/chart}"


def formats(prs) -> list[str]:
    root = etree.fromstring(prs.slides[0].shapes[0].chart.part.blob)
    return [(el.getparent().tag.replace(C, ""), el.get("formatCode")) for el in root.iter(C + "numFmt")]


def chart_deck(tmp_path, **data):
    b = TemplateBuilder()
    b.new_slide()
    b.chart("cost", "charts.cost", series=2)
    ctx = context()
    ctx["charts"]["cost"].update(data)
    return render(tmp_path, b, ctx)[2]


def test_the_data_labels_and_value_axis_take_the_charts_number_format(tmp_path):
    prs = chart_deck(tmp_path, number_format=COMPACT)
    found = formats(prs)
    assert ("valAx", COMPACT) in found
    assert all(code == COMPACT for _, code in found) and found


def test_without_a_number_format_the_templates_own_stays(tmp_path):
    assert all(code != COMPACT for _, code in formats(chart_deck(tmp_path)))


def test_a_number_format_must_be_a_short_format_code(tmp_path):
    with pytest.raises(DeckgenError, match="number_format"):
        chart_deck(tmp_path, number_format="#\x00" * 150)
