"""The cost slide explains itself in the deck the prospect keeps: every figure on it traces to the slide's own
source line or to the appendix "how we estimated your costs", which lists every input with where it came from.

The decks are built with the real CLI, then read back as the prospect receives them (speaker notes taken out,
as ``deckgen release`` does), with python-pptx.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from pptx import Presentation

from deckgen.cli.app import cli
from deckgen.resources import examples_dir
from deckgen.review.clean import prospect_copy

PROFILE = examples_dir() / "profile.yaml"
PROSPECTS = examples_dir() / "prospects"
APPENDIX = "Appendix: how we estimated your costs"
STORYLINES = ("pitch", "buyer", "nurture", "discovery", "walk-away")
SOURCES = {"your figure", "our assumption", "our price list", "our track record", "our estimate", "left out"}
MONEY = re.compile(r"(?:[A-Z]{1,2}\$|\$|£|€)\d[\d,]*(?:\.\d+)?")


def _variant(tmp: Path, stem: str, old: str, new: str) -> Path:
    """An example prospect with more downtime, so that the cost slide (a saving) shows in their currency."""
    text = (PROSPECTS / f"{stem}.yaml").read_text(encoding="utf-8")
    assert old in text
    path = tmp / f"{stem}-more-downtime.yaml"
    path.write_text(text.replace(old, new), encoding="utf-8")
    return path


def _build(out: Path, prospect: Path, storyline: str | None = None) -> Path:
    args = ["build", "-p", str(PROFILE), "-x", str(prospect), "-o", str(out), "--no-brief", "--date", "2026-11-25"]
    result = CliRunner().invoke(cli, args + (["--storyline", storyline] if storyline else []))
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture(scope="module")
def decks(tmp_path_factory) -> dict[str, Path]:
    """The seller's copy of every example (natural storyline), Alamo in every storyline, and a GBP and an HKD
    deck that show the cost slide."""
    tmp = tmp_path_factory.mktemp("cost-appendix")
    built = {p.stem: _build(tmp / f"{p.stem}.pptx", p) for p in sorted(PROSPECTS.glob("*.yaml"))}
    for storyline in STORYLINES:
        built[f"alamo-{storyline}"] = _build(
            tmp / f"alamo-{storyline}.pptx", PROSPECTS / "alamo-family-dental.yaml", storyline
        )
    gbp = _variant(
        tmp, "thameside-accountants", "incidents_per_month: 5", "incidents_per_month: 14\n  hours_per_incident: 4"
    )
    hkd = _variant(
        tmp,
        "hengxin-logistics",
        "incidents_per_month: 3\n  hours_per_incident: 2",
        "incidents_per_month: 20\n  hours_per_incident: 6",
    )
    built["thameside-gbp"] = _build(tmp / "thameside-gbp.pptx", gbp, "pitch")
    built["hengxin-hkd"] = _build(tmp / "hengxin-hkd.pptx", hkd, "pitch")
    return built


def _sent(path: Path) -> list:
    """The slides of the copy the prospect receives (no speaker notes)."""
    copy = path.with_name(path.stem + "-sent.pptx")
    copy.write_bytes(prospect_copy(path.read_bytes(), path.name).data)
    return list(Presentation(str(copy)).slides)


def _title(slide) -> str:
    return slide.shapes.title.text_frame.text if slide.shapes.title is not None else ""


def _cost_slide(slides):
    return next((s for s in slides if any(sh.name == "cost_comparison" for sh in s.shapes)), None)


def _appendix(slides):
    return next((s for s in slides if _title(s) == APPENDIX), None)


def _texts(slide) -> dict[str, str]:
    return {sh.name: sh.text_frame.text for sh in slide.shapes if sh.has_text_frame}


def _rows(slide) -> list[list[str]]:
    return [[c.text for c in row.cells] for sh in slide.shapes if sh.has_table for row in sh.table.rows]


def _all_text(slide) -> str:
    return "\n".join([*_texts(slide).values(), *(" | ".join(r) for r in _rows(slide))])


def _amount(figure: str) -> float:
    return float(re.sub(r"[^\d.]", "", figure))


def _totals(appendix) -> tuple[float, float]:
    """(today, with us) over the period, as the appendix states them."""
    line = _texts(appendix)["How the figures are made"]
    found = re.search(r"Over \d+ months: (\S+) today \(.*?\); (\S+) with us", line)
    assert found, line
    return _amount(found.group(1)), _amount(found.group(2))


def _rounded(s: float) -> float:
    """The headline's rounding of a saving (as the template does it)."""
    return round(s / 100) * 100 if s >= 1000 else round(s / 10) * 10


def test_the_appendix_is_in_the_deck_exactly_when_the_cost_slide_is(decks):
    shown = {}
    for name, path in decks.items():
        slides = _sent(path)
        assert (_cost_slide(slides) is None) == (_appendix(slides) is None), name
        shown[name] = _appendix(slides) is not None
    assert shown["alamo-family-dental"] and shown["pinecrest-family-medicine"]
    assert shown["thameside-gbp"] and shown["hengxin-hkd"]
    assert not shown["thameside-accountants"] and not shown["hengxin-logistics"]  # no saving / a walk-away
    assert not any(shown[f"alamo-{s}"] for s in ("nurture", "discovery", "walk-away"))


@pytest.mark.parametrize("name", ["alamo-family-dental", "pinecrest-family-medicine", "thameside-gbp", "hengxin-hkd"])
def test_every_money_figure_on_the_cost_slide_is_on_its_source_line_or_the_appendix(decks, name):
    slides = _sent(decks[name])
    cost, appendix = _cost_slide(slides), _appendix(slides)
    assert not cost.has_notes_slide and not appendix.has_notes_slide  # the prospect's copy: no notes to lean on
    texts = _texts(cost)
    source_line = texts.pop("Footer")
    traced = set(MONEY.findall(_all_text(appendix))) | set(MONEY.findall(source_line))
    today, with_us = _totals(appendix)
    shown = [f for text in texts.values() for f in MONEY.findall(text)]
    assert len(shown) >= 5, texts  # the hour, and paid and downtime on both sides
    for figure in shown:
        # the headline's saving is the appendix's two totals apart, rounded as the headline says "about"
        assert figure in traced or (figure in texts["Title"] and _amount(figure) == _rounded(today - with_us)), (
            figure,
            traced,
        )


@pytest.mark.parametrize("name", ["alamo-family-dental", "thameside-gbp", "hengxin-hkd"])
def test_the_chart_follows_from_the_appendix(decks, name):
    slides = _sent(decks[name])
    cost, appendix = _cost_slide(slides), _appendix(slides)
    chart = next(sh for sh in cost.shapes if sh.name == "cost_comparison").chart
    today, managed = (list(s.values) for s in chart.plots[0].series)
    assert (today[-1], managed[-1]) == _totals(appendix)
    line = _texts(appendix)["How the figures are made"]
    months = [int(m) for m in re.findall(r"\d+", " ".join(chart.plots[0].categories))]
    per_month = [_amount(f) for f in re.findall(r"\((\S+) a month", line)]
    onboarding = next(_amount(r[1]) for r in _rows(appendix) if r[0].startswith("Onboarding"))
    for m, t, g in zip(months, today, managed, strict=True):
        assert abs(t - m * per_month[0]) <= m and abs(g - onboarding - m * per_month[1]) <= m, (m, t, g)


def test_the_cost_slide_says_what_is_paid_and_what_is_estimated_downtime(decks):
    cost = _cost_slide(_sent(decks["alamo-family-dental"]))
    texts = _texts(cost)
    assert texts["Chart caption"] == (
        "A month today: $2,100 paid + $3,425 downtime (estimated). With us: $3,940 paid + $1,370 downtime (estimated)."
    )
    assert texts["Footer"].endswith("How we estimated: see the appendix.")
    gbp = _texts(_cost_slide(_sent(decks["thameside-gbp"])))["Chart caption"]
    assert gbp.startswith("A month, your IT staff aside: today £") and "paid" in gbp  # in-house cost unknown
    hkd = _texts(_cost_slide(_sent(decks["hengxin-hkd"])))["Chart caption"]
    assert "HK$30,000 fees (typical)" in hkd  # another provider's typical fee: an estimate, and said so


def test_the_appendix_lists_every_input_with_its_value_and_where_it_came_from(decks):
    seller = list(Presentation(str(decks["alamo-family-dental"])).slides)
    notes = _appendix(seller).notes_slide.notes_text_frame.text
    inputs = notes.split("EACH INPUT WITH ITS BASIS:\n", 1)[1].splitlines()
    rows = _rows(_appendix(_sent(decks["alamo-family-dental"])))
    assert len(rows) == len(inputs) == 15
    assert all(len(r) == 3 and r[0] and r[1] for r in rows)
    by_label = {r[0]: (r[1], r[2]) for r in rows}
    assert by_label["Hourly wage"] == ("$28", "your figure")
    assert by_label["Revenue lost for good"] == ("20%", "our assumption")  # a profile default: ours, not "industry"
    assert by_label["Our plan a month"] == ("$3,940", "our price list")
    assert by_label["Less downtime with us"] == ("60%", "our track record")
    assert by_label["Hours down each"] == ("2.5 hours", "your figure")
    line = _texts(_appendix(_sent(decks["alamo-family-dental"])))["How the figures are made"]
    assert line.startswith(
        "An hour of downtime: $913 = lost revenue $404 (revenue ÷ hours × share lost) + idle staff $510"
    )


def test_regional_figures_are_marked_typical_for_the_country(decks):
    for name, country in (("thameside-gbp", "the UK"), ("hengxin-hkd", "Hong Kong")):
        rows = {r[0]: r for r in _rows(_appendix(_sent(decks[name])))}
        assert rows["Working hours a year"][2] == f"typical for {country}"
        for label, _value, source in rows.values():
            assert source in SOURCES or source == f"typical for {country}", (name, label, source)
    thameside = {r[0]: r for r in _rows(_appendix(_sent(decks["thameside-gbp"])))}
    assert thameside["IT spend a month"][1:] == ["not known", "left out"]


def test_no_customer_slide_calls_our_assumption_an_industry_default(decks):
    for name, path in decks.items():
        for slide in _sent(path):
            assert "industry default" not in _all_text(slide).lower(), (name, _title(slide))


def test_the_appendix_is_the_only_slide_over_40_words(decks):
    """The appendix is a reference table the prospect reads, not a slide that is presented: it alone may pass
    the 40-word rule, and stays within what one slide reads at 15 pt."""
    import importlib.util
    import sys

    root = Path(__file__).resolve().parents[2]
    spec = importlib.util.spec_from_file_location("measure_decks", root / "tools" / "measure_decks.py")
    measure = importlib.util.module_from_spec(spec)
    sys.modules["measure_decks"] = measure
    spec.loader.exec_module(measure)
    for name, path in decks.items():
        for m in measure.measure_deck(path):
            if m.title == APPENDIX:
                assert m.words <= 200 and m.text_min >= 14, (name, m.words, m.text_min)
            else:
                assert m.words <= 40, (name, m.number, m.title, m.words)
