"""YAML documents kept in deckgen's cache: a warm run reads them without parsing, and says the same."""

from __future__ import annotations

import pytest

from deckgen.errors import InputError
from deckgen.load import yamlfile
from deckgen.load.yamlfile import load_yaml_text

TEXT = "company: Acme\nsize:\n  users: 40\npain_points:\n  - slow\n  - '01234'\n"


def no_parsing(*args, **kwargs):
    raise AssertionError("parsed although the cache holds the document")


def test_a_document_read_again_comes_from_the_cache_with_its_lines(cache_dir, monkeypatch):
    first = load_yaml_text(TEXT, file="a.yaml")
    monkeypatch.setattr(yamlfile, "_parse", no_parsing)
    again = load_yaml_text(TEXT, file="b.yaml")
    assert (again.data, again.lines, again.warnings) == (first.data, first.lines, [])
    assert again.file == "b.yaml" and again.line_of(("pain_points", 1)) == 6
    again.data["company"] = "changed"  # each load is its own copy
    assert load_yaml_text(TEXT).data["company"] == "Acme"


def test_a_document_that_was_cleaned_is_parsed_every_time_with_its_warning(cache_dir):
    text = "company: Ac\x07me\n"
    assert [str(w) for w in load_yaml_text(text).warnings] == [str(w) for w in load_yaml_text(text).warnings] != []
    assert not list((cache_dir / "yaml").glob("*.bin"))


def test_a_bad_document_says_the_same_the_second_time(cache_dir):
    messages = []
    for _ in range(2):
        with pytest.raises(InputError) as found:
            load_yaml_text("a: 1\na: 2\n", file="dup.yaml")
        messages.append(str(found.value))
    assert messages[0] == messages[1] and "duplicate key 'a'" in messages[0]


@pytest.mark.parametrize(
    "value",
    [
        None,
        "text",
        ({"a": 1}, {(): 1}),  # a number where only text may be
        ({"a": "b"}, {("a",): "1"}),  # a line that is not a number
        ({1: "b"}, {}),  # a key that is not text
        ({"a": b"bytes"}, {}),
        ({"a": "b"}, [((), 1)]),
    ],
)
def test_a_cached_document_of_the_wrong_shape_is_ignored(cache_dir, monkeypatch, value):
    load_yaml_text(TEXT)
    monkeypatch.setattr(yamlfile.DiskCache, "get_value", lambda self, key: value)
    doc = load_yaml_text(TEXT)
    assert doc.data["company"] == "Acme" and doc.line_of(("size", "users")) == 3
