"""YAML files: nothing is constructed from tags, no alias bombs, no duplicate keys, text stays text."""

from __future__ import annotations

import pytest

from deckgen.errors import InputError
from deckgen.load.files import load_prospect
from deckgen.load.yamlfile import MAX_YAML_BYTES, load_yaml_text
from tests.security.util import build_cli, xml_parts

ALIAS_BOMB = """\
a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]
b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]
c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]
d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]
e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]
f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]
g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f]
company: [*g, *g, *g, *g, *g, *g, *g, *g, *g]
"""


def error_of(text: str) -> InputError:
    with pytest.raises(InputError) as info:
        load_yaml_text(text, "p.yaml")
    return info.value


@pytest.mark.parametrize(
    "text, line, says",
    [
        ("company: A\nindustry: x\ncompany: B\n", 3, "duplicate key 'company' (first on line 1)"),
        ("company: !!python/object/apply:os.system ['touch /tmp/deckgen-pwned']\n", 1, "tag"),
        ("company: !!python/object:__main__.Evil {}\n", 1, "tag"),
        ("company: !!python/name:os.system\n", 1, "tag"),
        ("company: !custom x\n", 1, "tag"),
        ("company: !!binary aGVsbG8=\n", 1, "tag"),
        (ALIAS_BOMB, 2, "aliases"),
        ("base: &b {x: 1}\nprospect:\n  <<: *b\n", 3, "aliases"),
        ("prospect:\n  <<: {x: 1}\n", 2, "merge keys"),
        ("company: [unclosed\nnotes: x\n", 1, "opened on line 1 is not closed"),
    ],
)
def test_unsafe_or_ambiguous_yaml_is_refused_naming_the_line(text, line, says):
    err = error_of(text)
    assert err.line == line and says in err.message, (err.line, err.message)
    assert str(err).startswith(f"p.yaml:{line}: ")


def test_yaml_nested_thousands_deep_is_a_clear_error_not_a_crash():
    assert "nested too deeply" in error_of("company: " + "[" * 5000 + "]" * 5000 + "\n").message


def test_yaml_over_the_size_limit_is_refused_before_parsing():
    assert "larger than" in error_of("notes: " + "x" * MAX_YAML_BYTES + "\n").message


@pytest.mark.parametrize(
    "value",
    [
        "NO",
        "no",
        "off",
        "Yes",
        "y",
        "01234",
        "0o17",
        "0x1F",
        "1.10",
        "1e3",
        "12:30",
        "2026-11-25",
        "null_island",
        ".inf",
        "~text",
        "+1 555",
        "=SUM(A1)",
    ],
)
def test_values_yaml_would_coerce_stay_the_text_that_was_typed(value):
    doc = load_yaml_text(f"company: {value}\nlocation:\n  region: {value}\npain_points: [{value}]\n", "p.yaml")
    assert doc.data == {"company": value, "location": {"region": value}, "pain_points": [value]}


def test_a_norwegian_prospect_keeps_its_country_code(tmp_path):
    path = tmp_path / "no.yaml"
    path.write_text(
        "company: Fjord AS\nlocation:\n  country: NO\n  region: 01234\nindustry: 1.10\nnotes: 12:30\n", encoding="utf-8"
    )
    prospect = load_prospect(path)
    assert (prospect.location.country, prospect.location.region) == ("NO", "01234")
    assert (prospect.industry, prospect.notes) == ("1.10", "12:30")


@pytest.mark.parametrize(
    "content, line, says",
    [
        ("company: A\ncompany: B\n", 2, "duplicate key"),
        ("company: !!python/object/apply:os.system ['id']\n", 1, "tag"),
        (ALIAS_BOMB, 2, "aliases"),
        ("company: Acme\nsize:\n  users: many\n", 3, "size.users"),
    ],
)
def test_deckgen_build_reports_bad_yaml_as_file_and_line_with_exit_2(tmp_path, content, line, says):
    prospect = tmp_path / "p.yaml"
    prospect.write_text(content, encoding="utf-8")
    result, out = build_cli(tmp_path, prospect)
    assert result.exit_code == 2
    assert result.stderr.startswith(f"Error: {prospect}:{line}") and says in result.stderr, result.stderr
    assert "Traceback" not in result.output and not out.exists()


def test_deckgen_build_puts_yaml_lookalike_values_into_the_deck_as_typed(tmp_path):
    prospect = tmp_path / "p.yaml"
    prospect.write_text("company: NO\npain_points:\n  - 01234\n  - 1.10\n  - '12:30'\n", encoding="utf-8")
    result, out = build_cli(tmp_path, prospect)
    assert result.exit_code == 0, result.output
    slides = "".join(x.decode() for name, x in xml_parts(out.read_bytes()).items() if name.startswith("ppt/slides/"))
    for text in (">NO<", "01234", "1.10", "12:30"):
        assert text in slides, text
    assert "668" not in slides and "False" not in slides
