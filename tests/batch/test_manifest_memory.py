"""Manifests and row logs for long batches: records on disk, a few bytes a deck in memory, streamed files."""

from __future__ import annotations

import json
import tracemalloc

import pytest

from deckgen.batch.manifest import MANIFEST_NAME, DeckRecord, Manifest
from deckgen.batch.manifest_io import read_manifest
from deckgen.batch.records import RecordStore
from deckgen.batch.report import RowReport
from deckgen.batch.rowlog import RowLog


def record(n: int, built: str = "2026-11-25T10:00:00.000000Z") -> DeckRecord:
    return DeckRecord(f"{n:064x}", built, n + 1, str(n), f"Company {n}", n % 100, "A", "calm", (), 1000 + n)


def test_the_record_store_is_a_mapping_that_survives_growing_and_overwriting():
    store = RecordStore(DeckRecord.from_json)
    for n in range(3000):
        store.put(f"deck-{n}.pptx", record(n).to_json(), own=n % 2 == 0)
    store.put("deck-7.pptx", record(7, "2026-11-26T00:00:00.000000Z").to_json(), own=False)
    assert len(store) == 3000
    assert store["deck-7.pptx"].built.startswith("2026-11-26") and store.is_own("deck-7.pptx") is False
    assert store["deck-2999.pptx"] == record(2999) and store.get("nope.pptx") is None
    assert "deck-0.pptx" in store and "nope.pptx" not in store and 5 not in store
    names = list(store)
    assert len(names) == 3000 and names[-1] == "deck-7.pptx"  # the order the current lines were written
    assert store.owned == 1500


def test_names_with_quotes_colons_and_other_scripts_round_trip(tmp_path):
    names = ['a: "quoted", b.pptx', "恒信物流.pptx", "x\\y.pptx", "emoji-😀.pptx"]
    m = Manifest(tmp_path)
    for n, name in enumerate(names):
        m.record(name, record(n))
    m.save()
    data = json.loads((tmp_path / MANIFEST_NAME).read_text(encoding="utf-8"))
    assert list(data["decks"]) == names
    again = Manifest.load(tmp_path)
    assert [again.entries[name] for name in names] == [record(n) for n in range(len(names))]


def test_a_saved_manifest_is_read_back_a_line_at_a_time(tmp_path):
    m = Manifest(tmp_path)
    for n in range(50):
        m.record(f"d{n}.pptx", record(n))
    m.inputs = {"profile": "p"}
    m.save()
    inputs, decks = read_manifest(tmp_path / MANIFEST_NAME)
    assert inputs == {"profile": "p"}
    assert not isinstance(decks, list)  # a generator over the file's lines
    assert [name for name, _ in decks] == [f"d{n}.pptx" for n in range(50)]


def test_a_manifest_written_another_way_is_still_read(tmp_path):
    entry = record(1).to_json()
    pretty = {"format": "deckgen-manifest/1", "inputs": {"date": "d"}, "decks": {"a.pptx": entry}}
    (tmp_path / MANIFEST_NAME).write_text(json.dumps(pretty, indent=4), encoding="utf-8")
    m = Manifest.load(tmp_path)
    assert m.entries["a.pptx"] == record(1) and m.previous_inputs == {"date": "d"} and not m.warnings


@pytest.mark.parametrize(
    "damage, says",
    [
        (lambda t: t[: len(t) // 2], "unreadable resume manifest"),  # cut short
        (lambda t: t.replace("},\n", "}\n", 1), "unreadable resume manifest"),  # a comma lost
        (lambda t: t.replace('"row": 5,', '"row": "five",', 1), "not a deckgen manifest"),
        (lambda t: t + "trailing text\n", "unreadable resume manifest"),
    ],
)
def test_a_damaged_manifest_is_ignored_whole_with_a_warning(tmp_path, damage, says):
    (tmp_path / "d0.pptx").write_bytes(b"deck")
    m = Manifest(tmp_path)
    for n in range(20):
        m.record(f"d{n}.pptx", record(n))
    m.save()
    path = tmp_path / MANIFEST_NAME
    path.write_text(damage(path.read_text(encoding="utf-8")), encoding="utf-8")
    again = Manifest.load(tmp_path)
    assert len(again.entries) == 0 and says in str(again.warnings[0])
    assert len(again.warnings) == 1


def test_a_damaged_shard_manifest_leaves_the_others_in_use(tmp_path):
    from deckgen.batch.shard import Shard

    main = Manifest(tmp_path)
    main.record("a.pptx", record(1))
    main.save()
    shard = Manifest(tmp_path, Shard(1, 2))
    shard.record("b.pptx", record(2))
    shard.save()
    shard.path.write_text(shard.path.read_text(encoding="utf-8")[:-5], encoding="utf-8")
    merged = Manifest.load(tmp_path)
    assert list(merged.entries) == ["a.pptx"] and len(merged.warnings) == 1


def test_memory_per_deck_stays_small_for_a_long_manifest(tmp_path):
    m = Manifest(tmp_path)
    for n in range(500):  # warm up: the store's first growth, json's caches
        m.record(f"warm-{n}.pptx", record(n))
    tracemalloc.start()
    try:
        before = tracemalloc.take_snapshot()
        for n in range(20_000):
            m.record(f"a-long-ish-company-name-{n}-{n * 7}.pptx", record(n))
        after = tracemalloc.take_snapshot()
    finally:
        tracemalloc.stop()
    grown = sum(s.size_diff for s in after.compare_to(before, "filename"))
    assert grown / 20_000 < 80, f"{grown / 20_000:.0f} bytes a deck"  # a set of names alone would be ~150
    m.save()
    assert len(json.loads((tmp_path / MANIFEST_NAME).read_text(encoding="utf-8"))["decks"]) == 20_500


def test_the_row_log_streams_rows_in_order_without_sorting_when_they_came_in_order():
    log = RowLog()
    for n in range(1, 1001):
        log.append(RowReport(n, str(n), f"Co {n}", "built"))
    assert [r.row for r in log.in_row_order()] == list(range(1, 1001))
    log.append(RowReport(0, "0", "Co 0", "failed"))
    assert [r.row for r in log.in_row_order()][:3] == [0, 1, 2]


def test_used_names_is_an_exact_set_of_names():
    from deckgen.batch.records import UsedNames

    used = UsedNames()
    names = [f"company-{n}.pptx" for n in range(5000)] + ["恒信物流.pptx", "x" * 70_000]
    for name in names:
        used.add(name)
    used.add("company-7.pptx")
    assert len(used) == len(names)
    assert all(name in used for name in names)
    assert "company-5000.pptx" not in used and "company-1.ppt" not in used and "" not in used


def test_a_batch_hands_out_unique_names_with_the_compact_set(tmp_path):
    from deckgen.batch.records import UsedNames
    from deckgen.naming import NameAllocator

    names = NameAllocator(tmp_path)
    names.used = UsedNames()
    first, _ = names.allocate("Acme Dental")
    second, clash = names.allocate("ACME dental")
    assert (first.name, second.name) == ("Acme-Dental.pptx", "ACME-dental-2.pptx") and "already used" in clash


def test_used_names_take_far_less_memory_than_a_set_of_strings():
    from deckgen.batch.records import UsedNames

    def grown(make) -> float:
        tracemalloc.start()
        try:
            before = tracemalloc.get_traced_memory()[0]
            kept = make()
            after = tracemalloc.get_traced_memory()[0]
        finally:
            tracemalloc.stop()
        assert kept
        return (after - before) / 20_000

    def fill(target):
        for n in range(20_000):
            target.add(f"a-long-ish-company-name-{n}-{n * 7}.pptx")
        return target

    compact, plain = grown(lambda: fill(UsedNames())), grown(lambda: fill(set()))
    assert compact < 90 and compact < plain / 2, (compact, plain)


def test_a_streamed_walk_away_summary_reads_the_same_as_a_list(tmp_path):
    from deckgen.batch.report import write_report

    rows = [RowReport(n, str(n), f"Co {n}", "built", band="walk_away") for n in range(1, 4)]
    walk = [{"row": r.row, "id": r.id, "company": r.company} for r in rows]
    (tmp_path / "a").mkdir(), (tmp_path / "b").mkdir()
    write_report(tmp_path / "a" / "r.json", tmp_path / "a" / "r.csv", rows, {"summary": {"walk_away": walk}})
    write_report(tmp_path / "b" / "r.json", tmp_path / "b" / "r.csv", rows, {"summary": {"walk_away": iter(walk)}})
    a, b = (json.loads((tmp_path / x / "r.json").read_text(encoding="utf-8")) for x in "ab")
    assert a == b and b["summary"]["walk_away"][2] == {"row": 3, "id": "3", "company": "Co 3"}
