"""A prospect whose pain points are far too long for their box: the deck still shows every word inside it.

Built through the CLI with the bundled walk-away template and the example profile, converted with
LibreOffice, and read back with poppler's word boxes.
"""

from __future__ import annotations

import html
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner
from pptx import Presentation

import tools
from deckgen.check import check_deck
from deckgen.cli import cli
from deckgen.resources import bundled_dir, examples_dir

PROFILE = examples_dir() / "profile.yaml"
DATE = "2026-11-25"
PAINS = [
    "Warehouse scanners drop off the wireless network several times every shift, so pickers fall back to "
    "paper lists and stock counts drift until the weekend reconciliation.",
    "Nobody has tested a restore from the nightly backup since the server was replaced, and the one person "
    "who knows the password for the backup console left the company last spring.",
    "The dispatch office still runs an unsupported operating system on four desktops because the route "
    "planning software was never upgraded, and every vendor call ends in finger pointing.",
    "Phishing emails reach drivers' phones weekly; two mailbox takeovers this year sent fake invoices to "
    "customers before anyone noticed the forwarding rules the attackers had quietly added.",
]
OTHER_TEXT_ON_THE_SLIDE = "What we heard Ridgeline Managed IT San Antonio TX ridgeline it example com"
# poppler's word boxes span the font's whole ascent-to-descent box: 1.3 em, reaching 0.15 em (0.115 of the
# box's height) below the line the text is laid out on, though no glyph gets there (see tests/engine/test_fitting.py)
GLYPH_BOX_BELOW_LINE = 0.12


def tokens(text: str) -> list[str]:
    return re.findall(r"[a-z]+", text.lower())


def prospect_file(tmp_path: Path) -> Path:
    path = tmp_path / "longwind.yaml"
    items = f'  - "{" ".join(PAINS)}"'  # one pain point of 100 words: the slide always shows the first
    path.write_text(
        f"""company: Longwind Logistics
industry: Logistics
size: {{users: 40, endpoints: 50, sites: 2}}
location: {{city: San Antonio, region: TX, country: United States}}
locale: en-US
it_model: break_fix
it_pain: true
pain_points:
{items}
situations: [break_fix]
""",
        encoding="utf-8",
    )
    return path


def template_with_policy(tmp_path: Path, policy: str) -> Path:
    folder = tmp_path / f"walk-away-{policy}"
    shutil.copytree(bundled_dir("templates") / "walk-away", folder)
    spec = folder / "template.yaml"
    text = spec.read_text(encoding="utf-8")
    assert "\nfit: shrink\n" in text
    spec.write_text(text.replace("\nfit: shrink\n", f"\nfit: {policy}\n"), encoding="utf-8")
    return folder


def build(tmp_path: Path, out: Path, *extra: str):
    return CliRunner().invoke(
        cli,
        [
            "build",
            "--profile",
            str(PROFILE),
            "--prospect",
            str(prospect_file(tmp_path)),
            "--out",
            str(out),
            "--date",
            DATE,
            *extra,
        ],
    )


def pains_box(deck: Path) -> tuple[int, tuple[float, float, float, float]]:
    """(page number, (left, top, right, bottom) in points) of the shape named 'Pains'."""
    for number, slide in enumerate(Presentation(str(deck)).slides, start=1):
        for shape in slide.shapes:
            if shape.name == "Pains":
                left, top = shape.left / 12700, shape.top / 12700
                return number, (left, top, left + shape.width / 12700, top + shape.height / 12700)
    raise AssertionError("no shape named 'Pains'")


def to_pdf(decks: list[Path], out: Path, profile: Path) -> None:
    soffice = tools.soffice_path()
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(out),
            *map(str, decks),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )


def title_bottom(deck: Path, page: int) -> float:
    """Where the title of slide ``page`` ends, in points (the headline may use words the pains use too)."""
    slide = Presentation(str(deck)).slides[page - 1]
    title = slide.shapes.title
    return (title.top + title.height) / 12700 if title is not None else 0.0


def pain_words(pdf: Path, page: int, below: float = 0.0) -> list[tuple[str, float, float, float, float]]:
    """The words on ``page`` under ``below`` points that belong to the pain points, with their boxes
    (xMin, yMin, xMax, yMax)."""
    exe = tools.require_tool("pdftotext")
    xml = subprocess.run(
        [exe, "-f", str(page), "-l", str(page), "-bbox-layout", "-enc", "UTF-8", str(pdf), "-"],
        capture_output=True,
        check=True,
        timeout=120,
    ).stdout.decode("utf-8")
    vocabulary = set(tokens(" ".join(PAINS)))
    words = []
    for x0, y0, x1, y1, text in re.findall(
        r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" '
        r'yMax="([\d.]+)">([^<]*)</word>',
        xml,
    ):
        found = tokens(html.unescape(text))
        if found and all(t in vocabulary for t in found) and float(y0) >= below:
            words.append((html.unescape(text), float(x0), float(y0), float(x1), float(y1)))
    return words


@pytest.fixture(scope="module")
def decks(tmp_path_factory):
    """The long prospect built with the default policy (shrink) and with fit: ignore, as PDFs."""
    tmp = tmp_path_factory.mktemp("overflow")
    shrunk, spilled = tmp / "shrink.pptx", tmp / "ignore.pptx"
    result = build(tmp, shrunk)
    assert result.exit_code == 0, result.output
    result = build(tmp, spilled, "--template", str(template_with_policy(tmp, "ignore")))
    assert result.exit_code == 0, result.output
    to_pdf([shrunk, spilled], tmp, tmp / "lo-profile")
    return {"shrink": (shrunk, tmp / "shrink.pdf"), "ignore": (spilled, tmp / "ignore.pdf")}


def test_the_test_text_shares_no_word_with_the_rest_of_the_slide():
    assert not set(tokens(" ".join(PAINS))) & set(tokens(OTHER_TEXT_ON_THE_SLIDE))


@pytest.mark.slow
def test_shrunk_pain_points_lie_inside_their_box_in_libreoffices_pdf(decks):
    deck, pdf = decks["shrink"]
    page, (left, top, right, bottom) = pains_box(deck)
    words = pain_words(pdf, page, below=title_bottom(deck, page))
    letters = sum(len(t) for w in words for t in tokens(w[0]))
    assert letters == sum(len(t) for t in tokens(" ".join(PAINS)))  # every word is on the page
    for text, x0, y0, x1, y1 in words:
        assert left - 0.5 <= x0 and x1 <= right + 0.5, (text, x0, x1, left, right)
        assert top - 0.5 <= y0, (text, y0, top)
        assert y1 <= bottom + GLYPH_BOX_BELOW_LINE * (y1 - y0), (text, y1, bottom)


@pytest.mark.slow
def test_the_shrunk_deck_is_smaller_type_not_an_error_and_passes_check(decks):
    deck, _ = decks["shrink"]
    sizes = {
        run.font.size.pt
        for slide in Presentation(str(deck)).slides
        for shape in slide.shapes
        if shape.name == "Pains"
        for p in shape.text_frame.paragraphs
        for run in p.runs
    }
    assert len(sizes) == 1 and 18 <= sizes.pop() < 28  # min_font_size of walk-away is 18, designed at 28
    assert check_deck(deck).ok


@pytest.mark.slow
def test_without_fitting_the_same_text_runs_out_of_its_box(decks):
    deck, pdf = decks["ignore"]
    page, (left, top, right, bottom) = pains_box(deck)
    lowest = max(w[4] for w in pain_words(pdf, page, below=title_bottom(deck, page)))
    assert lowest > bottom + 18  # a quarter inch below the box (more runs off the slide): caught above
    assert check_deck(deck).kinds() == {"overflow"}


def test_with_fit_fail_the_build_stops_naming_slide_shape_and_field(tmp_path):
    out = tmp_path / "deck.pptx"
    result = build(tmp_path, out, "--template", str(template_with_policy(tmp_path, "fail")))
    assert result.exit_code == 1
    assert not out.exists()
    message = result.output
    assert "Error: slide 2, shape 'Pains': the text of {{ p }} (from deck.pain_points) is too long" in message


def test_fit_option_overrides_the_templates_policy_and_shrinks_are_reported(tmp_path):
    failed = build(tmp_path, tmp_path / "fail.pptx", "--fit", "fail")
    assert failed.exit_code == 1 and "shape 'Pains'" in failed.output and "too long" in failed.output
    assert not (tmp_path / "fail.pptx").exists()
    shrunk = build(tmp_path, tmp_path / "shrink.pptx")
    assert shrunk.exit_code == 0, shrunk.output
    assert re.search(r"Warning: slide 2, shape 'Pains': text shrunk from 28 pt to [\d.]+ pt", shrunk.output)
