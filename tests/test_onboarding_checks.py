"""Mistakes that read cleanly but would price, score or draw wrongly, and ``deckgen check`` on a user's own files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from onboarding import PROSPECT, edit, workspace

from deckgen.cli.app import cli


@pytest.fixture
def ws(tmp_path: Path) -> Path:
    return workspace(tmp_path)


def _build(ws: Path, profile: str = "profile.yaml", prospect: str = PROSPECT):
    out = ws.parent / "out" / "deck.pptx"
    args = ["build", "-p", str(ws / profile), "-x", str(ws / prospect), "-b", str(ws / "brand"), "-o", str(out)]
    return CliRunner().invoke(cli, args), out


def _check(*paths: Path):
    return CliRunner().invoke(cli, ["check", *map(str, paths)])


def test_a_tier_naming_a_misspelt_service_is_refused_instead_of_priced_without_it(ws):
    edit(ws / "profile.yaml", "services: [Managed Support]", "services: [Managed Suport]")
    result, out = _build(ws)
    assert result.exit_code == 2 and not out.exists()
    assert f"Error: {ws / 'profile.yaml'}:193 tiers[0].services[0]: 'Managed Suport' is not one of" in result.output
    assert "did you mean 'Managed Support'?" in result.output


def test_a_size_range_upside_down_is_refused(ws):
    edit(ws / "profile.yaml", "max_users: 150", "max_users: 10")
    result, _ = _build(ws)
    assert result.exit_code == 2
    assert "profile.yaml:89 icp.size.max_users: max_users (10) is less than min_users (15)" in result.output


def test_an_empty_profile_and_a_prospect_given_as_the_profile_say_so(ws):
    result, _ = _build(ws, profile=PROSPECT)
    assert result.exit_code == 2 and "this is a prospect file, not a profile: give it with --prospect" in result.output
    (ws / "profile.yaml").write_text("# just comments\n\n", encoding="utf-8")
    result, _ = _build(ws)
    assert result.exit_code == 2 and "profile.yaml: the file is empty (only comments or blank lines)" in result.output


@pytest.mark.parametrize("repeat, builds", [(3, True), (6, False)])
def test_a_closing_line_over_the_profiles_limit_is_warned_with_its_line(ws, repeat, builds):
    old = "Our job is to find out why it broke and make sure it doesn't again. If you only\n      want"
    edit(ws / "profile.yaml", old, "We find the cause of every problem so it stays fixed. " * repeat)
    result, out = _build(ws)
    assert "profile.yaml:273 closings[0].text: closing line 'ridgeline-why-it-broke' is" in result.output
    assert "keep it under 160" in result.output
    assert (result.exit_code == 0) is builds and out.exists() is builds, result.output
    if not builds:  # the seller brief cannot draw it: the warning is named as the likely cause
        assert "(the files were read with a warning that may be why: " in result.output


def test_a_missing_or_vector_logo_names_brand_yaml_line_and_the_images_there(ws):
    edit(ws / "brand/brand.yaml", "logo: logo.png", "logo: company-logo.png")
    result, _ = _build(ws)
    assert result.exit_code == 2
    assert f"{ws / 'brand/brand.yaml'}:20 logo: 'company-logo.png' is not in the brand kit's folder" in result.output
    assert "the images there are: logo-dark.png, logo.png" in result.output
    (ws / "brand/logo.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"/>', encoding="utf-8")
    edit(ws / "brand/brand.yaml", "logo: company-logo.png", "logo: logo.svg")
    result, _ = _build(ws)
    assert result.exit_code == 2 and "logo: 'logo.svg' is an SVG file; export the logo as a PNG" in result.output


def test_an_unknown_icp_industry_situation_or_locale_warns_with_a_suggestion(ws):
    edit(ws / "profile.yaml", "    - dental\n", "    - dentistery\n")
    edit(ws / "profile.yaml", "  locale: en-US", "  locale: English")
    edit(ws / PROSPECT, "  - outdated_systems", "  - outdated_sytems")
    result, _ = _build(ws)
    assert result.exit_code == 0, result.output
    assert "icp.industries[0]: 'dentistery' is not an industry deckgen knows" in result.output
    assert "did you mean 'dentistry'?" in result.output
    assert "msp.locale: unknown locale 'English'" in result.output
    assert "situations[1]: 'outdated_sytems' is a situation no closing line" in result.output
    assert "did you mean 'outdated_systems'?" in result.output


def test_check_reads_a_whole_workspace_before_any_build(ws):
    result = _check(ws)
    assert result.exit_code == 0, result.output
    assert f"{ws / 'profile.yaml'}: OK, profile" in result.output
    assert f"{ws / 'brand'}: OK, brand kit" in result.output
    assert f"{ws / PROSPECT}: OK, prospect" in result.output


def test_check_stops_on_the_mistake_a_build_would_stop_on_with_exit_2(ws):
    edit(ws / "profile.yaml", "  industries:\n    - dental", "  industires:\n    - dental")
    edit(ws / PROSPECT, "  users: 28", "  users: 28 users")
    result = _check(ws / "profile.yaml", ws / PROSPECT, ws / "brand")
    assert result.exit_code == 2
    assert f"Error: {ws / 'profile.yaml'}:73 icp.industires: unknown field" in result.output
    assert f"Error: {ws / PROSPECT}:18 size.users: '28 users' is not a whole number" in result.output
    assert f"{ws / 'brand'}: OK, brand kit" in result.output
    assert "2 files of 3 must be fixed before a build" in result.output


def test_check_as_json_lists_each_file_with_its_error(ws):
    edit(ws / "brand/brand.yaml", '"#14365D"', "navy")
    result = CliRunner().invoke(cli, ["check", "--json", str(ws / "brand")])
    assert result.exit_code == 2
    report = json.loads(result.output)
    assert report["ok"] is False and report["files"][0]["kind"] == "brand kit"
    assert "'navy' is a colour name" in report["files"][0]["error"]


def test_a_json_prospect_builds_and_checks_like_yaml(ws):
    import yaml

    data = yaml.safe_load((ws / PROSPECT).read_text(encoding="utf-8"))
    (ws / "prospects/alamo.json").write_text(json.dumps(data), encoding="utf-8")
    result, out = _build(ws, prospect="prospects/alamo.json")
    assert result.exit_code == 0 and out.is_file(), result.output
    assert _check(ws / "prospects/alamo.json").exit_code == 0


def test_check_help_shows_examples_for_your_own_files():
    result = CliRunner().invoke(cli, ["check", "--help"])
    assert "deckgen check my-msp/" in result.output and "deckgen check decks/*.pptx" in result.output
