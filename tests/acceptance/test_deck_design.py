"""The bundled walk-away deck, built in every storyline, read back from the .pptx against the design rules."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from deckgen.cli.app import cli
from deckgen.resources import examples_dir

ROOT = Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location("measure_decks", ROOT / "tools" / "measure_decks.py")
measure = importlib.util.module_from_spec(_spec)
sys.modules["measure_decks"] = measure  # dataclasses look their module up while the class is made
_spec.loader.exec_module(measure)

PROFILE = examples_dir() / "profile.yaml"
PROSPECT = examples_dir() / "prospects" / "alamo-family-dental.yaml"
STORYLINES = ("pitch", "buyer", "nurture", "discovery", "walk-away")


@pytest.fixture(scope="module")
def decks(tmp_path_factory):
    out_dir = tmp_path_factory.mktemp("design")
    built = {}
    for storyline in STORYLINES:
        for brand in ("ridgeline", "slate"):
            out = out_dir / f"{storyline}-{brand}.pptx"
            args = ["build", "-p", str(PROFILE), "-x", str(PROSPECT), "-o", str(out), "--brand", brand]
            result = CliRunner().invoke(cli, [*args, "--storyline", storyline, "--no-brief", "--date", "2026-11-25"])
            assert result.exit_code == 0, result.output
            built[(storyline, brand)] = measure.measure_deck(out)
    return built


def _all(decks):
    return [(key, m) for key, slides in decks.items() for m in slides]


def test_every_slide_has_a_title_placeholder_with_text(decks):
    missing = [(key, m.number) for key, m in _all(decks) if not (m.has_title and m.title)]
    assert not missing


def test_pictures_have_meaningful_alt_text(decks):
    alts = {alt for _, m in _all(decks) for alt in m.pictures}
    assert alts and all(alt and "placeholder" not in alt.lower() for alt in alts), alts


def test_nothing_under_14_pt_outside_the_footer_band(decks):
    small = [(key, m.number, m.text_min) for key, m in _all(decks) if m.text_min is not None and m.text_min < 14]
    assert not small


def test_every_text_run_meets_wcag_aa_for_its_size(decks):
    low = [(key, m.number, m.contrast_pair) for key, m in _all(decks) if m.contrast_min and m.contrast_min < 4.5]
    assert not low


def test_titles_state_the_message_with_the_prospects_figures(decks):
    titles = [m.title for m in decks[("pitch", "ridgeline")]]
    assert any(t.startswith("Break-fix costs you about $") and "a year more" in t for t in titles), titles
    assert any(t.startswith("What we heard: ") and "problem" in t for t in titles), titles


def test_the_walk_away_line_is_short_on_its_slide(decks):
    for storyline in ("buyer", "walk-away"):
        close = [m for m in decks[(storyline, "ridgeline")] if m.title and m.contrast_min and m.contrast_min > 10]
        close = [m for m in close if m.number > 1]
        assert close and measure._words(close[0].title) <= 22, close[0].title if close else storyline


def test_one_grid_the_content_starts_at_the_same_height_on_every_content_slide(decks):
    for key, slides in decks.items():
        for m in slides:
            body = [top for top, left, text in m.texts if 1.8 < top < 6.85]
            if m.title.startswith(("What we heard", "Every client", "Three questions", "Where we fit")):
                assert body and min(body) == pytest.approx(2.0, abs=0.11), (key, m.number, body)


def test_reading_order_ends_with_the_footer(decks):
    for key, slides in decks.items():
        for m in slides:
            tops = [top for top, _, _ in m.texts]
            if any(top >= measure.FOOTER_BAND for top in tops):
                first_footer = next(i for i, top in enumerate(tops) if top >= measure.FOOTER_BAND)
                assert all(top >= measure.FOOTER_BAND for top in tops[first_footer:]), (key, m.number, tops)


@pytest.mark.xfail(
    strict=True,
    reason="19 of 123 slides still run to 41-44 words: the prospect's own pain points (slide 2), the cost "
    "slide with its one-line basis, the discovery questions and some next steps (issue #12)",
)
def test_at_most_40_words_a_slide(decks):
    over = [(key, m.number, m.words) for key, m in _all(decks) if m.words > 40]
    assert not over
