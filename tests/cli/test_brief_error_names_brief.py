"""An error in the seller brief says it is the brief's, not the customer deck's."""

from __future__ import annotations

from click.testing import CliRunner

from deckgen.cli import cli
from deckgen.resources import examples_dir

PROFILE = examples_dir() / "profile.yaml"
PROSPECT = sorted((examples_dir() / "prospects").glob("*.yaml"))[0]
LONG_LINE = " ".join(["We fix the cause of every outage and we stay with it until it is gone."] * 5)


def test_a_brief_box_too_small_is_named_as_the_brief(tmp_path):
    out = tmp_path / "deck.pptx"
    args = ["build", "-p", str(PROFILE), "-x", str(PROSPECT), "-c", LONG_LINE, "-o", str(out), "--fit", "fail"]
    result = CliRunner().invoke(cli, [*args, "--date", "2026-12-01"])
    assert result.exit_code != 0
    assert "Traceback" not in result.output
    assert "Error: seller brief: slide " in result.output
    assert not out.exists()


def test_the_same_line_without_a_brief_builds_the_deck(tmp_path):
    out = tmp_path / "deck.pptx"
    args = ["build", "-p", str(PROFILE), "-x", str(PROSPECT), "-c", LONG_LINE, "-o", str(out), "--no-brief"]
    result = CliRunner().invoke(cli, [*args, "--date", "2026-12-01"])
    assert result.exit_code == 0, result.output
    assert out.exists()
