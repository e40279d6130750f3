"""A master or layout designed for another slide size is scaled onto the template's size."""

from __future__ import annotations

from lxml import etree

from deckgen.engine.opc import q
from deckgen.engine.scaling import scale_factors, scale_part

P = "http://schemas.openxmlformats.org/presentationml/2006/main"
A = "http://schemas.openxmlformats.org/drawingml/2006/main"
LAYOUT = (
    f'<p:sldLayout xmlns:p="{P}" xmlns:a="{A}"><p:cSld><p:spTree>'
    '<p:grpSp><p:grpSpPr><a:xfrm><a:off x="1000" y="2000"/><a:ext cx="3000" cy="4000"/>'
    '<a:chOff x="0" y="0"/><a:chExt cx="3000" cy="4000"/></a:xfrm></p:grpSpPr></p:grpSp>'
    '<p:sp><p:spPr><a:xfrm><a:off x="504000" y="283500"/><a:ext cx="9072000" cy="1008000"/></a:xfrm>'
    '<a:ln w="12700"/></p:spPr><p:txBody><a:bodyPr/><a:p><a:r><a:rPr sz="4400"/><a:t>Title</a:t></a:r></a:p>'
    "</p:txBody></p:sp></p:spTree></p:cSld></p:sldLayout>"
).encode()


def test_impress_to_widescreen_factors_are_the_same_both_ways():
    sx, sy = scale_factors((12_192_000, 6_858_000), (10_080_000, 5_670_000))
    assert abs(sx - sy) < 1e-3 and abs(sx - 1.2095) < 1e-3


def test_positions_sizes_text_and_lines_scale():
    root = etree.fromstring(scale_part(LAYOUT, "ppt/slideLayouts/slideLayout1.xml", "m", 2.0, 1.5))
    sp = root.find(f".//{q('p:sp')}")
    off, ext = sp.find(f".//{q('a:off')}"), sp.find(f".//{q('a:ext')}")
    assert (off.get("x"), off.get("y"), ext.get("cx"), ext.get("cy")) == ("1008000", "425250", "18144000", "1512000")
    assert root.find(f".//{q('a:rPr')}").get("sz") == "6600"  # by the smaller factor
    assert root.find(f".//{q('a:ln')}").get("w") == "19050"
    ch = root.find(f".//{q('a:chExt')}")
    assert (ch.get("cx"), ch.get("cy")) == ("6000", "6000")  # a group's child space scales with it
