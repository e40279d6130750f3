"""The deadline on reading a prospect list: added-up reading time (a clock the tests drive) and a timer
for a row that never arrives (a tiny deadline). No test here asserts on how long anything took."""

from __future__ import annotations

import functools
import signal
import time

import pytest

from deckgen.errors import InputError, LoadDeadlineError
from deckgen.load.crm import source as source_module
from deckgen.load.crm.source import open_prospects
from deckgen.load.table import workbook
from deckgen.load.table.deadline import LIST_SECONDS, LIST_SECONDS_ENV, ROW_SECONDS, ReadDeadline, list_seconds


class FakeClock:
    """A clock that moves only when told to."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


class Row:
    def __init__(self, row: int) -> None:
        self.row = row


def rows_costing(clock: FakeClock, seconds_each: float, count: int = 100):
    for n in range(2, count + 2):
        clock.now += seconds_each
        yield Row(n)


def test_rows_that_add_up_past_the_bound_stop_after_the_last_row_read_whole():
    clock = FakeClock()
    read = ReadDeadline("list.csv", seconds=12, clock=clock)
    seen = []
    with pytest.raises(LoadDeadlineError) as info:
        for row in read.rows(rows_costing(clock, 5), lambda r: r.row):
            seen.append(row.row)
    assert seen == [2, 3]  # 5 s and 10 s are within 12 s; 15 s is not
    assert info.value.file == "list.csv" and info.value.row == 3
    assert "stopped after this row" in info.value.message and LIST_SECONDS_ENV in info.value.message
    assert str(info.value).startswith("list.csv row 3: reading the prospect list took longer than allowed")


def test_each_row_read_adds_a_little_time_so_a_long_list_is_not_stopped_for_being_long():
    clock = FakeClock()
    read = ReadDeadline("list.csv", seconds=1, clock=clock)
    count = 20_000  # 20,000 rows at 1 ms each: 20 s in all, far over the 1 s base
    assert sum(1 for _ in read.rows(rows_costing(clock, ROW_SECONDS / 2, count), lambda r: r.row)) == count


def test_the_callers_time_between_rows_is_not_counted():
    clock = FakeClock()
    read = ReadDeadline("list.csv", seconds=1, clock=clock)
    n = 0
    for _ in read.rows(rows_costing(clock, 0.0, 50), lambda r: r.row):
        clock.now += 100  # building a deck
        n += 1
    assert n == 50


def test_a_row_that_never_arrives_is_interrupted():
    read = ReadDeadline("stalled.csv", seconds=0.05, clock=lambda: 0.0)  # the added-up time never grows

    def stalled():
        yield Row(2)
        time.sleep(20)  # a read on a dead network share
        yield Row(3)

    before = signal.getsignal(signal.SIGALRM)
    got = []
    with pytest.raises(LoadDeadlineError) as info:
        for row in read.rows(stalled(), lambda r: r.row):
            got.append(row.row)
    assert got == [2] and info.value.row == 2
    assert signal.getsignal(signal.SIGALRM) is before  # the handler is given back
    assert signal.getitimer(signal.ITIMER_REAL)[0] == 0


def test_opening_that_stalls_is_interrupted_and_names_the_file():
    read = ReadDeadline("stalled.xlsx", seconds=0.05, clock=lambda: 0.0)
    with pytest.raises(LoadDeadlineError) as info:
        with read.opening():
            time.sleep(20)
    assert info.value.file == "stalled.xlsx" and info.value.row is None
    assert "took longer than 0.05 s" in info.value.message


def test_an_outer_timer_is_left_alone():
    fired = []
    previous = signal.signal(signal.SIGALRM, lambda *_: fired.append(True))
    signal.setitimer(signal.ITIMER_REAL, 30)
    try:
        read = ReadDeadline("list.csv", seconds=5)
        assert [r.row for r in read.rows(iter([Row(2), Row(3)]), lambda r: r.row)] == [2, 3]
        left, _ = signal.getitimer(signal.ITIMER_REAL)
        assert 25 < left <= 30  # still running, not reset or cancelled
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    assert fired == []


def test_a_pass_left_unfinished_closes_its_rows_and_gives_the_handler_back():
    closed = []

    def rows():
        try:
            yield Row(2)
            yield Row(3)
        finally:
            closed.append(True)

    before = signal.getsignal(signal.SIGALRM)
    it = ReadDeadline("list.csv", seconds=5).rows(rows(), lambda r: r.row)
    next(it)
    it.close()
    assert closed == [True] and signal.getsignal(signal.SIGALRM) is before


@pytest.mark.parametrize("value, expected", [("", LIST_SECONDS), ("120", 120.0), (" 0.5 ", 0.5), ("86400", 86400.0)])
def test_the_bound_comes_from_the_environment(monkeypatch, value, expected):
    monkeypatch.setenv(LIST_SECONDS_ENV, value)
    assert list_seconds() == expected


@pytest.mark.parametrize("value", ["abc", "0", "-5", "nan", "inf", "1e9"])
def test_a_bad_bound_in_the_environment_is_an_input_error(monkeypatch, value):
    monkeypatch.setenv(LIST_SECONDS_ENV, value)
    with pytest.raises(InputError, match=LIST_SECONDS_ENV):
        list_seconds()


# --------------------------------------------------------------------------- wired into the prospect list


def slow_clock(monkeypatch, seconds_per_call: float) -> FakeClock:
    """Every clock reading the list's deadline takes moves time on by ``seconds_per_call``."""
    clock = FakeClock()

    def tick() -> float:
        clock.now += seconds_per_call
        return clock.now

    monkeypatch.setattr(source_module, "ReadDeadline", functools.partial(ReadDeadline, clock=tick))
    return clock


def write_list(tmp_path, rows: int = 50):
    path = tmp_path / "list.csv"
    path.write_text("company,users\n" + "".join(f"Co {i},{i + 1}\n" for i in range(rows)))
    return path


def test_iterating_a_prospect_list_is_bounded_and_names_the_row(tmp_path, monkeypatch):
    path = write_list(tmp_path)
    source = open_prospects(path)
    monkeypatch.setenv(LIST_SECONDS_ENV, "10")
    slow_clock(monkeypatch, 0.5)  # each row: read starts and ends 0.5 s apart -> 0.5 s a row
    seen = []
    with pytest.raises(LoadDeadlineError) as info:
        for rr in source:
            seen.append(rr.row)
    assert info.value.file == str(path) and info.value.row == seen[-1]
    assert 15 < len(seen) < 30  # about 10 s / 0.5 s, plus the allowance per row


def test_counting_the_rows_is_bounded_too(tmp_path, monkeypatch):
    path = write_list(tmp_path)
    source = open_prospects(path)
    monkeypatch.setenv(LIST_SECONDS_ENV, "10")
    slow_clock(monkeypatch, 0.5)
    with pytest.raises(LoadDeadlineError):
        source.count()


def test_opening_a_prospect_list_is_bounded(tmp_path, monkeypatch):
    path = write_list(tmp_path)
    monkeypatch.setenv(LIST_SECONDS_ENV, "10")
    slow_clock(monkeypatch, 11)
    with pytest.raises(LoadDeadlineError) as info:
        open_prospects(path)
    assert info.value.file == str(path) and info.value.row is None


def test_a_list_read_in_time_reads_every_row(tmp_path, monkeypatch):
    path = write_list(tmp_path)
    monkeypatch.setenv(LIST_SECONDS_ENV, "10")
    slow_clock(monkeypatch, 0.0001)
    source = open_prospects(path)
    assert [rr.prospect.company for rr in source][-1] == "Co 49" and source.count() == 50


def test_the_workbook_reader_does_not_turn_the_deadline_into_a_damaged_file(tmp_path, monkeypatch):
    import openpyxl

    path = tmp_path / "a.xlsx"
    wb = openpyxl.Workbook()
    wb.active.append(["company"])
    wb.active.append(["Acme"])
    wb.save(path)

    def stalls(*_args, **_kwargs):
        raise LoadDeadlineError("time is up", file=str(path))
        yield  # a generator, like the real one

    table = workbook.open_workbook(path, str(path), None)
    monkeypatch.setattr(workbook.Book, "rows", stalls)
    with pytest.raises(LoadDeadlineError, match="time is up"):
        list(table)
