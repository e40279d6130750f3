"""YAML through libyaml and through PyYAML's own parser: the same data, lines and errors either way."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from deckgen.load import yamlfile
from deckgen.load.yamlfile import load_yaml_text
from deckgen.resources import bundled_dir, data_dir, examples_dir

BUNDLED_YAML = sorted(
    [
        *examples_dir().rglob("*.yaml"),
        *data_dir().glob("*.yaml"),
        *bundled_dir("brand").rglob("*.yaml"),
        *bundled_dir("templates").rglob("*.yaml"),
    ]
)

needs_libyaml = pytest.mark.skipif(not getattr(yaml, "__with_libyaml__", False), reason="PyYAML built without libyaml")


def without_libyaml(monkeypatch):
    monkeypatch.setattr(yamlfile, "_compose_fast", lambda text: yamlfile._SLOW)


@needs_libyaml
@pytest.mark.parametrize("path", BUNDLED_YAML, ids=lambda p: p.name)
def test_bundled_files_load_the_same_with_and_without_libyaml(path: Path, monkeypatch):
    text = path.read_text(encoding="utf-8-sig")
    fast = load_yaml_text(text, path.name)
    without_libyaml(monkeypatch)
    slow = load_yaml_text(text, path.name)
    assert (fast.data, fast.lines) == (slow.data, slow.lines)


@needs_libyaml
def test_libyaml_reads_the_files_it_can(monkeypatch):
    calls = []
    monkeypatch.setattr(yamlfile, "_compose", lambda text, file: calls.append(file))
    load_yaml_text("company: Acme\nlocation: {city: Austin}\npain_points: [a, b]\n", "p.yaml")
    assert calls == []  # the pure-Python parser never ran


@pytest.mark.parametrize(
    "text",
    [
        "a: &x [1]\nb: *x\n",  # an alias to a list
        "a: &x 1\nb: *x\n",  # an alias to a scalar
        "a: &x {k: 1}\nb:\n  <<: *x\n",  # a merge through an alias
        "a: 1\na: 2\n",
        "a: !!python/name:os.system\n",
        "a: [1\n",
        "- a\n- b\n---\n- c\n",  # two documents
    ],
)
def test_errors_are_the_same_with_and_without_libyaml(text, monkeypatch):
    with pytest.raises(Exception) as fast:
        load_yaml_text(text, "p.yaml")
    without_libyaml(monkeypatch)
    with pytest.raises(Exception) as slow:
        load_yaml_text(text, "p.yaml")
    assert (type(fast.value), str(fast.value)) == (type(slow.value), str(slow.value))


def test_empty_and_null_values_read_alike(monkeypatch):
    text = "a:\nb: ~\nc: ''\nd: null\ne: 'null'\n"
    fast = load_yaml_text(text).data
    without_libyaml(monkeypatch)
    assert fast == load_yaml_text(text).data == {"a": None, "b": None, "c": "", "d": None, "e": "null"}
