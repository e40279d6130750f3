"""report.csv and report.json say why: confidence, the verdict in words, the reason, the deck type and the files."""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path

from click.testing import CliRunner

from deckgen.batch.report import REPORT_COLUMNS, RowReport, write_report
from deckgen.cli import cli

sys.path.insert(0, str(Path(__file__).parents[1] / "acceptance"))
from test_batch_cli import DATE, PROFILE, prospect_rows, write_csv  # noqa: E402


def read_report(out: Path) -> tuple[dict[int, dict], dict[str, dict]]:
    doc = json.loads((out / "report.json").read_text(encoding="utf-8"))
    with open(out / "report.csv", encoding="utf-8-sig", newline="") as fh:
        table = {r["row"]: r for r in csv.DictReader(fh)}
    return {r["row"]: r for r in doc["rows"]}, table


def test_every_deck_row_says_its_verdict_in_words_its_confidence_reason_storyline_and_brief(tmp_path):
    src = write_csv(tmp_path / "prospects.csv", prospect_rows(3))  # bands A, walk away, B
    out = tmp_path / "decks"
    args = ["batch", str(src), "-p", str(PROFILE), "-o", str(out), "--date", DATE, "-j", "1", "-q", "--brief"]
    first = CliRunner().invoke(cli, args, catch_exceptions=False)
    assert first.exit_code == 0, first.output
    for run in ("built", "skipped-unchanged"):  # a rerun reads them back from the manifest
        rows, table = read_report(out)
        walk = next(r for r in rows.values() if r["band"] == "walk_away")
        assert walk["status"] == run
        assert walk["verdict"] == "Walk away" and walk["storyline"]
        assert 0 <= walk["confidence"] <= 1 and walk["reason"] and walk["reasons"]
        assert walk["brief"] == walk["file"].replace(".pptx", "-brief.pptx") and (out / walk["brief"]).is_file()
        assert walk["pdf"] is None and walk["duplicate_of"] is None
        cells = table[str(walk["row"])]
        assert cells["band"] == "walk_away" and cells["verdict"] == "Walk away"  # the code stays for machines
        assert cells["confidence"] == str(round(walk["confidence"] * 100))
        assert cells["reason"] == walk["reason"] and cells["reasons"] == " | ".join(walk["reasons"])
        assert cells["storyline"] == walk["storyline"] and cells["brief"] == walk["brief"]
        assert {r["verdict"] for r in rows.values()} >= {"Pitch", "Walk away"}
        again = CliRunner().invoke(cli, args, catch_exceptions=False)
        assert again.exit_code == 0, again.output


def test_the_report_names_a_pdf_beside_the_deck(tmp_path):
    (tmp_path / "a.pptx").write_bytes(b"deck")
    (tmp_path / "a.pdf").write_bytes(b"%PDF")
    (tmp_path / "b.pptx").write_bytes(b"deck")
    rows = [RowReport(2, "1", "A Co", "built", "a.pptx", 80, "A"), RowReport(3, "2", "B Co", "built", "b.pptx")]
    write_report(tmp_path / "report.json", tmp_path / "report.csv", rows, {}, tmp_path)
    doc = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))
    assert [r["pdf"] for r in doc["rows"]] == ["a.pdf", None]
    assert [r["verdict"] for r in doc["rows"]] == ["Pitch", None]
    with open(tmp_path / "report.csv", encoding="utf-8-sig", newline="") as fh:
        assert next(csv.reader(fh)) == list(REPORT_COLUMNS)
        assert [r[REPORT_COLUMNS.index("pdf")] for r in csv.reader(fh)] == ["a.pdf", ""]
