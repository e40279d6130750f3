"""Whole compiled templates kept between runs: a warm build compiles nothing, says the same and writes the same."""

from __future__ import annotations

import datetime
import shutil
import types

import pytest
from click.testing import CliRunner

from deckgen import engine
from deckgen.build import BuildOptions, DeckBuilder
from deckgen.cache_templates import CompiledTemplateCache, compiled_template_cache
from deckgen.cli import cli
from deckgen.engine.frozen import freeze, thaw
from deckgen.engine.layout.fonts import FontBook
from deckgen.errors import DeckgenWarning, ShapeIdWarning
from deckgen.load.files import read_profile, read_prospect
from deckgen.resources import bundled_dir, examples_dir
from deckgen.sales.locales import make_filters
from tests.engine.builders import TemplateBuilder, compile_in_memory, memory_brand, png
from tests.engine.test_shape_ids import duplicated
from tests.security.util import template

PROSPECT = examples_dir() / "prospects" / "alamo-family-dental.yaml"


@pytest.fixture
def compiles(monkeypatch):
    """How many templates were compiled (rather than loaded from the cache)."""
    made = []
    real = engine.compile

    def counting(*args, **kwargs):
        made.append(kwargs.get("label"))
        return real(*args, **kwargs)

    monkeypatch.setattr(engine, "compile", counting)
    return made


def build(tmp_path, name: str, *extra: str) -> tuple[str, dict[str, bytes]]:
    """``deckgen build`` of the example prospect: what it printed, and the files it wrote."""
    out = tmp_path / name / "deck.pptx"
    args = ["build", "-p", str(examples_dir() / "profile.yaml"), "-x", str(PROSPECT), "-o", str(out)]
    result = CliRunner().invoke(cli, [*args, "--date", "2026-11-25", *extra])
    assert result.exit_code == 0, result.output
    printed = result.output.replace(str(tmp_path / name), "OUT")
    return printed, {p.name: p.read_bytes() for p in sorted(out.parent.iterdir())}


def test_a_warm_build_loads_both_compiled_templates_and_writes_the_same_files(cache_dir, tmp_path, compiles):
    cold = build(tmp_path, "cold")  # the deck and the seller brief
    assert len(compiles) == 2 and len(list((cache_dir / "templates").glob("*.bin"))) == 2
    assert build(tmp_path, "warm") == cold
    assert len(compiles) == 2  # nothing compiled the second time


def test_compile_time_warnings_come_back_from_the_cache(cache_dir, tmp_path, compiles):
    folder = template(tmp_path, duplicated)  # shapes sharing an id: renumbered, with a warning
    cold = build(tmp_path, "cold", "--template", str(folder), "--no-brief")
    assert "Pasted 1" in cold[0] and "shape id" in cold[0]
    assert build(tmp_path, "warm", "--template", str(folder), "--no-brief") == cold
    assert len(compiles) == 1


def test_an_edited_template_is_compiled_again(cache_dir, tmp_path, compiles):
    folder = tmp_path / "mine"
    shutil.copytree(bundled_dir("templates") / "walk-away", folder)
    build(tmp_path, "first", "--template", str(folder), "--no-brief")
    spec = folder / "template.yaml"
    spec.write_text(spec.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    build(tmp_path, "second", "--template", str(folder), "--no-brief")
    build(tmp_path, "other brand", "--template", str(folder), "--no-brief", "--brand", "slate")
    assert len(compiles) == 3


def test_a_build_on_a_corporate_master_is_not_kept(cache_dir, tmp_path, compiles):
    master = bundled_dir("templates") / "walk-away" / "template.pptx"
    build(tmp_path, "first", "--master", str(master), "--no-brief")
    build(tmp_path, "second", "--master", str(master), "--no-brief")
    assert len(compiles) == 2 and not (cache_dir / "templates").exists()


def test_a_damaged_template_entry_is_ignored_and_rebuilt(cache_dir, tmp_path, compiles):
    cold = build(tmp_path, "cold", "--no-brief")
    (entry,) = (cache_dir / "templates").glob("*.bin")
    data = entry.read_bytes()
    entry.write_bytes(data[:-40] + bytes(b ^ 0x55 for b in data[-40:]))
    assert build(tmp_path, "warm", "--no-brief") == cold
    assert len(compiles) == 2


def frozen_example(tmp_path):
    b = TemplateBuilder()
    b.new_slide(notes="{% if fit.score > 10 %}say it{% endif %}")
    b.text("Title", "{{ prospect.company }}")
    b.picture("prospect_logo", png(tmp_path / "logo.png"))
    b.new_slide()
    b.text("Keep", "{%slide if fit.score > 50 %}")
    b.chart("Costs", binding="charts.cost_comparison", series=2)
    return compile_in_memory(b)


def thawed(frozen, compiled):
    return thaw(
        frozen,
        spec=compiled.spec,
        package=compiled.package,
        locale_filters=make_filters,
        fonts=FontBook(),
        font_slots={},
        warnings=(),
    )


def test_a_thawed_template_holds_what_compiling_made_and_renders_the_same_deck(tmp_path):
    compiled = frozen_example(tmp_path)
    frozen = freeze(compiled)
    again = thawed(frozen, compiled)
    assert freeze(again) == frozen
    assert [s.charts.keys() for s in again.slides] == [s.charts.keys() for s in compiled.slides]
    assert again.slides[1].condition is not None and again.variables == compiled.variables
    assert again.slides[0].prospect_logo_frame == compiled.slides[0].prospect_logo_frame is not None
    profile, _ = read_profile(examples_dir() / "profile.yaml")
    prospect, _ = read_prospect(PROSPECT)
    options = BuildOptions(today=datetime.date(2026, 11, 25))
    decks = [DeckBuilder(profile, options, brand=memory_brand(), compiled=c).build(prospect) for c in (compiled, again)]
    assert decks[0].data == decks[1].data and decks[0].warnings == decks[1].warnings


def _swap_first(value, wanted, replacement):
    """``value`` with the first item of type ``wanted`` (searched depth first) replaced."""
    if isinstance(value, wanted):
        return replacement, True
    if isinstance(value, tuple):
        out = []
        done = False
        for item in value:
            if not done:
                item, done = _swap_first(item, wanted, replacement)
            out.append(item)
        return tuple(out), done
    return value, False


@pytest.mark.parametrize(
    "damage",
    [
        lambda f: None,
        lambda f: "not a template",
        lambda f: f[:-1],
        lambda f: (99, *f[1:]),  # another format
        lambda f: _swap_first(f, types.CodeType, "print('hi')")[0],  # text where code belongs
        lambda f: (*f[:9], ((1, 2, 3),), *f[10:]),  # a slide of the wrong shape
        lambda f: (*f[:3], {"ppt/x.xml": "text, not bytes"}, *f[4:]),
    ],
)
def test_a_frozen_template_of_the_wrong_shape_is_refused(tmp_path, damage):
    compiled = frozen_example(tmp_path)
    assert thawed(damage(freeze(compiled)), compiled) is None


class OutsideWarning(DeckgenWarning):
    """Not one of deckgen.errors' warnings."""


def test_only_deckgens_own_warnings_are_kept_and_given_back(cache_dir):
    cache = compiled_template_cache()
    assert isinstance(cache, CompiledTemplateCache)
    kept = ShapeIdWarning("renumbered", slides=(2, 3), shape="Pasted", file="t.pptx")
    cache.store(b"k", ("frozen",), (kept,))
    frozen, warnings = cache.load(b"k")
    assert frozen == ("frozen",) and warnings == (kept,) and warnings[0].slides == (2, 3)
    cache.store(b"other", ("frozen",), (OutsideWarning("x"),))
    assert cache.load(b"other") is None
    cache.disk.put_value(b"planted", (("frozen",), (("OutsideWarning", (("message", "x"),)),)))
    cache.disk.put_value(b"odd", (("frozen",), (("ShapeIdWarning", (("message", ["a list"]),)),)))
    assert cache.load(b"planted") is None and cache.load(b"odd") is None


def test_a_compiled_template_with_fields_freeze_does_not_know_is_not_kept(tmp_path, monkeypatch):
    import deckgen.engine.frozen as frozen_module
    from deckgen.engine.compiled import Compiled

    compiled = frozen_example(tmp_path)
    assert freeze(compiled) is not None
    monkeypatch.setitem(frozen_module._KNOWN_FIELDS, Compiled, "template locations filename")  # one it lacks
    assert freeze(compiled) is None
