"""Workbooks written by hand (the sheet XML as given), and openpyxl's own reading of them as the reference."""

from __future__ import annotations

import zipfile
from pathlib import Path

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG = "http://schemas.openxmlformats.org/package/2006/"
_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml"

# cellXfs: 0 general, 1 a built-in date (14, m/d/yyyy), 2 a custom date and time, 3 a duration ([h]:mm:ss)
STYLES = (
    f'<styleSheet xmlns="{MAIN}"><numFmts count="2"><numFmt numFmtId="164" formatCode="yyyy-mm-dd hh:mm"/>'
    '<numFmt numFmtId="165" formatCode="[h]:mm:ss"/></numFmts>'
    '<fonts count="1"><font/></fonts><fills count="1"><fill><patternFill patternType="none"/></fill></fills>'
    '<borders count="1"><border/></borders>'
    '<cellStyleXfs count="1"><xf/></cellStyleXfs><cellXfs count="4"><xf numFmtId="0"/><xf numFmtId="14"/>'
    '<xf numFmtId="164"/><xf numFmtId="165"/></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>'
)


def write_workbook(
    path: Path, sheet_data: str, shared: list[str] = (), date1904: bool = False, sheet_xml: bytes | None = None
) -> Path:
    """An .xlsx whose one sheet holds ``sheet_data`` (the inside of ``<sheetData>``, as written);
    ``shared`` are the ``<si>`` items (their inside XML); ``sheet_xml`` replaces the whole sheet part."""
    sst = "".join(f"<si>{s}</si>" for s in shared)
    pr = '<workbookPr date1904="1"/>' if date1904 else ""
    sheet = sheet_xml or f'<worksheet xmlns="{MAIN}"><sheetData>{sheet_data}</sheetData></worksheet>'.encode()
    members = {
        "[Content_Types].xml": f'<Types xmlns="{_PKG}content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/xl/workbook.xml" ContentType="{_CT}.sheet.main+xml"/>'
        f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{_CT}.worksheet+xml"/>'
        f'<Override PartName="/xl/styles.xml" ContentType="{_CT}.styles+xml"/>'
        f'<Override PartName="/xl/sharedStrings.xml" ContentType="{_CT}.sharedStrings+xml"/></Types>',
        "_rels/.rels": f'<Relationships xmlns="{_PKG}relationships"><Relationship Id="rId1" '
        f'Type="{_R}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": f'<workbook xmlns="{MAIN}" xmlns:r="{_R}">{pr}<sheets>'
        '<sheet name="Accounts" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": f'<Relationships xmlns="{_PKG}relationships">'
        f'<Relationship Id="rId1" Type="{_R}/worksheet" Target="worksheets/sheet1.xml"/>'
        f'<Relationship Id="rId2" Type="{_R}/sharedStrings" Target="sharedStrings.xml"/>'
        f'<Relationship Id="rId3" Type="{_R}/styles" Target="styles.xml"/></Relationships>',
        "xl/styles.xml": STYLES,
        "xl/sharedStrings.xml": f'<sst xmlns="{MAIN}">{sst}</sst>',
        "xl/worksheets/sheet1.xml": sheet,
    }
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            z.writestr(name, data)
    return path


def records(path: Path) -> dict[int, list[str]]:
    """deckgen's reading of the sheet: row number -> cell texts (trailing empty cells dropped), blank rows left out."""
    from deckgen.load.table.workbook import _xlsx_records

    out: dict[int, list[str]] = {}
    for row, cells in _xlsx_records(path, str(path), "xl/worksheets/sheet1.xml"):
        assert isinstance(cells, list), cells
        cells = _trimmed(cells)
        if cells:
            out[row] = cells
    return out


def reference(path: Path) -> dict[int, list[str]]:
    """openpyxl's reading of the same sheet (read-only, cached values), in the same shape."""
    import openpyxl

    from deckgen.load.table.workbook import cell_text

    wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        ws = wb.worksheets[0]
        ws.reset_dimensions()
        out: dict[int, list[str]] = {}
        for number, values in enumerate(ws.iter_rows(values_only=True), start=1):
            cells = _trimmed([cell_text(v) for v in values])
            if cells:
                out[number] = cells
        return out
    finally:
        wb.close()


def _trimmed(cells: list[str]) -> list[str]:
    end = len(cells)
    while end and not cells[end - 1]:
        end -= 1
    return cells[:end]
