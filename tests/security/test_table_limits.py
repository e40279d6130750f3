"""Tables that expand or widen far beyond their size on disk: bounded in time, refused with a clear error."""

from __future__ import annotations

import time
import zipfile

import pytest

from deckgen.errors import InputError
from deckgen.load.table import open_table
from deckgen.load.table.rows import MAX_COLUMNS, MAX_ROW_CHARS

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG = "http://schemas.openxmlformats.org/package/2006/"


def workbook(path, header: list[str], rows: list[list[str]], shared: list[str] = (), trailing_empty: int = 0):
    """A minimal .xlsx: ``header`` and ``rows`` as inline strings; a cell ``"#n"`` names shared string n."""

    def cell(text: str) -> str:
        if text.startswith("#"):
            return f'<c t="s"><v>{int(text[1:])}</v></c>'
        return f'<c t="inlineStr"><is><t>{text}</t></is></c>'

    lines = ["".join(cell(c) for c in header) + "<c/>" * trailing_empty] + ["".join(cell(c) for c in r) for r in rows]
    sheet = "".join(f'<row r="{i}">{cells}</row>' for i, cells in enumerate(lines, 1))
    sst = "".join(f"<si><t>{s}</t></si>" for s in shared)
    members = {
        "[Content_Types].xml": f'<Types xmlns="{_PKG}content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        '<Override PartName="/xl/sharedStrings.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
        "_rels/.rels": f'<Relationships xmlns="{_PKG}relationships"><Relationship Id="rId1" '
        f'Type="{_R}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": f'<workbook xmlns="{_MAIN}" xmlns:r="{_R}"><sheets>'
        '<sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": f'<Relationships xmlns="{_PKG}relationships">'
        f'<Relationship Id="rId1" Type="{_R}/worksheet" Target="worksheets/sheet1.xml"/>'
        f'<Relationship Id="rId2" Type="{_R}/sharedStrings" Target="sharedStrings.xml"/></Relationships>',
        "xl/sharedStrings.xml": f'<sst xmlns="{_MAIN}">{sst}</sst>',
        "xl/worksheets/sheet1.xml": f'<worksheet xmlns="{_MAIN}"><sheetData>{sheet}</sheetData></worksheet>',
    }
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in members.items():
            z.writestr(name, text)
    return path


def read(path):
    table = open_table(path)
    return table, list(table)


def test_a_workbook_that_names_one_huge_shared_string_from_every_row_is_refused_quickly(tmp_path):
    big = "x" * (1024 * 1024 - 10)
    rows = [[f"Co {i}", "#0"] for i in range(1000)]
    path = workbook(tmp_path / "amp.xlsx", ["Company", "Notes"], rows, shared=[big])
    assert path.stat().st_size < 64 * 1024
    start = time.monotonic()
    with pytest.raises(InputError, match="expand to more than") as info:
        read(path)
    assert time.monotonic() - start < 10
    assert info.value.row is not None and info.value.row < 200


def test_a_workbook_with_ordinary_repeated_shared_strings_reads_in_full(tmp_path):
    rows = [[f"Co {i}", "#0"] for i in range(3000)]
    path = workbook(tmp_path / "ok.xlsx", ["Company", "Industry"], rows, shared=["Healthcare"])
    _, got = read(path)
    assert len(got) == 3000 and got[-1].cells["Industry"] == "Healthcare"


def test_a_header_with_many_trailing_empty_cells_is_trimmed_in_linear_time(tmp_path):
    path = workbook(tmp_path / "wide.xlsx", ["Company", "City"], [["Acme", "Leeds"]], trailing_empty=60_000)
    start = time.monotonic()
    table, got = read(path)
    elapsed = time.monotonic() - start
    assert table.columns == ["Company", "City"]
    assert got[0].cells == {"Company": "Acme", "City": "Leeds"}
    assert elapsed < 5  # the quadratic trim took about 3.5 s for 60,000 cells, and grows with the square


def test_trimming_the_header_does_not_copy_it_once_per_empty_cell(tmp_path):
    path = tmp_path / "wide.csv"
    path.write_text("Company,City" + "," * 300_000 + "\nAcme,Leeds\n")
    start = time.monotonic()
    table, got = read(path)
    assert table.columns == ["Company", "City"]
    assert time.monotonic() - start < 2


def test_a_header_with_more_columns_than_the_cap_is_refused(tmp_path):
    path = tmp_path / "many.csv"
    path.write_text(",".join(f"c{i}" for i in range(MAX_COLUMNS + 1)) + "\n" + "x\n")
    with pytest.raises(InputError, match=f"at most {MAX_COLUMNS}"):
        open_table(path)


def test_a_header_at_the_cap_is_read(tmp_path):
    path = tmp_path / "many.csv"
    path.write_text(",".join(f"c{i}" for i in range(MAX_COLUMNS)) + "\n" + "x\n")
    assert len(open_table(path).columns) == MAX_COLUMNS


def test_a_row_whose_values_add_up_past_the_row_limit_fails_alone(tmp_path):
    path = tmp_path / "rows.csv"
    cell = "y" * (1024 * 1024 - 1)
    columns = MAX_ROW_CHARS // len(cell) + 1
    header = ",".join(f"c{i}" for i in range(columns))
    path.write_text(header + "\n" + ",".join([cell] * columns) + "\n" + ",".join(["ok"] * columns) + "\n")
    _, got = read(path)
    assert "limit for a row" in (got[0].problem or "")
    assert got[1].problem is None and got[1].cells["c0"] == "ok"


@pytest.mark.skipif(not hasattr(__import__("os"), "mkfifo"), reason="FIFOs are POSIX")
def test_a_prospect_list_that_is_a_fifo_is_refused_without_waiting(tmp_path):
    import os
    import threading

    fifo = tmp_path / "list.csv"
    os.mkfifo(fifo)
    box = {}

    def run():
        try:
            open_table(fifo)
        except InputError as exc:
            box["error"] = exc

    t = threading.Thread(target=run, daemon=True)
    t.start()
    t.join(10)
    assert not t.is_alive(), "open_table blocked on a FIFO"
    assert "pipe" in str(box["error"])
