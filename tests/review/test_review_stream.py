"""The last step of a batch in bounded memory: the review page is written a piece at a time (never the whole
text in memory) and ``deckgen release`` reads the report(s) a row at a time, keeping only the marked decks."""

from __future__ import annotations

import contextlib
import importlib
import json

from deckgen.review import build as review_build
from deckgen.review import data as review_data
from deckgen.review import release, reports, write_review
from deckgen.review.page import page_chunks, render_page
from tests.review.test_review import decisions, line, make_folder, pptx_with_notes, report_row
from tests.review.test_review_cap import big_rows


def test_the_page_is_written_in_pieces_of_a_few_rows(tmp_path, monkeypatch):
    out = make_folder(tmp_path / "d", big_rows(900))
    writes: list[int] = []
    real = review_build.atomic_writer

    @contextlib.contextmanager
    def counting(path):
        with real(path) as fh:
            if path.name != "review.html":
                yield fh
                return

            class Counted:
                def write(self, data):
                    writes.append(len(data))
                    return fh.write(data)

            yield Counted()

    monkeypatch.setattr(review_build, "atomic_writer", counting)
    data = write_review(out).data
    written = (out / "review.html").read_bytes()
    assert written == render_page(data).encode("utf-8")  # the same page as built whole
    assert sum(writes) == len(written) > 1_000_000
    assert max(writes) < 200_000  # a few dozen rows at a time, never the page


def test_the_page_comes_a_row_at_a_time(tmp_path):
    out = make_folder(tmp_path / "d", big_rows(60))
    data = write_review(out).data
    chunks = list(page_chunks(data))
    assert len(chunks) == len(data.rows) + 2  # the head, a row each, the foot
    assert "".join(chunks) == (out / "review.html").read_text(encoding="utf-8")


def test_release_streams_the_report_and_keeps_only_the_marked_decks(tmp_path, monkeypatch):
    folder = make_folder(
        tmp_path / "decks",
        [report_row(r, f"Co {r}", "A", 90, f"co-{r}.pptx") for r in range(2, 40)]
        + [report_row(40, "Old name", "B", 70, "best.pptx"), report_row(41, "New name", "A", 95, "best.pptx")],
    )
    pptx_with_notes(folder / "best.pptx")

    def whole(*args, **kwargs):
        raise AssertionError("release read every row into memory")

    monkeypatch.setattr(reports, "merge_reports", whole)
    monkeypatch.setattr(review_data, "merge_reports", whole)
    kept: list[dict] = []
    real = reports.stream_merged

    def watched(paths, on_row):
        def spy(raw):
            on_row(raw)
            kept.append(raw)

        return real(paths, spy)

    monkeypatch.setattr(importlib.import_module("deckgen.review.release"), "stream_merged", watched)
    result = release(folder, decisions(tmp_path / "d.csv", [line(folder, "best.pptx")]))
    assert result.sent == ["best.pptx"] and len(kept) == 40  # every row read once
    doc = json.loads((folder / "send" / "manifest.json").read_text(encoding="utf-8"))
    assert doc["sent"][0]["company"] == "New name"  # two rows naming one deck: the later row wins, as before


def test_a_newer_shard_report_wins_its_rows_for_the_page_and_for_release(tmp_path):
    folder = make_folder(tmp_path / "decks", [report_row(2, "First run", "C", 50, "a.pptx")])
    newer = {
        "format": "deckgen-batch-report/1",
        "generated": "2026-11-23T21:00:00.000000Z",
        "seconds": 1.0,
        "rows": [report_row(2, "Second run", "A", 90, "b.pptx")],
    }
    (folder / "report-1-of-2.json").write_text(json.dumps(newer), encoding="utf-8")
    pptx_with_notes(folder / "b.pptx")
    seen: list[dict] = []
    meta = reports.stream_merged(reports.report_files(folder), seen.append)
    assert [r["company"] for r in seen] == ["Second run"] and meta["reports"] == 2
    assert [r.company for r in write_review(folder).data.rows] == ["Second run"]
    marked = decisions(tmp_path / "d.csv", [line(folder, "b.pptx")])
    assert release(folder, marked).sent == ["b.pptx"]
