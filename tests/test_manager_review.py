"""What a sales manager reviewing a CRM batch before sending relies on: each reason said once, warnings
tagged by what they are about, and a release that says when one prospect gets two decks or a deck was never
looked at."""

from __future__ import annotations

import csv
import hashlib
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from pptx import Presentation

from deckgen.cli import cli
from deckgen.load.files import load_profile
from deckgen.model import Prospect
from deckgen.resources import examples_dir
from deckgen.review.data import warning_kind
from deckgen.sales.fit import score_fit
from deckgen.sales.ranking import top_reasons

PROFILE = examples_dir() / "profile.yaml"


@pytest.mark.parametrize(
    "fields",
    [
        {"industry": "Medical Practice", "size": {"users": 30}, "location": {"city": "Toronto", "country": "Canada"}},
        {"industry": "Computer Software", "size": {"users": 1200}, "location": {"city": "Austin", "country": "US"}},
    ],
)
def test_a_failed_must_have_is_one_reason_not_two(fields):
    fit = score_fit(Prospect.model_validate({"company": "Prospect Co", **fields}), load_profile(PROFILE).icp)
    assert fit.must_have_failures
    reasons = top_reasons(fit, 3)
    bare = [r.removeprefix("Must-have not met: ") for r in reasons]
    assert len(set(bare)) == len(bare), reasons  # was: "Must-have not met: X." and then "X." again
    assert len(reasons) == 3


def test_conversions_and_approximations_are_tagged_not_other():
    converted = (
        "row 25, column 'Annual Revenue' (numbers.annual_revenue): 'GBP 800,000.00' is in GBP; converted to USD "
        "1,012,658 at your profile's exchange rates (1 GBP = 1.266 USD)"
    )
    assert warning_kind(converted) == "currency"
    assert warning_kind("row 25, column 'Number of Employees': '~40' read as 40 (approximate)") == "data guessed"


# --------------------------------------------------------------------------- release


def deck(path: Path, title: str) -> None:
    prs = Presentation()
    slide = prs.slides.add_slide(prs.slide_layouts[5])
    slide.shapes.title.text = title
    slide.notes_slide.notes_text_frame.text = "Fit 65/100: keep the walk-away close ready"
    prs.save(path)


def row(n: int, company: str, file: str, duplicate_of: int | None = None) -> dict:
    return {
        "row": n,
        "id": f"p{n:03d}",
        "company": company,
        "status": "built",
        "file": file,
        "score": 65,
        "band": "B",
        "duplicate_of": duplicate_of,
        "warnings": [f"row {n}: duplicate of row {duplicate_of}: same domain, phone and name"] if duplicate_of else [],
        "error": None,
    }


@pytest.fixture
def folder(tmp_path):
    out = tmp_path / "decks"
    out.mkdir()
    rows = [
        row(2, "Alamo Family Dental", "alamo-1001.pptx"),
        row(3, "Bexar Accounting", "bexar-1003.pptx"),
        row(17, "Alamo Family Dental", "alamo-1016.pptx", duplicate_of=2),
        row(18, "Mission Dental", "mission-1017.pptx"),
        row(28, "Alamo Family Dental", "alamo-2001.pptx", duplicate_of=2),
    ]
    for r in rows:
        deck(out / r["file"], r["company"])
    doc = {"format": "deckgen-batch-report/1", "generated": "2026-12-01T20:00:00Z", "date": "2026-12-01", "rows": rows}
    (out / "report.json").write_text(json.dumps(doc), encoding="utf-8")
    return out


def decisions(folder: Path, marks: dict[str, str]) -> Path:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, ["file", "company", "decision", "remark", "reviewer", "decided_at", "deck_sha256"])
    writer.writeheader()
    for name, decision in marks.items():
        digest = hashlib.sha256((folder / name).read_bytes()).hexdigest()
        writer.writerow({"file": name, "decision": decision, "reviewer": "Sam", "deck_sha256": digest})
    path = folder.parent / "review-decisions.csv"
    path.write_text(buf.getvalue(), encoding="utf-8")
    return path


def release(folder: Path, marks: dict[str, str]):
    result = CliRunner().invoke(cli, ["release", str(folder), "--approved", str(decisions(folder, marks))])
    manifest = json.loads((folder / "send" / "manifest.json").read_text(encoding="utf-8"))
    return result, {e["file"]: e for e in manifest["sent"]}


def test_release_warns_when_a_deck_and_its_duplicate_are_both_sent(folder):
    marks = {"alamo-1001.pptx": "ready", "bexar-1003.pptx": "ready", "alamo-1016.pptx": "ready"}
    result, sent = release(folder, {**marks, "mission-1017.pptx": "hold", "alamo-2001.pptx": "hold"})
    assert result.exit_code == 0, result.output
    assert (
        "Warning: alamo-1016.pptx and alamo-1001.pptx were both sent (duplicate of row 2: same domain, phone and "
        "name): the same prospect may get two decks" in result.output
    )
    assert sent["alamo-1016.pptx"]["duplicate_of"] == {
        "file": "alamo-1001.pptx",
        "why": "duplicate of row 2: same domain, phone and name",
    }
    assert "duplicate_of" not in sent["alamo-1001.pptx"] and "duplicate_of" not in sent["bexar-1003.pptx"]


def test_release_is_quiet_about_a_duplicate_whose_twin_stays_behind(folder):
    marks = {"alamo-1001.pptx": "hold", "alamo-1016.pptx": "ready", "bexar-1003.pptx": "ready"}
    result, sent = release(folder, {**marks, "mission-1017.pptx": "hold", "alamo-2001.pptx": "hold"})
    assert result.exit_code == 0, result.output
    assert "Warning" not in result.output and "not reviewed" not in result.output
    assert "duplicate_of" not in sent["alamo-1016.pptx"]


def test_release_counts_the_decks_nobody_marked(folder):
    result, sent = release(folder, {"bexar-1003.pptx": "ready", "alamo-1001.pptx": "hold"})
    assert result.exit_code == 0, result.output
    assert list(sent) == ["bexar-1003.pptx"]
    assert "Sent 1 deck(s)" in result.output
    assert "; 3 deck(s) of the batch not reviewed yet" in result.output  # alamo-1016 and -2001, mission-1017


def test_release_warns_about_two_duplicates_of_a_row_whose_own_deck_is_held(folder):
    marks = {"alamo-1001.pptx": "hold", "alamo-1016.pptx": "ready", "alamo-2001.pptx": "ready"}
    result, sent = release(folder, marks)
    assert result.exit_code == 0, result.output
    assert "Warning: alamo-2001.pptx and alamo-1016.pptx were both sent (duplicate of row 2" in result.output
    assert sent["alamo-2001.pptx"]["duplicate_of"]["file"] == "alamo-1016.pptx"
    assert "duplicate_of" not in sent["alamo-1016.pptx"]
