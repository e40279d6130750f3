"""``deckgen batch`` collects cyclic garbage at Python's own pace once start-up is done.

``main()`` raises the young-generation threshold for a fast start; a long batch at that pace held
about 30 MiB more per worker, so the batch command freezes what start-up made and restores the pace.
"""

from __future__ import annotations

import gc

from click.testing import CliRunner

import deckgen.cli.app as app
from deckgen.cli import cli
from deckgen.resources import examples_dir


def test_steady_gc_restores_pythons_pace_and_freezes_start_up():
    before = gc.get_threshold()
    try:
        gc.set_threshold(app.GC_YOUNG_THRESHOLD, *before[1:])
        app.steady_gc()
        assert gc.get_threshold() == app._PYTHON_GC
        assert gc.get_threshold()[0] < app.GC_YOUNG_THRESHOLD
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
        gc.set_threshold(*before)


def test_the_batch_command_calls_it_before_the_rows_run(tmp_path, monkeypatch):
    calls = []
    monkeypatch.setattr(app, "steady_gc", lambda: calls.append(gc.get_threshold()))
    rows = tmp_path / "rows.csv"
    rows.write_text("company,industry,users\nAcme Dental,Dental practice,25\n", encoding="utf-8")
    args = ["batch", "-p", str(examples_dir() / "profile.yaml"), "--crm", "generic", str(rows)]
    result = CliRunner().invoke(cli, [*args, "-o", str(tmp_path / "out"), "-j", "1", "-q", "--date", "2026-11-25"])
    assert result.exit_code == 0, result.output
    assert len(calls) == 1
