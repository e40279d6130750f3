"""The public API: every name in deckgen.__all__ resolves, and the jobs run end to end."""

from __future__ import annotations

import datetime
import subprocess
import sys

import pytest
from pptx import Presentation

import deckgen
from deckgen.resources import examples_dir

DATE = "2026-11-25"


@pytest.mark.parametrize("name", deckgen.__all__)
def test_every_public_name_resolves(name):
    assert getattr(deckgen, name) is not None


def test_an_unknown_name_is_an_attribute_error():
    with pytest.raises(AttributeError):
        deckgen.no_such_thing  # noqa: B018


def test_importing_deckgen_loads_no_engine_or_cli():
    code = "import sys, deckgen; print(sorted(m for m in sys.modules if m.startswith('deckgen')))"
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert loaded.strip() == "['deckgen']"


def test_build_deck_writes_a_deck_and_says_how_it_scored(tmp_path):
    options = deckgen.BuildOptions(today=datetime.date.fromisoformat(DATE))
    deck = deckgen.build_deck(
        examples_dir() / "profile.yaml",
        examples_dir() / "prospects" / "alamo-family-dental.yaml",
        tmp_path / "a.pptx",
        options,
    )
    assert deck.path == tmp_path / "a.pptx" and deck.company == "Alamo Family Dental"
    assert 0 <= deck.fit.score <= 100
    assert all(isinstance(w, deckgen.DeckgenWarning) for w in deck.warnings)
    assert len(Presentation(str(deck.path)).slides) > 3


def test_check_deck_passes_a_built_deck_and_lint_passes_the_bundled_template(tmp_path):
    deck = deckgen.build_deck(
        examples_dir() / "profile.yaml",
        examples_dir() / "prospects" / "thameside-accountants.yaml",
        tmp_path / "t.pptx",
    )
    assert deckgen.check_deck(deck.path).ok
    report = deckgen.lint_template("walk-away")
    assert report.slide_count > 0 and not [f for f in report.findings if f.level == "error"]


def test_python_dash_m_deckgen_is_the_cli():
    result = subprocess.run([sys.executable, "-m", "deckgen", "--version"], capture_output=True, text=True)
    assert result.returncode == 0 and "deckgen" in result.stdout
