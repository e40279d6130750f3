"""`deckgen batch` and `deckgen fit` as a seller runs them: a CRM export in, decks and a report out."""

from __future__ import annotations

import csv
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from pptx import Presentation

from deckgen.cli import cli
from deckgen.resources import examples_dir

PROFILE = examples_dir() / "profile.yaml"
EXAMPLES = {
    p.stem: yaml.safe_load(p.read_text(encoding="utf-8")) for p in sorted((examples_dir() / "prospects").glob("*.yaml"))
}
DATE = "2026-11-25"
COLUMNS = [
    "id",
    "company",
    "industry",
    "users",
    "endpoints",
    "sites",
    "city",
    "region",
    "country",
    "locale",
    "it_model",
    "it_pain",
    "compliance",
    "pain_points",
    "situations",
    "budget",
    "decision_maker",
    "decision_maker_title",
    "decision_maker_role",
    "annual_revenue",
    "hourly_wage",
    "incidents_per_month",
    "notes",
]


def example_row(stem: str, company: str, row_id: str) -> dict[str, str]:
    """One CSV row (deckgen's own column names) from a bundled example prospect."""
    p = EXAMPLES[stem]
    size, loc, numbers = p.get("size", {}), p.get("location", {}), p.get("numbers", {})
    buyer = (p.get("decision_makers") or [{}])[0]
    values = {
        "id": row_id,
        "company": company,
        "industry": p.get("industry", ""),
        "users": size.get("users"),
        "endpoints": size.get("endpoints"),
        "sites": size.get("sites"),
        "city": loc.get("city"),
        "region": loc.get("region"),
        "country": loc.get("country"),
        "locale": p.get("locale"),
        "it_model": p.get("it_model"),
        "it_pain": p.get("it_pain"),
        "compliance": "; ".join(p.get("compliance", [])),
        "pain_points": "; ".join(p.get("pain_points", [])),
        "situations": "; ".join(p.get("situations", [])),
        "budget": p.get("budget_per_user_month"),
        "decision_maker": buyer.get("name"),
        "decision_maker_title": buyer.get("title"),
        "decision_maker_role": buyer.get("role"),
        "annual_revenue": numbers.get("annual_revenue"),
        "hourly_wage": numbers.get("hourly_wage"),
        "incidents_per_month": numbers.get("incidents_per_month"),
        "notes": p.get("notes", ""),
    }
    return {k: "" if v is None else str(v) for k, v in values.items()}


def prospect_rows(n: int) -> list[dict[str, str]]:
    """``n`` rows cycling through three example prospects (bands A, walk away, B), each with its own name and id."""
    stems = ["alamo-family-dental", "hengxin-logistics", "thameside-accountants"]
    return [
        example_row(stems[i % len(stems)], f"{EXAMPLES[stems[i % len(stems)]]['company']} {i + 1:03d}", f"p{i + 1:03d}")
        for i in range(n)
    ]


def write_csv(path: Path, rows: list[dict[str, str]], columns: list[str] = COLUMNS) -> Path:
    with open(path, "w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=columns, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    return path


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def batch(csv_path: Path, out: Path, *extra: str):
    return run(
        "batch", str(csv_path), "--profile", str(PROFILE), "--out-dir", str(out), "--date", DATE, "--jobs", "1", *extra
    )


def report(out: Path, name: str = "report.json") -> dict:
    return json.loads((out / name).read_text(encoding="utf-8"))


def report_csv(path: Path) -> list[dict[str, str]]:
    with open(path, newline="", encoding="utf-8-sig") as fh:
        return list(csv.DictReader(fh))


def decks(out: Path) -> list[Path]:
    return sorted(out.glob("*.pptx"))


def deck_text(path: Path) -> str:
    prs = Presentation(str(path))
    return "\n".join(shape.text_frame.text for slide in prs.slides for shape in slide.shapes if shape.has_text_frame)


def by_status(doc: dict) -> dict[str, list[int]]:
    out: dict[str, list[int]] = {}
    for row in doc["rows"]:
        out.setdefault(row["status"], []).append(row["row"])
    return out


@pytest.fixture
def small_batch(tmp_path):
    """Six good rows built once (one job), with their report."""
    src = write_csv(tmp_path / "prospects.csv", prospect_rows(6))
    out = tmp_path / "decks"
    result = batch(src, out)
    assert result.exit_code == 0, result.output
    return src, out


# --------------------------------------------------------------------------- a real batch, two workers


@pytest.mark.slow
def test_one_bad_row_in_100_builds_99_decks_and_exits_1(tmp_path):
    rows = prospect_rows(100)
    rows[41]["users"] = "about forty"  # data row 42 = spreadsheet row 43
    src = write_csv(tmp_path / "prospects.csv", rows)
    out = tmp_path / "decks"
    proc = subprocess.run(
        [
            sys.executable,
            "-c",
            "from deckgen.cli import main; main()",
            "batch",
            str(src),
            "--profile",
            str(PROFILE),
            "--out-dir",
            str(out),
            "--date",
            DATE,
            "--jobs",
            "2",
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert proc.returncode == 1, proc.stderr
    assert len(decks(out)) == 99
    assert "built 99" in proc.stdout and "failed 1" in proc.stdout
    assert "row 43, size.users: 'about forty' in column 'users' is not a number" in proc.stdout
    assert not list(out.glob(".deckgen-*.part"))

    doc = report(out)
    assert doc["summary"]["built"] == 99 and doc["summary"]["failed"] == 1 and doc["jobs"] == 2
    [bad] = [r for r in doc["rows"] if r["status"] == "failed"]
    assert bad["row"] == 43 and bad["id"] == "p042" and bad["company"] == rows[41]["company"]
    assert bad["error"]["field"] == "size.users" and "about forty" in bad["error"]["message"]
    assert [r["row"] for r in doc["rows"]] == list(range(2, 102))

    [bad_csv] = [r for r in report_csv(out / "report.csv") if r["status"] == "failed"]
    assert bad_csv["row"] == "43" and bad_csv["error_field"] == "size.users"
    assert "not a number" in bad_csv["error"]

    built = {r["row"]: r for r in doc["rows"] if r["status"] == "built"}
    for row in (2, 3, 4, 101):  # one of each example prospect, and the last row
        entry = built[row]
        assert entry["company"] in deck_text(out / entry["file"])
        assert entry["score"] is not None and entry["band"] and entry["closing"]
    walk_away = {r["company"] for r in doc["summary"]["walk_away"]}
    assert all("恒信物流有限公司" in name for name in walk_away) and len(walk_away) == 33


@pytest.mark.slow
def test_two_workers_write_the_same_bytes_as_one(tmp_path):
    src = write_csv(tmp_path / "prospects.csv", prospect_rows(6))
    one, two = tmp_path / "one", tmp_path / "two"
    assert batch(src, one).exit_code == 0
    result = run(
        "batch", str(src), "--profile", str(PROFILE), "--out-dir", str(two), "--date", DATE, "--jobs", "2", "--quiet"
    )
    assert result.exit_code == 0, result.output
    assert report(two)["jobs"] == 2
    assert [p.name for p in decks(one)] == [p.name for p in decks(two)]
    for a, b in zip(decks(one), decks(two)):
        assert a.read_bytes() == b.read_bytes(), a.name


# --------------------------------------------------------------------------- resume


def test_rerun_after_success_builds_nothing(small_batch):
    src, out = small_batch
    before = {p.name: p.stat().st_mtime_ns for p in decks(out)}

    result = batch(src, out)

    assert result.exit_code == 0, result.output
    assert "built 0, skipped 6 unchanged, failed 0" in result.output
    assert {p.name: p.stat().st_mtime_ns for p in decks(out)} == before
    doc = report(out)
    assert by_status(doc) == {"skipped-unchanged": list(range(2, 8))}
    assert all(r["score"] is not None and r["closing"] for r in doc["rows"])  # reported like built rows


def test_changing_one_row_rebuilds_one_deck(small_batch, tmp_path):
    src, out = small_batch
    rows = prospect_rows(6)
    rows[3]["users"] = "55"
    write_csv(src, rows)

    result = batch(src, out)

    assert result.exit_code == 0, result.output
    assert by_status(report(out)) == {"built": [5], "skipped-unchanged": [2, 3, 4, 6, 7]}


def test_a_deleted_deck_is_rebuilt_on_rerun(small_batch):
    src, out = small_batch
    victim = decks(out)[0]
    victim.unlink()

    result = batch(src, out)

    assert result.exit_code == 0
    assert victim.exists()
    assert len(by_status(report(out))["built"]) == 1


def test_changing_the_date_rebuilds_every_deck(small_batch):
    src, out = small_batch
    result = run(
        "batch", str(src), "--profile", str(PROFILE), "--out-dir", str(out), "--date", "2026-12-01", "--jobs", "1"
    )
    assert result.exit_code == 0
    assert by_status(report(out)) == {"built": list(range(2, 8))}
    assert "changed since the last run: date" in result.output


def test_force_rebuilds_all(small_batch):
    src, out = small_batch
    result = batch(src, out, "--force")
    assert result.exit_code == 0, result.output
    assert "built 6, skipped 0 unchanged" in result.output
    assert by_status(report(out)) == {"built": list(range(2, 8))}


# --------------------------------------------------------------------------- shards


@pytest.mark.slow
def test_shards_cover_every_row_once(tmp_path):
    rows = prospect_rows(10)
    rows[0]["company"] = rows[1]["company"] = "Same Name Dental"  # a clash that crosses shards
    rows[0]["id"] = rows[1]["id"] = "dup"
    src = write_csv(tmp_path / "prospects.csv", rows)
    out = tmp_path / "decks"
    seen: list[int] = []
    files: list[str] = []
    for k in (1, 2, 3):
        result = batch(src, out, "--shard", f"{k}/3")
        assert result.exit_code == 0, result.output
        doc = report(out, f"report-{k}-of-3.json")
        assert doc["shard"] == f"{k}/3"
        seen += [r["row"] for r in doc["rows"]]
        files += [r["file"] for r in doc["rows"]]
        assert (out / f"report-{k}-of-3.csv").exists()
        assert (out / f".deckgen-manifest-{k}-of-3.json").exists()

    assert sorted(seen) == list(range(2, 12))
    assert len(set(files)) == 10 and len(decks(out)) == 10
    assert not (out / "report.json").exists()
    # the shards' manifests together are the batch's: an unsharded rerun has nothing to do
    result = batch(src, out)
    assert "built 0, skipped 10 unchanged" in result.output


def test_shard_must_be_k_of_n(tmp_path):
    src = write_csv(tmp_path / "prospects.csv", prospect_rows(2))
    result = CliRunner().invoke(cli, ["batch", str(src), "--profile", str(PROFILE), "--shard", "4/3"])
    assert result.exit_code == 2
    assert "Invalid value for '--shard': K counts from 1 to N (3)" in result.output


# --------------------------------------------------------------------------- failures


def test_fail_fast_stops_at_first_bad_row(tmp_path):
    rows = prospect_rows(8)
    rows[3]["company"] = ""
    rows[6]["users"] = "lots"
    src = write_csv(tmp_path / "prospects.csv", rows)
    out = tmp_path / "decks"

    result = batch(src, out, "--fail-fast")

    assert result.exit_code == 1
    doc = report(out)
    assert by_status(doc) == {"built": [2, 3, 4], "failed": [5]}
    assert doc["rows"][-1]["error"]["field"] == "company"
    assert doc["stopped_early"] is True
    assert len(decks(out)) == 3
    assert "--fail-fast" in result.output


def test_keep_going_reports_every_bad_row(tmp_path):
    rows = prospect_rows(8)
    rows[3]["company"] = ""
    rows[6]["users"] = "lots"
    src = write_csv(tmp_path / "prospects.csv", rows)

    result = batch(src, tmp_path / "decks")

    assert result.exit_code == 1
    assert by_status(report(tmp_path / "decks"))["failed"] == [5, 8]
    assert "row 5, company: no company name" in result.output


def test_missing_company_column_aborts_before_writing(tmp_path):
    src = write_csv(tmp_path / "prospects.csv", prospect_rows(3), [c for c in COLUMNS if c != "company"])
    out = tmp_path / "decks"

    result = batch(src, out)

    assert result.exit_code == 2
    assert "Error:" in result.output and "no company-name column" in result.output
    assert "Traceback" not in result.output
    assert not out.exists()


def test_missing_profile_aborts_before_writing(tmp_path):
    src = write_csv(tmp_path / "prospects.csv", prospect_rows(2))
    out = tmp_path / "decks"
    result = run("batch", str(src), "--profile", str(tmp_path / "nope.yaml"), "--out-dir", str(out))
    assert result.exit_code == 2
    assert "nope.yaml" in result.output and "Error:" in result.output
    assert not out.exists()


def test_unreadable_prospect_list_aborts_with_exit_2(tmp_path):
    out = tmp_path / "decks"
    result = batch(tmp_path / "missing.csv", out)
    assert result.exit_code == 2
    assert "missing.csv: file not found" in result.output
    assert not out.exists()


def test_unknown_name_field_is_an_input_error(tmp_path):
    src = write_csv(tmp_path / "prospects.csv", prospect_rows(2))
    result = batch(src, tmp_path / "decks", "--name", "{company}-{owner}")
    assert result.exit_code == 2
    assert "unknown field 'owner'" in result.output


# --------------------------------------------------------------------------- CRM exports


def test_a_hubspot_export_with_a_mapped_column_builds_decks(tmp_path):
    src = tmp_path / "hubspot.csv"
    src.write_text(
        '"Record ID","Company name","Industry","City","Country/Region","Seats"\r\n'
        '"9001","Alamo Family Dental","Dental practice","San Antonio","United States","28"\r\n'
        '"9002","Bexar Legal","Legal","Austin","United States","40"\r\n',
        encoding="utf-8",
    )
    out = tmp_path / "decks"

    result = batch(src, out, "--crm", "hubspot", "--map", "Seats=size.users", "--name", "{id}-{company}")

    assert result.exit_code == 0, result.output
    assert [p.name for p in decks(out)] == ["9001-Alamo-Family-Dental.pptx", "9002-Bexar-Legal.pptx"]
    assert report(out)["crm"] == "hubspot"
    assert "Bexar Legal" in deck_text(out / "9002-Bexar-Legal.pptx")


def test_a_changed_column_mapping_rebuilds_the_decks(tmp_path):
    src = tmp_path / "list.csv"
    src.write_text("Name,Seats\nAlamo Family Dental,28\n", encoding="utf-8")
    out = tmp_path / "decks"
    assert batch(src, out, "--map", "Name=company").exit_code == 0
    assert by_status(report(out)) == {"built": [2]}

    result = batch(src, out, "--map", "Name=company", "--map", "Seats=size.users")

    assert by_status(report(out)) == {"built": [2]}
    assert "changed since the last run: columns" in result.output


def test_batch_reads_an_excel_workbook(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["company", "users", "city"])
    ws.append(["Alamo Family Dental", 28, "San Antonio"])
    ws.append(["Riverwalk Medical", 60.0, "San Antonio"])
    wb.save(tmp_path / "prospects.xlsx")
    out = tmp_path / "decks"

    result = batch(tmp_path / "prospects.xlsx", out, "--name", "{company}")

    assert result.exit_code == 0, result.output
    assert [p.name for p in decks(out)] == ["Alamo-Family-Dental.pptx", "Riverwalk-Medical.pptx"]


# --------------------------------------------------------------------------- names and report


def test_name_pattern_collisions_get_a_suffix_and_a_warning(tmp_path):
    rows = prospect_rows(3)
    for r in rows:
        r["company"] = "Acme / Dental"
    src = write_csv(tmp_path / "prospects.csv", rows)
    out = tmp_path / "decks"

    result = batch(src, out, "--name", "{company}-{band}")

    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in decks(out))
    assert names == ["Acme-Dental-A.pptx", "Acme-Dental-B.pptx", "Acme-Dental-walk-away.pptx"]
    result = batch(src, out, "--name", "{company}", "--force")
    assert sorted(p.name for p in decks(out))[:3] == ["Acme-Dental-2.pptx", "Acme-Dental-3.pptx", "Acme-Dental-A.pptx"]
    warned = [r for r in report(out)["rows"] if r["warnings"]]
    assert [r["row"] for r in warned] == [3, 4]
    assert "was already used; wrote 'Acme-Dental-2.pptx'" in warned[0]["warnings"][0]


def test_report_csv_neutralises_formulas(tmp_path):
    rows = prospect_rows(2)
    rows[0]["company"] = '=HYPERLINK("http://evil.example","click")'
    rows[1]["company"] = "@SUM(A1:A9)"
    rows[1]["users"] = "many"
    src = write_csv(tmp_path / "prospects.csv", rows)
    out = tmp_path / "decks"

    result = batch(src, out, "--report", str(tmp_path / "reports" / "run.json"))

    assert result.exit_code == 1
    cells = report_csv(tmp_path / "reports" / "run.csv")
    assert cells[0]["company"].startswith("'=HYPERLINK(")
    assert cells[1]["company"] == "'@SUM(A1:A9)" and cells[1]["status"] == "failed"
    doc = json.loads((tmp_path / "reports" / "run.json").read_text(encoding="utf-8"))
    assert doc["rows"][0]["company"].startswith("=HYPERLINK(")  # JSON keeps the data as it is
    assert not (out / "report.json").exists()


# Runs `deckgen batch` with its progress display wrapped: once `argv[1]` rows are done, the wrapper
# writes the file `argv[2]` and holds the batch there (no further row is taken) until Ctrl-C comes.
# So the test interrupts a batch that is known to be under way and cannot have finished.
_HOLD_AFTER_ROWS = """
import pathlib, sys, time
from deckgen.cli import progress
from deckgen.cli import main

hold_at, ready = int(sys.argv.pop(1)), pathlib.Path(sys.argv.pop(1))
shown = progress.Progress.update

def update(self, done, *counts):
    shown(self, done, *counts)
    if done >= hold_at and not ready.exists():  # once: after Ctrl-C the batch goes on to its end
        ready.write_text(str(done))
        while True:
            time.sleep(1)

progress.Progress.update = update
main()
"""


@pytest.mark.slow
def test_interrupt_keeps_finished_decks_and_writes_the_report(tmp_path):
    rows = 200
    src = write_csv(tmp_path / "prospects.csv", prospect_rows(rows))
    out = tmp_path / "decks"
    ready = tmp_path / "under-way"
    proc = subprocess.Popen(
        [
            sys.executable,
            "-c",
            _HOLD_AFTER_ROWS,
            "20",
            str(ready),
            "batch",
            str(src),
            "--profile",
            str(PROFILE),
            "--out-dir",
            str(out),
            "--date",
            DATE,
            "--jobs",
            "2",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 120  # a guard against a hang, not a race: the batch waits for us
        while not ready.exists() and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        assert ready.exists(), "the batch never got under way"
        os.killpg(proc.pid, signal.SIGINT)  # what Ctrl-C does: the whole process group
        stdout, stderr = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()

    assert proc.returncode == 130, stderr
    assert "Interrupted" in stderr and "Traceback" not in stderr
    assert "Run the same command again to build the rest" in stderr  # what to do next, not only what happened
    assert not list(out.glob(".deckgen-*.part"))
    doc = report(out)
    assert doc["interrupted"] is True
    built = {r["file"] for r in doc["rows"] if r["status"] == "built"}
    assert 20 <= len(built) < rows
    assert built <= {p.name for p in decks(out)}
    manifest = json.loads((out / ".deckgen-manifest.json").read_text(encoding="utf-8"))
    assert set(manifest["decks"]) == built


# --------------------------------------------------------------------------- fit


@pytest.fixture
def fit_list(tmp_path):
    rows = [
        example_row("thameside-accountants", "Thameside Accountants LLP", "t1"),
        example_row("hengxin-logistics", "恒信物流有限公司", "h1"),
        example_row("alamo-family-dental", "Alamo Family Dental", "a1"),
    ]
    bad = example_row("alamo-family-dental", "Broken Row Dental", "b1")
    bad["users"] = "a few"
    return write_csv(tmp_path / "prospects.csv", rows + [bad])


def test_fit_command_ranks_and_names_walk_away_candidates(fit_list, tmp_path):
    result = run("fit", str(fit_list), "--profile", str(PROFILE))

    assert result.exit_code == 1  # one row could not be read
    lines = result.stdout.splitlines()
    ranked = [ln for ln in lines if ln.lstrip()[:1].isdigit()]
    assert "Alamo Family Dental" in ranked[0] and "93" in ranked[0]
    assert "Thameside Accountants LLP" in ranked[1]
    assert "恒信物流有限公司" in ranked[2] and "walk away" in ranked[2]
    tail = result.stdout.split("Walk-away candidates (1):")[1]
    assert "恒信物流有限公司 (row 3, 43/100)" in tail and "refuses the minimum security standards" in tail
    assert "row 5, size.users: 'a few' in column 'users' is not a number" in result.stderr
    assert not list(tmp_path.rglob("*.pptx"))


def test_fit_json_is_for_machines(fit_list):
    result = run("fit", str(fit_list), "--profile", str(PROFILE), "--json", "--top", "2")

    doc = json.loads(result.stdout)
    assert [p["company"] for p in doc["prospects"]] == ["Alamo Family Dental", "Thameside Accountants LLP"]
    first = doc["prospects"][0]
    assert first["rank"] == 1 and first["band"] == "A" and first["score"] == 93 and first["row"] == 4
    assert first["closing"] and len(first["reasons"]) == 2 and 0 < first["confidence"] <= 1
    assert doc["walk_away"] == [{"row": 3, "id": "h1", "company": "恒信物流有限公司"}]
    assert doc["failed"][0]["row"] == 5 and doc["failed"][0]["field"] == "size.users"


def test_fit_csv_neutralises_formulas(tmp_path):
    rows = prospect_rows(2)
    rows[0]["company"] = "+cmd|' /C calc'!A0"
    src = write_csv(tmp_path / "prospects.csv", rows)
    result = run("fit", str(src), "--profile", str(PROFILE), "--csv")
    assert result.exit_code == 0
    parsed = list(csv.DictReader(result.stdout.splitlines()))
    assert {r["company"] for r in parsed} == {"'+cmd|' /C calc'!A0", rows[1]["company"]}
    assert list(parsed[0])[:4] == ["rank", "row", "id", "company"]


@pytest.mark.slow
def test_pdf_and_preview_export_every_deck_of_the_batch(tmp_path):
    import tools

    tools.require_tool("soffice")
    tools.require_tool("pdftoppm")
    source = write_csv(tmp_path / "prospects.csv", prospect_rows(3))
    out = tmp_path / "decks"
    result = CliRunner().invoke(
        cli,
        [
            "batch",
            str(source),
            "--profile",
            str(PROFILE),
            "--out-dir",
            str(out),
            "--date",
            DATE,
            "--jobs",
            "1",
            "--quiet",
            "--pdf",
            "--preview",
        ],
    )
    assert result.exit_code == 0, result.output
    decks = sorted(out.glob("*.pptx"))
    assert len(decks) == 3
    for deck in decks:
        pdf = deck.with_suffix(".pdf")
        assert tools.pdf_page_count(pdf) == len(Presentation(str(deck)).slides)
        sheet = out / "previews" / f"{deck.stem}.png"
        from PIL import Image

        with Image.open(sheet) as img:
            assert img.width >= 1000 and img.height >= 500
    assert "3 PDF(s)" in result.output and "3 contact sheet(s)" in result.output


def test_every_shrink_is_listed_in_the_batch_report(tmp_path):
    rows = prospect_rows(2)
    # one very long pain point: the slide always shows the first one, whatever its length
    rows[0]["pain_points"] = ", ".join(
        ["Every backup job fails silently and nobody notices for weeks on end until a restore is needed"] * 7
    )
    source = write_csv(tmp_path / "prospects.csv", rows)
    out = tmp_path / "decks"
    result = CliRunner().invoke(
        cli,
        [
            "batch",
            str(source),
            "--profile",
            str(PROFILE),
            "--out-dir",
            str(out),
            "--date",
            DATE,
            "--jobs",
            "1",
            "--quiet",
        ],
    )
    assert result.exit_code == 0, result.output
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    first = next(r for r in report["rows"] if r["id"] == rows[0]["id"])
    assert any("shape 'Pains': text shrunk from 28 pt" in w for w in first["warnings"]), first["warnings"]
