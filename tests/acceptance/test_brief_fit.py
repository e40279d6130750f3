"""The seller brief never lets text out of its box: every line LibreOffice draws lies inside the shape that
holds it, no two shapes share space, and nothing reaches the footer.

The briefs are the reviewer's hardest: a German manufacturer with GDPR and NIS2 (four long objections: the
fourth went through the footer while the objections were a table), the Open Hands non-profit and Hengxin
(whose verdict ran onto "Ask in discovery"). Built through the CLI, converted with LibreOffice, and read
back with poppler's line boxes.
"""

from __future__ import annotations

import html
import re
import subprocess
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from pptx import Presentation
from pptx.util import Emu

import tools
from deckgen.cli import cli
from deckgen.resources import examples_dir

PROFILE = examples_dir() / "profile.yaml"
REVIEWED = Path(__file__).resolve().parents[1] / "sales" / "prospects"
PROSPECTS = {
    "mueller-praezision": REVIEWED / "mueller-praezision.yaml",
    "open-hands": REVIEWED / "open-hands.yaml",
    "hengxin-logistics": examples_dir() / "prospects" / "hengxin-logistics.yaml",
}
GLYPH_BOX = 0.15  # poppler's line boxes reach this share of their height past the laid-out line (test_overflow)
EDGE = 1.0  # points of slack for rounding


def _pt(v: int) -> float:
    return Emu(v).pt


def _squash(text: str) -> str:
    return re.sub(r"\W+", "", html.unescape(text)).casefold()


def shapes(deck: Path) -> list[list[tuple[str, str, tuple[float, float, float, float], bool]]]:
    """Per slide: (name, squashed text, (left, top, right, bottom) in points, is a picture or chart)."""
    out = []
    for slide in Presentation(str(deck)).slides:
        found = []
        for sh in slide.shapes:
            box = (_pt(sh.left), _pt(sh.top), _pt(sh.left + sh.width), _pt(sh.top + sh.height))
            text = _squash(sh.text_frame.text) if sh.has_text_frame else ""
            found.append((sh.name, text, box, not sh.has_text_frame))
        out.append(found)
    return out


def pdf_lines(pdf: Path) -> list[list[tuple[str, float, float, float, float]]]:
    """Per page: each line's text and box (xMin, yMin, xMax, yMax), from ``pdftotext -bbox-layout``."""
    exe = tools.require_tool("pdftotext")
    xml = subprocess.run(
        [exe, "-bbox-layout", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, check=True, timeout=120
    ).stdout.decode("utf-8")
    pages = []
    for page in re.findall(r"<page .*?</page>", xml, re.S):
        lines = []
        for x0, y0, x1, y1, body in re.findall(
            r'<line xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</line>', page, re.S
        ):
            words = " ".join(re.findall(r"<word [^>]*>([^<]*)</word>", body))
            lines.append((words, float(x0), float(y0), float(x1), float(y1)))
        pages.append(lines)
    return pages


def inside(line: tuple[str, float, float, float, float], box: tuple[float, float, float, float]) -> bool:
    _, x0, y0, x1, y1 = line
    left, top, right, bottom = box
    slack = GLYPH_BOX * (y1 - y0) + EDGE
    return left - EDGE <= x0 and x1 <= right + EDGE and top - slack <= y0 and y1 <= bottom + slack


def misplaced(deck: Path, pdf: Path) -> list[str]:
    """Every line drawn outside the shape(s) whose text holds it, and every pair of shapes that overlap."""
    problems = []
    for number, (found, lines) in enumerate(zip(shapes(deck), pdf_lines(pdf), strict=True), start=1):
        for line in lines:
            text = _squash(re.sub(r"^\s*\d+\.\s+", "", line[0]))  # a numbered list's number is not in the text
            if not text:
                continue
            # a list's numbers and the slide number are fields, not text: any shape's box will do
            holders = [box for _, t, box, _ in found if text in t or text.isdigit()]
            frames = [box for _, _, box, graphic in found if graphic]  # chart labels lie in the chart's frame
            if not any(inside(line, box) for box in holders + frames):
                problems.append(f"page {number}: {line[0]!r} at y {line[2]:.0f}–{line[4]:.0f} is outside its box")
        boxes = [(n, b) for n, t, b, graphic in found if t or graphic]
        for i, (a, (l1, t1, r1, b1)) in enumerate(boxes):
            for b, (l2, t2, r2, b2) in boxes[i + 1 :]:
                if min(r1, r2) - max(l1, l2) > EDGE and min(b1, b2) - max(t1, t2) > EDGE:
                    problems.append(f"page {number}: shapes {a!r} and {b!r} overlap")
    return problems


@pytest.fixture(scope="module")
def briefs(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("briefs")
    soffice = tools.soffice_path()
    # Müller is the nurture brief with four long objections: with the example profile, which does not serve
    # Germany, it would be a referral (a walk-away brief), so this copy serves Germany too
    profile = yaml.safe_load(PROFILE.read_text(encoding="utf-8"))
    profile["icp"]["geography"]["countries"].append("DE")
    served = tmp / "profile.yaml"
    served.write_text(yaml.safe_dump(profile, allow_unicode=True), encoding="utf-8")
    out = {}
    for name, prospect in PROSPECTS.items():
        deck = tmp / f"{name}.pptx"
        result = CliRunner().invoke(
            cli, ["build", "-p", str(served), "-x", str(prospect), "-o", str(deck), "--date", "2026-11-25"]
        )
        assert result.exit_code == 0, result.output
        brief = tmp / f"{name}-brief.pptx"
        subprocess.run(
            [soffice, f"-env:UserInstallation={(tmp / 'lo').as_uri()}", "--headless", "--convert-to", "pdf"]
            + ["--outdir", str(tmp), str(brief)],
            check=True,
            capture_output=True,
            timeout=300,
        )
        out[name] = (brief, tmp / f"{name}-brief.pdf")
    return out


@pytest.mark.slow
@pytest.mark.parametrize("name", list(PROSPECTS))
def test_every_line_of_the_brief_lies_inside_its_own_box(briefs, name):
    deck, pdf = briefs[name]
    assert misplaced(deck, pdf) == []


@pytest.mark.slow
def test_the_brief_stays_two_pages_and_the_objections_it_has_no_room_for_are_in_its_notes(briefs):
    deck, pdf = briefs["mueller-praezision"]  # four long objections
    slides = Presentation(str(deck)).slides
    assert len(slides) == 2 and len(pdf_lines(pdf)) == 2
    printed = " ".join(_squash(line[0]) for line in pdf_lines(pdf)[1])
    assert _squash("Can you get us through GDPR and NIS2") in printed  # the likeliest is on the page
    notes = slides[1].notes_slide.notes_text_frame.text
    assert "Also likely (no room on the page): “You're not local." in notes
    assert _squash("You're not local") not in printed
