"""Formula cells saved without their result (a file written by a program, never opened in Excel)."""

from __future__ import annotations

from openpyxl import Workbook

from deckgen.load.crm.source import open_prospects


def test_a_formula_without_a_saved_value_is_named_not_silently_empty(tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.title = "Accounts"
    ws.append(["Company name", "Number of Employees", "Industry"])
    ws.append(["Acme Dental", "=20*2", "Dental"])  # openpyxl writes the formula and no result
    ws.append(["Birch Law", 12, "Law Practice"])
    path = tmp_path / "list.xlsx"
    wb.save(path)

    first, second = list(open_prospects(path))

    assert first.prospect is not None and first.prospect.size.users is None
    (warning,) = [w for w in first.diagnostics if "formula" in str(w)]
    text = str(warning)
    assert "row 2" in text and "sheet 'Accounts', cell B2" in text and "size.users" in text
    assert "formula without a saved value" in text and "open and save the file in Excel" in text
    assert not [w for w in second.diagnostics if "formula" in str(w)]
    assert second.prospect.size.users == 12


def test_a_formula_with_its_saved_value_reads_as_that_value(tmp_path):
    """Excel stores the result next to the formula; that is what deckgen reads, with no warning."""
    import zipfile

    wb = Workbook()
    ws = wb.active
    ws.append(["Company name", "Number of Employees"])
    ws.append(["Acme Dental", "=20*2"])
    plain = tmp_path / "plain.xlsx"
    wb.save(plain)
    saved = tmp_path / "saved.xlsx"
    with zipfile.ZipFile(plain) as src, zipfile.ZipFile(saved, "w") as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b"<f>20*2</f><v></v>", b"<f>20*2</f><v>40</v>").replace(
                    b"<f>20*2</f></c>", b"<f>20*2</f><v>40</v></c>"
                )
                assert b"<v>40</v>" in data
            dst.writestr(info, data)

    (row,) = list(open_prospects(saved))

    assert row.prospect.size.users == 40
    assert not [w for w in row.diagnostics if "formula" in str(w)]
