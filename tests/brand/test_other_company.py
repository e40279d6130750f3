"""A brand kit made for another company is warned about: its footer and logo go on every slide."""

from __future__ import annotations

from click.testing import CliRunner

from deckgen.brand.kit import read_brand
from deckgen.build import _other_company
from deckgen.cli import cli
from deckgen.errors import BrandWarning
from deckgen.load.files import load_profile
from deckgen.resources import examples_dir

PROFILE = load_profile(examples_dir() / "profile.yaml")  # Ridgeline Managed IT


def test_the_profiles_own_kit_is_quiet():
    brand, _ = read_brand("ridgeline")
    assert _other_company(brand, PROFILE) == []


def test_another_companys_kit_is_named_with_its_footer():
    brand, _ = read_brand("slate")
    (warning,) = _other_company(brand, PROFILE)
    assert isinstance(warning, BrandWarning)
    assert "Slate Harbor IT Services" in warning.message and "Ridgeline Managed IT" in warning.message


def test_the_kit_named_after_the_msp_is_quiet_whatever_its_footer():
    brand, _ = read_brand("slate")
    renamed = PROFILE.model_copy(update={"msp": PROFILE.msp.model_copy(update={"name": "Slate Harbor IT Services"})})
    assert _other_company(brand, renamed) == []


def test_build_prints_it(tmp_path):
    prospect = examples_dir() / "prospects" / "alamo-family-dental.yaml"
    args = ["build", "-p", str(examples_dir() / "profile.yaml"), "-x", str(prospect), "-o", str(tmp_path / "d.pptx")]
    result = CliRunner().invoke(cli, [*args, "-b", "slate", "--no-brief", "--date", "2026-11-25"])
    assert result.exit_code == 0, result.output
    assert "names another company than your profile (Ridgeline Managed IT)" in result.output
