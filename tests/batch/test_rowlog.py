"""The row log a batch keeps its row reports in: on disk, nothing a row in memory while rows come in order."""

from __future__ import annotations

import tracemalloc

from deckgen.batch.report import RowReport
from deckgen.batch.rowlog import RowLog


def report(n: int) -> RowReport:
    company = f"Summit Dental North {n}"
    return RowReport(n, f"r{n:06d}", company, "built", f"{company.replace(' ', '-')}.pptx", 55, "A", "calm")


def test_rows_that_come_in_order_cost_no_memory_a_row():
    log = RowLog()
    for n in range(200):  # warm up: pickle's and the file's buffers
        log.append(report(n))
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        for n in range(200, 20_200):
            log.append(report(n))
        grown = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    assert grown / 20_000 < 2, f"{grown / 20_000:.1f} bytes a row"
    assert len(log) == 20_200 and [r.row for r in log.in_row_order()] == list(range(20_200))


def test_rows_out_of_order_are_sorted_stably_and_indexing_reads_any_row():
    log = RowLog()
    arrivals = [5, 3, 3, 9, 1, 3]
    for k, row in enumerate(arrivals):
        log.append(RowReport(row, str(k), f"Co {k}", "built"))
    assert [(r.row, r.id) for r in log.in_row_order()] == [(1, "4"), (3, "1"), (3, "2"), (3, "5"), (5, "0"), (9, "3")]
    assert [r.row for r in log] == arrivals  # arrival order
    assert log[0].id == "0" and log[-1].id == "5" and [r.id for r in log[1:3]] == ["1", "2"]
    log.append(RowReport(0, "6", "Co 6", "failed"))  # appended after the index was built: indexed too
    assert log[6].id == "6" and [r.row for r in log.in_row_order()][:2] == [0, 1]


def test_two_passes_over_the_log_may_interleave():
    log = RowLog()
    for n in range(1, 6):
        log.append(report(n))
    outer, inner = iter(log), iter(log)
    pairs = [(next(outer).row, next(inner).row, log[4].row) for _ in range(5)]
    assert pairs == [(n, n, 5) for n in range(1, 6)]


def test_rows_from_several_workers_are_placed_by_number_without_a_sorted_index():
    log = RowLog()
    arrivals = [n ^ 5 for n in range(2, 3000)]  # each row once, a few places out of order
    for n in arrivals:
        log.append(report(n))
    first = [r.row for r in log.in_row_order()]
    assert first == sorted(arrivals)
    assert len(log._offsets) == 0  # no index of every row, no list of sort keys
    assert [r.row for r in log.in_row_order()] == first  # a second pass reuses the offsets
    log.append(report(5000))  # appended after: placed too
    assert [r.row for r in log.in_row_order()] == [*first, 5000]
    log.append(RowReport(7, "again", "Co", "failed"))  # a row number twice: sorted, stable
    rows = [(r.row, r.id) for r in log.in_row_order()]
    assert [row for row, _ in rows] == sorted([*first, 5000, 7])
    assert [i for row, i in rows if row == 7] == ["r000007", "again"]


def test_sparse_row_numbers_are_sorted_instead():
    log = RowLog()
    for row in (10**9, 7, 10**6, 3):
        log.append(RowReport(row, str(row), "Co", "built"))
    assert [r.row for r in log.in_row_order()] == [3, 7, 10**6, 10**9]
