"""deckgen's on-disk cache: what it keeps between runs, and why a planted or damaged entry is never used."""

from __future__ import annotations

import os
import sys
from collections import OrderedDict
from pathlib import Path

import pytest
from click.testing import CliRunner

from deckgen.cache import (
    CACHE_DIR_ENV,
    CACHE_SWITCH_ENV,
    DiskCache,
    cache_root,
    jinja_code_cache,
    luminance_cache,
    open_cache,
)
from deckgen.cli import cli
from deckgen.engine.templating import TagCompiling
from deckgen.resources import examples_dir

posix_only = pytest.mark.skipif(sys.platform == "win32", reason="POSIX owners and modes")


def only_entry(folder: Path) -> Path:
    (entry,) = [p for p in folder.iterdir() if p.suffix == ".bin"]
    return entry


def test_the_suite_runs_with_the_cache_off():
    assert os.environ[CACHE_SWITCH_ENV] == "off"
    assert cache_root() is None and open_cache("jinja", "x") is None


def test_the_cache_lives_under_xdg_cache_home_unless_told_otherwise(tmp_path, monkeypatch):
    monkeypatch.setenv(CACHE_SWITCH_ENV, "on")
    monkeypatch.delenv(CACHE_DIR_ENV, raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache_root() == tmp_path / "xdg" / "deckgen"
    monkeypatch.setenv(CACHE_DIR_ENV, str(tmp_path / "mine"))
    assert cache_root() == tmp_path / "mine"


def test_an_entry_comes_back_as_stored(cache_dir):
    cache = DiskCache(cache_dir / "t", "ns")
    assert cache.get(b"key") is None
    cache.put(b"key", b"payload")
    assert cache.get(b"key") == b"payload"
    assert DiskCache(cache_dir / "t", "other namespace").get(b"key") is None


@posix_only
def test_cache_folders_and_entries_are_private(cache_dir):
    cache = DiskCache(cache_dir / "t", "ns")
    cache.put(b"key", b"payload")
    for path in (cache_dir, cache_dir / "t", only_entry(cache_dir / "t")):
        assert path.stat().st_mode & 0o077 == 0, path


@pytest.mark.parametrize(
    "damage",
    [
        lambda data: data[:-3],  # truncated
        lambda data: data[:-1] + bytes([data[-1] ^ 1]),  # one bit flipped
        lambda data: b"not a cache entry",
        lambda data: b"",
    ],
    ids=["truncated", "bit-flip", "garbage", "empty"],
)
def test_a_damaged_entry_is_ignored_and_rebuilt(cache_dir, damage):
    cache = DiskCache(cache_dir / "t", "ns")
    cache.put(b"key", b"payload")
    entry = only_entry(cache_dir / "t")
    entry.write_bytes(damage(entry.read_bytes()))
    assert cache.get(b"key") is None
    cache.put(b"key", b"payload")
    assert cache.get(b"key") == b"payload"


def test_an_entry_made_for_another_key_is_ignored(cache_dir):
    cache = DiskCache(cache_dir / "t", "ns")
    cache.put(b"one", b"first")
    planted = only_entry(cache_dir / "t").read_bytes()
    cache.put(b"two", b"second")
    target = next(p for p in (cache_dir / "t").iterdir() if p.read_bytes() != planted)
    target.write_bytes(planted)  # a valid entry, copied over the file of another key
    assert cache.get(b"two") is None
    assert cache.get(b"one") == b"first"


@posix_only
def test_an_entry_others_may_write_is_not_trusted(cache_dir):
    cache = DiskCache(cache_dir / "t", "ns")
    cache.put(b"key", b"payload")
    only_entry(cache_dir / "t").chmod(0o666)
    assert cache.get(b"key") is None


@posix_only
def test_a_folder_others_may_write_is_not_trusted(cache_dir):
    cache = DiskCache(cache_dir / "t", "ns")
    cache.put(b"key", b"payload")
    (cache_dir / "t").chmod(0o777)
    assert cache.get(b"key") is None
    cache.put(b"key2", b"payload")  # nothing is written there either
    assert len(list((cache_dir / "t").iterdir())) == 1


@posix_only
def test_an_entry_that_is_a_link_is_not_followed(cache_dir, tmp_path):
    cache = DiskCache(cache_dir / "t", "ns")
    cache.put(b"key", b"payload")
    entry = only_entry(cache_dir / "t")
    elsewhere = tmp_path / "elsewhere.bin"
    entry.rename(elsewhere)
    entry.symlink_to(elsewhere)
    assert cache.get(b"key") is None


def test_values_other_than_marshal_data_are_refused(cache_dir):
    cache = DiskCache(cache_dir / "t", "ns")
    cache.put(b"key", b"\x80\x04pickle-looking bytes")
    assert cache.get_value(b"key") is None


def test_a_cached_jinja_entry_of_the_wrong_shape_is_ignored(cache_dir):
    code_cache = jinja_code_cache()
    code_cache.disk.put_value(b"part", ("not code", (), ()))
    assert code_cache.load("part") is None
    code_cache.store("part", (compile("x = 1", "<t>", "exec"), ("prospect",), ("prospect.company",)))
    assert code_cache.load("part")[1:] == (("prospect",), ("prospect.company",))


@pytest.mark.parametrize(
    "reads",
    [[("msp", None)], (("msp",),), ((1, None),), (("msp", {"name"}),), (("msp", frozenset({1})),), (("msp", "name"),)],
)
def test_a_cached_part_whose_reads_are_of_the_wrong_shape_is_ignored(cache_dir, reads):
    code_cache = jinja_code_cache()
    code = compile("x = 1", "<t>", "exec")
    code_cache.disk.put_value(b"part", (code, ("msp",), (), reads))
    assert code_cache.load("part") is None
    kept = (("msp", frozenset({"name"})), ("prospect", None))
    code_cache.store("part", (code, ("msp", "prospect"), ("msp.name",), kept))
    assert code_cache.load("part")[3] == kept


@pytest.mark.parametrize("value", [(1.5,), (-0.1,), ("0.2",), (1,), (0.2, 0.3), [0.2], 0.2])
def test_a_cached_luminance_of_the_wrong_shape_is_ignored(cache_dir, value):
    measured = luminance_cache()
    measured.disk.put_value(b"ab12", value)
    assert measured.load("ab12") is None
    measured.store("ab12", (0.25,))
    measured.store("cd34", (None,))  # a picture that is not measured (no transparency) is kept too
    assert measured.load("ab12") == (0.25,) and measured.load("cd34") == (None,)


def build(tmp_path: Path, name: str):
    out = tmp_path / f"{name}.pptx"
    prospect = examples_dir() / "prospects" / "alamo-family-dental.yaml"
    result = CliRunner().invoke(
        cli,
        ["build", "-p", str(examples_dir() / "profile.yaml"), "-x", str(prospect), "-o", str(out)]
        + ["--date", "2026-11-25", "--no-brief"],
    )
    assert result.exit_code == 0, result.output
    return out.read_bytes()


def test_a_build_from_the_cache_writes_the_same_deck_without_compiling_tags_again(cache_dir, tmp_path, monkeypatch):
    cold = build(tmp_path, "cold")  # fills the cache
    kinds = {p.name for p in cache_dir.iterdir()}
    assert {"jinja", "logos", "luminance"} <= kinds
    assert len(list((cache_dir / "jinja").iterdir())) > 5

    def no_compiling(*args, **kwargs):
        raise AssertionError("tag source compiled although the cache holds it")

    monkeypatch.setattr(TagCompiling, "_jinja_code", no_compiling)
    monkeypatch.setattr("deckgen.engine.templating._expression_code", no_compiling)
    monkeypatch.setattr("deckgen.engine.media.picture_from_bytes", no_compiling)  # logos come from the cache
    monkeypatch.setattr("deckgen.engine.media._CACHE", OrderedDict())  # (not from this process's memory)
    monkeypatch.setattr("deckgen.engine.reuse.part_reads", no_compiling)  # what each part reads: cached too
    monkeypatch.setattr("deckgen.engine.templating.part_reads", no_compiling)
    monkeypatch.setattr("deckgen.engine.colours._measure", no_compiling)  # the logos' luminance: cached too
    monkeypatch.setattr("deckgen.engine.colours._MEASURED", OrderedDict())
    assert build(tmp_path, "warm") == cold


def test_a_build_with_the_cache_off_writes_the_same_deck(cache_dir, tmp_path, monkeypatch):
    cached = build(tmp_path, "cached")
    monkeypatch.setenv(CACHE_SWITCH_ENV, "off")
    assert build(tmp_path, "uncached") == cached


def test_a_full_cache_folder_drops_its_oldest_entries(cache_dir, monkeypatch):
    import deckgen.cache as cache_module

    monkeypatch.setattr(cache_module, "_MAX_ENTRIES", 8)
    cache = DiskCache(cache_dir / "t", "ns")
    for n in range(12):
        cache.put(str(n).encode(), b"x")
        os.utime(cache._path(cache._material(str(n).encode())), ns=(n * 10**9, n * 10**9))
    monkeypatch.setattr(cache_module, "_PRUNED", set())  # a new process
    cache.put(b"new", b"y")
    assert len(list((cache_dir / "t").glob("*.bin"))) == 7  # 12 - (12 - 6) + the new one
    assert cache.get(b"0") is None and cache.get(b"11") == b"x" and cache.get(b"new") == b"y"
