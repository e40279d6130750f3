"""Brand kits from what an MSP already has: a corporate PowerPoint template, or just a logo."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from lxml import etree
from PIL import Image, ImageDraw
from pptx import Presentation
from pptx.oxml.shapes.picture import CT_Picture
from pptx.util import Emu, Inches

import deckgen.brand
from deckgen.brand.contrast import contrast_checks, contrast_ratio, meet_contrast, relative_luminance
from deckgen.brand.kit import load_brand
from deckgen.brand.kit_files import list_brands
from deckgen.brand.kit_import import draft_from_theme
from deckgen.brand.palette import derive_palette
from deckgen.brand.theme_slots import ROLE_THEME_SLOTS, role_slot_labels, theme_colors
from deckgen.cli import cli
from deckgen.engine.media import load_picture
from deckgen.engine.opc import open_package
from deckgen.errors import BrandWarning
from deckgen.model import BrandColors

A = "http://schemas.openxmlformats.org/drawingml/2006/main"
P = "http://schemas.openxmlformats.org/presentationml/2006/main"
CORPORATE_COLORS = {
    "dk1": "222222",
    "lt1": "FFFFFF",
    "dk2": "0B2545",
    "lt2": "EEF1F4",
    "accent1": "13315C",
    "accent2": "8D1B3D",
    "accent3": "F4B942",
    "accent4": "2E7D32",
    "accent5": "C62828",
    "accent6": "6A4C93",
}
CORPORATE_FONTS = {"major": "Montserrat", "minor": "Source Sans Pro", "ea": "Noto Sans CJK SC"}


def logo_png(path: Path, size=(600, 200), colors=("#D9480F", "#1864AB"), transparent=True) -> Path:
    """A two-colour logo: a disc and a bar on a transparent (or white) background."""
    img = Image.new("RGBA", size, (255, 255, 255, 0 if transparent else 255))
    draw = ImageDraw.Draw(img)
    w, h = size
    draw.ellipse([10, 10, h - 10, h - 10], fill=colors[0])
    draw.rectangle([h + 20, h // 3, w - 10, 2 * h // 3], fill=colors[1])
    img.save(path)
    return path


def corporate_potx(
    path: Path,
    *,
    colors=None,
    fonts=None,
    logo: Path | None = None,
    background: str | None = None,
    layout_names: dict[int, str] | None = None,
    widescreen: bool = True,
) -> Path:
    """A corporate template as a designer saves it: a .potx with its own theme, master background and logo.

    python-pptx writes a .pptx; the package's main content type is switched to template.main+xml.
    """
    prs = Presentation()
    if widescreen:
        prs.slide_width, prs.slide_height = Emu(12192000), Emu(6858000)
    master = prs.slide_master
    if logo is not None:
        _, rid = master.part.get_or_add_image_part(str(logo))
        pic = CT_Picture.new_pic(90, "Company Logo", "", rid, Inches(0.3), Inches(0.2), Inches(1.8), Inches(0.6))
        master.shapes._spTree.append(pic)
    if background:
        c_sld = master._element.find(f"{{{P}}}cSld")
        old = c_sld.find(f"{{{P}}}bg")
        if old is not None:
            c_sld.remove(old)
        bg = etree.fromstring(
            f'<p:bg xmlns:p="{P}" xmlns:a="{A}"><p:bgPr><a:solidFill><a:srgbClr val="{background}"/>'
            "</a:solidFill><a:effectLst/></p:bgPr></p:bg>"
        )
        c_sld.insert(0, bg)
    for index, name in (layout_names or {}).items():
        prs.slide_layouts[index]._element.find(f"{{{P}}}cSld").set("name", name)
    buf = io.BytesIO()
    prs.save(buf)
    colors = colors or CORPORATE_COLORS
    fonts = fonts or CORPORATE_FONTS
    with zipfile.ZipFile(buf) as zin, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            if info.filename == "[Content_Types].xml":
                data = data.replace(b"presentationml.presentation.main+xml", b"presentationml.template.main+xml")
            elif info.filename == "ppt/theme/theme1.xml":
                data = _themed(data, colors, fonts)
            zout.writestr(info.filename, data)
    return path


def _themed(data: bytes, colors: dict, fonts: dict) -> bytes:
    root = etree.fromstring(data)
    scheme = root.find(f".//{{{A}}}clrScheme")
    for slot, value in colors.items():
        el = scheme.find(f"{{{A}}}{slot}")
        for child in list(el):
            el.remove(child)
        etree.SubElement(el, f"{{{A}}}srgbClr").set("val", value)
    for group, key in (("majorFont", "major"), ("minorFont", "minor")):
        g = root.find(f".//{{{A}}}{group}")
        g.find(f"{{{A}}}latin").set("typeface", fonts[key])
        g.find(f"{{{A}}}ea").set("typeface", fonts["ea"])
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


# --------------------------------------------------------------------------- contrast arithmetic


def test_contrast_ratio_follows_wcag():
    assert contrast_ratio("FFFFFF", "000000") == pytest.approx(21.0)
    assert contrast_ratio("FFFFFF", "FFFFFF") == pytest.approx(1.0)
    assert contrast_ratio("767676", "FFFFFF") == pytest.approx(4.54, abs=0.01)  # the classic AA grey
    assert relative_luminance("808080") == pytest.approx(0.2159, abs=0.0005)


def test_meet_contrast_darkens_a_light_colour_just_enough_and_keeps_its_hue():
    amber = "F2A541"
    fixed = meet_contrast(amber, "FFFFFF")
    assert contrast_ratio(fixed, "FFFFFF") >= 4.5
    assert contrast_ratio(fixed, "FFFFFF") < 5.0  # the smallest change, not black
    r, g, b = (int(fixed[i : i + 2], 16) for i in (0, 2, 4))
    assert r > g > b  # still an amber/brown
    assert meet_contrast("14365D", "FFFFFF") == "14365D"  # already fine: unchanged


# --------------------------------------------------------------------------- the role <-> theme-slot table


def test_theme_colors_are_the_scheme_applying_a_kit_writes():
    kits = list_brands()
    assert kits
    for folder, kit in kits:
        assert theme_colors(kit.colors) == load_brand(folder).palette(), folder


def test_a_kit_read_from_a_theme_writes_that_theme_back(tmp_path):
    draft = draft_from_theme(open_package(corporate_potx(tmp_path / "corp.potx")), "corp")
    written = theme_colors(BrandColors(**draft.colors))
    # the docstring's promise: every slot comes back, except Dark 2 (it takes the primary), Accent 6 (a tint)
    # and Accent 4/5, which hold deckgen's fixed status colours whatever the theme had there
    kept = [s for s in CORPORATE_COLORS if s not in ("dk2", "accent6", "accent4", "accent5")]
    assert {s: written[s] for s in kept} == {s: CORPORATE_COLORS[s] for s in kept}
    assert set(ROLE_THEME_SLOTS) == set(deckgen.brand.ROLES)


def test_brand_yaml_and_the_swatch_name_each_roles_theme_slots(tmp_path):
    assert role_slot_labels("primary") == "Dark 2 + Accent 1"
    assert role_slot_labels("background") == "Light 1"
    potx = corporate_potx(tmp_path / "corp.potx")
    CliRunner().invoke(cli, ["brand", "import", str(potx), "--name", "corp", "--out", str(tmp_path)])
    text = (tmp_path / "corp" / "brand.yaml").read_text(encoding="utf-8")
    assert (
        "# Colours become the PowerPoint theme: text → Dark 1, background → Light 1, primary → Dark 2 and\n"
        "# Accent 1, secondary → Accent 2, accent → Accent 3, muted → Light 2, positive → Accent 4,\n"
        "# negative → Accent 5. Templates put white text on primary and secondary text on muted.\n"
    ) in text


def test_the_package_exposes_its_public_names_on_first_use():
    from deckgen.brand import contrast

    assert deckgen.brand.contrast_ratio is contrast.contrast_ratio
    assert "import_brand" in dir(deckgen.brand)
    with pytest.raises(AttributeError):
        deckgen.brand.no_such_name  # noqa: B018


# --------------------------------------------------------------------------- brand import


def test_import_reads_theme_colours_fonts_and_the_master_logo(tmp_path):
    logo = logo_png(tmp_path / "corp-logo.png", size=(900, 300))
    potx = corporate_potx(tmp_path / "corp.potx", logo=logo)
    result = CliRunner().invoke(cli, ["brand", "import", str(potx), "--name", "Acme", "--out", str(tmp_path / "kits")])
    assert result.exit_code == 0, result.output
    folder = tmp_path / "kits" / "acme"
    doc = yaml.safe_load((folder / "brand.yaml").read_text(encoding="utf-8"))
    assert doc["name"] == "Acme"
    assert doc["colors"] == {
        "primary": "#13315C",
        "secondary": "#8D1B3D",
        "accent": "#F4B942",
        "text": "#222222",
        "background": "#FFFFFF",
        "muted": "#EEF1F4",
        "positive": "#2E7D4F",  # the status colours are deckgen's, never the theme's
        "negative": "#B3261E",
    }
    assert doc["fonts"]["heading"] == "Montserrat" and doc["fonts"]["body"] == "Source Sans Pro"
    assert doc["fonts"]["east_asian"] == "Noto Sans CJK SC"
    kit = load_brand(str(folder))
    assert (kit.logo.width, kit.logo.height) == (900, 300)
    assert kit.palette()["accent1"] == "13315C" and kit.palette()["dk1"] == "222222"
    assert "largest picture on the slide master ('Company Logo')" in result.output


def test_import_takes_dark_2_as_primary_when_accent_1_cannot_carry_white_text(tmp_path):
    colors = dict(CORPORATE_COLORS, accent1="4F9CE8")  # a light sky blue: 2.9:1 with white
    potx = corporate_potx(tmp_path / "corp.potx", colors=colors)
    result = CliRunner().invoke(cli, ["brand", "import", str(potx), "--name", "sky", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    text = (tmp_path / "sky" / "brand.yaml").read_text(encoding="utf-8")
    doc = yaml.safe_load(text)
    assert doc["colors"]["primary"] == "#0B2545"
    assert "Dark 2 (Accent 1 #4F9CE8 is too light for white text" in text
    assert doc["logo"] == ""


def test_import_accepts_pptx_and_refuses_to_overwrite(tmp_path):
    potx = corporate_potx(tmp_path / "corp.potx")
    pptx = tmp_path / "corp.pptx"
    pptx.write_bytes(potx.read_bytes())
    runner = CliRunner()
    assert runner.invoke(cli, ["brand", "import", str(pptx), "--name", "acme", "--out", str(tmp_path)]).exit_code == 0
    again = runner.invoke(cli, ["brand", "import", str(pptx), "--name", "acme", "--out", str(tmp_path)])
    assert again.exit_code == 2 and "already exists" in again.output
    assert (
        runner.invoke(
            cli, ["brand", "import", str(pptx), "--name", "acme", "--out", str(tmp_path), "--force"]
        ).exit_code
        == 0
    )


def test_import_warns_where_the_theme_misses_aa_contrast(tmp_path):
    colors = dict(CORPORATE_COLORS, accent2="F7C8D0")  # pale pink as secondary: unreadable labels
    potx = corporate_potx(tmp_path / "corp.potx", colors=colors)
    result = CliRunner().invoke(cli, ["brand", "import", str(potx), "--name", "pink", "--out", str(tmp_path)])
    assert result.exit_code == 0
    assert "Warning: the theme: secondary #F7C8D0 is hard to read on the background (1.5:1, needs 4.5:1)" in (
        result.output
    )
    chosen = yaml.safe_load((tmp_path / "pink" / "brand.yaml").read_text(encoding="utf-8"))["colors"]["secondary"]
    assert f"deckgen chose {chosen}" in result.output
    assert contrast_ratio(chosen.lstrip("#"), "FFFFFF") >= 4.5


# --------------------------------------------------------------------------- brand init (palette from a logo)


@pytest.mark.parametrize(
    "colors",
    [
        ("#F59F00", "#74C0FC"),  # two light colours: both must be darkened
        ("#0B7285", "#E8590C"),  # one dark, one bright
        ("#5F3DC4", "#5F3DC4"),
    ],
)  # a single colour
def test_a_logo_derived_palette_meets_aa_contrast_for_every_text_pair(tmp_path, colors):
    palette = derive_palette(load_picture(logo_png(tmp_path / "logo.png", colors=colors)))
    checks = contrast_checks(palette.colors)
    assert len(checks) == 7  # five text pairs, the accent bar on primary and on white
    for check in checks:
        assert contrast_ratio(check.fg, check.bg) >= check.required >= 1.5, check.describe()
    assert palette.colors["background"] == "FFFFFF"


def test_the_logos_own_colours_become_the_palette_when_they_are_readable(tmp_path):
    palette = derive_palette(load_picture(logo_png(tmp_path / "logo.png", colors=("#0B7285", "#862E9C"))))
    assert {palette.colors["primary"], palette.colors["secondary"]} == {"0B7285", "862E9C"}
    assert palette.warnings == []


def test_toned_logo_colours_are_reported_as_brand_warnings(tmp_path):
    palette = derive_palette(load_picture(logo_png(tmp_path / "logo.png", colors=("#FAB005", "#FFD43B"))))
    assert palette.warnings and all(isinstance(w, BrandWarning) for w in palette.warnings)
    assert str(palette.warnings[0]).startswith("the logo's main colour #")


def test_brand_init_warns_where_the_logo_colours_miss_aa_and_says_what_it_chose(tmp_path):
    logo = logo_png(tmp_path / "logo.png", size=(600, 200), colors=("#FAB005", "#FFD43B"))
    result = CliRunner().invoke(cli, ["brand", "init", "--logo", str(logo), "--name", "sunny", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "Warning: the logo's main colour #" in result.output and "too light for white text" in result.output
    kit = load_brand(str(tmp_path / "sunny"))
    colors = {k: v for k, v in kit.kit.colors.model_dump().items() if v}
    assert all(c.passes for c in contrast_checks(colors))
    assert kit.logo_dark is not None and (tmp_path / "sunny" / "logo-dark.png").is_file()


def test_brand_init_refuses_a_file_that_is_not_an_image(tmp_path):
    fake = tmp_path / "logo.png"
    fake.write_text("not an image", encoding="utf-8")
    result = CliRunner().invoke(cli, ["brand", "init", "--logo", str(fake), "--name", "x", "--out", str(tmp_path)])
    assert result.exit_code == 2 and "not a readable image" in result.output


# --------------------------------------------------------------------------- brand show / list


def test_brand_show_writes_a_swatch_png_and_prints_the_contrast(tmp_path):
    out = tmp_path / "swatch.png"
    result = CliRunner().invoke(cli, ["brand", "show", "ridgeline", "--out", str(out)])
    assert result.exit_code == 0, result.output
    with Image.open(out) as img:
        assert img.format == "PNG" and img.width == 1280 and img.height > 600
        assert img.convert("RGB").getpixel((48 + 10, 230)) == (0x14, 0x36, 0x5D)  # the primary chip
    assert "background #FFFFFF on primary #14365D: 12.2:1 (meets AA)" in result.output


def test_brand_show_takes_a_kit_folder_made_by_init(tmp_path):
    logo = logo_png(tmp_path / "logo.png")
    CliRunner().invoke(cli, ["brand", "init", "--logo", str(logo), "--name", "acme", "--out", str(tmp_path)])
    out = tmp_path / "acme.png"
    result = CliRunner().invoke(cli, ["brand", "show", str(tmp_path / "acme"), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert out.stat().st_size > 10_000


def test_brand_list_lists_the_bundled_kits():
    result = CliRunner().invoke(cli, ["brand", "list"])
    assert result.exit_code == 0
    assert "ridgeline" in result.output and "Ridgeline Managed IT" in result.output and "slate" in result.output
