"""A prospect list that stops reading part-way through a batch (its read deadline): the decks built from
the rows before are kept and recorded, the run exits 1 naming the last row read, a rerun builds the
rest. With no row done yet it is an input error (exit 2) and nothing is written. The deadline is hit
with a clock that jumps, never by waiting."""

from __future__ import annotations

import datetime as dt
import itertools
import json

import pytest
from click.testing import CliRunner

import deckgen.load.crm.source as source_module
from deckgen.batch.manifest import MANIFEST_NAME
from deckgen.cli import cli
from deckgen.load.table.deadline import ReadDeadline
from deckgen.resources import examples_dir

PROFILE = examples_dir() / "profile.yaml"
DATE = dt.date(2026, 11, 25).isoformat()
COMPANIES = ["Acme Dental", "Beta Legal", "Gamma Clinic", "Delta Vets", "Echo Logistics"]


@pytest.fixture
def prospects(tmp_path):
    path = tmp_path / "prospects.csv"
    path.write_text("company,users\n" + "".join(f"{c},{20 + n}\n" for n, c in enumerate(COMPANIES)), encoding="utf-8")
    return path


def stall_after(monkeypatch, rows: int) -> None:
    """Every pass over a list reads ``rows`` rows in no time; the next one takes an hour."""

    class Stalling(ReadDeadline):
        def rows(self, items, row_of):
            calls = itertools.count()  # a pass reads the clock before and after each row
            self.clock = lambda: 0.0 if next(calls) <= 2 * rows else 3600.0
            return super().rows(items, row_of)

    monkeypatch.setattr(source_module, "ReadDeadline", Stalling)


def batch(prospects, out, *extra):
    args = ["batch", str(prospects), "--profile", str(PROFILE), "--out-dir", str(out), "--date", DATE]
    return CliRunner().invoke(cli, [*args, "--quiet", "--jobs", "1", *extra])


def on_disk(out):
    return sorted(p.name for p in out.iterdir()) if out.exists() else []


def test_a_list_that_stalls_mid_batch_keeps_and_records_the_decks_built_before(tmp_path, prospects, monkeypatch):
    out = tmp_path / "decks"
    stall_after(monkeypatch, 3)
    result = batch(prospects, out)

    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit) and "Traceback" not in result.output
    assert f"Error: {prospects} row 4: reading the prospect list took longer than allowed" in result.output
    assert "the 3 deck(s) of the rows before it are kept and listed in report.json" in result.output
    decks = [n for n in on_disk(out) if n.endswith(".pptx")]
    assert len(decks) == 3 and not [n for n in on_disk(out) if n.endswith(".part")]
    manifest = json.loads((out / MANIFEST_NAME).read_text(encoding="utf-8"))
    assert sorted(manifest["decks"]) == decks
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert [(r["company"], r["status"]) for r in report["rows"]] == [(c, "built") for c in COMPANIES[:3]]
    assert report["stopped_early"] is True and report["summary"]["built"] == 3
    assert len((out / "report.csv").read_text(encoding="utf-8-sig").splitlines()) == 4

    monkeypatch.undo()
    again = batch(prospects, out)
    assert again.exit_code == 0, again.output
    assert "built 2, skipped 3 unchanged" in again.output
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert [r["status"] for r in report["rows"]] == ["skipped-unchanged"] * 3 + ["built"] * 2


def test_a_list_that_stalls_before_its_first_row_writes_nothing_and_exits_2(tmp_path, prospects, monkeypatch):
    out = tmp_path / "decks"
    stall_after(monkeypatch, 0)
    result = batch(prospects, out)

    assert result.exit_code == 2, result.output
    assert f"Error: {prospects}: reading the prospect list took longer than" in result.output
    assert not [n for n in on_disk(out) if n.endswith((".pptx", ".json", ".csv", ".part"))], on_disk(out)


def test_with_progress_the_counting_pass_stalls_first_and_nothing_is_written(tmp_path, prospects, monkeypatch):
    out = tmp_path / "decks"
    stall_after(monkeypatch, 3)
    args = ["batch", str(prospects), "--profile", str(PROFILE), "--out-dir", str(out), "--date", DATE, "--jobs", "1"]
    result = CliRunner().invoke(cli, args)

    # without --quiet the list is counted first: its pass stalls at the same row, before any deck
    assert result.exit_code == 2, result.output
    assert f"Error: {prospects} row 4: reading the prospect list took longer than allowed" in result.output
    assert not [n for n in on_disk(out) if n.endswith((".pptx", ".json", ".csv", ".part"))], on_disk(out)
