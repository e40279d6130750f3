"""A large batch's review page: the report is streamed, only the rows shown are kept and hashed, and a page
over its cap shows the rows needing attention first with a line saying so (fast, synthetic folders)."""

from __future__ import annotations

import gc
import hashlib
import io
import json
import random
import re
import tracemalloc

import pytest

from deckgen.review import data as review_data
from deckgen.review import write_review
from deckgen.review.data import ReviewRow, load_review_data
from deckgen.review.jsonstream import JsonStream
from tests.review.test_review import make_folder, page, report_row, row_files

BANDS = ("A", "B", "C", "qualify_first", "walk_away")
ROWS = 5000
CAP = 300


def big_rows(n: int) -> list[dict]:
    """Every 50th row failed, every 9th has a warning, verdicts and scores spread (deterministic)."""
    rows = []
    for i in range(2, n + 2):
        if i % 50 == 0:
            error = {"message": "bad", "field": None}
            rows.append(report_row(i, f"Failed {i}", "", None, status="failed", error=error))
            continue
        warnings = [f"row {i}: the industry is unknown"] if i % 9 == 0 else []
        rows.append(report_row(i, f"Co {i}", BANDS[i % 5], (i * 37) % 100, f"co-{i}.pptx", warnings=warnings))
    return rows


@pytest.fixture(scope="module")
def big(tmp_path_factory):
    return make_folder(tmp_path_factory.mktemp("big") / "decks", big_rows(ROWS))


def _expected(rows: list[dict], cap: int) -> tuple[list[int], list[int]]:
    """(failed rows shown, deck rows shown in page order), worked out whole from the report."""

    def rank(r):
        return (BANDS.index(r["band"]), -r["score"], r["row"])

    failed = [r["row"] for r in rows if r["status"] == "failed"][:cap]
    warned = sorted((r for r in rows if r["status"] != "failed" and r["warnings"]), key=rank)
    others = sorted((r for r in rows if r["status"] != "failed" and not r["warnings"]), key=rank)
    return failed, [r["row"] for r in sorted((warned + others)[:cap], key=rank)]


def test_a_page_over_its_cap_shows_decks_with_warnings_first_then_the_best_fits(big):
    data = write_review(big, cap=CAP).data
    rows = big_rows(ROWS)
    failed, decks = _expected(rows, CAP)
    n_failed = sum(1 for r in rows if r["status"] == "failed")
    assert len(data.rows) == CAP and len(failed) == n_failed < CAP
    assert [r.row for r in data.failed] == failed
    assert [r.row for r in data.rows] == decks
    assert sum(1 for r in rows if r["warnings"]) > CAP and all(r.warnings for r in data.rows)  # warnings first
    html = page(big)
    assert row_files(html) == [f"co-{n}.pptx" for n in decks]
    line = re.search(r'<p class="capped" role="note">(.*?)</p>', html).group(1)
    assert f"This page shows {CAP + n_failed} of {ROWS:,} rows" in line
    assert f"{CAP} of {ROWS - n_failed:,} decks" in line and f"{n_failed} of {n_failed} failed rows" in line
    assert 'href="report.csv"' in line and f"all {ROWS:,} rows" in line
    assert html.index('class="capped"') < html.index('class="figures"')  # at the top
    # the figures still count the whole batch
    assert f"<dt>Decks</dt><dd><strong>{ROWS - n_failed}</strong>" in html
    assert f"<dt>Failed rows</dt><dd><strong>{n_failed}</strong>" in html
    assert f"<title>Review: {ROWS - n_failed} decks" in html
    assert sum(data.bands.values()) == ROWS - n_failed


def test_failed_rows_over_the_cap_are_the_first_ones(big):
    data = load_review_data(big, cap=20)
    assert [r.row for r in data.failed] == [r["row"] for r in big_rows(ROWS) if r["status"] == "failed"][:20]
    assert len(data.rows) == 20 and data.failed_count == ROWS // 50


def test_only_the_decks_shown_are_hashed_and_remembered(big, monkeypatch):
    hashed = []
    real = review_data.DeckHashes.digest

    def digest(self, name, built=""):
        hashed.append(name)
        return real(self, name, built)

    monkeypatch.setattr(review_data.DeckHashes, "digest", digest)
    data = write_review(big, cap=CAP).data
    assert sorted(hashed) == sorted(r.file for r in data.rows)
    state = json.loads((big / ".deckgen-review.json").read_text(encoding="utf-8"))
    assert set(state["decks"]) == {r.file for r in data.rows}
    for r in data.rows[:5]:
        assert r.sha256 == hashlib.sha256((big / r.file).read_bytes()).hexdigest()


def test_a_page_at_or_under_its_cap_has_no_cap_line(tmp_path):
    rows = big_rows(120)
    out = make_folder(tmp_path / "d", rows)
    write_review(out, cap=len(rows))
    html = page(out)
    assert 'class="capped"' not in html
    assert len(row_files(html)) == sum(1 for r in rows if r["status"] != "failed")
    (out / "review.html").unlink()
    (out / ".deckgen-review.json").unlink()
    write_review(out)  # the default cap: the same page
    assert page(out) == html


def test_rows_are_streamed_and_at_most_the_cap_are_held(big, monkeypatch):
    """Count the ReviewRow objects alive while the report streams past: never much more than the cap."""
    held = []
    real_add = review_data._Tally.add
    calls = [0]

    def add(self, raw):
        real_add(self, raw)
        calls[0] += 1
        if calls[0] % 1000 == 0:
            held.append(sum(1 for o in gc.get_objects() if isinstance(o, ReviewRow)))

    monkeypatch.setattr(review_data._Tally, "add", add)
    load_review_data(big, cap=50)
    assert calls[0] == ROWS and len(held) == ROWS // 1000
    assert max(held) <= 2 * 50 + 5  # 50 decks and 50 failed rows


def test_memory_does_not_grow_with_the_report(tmp_path):
    """Traced peak (bytes, not time) of reading a 5,000-row report against a 500-row one."""
    small = make_folder(tmp_path / "small", big_rows(500))
    large = make_folder(tmp_path / "large", big_rows(ROWS))

    def peak(folder):
        load_review_data(folder, cap=50)  # warm: imports, caches
        tracemalloc.start()
        try:
            load_review_data(folder, cap=50)
            return tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()

    size = (large / "report.json").stat().st_size
    p_small, p_large = peak(small), peak(large)
    # ten times the rows add well under a tenth of the report's bytes (holding the rows or the text would add
    # more than all of it); the flat part is the hash's 1 MiB read buffer and the JSON buffer
    assert p_large - p_small < size / 10, (p_small, p_large, size)


def test_the_newest_of_several_reports_wins_a_row_when_streamed(tmp_path):
    out = make_folder(tmp_path / "d", [report_row(2, "Old Co", "C", 40, "old-p002.pptx")])
    (out / "new-p002.pptx").write_bytes(b"new deck")
    newer = {
        "format": "deckgen-batch-report/1",
        "generated": "2026-11-23T21:00:00.000000Z",
        "seconds": 2.0,
        "rows": [report_row(2, "New Co", "A", 90, "new-p002.pptx"), report_row(3, "Other", "B", 70, "old-p002.pptx")],
    }
    (out / "report-1-of-2.json").write_text(json.dumps(newer), encoding="utf-8")
    data = load_review_data(out)
    assert [(r.row, r.company) for r in data.rows] == [(2, "New Co"), (3, "Other")]
    assert data.meta["seconds"] == 14.5 and data.meta["reports"] == 2


def test_json_stream_reads_any_layout_in_tiny_blocks():
    rnd = random.Random(16)
    doc = {
        "format": "x",
        "n": 1234567890123,
        "f": -0.5e-7,
        "t": [True, False, None, "é ☃ \\u00e9", {"a": [1, 22, 333]}],
        "rows": [{"row": i, "s": "x" * rnd.randrange(40)} for i in range(200)],
    }
    for text in (json.dumps(doc), json.dumps(doc, indent=1), json.dumps(doc, ensure_ascii=False)):
        for block in (1, 3, 7, 64):
            js = JsonStream(io.BytesIO(text.encode("utf-8")), block=block)
            got = {}
            for key in js.members():
                got[key] = list(js.items()) if key in ("rows", "t") else js.value()
            js.end()
            assert got == doc


def test_json_stream_rejects_broken_json():
    for text in ('{"rows": [1, 2', '{"a": 1 "b": 2}', '{"a": 1} x', "[1,]"):
        js = JsonStream(io.BytesIO(text.encode()), block=4)
        with pytest.raises(ValueError):
            if js.peek() == "{":
                for _ in js.members():
                    js.skip()
            else:
                js.skip()
            js.end()


def test_deckgen_review_says_when_the_page_shows_only_some_rows(big):
    from click.testing import CliRunner

    from deckgen.cli import cli

    result = CliRunner().invoke(cli, ["review", str(big)])
    assert result.exit_code == 0, result.output
    assert f"the page shows 2,100 of {ROWS:,} rows" in result.output and "report.csv" in result.output
    assert 'class="capped"' in page(big)
