"""Property tests over the XLSX reader: small generated workbooks with random cells read exactly as openpyxl
reads them, and the same workbooks damaged at random end in rows or a deckgen error, within time and memory.

``DECKGEN_FUZZ_EXAMPLES`` raises the number of examples for a longer fuzzing run.
"""

from __future__ import annotations

import io
import time
import tracemalloc
import warnings
import zipfile
from xml.sax.saxutils import escape

import pytest
from hypothesis import given
from hypothesis import strategies as st

from deckgen.errors import DeckgenError
from deckgen.load.table import open_table
from tests.security.fuzzing import FUZZ
from tests.security.xlsx import records, reference, write_workbook

SECONDS = 10.0  # one example reads in well under 0.1 s; the bound is for a loaded 2-core CI machine
PEAK_BYTES = 64 * 1024 * 1024

# text XML 1.0 can hold (no C0 controls but tab and line breaks, no surrogates, no U+FFFE/U+FFFF)
XML_TEXT = st.text(
    st.characters(blacklist_categories=("Cs",), blacklist_characters="\ufffe\uffff\r", min_codepoint=0x09).filter(
        lambda c: c in "\t\n" or ord(c) >= 0x20
    ),
    max_size=12,
)
SHARED = ["Healthcare", "  padded  ", "", "Acme & Co <Ltd>", "中文", "=1+1"]


def _cell(kind: str, value, ref: str | None) -> str:
    r = f' r="{ref}"' if ref else ""
    if kind == "inline":
        return f'<c{r} t="inlineStr"><is><t xml:space="preserve">{escape(value)}</t></is></c>'
    if kind == "rich":
        runs = "".join(f'<r><t xml:space="preserve">{escape(v)}</t></r>' for v in value)
        return f'<c{r} t="inlineStr"><is>{runs}</is></c>'
    if kind == "shared":
        return f'<c{r} t="s"><v>{value}</v></c>'
    if kind == "number":
        return f"<c{r}><v>{value}</v></c>"
    if kind == "bool":
        return f'<c{r} t="b"><v>{value}</v></c>'
    if kind == "error":
        return f'<c{r} t="e"><v>{value}</v></c>'
    if kind == "formula":
        return f'<c{r} t="str"><f>A1&amp;"x"</f><v>{escape(value)}</v></c>'
    if kind == "date":  # style 1: a date, 2: a date and time, 3: a duration
        style, serial = value
        return f'<c{r} s="{style}"><v>{serial}</v></c>'
    return f"<c{r}/>"


CELLS = st.one_of(
    st.tuples(st.just("inline"), XML_TEXT),
    st.tuples(st.just("rich"), st.lists(XML_TEXT, min_size=1, max_size=3)),
    st.tuples(st.just("shared"), st.integers(0, len(SHARED) - 1)),
    st.tuples(
        st.just("number"),
        st.one_of(
            st.integers(-(10**18), 10**18).map(str),
            st.floats(allow_nan=False, allow_infinity=False, width=64).map(repr),
            st.sampled_from(["1E+5", "-0", "0.1", "1e-7", "123456789012345678"]),
        ),
    ),
    st.tuples(st.just("bool"), st.sampled_from(["0", "1"])),
    st.tuples(st.just("error"), st.sampled_from(["#N/A", "#DIV/0!", "#VALUE!", "#REF!"])),
    st.tuples(st.just("formula"), XML_TEXT),
    st.tuples(st.just("date"), st.tuples(st.sampled_from([1, 2, 3]), st.floats(1, 2_900_000, allow_nan=False))),
    st.tuples(st.just("empty"), st.none()),
)


@st.composite
def sheets(draw) -> str:
    """The inside of <sheetData>: rows numbered in order (with gaps) or not numbered; cells with a reference
    (to any column, in any order) or without one."""
    rows = []
    number = 0
    for _ in range(draw(st.integers(1, 8))):
        number += draw(st.integers(1, 3))
        numbered = draw(st.booleans())
        cells = []
        for kind, value in draw(st.lists(CELLS, max_size=7)):
            ref = f"{_letters(draw(st.integers(1, 30)))}{number}" if draw(st.integers(0, 3)) == 0 else None
            cells.append(_cell(kind, value, ref))
        attr = f' r="{number}"' if numbered else ""
        rows.append(f"<row{attr}>{''.join(cells)}</row>")
    return "".join(rows)


def _letters(column: int) -> str:
    name = ""
    while column:
        column, rem = divmod(column - 1, 26)
        name = chr(65 + rem) + name
    return name


def _shared_items() -> list[str]:
    return [f'<t xml:space="preserve">{escape(s)}</t>' for s in SHARED]


@FUZZ
@given(data=sheets(), date1904=st.booleans())
def test_random_workbooks_read_exactly_as_openpyxl_reads_them(tmp_path_factory, data, date1904):
    path = write_workbook(tmp_path_factory.mktemp("xlsx") / "w.xlsx", data, _shared_items(), date1904)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # openpyxl warns about dates out of range; both readers see the same
        try:
            expected = reference(path)
        except Exception:  # noqa: BLE001 - a sheet openpyxl itself cannot read: deckgen must refuse it cleanly
            expected = None
        started = time.monotonic()
        if expected is None:
            with pytest.raises(DeckgenError):
                records(path)
        else:
            assert records(path) == expected
    assert time.monotonic() - started < SECONDS


DAMAGE = st.one_of(
    st.tuples(st.just("cut-zip"), st.floats(0, 1)),
    st.tuples(st.just("flip-zip"), st.lists(st.tuples(st.floats(0, 1), st.integers(1, 255)), min_size=1, max_size=8)),
    st.tuples(st.just("cut-sheet"), st.floats(0, 1)),
    st.tuples(st.just("splice-sheet"), st.tuples(st.floats(0, 1), st.binary(max_size=40))),
    st.tuples(
        st.just("splice-sheet"),
        st.tuples(
            st.floats(0, 1),
            st.sampled_from(
                [b"<row>", b"</row>", b"<c>", b"<c/>" * 5000, b'<row r="99999999">', b"<!--", b"]]>", b"&amp", b"\xff"]
            ),
        ),
    ),
    st.tuples(st.just("drop"), st.sampled_from(["xl/styles.xml", "xl/sharedStrings.xml", "xl/workbook.xml"])),
)


def _damaged(clean: bytes, damage) -> bytes:
    kind, how = damage
    if kind == "cut-zip":
        return clean[: int(len(clean) * how)] or b"PK\x03\x04"
    if kind == "flip-zip":
        data = bytearray(clean)
        for where, mask in how:
            i = min(len(data) - 1, int(len(data) * where))
            data[i] ^= mask
        return bytes(data)
    with zipfile.ZipFile(io.BytesIO(clean)) as zin:
        members = {n: zin.read(n) for n in zin.namelist()}
    sheet = members["xl/worksheets/sheet1.xml"]
    if kind == "cut-sheet":
        members["xl/worksheets/sheet1.xml"] = sheet[: int(len(sheet) * how)]
    elif kind == "splice-sheet":
        where, chunk = how
        i = int(len(sheet) * where)
        members["xl/worksheets/sheet1.xml"] = sheet[:i] + chunk + sheet[i:]
    else:
        members.pop(how, None)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for name, data in members.items():
            zout.writestr(name, data)
    return out.getvalue()


@FUZZ
@given(data=sheets(), damage=DAMAGE)
def test_damaged_workbooks_read_or_fail_with_a_deckgen_error_in_bounded_time_and_memory(tmp_path_factory, data, damage):
    folder = tmp_path_factory.mktemp("xlsx")
    clean = write_workbook(
        folder / "clean.xlsx", "<row r='1'><c t='inlineStr'><is><t>company</t></is></c></row>" + data
    )
    path = folder / "damaged.xlsx"
    path.write_bytes(_damaged(clean.read_bytes(), damage))
    tracemalloc.start()
    started = time.monotonic()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                for _ in open_table(path):
                    pass
            except DeckgenError:
                pass
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert time.monotonic() - started < SECONDS
    assert peak < PEAK_BYTES
