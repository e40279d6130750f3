"""Text from users is cleaned once at load, with a warning naming the field; no deck carries `_x00` escapes."""

from __future__ import annotations

import re
import zipfile

import pytest

from deckgen.load.files import load_prospect
from deckgen.load.textclean import clean_text
from tests.security.util import assert_clean_deck, build_cli, xml_parts

# XML 1.0 forbids these; bidi overrides reorder what a reader sees.
UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff\u202a-\u202e\u2066-\u2069]")

ESCAPED = """\
company: "Ac\\x01me \\u202eCorp\\ud800"
industry: "Den\\x7ftal"
pain_points:
  - "Back\\x00ups \\ufffe fail"
  - "Phish\\u2066ing\\uffff"
notes: "Call\\x0b Tuesday\\x1b[31m"
contact:
  name: "Dana \\udc00Lee"
location:
  city: "Aus\\u202dtin"
"""


@pytest.mark.parametrize(
    "dirty, clean",
    [
        ("A\x00B\x01C\x08D\x0bE\x0cF\x1fG\x7fH", "ABCDEFGH"),
        ("noncharacters\ufffe\uffff", "noncharacters"),
        ("lone \ud800 and \udfff surrogates", "lone  and  surrogates"),
        ("bidi \u202eevil\u202c \u2066isolate\u2069 \u200fmark", "bidi evil isolate mark"),
        ("C1\x85\x9b controls", "C1 controls"),
        ("e\u0301", "\u00e9"),  # NFC: one é, whichever way it was typed
    ],
)
def test_clean_text_removes_what_xml_forbids_and_what_hides_text(dirty, clean):
    assert clean_text(dirty) == (clean, True)
    assert clean_text(clean) == (clean, False)  # cleaning twice changes nothing


def test_tabs_and_line_breaks_are_kept_and_crlf_is_normalised_without_a_warning():
    assert clean_text("tab\tand\nnewline and\r\nCRLF") == ("tab\tand\nnewline and\nCRLF", False)


def test_a_prospect_is_cleaned_once_at_load_with_one_warning_per_field(tmp_path):
    path = tmp_path / "dirty.yaml"
    path.write_text(ESCAPED, encoding="utf-8")
    warnings: list[str] = []
    prospect = load_prospect(path, warnings)
    assert (prospect.company, prospect.industry, prospect.notes) == ("Acme Corp", "Dental", "Call Tuesday[31m")
    assert prospect.pain_points == ["Backups  fail", "Phishing"]
    assert (prospect.contact.name, prospect.location.city) == ("Dana Lee", "Austin")
    fields = sorted(w.split(":")[0] for w in warnings)
    assert fields == [
        "company",
        "contact.name",
        "industry",
        "location.city",
        "notes",
        "pain_points[0]",
        "pain_points[1]",
    ]


def test_raw_control_characters_in_a_yaml_file_are_removed_with_a_warning_naming_field_and_line(tmp_path):
    path = tmp_path / "raw.yaml"
    path.write_bytes(b"company: Acme\x01 Corp\nindustry: Dental\npain_points:\n  - ok\n  - Back\x1bups\x7f\n")
    warnings: list[str] = []
    prospect = load_prospect(path, warnings)
    assert prospect.company == "Acme Corp" and prospect.pain_points == ["ok", "Backups"]
    assert any(w.startswith("company:") and "line 1" in w for w in warnings), warnings
    assert any(w.startswith("pain_points[1]:") and "line 5" in w for w in warnings), warnings


@pytest.mark.parametrize(
    "content", [ESCAPED.encode(), b"company: Acme\x01\x02 Corp\nnotes: a\x1fb\x0c\n"], ids=["escaped", "raw"]
)
def test_a_deck_built_from_a_dirty_prospect_has_no_escapes_and_only_valid_xml(tmp_path, content):
    prospect = tmp_path / "dirty.yaml"
    prospect.write_bytes(content)
    result, out = build_cli(tmp_path, prospect)
    assert result.exit_code == 0, result.output
    assert "Warning: company: removed control or invisible characters" in result.stderr
    data = out.read_bytes()
    assert_clean_deck(data)
    text = "".join(x.decode("utf-8") for x in xml_parts(data).values())
    assert not UNSAFE.search(text)
    assert "Acme Corp" in text
    with zipfile.ZipFile(out) as z:
        assert z.testzip() is None


def test_template_syntax_and_escape_lookalikes_typed_by_a_user_stay_literal_text(tmp_path):
    prospect = tmp_path / "p.yaml"
    prospect.write_text(
        'company: "{{ 7*7 }} & <b>Co</b>"\npain_points:\n  - "{% for x in range(3) %}loop'
        '{% endfor %}"\n  - "_x0001_ {{ \'\'.__class__ }}"\n',
        encoding="utf-8",
    )
    result, out = build_cli(tmp_path, prospect)
    assert result.exit_code == 0, result.output
    slides = "".join(x.decode() for n, x in xml_parts(out.read_bytes()).items() if n.startswith("ppt/slides/"))
    assert "{{ 7*7 }} &amp; &lt;b&gt;Co&lt;/b&gt;" in slides and ">49" not in slides
    assert "{% for x in range(3) %}loop{% endfor %}" in slides and "looploop" not in slides
    assert "_x0001_ {{ &#39;&#39;.__class__ }}" in slides
