"""Colours that keep their meaning (#12): fixed status colours, chart series apart in lightness, readable pairs."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import yaml
from click.testing import CliRunner
from PIL import Image

from deckgen.brand.contrast import contrast_ratio
from deckgen.brand.kit import read_brand
from deckgen.brand.palette import dark_logo_variant
from deckgen.brand.rules import SERIES_MIN, STATUS_COLORS, colour_warnings, fix_colors, is_status_hue
from deckgen.cli import cli
from deckgen.engine.media import load_picture
from deckgen.errors import UnmeasuredFontWarning
from deckgen.resources import bundled_dir
from tests.brand.test_brand_tools import CORPORATE_COLORS, corporate_potx, logo_png


def _colors(folder: Path) -> dict:
    return yaml.safe_load((folder / "brand.yaml").read_text(encoding="utf-8"))["colors"]


def test_status_hues_are_recognised_and_a_plum_walk_away_is_named():
    assert is_status_hue("positive", "2E7D4F") and is_status_hue("negative", "B3261E")
    assert not is_status_hue("negative", "7B2D6B")  # plum
    assert not is_status_hue("positive", "B3261E")
    assert not is_status_hue("positive", "6B7F70")  # a greyish sage: no chroma
    warnings = colour_warnings(
        {"primary": "14365D", "secondary": "0E7068", "accent": "F2A541", "positive": "B3261E", "negative": "7B2D6B"},
        "kit 'x'",
    )
    text = [str(w) for w in warnings]
    assert any("positive #B3261E does not read as green" in t for t in text)
    assert any("negative #7B2D6B does not read as red" in t for t in text)


def test_the_bundled_kits_break_no_colour_rule():
    for name in ("ridgeline", "slate"):
        brand, warnings = read_brand(name)
        assert [str(w) for w in warnings] == [], name


def test_a_dark_saturated_logo_gets_fixed_status_colours_and_series_apart(tmp_path):
    logo = logo_png(tmp_path / "logo.png", colors=("#5A1846", "#3B0F5C"))  # plum and deep violet
    result = CliRunner().invoke(cli, ["brand", "init", "--logo", str(logo), "--name", "plum", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    colors = {k: v.lstrip("#") for k, v in _colors(tmp_path / "plum").items()}
    assert colors["positive"] == STATUS_COLORS["positive"] and colors["negative"] == STATUS_COLORS["negative"]
    assert contrast_ratio(colors["accent"], colors["primary"]) >= 3.0 > SERIES_MIN
    assert contrast_ratio(colors["accent"], "FFFFFF") >= SERIES_MIN
    assert "fixed status colour" in (tmp_path / "plum" / "brand.yaml").read_text(encoding="utf-8")
    _, warnings = read_brand(str(tmp_path / "plum"))
    assert warnings == []


def test_fix_colors_moves_an_accent_that_matches_the_primary_and_names_both_ratios():
    fixed, warnings = fix_colors({"primary": "14365D", "secondary": "0E7068", "accent": "1A3A66"}, "kit")
    assert contrast_ratio(fixed["accent"], fixed["primary"]) >= 3.0
    (w,) = [str(w) for w in warnings if "accent #1A3A66" in str(w)]
    assert "differ by only 1.07:1" in w and f"deckgen chose accent #{fixed['accent']}" in w and "on the background" in w


def test_build_warns_for_a_kit_with_series_too_close_and_text_below_aa(tmp_path):
    kit = tmp_path / "close"
    shutil.copytree(bundled_dir("brand") / "ridgeline", kit)
    doc = yaml.safe_load((kit / "brand.yaml").read_text(encoding="utf-8"))
    doc["colors"].update(accent="#1A3A66", secondary="#6FB7B0", negative="#7B2D6B")
    (kit / "brand.yaml").write_text(yaml.safe_dump(doc), encoding="utf-8")
    _, warnings = read_brand(str(kit))
    text = "\n".join(str(w) for w in warnings)
    assert "cost chart's series, accent #1A3A66 and primary #14365D, differ by only 1.07:1" in text
    assert "secondary #6FB7B0 on background #FFFFFF" in text and "below AA 4.5:1" in text
    assert "negative #7B2D6B does not read as red" in text


def test_a_grey_corporate_theme_gets_a_dark_primary_and_says_so(tmp_path):
    grey = dict(CORPORATE_COLORS, dk2="000000", accent1="BFBFBF", accent2="A5A5A5", accent3="D9D9D9")
    potx = corporate_potx(tmp_path / "grey.potx", colors=grey)
    result = CliRunner().invoke(cli, ["brand", "import", str(potx), "--name", "grey", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    colors = {k: v.lstrip("#") for k, v in _colors(tmp_path / "grey").items()}
    assert contrast_ratio("FFFFFF", colors["primary"]) >= 4.5
    assert "primary #BFBFBF is too light for white text" in result.output
    assert f"deckgen chose #{colors['primary']}" in result.output
    assert colors["positive"] == STATUS_COLORS["positive"]
    _, warnings = read_brand(str(tmp_path / "grey"))
    colour_warnings = [w for w in warnings if not isinstance(w, UnmeasuredFontWarning)]  # its fonts: Montserrat…
    assert colour_warnings == [], [str(w) for w in colour_warnings]


def test_import_writes_a_knocked_out_logo_beside_the_kit(tmp_path):
    logo = logo_png(tmp_path / "corp-logo.png", size=(900, 300))
    potx = corporate_potx(tmp_path / "corp.potx", logo=logo)
    result = CliRunner().invoke(cli, ["brand", "import", str(potx), "--name", "acme", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    dark = tmp_path / "acme" / "logo-dark.png"
    assert dark.is_file() and "logo_dark" in result.output
    with Image.open(dark) as img:
        r, g, b, a = img.convert("RGBA").getpixel((150, 150))  # the disc's centre: white and opaque
        assert (r, g, b) == (255, 255, 255) and a == 255
        assert img.convert("RGBA").getpixel((5, 5))[3] == 0


def test_an_opaque_logo_on_white_is_knocked_out_and_a_badge_is_left_alone(tmp_path):
    flat = load_picture(logo_png(tmp_path / "flat.png", transparent=False))
    dark = dark_logo_variant(flat)
    assert dark is not None
    with Image.open(io.BytesIO(dark.data)) as img:
        assert img.getpixel((100, 100))[3] == 255 and img.getpixel((2, 2))[3] == 0
    badge = tmp_path / "badge.png"
    Image.new("RGB", (200, 200), "#14365D").save(badge)
    assert dark_logo_variant(load_picture(badge)) is None


def test_build_makes_a_dark_logo_in_memory_for_a_kit_without_one(tmp_path):
    kit = tmp_path / "nodark"
    shutil.copytree(bundled_dir("brand") / "ridgeline", kit)
    doc = yaml.safe_load((kit / "brand.yaml").read_text(encoding="utf-8"))
    doc["logo_dark"] = ""
    (kit / "brand.yaml").write_text(yaml.safe_dump(doc), encoding="utf-8")
    (kit / "logo-dark.png").unlink()
    brand, _ = read_brand(str(kit))
    assert brand.logo_dark is not None and brand.logo_dark.data != brand.logo.data
