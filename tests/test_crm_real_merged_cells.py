"""Hand-made lists group rows under a cell merged down ("Dental" over three practices, the owner over their
accounts): Excel shows the value on every row, the file stores it in the top cell only."""

from __future__ import annotations

import sys
from pathlib import Path

import openpyxl

from deckgen.load.crm import open_prospects
from deckgen.load.table import open_table

sys.path.insert(0, str(Path(__file__).resolve().parent / "security"))
from xlsx import MAIN, write_workbook  # noqa: E402


def grouped(path: Path) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Prospects"
    ws.append(["Prospects Q3"])  # a title merged across the columns
    ws.append(["Industry", "Company", "Employees", "Address", None])  # "Address" merged over two columns
    ws.append(["Dental", "Acme Dental", 20, "Austin", "US"])
    ws.append([None, "Brite Smiles", 30, "Dallas", "US"])
    ws.append([None, "Care Dental", 12, "Waco", "US"])
    ws.append(["Legal", "Beta Law", 40, "Austin", "US"])
    ws.merge_cells("A1:E1")
    ws.merge_cells("D2:E2")
    ws.merge_cells("A3:A5")
    wb.save(path)
    return path


def test_a_cell_merged_down_gives_its_value_to_every_row_of_the_range(tmp_path):
    source = open_prospects(grouped(tmp_path / "hand-made.xlsx"))
    rows = list(source)
    assert [(r.prospect.company, r.prospect.industry) for r in rows] == [
        ("Acme Dental", "Dental"),
        ("Brite Smiles", "Dental"),
        ("Care Dental", "Dental"),
        ("Beta Law", "Legal"),
    ]
    assert any("merged down (A3:A5)" in str(n) for n in source.diagnostics)


def test_a_title_merged_across_stays_a_title_and_a_header_merged_across_names_each_column(tmp_path):
    # "Address" over D and E: before, E had no header and every row failed with "column E has no header"
    path = grouped(tmp_path / "hand-made.xlsx")
    table = open_table(path)
    assert table.header_row == 2 and not table.duplicates  # the merged title is still one value: a title line, skipped
    assert table.columns == ["Industry", "Company", "Employees", "Address", "Address (column E)"]
    rows = list(open_prospects(path))
    assert [r.error for r in rows] == [None] * 4  # not "column E has no header" on every row
    assert rows[1].prospect.extra == {"Address": "Dallas", "Address (column E)": "US"}


def test_merged_ranges_written_with_a_namespace_prefix_are_found(tmp_path):
    # the Open XML SDK (Dynamics 365, many .NET exporters) writes every element with an "x:" prefix
    sheet = (
        f'<x:worksheet xmlns:x="{MAIN}"><x:sheetData>'
        '<x:row r="1"><x:c r="A1" t="inlineStr"><x:is><x:t>Owner</x:t></x:is></x:c>'
        '<x:c r="B1" t="inlineStr"><x:is><x:t>Account Name</x:t></x:is></x:c></x:row>'
        '<x:row r="2"><x:c r="A2" t="inlineStr"><x:is><x:t>Bob Smith</x:t></x:is></x:c>'
        '<x:c r="B2" t="inlineStr"><x:is><x:t>Acme Dental</x:t></x:is></x:c></x:row>'
        '<x:row r="3"><x:c r="B3" t="inlineStr"><x:is><x:t>Beta Law</x:t></x:is></x:c></x:row>'
        '</x:sheetData><x:mergeCells count="1"><x:mergeCell ref="A2:A3"/></x:mergeCells></x:worksheet>'
    ).encode()
    path = write_workbook(tmp_path / "sdk.xlsx", "", sheet_xml=sheet)
    assert [(r.cells["Owner"], r.cells["Account Name"]) for r in open_table(path)] == [
        ("Bob Smith", "Acme Dental"),
        ("Bob Smith", "Beta Law"),
    ]


def test_a_header_merged_over_the_company_column_and_the_next_keeps_the_company_field(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Company", None, "Employees"])
    ws.append(["Acme Dental", "PLLC", 20])
    ws.merge_cells("A1:B1")
    wb.save(tmp_path / "merged-company.xlsx")
    (row,) = list(open_prospects(tmp_path / "merged-company.xlsx"))
    assert row.error is None and row.prospect.company == "Acme Dental" and row.prospect.size.users == 20
    assert row.prospect.extra == {"Company (column B)": "PLLC"}
