"""Workbooks people export or keep by hand often open on a summary or cover sheet, the list on the next one."""

from __future__ import annotations

import json

import openpyxl
import pytest
from click.testing import CliRunner

from deckgen.cli import cli
from deckgen.errors import InputError
from deckgen.load.crm import open_prospects
from deckgen.resources import examples_dir


def workbook(path, *, list_sheet_hidden: bool = False, with_list: bool = True):
    wb = openpyxl.Workbook()
    cover = wb.active
    cover.title = "Summary"
    cover.append(["Pipeline summary"])
    cover.append(["Owner", "Accounts"])
    cover.append(["Bob Smith", 2])
    if with_list:
        accounts = wb.create_sheet("Accounts")
        accounts.append(["Account Name", "Employees", "Billing City", "Billing Country", "Industry", "Account Owner"])
        accounts.append(["Acme Dental", 25, "Austin", "United States", "Healthcare", "Bob Smith"])
        accounts.append(["Beta Law", 40, "Austin", "United States", "Legal", "Bob Smith"])
        if list_sheet_hidden:
            accounts.sheet_state = "hidden"
    wb.create_sheet("Notes").append(["Exported for the Q3 review"])
    wb.save(path)
    return path


def batch(path, out, *extra: str):
    args = ["batch", str(path), "-p", str(examples_dir() / "profile.yaml"), "--out-dir", str(out)]
    return CliRunner().invoke(cli, [*args, "--date", "2026-11-25", "-j", "1", "-q", *extra])


def test_the_list_on_the_second_sheet_is_read_with_a_warning(tmp_path):
    source = open_prospects(workbook(tmp_path / "accounts.xlsx"))
    assert source.preset == "salesforce_report"
    assert any("read sheet 'Accounts'" in str(n) and "'Summary'" in str(n) for n in source.diagnostics)
    assert [r.prospect.company for r in source] == ["Acme Dental", "Beta Law"]


def test_the_batch_builds_the_decks_from_the_sheet_that_holds_the_companies(tmp_path):
    out = tmp_path / "decks"
    result = batch(workbook(tmp_path / "accounts.xlsx"), out)
    assert result.exit_code == 0, result.output
    rows = json.loads((out / "report.json").read_text(encoding="utf-8"))["rows"]
    assert [(r["row"], r["company"], r["status"]) for r in rows] == [
        (2, "Acme Dental", "built"),
        (3, "Beta Law", "built"),
    ]


def test_a_sheet_named_with_sheet_is_read_as_it_is(tmp_path):
    path = workbook(tmp_path / "accounts.xlsx")
    with pytest.raises(InputError, match="no company-name column"):
        open_prospects(path, sheet="Summary")


def test_without_a_list_on_any_visible_sheet_the_error_names_the_sheets(tmp_path):
    for path in (
        workbook(tmp_path / "none.xlsx", with_list=False),
        workbook(tmp_path / "hidden.xlsx", list_sheet_hidden=True),
    ):
        out = tmp_path / f"decks-{path.stem}"
        result = batch(path, out)
        assert result.exit_code == 2, result.output
        assert "in sheet 'Summary'" in result.output and "'Notes'" in result.output and "--sheet" in result.output
        assert not out.exists() or not any(out.iterdir())


def test_a_row_the_sheet_hides_is_read_with_a_warning_that_says_so(tmp_path):
    # someone filtered the list to Texas in Excel and saved it: the filtered-out rows are still in the file
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Company name", "Number of Employees", "State/Region", "Record ID"])
    ws.append(["Texas One", 20, "Texas", 1])
    ws.append(["Ohio Two", 20, "Ohio", 2])
    ws.append(["Texas Three", 20, "Texas", 3])
    ws.auto_filter.ref = "A1:D4"
    ws.row_dimensions[3].hidden = True
    wb.save(tmp_path / "filtered.xlsx")
    rows = list(open_prospects(tmp_path / "filtered.xlsx"))
    assert [r.prospect.company for r in rows] == ["Texas One", "Ohio Two", "Texas Three"]
    assert [any("hidden in the sheet" in w for w in r.warnings) for r in rows] == [False, True, False]
    assert rows[1].warnings[0].startswith("row 3: ")
