"""`--master corp.potx`: a template's slides on the MSP's own corporate slide master.

The deck must carry the corporate master's background (checked on the rendered page, not only
in the XML), stay a valid package that PowerPoint and LibreOffice open, and say which slides had
no layout of the same name in the master.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from PIL import Image
from pptx import Presentation

import tools
from deckgen.cli import cli
from deckgen.resources import examples_dir
from tests.brand.test_brand_tools import CORPORATE_COLORS, corporate_potx, logo_png
from tests.engine.builders import TemplateBuilder

PROFILE = examples_dir() / "profile.yaml"
PROSPECT = examples_dir() / "prospects" / "alamo-family-dental.yaml"
PURPLE = "7B2D8E"  # the corporate master's background: nothing else in a deck is this colour


def rgb(hex_color: str) -> tuple[int, int, int]:
    return tuple(int(hex_color[i : i + 2], 16) for i in (0, 2, 4))


def close_to(pixel, hex_color: str, tolerance: int = 6) -> bool:
    return all(abs(a - b) <= tolerance for a, b in zip(pixel, rgb(hex_color)))


def build(tmp_path: Path, *extra: str, template: str = "walk-away") -> tuple[Path, str]:
    deck = tmp_path / "deck.pptx"
    result = CliRunner().invoke(
        cli,
        [
            "build",
            "--profile",
            str(PROFILE),
            "--prospect",
            str(PROSPECT),
            "--template",
            template,
            "--out",
            str(deck),
            "--date",
            "2026-11-25",
            *extra,
        ],
    )
    assert result.exit_code == 0, result.output
    return deck, result.output


@pytest.fixture
def corp(tmp_path) -> Path:
    logo = logo_png(tmp_path / "corp-logo.png", size=(900, 300))
    return corporate_potx(tmp_path / "corp.potx", background=PURPLE, logo=logo)


def test_deck_on_the_corporate_master_is_valid_and_reopens(tmp_path, corp):
    deck, _ = build(tmp_path, "--master", str(corp))
    assert tools.validate_ooxml(deck) == []
    prs = Presentation(str(deck))
    (tmp_path / "plain").mkdir()
    plain, _ = build(tmp_path / "plain")
    assert len(prs.slides) == len(Presentation(str(plain)).slides) >= 5  # the storyline's slides, on the master
    # each slide sits on the corporate layout named like the template's own (walk-away: Title Only)
    assert {slide.slide_layout.name for slide in prs.slides} == {
        s.slide_layout.name for s in Presentation(str(plain)).slides
    }
    assert len(prs.slide_layouts) == 11  # every corporate layout comes along, for slides added later
    master_xml = zipfile.ZipFile(deck).read("ppt/slideMasters/slideMaster1.xml")
    assert f'<a:srgbClr val="{PURPLE}"/>'.encode() in master_xml


def test_without_brand_the_masters_own_theme_and_logo_are_used(tmp_path, corp):
    deck, output = build(tmp_path, "--master", str(corp))
    with zipfile.ZipFile(deck) as z:
        theme = z.read("ppt/theme/theme1.xml").decode()
        names = z.namelist()
    assert f'<a:dk2><a:srgbClr val="{CORPORATE_COLORS["dk2"]}"/></a:dk2>' in theme
    assert "Montserrat" in theme
    assert any(n.startswith("ppt/media/brand-logo-") for n in names)  # the master's logo, in 'logo' pictures
    # the only warnings are about the master's logo itself: over the titles, and dim on the purple background
    assert [line for line in output.splitlines() if line.startswith("Warning") and "'Company Logo'" not in line] == []


def test_with_brand_the_brand_kit_recolours_the_corporate_theme(tmp_path, corp):
    deck, _ = build(tmp_path, "--master", str(corp), "--brand", "ridgeline")
    with zipfile.ZipFile(deck) as z:
        theme = z.read("ppt/theme/theme1.xml").decode()
        master = z.read("ppt/slideMasters/slideMaster1.xml").decode()
    assert '<a:accent1><a:srgbClr val="14365D"/></a:accent1>' in theme
    assert PURPLE in master  # the corporate background stays: it isn't a theme colour


@pytest.mark.slow
def test_rendered_pages_show_the_corporate_background(tmp_path, corp):
    from deckgen.export.pdf import PdfConverter
    from deckgen.export.png import render_pngs

    deck, _ = build(tmp_path, "--master", str(corp))
    tools.require_tool("soffice")
    tools.require_tool("pdftoppm")
    with PdfConverter() as conv:
        pdf = conv.convert([deck], tmp_path)[deck]
    assert not isinstance(pdf, Exception), pdf
    assert tools.pdf_page_count(pdf) == len(Presentation(str(deck)).slides)
    pages = render_pngs(pdf, tmp_path / "png", dpi=24)
    with Image.open(pages[1]) as page:  # slide 2 has no background of its own
        page = page.convert("RGB")
        corner = page.getpixel((page.width - 3, 3))
        assert close_to(corner, PURPLE), corner
        assert close_to(page.getpixel((page.width - 3, page.height // 2)), PURPLE)
    with Image.open(pages[0]) as title:  # the title slide paints itself Text 2: the master theme's Dark 2
        assert close_to(title.convert("RGB").getpixel((3, 3)), CORPORATE_COLORS["dk2"])


def test_a_slide_without_a_same_named_layout_is_reported_with_its_fallback(tmp_path):
    b = TemplateBuilder()
    b.new_slide()
    b.text("Company", "{{ prospect.company }}")
    b.slide = b.prs.slides.add_slide(b.prs.slide_layouts[5])  # "Title Only"
    b.slide.shapes.title.text = "Why {{ prospect.company }}"
    folder = b.save(tmp_path / "tpl")
    corp = corporate_potx(tmp_path / "corp.potx", background=PURPLE, layout_names={5: "Heading only"})
    deck, output = build(tmp_path, "--master", str(corp), template=str(folder))
    assert (
        "Warning: slide 2: corp.potx has no layout named 'Title Only'; using its layout 'Heading only' instead"
        in output
    )
    prs = Presentation(str(deck))
    assert [s.slide_layout.name for s in prs.slides] == ["Blank", "Heading only"]
    assert prs.slides[1].shapes.title.text == "Why Alamo Family Dental"
    assert tools.validate_ooxml(deck) == []


def test_a_master_of_another_slide_size_is_warned_about(tmp_path):
    corp = corporate_potx(tmp_path / "corp.potx", widescreen=False)
    _, output = build(tmp_path, "--master", str(corp))
    assert "corp.potx is designed for 4:3" in output and "the template for 16:9" in output


def test_master_that_is_not_powerpoint_is_a_usage_error(tmp_path):
    bad = tmp_path / "corp.potx"
    bad.write_bytes(b"PK not really")
    result = CliRunner().invoke(
        cli,
        [
            "build",
            "--profile",
            str(PROFILE),
            "--prospect",
            str(PROSPECT),
            "--master",
            str(bad),
            "--out",
            str(tmp_path / "d.pptx"),
        ],
    )
    assert result.exit_code == 2 and "Error:" in result.output and "not a PowerPoint file" in result.output
    assert not (tmp_path / "d.pptx").exists()


def test_two_builds_on_the_same_master_are_byte_identical(tmp_path, corp):
    first, _ = build(tmp_path, "--master", str(corp))
    data = first.read_bytes()
    again, _ = build(tmp_path, "--master", str(corp))
    assert again.read_bytes() == data


def _impress_sized(corp: Path) -> Path:
    """``corp`` as LibreOffice Impress saves a master: 28 × 15.75 cm, everything on it scaled down to match."""
    from deckgen.engine.scaling import scale_part

    sx = sy = 10_080_000 / 12_192_000
    with zipfile.ZipFile(corp) as z:
        items = {i.filename: z.read(i) for i in z.infolist()}
    for name in list(items):
        if name.startswith(("ppt/slideMasters/slideMaster", "ppt/slideLayouts/slideLayout")) and name.endswith(".xml"):
            items[name] = scale_part(items[name], name, "corp", sx, sy)
    items["ppt/presentation.xml"] = items["ppt/presentation.xml"].replace(
        b'cx="12192000" cy="6858000"', b'cx="10080000" cy="5670000"'
    )
    out = corp.with_name("impress.potx")
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in items.items():
            z.writestr(name, data)
    return out


def _logo_frame(pptx: Path) -> tuple[int, int, int, int]:
    from lxml import etree

    from deckgen.engine.opc import q

    with zipfile.ZipFile(pptx) as z:
        name = next(n for n in z.namelist() if n.startswith("ppt/slideMasters/slideMaster") and n.endswith(".xml"))
        root = etree.fromstring(z.read(name))
    pic = next(p for p in root.iter(q("p:pic")) if p.find(f".//{q('p:cNvPr')}").get("name") == "Company Logo")
    off, ext = pic.find(f".//{q('a:off')}"), pic.find(f".//{q('a:ext')}")
    return int(off.get("x")), int(off.get("y")), int(ext.get("cx")), int(ext.get("cy"))


@pytest.mark.slow
def test_an_impress_sized_master_is_scaled_in_proportion(tmp_path, corp):
    impress = _impress_sized(corp)
    assert b'cx="10080000"' in zipfile.ZipFile(impress).read("ppt/presentation.xml")
    deck, output = build(tmp_path, "--master", str(impress))
    assert "scaled in proportion" in output
    want = _logo_frame(corp)  # where the designer put it on a widescreen slide
    got = _logo_frame(deck)
    assert got != _logo_frame(impress)
    for a, b in zip(got, want):
        assert abs(a - b) <= 100, (got, want)  # EMU: rounding twice (down to 28 cm and back up) loses a few
    assert tools.validate_ooxml(deck) == []
