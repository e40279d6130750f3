"""Filling a native chart's categories and series, and its embedded workbook.

The chart part's caches are rewritten so PowerPoint and LibreOffice draw the
new numbers without opening the workbook, and the embedded workbook is
regenerated so "Edit Data" shows them too. Every text cell is written as an
inline string, which a spreadsheet never evaluates: chart data can't become a
formula.
"""

from __future__ import annotations

import copy
import functools
import math

from lxml import etree

from deckgen.engine.opc import new_member, q, zip_bytes
from deckgen.engine.xmltext import escape
from deckgen.errors import RenderError

MAX_POINTS = 500
MAX_SERIES = 24
MAX_FORMAT = 200


def check_chart_data(data, name: str) -> tuple[list[str], list[tuple[str, list[float]]]]:
    """Validate chart data from the context; return (categories, [(series name, values)])."""
    if not isinstance(data, dict) or "categories" not in data or "series" not in data:
        raise RenderError(f"chart '{name}' needs data shaped {{categories: [...], series: [{{name, values}}]}}")
    cats = [str(c) for c in data["categories"]]
    if not 0 < len(cats) <= MAX_POINTS:
        raise RenderError(f"chart '{name}' needs 1 to {MAX_POINTS} categories, got {len(cats)}")
    series = []
    for i, s in enumerate(data["series"]):
        values = list(s.get("values", []))
        if len(values) != len(cats):
            raise RenderError(f"chart '{name}' series {i + 1} has {len(values)} values for {len(cats)} categories")
        clean = []
        for v in values:
            if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v):
                raise RenderError(f"chart '{name}' series {i + 1} has a value that is not a number: {v!r}")
            clean.append(float(v))
        series.append((str(s.get("name", f"Series {i + 1}")), clean))
    if not 0 < len(series) <= MAX_SERIES:
        raise RenderError(f"chart '{name}' needs 1 to {MAX_SERIES} series, got {len(series)}")
    return cats, series


def chart_number_format(data, name: str) -> str | None:
    """The format code for the chart's labels from its data (``number_format``), or None to keep the template's."""
    code = data.get("number_format") if isinstance(data, dict) else None
    if code is None or code == "":
        return None
    if not isinstance(code, str) or len(code) > MAX_FORMAT or any(ord(c) < 32 for c in code):
        raise RenderError(f"chart '{name}': number_format must be a format code of up to {MAX_FORMAT} characters")
    return code


def set_number_format(root, code: str) -> None:
    """Give the chart's data labels and value axes the format code ``code`` (not linked to the workbook)."""
    for holder in [*root.iter(q("c:dLbls")), *root.iter(q("c:valAx"))]:
        fmt = holder.find(q("c:numFmt"))
        if fmt is None:
            fmt = etree.Element(q("c:numFmt"))
            if holder.tag == q("c:dLbls"):  # after any per-label overrides (the schema's order)
                labels = holder.findall(q("c:dLbl"))
                if labels:
                    labels[-1].addnext(fmt)
                else:
                    holder.insert(0, fmt)
            else:  # after the axis' id, scaling, delete, position, gridlines and title
                after = [
                    holder.find(q(t))
                    for t in (
                        "c:axId",
                        "c:scaling",
                        "c:delete",
                        "c:axPos",
                        "c:majorGridlines",
                        "c:minorGridlines",
                        "c:title",
                    )
                ]
                [el for el in after if el is not None][-1].addnext(fmt)
        fmt.set("formatCode", code)
        fmt.set("sourceLinked", "0")


def _column(index: int) -> str:
    """0 -> 'A', 25 -> 'Z', 26 -> 'AA' (a spreadsheet's column letters)."""
    name = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        name = chr(65 + rem) + name
    return name


def _num(v: float) -> str:
    return str(int(v)) if v.is_integer() and abs(v) < 1e15 else repr(v)


def _str_cache(parent_tag: str, formula: str, values: list[str]):
    ref = etree.Element(q(parent_tag))
    etree.SubElement(ref, q("c:f")).text = formula
    cache = etree.SubElement(ref, q("c:strCache"))
    etree.SubElement(cache, q("c:ptCount")).set("val", str(len(values)))
    for i, v in enumerate(values):
        pt = etree.SubElement(cache, q("c:pt"))
        pt.set("idx", str(i))
        etree.SubElement(pt, q("c:v")).text = v
    return ref


def _num_ref(formula: str, values: list[float]):
    ref = etree.Element(q("c:numRef"))
    etree.SubElement(ref, q("c:f")).text = formula
    cache = etree.SubElement(ref, q("c:numCache"))
    etree.SubElement(cache, q("c:formatCode")).text = "General"
    etree.SubElement(cache, q("c:ptCount")).set("val", str(len(values)))
    for i, v in enumerate(values):
        pt = etree.SubElement(cache, q("c:pt"))
        pt.set("idx", str(i))
        etree.SubElement(pt, q("c:v")).text = _num(v)
    return ref


def fill_chart(root, cats: list[str], series: list[tuple[str, list[float]]], number_format: str | None = None) -> None:
    """Rewrite the series of a parsed chart part in place (and its labels' format code, when given)."""
    if number_format is not None:
        set_number_format(root, number_format)
    sers = list(root.iter(q("c:ser")))
    if not sers:
        raise RenderError("the chart has no series to fill")
    while len(sers) < len(series):
        clone = copy.deepcopy(sers[-1])
        sers[-1].addnext(clone)
        sers.append(clone)
    for extra in sers[len(series) :]:
        extra.getparent().remove(extra)
    n = len(cats)
    for i, (ser, (name, values)) in enumerate(zip(sers, series)):
        col = _column(i + 1)
        ser.find(q("c:idx")).set("val", str(i))
        ser.find(q("c:order")).set("val", str(i))
        for old in ser.findall(q("c:dPt")):
            ser.remove(old)  # per-point overrides would point at the old categories
        tx = ser.find(q("c:tx"))
        if tx is not None:
            tx.clear()
            tx.append(_str_cache("c:strRef", f"Sheet1!${col}$1", [name]))
        for tag in ("c:cat", "c:val"):
            el = ser.find(q(tag))
            if el is None:
                continue
            el.clear()
            el.append(
                _str_cache("c:strRef", f"Sheet1!$A$2:$A${n + 1}", cats)
                if tag == "c:cat"
                else _num_ref(f"Sheet1!${col}$2:${col}${n + 1}", values)
            )


def workbook_bytes(cats: list[str], series: list[tuple[str, list[float]]]) -> bytes:
    """A minimal .xlsx holding the chart data: categories in A, one column per series."""
    rows = [
        '<row r="1">'
        + "".join(
            f'<c r="{_column(i + 1)}1" t="inlineStr"><is><t>{escape(name)}</t></is></c>'
            for i, (name, _) in enumerate(series)
        )
        + "</row>"
    ]
    for r, cat in enumerate(cats, start=2):
        cells = [f'<c r="A{r}" t="inlineStr"><is><t>{escape(cat)}</t></is></c>']
        cells += [
            f'<c r="{_column(i + 1)}{r}"><v>{_num(values[r - 2])}</v></c>' for i, (_, values) in enumerate(series)
        ]
        rows.append(f'<row r="{r}">' + "".join(cells) + "</row>")
    sheet = (_DECL + f'<worksheet xmlns="{_MAIN}"><sheetData>{"".join(rows)}</sheetData></worksheet>').encode()
    return zip_bytes(_workbook_frame() + [("xl/worksheets/sheet1.xml", new_member("xl/worksheets/sheet1.xml", sheet))])


_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_DECL = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'


@functools.lru_cache(maxsize=1)
def _workbook_frame() -> list:
    """The parts of the chart workbook that never change, deflated once."""
    main, decl = _MAIN, _DECL
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    parts = {
        "[Content_Types].xml": decl
        + (
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.'
            'spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-'
            'officedocument.spreadsheetml.worksheet+xml"/></Types>'
        ),
        "_rels/.rels": decl
        + (
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{rel}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
        ),
        "xl/workbook.xml": decl
        + (
            f'<workbook xmlns="{main}" xmlns:r="{rel}"><sheets>'
            '<sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
        ),
        "xl/_rels/workbook.xml.rels": decl
        + (
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{rel}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
        ),
    }
    return [(name, new_member(name, text.encode("utf-8"))) for name, text in parts.items()]
