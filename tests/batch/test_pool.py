"""Worker pools send rows in chunks: every row comes back exactly once, in row order, and a stop cancels what
was never sent."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from deckgen.batch.pool import DeckOutcome, DeckTask, WorkerPool, render_and_write, render_chunk
from deckgen.build import BuildOptions, DeckBuilder
from deckgen.errors import OutputError
from deckgen.load.files import load_profile, load_prospect
from deckgen.resources import examples_dir

DAY = dt.date(2026, 11, 25)


@pytest.fixture(scope="module")
def builder():
    return DeckBuilder(load_profile(examples_dir() / "profile.yaml"), BuildOptions(today=DAY))


@pytest.fixture(scope="module")
def prospects():
    return [load_prospect(p) for p in sorted((examples_dir() / "prospects").glob("*.yaml"))]


def _tasks(prospects, out: Path, n: int) -> list[DeckTask]:
    return [DeckTask(row, prospects[row % len(prospects)], str(out / f"deck-{row}.pptx")) for row in range(n)]


def test_an_outcome_carries_the_size_of_the_deck_written(builder, prospects, tmp_path):
    outcome = render_and_write(builder, DeckTask(0, prospects[0], str(tmp_path / "a.pptx")))
    assert outcome.ok and outcome.size == (tmp_path / "a.pptx").stat().st_size > 0


class _FullDisk:
    """A builder whose decks can never be written."""

    def __init__(self) -> None:
        self.calls = 0

    def build(self, prospect):
        self.calls += 1
        raise OutputError("no space left on device")


def test_a_chunk_stops_at_the_first_fatal_outcome(prospects, tmp_path):
    full = _FullDisk()
    outcomes = render_chunk(full, tuple(_tasks(prospects, tmp_path, 3)))
    assert [o.fatal for o in outcomes] == [True, False, False]
    assert [o.cancelled for o in outcomes] == [False, True, True]
    assert full.calls == 1


def test_two_workers_return_every_row_once_in_chunks_that_grow(builder, prospects, tmp_path):
    pool = WorkerPool(2, builder.profile, builder.options, builder, chunk_rows=4)
    seen: list[tuple[DeckTask, DeckOutcome]] = []
    try:
        for task in _tasks(prospects, tmp_path, 11):
            seen += pool.submit(task)
        seen += pool.drain()
    finally:
        pool.close()
    assert sorted(t.row for t, _ in seen) == list(range(11))
    assert all(t.row == o.row and o.ok for t, o in seen)
    assert pool.sent == 6  # chunks of 1, 1, 2, 2 and 4 rows, then drain sends the last row
    for task, outcome in seen:
        assert outcome.size == Path(task.path).stat().st_size


def test_stopping_cancels_the_rows_never_sent(builder, prospects, tmp_path):
    pool = WorkerPool(1, builder.profile, builder.options, builder, chunk_rows=8)
    tasks = _tasks(prospects, tmp_path, 4)
    seen = []
    for task in tasks:  # chunks of 1 and 2 rows are sent; the fourth row waits for a chunk of 4
        seen += pool.submit(task)
    assert pool.sent == 2 and [t.row for t in pool.queued] == [3]
    seen += pool.stop(grace=30)
    by_row = {t.row: o for t, o in seen}
    assert sorted(by_row) == [0, 1, 2, 3] and len(seen) == 4
    assert all(o.ok or o.cancelled for o in by_row.values())  # sent rows finish or never start
    assert by_row[3].cancelled and not Path(tasks[3].path).exists()
