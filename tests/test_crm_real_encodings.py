"""--encoding as users type it: "utf-16" for Excel's "Unicode Text" saved by a tool without the byte-order mark,
or a wrong guess on a file whose byte-order mark already says what it is. An answer, never a traceback."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from deckgen.cli import cli
from deckgen.errors import InputError
from deckgen.load.crm import open_prospects
from deckgen.resources import examples_dir

TEXT = "Company name\tNumber of Employees\tRecord ID\r\nZoë Dental\t20\t1\r\nקפה Law\t30\t2\r\n"


@pytest.mark.parametrize(("codec", "given"), [("utf-16-le", "utf-16"), ("utf-16-be", "UTF16"), ("utf-32-le", "utf-32")])
def test_a_utf16_or_utf32_file_without_a_byte_order_mark_reads_with_the_generic_name(tmp_path, codec, given):
    path = tmp_path / "unicode.txt"
    path.write_bytes(TEXT.encode(codec))
    source = open_prospects(path, encoding=given)
    assert source.encoding == codec
    assert [(r.prospect.company, r.prospect.size.users) for r in source] == [("Zoë Dental", 20), ("קפה Law", 30)]


def test_an_encoding_the_byte_order_mark_contradicts_is_refused_in_words(tmp_path):
    path = tmp_path / "hubspot.csv"
    path.write_bytes(b"\xef\xbb\xbf" + "Company name,Record ID\nZoë Dental,1\n".encode())
    out = tmp_path / "decks"
    result = CliRunner().invoke(
        cli,
        ["batch", str(path), "-p", str(examples_dir() / "profile.yaml"), "--out-dir", str(out), "-q"]
        + ["--encoding", "utf-16"],
    )
    assert result.exit_code == 2, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "starts with a UTF-8 byte-order mark, so it is not utf-16" in result.output
    assert not out.exists()


def test_a_codec_that_refuses_text_as_a_whole_is_an_input_error(tmp_path):
    path = tmp_path / "list.csv"
    path.write_bytes("company\nCafé Crème\n".encode("cp1252"))
    with pytest.raises(InputError, match="cannot be read as idna"):
        open_prospects(path, encoding="idna")


def test_a_csv_from_excel_for_mac_reads_as_mac_roman(tmp_path):
    # Excel for Mac's "Comma Separated Values (.csv)": Mac Roman, lines ending in CR alone. Read as Windows-1252
    # its é (0x8E) would be "Ž" and its è (0x8F) is a byte Windows-1252 does not have.
    path = tmp_path / "mac.csv"
    path.write_bytes(
        "Company name,Number of Employees,City\rCafé Crème,20,Austin\rNaïve Law,30,Austin\r".encode("mac_roman")
    )
    source = open_prospects(path)
    assert source.encoding == "mac_roman"
    assert any("Mac Roman" in str(n) for n in source.diagnostics)
    assert [r.prospect.company for r in source] == ["Café Crème", "Naïve Law"]


def test_windows_line_ends_still_mean_windows_1252(tmp_path):
    path = tmp_path / "win.csv"
    path.write_bytes("Company name,Number of Employees\r\nCafé Crème,20\r\n".encode("cp1252"))
    source = open_prospects(path)
    assert source.encoding == "cp1252" and [r.prospect.company for r in source] == ["Café Crème"]
