"""The manifest a batch writes: decks it lists in the order they were recorded, this run's decks kept on disk."""

from __future__ import annotations

import json
import tracemalloc

from deckgen.batch.manifest import MANIFEST_NAME, DeckRecord, Manifest


def record(n: int, built: str = "2026-11-25T10:00:00.000000Z") -> DeckRecord:
    return DeckRecord(f"{n:064x}", built, n + 1, str(n), f"Company {n}", n % 100, "A", "calm", (), 1000 + n)


def decks(folder) -> dict:
    return json.loads((folder / MANIFEST_NAME).read_text(encoding="utf-8"))["decks"]


def test_a_rerun_lists_the_untouched_decks_first_then_what_it_built_in_order(tmp_path):
    first = Manifest(tmp_path)
    for n, name in enumerate(["a.pptx", "b.pptx", "c.pptx"]):
        first.record(name, record(n))
        (tmp_path / name).write_bytes(b"deck")
    first.save()

    again = Manifest.load(tmp_path)
    later = "2026-11-26T10:00:00.000000Z"
    again.record("b.pptx", record(11, later))
    again.record("d.pptx", record(13, later))
    again.record("a.pptx", record(10, later))
    assert again.entries["b.pptx"] == record(11, later)  # a deck listed before stays current in entries
    again.save()

    listed = decks(tmp_path)
    assert list(listed) == ["c.pptx", "b.pptx", "d.pptx", "a.pptx"]
    assert [listed[n]["id"] for n in listed] == ["2", "11", "13", "10"]
    reread = Manifest.load(tmp_path)
    assert reread.current("d.pptx", record(13).inputs) is None  # no deck file: rebuilt
    assert reread.entries["a.pptx"] == record(10, later) and len(reread.entries) == 4


def test_pruning_drops_this_runs_decks_that_are_gone_too(tmp_path):
    m = Manifest(tmp_path)
    m.record("kept.pptx", record(1))
    m.record("gone.pptx", record(2))
    (tmp_path / "kept.pptx").write_bytes(b"deck")
    m.save(prune=True)
    assert list(decks(tmp_path)) == ["kept.pptx"]


def test_decks_a_run_builds_cost_no_memory_a_deck(tmp_path):
    m = Manifest(tmp_path)
    for n in range(200):  # warm up: the temporary file, json's caches
        m.record(f"warm-{n}.pptx", record(n))
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        for n in range(20_000):
            m.record(f"a-long-ish-company-name-{n}-{n * 7}.pptx", record(n))
        grown = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    assert grown / 20_000 < 4, f"{grown / 20_000:.1f} bytes a deck"
    m.save()
    assert len(decks(tmp_path)) == 20_200
