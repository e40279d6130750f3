"""What ``deckgen batch`` refuses about a template once, up front, before any row runs (issue #14)."""

from __future__ import annotations

from click.testing import CliRunner
from pptx import Presentation

from deckgen.build import BuildOptions, DeckBuilder
from deckgen.cli import cli
from deckgen.errors import InputError
from deckgen.load.files import read_profile
from deckgen.resources import examples_dir

PROFILE = examples_dir() / "profile.yaml"


def test_batch_refuses_a_template_without_slides_once_with_exit_2_and_writes_nothing(tmp_path):
    empty = tmp_path / "corporate.pptx"
    Presentation().save(empty)  # masters and layouts, not one slide (as a .potx usually is)
    rows = tmp_path / "rows.csv"
    rows.write_text("company,industry\nAcme,Dental\nBeta,Legal\n", encoding="utf-8")
    out = tmp_path / "decks"
    result = CliRunner().invoke(
        cli, ["batch", str(rows), "-p", str(PROFILE), "-o", str(out), "--jobs", "1", "--template", str(empty)]
    )
    assert result.exit_code == 2, result.output
    assert f"Error: {empty}: the template has no slides" in result.output
    assert result.output.count("Error:") == 1 and "every slide was dropped" not in result.output
    assert "Traceback" not in result.output and not out.exists()


def test_the_builder_refuses_a_template_without_slides_before_any_deck(tmp_path):
    empty = tmp_path / "empty.pptx"
    Presentation().save(empty)
    profile, _ = read_profile(PROFILE)
    try:
        DeckBuilder(profile, BuildOptions(template=empty))
    except InputError as exc:
        assert exc.file == str(empty) and "--master" in exc.message
    else:
        raise AssertionError("a template without slides was accepted")
