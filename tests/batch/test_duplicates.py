"""A prospect list that holds a company twice: the later row is flagged in the terminal, the report and review.html."""

from __future__ import annotations

import csv
import json
import tracemalloc
from pathlib import Path

from click.testing import CliRunner

from deckgen.batch.duplicates import DuplicateFinder, clean_company, phone_digits, web_domain
from deckgen.cli import cli
from deckgen.resources import examples_dir

PROFILE = examples_dir() / "profile.yaml"
HEADERS = [
    "Record ID",
    "Company name",
    "Phone Number",
    "Company Domain Name",
    "Website URL",
    "Industry",
    "Number of Employees",
    "City",
    "State/Region",
    "Country/Region",
]
ROWS = [
    ["101", "Guerra, Whitaker & Lowe LLP", "+1 512-555-0190", "gwllaw.com", "https://www.gwllaw.com", "Law Practice",
     "64", "Austin", "TX", "United States"],
    ["102", "Barton Creek CPAs", "+1 512-555-0144", "bartoncreekcpa.com", "https://bartoncreekcpa.com", "Accounting",
     "27", "Austin", "TX", "United States"],
    ["103", "Guerra Whitaker & Lowe", "(512) 555 0190", "gwllaw.com", "https://www.gwllaw.com", "Law Practice", "64",
     "Austin", "TX", "United States"],
    ["104", "Barton Creek Dental", "+1 512-555-0177", "bartoncreekdental.com", "", "Medical Practice", "20",
     "Austin", "TX", "United States"],
]  # fmt: skip


def hubspot_csv(path: Path, rows=ROWS) -> Path:
    with open(path, "w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(HEADERS)
        writer.writerows(rows)
    return path


def batch(src: Path, out: Path, *extra: str):
    args = ["batch", str(src), "-p", str(PROFILE), "-o", str(out), "--date", "2026-11-25", "-j", "1", "-q", *extra]
    return CliRunner().invoke(cli, args, catch_exceptions=False)


def test_names_are_compared_without_case_punctuation_or_legal_forms():
    same = ["Guerra, Whitaker & Lowe LLP", "guerra whitaker and lowe", "GUERRA WHITAKER & LOWE, L.L.P."]
    assert {clean_company(n) for n in same} == {"guerra whitaker and lowe"}
    assert clean_company("Harbourside Accounting Pty Ltd") == clean_company("Harbourside Accounting")
    assert clean_company("Kanzlei Vogt GmbH") == clean_company("Kanzlei Vögt")
    assert clean_company("Acme Inc.") == clean_company("ACME") == clean_company("Acme SA")
    assert clean_company("LLC") == ""  # nothing but a legal form: not a name two rows can share
    assert clean_company("Barton Creek CPAs") != clean_company("Barton Creek Dental")


def test_domains_and_phones_are_compared_as_their_essentials():
    assert web_domain("https://www.GWLlaw.com/about?x=1") == web_domain("gwllaw.com") == "gwllaw.com"
    assert web_domain("http://user@shop.acme.co.uk:8080/") == "shop.acme.co.uk"
    assert web_domain("n/a") == ""
    assert phone_digits("+1 512-555-0190") == phone_digits("(512) 555 0190") == "5125550190"
    assert phone_digits("+44 20 7946 0958") == phone_digits("020 7946 0958")
    assert phone_digits("ext. 12") == ""  # too few digits to be a shared number


def test_a_later_row_points_at_the_first_row_and_says_what_they_share():
    finder = DuplicateFinder()
    assert finder.check(4, company="Guerra, Whitaker & Lowe LLP", website="gwllaw.com", phone="+1 512-555-0190") is None
    assert finder.check(5, company="Barton Creek CPAs", website="bartoncreekcpa.com") is None
    dup = finder.check(25, company="Guerra Whitaker & Lowe", website="https://www.gwllaw.com/", phone="15125550190")
    assert dup is not None and dup.first_row == 4
    assert dup.message(25) == "row 25: duplicate of row 4: same domain, phone and name"
    third = finder.check(30, company="Other Name", phone="+1 (512) 555-0190")
    assert third is not None and third.message(30) == "row 30: duplicate of row 4: same phone"
    assert finder.check(31, company="Barton Creek Dental", website="bartoncreekdental.com") is None


def test_the_finder_keeps_no_python_object_per_row():
    finder = DuplicateFinder()
    tracemalloc.start()
    for row in range(100_000):
        finder.check(row, company=f"Company {row}", website=f"company{row}.com", phone=f"+1 512 {row:07d}")
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert len(finder) == 300_000
    assert peak < 12 * 1024 * 1024, f"{peak / 2**20:.1f} MiB for 100,000 rows"  # a dict of the values: ~60 MiB
    assert finder.check(100_000, company="Company 99999").first_row == 99_999


def test_the_batch_warns_in_the_terminal_the_report_and_the_review_page(tmp_path):
    out = tmp_path / "decks"
    result = batch(hubspot_csv(tmp_path / "hubspot.csv"), out)
    assert result.exit_code == 0, result.output
    assert "Possible duplicates (1" in result.output
    assert "row 4, Guerra Whitaker & Lowe: duplicate of row 2: same domain, phone and name" in result.output
    rows = {r["row"]: r for r in json.loads((out / "report.json").read_text(encoding="utf-8"))["rows"]}
    assert rows[4]["duplicate_of"] == 2
    assert "row 4: duplicate of row 2: same domain, phone and name" in rows[4]["warnings"]
    assert rows[2]["duplicate_of"] is None and rows[3]["duplicate_of"] is None and rows[5]["duplicate_of"] is None
    assert json.loads((out / "report.json").read_text(encoding="utf-8"))["summary"]["duplicates"] == 1
    with open(out / "report.csv", encoding="utf-8-sig", newline="") as fh:
        table = {r["row"]: r for r in csv.DictReader(fh)}
    assert table["4"]["duplicate_of"] == "2" and table["2"]["duplicate_of"] == ""
    page = (out / "review.html").read_text(encoding="utf-8")
    assert 'data-dup="duplicate of row 2: same domain, phone and name"' in page
    assert page.count("data-dup=") == 1
    assert '<span class="kind">duplicate</span>' in page
    # a rerun skips the decks and still flags the row
    again = batch(hubspot_csv(tmp_path / "hubspot.csv"), out)
    assert "skipped 4 unchanged" in again.output and "duplicate of row 2" in again.output
    rows = {r["row"]: r for r in json.loads((out / "report.json").read_text(encoding="utf-8"))["rows"]}
    assert rows[4]["status"] == "skipped-unchanged" and rows[4]["duplicate_of"] == 2


def test_a_shard_flags_a_row_whose_first_copy_another_shard_builds(tmp_path):
    out = tmp_path / "decks"
    src = hubspot_csv(tmp_path / "hubspot.csv", [ROWS[0], ROWS[1], ROWS[3], ROWS[2]])  # the copy is row 5
    result = batch(src, out, "--shard", "2/2")  # rows 3 and 5; row 2 is shard 1's
    assert result.exit_code == 0, result.output
    rows = {r["row"]: r for r in json.loads((out / "report-2-of-2.json").read_text(encoding="utf-8"))["rows"]}
    assert sorted(rows) == [3, 5]
    assert rows[5]["duplicate_of"] == 2 and rows[3]["duplicate_of"] is None
