"""Master and layout graphics that collide with a slide, and logos that barely stand out (issue #14).

Templates are built here with python-pptx and lxml: a slide master carrying a corporate logo over a
slide's text box, a layout with a coloured band over a chart, a dark title slide given the brand's
light-background logo. Each is warned once — at compile (so ``build`` and ``batch`` print it once per
run) and at ``templates lint`` — with the slide, the graphic, the shape and the fix.
"""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree
from PIL import Image, ImageDraw
from pptx.oxml.shapes.picture import CT_Picture
from pptx.util import Inches

from deckgen.authoring.lint import lint_template
from deckgen.brand.contrast import relative_luminance
from deckgen.brand.kit import read_brand
from deckgen.build import compile_branded
from deckgen.cli import cli
from deckgen.engine.colours import luminance, picture_luminance
from deckgen.errors import LogoContrastWarning, OverlapWarning
from deckgen.resources import examples_dir
from tests.engine.builders import TemplateBuilder

PROFILE = examples_dir() / "profile.yaml"
DATE = "2026-11-25"
P = "http://schemas.openxmlformats.org/presentationml/2006/main"
A = "http://schemas.openxmlformats.org/drawingml/2006/main"
NAVY, WHITE = "14365D", "F4F4F4"


def logo_png(path: Path, colour: str, size=(400, 120)) -> Path:
    """A one-colour logo mark on a transparent background, as brand kits ship them."""
    img = Image.new("RGBA", size, (0, 0, 0, 0))
    ImageDraw.Draw(img).rectangle([10, 30, size[0] - 10, size[1] - 30], fill="#" + colour)
    img.save(path)
    return path


def master_picture(builder: TemplateBuilder, path: Path, name: str, x, y, cx, cy) -> None:
    """Put a picture on the slide master, as a designer does in View › Slide Master."""
    master = builder.prs.slide_master
    _, rid = master.part.get_or_add_image_part(str(path))
    master.shapes._spTree.append(CT_Picture.new_pic(90, name, "", rid, x, y, cx, cy))


def band(shapes_el, name: str, colour: str, x, y, cx, cy) -> None:
    """A filled rectangle (a coloured band) appended to a slide, layout or master shape tree."""
    shapes_el.append(
        etree.fromstring(
            f'<p:sp xmlns:p="{P}" xmlns:a="{A}"><p:nvSpPr><p:cNvPr id="77" name="{name}"/><p:cNvSpPr/><p:nvPr/>'
            f'</p:nvSpPr><p:spPr><a:xfrm><a:off x="{x}" y="{y}"/><a:ext cx="{cx}" cy="{cy}"/></a:xfrm>'
            f'<a:prstGeom prst="rect"><a:avLst/></a:prstGeom><a:solidFill><a:srgbClr val="{colour}"/></a:solidFill>'
            "</p:spPr></p:sp>"
        )
    )


def dark_background(slide, colour: str = NAVY) -> None:
    c_sld = slide._element.find(f"{{{P}}}cSld")
    c_sld.insert(
        0,
        etree.fromstring(
            f'<p:bg xmlns:p="{P}" xmlns:a="{A}"><p:bgPr><a:solidFill><a:srgbClr val="{colour}"/></a:solidFill>'
            "<a:effectLst/></p:bgPr></p:bg>"
        ),
    )


def brand_kit(folder: Path) -> Path:
    """A kit whose logo is dark (for light slides) and whose logo_dark is light (for dark slides)."""
    folder.mkdir(parents=True, exist_ok=True)
    logo_png(folder / "logo.png", NAVY)
    logo_png(folder / "logo-dark.png", WHITE)
    (folder / "brand.yaml").write_text(
        "name: Test Brand\ncolors: {primary: '#123456', secondary: '#2A7D6F', accent: '#E9C46A'}\n"
        "fonts: {heading: Carlito, body: Carlito}\nlogo: logo.png\nlogo_dark: logo-dark.png\n",
        encoding="utf-8",
    )
    return folder


def logo_over_text(tmp_path: Path, *, x=0.4, y=0.4, cx=2.0, cy=0.8) -> Path:
    """Slide 1's text box 'Greeting' at (0.5 in, 0.5 in), 10 × 0.8 in; a corporate logo on the master at
    (x, y), cx × cy inches."""
    b = TemplateBuilder()
    b.new_slide()
    b.text("Greeting", "Hello {{ prospect.company }}")
    corp = logo_png(tmp_path / "corp.png", "D9480F")
    master_picture(b, corp, "Company Logo", Inches(x), Inches(y), Inches(cx), Inches(cy))
    return b.save(tmp_path / "tpl")


def compiled_warnings(folder: Path, kit: str | Path = "ridgeline"):
    brand, _ = read_brand(str(kit))
    compiled, warnings = compile_branded(folder, brand)
    return compiled, warnings


# --------------------------------------------------------------------------- overlaps


def test_a_master_logo_over_a_text_box_is_a_compile_warning_naming_slide_logo_shape_and_fix(tmp_path):
    compiled, warnings = compiled_warnings(logo_over_text(tmp_path))
    (w,) = [w for w in compiled.warnings if isinstance(w, OverlapWarning)]
    assert w.slides == (1,) and w.shape == "Greeting"
    assert "the picture 'Company Logo' on the slide master covers part of this shape" in w.message
    assert "move the shape, use a layout without the picture, or delete it from the slide master" in w.message
    assert str(w).endswith(f"slide 1, shape 'Greeting': {w.message}") and w in warnings
    assert pickle.loads(pickle.dumps(compiled.warnings)) == compiled.warnings  # they cross to batch workers


def test_lint_warns_about_the_master_logo_over_the_text_box(tmp_path):
    report = lint_template(logo_over_text(tmp_path))
    (found,) = [f for f in report.findings if "Company Logo" in f.message]
    assert found.level == "warning" and found.slide == 1 and found.shape == "Greeting"
    result = CliRunner().invoke(cli, ["templates", "lint", str(tmp_path / "tpl")])
    assert "slide 1, shape 'Greeting': the picture 'Company Logo' on the slide master covers part" in result.output


@pytest.mark.parametrize(
    "where",
    [
        dict(x=10.45, y=1.2),  # touches the box's corner: well under 3 % of the logo
        dict(x=11, y=6),  # far from it
        dict(x=0, y=0, cx=13.333, cy=7.5),  # a full-slide picture is the background
    ],
)
def test_tiny_overlaps_distant_logos_and_full_slide_backgrounds_are_not_warned(tmp_path, where):
    compiled, _ = compiled_warnings(logo_over_text(tmp_path, **where))
    assert not [w for w in compiled.warnings if isinstance(w, OverlapWarning)]


def test_a_layout_band_over_a_chart_names_the_layout_and_a_layout_without_master_shapes_hides_the_logo(tmp_path):
    b = TemplateBuilder()
    b.new_slide()
    b.chart("Revenue chart")  # at (1 in, 2 in), 6 × 4 in
    layout = b.prs.slide_layouts[6]
    band(layout.shapes._spTree, "Brand band", "E9C46A", Inches(0), Inches(3), Inches(13.333), Inches(0.5))
    layout._element.set("showMasterSp", "0")  # the master's logo is not shown on slides with this layout
    master_picture(
        b, logo_png(tmp_path / "corp.png", "D9480F"), "Company Logo", Inches(1), Inches(2), Inches(2), Inches(1)
    )
    compiled, _ = compiled_warnings(b.save(tmp_path / "tpl"))
    (w,) = [w for w in compiled.warnings if isinstance(w, OverlapWarning)]
    assert w.shape == "Revenue chart" and "the shape 'Brand band' on layout 'Blank' covers part" in w.message


def test_one_warning_names_every_slide_that_shares_the_overlap(tmp_path):
    b = TemplateBuilder()
    for n in range(3):
        b.new_slide()
        b.text("Greeting", f"Slide {n}")
    master_picture(
        b, logo_png(tmp_path / "corp.png", "D9480F"), "Company Logo", Inches(0.4), Inches(0.4), Inches(2), Inches(0.8)
    )
    compiled, _ = compiled_warnings(b.save(tmp_path / "tpl"))
    (w,) = [w for w in compiled.warnings if isinstance(w, OverlapWarning)]
    assert w.slides == (1, 2, 3) and str(w).startswith(f"{compiled.source}, slides 1, 2 and 3, shape 'Greeting'")


def test_build_and_batch_print_the_overlap_once_per_run_not_per_row(tmp_path):
    folder = logo_over_text(tmp_path)
    prospect = tmp_path / "p.yaml"
    prospect.write_text("company: Acme\n", encoding="utf-8")
    needle = "shape 'Greeting': the picture 'Company Logo' on the slide master covers part of this shape"
    result = CliRunner().invoke(
        cli, ["build", "-p", str(PROFILE), "-x", str(prospect), "-o", str(tmp_path / "d.pptx"), "--date", DATE,
              "--template", str(folder)]
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert result.output.count(needle) == 1 and "Warning: " in result.output
    rows = tmp_path / "rows.csv"
    rows.write_text("company,industry\nAcme,Dental\nBeta,Legal\nGamma,Accounting\n", encoding="utf-8")
    result = CliRunner().invoke(
        cli, ["batch", str(rows), "-p", str(PROFILE), "-o", str(tmp_path / "out"), "--date", DATE, "--jobs", "1",
              "--quiet", "--template", str(folder)]
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert result.output.count(needle) == 1


# --------------------------------------------------------------------------- logo contrast


def dark_title(tmp_path: Path, picture_name: str) -> Path:
    """A dark title slide with a logo slot named ``picture_name`` and a white content slide with 'logo'."""
    b = TemplateBuilder()
    slide = b.new_slide()
    dark_background(slide)
    b.text("Company", "{{ prospect.company }}")
    b.picture(picture_name, logo_png(tmp_path / "placeholder.png", "777777"), width=2, height=0.6)
    b.new_slide()
    b.text("Body", "{{ msp.name }}")
    b.picture("logo", tmp_path / "placeholder.png", width=2, height=0.6)
    return b.save(tmp_path / "tpl")


def test_the_light_background_logo_on_a_dark_title_slide_is_warned_with_the_fix(tmp_path):
    kit = brand_kit(tmp_path / "kit")
    compiled, _ = compiled_warnings(dark_title(tmp_path, "logo"), kit)
    (w,) = [w for w in compiled.warnings if isinstance(w, LogoContrastWarning)]
    assert w.slides == (1,) and w.shape == "logo"
    assert f"the logo barely stands out from its background here (1.0:1 against #{NAVY}; aim for 3:1)" in w.message
    assert "name the picture logo_dark" in w.message and "dark-background logo" in w.message
    assert "or change the background" in w.message


def test_the_dark_background_logo_on_the_dark_slide_is_not_warned(tmp_path):
    kit = brand_kit(tmp_path / "kit")
    compiled, _ = compiled_warnings(dark_title(tmp_path, "logo_dark"), kit)
    assert not [w for w in compiled.warnings if isinstance(w, LogoContrastWarning)]
    report = lint_template(tmp_path / "tpl")  # the default kit (ridgeline) has both logos too
    assert not [f for f in report.findings if "stands out" in f.message]


def test_lint_names_the_slide_of_a_light_logo_on_a_dark_slide(tmp_path):
    report = lint_template(dark_title(tmp_path, "logo"))  # ridgeline's dark navy logo on navy
    (found,) = [f for f in report.findings if "barely stands out" in f.message]
    assert found.level == "warning" and found.slide == 1 and found.shape == "logo"


def test_a_dark_master_logo_on_a_dark_master_band_is_warned(tmp_path):
    b = TemplateBuilder()
    b.new_slide()
    b.text("Body", "{{ msp.name }}", "x")
    master = b.prs.slide_master
    band(master.shapes._spTree, "Footer band", "1F2933", 0, Inches(6.8), Inches(13.333), Inches(0.7))
    master_picture(
        b, logo_png(tmp_path / "corp.png", NAVY), "Company Logo", Inches(11), Inches(6.85), Inches(2), Inches(0.6)
    )
    compiled, _ = compiled_warnings(b.save(tmp_path / "tpl"))
    (w,) = [w for w in compiled.warnings if isinstance(w, LogoContrastWarning)]
    assert w.shape == "Company Logo" and "the picture 'Company Logo' on the slide master barely stands out" in w.message
    assert "against #1F2933" in w.message and "logo_dark" in w.message


@pytest.mark.parametrize("kit", ["ridgeline", "slate"])
@pytest.mark.parametrize("template", ["walk-away", "seller-brief"])
def test_the_bundled_templates_and_kits_raise_no_compile_warning(kit, template):
    compiled, warnings = compiled_warnings(template, kit)
    assert compiled.warnings == () and warnings == []


def test_the_check_does_measure_the_bundled_logos(tmp_path):
    """Control for the test above: with the kit's two logos swapped, both logo slots are warned about."""
    folder = tmp_path / "swapped"
    folder.mkdir()
    src = Path(read_brand("ridgeline")[0].folder)
    (folder / "logo.png").write_bytes((src / "logo-dark.png").read_bytes())
    (folder / "logo-dark.png").write_bytes((src / "logo.png").read_bytes())
    (folder / "brand.yaml").write_text((src / "brand.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    compiled, _ = compiled_warnings("walk-away", folder)
    assert {w.shape for w in compiled.warnings} == {"logo_dark", "logo"}  # the dark title, the light contact panel
    assert all(isinstance(w, LogoContrastWarning) for w in compiled.warnings)


def test_the_engine_measures_luminance_as_the_brand_layer_does():
    for colour in ("000000", "FFFFFF", NAVY, "F2A541", "0E7068", "777777"):
        assert luminance(colour) == pytest.approx(relative_luminance(colour))


def test_logo_measurement_is_bounded_and_skips_what_it_cannot_read(tmp_path):
    opaque = tmp_path / "opaque.png"
    Image.new("RGB", (50, 20), "navy").save(opaque)
    assert picture_luminance(opaque.read_bytes()) is None  # no transparency: it carries its own background
    assert picture_luminance(b"not an image") is None
    huge = tmp_path / "huge.png"
    Image.new("LA", (8000, 6000)).save(huge)  # 48 Mpx: over the engine's image limit, never decoded
    assert picture_luminance(huge.read_bytes()) is None
    light = picture_luminance(logo_png(tmp_path / "l.png", "FFFFFF").read_bytes())
    assert light == pytest.approx(1.0)
