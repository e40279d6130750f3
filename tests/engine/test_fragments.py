"""Cutting a rendered slide into its shapes by text gives the shapes a full parse gives, or refuses."""

from __future__ import annotations

import zipfile

import pytest
from lxml import etree

from deckgen.engine.layout.fragments import WRAPPER_END, shape_fragments
from deckgen.engine.layout.frame import shape_id
from deckgen.engine.opc import NS, parse_xml, q
from deckgen.load.templates import resolve_template

TEMPLATES = ["walk-away", "seller-brief"]


def _slides(template: str):
    with zipfile.ZipFile(resolve_template(template)[0]) as zf:
        for name in sorted(zf.namelist()):
            if name.startswith("ppt/slides/slide") and name.endswith(".xml"):
                yield name, zf.read(name)


@pytest.mark.parametrize("template", TEMPLATES)
def test_every_cut_shape_parses_to_the_shape_a_full_parse_finds(template):
    cut_slides = 0
    for name, xml in _slides(template):
        cut = shape_fragments(xml)
        if cut is None:
            continue
        cut_slides += 1
        wrapper, shapes = cut
        full = [sp for sp in parse_xml(xml, name).iter(q("p:sp"))]
        assert [sid for sid, _ in shapes] == [shape_id(sp) for sp in full], name
        for (sid, text), sp in zip(shapes, full, strict=True):
            alone = parse_xml(wrapper + text + WRAPPER_END, name)[0]
            assert etree.tostring(alone) == etree.tostring(sp), (name, sid)
    assert cut_slides > 0


def _slide(tree: str, extra_ns: str = "") -> bytes:
    return (
        "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
        f'<p:sld xmlns:a="{NS["a"]}" xmlns:p="{NS["p"]}"{extra_ns}><p:cSld><p:spTree>'
        '<p:nvGrpSpPr><p:cNvPr id="1" name=""/><p:cNvGrpSpPr/><p:nvPr/></p:nvGrpSpPr><p:grpSpPr/>'
        f"{tree}</p:spTree></p:cSld></p:sld>"
    ).encode()


SHAPE = (
    '<p:sp><p:nvSpPr><p:cNvPr id="{id}" name="S"/></p:nvSpPr>'
    "<p:txBody><a:p><a:r><a:t>{text}</a:t></a:r></a:p></p:txBody></p:sp>"
)


def test_a_plain_slide_is_cut_into_its_shapes_in_order():
    xml = _slide(SHAPE.format(id=4, text="one &lt;p:sp&gt;") + SHAPE.format(id=2, text="two"))
    wrapper, shapes = shape_fragments(xml)
    assert [sid for sid, _ in shapes] == ["4", "2"]
    assert wrapper.startswith(b"<p:spTree") and f'xmlns:p="{NS["p"]}"'.encode() in wrapper


@pytest.mark.parametrize(
    "tree, extra_ns",
    [
        ("<p:grpSp><p:nvGrpSpPr/><p:grpSpPr/>" + SHAPE.format(id=5, text="in a group") + "</p:grpSp>", ""),
        ("<!-- a comment -->" + SHAPE.format(id=5, text="x"), ""),
        (SHAPE.format(id=5, text="x").replace("<p:sp>", '<mc:AlternateContent xmlns:mc="m"><p:sp>', 1), ""),
        (SHAPE.format(id=5, text="x"), f' xmlns:pml="{NS["p"]}"'),  # PresentationML under a second prefix
        (SHAPE.format(id=5, text="x").replace(' id="5"', ""), ""),  # a shape without an id
        ("<p:sp/>", ""),
    ],
    ids=["group", "comment", "alternate-content", "second-prefix", "no-id", "empty-shape"],
)
def test_a_slide_that_is_not_plain_is_left_to_a_full_parse(tree, extra_ns):
    assert shape_fragments(_slide(tree, extra_ns)) is None
