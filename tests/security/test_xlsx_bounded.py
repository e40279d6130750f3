"""The XLSX reader is bounded by the column cap, not by what a sheet claims: past 4,096 cells a row builds
nothing, opening a workbook parses no sheet, and row numbers cost nothing. The bounds are asserted on work
done (cells converted, rows produced) and memory, not on time; values read exactly as openpyxl reads them."""

from __future__ import annotations

import datetime as dt
import tracemalloc

import pytest
from openpyxl.worksheet._reader import WorkSheetParser

from deckgen.errors import InputError
from deckgen.load.table import open_table
from deckgen.load.table.rows import MAX_COLUMNS
from tests.security.xlsx import MAIN, records, reference, write_workbook

HEADER = '<row r="1"><c t="inlineStr"><is><t>Company</t></is></c><c t="inlineStr"><is><t>City</t></is></c></row>'
ACME = '<c t="inlineStr"><is><t>Acme</t></is></c><c t="inlineStr"><is><t>Leeds</t></is></c>'


@pytest.fixture
def converted(monkeypatch) -> list[int]:
    """How many cells openpyxl's cell reader converts (one entry per call)."""
    calls: list[int] = []
    original = WorkSheetParser.parse_cell

    def counting(self, element):
        calls.append(1)
        return original(self, element)

    monkeypatch.setattr(WorkSheetParser, "parse_cell", counting)
    return calls


def test_a_row_of_400000_values_fails_alone_and_converts_no_cell_past_the_cap(tmp_path, converted):
    wide = '<row r="2">' + "<c><v>1</v></c>" * 400_000 + "</row>"
    path = write_workbook(tmp_path / "wide.xlsx", HEADER + wide + f'<row r="3">{ACME}</row>')
    table = open_table(path)
    rows = list(table)
    assert table.columns == ["Company", "City"]
    assert rows[0].row == 2 and f"past its first {MAX_COLUMNS:,} cells" in (rows[0].problem or "")
    assert rows[1].row == 3 and rows[1].problem is None and rows[1].cells == {"Company": "Acme", "City": "Leeds"}
    assert len(converted) <= 3 * MAX_COLUMNS  # openpyxl converted all 400,000 (twice: header and data pass)


def test_a_header_with_many_empty_trailing_cells_reads_in_bounded_work_and_memory(tmp_path, converted):
    header = HEADER.replace("</row>", "<c/>" * 400_000 + "</row>")
    path = write_workbook(tmp_path / "trailing.xlsx", header + f'<row r="2">{ACME}</row>')
    tracemalloc.start()
    try:
        table = open_table(path)
        rows = list(table)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert table.columns == ["Company", "City"]
    assert [r.cells for r in rows] == [{"Company": "Acme", "City": "Leeds"}]
    assert len(converted) <= 2 * MAX_COLUMNS + 10
    assert peak < 40 * 1024 * 1024  # openpyxl held every cell of the row: about 120 MB here, 300 MB for a million


def test_a_header_with_a_value_past_the_cap_is_refused_naming_the_limit(tmp_path):
    header = HEADER.replace("</row>", "<c/>" * 5000 + '<c t="inlineStr"><is><t>Late</t></is></c></row>')
    path = write_workbook(tmp_path / "late.xlsx", header)
    with pytest.raises(InputError, match=f"at most {MAX_COLUMNS:,} columns") as info:
        open_table(path)
    assert info.value.row == 1


def test_opening_a_workbook_does_not_parse_its_sheets(tmp_path, monkeypatch):
    """openpyxl's read-only mode parses a sheet without a <dimension> whole, once per open, to learn its size."""

    def parses_the_sheet(self):
        raise AssertionError("the whole sheet was parsed to find its size")

    monkeypatch.setattr(WorkSheetParser, "parse_dimensions", parses_the_sheet)
    path = write_workbook(tmp_path / "a.xlsx", HEADER + f'<row r="2">{ACME}</row>')
    assert [r.cells["Company"] for r in open_table(path)] == ["Acme"]


def test_a_row_numbered_in_the_millions_costs_no_empty_rows(tmp_path):
    path = write_workbook(tmp_path / "far.xlsx", HEADER + f'<row r="3000000">{ACME}</row><row r="3000001">{ACME}</row>')
    from deckgen.load.table.workbook import _xlsx_records

    got = [row for row, _ in _xlsx_records(path, "far.xlsx", "xl/worksheets/sheet1.xml")]
    assert got == [1, 3_000_000, 3_000_001]  # openpyxl yielded three million empty rows in between


def test_a_few_cells_far_to_the_right_are_read_and_the_row_fails_on_the_value_without_a_header(tmp_path):
    row = '<row r="2"><c r="A2" t="inlineStr"><is><t>Acme</t></is></c><c r="XFD2"><v>7</v></c></row>'
    path = write_workbook(tmp_path / "far.xlsx", HEADER + row)
    got = list(open_table(path))
    assert "column XFD has no header" in (got[0].problem or "")


def test_every_kind_of_value_reads_as_openpyxl_reads_it(tmp_path):
    shared = ["<t>Plain shared</t>", '<r><t xml:space="preserve">Rich </t></r><r><rPr><b/></rPr><t>shared</t></r>']
    rows = (
        '<row r="1"><c t="inlineStr"><is><t>A</t></is></c><c t="inlineStr"><is><t>B</t></is></c>'
        '<c t="inlineStr"><is><t>C</t></is></c><c t="inlineStr"><is><t>D</t></is></c></row>'
        '<row r="2"><c t="s"><v>0</v></c><c t="s"><v>1</v></c><c t="inlineStr"><is><r><t>in</t></r><r><t>line</t>'
        '</r></is></c><c t="inlineStr"><is><t xml:space="preserve">  spaced  </t></is></c></row>'
        '<row r="3"><c><v>42</v></c><c><v>-1.5</v></c><c><v>1E+5</v></c><c><v>0.1</v></c></row>'
        '<row r="4"><c t="b"><v>1</v></c><c t="b"><v>0</v></c><c t="e"><v>#N/A</v></c>'
        '<c t="str"><f>A1&amp;B1</f><v>AB</v></c></row>'
        '<row r="5"><c><f>1+1</f><v>2</v></c><c><f>NOW()</f></c><c s="1"><v>45292</v></c>'
        '<c s="2"><v>45292.5</v></c></row>'
        '<row r="6"><c s="3"><v>1.5</v></c><c t="d"><v>2024-03-01T10:30:00</v></c></row>'
        '<row r="8"><c r="A8" t="inlineStr"><is><t>gap</t></is></c><c r="C8"><v>3</v></c></row>'
        '<row><c t="inlineStr"><is><t>no number</t></is></c><c><v>9</v></c></row>'
        '<row r="7"><c t="inlineStr"><is><t>out of order</t></is></c></row>'
        '<row r="10"><c/><c t="inlineStr"><is/></c><c t="s"/><c t="inlineStr"><is><t>last</t></is></c></row>'
    )
    path = write_workbook(tmp_path / "kinds.xlsx", rows, shared=shared)
    got = records(path)
    assert got == reference(path)
    assert got[2] == ["Plain shared", "Rich shared", "inline", "  spaced  "]
    assert got[5][2:] == ["2024-01-01", "2024-01-01 12:00:00"]
    assert 7 not in got and got[9] == ["no number", "9"]


def test_dates_in_a_1904_workbook_read_as_openpyxl_reads_them(tmp_path):
    path = write_workbook(tmp_path / "mac.xlsx", '<row r="1"><c s="1"><v>366</v></c></row>', date1904=True)
    assert records(path) == reference(path) == {1: [dt.date(1905, 1, 1).isoformat()]}


def test_a_prefixed_namespace_reads_the_same(tmp_path):
    sheet = (
        f'<x:worksheet xmlns:x="{MAIN}"><x:sheetData><x:row r="1"><x:c t="inlineStr"><x:is><x:t>company</x:t>'
        '</x:is></x:c></x:row><x:row r="2"><x:c t="inlineStr"><x:is><x:t>Acme</x:t></x:is></x:c></x:row>'
        "</x:sheetData></x:worksheet>"
    ).encode()
    path = write_workbook(tmp_path / "prefixed.xlsx", "", sheet_xml=sheet)
    assert records(path) == reference(path) == {1: ["company"], 2: ["Acme"]}


@pytest.mark.parametrize(
    "sheet, message",
    [
        (f'<worksheet xmlns="{MAIN}"><sheetData><row r="1"><c t="inlineStr"><is><t>a</t></is></c></row>', "damaged"),
        (f'<worksheet xmlns="{MAIN}"><sheetData><row r="x"><c><v>1</v></c></row></sheetData></worksheet>', "damaged"),
        (
            f'<worksheet xmlns="{MAIN}"><sheetData><row r="1"><c t="s"><v>7</v></c></row></sheetData></worksheet>',
            "damaged",
        ),
    ],
)
def test_a_damaged_sheet_is_an_input_error(tmp_path, sheet, message):
    path = write_workbook(tmp_path / "bad.xlsx", "", sheet_xml=sheet.encode())
    with pytest.raises(InputError, match=message):
        list(open_table(path))
