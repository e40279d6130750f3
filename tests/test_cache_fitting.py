"""The compiled-template cache keeps what text fitting found while compiling: a thawed template parses no
template slide to learn which shapes hold tags or which typefaces to load, and still fits text the same."""

from __future__ import annotations

import datetime

import pytest

import deckgen.engine.layout.fitting as fitting
from deckgen.build import BuildOptions, DeckBuilder
from deckgen.engine.frozen import freeze
from deckgen.load.files import read_profile, read_prospect
from deckgen.resources import examples_dir
from tests.engine.builders import memory_brand
from tests.test_cache_templates import PROSPECT, frozen_example, thawed


def test_a_thawed_template_fits_text_without_reading_its_slides_again(tmp_path, monkeypatch):
    compiled = frozen_example(tmp_path)
    frozen = freeze(compiled)

    def forbidden(*args, **kwargs):
        pytest.fail("a thawed template looked for tagged shapes or typefaces again")

    monkeypatch.setattr(fitting, "tagged_shapes", forbidden)
    monkeypatch.setattr(fitting.FitState, "_typefaces", forbidden)
    again = thawed(frozen, compiled)
    assert again is not None
    assert again.fitting.tagged == compiled.fitting.tagged and any(again.fitting.tagged.values())
    assert again.fitting.typefaces == compiled.fitting.typefaces and again.fitting.typefaces[0]
    profile, _ = read_profile(examples_dir() / "profile.yaml")
    prospect, _ = read_prospect(PROSPECT)
    options = BuildOptions(today=datetime.date(2026, 11, 25))
    decks = [DeckBuilder(profile, options, brand=memory_brand(), compiled=c).build(prospect) for c in (compiled, again)]
    assert decks[0].data == decks[1].data and decks[0].warnings == decks[1].warnings


@pytest.mark.parametrize(
    "fitting_part",
    [
        None,
        ((), ()),  # no typefaces pair
        ((("ppt/slides/slide1.xml", (("2", "Title", ("{{ x }}", 5)),)),), ((), ())),  # a tag that is no text
        ((("ppt/slides/slide1.xml", (("2", "Title", ["{{ x }}"]),)),), ((), ())),  # a list where a tuple belongs
        ((), (("Calibri", 12), ())),  # a typeface that is no text
        ((), (["Calibri"], ())),
    ],
)
def test_a_frozen_template_with_a_damaged_fitting_part_is_refused(tmp_path, fitting_part):
    compiled = frozen_example(tmp_path)
    frozen = freeze(compiled)
    assert thawed(frozen, compiled) is not None
    assert thawed((*frozen[:-1], fitting_part), compiled) is None
