"""Reading prospect lists into raw rows: encodings, dialects, workbooks, JSON and YAML."""

from __future__ import annotations

import codecs
import zipfile
from datetime import date, datetime, time

import pytest

from deckgen.errors import InputError, UnsafeInputError
from deckgen.load.table.csvfile import sniff_delimiter
from deckgen.load.table.read import open_table
from deckgen.load.table.rows import MAX_CELL_CHARS, excel_column
from deckgen.load.table.workbook import cell_text


def write(tmp_path, name, text, encoding="utf-8", bom=b""):
    path = tmp_path / name
    path.write_bytes(bom + text.encode(encoding))
    return path


def rows(table):
    return list(table)


# --------------------------------------------------------------------------- encodings


def test_utf8_with_bom_is_read_and_the_bom_is_not_part_of_the_first_header(tmp_path):
    path = write(tmp_path, "a.csv", "Company name,City\nAcme,Zürich\n", bom=codecs.BOM_UTF8)
    table = open_table(path)
    assert table.encoding == "utf-8-sig"
    assert table.columns == ["Company name", "City"]
    assert rows(table)[0].cells == {"Company name": "Acme", "City": "Zürich"}


def test_utf8_without_bom_is_read_as_utf8(tmp_path):
    path = write(tmp_path, "a.csv", "company,city\n恒信物流有限公司,上海\n")
    table = open_table(path)
    assert table.encoding == "utf-8"
    assert rows(table)[0].cells["company"] == "恒信物流有限公司"


@pytest.mark.parametrize("codec,bom", [("utf-16-le", codecs.BOM_UTF16_LE), ("utf-16-be", codecs.BOM_UTF16_BE)])
def test_utf16_with_bom_and_tabs_is_read(tmp_path, codec, bom):
    text = "Company name\tCity\r\nSociété Générale\tParis\r\n恒信物流有限公司\t上海\r\n"
    path = write(tmp_path, "a.csv", text, codec, bom)
    table = open_table(path)
    assert table.encoding == "utf-16"
    assert table.delimiter == "\t"
    got = rows(table)
    assert [r.cells["Company name"] for r in got] == ["Société Générale", "恒信物流有限公司"]
    assert [r.row for r in got] == [2, 3]


def test_utf32_with_bom_is_read(tmp_path):
    path = write(tmp_path, "a.csv", "company\nAcme\n", "utf-32-le", codecs.BOM_UTF32_LE)
    assert open_table(path).encoding == "utf-32"


def test_windows_1252_is_detected_when_the_bytes_are_not_utf8(tmp_path):
    path = write(tmp_path, "a.csv", "Company name;Annual Revenue\nCafé Müller;€ 1.234,50\nNaïve SARL;\n", "cp1252")
    table = open_table(path)
    assert table.encoding == "cp1252"
    assert any("Windows-1252" in str(w) for w in table.diagnostics)
    got = rows(table)
    assert got[0].cells == {"Company name": "Café Müller", "Annual Revenue": "€ 1.234,50"}
    assert got[1].cells["Company name"] == "Naïve SARL"


def test_an_explicit_encoding_is_used_as_given(tmp_path):
    path = write(tmp_path, "a.csv", "company\nCafé\n", "latin-1")
    table = open_table(path, encoding="latin-1")
    assert table.encoding == "iso8859-1"
    assert rows(table)[0].cells["company"] == "Café"


def test_an_explicit_utf8_encoding_still_drops_the_bom(tmp_path):
    path = write(tmp_path, "a.csv", "company\nAcme\n", bom=codecs.BOM_UTF8)
    table = open_table(path, encoding="utf-8")
    assert table.columns == ["company"]


def test_an_unknown_encoding_name_is_refused(tmp_path):
    path = write(tmp_path, "a.csv", "company\nAcme\n")
    with pytest.raises(InputError, match="unknown encoding 'klingon'"):
        open_table(path, encoding="klingon")


def test_bytes_invalid_in_the_requested_encoding_name_byte_and_line(tmp_path):
    path = write(tmp_path, "a.csv", "company\nAcme\nCafé\n", "cp1252")
    with pytest.raises(InputError) as info:
        open_table(path, encoding="utf-8")
    err = info.value
    assert err.file == str(path) and err.line == 3
    assert "0xE9" in str(err) and "--encoding" in str(err)


def test_cyrillic_in_a_single_byte_encoding_is_not_silently_read_as_cp1252(tmp_path):
    path = write(tmp_path, "a.csv", "company,city\nООО Ромашка,Москва\n", "cp1251")
    with pytest.raises(InputError) as info:
        open_table(path)
    assert "does not look like Western-European" in str(info.value)
    assert "--encoding" in str(info.value) and "cp1251" in str(info.value)
    assert info.value.line == 2


def test_chinese_in_gbk_is_not_silently_read_as_cp1252(tmp_path):
    path = write(tmp_path, "a.csv", "company,city\n恒信物流有限公司,上海\n", "gbk")
    with pytest.raises(InputError, match="gbk"):
        open_table(path)
    table = open_table(path, encoding="gbk")
    assert rows(table)[0].cells["company"] == "恒信物流有限公司"


def test_a_file_mixing_utf8_and_cp1252_is_refused_naming_both_lines(tmp_path):
    path = tmp_path / "a.csv"
    path.write_bytes("company\nZürich AG\n".encode() + "Café\n".encode("cp1252"))
    with pytest.raises(InputError) as info:
        open_table(path)
    assert "mixes encodings" in str(info.value)
    assert "line 2" in str(info.value) and info.value.line == 3


def test_bytes_unused_by_cp1252_are_refused(tmp_path):
    path = tmp_path / "a.csv"
    path.write_bytes(b"company\nAcme \x81\x8d corp\n")
    with pytest.raises(InputError, match="not Windows-1252 either"):
        open_table(path)


def test_a_nul_byte_fails_its_row_only_with_a_clear_problem(tmp_path):
    path = tmp_path / "a.csv"
    path.write_bytes(b"company,city\nAcme,Paris\nBad\x00Row,Lyon\n")
    good, bad = rows(open_table(path))
    assert good.problem is None and good.cells["city"] == "Paris"
    assert bad.row == 3 and "NUL byte" in bad.problem and "column A" in bad.problem


def test_utf16_without_bom_gets_a_hint_about_the_encoding(tmp_path):
    path = write(tmp_path, "a.csv", "company\tcity\r\nAcme\tParis\r\n", "utf-16-le")
    with pytest.raises(InputError, match="--encoding utf-16-le"):
        open_table(path)
    assert rows(open_table(path, encoding="utf-16-le"))[0].cells["city"] == "Paris"


# --------------------------------------------------------------------------- dialects


def test_semicolon_delimiter_is_sniffed(tmp_path):
    path = write(tmp_path, "a.csv", "Company name;City;Annual Revenue\nAcme;Köln;1.234,5\nBeta, Inc.;Bonn;7\n")
    table = open_table(path)
    assert table.delimiter == ";"
    assert rows(table)[1].cells == {"Company name": "Beta, Inc.", "City": "Bonn", "Annual Revenue": "7"}


def test_sniffing_prefers_the_delimiter_the_rows_agree_with():
    assert sniff_delimiter('"Name","Tags; Labels"\n"Acme","a; b"\n"Beta","c"\n') == ","
    assert sniff_delimiter("a\tb\tc\n1\t2\t3\n") == "\t"
    assert sniff_delimiter("company\nAcme\n") == ","


def test_excel_sep_line_sets_the_delimiter_and_is_not_a_row(tmp_path):
    path = write(tmp_path, "a.csv", "sep=;\ncompany;city\nAcme, Ltd;Paris\n")
    table = open_table(path)
    assert table.delimiter == ";" and table.columns == ["company", "city"]
    got = rows(table)
    assert got[0].cells["company"] == "Acme, Ltd" and got[0].row == 2


def test_every_value_quoted_and_empty_quoted_cells_are_empty_text(tmp_path):
    path = write(tmp_path, "a.csv", '"ID","NAME","WEBSITE","NUMBEROFEMPLOYEES"\r\n"001","Acme","",""\r\n')
    cells = rows(open_table(path))[0].cells
    assert cells == {"ID": "001", "NAME": "Acme", "WEBSITE": "", "NUMBEROFEMPLOYEES": ""}


def test_a_multiline_value_is_one_excel_row(tmp_path):
    path = write(tmp_path, "a.csv", 'company,notes\nAcme,"line one\nline two"\nBeta,x\n')
    got = rows(open_table(path))
    assert got[0].cells["notes"] == "line one\nline two"
    assert [r.row for r in got] == [2, 3]


def test_blank_lines_are_skipped_but_keep_excel_row_numbers(tmp_path):
    path = write(tmp_path, "a.csv", "\ncompany,city\nAcme,Paris\n,\n\nBeta,Lyon\n")
    got = rows(open_table(path))
    assert [(r.row, r.cells["company"]) for r in got] == [(3, "Acme"), (6, "Beta")]


def test_rows_with_fewer_cells_read_the_missing_ones_as_empty(tmp_path):
    path = write(tmp_path, "a.csv", "company,city,country\nAcme\nBeta,Lyon\n")
    got = rows(open_table(path))
    assert got[0].cells == {"company": "Acme", "city": "", "country": ""}
    assert got[0].problem is None


def test_rows_with_more_cells_are_a_row_problem_and_reading_goes_on(tmp_path):
    path = write(tmp_path, "a.csv", "company,city\nAcme,Paris,France\nBeta,Lyon\nGamma,Nice,,\n")
    got = rows(open_table(path))
    assert got[0].row == 2 and "looks shifted: it has 3 cells but the header has 2" in got[0].problem
    assert got[0].problem_column == "column C"
    assert got[1].problem is None and got[1].cells["company"] == "Beta"
    assert got[2].problem is None  # trailing empty cells carry nothing


def test_a_200_kib_value_is_read_whole(tmp_path):
    big = "x" * (200 * 1024)
    path = write(tmp_path, "a.csv", f'company,notes\nAcme,"{big}"\nBeta,short\n')
    got = rows(open_table(path))
    assert got[0].cells["notes"] == big and got[0].problem is None
    assert got[1].cells["company"] == "Beta"


def test_a_value_over_the_size_limit_is_a_row_problem(tmp_path):
    big = "y" * (MAX_CELL_CHARS + 10)
    path = write(tmp_path, "a.csv", f'company,notes\nAcme,"{big}"\nBeta,short\n')
    got = rows(open_table(path))
    assert "limit is 1 MiB" in got[0].problem and got[0].problem_column == "notes"
    assert got[1].cells == {"company": "Beta", "notes": "short"}


def test_a_salesforce_report_footer_ends_the_rows(tmp_path):
    text = (
        '"Account Name","Billing City"\n"Acme","Paris"\n\n\n"Grand Totals (1 records)"\n'
        '"Copyright (c) 2000-2026 salesforce.com, inc. All rights reserved."\n'
        '"Confidential Information - Do Not Distribute"\n"Generated By:  Ann Lee  3/2/2026 9:14 AM"\n'
        '"Acme MSP Ltd"\n'
    )
    got = rows(open_table(write(tmp_path, "r.csv", text)))
    assert [r.cells["Account Name"] for r in got] == ["Acme"]
    assert all(r.problem is None for r in got)


def test_a_single_value_row_that_only_looks_like_a_footer_is_data_without_a_blank_line(tmp_path):
    got = rows(open_table(write(tmp_path, "a.csv", "company\nGenerated By Design Ltd\n")))
    assert [r.cells["company"] for r in got] == ["Generated By Design Ltd"]


# --------------------------------------------------------------------------- header problems


def test_duplicate_header_names_are_refused_naming_both_columns(tmp_path):
    path = write(tmp_path, "a.csv", "company,City,city\nAcme,Paris,Lyon\n")
    with pytest.raises(InputError) as info:
        open_table(path)
    assert "duplicate column name 'city'" in str(info.value)
    assert "columns B and C" in str(info.value)
    assert info.value.file == str(path) and info.value.field == "city"


def test_an_empty_header_cell_gets_a_column_letter_name(tmp_path):
    table = open_table(write(tmp_path, "a.csv", "company,,city\nAcme,x,Paris\n"))
    assert table.columns == ["company", "Column B", "city"]


@pytest.mark.parametrize("content", [b"", codecs.BOM_UTF8, b"\r\n\r\n", b",,,\n"])
def test_an_empty_file_is_refused(tmp_path, content):
    path = tmp_path / "a.csv"
    path.write_bytes(content)
    with pytest.raises(InputError, match="empty"):
        open_table(path)


def test_a_header_without_data_rows_reads_no_rows(tmp_path):
    assert rows(open_table(write(tmp_path, "a.csv", "company,city\n"))) == []


def test_a_missing_file_and_a_folder_are_refused(tmp_path):
    with pytest.raises(InputError, match="file not found"):
        open_table(tmp_path / "nope.csv")
    with pytest.raises(InputError, match="is a folder"):
        open_table(tmp_path)


def test_sheet_is_refused_for_csv(tmp_path):
    with pytest.raises(InputError, match="--sheet"):
        open_table(write(tmp_path, "a.csv", "company\nA\n"), sheet="Accounts")


def test_rows_are_streamed_and_the_table_can_be_read_again(tmp_path):
    table = open_table(write(tmp_path, "a.csv", "company\nA\nB\nC\n"))
    it = iter(table)
    assert next(it).cells["company"] == "A"
    it.close()
    assert [r.cells["company"] for r in table] == ["A", "B", "C"]


# --------------------------------------------------------------------------- XLSX


def make_xlsx(path, rows_, title="Accounts", extra_sheets=()):
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = title
    for r in rows_:
        ws.append(list(r))
    for name, data in extra_sheets:
        other = wb.create_sheet(name)
        for r in data:
            other.append(list(r))
    wb.save(path)
    return path


def test_xlsx_values_become_the_text_excel_shows(tmp_path):
    path = make_xlsx(
        tmp_path / "a.xlsx",
        [
            ("Company name", "Number of Employees", "Annual Revenue", "Create Date", "Record ID", "Active"),
            ("恒信物流有限公司", 12.0, 1234567.5, datetime(2024, 3, 1), 9876543210, True),
            ("Acme", 40, None, datetime(2024, 3, 1, 14, 30), 5.0, False),
        ],
    )
    table = open_table(path)
    assert table.format == "xlsx" and table.sheet == "Accounts"
    got = rows(table)
    assert got[0].row == 2
    assert got[0].cells == {
        "Company name": "恒信物流有限公司",
        "Number of Employees": "12",
        "Annual Revenue": "1234567.5",
        "Create Date": "2024-03-01",
        "Record ID": "9876543210",
        "Active": "TRUE",
    }
    assert got[1].cells["Create Date"] == "2024-03-01 14:30:00"
    assert got[1].cells["Annual Revenue"] == "" and got[1].cells["Record ID"] == "5"


def test_xlsx_reads_the_first_sheet_unless_one_is_named(tmp_path):
    path = make_xlsx(
        tmp_path / "a.xlsx", [("company",), ("First",)], extra_sheets=[("Leads", [("company",), ("Second",)])]
    )
    table = open_table(path)
    assert rows(table)[0].cells["company"] == "First"
    assert any("--sheet" in str(w) for w in table.diagnostics)
    assert rows(open_table(path, sheet="Leads"))[0].cells["company"] == "Second"
    assert rows(open_table(path, sheet="leads"))[0].cells["company"] == "Second"
    with pytest.raises(InputError, match="no sheet named 'Nope'.*'Accounts', 'Leads'"):
        open_table(path, sheet="Nope")


def test_xlsx_blank_rows_keep_their_row_numbers(tmp_path):
    path = make_xlsx(tmp_path / "a.xlsx", [("company", "city"), ("A", "x"), (None, None), ("B", "y")])
    assert [(r.row, r.cells["company"]) for r in open_table(path)] == [(2, "A"), (4, "B")]


def test_stopping_early_closes_the_workbook(tmp_path):
    import gc

    path = make_xlsx(tmp_path / "a.xlsx", [("company",)] + [(f"C{i}",) for i in range(100)])
    table = open_table(path)
    it = iter(table)
    assert next(it).cells["company"] == "C0"
    del it
    gc.collect()  # a ResourceWarning here would fail the test (filterwarnings = error)
    assert str(open_table(path, encoding="utf-8").diagnostics[-1]).startswith("--encoding utf-8 ignored")


def test_an_xlsx_named_csv_is_still_read_as_a_workbook(tmp_path):
    src = make_xlsx(tmp_path / "a.xlsx", [("company",), ("Acme",)])
    path = tmp_path / "export.csv"
    path.write_bytes(src.read_bytes())
    assert rows(open_table(path))[0].cells["company"] == "Acme"


def test_a_fake_or_old_workbook_is_refused_with_advice(tmp_path):
    fake = write(tmp_path, "a.xlsx", "company\nAcme\n")
    with pytest.raises(InputError, match="not a valid Excel workbook"):
        open_table(fake)
    old = tmp_path / "b.xls"
    old.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100)
    with pytest.raises(InputError, match=r"\.xls"):
        open_table(old)
    odsish = tmp_path / "c.ods"
    with zipfile.ZipFile(odsish, "w") as zf:
        zf.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
    with pytest.raises(InputError, match="OpenDocument"):
        open_table(odsish)


def test_a_workbook_declaring_entities_is_refused(tmp_path):
    src = make_xlsx(tmp_path / "a.xlsx", [("company",), ("Acme",)])
    bad = tmp_path / "bad.xlsx"
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(bad, "w") as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename == "xl/workbook.xml":
                doctype = b'<!DOCTYPE x [<!ENTITY a "aaaa">]>'
                data = data.replace(b"?>", b"?>" + doctype, 1) if data.startswith(b"<?xml") else doctype + data
            zout.writestr(info, data)
    with pytest.raises(UnsafeInputError, match="DOCTYPE"):
        open_table(bad)


def test_cell_text_matches_what_excel_shows():
    assert cell_text(12.0) == "12"
    assert cell_text(0.1 + 0.2) == "0.3"
    assert cell_text(1e20) == "1e+20"
    assert cell_text(date(2025, 1, 2)) == "2025-01-02"
    assert cell_text(time(9, 30)) == "09:30:00"
    assert cell_text(None) == ""
    assert cell_text(float("nan")) == ""
    assert excel_column(0) == "A" and excel_column(27) == "AB"


# --------------------------------------------------------------------------- JSON / YAML


def test_a_json_list_of_objects_flattens_nested_fields(tmp_path):
    path = write(
        tmp_path,
        "p.json",
        '[{"company": "Acme", "size": {"users": 40}, "pain_points": ["a", "b"],'
        ' "it_pain": true, "budget_per_user_month": 125.50, "notes": null},'
        ' {"company": "Beta", "extra": {"Territory": "North"}}]',
    )
    table = open_table(path)
    assert table.format == "json"
    assert table.columns == [
        "company",
        "size.users",
        "pain_points",
        "it_pain",
        "budget_per_user_month",
        "notes",
        "extra.Territory",
    ]
    got = rows(table)
    assert got[0].cells["size.users"] == "40" and got[0].cells["pain_points"] == ["a", "b"]
    assert got[0].cells["it_pain"] == "true" and got[0].cells["budget_per_user_month"] == "125.50"
    assert got[0].cells["notes"] == "" and got[0].cells["extra.Territory"] == ""
    assert [r.row for r in got] == [1, 2]


def test_a_json_item_that_is_not_an_object_is_a_row_problem(tmp_path):
    got = rows(open_table(write(tmp_path, "p.json", '{"prospects": [{"company": "A"}, ["x"], {"company": "B"}]}')))
    assert got[1].row == 2 and "found a list" in got[1].problem
    assert got[2].cells["company"] == "B"


def test_invalid_json_names_the_line(tmp_path):
    with pytest.raises(InputError) as info:
        open_table(write(tmp_path, "p.json", '[\n{"company": "A"},\n{"company": }\n]'))
    assert info.value.line == 3 and "not valid JSON" in str(info.value)


def test_json_duplicate_keys_are_refused(tmp_path):
    with pytest.raises(InputError, match="'company' twice"):
        open_table(write(tmp_path, "p.json", '[{"company": "A", "company": "B"}]'))


def test_a_yaml_list_of_prospects_is_read_as_typed(tmp_path):
    path = write(
        tmp_path,
        "p.yaml",
        "- company: Acme\n  id: 00123\n  location:\n    city: Köln\n"
        "- company: 恒信物流有限公司\n  pain_points:\n    - slow VPN\n    - no backups\n",
    )
    got = rows(open_table(path))
    assert got[0].cells["id"] == "00123" and got[0].cells["location.city"] == "Köln"
    assert got[1].cells["pain_points"] == ["slow VPN", "no backups"]


def test_yaml_tags_and_aliases_are_refused(tmp_path):
    with pytest.raises(InputError, match="tag"):
        open_table(write(tmp_path, "p.yaml", "- company: !!python/name:os.system x\n"))
    with pytest.raises(InputError, match="aliases"):
        open_table(write(tmp_path, "p.yml", "- company: &a Acme\n- company: *a\n"))
