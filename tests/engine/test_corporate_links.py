"""A corporate file's slides are thrown away (--master, brand import): their outside links don't refuse it."""

from __future__ import annotations

import zipfile

import pytest
from pptx import Presentation
from pptx.util import Inches

from deckgen.brand.master import read_master_brand
from deckgen.engine.master import kept_parts, open_master
from deckgen.engine.opc import open_package
from deckgen.errors import UnsafeInputError
from tests.security.util import add_rel

LAYOUT_RELS = "ppt/slideLayouts/_rels/slideLayout1.xml.rels"


def corporate(tmp_path, *, layout_link: str | None = None, macros: bool = False):
    """A .pptx whose only slide has a file:/// hyperlink (as real corporate decks have: S:\\ drive links)."""
    prs = Presentation()
    slide = prs.slides.add_slide(prs.slide_layouts[6])
    box = slide.shapes.add_textbox(Inches(1), Inches(1), Inches(4), Inches(1))
    run = box.text_frame.paragraphs[0].add_run()
    run.text = "Price list"
    run.hyperlink.address = "file:///S:/Sales/pricing.xlsx"
    path = tmp_path / "corp.pptx"
    prs.save(path)
    if layout_link or macros:
        with zipfile.ZipFile(path) as z:
            items = {i.filename: z.read(i) for i in z.infolist()}
        if layout_link:
            add_rel(items, LAYOUT_RELS, "rId99", "hyperlink", layout_link)
        if macros:
            items["ppt/vbaProject.bin"] = b"\xd0\xcf\x11\xe0"
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
            for name, data in items.items():
                z.writestr(name, data)
    return path


def test_the_template_reader_still_refuses_the_link(tmp_path):
    with pytest.raises(UnsafeInputError, match="file:///S:/Sales"):
        open_package(corporate(tmp_path))


def test_a_link_on_a_thrown_away_slide_does_not_refuse_the_master(tmp_path):
    pkg = open_master(corporate(tmp_path))
    kept = kept_parts(pkg)
    assert "ppt/slides/slide1.xml" not in kept
    assert "ppt/slideMasters/slideMaster1.xml" in kept and "ppt/slideLayouts/slideLayout1.xml" in kept


def test_the_brand_of_such_a_master_is_read(tmp_path):
    brand, _ = read_master_brand(corporate(tmp_path))
    assert brand.kit.colors.primary == "1F497D"  # the default Office theme of python-pptx


def test_a_link_on_a_kept_layout_still_refuses_the_master(tmp_path):
    with pytest.raises(UnsafeInputError, match="slideLayout1.xml") as info:
        open_master(corporate(tmp_path, layout_link="file:///S:/Templates/logo.png"))
    assert "file:///S:/Templates/logo.png" in str(info.value)


def test_a_web_link_on_a_kept_layout_is_kept(tmp_path):
    open_master(corporate(tmp_path, layout_link="https://example.com/"))


def test_macros_anywhere_still_refuse_the_master(tmp_path):
    with pytest.raises(UnsafeInputError, match="macros"):
        open_master(corporate(tmp_path, macros=True))
