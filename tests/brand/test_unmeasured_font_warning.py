"""A brand kit naming a font deckgen cannot measure: build and batch say so, once a run."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from deckgen.brand.kit import read_brand
from deckgen.cli import cli
from deckgen.errors import UnmeasuredFontWarning
from deckgen.resources import bundled_dir, examples_dir

PROFILE = examples_dir() / "profile.yaml"
PROSPECT = examples_dir() / "prospects" / "alamo-family-dental.yaml"
FONT = "Totally Unknown Sans"
RISK = "PowerPoint substitutes a font with other widths"


def unknown_font_kit(tmp_path: Path, heading: str = FONT, body: str = FONT) -> Path:
    """The bundled Ridgeline kit with its heading and body fonts renamed."""
    kit = tmp_path / "unknown-font"
    shutil.copytree(bundled_dir("brand") / "ridgeline", kit)
    text = (kit / "brand.yaml").read_text(encoding="utf-8")
    text = text.replace("heading: Calibri", f"heading: {heading}").replace("body: Calibri", f"body: {body}")
    assert heading in text and body in text
    (kit / "brand.yaml").write_text(text, encoding="utf-8")
    return kit


def font_warnings(output: str) -> list[str]:
    return [line for line in output.splitlines() if line.startswith("Warning:") and FONT in line]


def test_loading_the_kit_warns_naming_the_font_and_the_risk(tmp_path):
    _, warnings = read_brand(unknown_font_kit(tmp_path))
    found = [w for w in warnings if isinstance(w, UnmeasuredFontWarning)]
    assert len(found) == 1  # heading and body name the same font: one warning
    text = str(found[0])
    assert f"the heading and body font '{FONT}'" in text and RISK in text and "not guaranteed" in text


def test_only_the_unmeasurable_slot_is_named(tmp_path):
    _, warnings = read_brand(unknown_font_kit(tmp_path, body="Arial"))  # Arial: measured with Liberation Sans
    assert [str(w).split(":")[1].strip() for w in warnings if isinstance(w, UnmeasuredFontWarning)] == [
        f"the heading font '{FONT}' is not bundled with deckgen, not installed here and has no metric twin "
        "deckgen measures with, so text was fitted with Carlito instead and the fit is not guaranteed"
    ]


@pytest.mark.parametrize("kit", sorted(p.name for p in bundled_dir("brand").iterdir() if (p / "brand.yaml").is_file()))
def test_the_bundled_kits_give_no_font_warning(kit):
    _, warnings = read_brand(kit)
    assert not [w for w in warnings if isinstance(w, UnmeasuredFontWarning)]


def test_build_warns_once(tmp_path):
    deck = tmp_path / "deck.pptx"
    args = ["build", "-p", str(PROFILE), "-x", str(PROSPECT), "-b", str(unknown_font_kit(tmp_path))]
    result = CliRunner().invoke(cli, [*args, "-o", str(deck), "--date", "2026-11-25"])  # deck and seller brief
    assert result.exit_code == 0, result.output
    warned = font_warnings(result.output)
    assert len(warned) == 1, result.output
    assert RISK in warned[0]
    assert deck.is_file()


def test_batch_warns_once_not_per_row(tmp_path):
    rows = tmp_path / "prospects.csv"
    with open(rows, "w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["id", "company", "industry", "users", "city", "country", "it_model"])
        for i in range(3):
            writer.writerow([f"p{i}", f"Dental Group {i}", "Dental", "20", "San Antonio", "US", "break_fix"])
    out = tmp_path / "decks"
    args = ["batch", str(rows), "--profile", str(PROFILE), "--out-dir", str(out), "--jobs", "1"]
    result = CliRunner().invoke(cli, [*args, "--brand", str(unknown_font_kit(tmp_path)), "--date", "2026-11-25"])
    assert result.exit_code == 0, result.output
    assert len(font_warnings(result.output)) == 1, result.output
    assert len(list(out.glob("*.pptx"))) >= 3


def test_build_with_a_bundled_kit_gives_no_font_warning(tmp_path):
    deck = tmp_path / "deck.pptx"
    result = CliRunner().invoke(
        cli, ["build", "-p", str(PROFILE), "-x", str(PROSPECT), "-o", str(deck), "--date", "2026-11-25"]
    )
    assert result.exit_code == 0, result.output
    assert "metric twin" not in result.output
