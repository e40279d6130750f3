"""A hand-made or hand-edited CSV with a quote that opens a value and never closes it: the csv module reads the
rest of the file (or up to the next quote) into that one value. The row fails saying so, instead of a deck named
"Acme Dental,20,Austin Beta Law,30,..." and the swallowed rows silently missing."""

from __future__ import annotations

import json

from click.testing import CliRunner

from deckgen.cli import cli
from deckgen.load.crm import open_prospects
from deckgen.resources import examples_dir


def batch(tmp_path, text: str):
    src = tmp_path / "list.csv"
    src.write_text(text, encoding="utf-8")
    out = tmp_path / "decks"
    args = ["batch", str(src), "-p", str(examples_dir() / "profile.yaml"), "--out-dir", str(out)]
    result = CliRunner().invoke(cli, [*args, "--date", "2026-11-25", "-j", "1", "-q"])
    rows = json.loads((out / "report.json").read_text(encoding="utf-8"))["rows"] if out.exists() else []
    return result, rows, out


def test_a_quote_never_closed_fails_its_row_naming_the_quote(tmp_path):
    result, rows, out = batch(
        tmp_path, 'company,users,city\n"Acme Dental,20,Austin\nBeta Law,30,Austin\nGamma CPA,12,Austin\n'
    )
    assert result.exit_code == 1, result.output
    (row,) = rows
    assert row["status"] == "failed" and row["row"] == 2 and row["error"]["field"] == "company"
    assert "never closed" in row["error"]["message"] and "3 more line(s)" in row["error"]["message"]
    assert not list(out.glob("*.pptx"))


def test_a_quote_closed_rows_later_fails_only_the_row_it_opens(tmp_path):
    text = 'company;users;city\n"Acme Dental;20;Austin\nBeta Law;30;Austin\n"Gamma" CPA;12;Austin\nDelta;5;Austin\n'
    result, rows, _ = batch(tmp_path, text)
    assert result.exit_code == 1, result.output
    assert [(r["row"], r["status"]) for r in rows] == [(2, "failed"), (3, "built")]
    assert "never closed" in rows[0]["error"]["message"]


def test_multi_line_notes_with_commas_still_read(tmp_path):
    path = tmp_path / "report.csv"
    path.write_text(
        "Account Name,Account Owner,Employees,Billing City,Billing Country,Industry,Description\n"
        '"Acme Dental",Bob,25,Austin,United States,Healthcare,"Called, no answer.\nFollow up, next week.\n'
        'Owner: Dr. Ruiz, two sites, 25 staff"\n'
        'Beta Law,Bob,40,Austin,United States,Legal,"Short\nnote"\n'
        'Gamma CPA,Bob,12,Austin,United States,Accounting,"Last column, ragged\nrow, two"\n',
        encoding="utf-8",
    )
    results = list(open_prospects(path))
    assert [r.error for r in results] == [None, None, None]
    assert results[0].prospect.notes.startswith("Called, no answer.\nFollow up, next week.")
