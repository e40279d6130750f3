"""Real exports repeat a header (a Salesforce report with the account's and the contact's 'Phone', a hand-made
sheet with two 'Notes' columns): a repeated column no field reads is kept, a repeated field column is refused."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from deckgen.cli import cli
from deckgen.errors import InputError
from deckgen.load.crm import open_prospects
from deckgen.load.table import open_table
from deckgen.resources import examples_dir

REPORT = (
    "Account Name,Account Owner,Phone,Employees,Billing City,Billing Country,Industry,Phone\n"
    "Acme Dental,Bob Smith,(512) 555-0100,25,Austin,United States,Healthcare,(512) 555-0199\n"
    "Beta Law,Bob Smith,(512) 555-0101,40,Austin,United States,Legal,\n"
)


def batch(tmp_path, text: str, *extra: str):
    src = tmp_path / "export.csv"
    src.write_text(text, encoding="utf-8")
    out = tmp_path / "decks"
    args = ["batch", str(src), "-p", str(examples_dir() / "profile.yaml"), "--out-dir", str(out)]
    result = CliRunner().invoke(cli, [*args, "--date", "2026-11-25", "-j", "1", "-q", *extra])
    return result, out


def test_a_repeated_header_no_field_reads_keeps_both_columns_with_a_warning(tmp_path):
    path = tmp_path / "report.csv"
    path.write_text(REPORT, encoding="utf-8")
    source = open_prospects(path)
    assert source.preset == "salesforce_report"
    notes = [str(n) for n in source.diagnostics]
    assert any("columns C and H are both named 'Phone'" in n and "Phone (column H)" in n for n in notes), notes
    first, second = list(source)
    assert first.error is None and first.prospect.company == "Acme Dental" and first.prospect.size.users == 25
    assert first.prospect.extra["Phone"] == "(512) 555-0100"
    assert first.prospect.extra["Phone (column H)"] == "(512) 555-0199"
    assert second.prospect.extra["Phone (column H)"] == ""


def test_the_batch_builds_every_row_of_a_report_with_a_repeated_header(tmp_path):
    result, out = batch(tmp_path, REPORT)
    assert result.exit_code == 0, result.output
    assert "both named 'Phone'" in result.output
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert [r["status"] for r in report["rows"]] == ["built", "built"]


def test_a_repeated_header_a_field_reads_is_refused_naming_both_columns_and_the_way_out(tmp_path):
    text = "Company name,Industry,City,City,Number of Employees\nAcme,Legal,Austin,Dallas,20\n"
    result, out = batch(tmp_path, text)
    assert result.exit_code == 2
    assert "duplicate column name 'City' (columns C and D)" in result.output
    assert '--map "City (column D)=location.city"' in result.output
    assert not out.exists() or not any(out.iterdir())  # nothing written
    result, out = batch(tmp_path, text, "--map", "City (column D)=location.city")
    assert result.exit_code == 0, result.output
    (row,) = json.loads((out / "report.json").read_text(encoding="utf-8"))["rows"]
    assert row["status"] == "built"
    (prospect,) = [r.prospect for r in open_prospects(tmp_path / "export.csv", mapping={"City (column D)": "city"})]
    assert prospect.location.city == "Dallas" and prospect.extra["City"] == "Austin"


def test_the_company_column_twice_is_still_refused(tmp_path):
    path = tmp_path / "p.csv"
    path.write_text("company,Company\nA,B\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"duplicate column name 'Company' \(columns A and B\)"):
        open_prospects(path)


def test_open_table_refuses_repeats_unless_asked_to_keep_them(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("a,Notes,notes,NOTES\n1,x,y,z\n", encoding="utf-8")
    with pytest.raises(InputError, match="columns B and C"):
        open_table(path)
    table = open_table(path, keep_duplicates=True)
    assert table.columns == ["a", "Notes", "notes (column C)", "NOTES (column D)"]
    (row,) = list(table)
    assert row.cells == {"a": "1", "Notes": "x", "notes (column C)": "y", "NOTES (column D)": "z"}


def test_a_repeat_whose_new_name_the_file_already_has_is_refused(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("company,Phone,Phone,Phone (column C)\nA,1,2,3\n", encoding="utf-8")
    with pytest.raises(InputError, match="duplicate column name 'Phone' \\(columns B and C\\)"):
        open_prospects(path)
