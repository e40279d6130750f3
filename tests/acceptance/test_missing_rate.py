"""A deck that shows prices is never built in a currency the profile cannot convert its prices into.

Without a rate the amounts would be the MSP's own (US dollars) under the prospect's currency sign: a
wrong price on a slide the customer keeps. Decks without prices still build.
"""

from __future__ import annotations

import json

import yaml
from click.testing import CliRunner

from deckgen.cli import cli
from deckgen.resources import examples_dir

PROFILE = examples_dir() / "profile.yaml"
DATE = "2026-11-25"


def _australian(tmp_path):
    data = yaml.safe_load((examples_dir() / "prospects" / "alamo-family-dental.yaml").read_text(encoding="utf-8"))
    data["company"] = "Harbourside Dental"
    data["location"] = {"city": "Sydney", "country": "Australia"}
    data.pop("locale", None)
    data.pop("currency", None)
    path = tmp_path / "harbourside.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def test_a_priced_deck_without_a_rate_is_refused_naming_the_profile_and_the_field(tmp_path):
    out = tmp_path / "deck.pptx"
    args = ["build", "-p", str(PROFILE), "-x", str(_australian(tmp_path)), "-o", str(out), "--date", DATE]
    result = CliRunner().invoke(cli, [*args, "--storyline", "pitch"])
    assert result.exit_code == 2, result.output
    assert "Error:" in result.output and "profile.yaml" in result.output
    assert "exchange_rates.AUD" in result.output and "Australia" in result.output
    assert "Traceback" not in result.output
    assert not out.exists() and list(tmp_path.glob("*.pptx")) == []


def test_a_deck_without_prices_still_builds_in_that_currency(tmp_path):
    out = tmp_path / "deck.pptx"
    args = ["build", "-p", str(PROFILE), "-x", str(_australian(tmp_path)), "-o", str(out), "--date", DATE]
    result = CliRunner().invoke(cli, [*args, "--storyline", "nurture", "--no-brief"])
    assert result.exit_code == 0, result.output
    assert out.exists()


def test_with_the_rate_the_pitch_builds_in_australian_dollars(tmp_path):
    profile = yaml.safe_load(PROFILE.read_text(encoding="utf-8"))
    profile["exchange_rates"]["AUD"] = 1.52
    prof = tmp_path / "profile.yaml"
    prof.write_text(yaml.safe_dump(profile, allow_unicode=True), encoding="utf-8")
    out = tmp_path / "deck.pptx"
    args = ["build", "-p", str(prof), "-x", str(_australian(tmp_path)), "-o", str(out), "--date", DATE]
    result = CliRunner().invoke(cli, [*args, "--storyline", "pitch", "--no-brief"])
    assert result.exit_code == 0, result.output
    from pptx import Presentation

    text = " ".join(sh.text_frame.text for s in Presentation(out).slides for sh in s.shapes if sh.has_text_frame)
    assert "Your plan:" in text and "$" in text


def test_the_batch_report_names_the_profile_file_for_a_missing_rate(tmp_path):
    rows = tmp_path / "prospects.csv"
    rows.write_text(
        "company,industry,users,city,country,it_model,it_pain,compliance,budget_per_user_month,contact_name\n"
        "Harbourside Dental,Dental,40,Sydney,Australia,break_fix,yes,HIPAA,150,Ava Chen\n",
        encoding="utf-8",
    )
    profile = yaml.safe_load(PROFILE.read_text(encoding="utf-8"))
    profile["icp"]["geography"]["countries"].append("AU")  # served, but no AUD rate
    prof = tmp_path / "profile.yaml"
    prof.write_text(yaml.safe_dump(profile, allow_unicode=True), encoding="utf-8")
    out = tmp_path / "decks"
    args = ["batch", "-p", str(prof), str(rows), "-o", str(out), "--date", DATE, "-j", "1"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 1, result.output
    (row,) = json.loads((out / "report.json").read_text(encoding="utf-8"))["rows"]
    assert row["status"] == "failed" and row["error"]["field"] == "exchange_rates.AUD"
    assert row["error"]["message"].startswith(f"{prof}: this pitch deck shows prices in AUD"), row


def test_the_error_knows_it_is_about_the_profile_and_its_caller_names_the_file():
    from deckgen.errors import InputError
    from deckgen.load.files import load_profile
    from deckgen.sales.storyline import require_rate

    try:
        require_rate("pitch", "AUD", load_profile(PROFILE), "Australia")
    except InputError as exc:
        assert exc.source == "profile" and exc.file is None  # the sales logic does not know where the file is
        assert exc.locate({"profile": "mine.yaml"}).file == "mine.yaml"
        assert str(exc).startswith("mine.yaml exchange_rates.AUD: ")
    else:
        raise AssertionError("a priced deck without a rate was not refused")
