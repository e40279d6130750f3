"""A logo in a picture placeholder with no a:xfrm of its own keeps its aspect ratio, and its old crop goes."""

from __future__ import annotations

import io

import pytest
from lxml import etree

from deckgen import engine
from deckgen.engine.opc import q
from tests.engine.builders import TemplateBuilder, memory_brand, png
from tests.security.util import small_context, xml_parts


def _placeholder_logo(tmp_path, name: str):
    """Slide 1 uses 'Picture with Caption'; its picture placeholder holds a cropped square named ``name``."""
    b = TemplateBuilder()
    slide = b.prs.slides.add_slide(b.prs.slide_layouts[8])
    ph = next(p for p in slide.placeholders if p.placeholder_format.idx == 1)
    pic = ph.insert_picture(str(png(tmp_path / "square.png", (300, 300))))
    pic.name = name
    el = pic._element
    assert el.find(f"{q('p:spPr')}/{q('a:xfrm')}") is None  # inherits the layout's frame
    assert el.find(f".//{q('a:srcRect')}") is not None  # python-pptx crops it to fill, as PowerPoint does
    layout = b.prs.slide_layouts[8]
    frame = next(p for p in layout.placeholders if p.placeholder_format.idx == 1)
    b.new_slide()
    b.text("Title", "{{ prospect.company }}")
    return b, (frame.left, frame.top, frame.width, frame.height)


def _pic(deck: bytes, name: str):
    slide = etree.fromstring(xml_parts(deck)["ppt/slides/slide1.xml"])
    return next(p for p in slide.iter(q("p:pic")) if p.find(f".//{q('p:cNvPr')}").get("name") == name)


@pytest.mark.parametrize("logo_size", [(400, 100), (100, 400)])
def test_a_brand_logo_in_a_placeholder_keeps_its_aspect_and_loses_the_crop(tmp_path, logo_size):
    b, (x, y, cx, cy) = _placeholder_logo(tmp_path, "logo")
    look = memory_brand(logo_size)
    compiled = engine.compile(b.to_bytes(), b.spec(), label="t.pptx", theme=look.theme(), logo=look.logo)
    deck = engine.render(compiled, small_context()).data
    pic = _pic(deck, "logo")
    assert pic.find(f".//{q('a:srcRect')}") is None
    xfrm = pic.find(f"{q('p:spPr')}/{q('a:xfrm')}")
    assert xfrm is not None
    ox, oy = int(xfrm.find(q("a:off")).get("x")), int(xfrm.find(q("a:off")).get("y"))
    ex, ey = int(xfrm.find(q("a:ext")).get("cx")), int(xfrm.find(q("a:ext")).get("cy"))
    assert ex / ey == pytest.approx(logo_size[0] / logo_size[1], rel=0.01)
    assert x <= ox and y <= oy and ox + ex <= x + cx + 1 and oy + ey <= y + cy + 1  # inside the layout's frame
    assert max(ex / cx, ey / cy) == pytest.approx(1, rel=0.01)  # as large as fits


def test_a_prospect_logo_in_a_placeholder_keeps_its_aspect(tmp_path):
    from PIL import Image

    from deckgen.engine.media import picture_from_bytes

    b, (x, y, cx, cy) = _placeholder_logo(tmp_path, "prospect_logo")
    out = io.BytesIO()
    Image.new("RGB", (500, 100), "red").save(out, format="PNG")
    logo = picture_from_bytes(out.getvalue(), label="acme.png", what="prospect logo")
    look = memory_brand()
    compiled = engine.compile(b.to_bytes(), b.spec(), label="t.pptx", theme=look.theme(), logo=look.logo)
    pic = _pic(engine.render(compiled, small_context(), logo=logo).data, "prospect_logo")
    assert pic.find(f".//{q('a:srcRect')}") is None
    ext = pic.find(f"{q('p:spPr')}/{q('a:xfrm')}/{q('a:ext')}")
    assert int(ext.get("cx")) / int(ext.get("cy")) == pytest.approx(5, rel=0.01)
