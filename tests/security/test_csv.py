"""CRM exports as they really arrive: decoded correctly, or a clear error; a bad row is skipped, not fatal."""

from __future__ import annotations

import codecs
import zipfile

import pytest

from deckgen.errors import InputError, UnsafeInputError
from deckgen.load.crm.source import open_prospects


def write(tmp_path, data: bytes, name: str = "export.csv"):
    path = tmp_path / name
    path.write_bytes(data)
    return path


def results(path, **kw):
    source = open_prospects(path, **kw)
    return source, list(source)


def companies(rows) -> list[str | None]:
    return [r.prospect.company if r.prospect else None for r in rows]


def error_of(path, **kw) -> str:
    with pytest.raises(InputError) as info:
        results(path, **kw)
    return str(info.value)


# --------------------------------------------------------------------------- encodings and dialects


def test_a_utf8_bom_is_not_part_of_the_first_header(tmp_path):
    path = write(tmp_path, codecs.BOM_UTF8 + "Company name,City\nCafé Zoë,Zürich\n".encode())
    source, rows = results(path)
    assert source.columns[0] == "Company name"
    assert companies(rows) == ["Café Zoë"] and rows[0].prospect.location.city == "Zürich"


def test_windows_1252_from_excel_is_decoded_with_a_note_naming_the_encoding_option(tmp_path):
    path = write(tmp_path, "Company name;City\nCafé Müller;Köln\nŠkoda € Œuvre;Brno\n".encode("cp1252"))
    source, rows = results(path)
    assert source.encoding == "cp1252"
    assert companies(rows) == ["Café Müller", "Škoda € Œuvre"]
    assert any("--encoding" in w for w in source.warnings)


def test_utf16_tab_separated_unicode_text_is_decoded(tmp_path):
    text = 'Company name\tCity\r\n恒信物流有限公司\t香港\r\nשלום בע"מ\tתל אביב\r\n'
    source, rows = results(write(tmp_path, codecs.BOM_UTF16_LE + text.encode("utf-16-le")))
    assert companies(rows) == ["恒信物流有限公司", 'שלום בע"מ']


def test_semicolon_separated_values_are_split_on_semicolons(tmp_path):
    source, rows = results(write(tmp_path, b"Company name;City;Industry\nAcme, Inc.;Lyon;Dental\n"))
    assert companies(rows) == ["Acme, Inc."] and rows[0].prospect.industry == "Dental"


def test_an_encoding_that_is_neither_utf8_nor_windows_1252_is_a_clear_error_naming_the_option(tmp_path):
    message = error_of(write(tmp_path, "company,city\nОблако ООО,Москва\n".encode("cp1251")))
    assert "not UTF-8" in message and "--encoding" in message and "cp1251" in message


def test_utf16_without_a_byte_order_mark_names_the_encoding_to_pass(tmp_path):
    message = error_of(write(tmp_path, "Company name\tCity\r\nAcme\tLyon\r\n".encode("utf-16-le")))
    assert "NUL" in message and "--encoding utf-16-le" in message


def test_the_named_encoding_is_used_when_given(tmp_path):
    path = write(tmp_path, "company,city\nОблако ООО,Москва\n".encode("cp1251"))
    source, rows = results(path, encoding="cp1251")
    assert companies(rows) == ["Облако ООО"]


def test_a_nul_byte_in_a_text_export_fails_its_row_naming_it(tmp_path):
    # the row fails alone (tests/security/test_rows_fail_alone.py runs a whole batch over it)
    from deckgen.load.table import open_table

    rows = list(open_table(write(tmp_path, b"company,notes\nAcme,ok\nA\x00B,x\n")))
    assert [r.row for r in rows] == [2, 3] and rows[0].problem is None
    assert "NUL" in rows[1].problem and "column A" in rows[1].problem


# --------------------------------------------------------------------------- headers


def test_duplicate_headers_are_refused_naming_both_columns(tmp_path):
    message = error_of(write(tmp_path, b"Company name,City,city\nAcme,Lyon,Paris\n"))
    assert "duplicate column name" in message and "columns B and C" in message


def test_a_missing_company_column_is_refused_naming_the_columns_found_and_the_fix(tmp_path):
    message = error_of(write(tmp_path, b"Firm,City\nAcme,Lyon\n"))
    assert "no company-name column" in message and "'Firm'" in message and "--map" in message


# --------------------------------------------------------------------------- rows


def test_a_ragged_row_is_reported_and_skipped_and_the_rows_after_it_are_read(tmp_path):
    source, rows = results(write(tmp_path, b"Company name,City\nAcme,Lyon,extra,more\nGood Co,Paris\nShort Co\n"))
    assert companies(rows) == [None, "Good Co", "Short Co"]
    assert rows[0].row == 2 and "looks shifted: it has 4 cells but the header has 2" in str(rows[0].error)
    assert rows[2].prospect.location.city == ""


def test_a_200_kib_field_fails_its_row_only(tmp_path):
    data = b"company,notes\nBig Co," + b"x" * (200 * 1024) + b"\nNext Co,fine\n"
    source, rows = results(write(tmp_path, data))
    assert companies(rows) == [None, "Next Co"]
    assert "notes" in str(rows[0].error) and "too long" in str(rows[0].error)


def test_a_200_kib_company_name_fails_its_row_only(tmp_path):
    data = b"company,notes\n" + b"y" * (200 * 1024) + b",x\nNext Co,fine\n"
    source, rows = results(write(tmp_path, data))
    assert companies(rows) == [None, "Next Co"] and "company" in str(rows[0].error)


def test_control_characters_and_bidi_overrides_in_cells_are_removed_with_a_warning_naming_the_column(tmp_path):
    data = "company,notes\nAc\x01me\u202e Ltd,call\x0b back\ufffe\n".encode()
    source, rows = results(write(tmp_path, data))
    assert companies(rows) == ["Acme Ltd"]
    assert rows[0].prospect.notes == "call back"
    assert any("column 'company'" in w for w in rows[0].warnings)
    assert any("column 'notes'" in w for w in rows[0].warnings)


def test_a_value_that_looks_like_a_formula_stays_plain_text(tmp_path):
    source, rows = results(write(tmp_path, b'company,notes\n"=HYPERLINK(""http://x"")",+cmd|calc\n'))
    assert companies(rows) == ['=HYPERLINK("http://x")'] and rows[0].prospect.notes == "+cmd|calc"


# --------------------------------------------------------------------------- workbooks


def workbook(tmp_path, mutate=None):
    import openpyxl

    path = tmp_path / "export.xlsx"
    wb = openpyxl.Workbook()
    wb.active.append(["company", "city"])
    wb.active.append(["Acme", "Lyon"])
    wb.save(path)
    if mutate is not None:
        with zipfile.ZipFile(path) as z:
            items = {i.filename: z.read(i) for i in z.infolist()}
        mutate(items)
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
            for name, data in items.items():
                z.writestr(name, data)
    return path


LAUGHS = (
    b'<!DOCTYPE worksheet [<!ENTITY a "lol"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
    b'<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>'
)


def test_a_workbook_with_entities_is_refused_even_behind_a_long_comment(tmp_path):
    def laughs(items):
        sheet = items["xl/worksheets/sheet1.xml"].replace(b"<t>Lyon</t>", b"<t>&c;</t>")
        items["xl/worksheets/sheet1.xml"] = (
            b'<?xml version="1.0" encoding="UTF-8"?><!--' + b"x" * 100_000 + b"-->" + LAUGHS + sheet
        )

    with pytest.raises(UnsafeInputError, match="DOCTYPE"):
        results(workbook(tmp_path, laughs))


def test_a_damaged_worksheet_is_a_clear_error_not_a_crash(tmp_path):
    def damage(items):
        items["xl/worksheets/sheet1.xml"] = items["xl/worksheets/sheet1.xml"].replace(b"</sheetData>", b"")

    message = error_of(workbook(tmp_path, damage))
    assert str(tmp_path / "export.xlsx") in message and "workbook" in message


def test_a_plain_workbook_still_reads(tmp_path):
    source, rows = results(workbook(tmp_path))
    assert companies(rows) == ["Acme"] and rows[0].prospect.location.city == "Lyon"
