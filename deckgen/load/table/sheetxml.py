"""A workbook's sheets, and the rows of one sheet with a bound on how many cells of a row are ever built.

openpyxl's read-only reader parses a whole sheet when it is opened (to learn its size, unless the sheet
states one) and turns every cell of a row into a dict with a converted value before anyone sees the row,
so one row of 400,000 cells took 5 s and 240 MB. Here :class:`Book` reads only the parts that say what
the sheets are (content types, workbook, shared strings, styles), with openpyxl's own readers, and the
sheet XML is parsed with expat driven by hand: a row keeps at most ``cap`` cells; past those nothing is
built and only element ends and text are looked at (to find the row's end, and whether a value lies
there, which fails that row alone). The cells a row keeps are converted by openpyxl's cell reader
(shared strings, dates from number formats, booleans, inline and rich text, the cached values of
formulas), so they read exactly as openpyxl reads them.

Rows are numbered from their ``r`` attribute (counted on where it is missing); a row numbered at or
below one already read is skipped, as openpyxl does. Gaps are not filled with empty rows, so a row
numbered 1,000,000,000 costs nothing more than row 2.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO
from xml.etree.ElementTree import TreeBuilder
from xml.parsers import expat

_ROW_NAME = "http://schemas.openxmlformats.org/spreadsheetml/2006/main}row"  # as expat names it
_ROW = "{" + _ROW_NAME
_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_CHUNK = 64 * 1024


class Book:
    """An open workbook: its sheets as ``(name, state, part)`` and a way to stream one sheet's rows."""

    def __init__(self, fh: IO[bytes]) -> None:
        from openpyxl.reader.excel import ExcelReader
        from openpyxl.styles.stylesheet import apply_stylesheet

        reader = ExcelReader(fh, read_only=True, data_only=True)
        try:
            reader.read_manifest()
            _read_strings(reader)
            reader.read_workbook()
            apply_stylesheet(reader.archive, reader.wb)  # the number formats that make a number a date
            self.sheets: list[tuple[str, str, str]] = [
                (sheet.name, sheet.state or "visible", rel.target)
                for sheet, rel in reader.parser.find_sheets()
                if rel.target in reader.valid_files and "chartsheet" not in rel.Type
            ]
        except BaseException:
            reader.archive.close()
            raise
        self._reader = reader

    def rows(self, part: str, cap: int) -> Iterator[SheetRow]:
        """The rows of the sheet stored in ``part`` (see :func:`sheet_rows`); the part is closed at the end."""
        from openpyxl.worksheet._reader import WorkSheetParser

        reader = self._reader
        with reader.archive.open(part) as src:
            cells = WorkSheetParser(
                src,
                reader.shared_strings,
                data_only=True,
                epoch=reader.wb.epoch,
                date_formats=reader.wb._date_formats,
                timedelta_formats=reader.wb._timedelta_formats,
            )
            yield from sheet_rows(src, cells, cap)

    def close(self) -> None:
        self._reader.archive.close()


def _read_strings(reader) -> None:
    """The shared strings as openpyxl reads them, but as written: openpyxl drops every 'x005F_' (half of undoing
    the _xHHHH_ escapes), so "_x005F_x000D_" (a literal "_x000D_") and "_x000D_" (a carriage return) would read
    the same; ``cell_text`` undoes the escapes of every string, shared or inline."""
    from openpyxl.cell.text import Text
    from openpyxl.xml.constants import SHARED_STRINGS, SHEET_MAIN_NS
    from openpyxl.xml.functions import iterparse

    part = reader.package.find(SHARED_STRINGS)
    if part is None:
        return
    tag = "{%s}si" % SHEET_MAIN_NS
    strings = []
    with reader.archive.open(part.PartName[1:]) as src:
        for _, node in iterparse(src):
            if node.tag == tag:
                strings.append(Text.from_tree(node).content)
                node.clear()
    reader.shared_strings = strings


@dataclass(slots=True)
class SheetRow:
    """One ``<row>``: its number, its values by column (None where empty), and whether a value lies past
    the cells it keeps."""

    number: int
    values: list
    beyond: bool = False
    unsaved: tuple[int, ...] = ()  # 1-based columns of formulas saved without their result
    hidden: bool = False  # hidden in the sheet: filtered out, or hidden by hand


def sheet_rows(source: IO[bytes], cells, cap: int) -> Iterator[SheetRow]:
    """Stream the rows of the sheet XML in ``source``; ``cells`` is openpyxl's ``WorkSheetParser`` for the
    sheet (its ``parse_row`` converts the cells kept)."""
    parser = _SheetParser(cells, cap)
    while True:
        chunk = source.read(_CHUNK)
        parser.feed(chunk)
        if parser.done:
            yield from parser.done
            parser.done.clear()
        if not chunk:
            return


class _SheetParser:
    """expat driven by hand, in three modes: between rows only a row's start is looked at; in a row its
    first ``cap`` cells are built into an element tree (openpyxl's cell reader takes elements); past them
    only element ends (to find the row's end) and text (a value) are looked at, and nothing is built."""

    def __init__(self, cells, cap: int) -> None:
        self.cells = cells
        self.cap = cap
        self.done: list[SheetRow] = []
        self.last = 0  # the highest row number read
        self.tree: TreeBuilder | None = None
        self.depth = self.kept = 0  # how deep in the row the parser is; the row's children kept
        self.beyond = False
        x = expat.ParserCreate(namespace_separator="}")
        x.buffer_text = True
        x.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
        x.StartDoctypeDeclHandler = self._refuse  # the package check refused these already; never expand one
        x.EntityDeclHandler = self._refuse
        self.x = x
        self._between_rows()

    def feed(self, chunk: bytes) -> None:
        self.x.Parse(chunk, not chunk)

    # ------------------------------------------------------------------ modes

    def _between_rows(self) -> None:
        self.x.StartElementHandler = self._start_outside
        self.x.EndElementHandler = None
        self.x.CharacterDataHandler = None

    def _in_row(self) -> None:
        assert self.tree is not None
        self.x.StartElementHandler = self._start_inside
        self.x.EndElementHandler = self._end_inside
        self.x.CharacterDataHandler = self.tree.data

    def _past_cap(self) -> None:
        self.x.StartElementHandler = None
        self.x.EndElementHandler = self._end_past
        self.x.CharacterDataHandler = self._text_past

    # ------------------------------------------------------------------ handlers

    def _start_outside(self, name: str, attrs: dict) -> None:
        if name == _ROW_NAME:
            self.tree = TreeBuilder()
            self.tree.start(_ROW, attrs)
            self.depth = self.kept = 0
            self.beyond = False
            self._in_row()

    def _start_inside(self, name: str, attrs: dict) -> None:
        if self.depth == 0:
            self.kept += 1
            if self.kept > self.cap:
                self._past_cap()  # the tree holds only the row open: every kept cell is closed
                return
        self.depth += 1
        for key in attrs:
            if "}" in key:  # a namespaced attribute (xml:space): ElementTree spells it {uri}local
                attrs = {_clark(k): v for k, v in attrs.items()}
                break
        assert self.tree is not None
        self.tree.start(_clark(name), attrs)

    def _end_inside(self, name: str) -> None:
        assert self.tree is not None
        if self.depth == 0:
            self._finish_row()
            return
        self.depth -= 1
        self.tree.end(_clark(name))

    def _end_past(self, name: str) -> None:
        if name == _ROW_NAME:
            self._finish_row()

    def _text_past(self, text: str) -> None:
        if not self.beyond and text.strip():
            self.beyond = True

    def _finish_row(self) -> None:
        tree = self.tree
        assert tree is not None
        tree.end(_ROW)
        element = tree.close()
        number, cells = self.cells.parse_row(element)
        self.cells.row_dimensions.clear()
        self.tree = None
        self._between_rows()
        if number > self.last:
            self.last = number
            hidden = element.get("hidden") in ("1", "true")
            self.done.append(SheetRow(number, _values(cells), self.beyond, _unsaved(element, cells), hidden))

    @staticmethod
    def _refuse(*_args) -> None:
        raise ValueError("the sheet declares a DOCTYPE or entities")


def _clark(name: str, _seen: dict[str, str] = {}) -> str:  # noqa: B006 - the cache is meant to be shared
    """expat's ``uri}local`` as ElementTree's ``{uri}local``."""
    got = _seen.get(name)
    if got is None:
        got = "{" + name if "}" in name else name
        if len(_seen) < 64:  # a sheet uses a handful of names; a hostile one may use millions
            _seen[name] = got
    return got


def _unsaved(row, cells: list[dict]) -> tuple[int, ...]:
    """The columns of the row's formula cells that hold no saved result: a file written by a program (openpyxl,
    a script, an export tool) and never opened in Excel keeps only the formula, which deckgen does not compute."""
    found = []
    for element, cell in zip(row, cells, strict=False):
        if cell["value"] is None and element.find(_MAIN + "f") is not None:
            found.append(cell["column"])
    return tuple(found)


def _values(cells: list[dict]) -> list:
    """The cells' values in a list as wide as the last cell's column (None where nothing is); as in openpyxl,
    a cell further right than the last one is left out."""
    if not cells:
        return []
    width = cells[-1]["column"]
    out: list = [None] * width
    for c in cells:
        column = c["column"]
        if column <= width:
            out[column - 1] = c["value"]
    return out
