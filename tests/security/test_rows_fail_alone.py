"""One damaged row or item fails alone: NUL bytes in a CSV row, an item nested thousands deep in JSON;
encodings that aren't text are refused as options; file names from invisible or Indic text."""

from __future__ import annotations

import json

import pytest

from deckgen.batch.plan import NamePattern
from deckgen.model import Prospect
from deckgen.naming import MAX_NAME_BYTES, slugify
from tests.security.test_batch import decks, report, run_batch


def test_a_nul_byte_fails_its_row_and_the_rest_of_the_csv_is_built(tmp_path):
    result, out = run_batch(tmp_path, b"company,notes\nGood One,ok\nBad\x00Co,x\nGood Two,ok\n")
    assert result.exit_code == 1, result.output
    assert decks(out) == ["Good-One-2.pptx", "Good-Two-4.pptx"]
    failed = [r for r in report(out) if r["status"] == "failed"]
    assert [r["row"] for r in failed] == [3] and "NUL" in failed[0]["error"]["message"]
    assert "Traceback" not in result.output


def test_a_file_full_of_nul_bytes_is_still_refused_as_not_text(tmp_path):
    data = b"company\n" + b"ab\x00cdefg" * 1000  # NULs all through it: not text at all
    result, out = run_batch(tmp_path, data)
    assert result.exit_code == 2 and "NUL bytes" in result.stderr and "not a text export" in result.stderr


def test_utf16_without_a_bom_is_still_recognised(tmp_path):
    result, _ = run_batch(tmp_path, "company\nAcme\n".encode("utf-16-le"))
    assert result.exit_code == 2 and "utf-16-le" in result.stderr


@pytest.mark.parametrize("wrapped", [False, True], ids=["list", "under-a-key"])
def test_an_over_nested_json_item_fails_that_item_only(tmp_path, wrapped):
    deep = "[" * 50_000 + "]" * 50_000
    items = f'[{{"company": "Good One"}}, {{"company": "Deep", "x": {deep}}}, {{"company": "Good Two"}}]'
    text = f'{{"prospects": {items}}}' if wrapped else items
    result, out = run_batch(tmp_path, text.encode(), name="export.json")
    assert result.exit_code == 1, result.output
    assert decks(out) == ["Good-One-1.pptx", "Good-Two-3.pptx"]
    failed = [r for r in report(out) if r["status"] == "failed"]
    assert [r["row"] for r in failed] == [2] and "nested more than" in failed[0]["error"]["message"]


def test_ordinary_nesting_is_read_as_before(tmp_path):
    item = {"company": "Acme", "size": {"users": "40"}, "tags": [["a"], ["b"]]}
    result, out = run_batch(tmp_path, json.dumps([item]).encode(), name="export.json")
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize("codec", ["rot13", "base64", "zlib", "hex"])
def test_an_encoding_that_is_not_text_is_an_input_error(tmp_path, codec):
    result, out = run_batch(tmp_path, b"company\nAcme\n", "--encoding", codec)
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith("Error: ") and "not a text encoding" in result.stderr
    assert "Traceback" not in result.output


@pytest.mark.parametrize("name", ["\u3164", "\u3164\u3164", "\u200b\u200d", "\ufe0f", "\U000e0041\U000e0042"])
def test_an_invisible_company_name_gives_a_visible_file_name(name):
    assert slugify(name) == "deck"
    assert slugify(f"Acme{name}Dental") == "AcmeDental"


@pytest.mark.parametrize("name", ["हिन्दी कंपनी", "தமிழ் நிறுவனம்", "ಕನ್ನಡ", "বাংলা"])
def test_indic_vowel_signs_stay_in_file_names(name):
    assert slugify(name) == name.replace(" ", "-")


def test_a_long_company_name_never_cuts_off_the_id():
    import datetime

    pattern = NamePattern("{company}-{id}")
    for company in ["Northwind " * 29, "株式会社" * 70, "हिन्दी" * 45]:
        stem = slugify(pattern.stem(Prospect(company=company[:300], id="CRM-0042"), 2, datetime.date.today(), None))
        assert stem.endswith("-CRM-0042") and len(stem.encode()) <= MAX_NAME_BYTES
