"""What workbooks written by export tools hold: _xHHHH_ escapes in strings (a CRLF line break as "_x000D_\\n",
as xlsxwriter and the Open XML SDK write it; openpyxl hands it on as written) and error cells (#N/A from a
VLOOKUP that found nothing), which a CSV saved from the sheet carries as text."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from click.testing import CliRunner

from deckgen.cli import cli
from deckgen.load.crm import open_prospects
from deckgen.resources import examples_dir

sys.path.insert(0, str(Path(__file__).resolve().parent / "security"))
from xlsx import write_workbook  # noqa: E402


def s(index: int) -> str:
    return f'<c t="s"><v>{index}</v></c>'


HEADER = ["(Do Not Modify) Account", "Account Name", "Number of Employees", "Industry", "Description"]
SHARED = [f"<t>{h}</t>" for h in HEADER] + [
    "<t>guid-1</t>",
    "<t>Acme Dental</t>",
    '<t xml:space="preserve">Two offices._x000D_\nBackups fail</t>',
    "<t>Keeps _x005F_x000D_ as typed</t>",
    "<t>Smile _xD83D__xDE00_ Dental</t>",
]


def dynamics_workbook(tmp_path: Path) -> Path:
    rows = (
        '<row r="1">' + "".join(s(i) for i in range(5)) + "</row>"
        f'<row r="2">{s(5)}{s(6)}<c><v>45</v></c><c t="inlineStr"><is><t>Health Care</t></is></c>{s(7)}</row>'
        f'<row r="3">{s(5)}{s(9)}<c t="e"><v>#DIV/0!</v></c><c t="e"><v>#N/A</v></c>{s(8)}</row>'
        f'<row r="4">{s(5)}<c t="e"><v>#N/A</v></c><c><v>12</v></c></row>'
    )
    return write_workbook(tmp_path / "accounts.xlsx", rows, SHARED)


def test_escaped_characters_in_workbook_strings_read_as_excel_shows_them(tmp_path):
    source = open_prospects(dynamics_workbook(tmp_path))
    assert source.preset == "dynamics"
    first, second, _ = list(source)
    assert first.prospect.notes == "Two offices.\nBackups fail"  # not "Two offices._x000D_\n..."
    assert second.prospect.notes == "Keeps _x000D_ as typed"  # an escaped underscore stays literal text
    assert second.prospect.company == "Smile 😀 Dental"  # an escaped surrogate pair is the one character


def test_error_cells_read_as_empty_with_a_warning_naming_row_and_column(tmp_path):
    _, second, third = list(open_prospects(dynamics_workbook(tmp_path)))
    assert second.error is None
    assert second.prospect.size.users is None and not second.prospect.industry
    text = " ".join(second.warnings)
    assert "row 3, column 'Number of Employees' (size.users): '#DIV/0!' is a spreadsheet error" in text
    assert "row 3, column 'Industry' (industry): '#N/A' is a spreadsheet error" in text
    assert third.prospect is None and third.error.row == 4 and third.error.field == "company"
    assert "column 'Account Name' holds the spreadsheet error '#N/A'" in third.error.message


def test_error_text_in_a_csv_saved_from_excel_fails_only_its_row(tmp_path):
    src = tmp_path / "hand-made.csv"
    src.write_text(
        "company,industry,users,city,country,pain_points\n"
        "Acme Dental,dental,25,Austin,United States,#N/A\n"
        "#N/A,legal,20,Austin,United States,\n"
        "Beta Law,#REF!,#VALUE!,Austin,United States,slow PCs\n",
        encoding="utf-8",
    )
    out = tmp_path / "decks"
    result = CliRunner().invoke(
        cli,
        ["batch", str(src), "-p", str(examples_dir() / "profile.yaml"), "--out-dir", str(out)]
        + ["--date", "2026-11-25", "-j", "1", "-q"],
    )
    assert result.exit_code == 1, result.output
    rows = json.loads((out / "report.json").read_text(encoding="utf-8"))["rows"]
    assert [r["status"] for r in rows] == ["built", "failed", "built"]
    assert "#N/A" in rows[1]["error"]["message"] and rows[1]["error"]["field"] == "company"
    assert not any(f.name.startswith("N-A") for f in out.iterdir())  # no deck for a company called "#N/A"
    acme, _, beta = list(open_prospects(src))
    assert acme.prospect.pain_points == []
    assert not beta.prospect.industry and beta.prospect.size.users is None
    assert beta.prospect.pain_points == ["slow PCs"]
