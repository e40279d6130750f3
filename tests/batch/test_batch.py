"""The batch runner's parts: shards, file-name patterns, resume digests and manifests, reports, progress."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import shutil

import pytest

from deckgen.batch.manifest import MANIFEST_NAME, DeckRecord, Manifest, combined_digest, input_fingerprint, row_digest
from deckgen.batch.plan import NamePattern
from deckgen.batch.report import RowReport, report_paths, write_report
from deckgen.batch.run import BatchProgress
from deckgen.batch.shard import Shard
from deckgen.build import BuildOptions
from deckgen.cli.progress import Progress
from deckgen.errors import DataWarning, InputError
from deckgen.load.files import load_profile, load_prospect
from deckgen.model import Prospect
from deckgen.naming import NameAllocator, slugify
from deckgen.resources import examples_dir
from deckgen.sales.fit import score_fit
from deckgen.sales.ranking import top_reasons

PROFILE = examples_dir() / "profile.yaml"
DAY = dt.date(2026, 11, 25)


# --------------------------------------------------------------------------- shards


@pytest.mark.parametrize("n", [1, 2, 3, 7])
def test_shards_deal_every_row_to_exactly_one_shard(n):
    shards = [Shard(k, n) for k in range(1, n + 1)]
    for index in range(100):
        assert sum(s.owns(index) for s in shards) == 1
    sizes = [sum(s.owns(i) for i in range(100)) for s in shards]
    assert max(sizes) - min(sizes) <= 1


def test_shards_are_round_robin_by_position_in_the_file():
    assert [i for i in range(9) if Shard(2, 3).owns(i)] == [1, 4, 7]
    assert Shard.parse(" 2/3 ") == Shard(2, 3)
    assert Shard(2, 3).suffix == "-2-of-3" and str(Shard(2, 3)) == "2/3"


@pytest.mark.parametrize(
    "text, says",
    [
        ("0/3", "K counts from 1 to N (3)"),
        ("4/3", "K counts from 1 to N (3)"),
        ("1/0", "N must be at least 1"),
        ("3", "expected K/N"),
        ("a/b", "expected K/N"),
        ("-1/2", "expected K/N"),
        ("1/2/3", "expected K/N"),
    ],
)
def test_a_bad_shard_says_what_is_expected(text, says):
    with pytest.raises(InputError, match=re.escape(says)):
        Shard.parse(text)


# --------------------------------------------------------------------------- names


def acme(**kw) -> Prospect:
    data = {
        "company": "Acme Dental",
        "id": "0015g00000AbC",
        "industry": "Dental",
        "location": {"city": "San Antonio", "country": "United States"},
    }
    data.update(kw)
    return Prospect.model_validate(data)


def test_name_pattern_fills_every_field():
    pattern = NamePattern("{company}_{id}_{row}_{date}_{industry}_{city}_{country}_{band}_{score:03d}")
    fit = score_fit(acme(), load_profile(PROFILE).icp)
    stem = pattern.stem(acme(), 7, DAY, fit)
    assert stem == (
        f"Acme Dental_0015g00000AbC_7_2026-11-25_Dental_San Antonio_United States_"
        f"{fit.band.replace('_', '-')}_{fit.score:03d}"
    )
    assert pattern.needs_fit


def test_name_pattern_without_band_or_score_needs_no_fit():
    pattern = NamePattern("{company}-{date}")
    assert not pattern.needs_fit
    assert pattern.stem(acme(), 2, DAY, None) == "Acme Dental-2026-11-25"


@pytest.mark.parametrize(
    "pattern, says",
    [
        ("{owner}", "unknown field 'owner'"),
        ("{company.__class__}", "unknown field 'company.__class__'"),
        ("{company[0]}", "unknown field"),
        ("{}", "unknown field '{}'"),
        ("{0}", "unknown field '0'"),
        ("{company", "expected '}'"),
        ("{score:q}", "Unknown format code"),
        ("   ", "must not be empty"),
    ],
)
def test_name_pattern_refuses_what_it_cannot_fill(pattern, says):
    with pytest.raises(InputError, match=re.escape(says)):
        NamePattern(pattern)


def test_a_hostile_company_name_stays_inside_the_output_folder(tmp_path):
    names = NameAllocator(tmp_path)
    stem = NamePattern("{company}").stem(acme(company="../../etc/passwd\x00 CON"), 2, DAY, None)
    path, _ = names.allocate(slugify(stem))
    assert path.parent == tmp_path and path.name == "etc-passwd-CON.pptx"


# --------------------------------------------------------------------------- resume digests

RAW = [{"company": f"Company {i}", "users": str(10 + i), "city": "Austin"} for i in range(5)]


def common(tmp_path, **options) -> str:
    profile = tmp_path / "profile.yaml"
    if not profile.exists():
        shutil.copyfile(PROFILE, profile)
    return combined_digest(
        input_fingerprint(profile, BuildOptions(today=DAY, **options), {"company": "company"}, "generic")
    )


def test_changing_one_field_of_one_row_changes_only_that_rows_digest(tmp_path):
    base = common(tmp_path)
    before = [row_digest(base, raw) for raw in RAW]
    edited = [dict(raw) for raw in RAW]
    edited[2]["users"] = "99"
    after = [row_digest(base, raw) for raw in edited]
    assert [b != a for b, a in zip(before, after)] == [False, False, True, False, False]
    assert len(set(before)) == 5


def test_row_digest_ignores_column_order_but_not_the_prospect_id():
    reordered = dict(reversed(list(RAW[0].items())))
    assert row_digest("c", RAW[0]) == row_digest("c", reordered)
    assert row_digest("c", RAW[0], acme(id="2")) != row_digest("c", RAW[0], acme(id="3"))


def test_a_prospect_logo_is_part_of_its_digest(tmp_path):
    logo = tmp_path / "logo.png"
    logo.write_bytes(b"one")
    first = row_digest("c", RAW[0], acme(logo=str(logo)))
    logo.write_bytes(b"two")
    assert row_digest("c", RAW[0], acme(logo=str(logo))) != first


def test_every_shared_input_changes_every_digest(tmp_path):
    base = common(tmp_path)
    assert common(tmp_path) == base  # stable
    variants = {
        "closing": common(tmp_path, closing="ridgeline-why-it-broke"),
        "brand": common(tmp_path, brand="slate"),
    }
    profile = tmp_path / "profile.yaml"
    profile.write_bytes(profile.read_bytes() + b"\n# edited\n")
    variants["profile"] = common(tmp_path)
    fp = input_fingerprint(profile, BuildOptions(today=DAY + dt.timedelta(days=1)))
    assert set(fp) == {"deckgen", "profile", "template", "template.yaml", "brand", "closing", "date", "columns"}
    variants["date"] = combined_digest(fp)
    for what, digest in variants.items():
        assert digest != base, what


def test_the_column_mapping_is_part_of_the_digest(tmp_path):
    profile = tmp_path / "profile.yaml"
    shutil.copyfile(PROFILE, profile)
    a = input_fingerprint(profile, BuildOptions(today=DAY), {"Name": "company"}, "generic")
    b = input_fingerprint(profile, BuildOptions(today=DAY), {"Name": "company", "Seats": "size.users"}, "generic")
    assert a["columns"] != b["columns"] and a["profile"] == b["profile"]


# --------------------------------------------------------------------------- manifests


def entry(digest: str, built: str = "2026-11-25T10:00:00.000000Z") -> DeckRecord:
    return DeckRecord(digest, built, 2, "1", "Acme", 80, "A", "x", ("a warning",))


def test_manifest_round_trip_and_skip_only_when_deck_exists(tmp_path):
    m = Manifest.load(tmp_path)
    m.record("acme.pptx", entry("d1"))
    m.record("gone.pptx", entry("d2"))
    (tmp_path / "acme.pptx").write_bytes(b"deck")
    m.save()

    again = Manifest.load(tmp_path)
    assert again.current("acme.pptx", "d1") == entry("d1")
    assert again.current("acme.pptx", "other") is None
    assert again.current("gone.pptx", "d2") is None  # the deck was deleted: rebuild
    again.save(prune=True)
    assert set(json.loads((tmp_path / MANIFEST_NAME).read_text())["decks"]) == {"acme.pptx"}


@pytest.mark.parametrize(
    "text, says",
    [
        ("{not json", "unreadable resume manifest"),
        ('{"format": "deckgen-manifest/1", "decks": {"a.pptx": {"inputs": "x"}}}', "not a deckgen manifest"),
        ('{"format": "something-else/9", "decks": {}}', "not a deckgen manifest"),
        ("[1, 2]", "not a deckgen manifest"),
    ],
)
def test_an_unreadable_manifest_means_a_rebuild_with_a_warning(tmp_path, text, says):
    (tmp_path / MANIFEST_NAME).write_text(text)
    m = Manifest.load(tmp_path)
    assert m.entries == {} and says in str(m.warnings[0])
    assert isinstance(m.warnings[0], DataWarning) and str(m.warnings[0]).startswith(f"{tmp_path / MANIFEST_NAME}: ")


def test_shard_manifests_are_merged_and_the_newest_entry_wins(tmp_path):
    (tmp_path / "a.pptx").write_bytes(b"deck")
    main = Manifest.load(tmp_path)
    main.record("a.pptx", entry("old", "2026-11-25T10:00:00.000000Z"))
    main.save()
    shard = Manifest.load(tmp_path, Shard(2, 3))
    assert shard.path.name == ".deckgen-manifest-2-of-3.json"
    shard.record("a.pptx", entry("new", "2026-11-25T11:00:00.000000Z"))
    shard.save()
    assert json.loads((tmp_path / MANIFEST_NAME).read_text())["decks"]["a.pptx"]["inputs"] == "old"

    merged = Manifest.load(tmp_path)
    assert merged.current("a.pptx", "new") is not None and merged.current("a.pptx", "old") is None


def test_manifest_names_the_shared_inputs_that_changed(tmp_path):
    m = Manifest.load(tmp_path)
    m.inputs = {"profile": "p1", "date": "d1"}
    m.save()
    again = Manifest.load(tmp_path)
    again.inputs = {"profile": "p1", "date": "d2"}
    assert again.changed_inputs() == ["date"]


# --------------------------------------------------------------------------- reports


def test_report_is_in_row_order_with_error_fields_and_neutralised_csv(tmp_path):
    rows = [
        RowReport(5, "p4", "=cmd|'/C calc'!A0", "failed", error="'x' is not a number", error_field="size.users"),
        RowReport(
            2, "p1", "Acme", "built", "Acme.pptx", 81, "A", "why-it-broke", ("row 2: +file name was already used",)
        ),
        RowReport(3, "-2", "@Beta", "skipped-unchanged", "Beta.pptx", 40, "walk_away", "calm"),
    ]
    json_path, csv_path = report_paths(tmp_path, None, None)
    write_report(json_path, csv_path, rows, {"summary": {}})

    doc = json.loads(json_path.read_text(encoding="utf-8"))
    assert [r["row"] for r in doc["rows"]] == [2, 3, 5]
    assert doc["rows"][2]["error"] == {"message": "'x' is not a number", "field": "size.users"}
    assert doc["rows"][2]["company"] == "=cmd|'/C calc'!A0" and doc["rows"][0]["error"] is None

    raw = csv_path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # Excel reads it as UTF-8
    table = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert [r["company"] for r in table] == ["Acme", "'@Beta", "'=cmd|'/C calc'!A0"]
    assert table[1]["id"] == "-2"  # a plain number is left alone
    assert table[2]["error_field"] == "size.users" and table[2]["score"] == ""
    assert table[0]["warnings"] == "row 2: +file name was already used"
    assert not list(tmp_path.glob(".deckgen-*.part"))


def test_rows_kept_on_disk_write_the_same_report_as_a_list(tmp_path):
    from deckgen.batch.rowlog import RowLog

    rows = [RowReport(n, f"p{n}", f"Co {n}", "built", f"co-{n}.pptx", n, "A", "calm") for n in (7, 2, 9, 1, 4) * 300]
    log = RowLog()
    for r in rows:
        log.append(r)
    assert len(log) == len(rows) and log[2] == rows[2] and list(log)[-1] == rows[-1]
    assert [r.row for r in log.in_row_order()][:301] == [1] * 300 + [2]
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    write_report(tmp_path / "a" / "r.json", tmp_path / "a" / "r.csv", list(rows), {"summary": {}})
    write_report(tmp_path / "b" / "r.json", tmp_path / "b" / "r.csv", log, {"summary": {}})
    for name in ("r.json", "r.csv"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()
    assert len(json.loads((tmp_path / "b" / "r.json").read_text(encoding="utf-8"))["rows"]) == 1500


def test_a_batch_syncs_its_decks_before_the_manifest_records_them(tmp_path, monkeypatch):
    import deckgen.output as output
    from deckgen.batch.manifest import DeckRecord, Manifest

    calls = []
    monkeypatch.setattr(output.os, "fsync", lambda fd: calls.append("fsync"))
    monkeypatch.setattr(output.os, "sync", lambda: calls.append("sync"), raising=False)
    with output.deferred_sync():
        output.atomic_write(tmp_path / "deck.pptx", b"deck")
        assert calls == []  # no per-file sync on the render path
        m = Manifest(tmp_path)
        m.record("deck.pptx", DeckRecord("d" * 64, "2026-11-25T00:00:00.000000Z", 2, "p1", "Acme", 80, "A", "calm"))
        m.save()
    assert calls[0] == "sync"  # the disk first, then the manifest
    output.atomic_write(tmp_path / "other.pptx", b"x")
    assert calls[-1] == "fsync"  # outside a batch every file is synced as before
    assert Manifest.load(tmp_path).entries["deck.pptx"].company == "Acme"


def test_report_paths_default_to_the_out_dir_and_carry_the_shard(tmp_path):
    assert report_paths(tmp_path, None, None) == (tmp_path / "report.json", tmp_path / "report.csv")
    assert report_paths(tmp_path, None, Shard(1, 4))[0].name == "report-1-of-4.json"
    assert report_paths(tmp_path, tmp_path / "r" / "run.json", Shard(2, 2))[1] == tmp_path / "r" / "run-2-of-2.csv"
    with pytest.raises(InputError, match="must name a .json file"):
        report_paths(tmp_path, tmp_path / "report.csv", None)


# --------------------------------------------------------------------------- progress and fit reasons


class FakeClock:
    def __init__(self):
        self.now = 100.0

    def __call__(self):
        return self.now


def test_progress_off_a_terminal_logs_a_line_every_n_rows():
    clock = FakeClock()
    out = io.StringIO()
    progress = Progress(out, tty=False, total=1000, every_rows=250, clock=clock)
    for done in range(1, 1001):
        clock.now += 0.01
        progress.update(done, done, 0, 0)
    lines = out.getvalue().splitlines()
    assert len(lines) == 4 and "\r" not in out.getvalue()
    assert lines[0].startswith("batch: 250/1000 rows  built 250") and "100.0 decks/s" in lines[0]
    assert "ETA 0:08" in lines[0]


def test_progress_on_a_terminal_redraws_one_line():
    clock = FakeClock()
    out = io.StringIO()
    progress = Progress(out, tty=True, total=10, clock=clock)
    for done in range(1, 11):
        clock.now += 0.5
        progress.update(done, done, 0, 0)
    progress.close()
    text = out.getvalue()
    assert "\n" not in text and text.count("\r") == 10 + 2 and "10/10 rows" in text
    assert text.endswith(" \r")  # the line is blanked out for the summary


def test_progress_is_the_batch_callback_and_learns_the_total_from_it():
    clock = FakeClock()
    out = io.StringIO()
    progress = Progress(out, tty=False, every_rows=2, clock=clock)
    for done in range(1, 5):
        clock.now += 0.5
        progress(BatchProgress(done, 4, done - 1, 1, 0))
    assert out.getvalue().splitlines()[0].startswith("batch: 2/4 rows  built 1  skipped 1  failed 0  ")


def test_top_reasons_lead_with_a_disqualifier():
    profile = load_profile(PROFILE)
    walk = load_prospect(examples_dir() / "prospects" / "hengxin-logistics.yaml")
    reasons = top_reasons(score_fit(walk, profile.icp))
    assert reasons[0] == "Disqualified: the prospect refuses the minimum security standards."
    good = load_prospect(examples_dir() / "prospects" / "alamo-family-dental.yaml")
    assert len(top_reasons(score_fit(good, profile.icp), 3)) == 3


# --------------------------------------------------------------------------- the library's progress callback


def test_the_batch_reports_progress_to_its_callback_and_prints_nothing(tmp_path, capsys):
    from deckgen.batch.plan import BatchRequest, prepare_batch
    from deckgen.batch.run import run_batch

    src = tmp_path / "prospects.csv"
    src.write_text("company,users\nAcme Dental,20\nBeta Legal,many\nGamma Clinic,30\n", encoding="utf-8")
    plan = prepare_batch(
        BatchRequest(input=src, profile=PROFILE, out_dir=tmp_path / "decks", options=BuildOptions(today=DAY), jobs=1)
    )
    seen: list[BatchProgress] = []
    result = run_batch(plan, on_progress=seen.append)

    assert [(p.done, p.total, p.built, p.failed) for p in seen] == [(1, 3, 1, 0), (2, 3, 1, 1), (3, 3, 2, 1)]
    assert result.exit_code == 1 and result.counts["built"] == 2
    assert capsys.readouterr() == ("", "")
