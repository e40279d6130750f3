"""review.html fits a laptop screen: at 1280×800 and 1500×1000 every column, the file links and the warnings are
in view without scrolling sideways; a duplicate row is held by default; the closing line is its id until opened;
the key-slide strip is shown large enough to read and opens the slides, never the .pptx.

A real `deckgen batch` of a HubSpot-style list writes the page; headless Chromium loads it from disk.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

sys.path.insert(0, str(Path(__file__).parent))
import browser  # noqa: E402

from deckgen.cli import cli  # noqa: E402
from tests.batch.test_duplicates import PROFILE, hubspot_csv  # noqa: E402

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def page(tmp_path_factory) -> Path:
    browser.chromium_path()  # skip (fail under CI=true) before building anything
    tmp = tmp_path_factory.mktemp("fit")
    out = tmp / "decks"
    args = ["batch", str(hubspot_csv(tmp / "hubspot.csv")), "-p", str(PROFILE), "-o", str(out), "-j", "1", "-q"]
    result = CliRunner().invoke(cli, [*args, "--date", "2026-11-25", "--brief"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    from PIL import Image

    from deckgen.review.thumbs import STRIP_HEIGHT, make_strip, strip_path

    slides = []
    for i in range(4):  # stand-ins for the slide PNGs LibreOffice renders
        slide = tmp / f"slide-{i}.png"
        Image.new("RGB", (1280, 720), (30 * i, 60, 120)).save(slide)
        slides.append(slide)
    for deck in out.glob("*.pptx"):
        if not deck.stem.endswith("-brief"):
            made = make_strip(slides, strip_path(out, deck.stem))
            with Image.open(made) as strip:
                assert strip.height == STRIP_HEIGHT
    result = CliRunner().invoke(cli, ["review", str(out)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return out / "review.html"


GEOMETRY = """(() => {
  const rect = el => el.getBoundingClientRect();
  const first = document.querySelector('#rows tr');
  return {
    scroll: document.documentElement.scrollWidth, width: document.documentElement.clientWidth,
    head: Array.from(document.querySelectorAll('thead th:not(.vh)')).map(th => rect(th).right),
    links: Array.from(first.querySelectorAll('.files a')).map(a => [a.textContent, rect(a).right]),
    warnings: rect(first.querySelector('.warns')).right,
    strip: [rect(first.querySelector('.thumbs img')).height, rect(first.querySelector('.thumbs img')).right],
    stripLink: first.querySelector('.thumbs a').getAttribute('href'),
  };
})()"""


@pytest.mark.parametrize("size", [(1280, 800), (1500, 1000)])
def test_every_column_and_link_is_on_screen(page, size, tmp_path):
    with browser.Chromium(*size) as chrome:
        chrome.open(page)
        g = chrome.js(GEOMETRY)
        chrome.screenshot(tmp_path / f"review-{size[0]}x{size[1]}.png")
        assert not chrome.console_errors()
    assert g["scroll"] <= g["width"], g  # no sideways scrolling
    assert len(g["head"]) == 9 and max(g["head"]) <= g["width"], g
    names = [name.split(" for ")[0] for name, _ in g["links"]]
    assert names == ["Deck", "Seller brief"], g  # under the company's name (no PDF in this folder)
    assert g["links"] and all(right <= g["width"] for _, right in g["links"]), g
    assert g["warnings"] <= g["width"], g
    height, right = g["strip"]
    assert height >= 120 and right <= g["width"], g  # the strip is shown large enough to read
    assert g["stripLink"].endswith(".png") and not g["stripLink"].endswith(".pptx"), g


def test_a_duplicate_is_marked_and_held_and_the_closing_line_opens(page):
    with browser.Chromium(1280, 800) as chrome:
        chrome.open(page)
        dup = chrome.js(
            "(() => { const tr = document.querySelector('tr[data-dup]'); return {company: tr.dataset.company,"
            " flag: tr.querySelector('.dup').textContent, hold: tr.querySelector('input[value=hold]').checked,"
            " others: Array.from(document.querySelectorAll('#rows tr:not([data-dup]) input:checked')).length,"
            " marked: document.getElementById('marked').textContent}; })()"
        )
        assert dup == {
            "company": "Guerra Whitaker & Lowe",
            "flag": "Duplicate of row 2: same domain, phone and name",
            "hold": True,
            "others": 0,
            "marked": "0 ready, 1 on hold, 3 not marked",
        }
        closing = chrome.js(
            "(() => { const d = document.querySelector('#rows tr .closing details'), q = d.querySelector('q');"
            " const before = q.checkVisibility(); d.open = true;"
            " return [d.querySelector('summary').textContent, before, q.checkVisibility()]; })()"
        )
        assert closing[1:] == [False, True], closing  # the words are hidden until opened
        assert closing[0] and " " not in closing[0]  # the line's id, not its five lines of text
        # the reviewer can still mark the duplicate ready, and that is what the export says
        chrome.js("document.querySelector('tr[data-dup] input[value=ready]').click()")
        assert chrome.js("document.getElementById('marked').textContent") == "1 ready, 0 on hold, 3 not marked"
