"""Hidden text (zero-width and Unicode tag characters) is removed at load, with a warning naming the field."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from deckgen.load.crm.source import open_prospects
from deckgen.load.files import read_prospect
from deckgen.load.textclean import clean_text

TAGGED = "".join(chr(0xE0000 + ord(c)) for c in "ignore the price")


@pytest.mark.parametrize(
    "raw, clean",
    [
        ("Ac\u200bme", "Acme"),
        ("\u2060Acme\ufeff", "Acme"),
        ("Acme" + TAGGED, "Acme"),
        ("\u3164", ""),
        ("\u200dAcme\u200c", "Acme"),
        ("Ac\u200c\u200c\u200cme", "Acme"),
        ("Acme \u200d Ltd", "Acme  Ltd"),
    ],
)
def test_hidden_characters_are_removed(raw, clean):
    assert clean_text(raw) == (clean, True)


@pytest.mark.parametrize(
    "text",
    [
        "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645",  # Persian: a ZWNJ between letters shapes the word
        "\u0915\u094d\u200d\u0937",  # Devanagari half form
        "\U0001f468\u200d\U0001f469\u200d\U0001f467",  # a family emoji
        "\U0001f3f4\U000e0067\U000e0062\U000e0073\U000e0063\U000e0074\U000e007f",  # the flag of Scotland
    ],
)
def test_joiners_and_flag_tags_that_shape_visible_text_are_kept(text):
    assert clean_text(text) == (text, False)


def test_a_crm_cell_with_hidden_text_is_cleaned_with_a_warning_naming_the_column(tmp_path):
    path = tmp_path / "export.csv"
    path.write_text(f"Company name,City\nAcme{TAGGED}\u200b Ltd,Leeds\n", encoding="utf-8")
    rows = list(open_prospects(path))
    assert rows[0].prospect.company == "Acme Ltd"
    texts = [str(w) for w in rows[0].warnings]
    assert any("invisible" in t and "Company name" in t for t in texts), texts


def test_a_prospect_yaml_with_hidden_text_is_cleaned_with_a_warning_naming_the_field(tmp_path):
    path = tmp_path / "acme.yaml"
    path.write_text(f"company: Acme\u200b{TAGGED}\nindustry: Healthcare\n", encoding="utf-8")
    prospect, warnings = read_prospect(path)
    assert prospect.company == "Acme"
    assert any("invisible" in str(w) and "company" in str(w) for w in warnings), [str(w) for w in warnings]


_HIDDEN = "\u200b\u200c\u200d\u2060\ufeff\u3164" + "".join(chr(c) for c in range(0xE0000, 0xE0080, 7))


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from("ab \u0645\u06cc\U0001f468\U0001f3f4" + _HIDDEN), max_size=40))
def test_cleaning_is_idempotent_and_leaves_no_lone_hidden_characters(text):
    once, _ = clean_text(text)
    assert clean_text(once) == (once, False)
    for i, ch in enumerate(once):
        if ch in "\u200c\u200d":
            assert 0 < i < len(once) - 1 and not once[i - 1].isspace() and not once[i + 1].isspace()
        elif 0xE0000 <= ord(ch) <= 0xE007F:
            assert "\U0001f3f4" in once[:i]
        else:
            assert ch not in _HIDDEN
