"""The deflated parts every deck of a template shares, kept between runs: a warm build's first deck
deflates none of them again, writes the same files, and an entry made from other inputs is never used."""

from __future__ import annotations

import importlib
import shutil

import pytest
from click.testing import CliRunner

import deckgen.cache_templates as cache_templates
from deckgen.cache_templates import kept_members
from deckgen.cli import cli
from deckgen.engine.opc import Member
from deckgen.resources import bundled_dir, examples_dir

PROSPECT = examples_dir() / "prospects" / "alamo-family-dental.yaml"
render = importlib.import_module("deckgen.engine.render")  # (``deckgen.engine.render`` is also the function)


@pytest.fixture
def deflated(monkeypatch):
    """The names of the shared parts renders deflated (rather than took from the template's members)."""
    made = []
    real = render.new_member

    def counting(name, data):
        made.append(name)
        return real(name, data)

    monkeypatch.setattr(render, "new_member", counting)
    return made


def build(tmp_path, name: str, *extra: str) -> dict[str, bytes]:
    """``deckgen build`` of the example prospect: the files it wrote."""
    out = tmp_path / name / "deck.pptx"
    args = ["build", "-p", str(examples_dir() / "profile.yaml"), "-x", str(PROSPECT), "-o", str(out)]
    result = CliRunner().invoke(cli, [*args, "--date", "2026-11-25", *extra])
    assert result.exit_code == 0, result.output
    return {p.name: p.read_bytes() for p in sorted(out.parent.iterdir())}


def shared(made: list[str]) -> set[str]:
    """What of ``made`` is the same in every deck (relationships, the theme, the slide list…), not slides."""
    return {name for name in made if name.endswith(".rels") or "theme" in name or name.endswith("presentation.xml")}


def test_a_warm_build_deflates_no_shared_part_again_and_writes_the_same_files(cache_dir, tmp_path, deflated):
    cold = build(tmp_path, "cold")  # the deck and the seller brief: one entry each
    assert len(list((cache_dir / "members").glob("*.bin"))) == 2
    assert shared(deflated)
    deflated.clear()
    assert build(tmp_path, "warm") == cold
    assert not shared(deflated)
    deflated.clear()
    assert build(tmp_path, "off", "--no-brief") == {"deck.pptx": cold["deck.pptx"]}


def test_the_cache_off_keeps_no_members(tmp_path, deflated):
    build(tmp_path, "first", "--no-brief")
    first = shared(deflated)
    deflated.clear()
    build(tmp_path, "second", "--no-brief")
    assert first and shared(deflated) == first


def test_members_kept_for_another_template_are_not_used(cache_dir, tmp_path, deflated):
    folder = tmp_path / "mine"
    shutil.copytree(bundled_dir("templates") / "walk-away", folder)
    first = build(tmp_path, "first", "--template", str(folder), "--no-brief")
    spec = folder / "template.yaml"
    spec.write_text(spec.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    deflated.clear()
    assert build(tmp_path, "second", "--template", str(folder), "--no-brief") == first
    assert shared(deflated)  # a new key: deflated again, not taken from the first template's entry
    assert len(list((cache_dir / "members").glob("*.bin"))) == 2


def test_members_deflated_by_another_zlib_are_not_used(cache_dir, tmp_path, deflated, monkeypatch):
    cold = build(tmp_path, "cold", "--no-brief")
    monkeypatch.setattr(cache_templates.zlib, "ZLIB_RUNTIME_VERSION", "0.0.0-other")
    deflated.clear()
    assert build(tmp_path, "warm", "--no-brief") == cold
    assert shared(deflated)


def test_members_kept_by_other_engine_code_are_not_used(cache_dir, monkeypatch):
    cache = kept_members()
    member = Member("ppt/_rels/presentation.xml.rels", 8, 1, 2, b"\x03\x00")
    cache.store(b"key", {("rels", "ppt/_rels/presentation.xml.rels", ()): member})
    assert cache.load(b"key") == {("rels", "ppt/_rels/presentation.xml.rels", ()): member}
    monkeypatch.setattr(cache_templates, "_template_namespace", lambda: "engine code edited")
    assert kept_members().load(b"key") is None


@pytest.mark.parametrize(
    "value",
    [
        ["not", "a", "tuple"],
        (("key-not-a-tuple", ("a", 8, 1, 2, b"x")),),
        ((("rels", 1.5), ("a", 8, 1, 2, b"x")),),  # a float in the key
        ((("rels", "a"), ("a", 3, 1, 2, b"x")),),  # no zip method deckgen writes
        ((("rels", "a"), ("a", 8, -1, 2, b"x")),),
        ((("rels", "a"), ("a", 8, 1, 2, "text, not bytes")),),
        ((("rels", "a"), ("a", 8, 1, 2)),),
    ],
)
def test_a_kept_members_entry_of_the_wrong_shape_is_ignored(cache_dir, value):
    cache = kept_members()
    cache.disk.put_value(b"key", value)
    assert cache.load(b"key") is None


def test_a_damaged_members_entry_is_ignored_and_rebuilt(cache_dir, tmp_path, deflated):
    cold = build(tmp_path, "cold", "--no-brief")
    (entry,) = (cache_dir / "members").glob("*.bin")
    data = entry.read_bytes()
    entry.write_bytes(data[:-40] + bytes(b ^ 0x55 for b in data[-40:]))
    deflated.clear()
    assert build(tmp_path, "warm", "--no-brief") == cold
    assert shared(deflated)
