#!/usr/bin/env python3
"""Generate the bundled ``walk-away`` template: templates/walk-away/template.pptx.

    python tools/make_walkaway_template.py [--out PATH]

The deck is built with python-pptx from scratch so it can be reviewed and regenerated
deterministically (same bytes on every run with the same library versions). Design rules:

* 16:9, 13.333 x 7.5 in, one grid: 0.6 in side margins, an accent bar and the title at the
  same spot on every content slide, content between 1.85 in and 6.6 in, footer at 6.9 in.
* Colour only from the theme (tx1/tx2/bg1/bg2/accent1-3, with brightness for tints), fonts only
  +mj-lt (headings) and +mn-lt (body), so a brand kit restyles everything by rewriting the theme.
  The theme written here is the Ridgeline example brand, read from brand/ridgeline/brand.yaml.
* Plain text boxes on the Blank layout with meaningful shape names; word wrap on, autofit off.
* Body text 24 pt or more, labels 14-20 pt, footers 11 pt.

Tags follow docs/context.md; see templates/walk-away/template.yaml for the variables used.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import re
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path

import yaml
from lxml import etree
from PIL import Image, ImageDraw
from pptx import Presentation
from pptx.chart.data import CategoryChartData
from pptx.enum.chart import XL_CHART_TYPE, XL_LABEL_POSITION, XL_LEGEND_POSITION, XL_TICK_MARK
from pptx.enum.dml import MSO_THEME_COLOR
from pptx.enum.shapes import MSO_SHAPE, PP_PLACEHOLDER
from pptx.enum.text import MSO_ANCHOR, MSO_AUTO_SIZE, PP_ALIGN
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.oxml.ns import qn
from pptx.util import Emu, Inches, Pt

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from deckgen.sales.coaching import STORYLINE_SLIDES  # noqa: E402  (which storylines show which slide)

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "templates" / "walk-away" / "template.pptx"
BRAND = ROOT / "brand" / "ridgeline" / "brand.yaml"

A = "http://schemas.openxmlformats.org/drawingml/2006/main"
FIXED_TIME = dt.datetime(2025, 1, 1, 0, 0, 0)
ZIP_TIME = (1980, 1, 1, 0, 0, 0)

# --------------------------------------------------------------------------- the grid (inches)

SLIDE_W, SLIDE_H = 13.333, 7.5
MARGIN = 0.6
CONTENT_W = SLIDE_W - 2 * MARGIN  # 12.133
BAR_Y = 0.45  # accent bar above the title
TITLE_Y, TITLE_H = 0.62, 1.12  # room for a two-line headline that states the message
BODY_Y = 1.95  # content starts here on every content slide
BODY_BOTTOM = 6.6
NEEDS_Y = 4.3  # the fit slide's band of what we need from them
FOOTER_Y, FOOTER_H = 6.92, 0.3
COL_GAP = 0.5
LOGO_RATIO = 1200 / 328  # the bundled logos' aspect
ALT_LOGO = "Our company logo"  # what a screen reader says for the MSP's logo (the engine finds it by name)

# --------------------------------------------------------------------------- type styles

TX1, TX2 = MSO_THEME_COLOR.TEXT_1, MSO_THEME_COLOR.TEXT_2
BG1, BG2 = MSO_THEME_COLOR.BACKGROUND_1, MSO_THEME_COLOR.BACKGROUND_2
ACC1, ACC2, ACC3 = MSO_THEME_COLOR.ACCENT_1, MSO_THEME_COLOR.ACCENT_2, MSO_THEME_COLOR.ACCENT_3
SOFT = 0.25  # tx1 lightened 25 %: secondary text, still > 4.5:1 on white and on bg2


@dataclass(frozen=True)
class Style:
    size: float
    color: MSO_THEME_COLOR = TX1
    brightness: float = 0.0
    bold: bool = False
    heading: bool = False  # +mj-lt instead of +mn-lt
    caps: bool = False
    spacing: int | None = None  # letter spacing, 1/100 pt


TITLE = Style(32, TX2, bold=True, heading=True)
BODY = Style(24)
BODY_L = Style(28)
SOFT_BODY = Style(24, TX1, SOFT)
LABEL = Style(14, ACC2, bold=True, caps=True, spacing=120)
CAPTION = Style(16, TX1, SOFT)
FOOTER = Style(11, TX1, SOFT)


# --------------------------------------------------------------------------- low-level helpers


def _sub(parent, tag: str, **attrs):
    el = etree.SubElement(parent, qn(tag))
    for k, v in attrs.items():
        el.set(k, str(v))
    return el


def _scheme(parent, tag: str, color: MSO_THEME_COLOR, brightness: float = 0.0):
    """<tag><a:schemeClr val=…>[lumMod/lumOff]</a:schemeClr></tag> appended to parent."""
    holder = _sub(parent, tag)
    _scheme_into(holder, color, brightness)
    return holder


_SCHEME_VAL = {
    TX1: "tx1",
    TX2: "tx2",
    BG1: "bg1",
    BG2: "bg2",
    ACC1: "accent1",
    ACC2: "accent2",
    ACC3: "accent3",
}


def _scheme_into(holder, color: MSO_THEME_COLOR, brightness: float = 0.0):
    clr = _sub(holder, "a:schemeClr", val=_SCHEME_VAL[color])
    if brightness > 0:
        _sub(clr, "a:lumMod", val=round((1 - brightness) * 100000))
        _sub(clr, "a:lumOff", val=round(brightness * 100000))
    elif brightness < 0:
        _sub(clr, "a:lumMod", val=round((1 + brightness) * 100000))
    return clr


def style_run(run, st: Style) -> None:
    f = run.font
    f.size = Pt(st.size)
    f.bold = st.bold
    f.color.theme_color = st.color
    if st.brightness:
        f.color.brightness = st.brightness
    rpr = run._r.get_or_add_rPr()
    rpr.set("lang", "en-US")
    if st.caps:
        rpr.set("cap", "all")
    if st.spacing:
        rpr.set("spc", str(st.spacing))
    f.name = "+mj-lt" if st.heading else "+mn-lt"  # theme font reference, not a family name
    latin = rpr.find(qn("a:latin"))
    ea = etree.Element(qn("a:ea"))
    ea.set("typeface", "+mj-ea" if st.heading else "+mn-ea")
    latin.addnext(ea)


@dataclass
class Para:
    runs: list  # [(text, Style)]
    align: PP_ALIGN = PP_ALIGN.LEFT
    line: float = 1.0
    before: float = 0
    after: float = 0
    bullet: str | None = None  # "•" or "num" (1. 2. 3.)


def P(text: str, st: Style, **kw) -> Para:
    return Para([(text, st)], **kw)


def _bullet(p, kind: str) -> None:
    ppr = p._p.get_or_add_pPr()
    indent = Emu(Inches(0.45 if kind == "num" else 0.4))
    ppr.set("marL", str(indent))
    ppr.set("indent", str(-indent))
    _scheme(ppr, "a:buClr", ACC2)
    _sub(ppr, "a:buSzPct", val=100000)
    _sub(ppr, "a:buFontTx")
    if kind == "num":
        _sub(ppr, "a:buAutoNum", type="arabicPeriod")
    else:
        _sub(ppr, "a:buChar", char=kind)


def fill_text(tf, paras: list[Para]) -> None:
    for i, spec in enumerate(paras):
        p = tf.paragraphs[0] if i == 0 else tf.add_paragraph()
        p.alignment = spec.align
        p.line_spacing = spec.line
        p.space_before = Pt(spec.before)
        p.space_after = Pt(spec.after)
        for text, st in spec.runs:
            if text.startswith("<slidenum>"):
                _slide_number_field(p, st)
                continue
            style_run(p.add_run(), st)
            p.runs[-1].text = text
        if spec.bullet:
            _bullet(p, spec.bullet)


def _slide_number_field(p, st: Style) -> None:
    """A native slide-number field: stays right when the engine drops or repeats slides."""
    run = p.add_run()
    style_run(run, st)
    r = run._r
    fld = etree.Element(qn("a:fld"))
    fld.set("id", "{4F1C2D3E-5A6B-4C7D-8E9F-0A1B2C3D4E5F}")
    fld.set("type", "slidenum")
    fld.append(r.find(qn("a:rPr")))
    t = _sub(fld, "a:t")
    t.text = "‹#›"
    r.addprevious(fld)
    r.getparent().remove(r)


def textbox(slide, name: str, x, y, w, h, paras: list[Para], anchor=MSO_ANCHOR.TOP):
    shape = slide.shapes.add_textbox(Inches(x), Inches(y), Inches(w), Inches(h))
    shape.name = name
    tf = shape.text_frame
    tf.word_wrap = True
    tf.auto_size = MSO_AUTO_SIZE.NONE
    tf.margin_left = tf.margin_right = tf.margin_top = tf.margin_bottom = 0
    tf.vertical_anchor = anchor
    fill_text(tf, paras)
    return shape


def rect(slide, name: str, x, y, w, h, color: MSO_THEME_COLOR, brightness: float = 0.0):
    return slide_shape(slide, MSO_SHAPE.RECTANGLE, name, x, y, w, h, color, brightness)


def slide_shape(slide, kind, name: str, x, y, w, h, color: MSO_THEME_COLOR, brightness: float = 0.0):
    """A filled, outline-free autoshape in a theme colour."""
    shape = slide.shapes.add_shape(kind, Inches(x), Inches(y), Inches(w), Inches(h))
    shape.name = name
    shape.fill.solid()
    shape.fill.fore_color.theme_color = color
    if brightness:
        shape.fill.fore_color.brightness = brightness
    shape.line.fill.background()
    style = shape._element.find(qn("p:style"))  # drop python-pptx's default shape style
    if style is not None:
        shape._element.remove(style)
    return shape


def placeholder_png() -> bytes:
    """A neutral dashed 'LOGO' frame; the engine swaps in the brand logo."""
    s = 4
    w, h = 600, round(600 / LOGO_RATIO)
    img = Image.new("RGBA", (w * s, h * s), (0, 0, 0, 0))
    d = ImageDraw.Draw(img)
    grey = (138, 148, 166, 255)
    dash, gap, lw = 28 * s, 16 * s, 4 * s
    x0, y0, x1, y1 = lw, lw, w * s - lw, h * s - lw
    for a, b, fixed, horizontal in ((x0, x1, y0, True), (x0, x1, y1, True), (y0, y1, x0, False), (y0, y1, x1, False)):
        pos = a
        while pos < b:
            end = min(pos + dash, b)
            box = (
                (pos, fixed - lw // 2, end, fixed + lw // 2)
                if horizontal
                else (fixed - lw // 2, pos, fixed + lw // 2, end)
            )
            d.rectangle(box, fill=grey)
            pos = end + gap
    # the word LOGO drawn from rectangles (no font dependency)
    u = 12 * s  # stroke
    lh = 90 * s
    lx = (w * s - (4 * 60 * s + 3 * 26 * s)) // 2
    ly = (h * s - lh) // 2

    def box(x, y, bw, bh):
        d.rectangle((x, y, x + bw, y + bh), fill=grey)

    # L
    box(lx, ly, u, lh)
    box(lx, ly + lh - u, 60 * s, u)
    lx += 86 * s
    # O
    box(lx, ly, 60 * s, u)
    box(lx, ly + lh - u, 60 * s, u)
    box(lx, ly, u, lh)
    box(lx + 60 * s - u, ly, u, lh)
    lx += 86 * s
    # G
    box(lx, ly, 60 * s, u)
    box(lx, ly + lh - u, 60 * s, u)
    box(lx, ly, u, lh)
    box(lx + 60 * s - u, ly + lh // 2, u, lh // 2)
    box(lx + 30 * s, ly + lh // 2, 30 * s, u)
    lx += 86 * s
    # O
    box(lx, ly, 60 * s, u)
    box(lx, ly + lh - u, 60 * s, u)
    box(lx, ly, u, lh)
    box(lx + 60 * s - u, ly, u, lh)
    img = img.resize((w, h), Image.LANCZOS)
    buf = io.BytesIO()
    img.save(buf, format="PNG", optimize=True)
    return buf.getvalue()


def logo(slide, name: str, x, y, w, png: bytes):
    h = w / LOGO_RATIO
    pic = slide.shapes.add_picture(io.BytesIO(png), Inches(x), Inches(y), Inches(w), Inches(h))
    pic.name = name
    pic._element.nvPicPr.cNvPr.set("descr", ALT_LOGO)
    return pic


def notes(slide, lines: list[str]) -> None:
    slide.notes_slide.notes_text_frame.text = "\n".join(lines)


# --------------------------------------------------------------------------- table helpers


def _cell(
    cell, paras: list[Para], *, first_col: bool, last_col: bool, bottom: tuple | None, anchor: str = "t", pad=0.12
) -> None:
    cell.margin_left = 0 if first_col else Inches(0.2)
    cell.margin_right = 0 if last_col else Inches(0.2)
    cell.margin_top = Inches(pad)
    cell.margin_bottom = Inches(pad)
    tf = cell.text_frame
    tf.word_wrap = True
    fill_text(tf, paras)
    tcPr = cell._tc.get_or_add_tcPr()
    tcPr.set("anchor", anchor)
    for child in list(tcPr):
        tcPr.remove(child)
    for side in ("a:lnL", "a:lnR", "a:lnT"):
        ln = _sub(tcPr, side, w=0)
        _sub(ln, "a:noFill")
    if bottom:
        color, brightness, width = bottom
        ln = _sub(tcPr, "a:lnB", w=Emu(Pt(width)), cap="flat", cmpd="sng")
        _scheme(ln, "a:solidFill", color, brightness)
    else:
        ln = _sub(tcPr, "a:lnB", w=0)
        _sub(ln, "a:noFill")
    _sub(tcPr, "a:noFill")


def table(
    slide,
    name: str,
    x,
    y,
    col_widths: list[float],
    rows: list[list[list[Para]]],
    row_heights: list[float],
    borders: list[tuple | None],
    pad: float = 0.12,
):
    shape = slide.shapes.add_table(
        len(rows), len(col_widths), Inches(x), Inches(y), Inches(sum(col_widths)), Inches(sum(row_heights))
    )
    shape.name = name
    tbl = shape.table
    tbl.first_row = False
    tbl.horz_banding = False
    tbl._tbl.tblPr.find(qn("a:tableStyleId")).text = "{2D5ABB26-0587-4C30-8999-92F81FD0307C}"  # No Style, No Grid
    for i, wd in enumerate(col_widths):
        tbl.columns[i].width = Inches(wd)
    for r, cells in enumerate(rows):
        tbl.rows[r].height = Inches(row_heights[r])
        for c, paras in enumerate(cells):
            last = c == len(cells) - 1
            _cell(tbl.cell(r, c), paras, first_col=c == 0, last_col=last, bottom=borders[r], pad=pad)
    return shape


# --------------------------------------------------------------------------- chart helpers


def _no_fill_sppr(parent, before_tags: tuple[str, ...]):
    """Insert <c:spPr> with no fill and no line before the first of before_tags."""
    sppr = etree.Element(qn("c:spPr"))
    _sub(sppr, "a:noFill")
    ln = _sub(sppr, "a:ln")
    _sub(ln, "a:noFill")
    for tag in before_tags:
        nxt = parent.find(qn(tag))
        if nxt is not None:
            nxt.addprevious(sppr)
            return sppr
    parent.append(sppr)
    return sppr


def _chart_text(chart, size: float) -> None:
    chart.font.size = Pt(size)
    chart.font.color.theme_color = TX1
    chart.font.color.brightness = SOFT
    chart.font.name = "+mn-lt"
    defrpr = chart._chartSpace.find(qn("c:txPr")).find(".//" + qn("a:defRPr"))
    latin = defrpr.find(qn("a:latin"))
    ea = etree.Element(qn("a:ea"))
    ea.set("typeface", "+mn-ea")
    latin.addnext(ea)


def _frameless(chart) -> None:
    cs = chart._chartSpace
    _no_fill_sppr(cs, ("c:txPr", "c:externalData"))
    plot_area = cs.find(".//" + qn("c:plotArea"))
    _no_fill_sppr(plot_area, ("c:extLst",))
    rounded = cs.find(qn("c:roundedCorners"))
    if rounded is None:
        rounded = etree.Element(qn("c:roundedCorners"))
        cs.find(qn("c:chart")).addprevious(rounded)
    rounded.set("val", "0")


def _plot_layout(chart, x: float, y: float, w: float, h: float) -> None:
    """Pin the inner plot area (fractions of the chart frame) instead of letting it auto-fit."""
    plot_area = chart._chartSpace.find(".//" + qn("c:plotArea"))
    old = plot_area.find(qn("c:layout"))
    if old is not None:
        plot_area.remove(old)
    layout = etree.Element(qn("c:layout"))
    manual = _sub(layout, "c:manualLayout")
    _sub(manual, "c:layoutTarget", val="inner")
    _sub(manual, "c:xMode", val="edge")
    _sub(manual, "c:yMode", val="edge")
    for tag, val in (("c:x", x), ("c:y", y), ("c:w", w), ("c:h", h)):
        _sub(manual, tag, val=val)
    plot_area.insert(0, layout)


COST_CHART_TITLE = "Cumulative cost over {{ costs.comparison.months }} months, in {{ currency }}"


def cost_chart(slide, x, y, w, h):
    data = CategoryChartData(number_format="#,##0")
    data.categories = ["12 months", "24 months", "36 months"]
    data.add_series("Break-fix", (41000, 82000, 123000))
    data.add_series("Managed", (33500, 59000, 84500))
    frame = slide.shapes.add_chart(XL_CHART_TYPE.COLUMN_CLUSTERED, Inches(x), Inches(y), Inches(w), Inches(h), data)
    frame.name = "cost_comparison"
    chart = frame.chart
    _chart_text(chart, 16)
    # what the bars are, for a reader with only the chart: running totals, in the deck's currency
    chart.has_title = True
    chart.chart_title.include_in_layout = False
    title = chart.chart_title.text_frame.paragraphs[0]
    title.text = COST_CHART_TITLE
    title.runs[0].font.size = Pt(16)
    title.runs[0].font.bold = True
    title.runs[0].font.color.theme_color = TX1
    chart.has_legend = True
    chart.legend.position = XL_LEGEND_POSITION.TOP
    chart.legend.include_in_layout = False
    chart.legend.font.size = Pt(16)
    plot = chart.plots[0]
    # wide bars, apart: each label ("$198,915", "198.915 €") stays over its own bar
    plot.gap_width = 45
    plot.overlap = -20
    plot.vary_by_categories = False
    for series, (color, brightness) in zip(plot.series, ((ACC3, 0.0), (ACC1, 0.0))):
        series.format.fill.solid()
        series.format.fill.fore_color.theme_color = color
        if brightness:
            series.format.fill.fore_color.brightness = brightness
        series.format.line.fill.background()
        series.invert_if_negative = False
    plot.has_data_labels = True
    labels = plot.data_labels
    labels.number_format = "#,##0"
    labels.number_format_is_linked = False
    labels.position = XL_LABEL_POSITION.OUTSIDE_END
    labels.font.size = Pt(16)
    labels.font.bold = True
    labels.font.color.theme_color = TX1
    va = chart.value_axis
    va.has_major_gridlines = False
    va.has_minor_gridlines = False
    va.minimum_scale = 0
    va.visible = False
    ca = chart.category_axis
    ca.major_tick_mark = XL_TICK_MARK.NONE
    ca.format.line.fill.solid()
    ca.format.line.fill.fore_color.theme_color = TX1
    ca.format.line.fill.fore_color.brightness = 0.6
    ca.format.line.width = Pt(1)
    ca.tick_labels.font.size = Pt(16)
    _frameless(chart)
    return frame


def fit_chart(slide, x, y, w, h):
    data = CategoryChartData(number_format="0")
    data.categories = ["Industry", "Size", "Current IT", "Compliance", "Location", "Budget", "Decision maker"]
    data.add_series("Points", (20, 10, 15, 15, 10, 5, 10))
    data.add_series("Possible", (20, 20, 15, 15, 10, 10, 10))
    frame = slide.shapes.add_chart(XL_CHART_TYPE.BAR_CLUSTERED, Inches(x), Inches(y), Inches(w), Inches(h), data)
    frame.name = "fit_scorecard"
    chart = frame.chart
    chart.has_title = False
    _chart_text(chart, 16)
    chart.has_legend = False
    plot = chart.plots[0]
    plot.gap_width = 55
    plot.overlap = 100  # "Possible" is an outline drawn over the "Points" bar: a gauge per criterion
    plot.vary_by_categories = False
    points, possible = plot.series
    points.format.fill.solid()
    points.format.fill.fore_color.theme_color = ACC2
    points.format.line.fill.background()
    points.invert_if_negative = False
    possible.format.fill.background()
    possible.format.line.fill.solid()
    possible.format.line.fill.fore_color.theme_color = ACC2
    possible.format.line.width = Pt(1.5)
    possible.invert_if_negative = False
    va = chart.value_axis
    va.has_major_gridlines = False
    va.minimum_scale = 0
    va.visible = False
    ca = chart.category_axis
    ca.reverse_order = True  # first criterion on top
    ca.major_tick_mark = XL_TICK_MARK.NONE
    ca.format.line.fill.background()
    ca.tick_labels.font.size = Pt(16)
    ca.tick_labels.font.color.theme_color = TX1
    _frameless(chart)
    offset = ca._element.find(qn("c:lblOffset"))
    if offset is not None:
        offset.set("val", "300")  # breathing room between label and bar
    _plot_layout(chart, x=0.26, y=0.02, w=0.72, h=0.96)  # room for two-word criterion labels on one line
    return frame


# --------------------------------------------------------------------------- theme and package


def theme_xml(brand: dict) -> bytes:
    c = {k: str(v).lstrip("#").upper() for k, v in brand["colors"].items() if v}
    f = brand.get("fonts", {})
    head, body, ea = f.get("heading", "Carlito"), f.get("body", "Carlito"), f.get("east_asian", "")
    muted = c.get("muted", "EEF2F6")

    def font(latin):
        return f'<a:latin typeface="{latin}"/><a:ea typeface="{ea}"/><a:cs typeface=""/>'

    fills = '<a:solidFill><a:schemeClr val="phClr"/></a:solidFill>' * 3
    lines = "".join(
        f'<a:ln w="{w}" cap="flat" cmpd="sng" algn="ctr"><a:solidFill><a:schemeClr val="phClr"/></a:solidFill>'
        f'<a:prstDash val="solid"/><a:miter lim="800000"/></a:ln>'
        for w in (9525, 19050, 28575)
    )
    effects = "<a:effectStyle><a:effectLst/></a:effectStyle>" * 3
    xml = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<a:theme xmlns:a="{A}" name="Walk-away">'
        f"<a:themeElements>"
        f'<a:clrScheme name="{brand["name"]}">'
        f'<a:dk1><a:srgbClr val="{c["text"]}"/></a:dk1><a:lt1><a:srgbClr val="{c["background"]}"/></a:lt1>'
        f'<a:dk2><a:srgbClr val="{c["primary"]}"/></a:dk2><a:lt2><a:srgbClr val="{muted}"/></a:lt2>'
        f'<a:accent1><a:srgbClr val="{c["primary"]}"/></a:accent1>'
        f'<a:accent2><a:srgbClr val="{c["secondary"]}"/></a:accent2>'
        f'<a:accent3><a:srgbClr val="{c["accent"]}"/></a:accent3>'
        f'<a:accent4><a:srgbClr val="4F77A8"/></a:accent4>'
        f'<a:accent5><a:srgbClr val="5CB8AD"/></a:accent5>'
        f'<a:accent6><a:srgbClr val="8A96A3"/></a:accent6>'
        f'<a:hlink><a:srgbClr val="{c["secondary"]}"/></a:hlink>'
        f'<a:folHlink><a:srgbClr val="{c["primary"]}"/></a:folHlink>'
        f"</a:clrScheme>"
        f'<a:fontScheme name="{brand["name"]}"><a:majorFont>{font(head)}</a:majorFont>'
        f"<a:minorFont>{font(body)}</a:minorFont></a:fontScheme>"
        f'<a:fmtScheme name="Flat"><a:fillStyleLst>{fills}</a:fillStyleLst><a:lnStyleLst>{lines}</a:lnStyleLst>'
        f"<a:effectStyleLst>{effects}</a:effectStyleLst><a:bgFillStyleLst>{fills}</a:bgFillStyleLst></a:fmtScheme>"
        f"</a:themeElements><a:objectDefaults/><a:extraClrSchemeLst/></a:theme>"
    )
    return xml.encode("utf-8")


APP_XML = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" '
    b'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
    b"<TotalTime>0</TotalTime><Words>0</Words><PresentationFormat>Widescreen</PresentationFormat>"
    b"<Paragraphs>0</Paragraphs><Slides>11</Slides><Notes>11</Notes><HiddenSlides>0</HiddenSlides>"
    b"<MMClips>0</MMClips><ScaleCrop>false</ScaleCrop><LinksUpToDate>false</LinksUpToDate>"
    b"<SharedDoc>false</SharedDoc><HyperlinksChanged>false</HyperlinksChanged><AppVersion>16.0000</AppVersion>"
    b"</Properties>"
)


def prepare_package(prs, brand: dict):
    """16:9, the brand theme, only the Title Only layout (every slide has a real title), no thumbnail."""
    old_w = prs.slide_width
    prs.slide_width, prs.slide_height = Inches(SLIDE_W), Inches(SLIDE_H)
    prs.part._element.find(qn("p:sldSz")).attrib.pop("type", None)
    factor = prs.slide_width / old_w
    master = prs.slide_master
    blank = next(lo for lo in prs.slide_layouts if lo.name == "Title Only")
    # keep one master and one layout
    id_lst = master._element.find(qn("p:sldLayoutIdLst"))
    for entry in list(id_lst):
        rid = entry.get(qn("r:id"))
        if master.part.related_part(rid) is not blank.part:
            id_lst.remove(entry)
            master.part.drop_rel(rid)
    # stretch the master's and layout's placeholders to the wider slide
    for part_el in (master._element, blank._element):
        for off in part_el.iter(qn("a:off")):
            off.set("x", str(round(int(off.get("x")) * factor)))
        for ext in part_el.iter(qn("a:ext")):
            if ext.get("cx") is not None:
                ext.set("cx", str(round(int(ext.get("cx")) * factor)))
    for bu_font in list(master._element.iter(qn("a:buFont"))):  # bullets follow the text's theme font
        bu_font.addprevious(etree.Element(qn("a:buFontTx")))
        bu_font.getparent().remove(bu_font)
    _title_layout(blank)
    theme_part = master.part.part_related_by(RT.THEME)
    theme_part._blob = theme_xml(brand)
    _package_cleanup(prs)
    return blank


def _title_layout(layout) -> None:
    """The layout's title placeholder on the grid; its date, footer and number placeholders removed."""
    for ph in list(layout.placeholders):
        if ph.placeholder_format.type not in (PP_PLACEHOLDER.TITLE, PP_PLACEHOLDER.CENTER_TITLE):
            ph._element.getparent().remove(ph._element)
            continue
        ph.left, ph.top, ph.width, ph.height = Inches(MARGIN), Inches(TITLE_Y), Inches(CONTENT_W), Inches(TITLE_H)


def title_placeholder(slide, name: str, x, y, w, h, paras: list[Para], anchor=MSO_ANCHOR.TOP):
    """The slide's title placeholder (outline view, accessibility checker, screen readers), on the grid."""
    shape = slide.shapes.title
    shape.name = name
    shape.left, shape.top, shape.width, shape.height = Inches(x), Inches(y), Inches(w), Inches(h)
    tf = shape.text_frame
    tf.word_wrap = True
    tf.auto_size = MSO_AUTO_SIZE.NONE
    tf.margin_left = tf.margin_right = tf.margin_top = tf.margin_bottom = 0
    tf.vertical_anchor = anchor
    fill_text(tf, paras)
    return shape


def footer_last(slide) -> None:
    """Reading order = visual order: the footer and slide number are read last."""
    tree = slide.shapes._spTree
    for shape in list(slide.shapes):
        if shape.name in ("Footer", "Slide number"):
            tree.append(shape._element)


def brand_notes_master(prs, brand: dict) -> None:
    """Give the notes master (created with the first notes slide) the same theme."""
    notes_master = prs.notes_master
    notes_master.part.part_related_by(RT.THEME)._blob = theme_xml(brand)
    root = notes_master._element
    for prst in root.iter(qn("a:prstClr")):  # the slide-image frame's black outline
        prst.addprevious(etree.Element(qn("a:schemeClr"), val="tx1"))
        prst.getparent().remove(prst)
    for sp in root.iter(qn("p:sp")):  # a 16:9 slide image on the notes page
        ph = sp.find(".//" + qn("p:ph"))
        if ph is not None and ph.get("type") == "sldImg":
            xfrm = sp.find(".//" + qn("a:xfrm"))
            xfrm.find(qn("a:off")).set("x", str(Inches(0.75)))
            xfrm.find(qn("a:off")).set("y", str(Inches(0.75)))
            xfrm.find(qn("a:ext")).set("cx", str(Inches(6.0)))
            xfrm.find(qn("a:ext")).set("cy", str(Inches(3.375)))


def _package_cleanup(prs) -> None:
    """No thumbnail or printer settings; fixed, tool-neutral document properties."""
    for rid, rel in list(prs.part.rels.items()):
        if rel.reltype == RT.PRINTER_SETTINGS:
            prs.part.drop_rel(rid)
    pkg = prs.part.package
    for rid, rel in list(pkg._rels.items()):
        if rel.reltype == RT.THUMBNAIL:
            pkg._rels.pop(rid)
        if rel.reltype == RT.EXTENDED_PROPERTIES:
            rel.target_part._blob = APP_XML
    cp = prs.core_properties
    cp.title = "Walk-away pitch deck (deckgen template)"
    cp.subject = "Per-prospect MSP pitch deck ending in a walk-away close"
    cp.author = "deckgen"
    cp.last_modified_by = "deckgen"
    cp.keywords = "deckgen; template; walk-away"
    cp.comments = ""
    cp.category = "template"
    cp.revision = 1
    cp.created = FIXED_TIME
    cp.modified = FIXED_TIME
    cp.last_printed = FIXED_TIME


def count_slides(prs) -> None:
    """The document properties' slide and notes counts, once every slide is made."""
    n = str(len(prs.slides)).encode()
    for rel in prs.part.package._rels.values():
        if rel.reltype == RT.EXTENDED_PROPERTIES:
            blob = re.sub(rb"<Slides>\d+</Slides>", b"<Slides>" + n + b"</Slides>", rel.target_part._blob)
            rel.target_part._blob = re.sub(rb"<Notes>\d+</Notes>", b"<Notes>" + n + b"</Notes>", blob)


def _deterministic_xlsx(blob: bytes) -> bytes:
    src = zipfile.ZipFile(io.BytesIO(blob))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:(created|modified)[^>]*>)[^<]*", rb"\g<1>2025-01-01T00:00:00Z", data)
            zi = zipfile.ZipInfo(info.filename, ZIP_TIME)
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o644 << 16
            dst.writestr(zi, data)
    return out.getvalue()


def deterministic_zip(blob: bytes) -> bytes:
    """Rewrite the package with fixed timestamps (and fixed dates inside embedded workbooks)."""
    src = zipfile.ZipFile(io.BytesIO(blob))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename.endswith(".xlsx"):
                data = _deterministic_xlsx(data)
            zi = zipfile.ZipInfo(info.filename, ZIP_TIME)
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o644 << 16
            dst.writestr(zi, data, compresslevel=9)
    return out.getvalue()


# --------------------------------------------------------------------------- the slides


def content_slide(prs, layout, title: str, footer: str = "{{ brand.footer }}"):
    """A white slide on the common grid: accent bar, title, footer and slide number."""
    slide = prs.slides.add_slide(layout)
    rect(slide, "Title accent", MARGIN, BAR_Y, 0.7, 0.08, ACC3)
    title_placeholder(
        slide, "Title", MARGIN, TITLE_Y, CONTENT_W, TITLE_H, [P(title, TITLE, line=0.92)], anchor=MSO_ANCHOR.TOP
    )
    textbox(slide, "Footer", MARGIN, FOOTER_Y, 10.6, FOOTER_H, [P(footer, FOOTER)], anchor=MSO_ANCHOR.BOTTOM)
    textbox(
        slide,
        "Slide number",
        SLIDE_W - MARGIN - 1.5,
        FOOTER_Y,
        1.5,
        FOOTER_H,
        [P("<slidenum>", FOOTER, align=PP_ALIGN.RIGHT)],
        anchor=MSO_ANCHOR.BOTTOM,
    )
    return slide


def dark_slide(prs, layout):
    slide = prs.slides.add_slide(layout)
    fill = slide.background.fill
    fill.solid()
    fill.fore_color.theme_color = TX2
    return slide


def keep_for(key: str, when: str = "") -> str:
    """A slide directive: keep slide ``key`` only in the storylines that show it
    (deckgen.sales.coaching.STORYLINE_SLIDES), and only ``when``."""
    storylines = [name for name, keys in STORYLINE_SLIDES.items() if key in keys]
    names = ", ".join(f"'{name}'" for name in storylines)
    extra = f" and ({when})" if when else ""
    return f"{{%slide if deck.storyline in [{names}]{extra} %}}"


# a walk-away for their size or industry: the parting is about fit, so the standards are not up for debate
PARTS_ON_FIT = "deck.parting_reason in ['too_small', 'too_large', 'industry']"


def coach(key: str) -> list[str]:
    """The notes' coaching for slide ``key`` (deck.coach): the aim here, the likely objection and the
    seller's own notes on it. Lines whose data is empty render as empty paragraphs."""
    c = f"deck.coach.{key}"
    return [
        f"AIM HERE: {{{{ {c}.guidance }}}}",
        f"{{% if {c}.says %}}THEY MAY SAY: “{{{{ {c}.says }}}}” (why we expect it: {{{{ {c}.why }}}}){{% endif %}}",
        f"{{% if {c}.says %}}ANSWER: {{{{ {c}.answer }}}}{{% endif %}}",
        f"{{% if {c}.avoid %}}AVOID: {{{{ {c}.avoid }}}}{{% endif %}}",
        f"{{% if {c}.note %}}FROM YOUR NOTES: {{{{ {c}.note }}}}{{% endif %}}",
    ]


# --------------------------------------------------------------------------- the investment slides

PLAN_TITLE = (
    "Your plan: {{ costs.managed.per_month | money }} a month"
    "{% if costs.users_known %} · {{ costs.users }} users{% endif %}"
    "{% for c in deck.plan.counts if c.key == 'sites' %} · {{ c.label }}"
    "{% if c.source == 'assumed' %} (assumed){% endif %}{% endfor %}"
)
# what the plan's price counts and where each count came from: the rate card says it under the table
PLAN_COUNTS = (
    "{% if deck.plan.counts %}Priced for {% for c in deck.plan.counts %}{{ c.label }} "
    "({{ 'your figure' if c.source == 'prospect' else 'assumed, one per user' if c.key == 'devices' "
    "else 'assumed' }}){{ ', ' if not loop.last else '.' }}{% endfor %}"
    "{% endif %}"
)
DISCLAIMER = "{{ brand.disclaimer if brand.disclaimer else brand.footer }}"
TIERS = "deck.plan.tiers"
CARD_H = 2.75
ADDONS_Y = BODY_Y + CARD_H + 0.4
MAX_ADDONS = 2  # on the slide; the notes list every one


def _recommended_at(i: int | None, n: int) -> str:
    """A condition: the first recommended tier among the first ``n`` is number ``i`` (None: none is)."""
    if i is None:
        return f"not ({TIERS}[:{n}]|selectattr('recommended')|list)"
    first = f" and not ({TIERS}[:{i}]|selectattr('recommended')|list)" if i else ""
    return f"{TIERS}[{i}].recommended{first}"


def _tier_card(slide, i: int, x: float, w: float, recommended: bool) -> None:
    """One option: a panel with its name and monthly figure; the recommended one dark and labelled."""
    fill, name_c, price_c, soft = (TX2, BG1, BG1, BG2) if recommended else (BG2, TX2, TX1, TX1)
    rect(slide, f"Tier {i + 1} panel", x, BODY_Y, w, CARD_H, fill)
    pad = 0.35
    tier = f"{TIERS}[{i}]"
    textbox(
        slide,
        f"Tier {i + 1}",
        x + pad,
        BODY_Y + pad,
        w - 2 * pad,
        CARD_H - 2 * pad,
        [
            P("Recommended" if recommended else "", Style(14, soft, bold=True, caps=True, spacing=120), after=6),
            P(f"{{{{ {tier}.name }}}}", Style(28, name_c, bold=True, heading=True), line=1.0),
            P(f"{{{{ {tier}.per_month | money }}}}", Style(44, price_c, bold=True, heading=True), line=1.0, before=10),
            P("a month", Style(20, soft, SOFT if not recommended else 0.0), line=1.0),
        ],
        anchor=MSO_ANCHOR.TOP,
    )


def _addons(slide) -> None:
    """The optional add-ons under the options: a label and one line each (name, then what it adds a month)."""
    textbox(
        slide,
        "Add-ons",
        MARGIN,
        ADDONS_Y,
        CONTENT_W,
        BODY_BOTTOM - ADDONS_Y,
        [
            P("{% if deck.plan.addons %}Optional add-ons{% endif %}", LABEL, after=8),
            Para(
                [
                    (f"{{% for a in deck.plan.addons[:{MAX_ADDONS}] %}}{{{{ a.name }}}}", Style(24, TX2, bold=True)),
                    (
                        "  +{{ (a.per_month if a.per_month is not none else a.price) | money }} "
                        "{{ 'a month' if a.per_month is not none else a.unit_label }}{% endfor %}",
                        Style(24, TX1, SOFT),
                    ),
                ],
                line=1.0,
                after=6,
            ),
        ],
    )


PLAN_NOTES = [
    "PURPOSE: one number, then the choice. Say the recommended figure once and stop talking.",
    *coach("investment"),
    "HOW EVERY FIGURE ADDS UP (for {{ deck.plan.users }} users, {{ deck.plan.devices }} devices, "
    "{{ deck.plan.sites }} {{ 'site' if deck.plan.sites == 1 else 'sites' }}):",
    "{% for s in costs.managed.services %}{{ s.name }}: {{ s.price | money }} × {{ s.quantity }} = "
    "{{ s.per_month | money }} a month{% endfor %}",
    "{% for a in deck.plan.addons %}{{ a.name }} (add-on): {{ a.price | money }} {{ a.unit_label }}"
    "{% if a.per_month is not none and a.unit != 'per_month' %} × {{ (a.per_month / a.price) | round | int }}"
    " = {{ a.per_month | money }} a month{% endif %}. {{ a.description }}"
    "{% endfor %}",
    "{% for t in deck.plan.tiers %}{{ t.name }}{% if t.recommended %} (recommended){% endif %}: "
    "{{ t.services | join(' + ') }} = {{ t.per_month | money }} a month. {{ t.description }}{% endfor %}",
    "{% if deck.plan.onboarding_fee %}One-off onboarding fee: {{ deck.plan.onboarding_fee | money }} "
    "(in the cost comparison, not in the monthly figure).{% endif %} {{ deck.plan.tax }}",
    "{% if prospect.budget_per_user_month %}Their stated budget: {{ prospect.budget_per_user_month | money }} "
    "per user a month; the plan is {{ deck.plan.per_user | money }} per user.{% endif %}",
    "{% if deck.plan.fx_note %}{{ deck.plan.fx_note }}{% endif %}",
    "WHAT EACH SERVICE INCLUDES: {% for s in services %}{{ s.name }}: {{ s.description }} {% endfor %}",
    "ASK: “Which of these fits how you want to work?” Compare with the cost of standing still, not the cheapest quote.",
    "Never discount to close. Change the option instead, and say what they give up.",
]


def investment_slides(prs, layout) -> None:
    """The investment: one number in the headline, then the good/better/best options (the recommended
    one dark) and the add-ons. One slide per option count (2, 3) and recommended position, so the
    highlight sits on the right card; each keeps itself only for its case. Without options the slide
    is the rate card itself (then the appendix is dropped)."""
    for n in (2, 3):
        count = f"{TIERS}|length == 2" if n == 2 else f"{TIERS}|length >= 3"
        for rec in (None, *range(n)):
            s = content_slide(prs, layout, PLAN_TITLE, footer=DISCLAIMER)
            w = (CONTENT_W - (n - 1) * COL_GAP) / n
            for i in range(n):
                _tier_card(s, i, MARGIN + i * (w + COL_GAP), w, recommended=i == rec)
            _addons(s)
            notes(s, [keep_for("investment", when=f"services and {count} and {_recommended_at(rec, n)}"), *PLAN_NOTES])
    s = content_slide(prs, layout, PLAN_TITLE, footer=DISCLAIMER)
    _services_table(s)
    notes(s, [keep_for("investment", when=f"services and {TIERS}|length < 2"), *PLAN_NOTES])


def _services_table(slide) -> None:
    """The plan's services, one row each: a bold name and a right-aligned price (descriptions in the notes)."""
    rect(slide, "Table rule", MARGIN, BODY_Y + 0.05, CONTENT_W, 0.025, TX2)
    table(
        slide,
        "Services table",
        MARGIN,
        BODY_Y + 0.1,
        [CONTENT_W - 4.6, 4.6],
        [
            [
                [P("{% for s in services %}{{ s.name }}", Style(28, TX2, bold=True), line=1.0)],
                [
                    Para(
                        [
                            ("{{ s.price | money }}", Style(28, TX2, bold=True)),
                            (" {{ s.unit_label }}{% endfor %}", Style(24, TX1, SOFT)),
                        ],
                        align=PP_ALIGN.RIGHT,
                        line=1.0,
                    )
                ],
            ]
        ],
        [0.9],
        [(BG2, -0.1, 1)],
    )


def rate_card_slide(prs, layout) -> None:
    """The appendix: every service of the plan at its unit price, for a prospect who asks how a figure is made."""
    s = content_slide(prs, layout, "Appendix: the rates behind your plan", footer=DISCLAIMER)
    _services_table(s)
    textbox(s, "Plan counts", MARGIN, BODY_BOTTOM - 0.6, CONTENT_W, 0.6, [P(PLAN_COUNTS, CAPTION)], MSO_ANCHOR.BOTTOM)
    notes(
        s,
        [
            keep_for("rates", when=f"services and {TIERS}|length >= 2"),
            "PURPOSE: the rate card, for when they ask how a figure is made up. Do not present it.",
            *coach("rates"),
            "WHAT EACH LINE INCLUDES: {% for s in services %}{{ s.name }}: {{ s.description }} {% endfor %}",
            "ADD-ONS, priced the same way: {% for a in deck.plan.addons %}{{ a.name }} {{ a.price | money }} "
            "{{ a.unit_label }}{{ '; ' if not loop.last else '.' }}{% endfor %}",
        ],
    )


# --------------------------------------------------------------------------- the cost slide and how it is made

COST_WHEN = "costs and costs.comparison.savings > 0"  # the cost slide and its appendix: one condition
COST_SOURCE = "{{ costs.basis ~ ' ' if costs.basis else '' }}How we estimated: see the appendix."
BASELINE = "(costs.baseline.label[:1] | lower) ~ costs.baseline.label[1:]"  # "in-house IT", not "in-house it"
# what one month costs on each side of the chart: the money paid (or our estimate of it) and the downtime apart
_FEE = "(costs.managed.per_month + costs.managed.kept_per_month) | money"
COST_SPLIT = (
    "A month{% if costs.baseline.spend_source == 'unknown' %}, your IT staff aside: today "
    "{{ costs.baseline.downtime_per_month | money }} downtime (estimated)"
    "{% else %} today: {{ costs.baseline.spend_per_month | money }} "
    "{{ {'modelled': 'call-outs (estimated)', 'default': 'fees (typical)'}.get(costs.baseline.spend_source, 'paid') }}"
    " + {{ costs.baseline.downtime_per_month | money }} downtime (estimated){% endif %}. "
    "With us: {{ " + _FEE + " }} paid + {{ costs.managed.downtime_per_month | money }} downtime (estimated)."
)
# the inputs of the cost model (costs.assumption_items), in short words for the appendix table
INPUT_LABELS = {
    "users": "Staff",
    "working_hours_per_year": "Working hours a year",
    "annual_revenue": "Revenue a year",
    "revenue_lost_share": "Revenue lost for good",
    "hourly_wage": "Hourly wage",
    "loaded_wage_factor": "Wage on-cost factor",
    "productivity_lost": "Work lost while down",
    "incidents_per_month": "Incidents a month",
    "hours_per_incident": "Hours down each",
    "incident_impact": "Business stopped",
    "it_spend_per_month": "IT spend a month",
    "break_fix_rate": "Break-fix hourly rate",
    "emergency_share": "Emergency call-outs",
    "emergency_fee": "Emergency call-out fee",
    "other_msp_per_user_month": "Provider fee per user",
    "devices": "Devices",
    "sites": "Sites",
    "onboarding_fee": "Onboarding fee, once",
    "managed_per_month": "Our plan a month",
    "managed_downtime_reduction": "Less downtime with us",
    "downtime_range": "Low and high cases",
}
# the country as a source names it: "typical for the UK", "typical for Hong Kong"
_COUNTRY = (
    "{'United Kingdom': 'the UK', 'United States': 'the US', 'United States of America': 'the US', "
    "'United Arab Emirates': 'the UAE', 'Netherlands': 'the Netherlands', 'Philippines': 'the Philippines'}"
    ".get(prospect.location.country, prospect.location.country)"
)
# where each input came from, in the prospect's words (costs.assumption_items[].source)
INPUT_SOURCE = (
    "{{ 'left out' if a.value is none else 'our estimate' if a.key == 'it_spend_per_month' and a.source == 'default' "
    "else {'prospect': 'your figure', 'default': 'our assumption', 'profile': 'our price list', "
    "'claim': 'our track record'}.get(a.source, 'typical for ' ~ " + _COUNTRY + ") }}"
)
_WHOLE = "(a.value * {k})|round(6) == (a.value * {k})|round"
INPUT_VALUE = (
    "{{ 'not known' if a.value is none "
    "else (a.value | money(digits=0 if " + _WHOLE.format(k=1) + " else 2)) if a.unit == 'money' "
    "else ('±' if a.key == 'downtime_range' else '') ~ (a.value | percent(digits=0 if "
    + _WHOLE.format(k=100)
    + " else 1)) if a.unit == 'percent' "
    "else (a.value | number(digits=0 if " + _WHOLE.format(k=1) + " else 1 if " + _WHOLE.format(k=10) + " else 2)) "
    "~ ((' hour' if a.value == 1 else ' hours') if a.unit == 'hours' and a.key != 'working_hours_per_year' else '') }}"
)
_HALF = "((costs.assumption_items|length + 1) // 2)"
INPUT_TABLE = Style(15, TX1)
INPUT_SOURCE_STYLE = Style(15, TX1, SOFT)
INPUT_ROW_H = 0.28
INPUT_GAP = 0.35
BAND_H = 1.8  # the three formulas: room for two lines each at 18 pt in the widest currencies


def _inputs_table(slide, name: str, x: float, y: float, w: float, items: str) -> None:
    """The model's inputs ``items`` (a slice of costs.assumption_items), one row each: label, value, source."""
    labels = "{" + ", ".join(f"'{k}': '{v}'" for k, v in INPUT_LABELS.items()) + "}"
    value_w, source_w = 1.45, 2.1
    table(
        slide,
        name,
        x,
        y,
        [w - value_w - source_w, value_w, source_w],
        [
            [
                [P(f"{{% for a in {items} %}}{{{{ {labels}.get(a.key, a.label) }}}}", INPUT_TABLE, line=1.0)],
                [P(INPUT_VALUE, Style(15, TX2, bold=True), align=PP_ALIGN.RIGHT, line=1.0)],
                [P(INPUT_SOURCE + "{% endfor %}", INPUT_SOURCE_STYLE, line=1.0)],
            ]
        ],
        [INPUT_ROW_H],
        [(BG2, -0.1, 0.75)],
        pad=0.03,
    )


def _two_line_footer(slide) -> None:
    """Room for a source line of two lines, still inside the footer band."""
    footer = next(sh for sh in slide.shapes if sh.name == "Footer")
    footer.top, footer.height = Inches(6.86), Inches(0.42)


def cost_method_slide(prs, layout) -> None:
    """The appendix the prospect keeps: how the per-hour, monthly and 36-month figures of the cost slide
    are made, and every input with its value and where it came from (the notes are stripped on release)."""
    s = content_slide(
        prs,
        layout,
        "Appendix: how we estimated your costs",
        footer=(
            "{{ {'modelled': 'IT spend a month = incidents × hours × break-fix rate + incidents × emergency "
            "call-outs × call-out fee. ', 'default': 'IT spend a month = provider fee per user × staff. '}"
            ".get(costs.baseline.spend_source, '') }}Each figure is rounded on its own; totals are worked out "
            "before rounding."
        ),
    )
    _two_line_footer(s)
    head, soft = Style(18, TX2, bold=True), Style(18, TX1, SOFT)
    textbox(
        s,
        "How the figures are made",
        MARGIN,
        BODY_Y,
        CONTENT_W,
        BAND_H,
        [
            Para(
                [
                    ("An hour of downtime: {{ costs.downtime_per_hour | money }}", head),
                    (
                        " = {% if costs.downtime.revenue_known %}lost revenue "
                        "{{ costs.downtime.revenue_per_hour | money }} (revenue ÷ hours × share lost) + "
                        "{% endif %}idle staff {{ costs.downtime.staff_per_hour | money }} (staff × wage × on-cost × work lost)",
                        soft,
                    ),
                ],
                line=1.0,
                after=5,
            ),
            Para(
                [
                    ("A month of downtime: {{ costs.baseline.downtime_per_month | money }}", head),
                    (
                        " = incidents × hours × {{ costs.downtime_per_hour | money }} × business stopped; with us "
                        "{{ costs.downtime_reduction | percent }} less: "
                        "{{ costs.managed.downtime_per_month | money }}",
                        soft,
                    ),
                ],
                line=1.0,
                after=5,
            ),
            Para(
                [
                    ("Over {{ costs.comparison.months }} months", head),
                    (
                        ": {{ costs.comparison.break_fix_total | money }} today "
                        "({{ costs.baseline.per_month | money }} a month); {{ costs.comparison.managed_total | money }}"
                        " with us ({{ costs.managed.total_per_month | money }} a month + onboarding)",
                        soft,
                    ),
                ],
                line=1.0,
            ),
        ],
    )
    top = BODY_Y + BAND_H + 0.12
    w = (CONTENT_W - INPUT_GAP) / 2
    rect(s, "Inputs rule", MARGIN, top - 0.06, CONTENT_W, 0.025, TX2)
    _inputs_table(s, "Inputs", MARGIN, top, w, f"costs.assumption_items[:{_HALF}]")
    _inputs_table(s, "More inputs", MARGIN + w + INPUT_GAP, top, w, f"costs.assumption_items[{_HALF}:]")
    notes(
        s,
        [
            keep_for("cost", when=COST_WHEN),
            "PURPOSE: every figure on the cost slide, traced to its inputs, in the deck they keep (the notes are "
            "not sent).",
            "AIM HERE: do not present it. When they ask how a number is made, turn here and read them the line "
            "and the inputs behind it.",
            "Inputs marked “your figure” are theirs; “our assumption” and “typical for …” are ours: ask them "
            "for their own and rerun the deck.",
            "EACH INPUT WITH ITS BASIS:",
            "{% for a in costs.assumptions %}{{ a }}{% endfor %}",
        ],
    )


def build(brand: dict) -> bytes:
    prs = Presentation()
    blank = prepare_package(prs, brand)
    png = placeholder_png()
    ON_DARK = Style(24, BG1)
    ON_DARK_SOFT = Style(24, BG2)

    # 1 ---------------------------------------------------------------- title
    s = dark_slide(prs, blank)
    # tonal depth: one large disc a shade lighter than the background, bleeding off the right edge
    disc = 9.0
    backdrop = slide_shape(
        s, MSO_SHAPE.OVAL, "Backdrop disc", SLIDE_W - disc * 0.42, 3.75 - disc / 2, disc, disc, TX2, 0.05
    )
    # behind everything: a long company name runs over the disc, never under it
    tree = s.shapes._spTree
    tree.remove(backdrop._element)
    tree.insert(2, backdrop._element)  # after the group's nvGrpSpPr and grpSpPr
    logo(s, "logo_dark", MARGIN, 0.6, 2.6, png)
    # bottom-anchored so one, two or three lines all sit just above the "Prepared for" line
    title_placeholder(
        s,
        "Company",
        MARGIN,
        1.5,
        11.2,
        2.4,
        [P("{{ prospect.company }}", Style(56, BG1, bold=True, heading=True), line=0.9)],
        anchor=MSO_ANCHOR.BOTTOM,
    )
    textbox(
        s,
        "Prepared for",
        MARGIN,
        4.05,
        11.2,
        0.5,
        [P("Prepared for {{ prospect.contact.name if prospect.contact else 'your team' }}", ON_DARK_SOFT)],
    )
    rect(s, "Accent", MARGIN, 4.9, 0.9, 0.08, ACC3)
    textbox(s, "One-liner", MARGIN, 5.2, 9.6, 1.15, [P("{{ usp.one_liner }}", ON_DARK, line=1.05)])
    textbox(
        s,
        "MSP and date",
        MARGIN,
        6.72,
        9.6,
        0.4,
        [Para([("{{ msp.name }}", Style(16, BG2, bold=True)), ("   ·   {{ today | date }}", Style(16, BG2))])],
        anchor=MSO_ANCHOR.BOTTOM,
    )
    notes(
        s,
        [
            "PURPOSE: open the conversation and set the frame. This meeting is about whether we fit, not a pitch.",
            "Introduce yourself and {{ msp.name }} in two sentences. Confirm how much time they have.",
            "ASK: “Before I show you anything: what would make this hour worth it for you?”",
            "THIS DECK: {{ deck.storyline_label }}. {{ deck.guidance }}",
            "THE ONE GOAL: {{ deck.brief.goal }}",
            *coach("title"),
            "Current IT: {{ prospect.it_model_label }}. Score, reasons and objections are in the seller brief.",
            "{% if prospect.notes %}YOUR NOTES: {{ prospect.notes }}{% endif %}",
        ],
    )

    # 2 ---------------------------------------------------------------- what we heard
    s = content_slide(
        prs,
        blank,
        "What we heard: {% if deck.pain_points|length == 1 %}one IT problem{% else %}"
        "{{ deck.pain_points|length }} IT problems{% endif %} in your way",
    )
    textbox(
        s,
        "Pains",
        MARGIN,
        BODY_Y + 0.15,
        10.4,
        BODY_BOTTOM - BODY_Y - 0.15,
        [P("{% for p in deck.pain_points %}{{ p }}{% endfor %}", BODY_L, bullet="•", line=1.05, after=18)],
    )
    notes(
        s,
        [
            keep_for("heard", when="deck.pain_points"),
            "PURPOSE: prove that you listened before you ask for anything.",
            *coach("heard"),
            "START WITH THEIR FIRST POINT: “{{ deck.pain_points|first }}” Read each in their words, not ours, "
            "then ask: “Did we get this right? What is missing?”",
            "{% if prospect.pain_points|length > deck.pain_points|length %}ALSO ON THEIR LIST (not on the slide): "
            "{% for p in prospect.pain_points[deck.pain_points|length:] %}{{ p }} {% endfor %}{% endif %}",
            "ASK: “Which of these costs you the most today?” Then stop talking and let them answer.",
            "If a pain on this list turns out not to matter to them, say so and move on: the deck is not the point, their answer is.",
        ],
    )

    # 3 ---------------------------------------------------------------- cost of standing still
    s = content_slide(
        prs,
        blank,
        # a saving claimed only when it holds in the low case too; else the honest message: the same money,
        # far less downtime (the chart's bars then stand side by side, agreeing with it)
        "{% set s = costs.comparison.savings %}{% if costs.range.savings.low > 0 %}"
        "{{ costs.baseline.label }} costs you about "
        "{{ ((s / 100) | round * 100 if s >= 1000 else (s / 10) | round * 10) | money }} more over "
        "{{ costs.comparison.months }} months than our plan{% else %}"
        "Our plan costs about what {{ " + BASELINE + " }} costs you, with "
        "{{ costs.downtime_reduction | percent }} less downtime{% endif %}",
        # what the figures start from: a source line in the footer band, as a designer sets a chart's source
        footer=COST_SOURCE,
    )
    _two_line_footer(s)
    left_w = 4.3
    textbox(
        s,
        "Downtime cost",
        MARGIN,
        BODY_Y + 0.35,
        left_w,
        1.3,
        [P("{{ costs.downtime_per_hour | money }}", Style(66, TX2, bold=True, heading=True), line=0.9)],
        anchor=MSO_ANCHOR.BOTTOM,
    )
    textbox(
        s,
        "Downtime caption",
        MARGIN,
        BODY_Y + 1.8,
        left_w,
        BODY_BOTTOM - BODY_Y - 1.8,
        [P("for each hour that IT stops everyone", SOFT_BODY, line=1.05)],
    )
    chart_x = MARGIN + left_w + 0.8
    chart_w = SLIDE_W - MARGIN - chart_x
    # what each bar holds: the money paid, and the downtime we estimated (most of today's bar, often)
    textbox(s, "Chart caption", chart_x, BODY_Y, chart_w, 0.8, [P(COST_SPLIT, Style(16, TX1, SOFT), line=1.0)])
    cost_chart(s, chart_x, BODY_Y + 0.85, chart_w, BODY_BOTTOM - BODY_Y - 0.85)
    notes(
        s,
        [
            keep_for("cost", when=COST_WHEN),
            "PURPOSE: put a number on doing nothing. The chart compares staying with "
            "{{ " + BASELINE + " }} with a managed plan.",
            *coach("cost"),
            "THE SOURCE LINE at the foot of the slide: " + COST_SOURCE,
            "The appendix “how we estimated your costs” at the end of the deck shows how every figure here is "
            "made, with each input and where it came from: the deck they keep explains itself.",
            "THE CAPTION splits each bar: money paid versus estimated downtime. Say it before they ask: most of "
            "today's bar is downtime we estimated, not money they pay.",
            "Over {{ costs.comparison.months }} months: {{ " + BASELINE + " }} about "
            "{{ costs.comparison.break_fix_total | money }}, managed about {{ costs.comparison.managed_total | money }}.",
            "{% if costs.range.savings.low <= 0 %}THE HEADLINE claims the same money, not a saving: with less "
            "downtime than modelled, managed would cost more, so a saving is not a promise you can keep. Sell the "
            "downtime you remove and the risk you take off their desk.{% endif %}",
            "RANGE, if a finance director asks: with less downtime than modelled the difference over "
            "{{ costs.comparison.months }} months is {{ costs.range.savings.low | money }}; with more, "
            "{{ costs.range.savings.high | money }}. Lead with the expected figure, never with the high one.",
            "An hour with everyone stopped costs them about {{ costs.downtime_per_hour | money }}. Let that number "
            "land before you explain it. Most incidents stop only part of the business: the chart counts that "
            "share (see the assumptions below), not the whole hour.",
            "ASK: “Does that number feel high or low to you?” If they correct an assumption, thank them and rerun the deck.",
            "ASSUMPTIONS behind these figures (say them if asked, never hide them):",
            "{% for a in costs.assumptions %}{{ a }}{% endfor %}",
        ],
    )

    # 4 ---------------------------------------------------------------- our promise
    s = content_slide(prs, blank, "Our promise: {{ usp.one_liner }}")
    rect(s, "Difference panel", MARGIN, BODY_Y, CONTENT_W, BODY_BOTTOM - BODY_Y, BG2)
    # set large and centred in the panel: a 20-word difference fills it at 44 pt, a longer one shrinks to
    # fit, a shorter one sits in the middle rather than leaving the panel's lower half empty
    textbox(
        s,
        "Difference",
        MARGIN + 0.6,
        BODY_Y + 0.45,
        CONTENT_W - 1.2,
        BODY_BOTTOM - BODY_Y - 0.9,
        [
            P("How we keep that promise", LABEL, after=14),
            P("{{ usp.differentiator }}", Style(44, TX2, bold=True, heading=True), line=1.05),
        ],
        anchor=MSO_ANCHOR.MIDDLE,
    )
    notes(
        s,
        [
            keep_for("promise"),
            "PURPOSE: say in one breath who we are for and why that matters to them.",
            *coach("promise"),
            "Who we serve: {{ usp.target }}",
            "The problem we solve: {{ usp.problem }}",
            "Proof points to have ready if they ask “why you?”:",
            "{% for p in usp.proof_points %}{{ p }}{% endfor %}",
            "{% if deck.storyline == 'referral' %}SAY: “That is who we are. We stay close to our clients, and "
            "{{ prospect.location.country or 'where you are' }} is not where we work.” Then move to the introduction."
            "{% else %}ASK: “Does that sound like you?” A clear no here is useful: it means we should not waste their "
            "time.{% endif %}",
        ],
    )

    # 5 ---------------------------------------------------------------- proof
    s = content_slide(prs, blank, "Our service levels are in the contract")
    mw = (CONTENT_W - 2 * COL_GAP) / 3
    for i in range(3):
        guard = f"{{% if metrics|length > {i} %}}"
        textbox(
            s,
            f"Metric {i + 1}",
            MARGIN + i * (mw + COL_GAP),
            BODY_Y,
            mw,
            1.65,
            [
                P(
                    f"{guard}{{{{ metrics[{i}].value }}}}{{% endif %}}",
                    Style(54, TX2, bold=True, heading=True),
                    line=0.9,
                ),
                P(f"{guard}{{{{ metrics[{i}].label }}}}{{% endif %}}", Style(20, TX1, SOFT), line=1.0, before=4),
            ],
        )
    rect(s, "Divider", MARGIN, 3.85, CONTENT_W, 0.02, BG2, -0.1)
    table(
        s,
        "SLA table",
        MARGIN,
        4.05,
        [CONTENT_W - 3.4, 3.4],
        [
            [
                [P("{% for s in slas %}{{ s.metric }}", BODY)],
                [P("{{ s.target }}{% endfor %}", Style(24, TX2, bold=True), align=PP_ALIGN.RIGHT)],
            ]
        ],
        [0.6],
        [(BG2, -0.1, 1)],
    )
    notes(
        s,
        [
            keep_for("proof", when="slas or metrics or certifications"),
            "PURPOSE: back the promise with things they can check.",
            *coach("proof"),
            "Pick the one metric that answers their biggest pain from slide 2 and tell the story behind it. Skip the others.",
            "Every SLA here is in the contract, with service credits if we miss it. Say that plainly.",
            "{% if deck.hours_note %}THEIR HOURS: {{ deck.hours_note }}{% endif %}",
            "{% if certifications %}Certifications, if they ask: {{ certifications | join('; ') }}.{% endif %}",
            "ASK: “What would you need to see to trust these numbers?” Offer a reference client in their industry.",
        ],
    )

    # 6 ---------------------------------------------------------------- where we fit (plain words, no score)
    s = content_slide(prs, blank, "Where we fit, and what we need from you")
    # one row each, full width: what fits on top, what we need in a band below. The lists are short (two
    # items of a line or so, storyline.FIT_WORDS together), so a full-height column would stand half empty
    # with one item; a band holds one or two needs, centred, and reads as the ask
    textbox(
        s,
        "Where we fit",
        MARGIN,
        BODY_Y + 0.1,
        CONTENT_W,
        NEEDS_Y - BODY_Y - 0.35,
        [
            P("We fit", LABEL, after=10),
            P("{% for f in deck.fit.strengths[:2] %}{{ f }}{% endfor %}", BODY_L, bullet="•", line=1.05, after=12),
        ],
    )
    rect(s, "Needs panel", MARGIN, NEEDS_Y, CONTENT_W, BODY_BOTTOM - NEEDS_Y, BG2)
    textbox(
        s,
        "What we need",
        MARGIN + 0.45,
        NEEDS_Y + 0.25,
        CONTENT_W - 0.9,
        BODY_BOTTOM - NEEDS_Y - 0.5,
        [
            P("We need", LABEL, after=10),
            P("{% for n in deck.fit.needs[:2] %}{{ n }}{% endfor %}", BODY_L, bullet="•", line=1.05, after=12),
        ],
        anchor=MSO_ANCHOR.MIDDLE,
    )
    notes(
        s,
        [
            keep_for("fit", when="deck.fit.strengths or deck.fit.needs"),
            "PURPOSE: be open about fit in plain words. The score stays with you, in the seller brief.",
            *coach("fit"),
            "{{ fit.verdict }}",
            "ON THE SLIDE (the first two of each): {% for f in deck.fit.strengths[:2] %}{{ f }} {% endfor %}"
            "{% for n in deck.fit.needs[:2] %}{{ n }} {% endfor %}",
            "ASK: “Is there anything here you see differently?” Correct the data live if they know better.",
        ],
    )

    # 6b --------------------------------------------------------------- discovery questions (qualify first)
    s = content_slide(
        prs,
        blank,
        "{{ ['One question', 'Two questions', 'Three questions'][(deck.questions|length or 1) - 1] }}"
        " before we suggest anything",
    )
    textbox(
        s,
        "Questions",
        MARGIN,
        BODY_Y + 0.15,
        10.4,
        BODY_BOTTOM - BODY_Y - 0.15,
        [P("{% for q in deck.questions %}{{ q }}{% endfor %}", BODY_L, bullet="num", line=1.05, after=18)],
    )
    notes(
        s,
        [
            keep_for("questions", when="deck.questions"),
            "PURPOSE: too little is known to judge the fit. Ask, listen and write the answers down.",
            *coach("questions"),
            "THE QUESTIONS IN FULL (the slide asks some of them in fewer words), also in the seller brief:",
            "{% for q in deck.brief.questions %}{{ q }}{% endfor %}",
            "Do not quote a price in this meeting. Rebuild the deck with their answers.",
        ],
    )

    # 7 ---------------------------------------------------------------- minimum standards
    s = content_slide(prs, blank, "{{ deck.standards_title }}")
    textbox(
        s,
        "Standards",
        MARGIN,
        BODY_Y + 0.15,
        10.4,
        BODY_BOTTOM - BODY_Y - 0.15,
        [
            P(
                "{% for m in icp.minimum_standards %}{{ m.split(',')[0].rstrip('.') }}{% endfor %}",
                BODY,
                bullet="•",
                line=1.05,
                after=16,
            )
        ],
    )
    notes(
        s,
        [
            keep_for("standards", when="icp.minimum_standards"),
            "PURPOSE: state our non-negotiables before price, so nobody is surprised later.",
            *coach("standards"),  # its aim follows why a walk-away parts (deckgen.sales.parting)
            "THE FULL STANDARDS: {% for m in icp.minimum_standards %}{{ m }} {% endfor %}",
            "{% if deck.parting_reason in ['too_small', 'too_large', 'industry'] %}WHY WE PART: their "
            "{{ 'industry' if deck.parting_reason == 'industry' else 'size' }}, not a standard they refused. Say it "
            "as the clients we work best with, never as a judgment of them, and never give a score.{% endif %}",
            "These protect them as much as us: we cannot promise uptime on systems we are not allowed to secure.",
            f"{{% if {PARTS_ON_FIT} %}}DO NOT ASK whether any of these is a problem: the parting is about fit, "
            "not a standard, so do not invite a debate on them. Name them once as how we work, then move on."
            "{% else %}ASK: “Is any of these a problem for you?” Listen. Pushback on one is the signal for the "
            "walk-away close.{% endif %}",
            "Do not bargain these away to win the deal. A client who will not accept them costs more than they pay.",
        ],
    )

    # 8 ---------------------------------------------------------------- investment: one number, the options
    investment_slides(prs, blank)

    # 9 ---------------------------------------------------------------- walk-away close
    s = dark_slide(prs, blank)
    title_placeholder(
        s,
        "Closing line",
        1.4,
        1.0,
        SLIDE_W - 2.8,
        5.5,
        [P("{{ closing.short }}", Style(44, BG1, heading=True), align=PP_ALIGN.CENTER, line=1.1)],
        anchor=MSO_ANCHOR.MIDDLE,
    )
    notes(
        s,
        [
            keep_for("close", when="closing"),
            "SAY THE SLIDE'S WORDS (they are on the screen as you speak; the brief has the same): “{{ closing.short }}”",
            "{% if closing.short != closing.text %}IF THEY ASK WHAT YOU MEAN, the longer form: “{{ closing.text }}”"
            "{% endif %}",
            "BRIDGE INTO IT: “{{ deck.coach.close.bridge }}”",
            *coach("close"),
            "WHEN: {{ deck.brief.closing_when }} Never as a pressure trick.",
            "{% if deck.storyline == 'referral' %}HOW: say the line warmly, once, in your own voice, then offer the "
            "introduction straight away: nothing here needs a silence.{% else %}HOW: say the line calmly, once, in "
            "your own voice. Then stop. Let the silence do the work; do not fill it.{% endif %}",
            "IF THEY AGREE TO PART: that is a qualified no, and a good outcome. Thank them, leave the door open, log the reason in the CRM.",
            "{% if deck.storyline == 'referral' %}IF THEY PUSH BACK: do not debate where you work. Offer the "
            "introduction once more, and if you truly serve them after all, fix icp.geography.countries and rebuild."
            f"{{% elif {PARTS_ON_FIT} %}}IF THEY LEAN IN: do not make an exception for them. Say again who we "
            "serve best, then offer the introduction.{% else %}IF THEY LEAN IN: ask what would have to change on "
            "their side, then go back to the minimum standards together.{% endif %}",
            "Why this line: {{ closing.reason }}",
            "{% if closing.coaching %}Coaching: {{ closing.coaching }}{% endif %}",
            "Tone: {{ closing.tone }}.",
        ],
    )

    # 10 --------------------------------------------------------------- next steps
    s = content_slide(
        prs,
        blank,
        "{{ {'pitch': 'Ready when you are', 'buyer': 'One meeting to agree the scope is the next step' if "
        "deck.buyer_in_room else 'One meeting with your decision maker is the next step', "
        "'nurture': 'Staying in touch, on your terms', 'discovery': 'First the questions, then a proposal', "
        "'walk_away': 'If things change, we are here', 'referral': 'We help you find a team near you'}"
        ".get(deck.storyline, 'Ready when you are') }}",
    )
    card_h = 1.5
    card_y = BODY_BOTTOM - card_h
    textbox(
        s,
        "Steps",
        MARGIN,
        BODY_Y + 0.15,
        CONTENT_W,
        card_y - BODY_Y - 0.35,
        [P("{% for n in deck.next_steps %}{{ n }}{% endfor %}", BODY, bullet="num", line=1.05, after=14)],
    )
    # the contact on one full-width band, so the email never wraps mid-domain
    rect(s, "Contact panel", MARGIN, card_y, CONTENT_W, card_h, BG2)
    logo_w = 2.2
    contact = textbox(
        s,
        "Contact",
        MARGIN + 0.45,
        card_y + 0.22,
        CONTENT_W - logo_w - 1.3,
        card_h - 0.44,
        [
            Para(
                [
                    ("{{ msp.sales_contact.name }}", Style(28, TX2, bold=True, heading=True)),
                    (
                        "{% if msp.sales_contact.title %}  ·  {{ msp.sales_contact.title }}{% endif %}",
                        Style(24, TX1, SOFT),
                    ),
                ],
                line=1.0,
                after=6,
            ),
            Para(
                [
                    ("{% if msp.sales_contact.email %}{{ msp.sales_contact.email }}{% endif %}", Style(24, TX1)),
                    (
                        "{% if msp.sales_contact.phone %}  ·  {{ msp.sales_contact.phone }}{% endif %}",
                        Style(24, TX1),
                    ),
                ],
                line=1.0,
            ),
        ],
        anchor=MSO_ANCHOR.MIDDLE,
    )
    # the email opens a new message; without an email the address renders empty and deckgen drops the link
    contact.text_frame.paragraphs[1].runs[0].hyperlink.address = "mailto:{{ msp.sales_contact.email }}"
    logo(s, "logo", SLIDE_W - MARGIN - 0.45 - logo_w, card_y + (card_h - logo_w / LOGO_RATIO) / 2, logo_w, png)
    notes(
        s,
        [
            f"{{% if deck.storyline == 'walk_away' and {PARTS_ON_FIT} %}}PURPOSE: end well. The line is said; "
            "leave the door open on what would change on their side, never on a discount.{% elif deck.storyline "
            "== 'walk_away' %}PURPOSE: end well. The line is said; leave the door open on "
            "your standards, not on a discount.{% elif deck.storyline == 'referral' %}PURPOSE: end well and be "
            "useful: the introduction, and what to ask any provider.{% else %}PURPOSE: leave with a date in the "
            "calendar, not a maybe.{% endif %}",
            *coach("next"),
            "{% if deck.storyline in ['walk_away', 'referral'] %}LAST WORDS: “{{ deck.coach.next.bridge }}”{% else %}"
            "CLOSE WITH THE ASK: “{{ deck.coach.next.bridge }}”{% endif %}",
            "THE ONE GOAL: {{ deck.brief.goal }}",
            "{% if deck.storyline in ['pitch', 'nurture'] and closing %}ONLY IF THEY ASK FOR LESS THAN OUR STANDARDS, "
            "the line: “{{ closing.text }}” Say it once, calmly, then stop talking.{% endif %}",
            "{% if deck.storyline == 'walk_away' %}Offer the referral on the slide if they want one. Log a "
            "qualified no in the CRM with the reason, and set a check-in for six months.{% elif deck.storyline == "
            "'referral' %}Send the introduction within the week, as promised. Log a referred no in the CRM with "
            "{{ prospect.location.country or 'their country' }} as the reason; no check-in unless they open an "
            "office where we work.{% else %}Agree the first "
            "step and book it before you leave the room. Send the summary the same day.{% endif %}",
            "{% if deck.storyline not in ['walk_away', 'referral'] %}{% if deck.buyer %}THE PERSON WHO SIGNS: {{ deck.buyer }}. "
            "Confirm they see the proposal, or join the next meeting.{% else %}ASK: “Who else needs to be part of "
            "this decision?”{% endif %}{% endif %}",
            "{% if prospect.contact %}Follow up with {{ prospect.contact.name }}{% if prospect.contact.email %} at {{ prospect.contact.email }}{% endif %}.{% endif %}",
        ],
    )

    # 11 --------------------------------------------------------------- appendices, in the order of the deck
    cost_method_slide(prs, blank)  # how the cost slide's figures are made
    rate_card_slide(prs, blank)  # the rates behind the plan

    for slide in prs.slides:
        footer_last(slide)
    count_slides(prs)
    brand_notes_master(prs, brand)
    buf = io.BytesIO()
    prs.save(buf)
    return deterministic_zip(buf.getvalue())


def run_generator(build_template, description: str, out: Path) -> None:
    """The command line of a template generator: read ``--brand``, build, write ``--out``."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--out", type=Path, default=out)
    parser.add_argument("--brand", type=Path, default=BRAND, help="brand.yaml whose theme the template carries")
    args = parser.parse_args()
    brand = yaml.safe_load(args.brand.read_text(encoding="utf-8"))
    blob = build_template(brand)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_bytes(blob)
    print(f"wrote {args.out} ({len(blob) / 1024:.0f} KB)")


def main() -> None:
    run_generator(build, "Generate the walk-away template.", OUT)


if __name__ == "__main__":
    main()
