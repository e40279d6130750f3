"""Report exports with title lines above the header (a report name, an "As of" line)."""

from __future__ import annotations

from deckgen.load.table.csvfile import sniff_delimiter
from deckgen.load.table.read import open_table


def test_title_lines_above_a_csv_header_are_skipped_with_a_warning(tmp_path):
    path = tmp_path / "report.csv"
    path.write_text("Accounts report\nAs of 1 Dec 2025\n\ncompany,city\nAcme,Leeds\n", encoding="utf-8")
    table = open_table(path)
    assert table.columns == ["company", "city"]
    assert [(r.row, r.cells) for r in table] == [(5, {"company": "Acme", "city": "Leeds"})]
    assert any("title line" in str(w) and "row 4" in str(w) for w in table.diagnostics)


def test_title_lines_do_not_hide_a_semicolon_delimiter(tmp_path):
    sample = "Accounts report\nAs of 1 Dec 2025\ncompany;city;users\nAcme;Leeds;1,5\nBeta;York;2\n"
    assert sniff_delimiter(sample) == ";"


def test_title_rows_above_a_workbook_header_are_skipped(tmp_path):
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws["A1"] = "Accounts report"
    ws.merge_cells("A1:C1")
    ws.append([])
    ws.append(["Account Name", "Billing City", "Employees"])
    ws.append(["Acme", "Leeds", 12])
    wb.save(tmp_path / "report.xlsx")
    table = open_table(tmp_path / "report.xlsx")
    assert table.columns == ["Account Name", "Billing City", "Employees"]
    assert [r.cells["Account Name"] for r in table] == ["Acme"]


def test_a_one_column_file_keeps_its_first_line_as_header(tmp_path):
    path = tmp_path / "names.csv"
    path.write_text("company\nAcme\nBeta\n", encoding="utf-8")
    table = open_table(path)
    assert table.columns == ["company"]
    assert [r.cells["company"] for r in table] == ["Acme", "Beta"]
    assert not any("title line" in str(w) for w in table.diagnostics)
