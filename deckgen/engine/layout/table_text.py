"""How tall a table is once PowerPoint lays out its cells' text.

A table row is at least as tall as its ``h``; PowerPoint makes it taller until the text of every
cell fits, so a long value (or rows a loop added) pushes the table down, past the slide's bottom
edge if nothing stops it. Each cell is measured as a text box of its column's width with the
cell's margins, inheriting the deck's default text style like any other box.
"""

from __future__ import annotations

import copy

from lxml import etree

from deckgen.engine.layout.fonts import FontBook
from deckgen.engine.layout.frame import EMU_PER_PT, read_frame
from deckgen.engine.layout.styles import DeckStyles, int_attr
from deckgen.engine.opc import q

_TBL = f"{q('a:graphic')}/{q('a:graphicData')}/{q('a:tbl')}"
_MARGINS = (("marL", "lIns", 91440), ("marR", "rIns", 91440), ("marT", "tIns", 45720), ("marB", "bIns", 45720))


def table_extent(
    frame, part: str, styles: DeckStyles, fonts: FontBook, theme: dict[str, str], memo=None, read=read_frame
):
    """(top, height) in points of the table in graphic frame ``frame`` as laid out, or None (not a table).

    ``memo`` (a dict) keeps each distinct cell's height, ``read`` reads a cell's text as a frame (a
    :class:`~deckgen.engine.layout.paragraphs.ParagraphMemo`'s ``read``): a deck's rows mostly repeat others'.
    """
    tbl = frame.find(_TBL)
    off = frame.find(f"{q('p:xfrm')}/{q('a:off')}")
    if tbl is None or off is None:
        return None
    widths = [int_attr(c.get("w")) for c in tbl.iterfind(f"{q('a:tblGrid')}/{q('a:gridCol')}")]
    height = 0.0
    for tr in tbl.iterfind(q("a:tr")):
        row = int_attr(tr.get("h")) / EMU_PER_PT
        column = 0
        for tc in tr.iterfind(q("a:tc")):
            span = max(int_attr(tc.get("gridSpan"), 1), 1)
            width = sum(widths[column : column + span])
            column += span
            if tc.get("hMerge") or tc.get("vMerge") or int_attr(tc.get("rowSpan"), 1) > 1:
                continue  # merged cells: their text sits in (or spans) other rows
            if memo is None:
                row = max(row, _cell_height(tc, width, part, styles, fonts, theme, read))
                continue
            key = (part, width, etree.tostring(tc))
            if key not in memo:
                memo[key] = _cell_height(tc, width, part, styles, fonts, theme, read)
            row = max(row, memo[key])
        height += row
    return int_attr(off.get("y")) / EMU_PER_PT, height


def _cell_height(tc, width: int, part: str, styles: DeckStyles, fonts: FontBook, theme: dict[str, str], read) -> float:
    """Points a cell's text and its top and bottom margins need (0 for an empty cell)."""
    cell = cell_frame(tc, width, part, styles, fonts, theme, read)
    return 0.0 if cell is None else cell[0].measure().height + cell[1]


def cell_frame(tc, width: int, part: str, styles: DeckStyles, fonts: FontBook, theme: dict[str, str], read):
    """(text frame, top and bottom margins in points) of a cell's text laid out as a box of its column's
    width, or None (no text). The frame holds copies of the cell's paragraphs (see :func:`write_back`)."""
    body = tc.find(q("a:txBody"))
    if body is None or width <= 0:
        return None
    tc_pr = tc.find(q("a:tcPr"))
    margins = {ins: int_attr(tc_pr.get(mar) if tc_pr is not None else None, d) for mar, ins, d in _MARGINS}
    sp = etree.Element(q("p:sp"))
    xfrm = etree.SubElement(etree.SubElement(sp, q("p:spPr")), q("a:xfrm"))
    etree.SubElement(xfrm, q("a:off"), x="0", y="0")
    etree.SubElement(xfrm, q("a:ext"), cx=str(width), cy="1")
    tx = etree.SubElement(sp, q("p:txBody"))
    etree.SubElement(tx, q("a:bodyPr"), {k: str(v) for k, v in margins.items()})
    tx.extend(copy.deepcopy(el) for el in body if el.tag != q("a:bodyPr"))
    text = read(sp, part, styles, fonts, theme)
    if text is None or not text.has_text():
        return None
    return text, (margins["tIns"] + margins["bIns"]) / EMU_PER_PT


def write_back(tc, frame) -> None:
    """Put the paragraphs of ``frame`` (from :func:`cell_frame`, sizes applied) back into cell ``tc``."""
    body = tc.find(q("a:txBody"))
    for el in [el for el in body if el.tag != q("a:bodyPr")]:
        body.remove(el)
    body.extend(el for el in list(frame.sp.find(q("p:txBody"))) if el.tag != q("a:bodyPr"))
