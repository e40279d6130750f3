"""Real-shaped exports from each CRM, straight into `deckgen batch`: a valid deck per good row, a precise
report line per bad row."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from pptx import Presentation

import tools
from deckgen.cli import cli
from deckgen.resources import examples_dir

PROFILE = examples_dir() / "profile.yaml"

# header sets as the CRMs write them (see the design notes), one good row per prospect, one bad row
EXPORTS = {
    "hubspot": dict(
        header=[
            "Record ID",
            "Company name",
            "Company owner",
            "Create Date",
            "Phone Number",
            "Last Activity Date",
            "City",
            "Country/Region",
            "Industry",
            "Number of Employees",
            "Annual Revenue",
        ],
        rows=[
            [
                "101",
                "Alamo Family Dental",
                "Dana Whitfield",
                "2026-01-05",
                "+1 210-555-0101",
                "",
                "San Antonio",
                "United States",
                "Dental",
                "28",
                "4200000",
            ],
            [
                "102",
                "恒信物流有限公司",
                "Dana Whitfield",
                "2026-02-11",
                "",
                "",
                "Hong Kong",
                "Hong Kong",
                "Logistics",
                "60",
                "",
            ],
            ["103", "", "Dana Whitfield", "2026-03-01", "", "", "Austin", "United States", "Legal", "", ""],
            ["104", "Thameside Accountants LLP", "", "", "", "", "London", "United Kingdom", "Accounting", "45", ""],
        ],
        encoding="utf-8-sig",
        delimiter=",",
        quote_all=True,
        bad_row=4,
    ),
    "salesforce": dict(
        header=[
            "ID",
            "ISDELETED",
            "NAME",
            "TYPE",
            "BILLINGCITY",
            "BILLINGSTATE",
            "BILLINGCOUNTRY",
            "WEBSITE",
            "INDUSTRY",
            "ANNUALREVENUE",
            "NUMBEROFEMPLOYEES",
        ],
        rows=[
            [
                "0015g00000A1",
                "false",
                "Alamo Family Dental",
                "Prospect",
                "San Antonio",
                "TX",
                "United States",
                "alamo.example.com",
                "Healthcare",
                "4200000",
                "28",
            ],
            ["0015g00000A2", "false", "", "Prospect", "Austin", "TX", "United States", "", "", "", ""],
            [
                "0015g00000A3",
                "false",
                "Café Lumière Légal",
                "Prospect",
                "San Antonio",
                "TX",
                "United States",
                "",
                "Legal",
                "",
                "19",
            ],
        ],
        encoding="utf-16",
        delimiter="\t",
        quote_all=True,
        bad_row=3,
    ),
    "salesforce_report": dict(
        header=[
            "Account Owner",
            "Account Name",
            "Billing State/Province",
            "Type",
            "Billing City",
            "Billing Country",
            "Industry",
        ],
        rows=[
            ["Dana Whitfield", "Mission Legal Group", "TX", "Prospect", "San Antonio", "United States", "Legal"],
            ["Dana Whitfield", "", "TX", "Prospect", "Dallas", "United States", ""],
            ["Dana Whitfield", "Crockett Accounting", "TX", "Prospect", "Austin", "United States", "Accounting"],
        ],
        footer=[
            "",
            '"Grand Totals (3 records)"',
            "",
            '"Copyright (c) 2000-2026 salesforce.com, inc. All rights reserved."',
        ],
        encoding="utf-8",
        delimiter=",",
        quote_all=True,
        bad_row=3,
    ),
    "connectwise": dict(
        header=[
            "Company Name",
            "Company ID",
            "Phone Number",
            "Type",
            "Status",
            "City",
            "Address Line 1",
            "Address Line 2",
            "State",
            "Zip",
            "Country",
            "Territory",
            "Market",
        ],
        rows=[
            [
                "Riverwalk Pediatrics",
                "RIVERWALK",
                "210-555-0111",
                "Prospect",
                "Active",
                "San Antonio",
                "1 Main St",
                "",
                "TX",
                "78205",
                "United States",
                "South",
                "Medical",
            ],
            [
                "Señor Café Holdings",
                "SENOR",
                "",
                "Prospect",
                "Active",
                "San Antonio",
                "",
                "",
                "TX",
                "",
                "United States",
                "South",
                "Retail",
            ],
            ["", "BLANK", "", "Prospect", "Active", "", "", "", "", "", "", "", ""],
        ],
        encoding="cp1252",
        delimiter=",",
        quote_all=False,
        bad_row=4,
    ),
    "pipedrive": dict(
        header=[
            "Organization - Name",
            "Organization - Address",
            "Organization - Industry",
            "Organization - Number of employees",
            "Person - Name",
            "Person - Email (Work)",
        ],
        rows=[
            [
                "Hill Country Dental",
                "12 Oak Rd, San Antonio, TX, USA",
                "Dental",
                "22",
                "Ana Ruiz",
                "ana@hillcountry.example.com",
            ],
            ["", "", "", "", "Nobody", ""],
            ["Pearl Street Law", "5 Pearl St, Austin, TX, USA", "Legal", "35", "Tom Reyes", ""],
        ],
        encoding="utf-8",
        delimiter=";",
        quote_all=False,
        bad_row=3,
    ),
    "zoho": dict(
        header=[
            "Record Id",
            "Account Owner",
            "Account Name",
            "Phone",
            "Website",
            "Account Type",
            "Billing Street",
            "Billing City",
            "Billing State",
            "Billing Code",
            "Description",
        ],
        rows=[
            [
                "zcrm_1",
                "Dana Whitfield",
                "Blue Star Accounting",
                "",
                "",
                "Prospect",
                "",
                "San Antonio",
                "TX",
                "78205",
                "Wants monthly IT reviews",
            ],
            ["zcrm_2", "Dana Whitfield", "", "", "", "Prospect", "", "", "", "", ""],
            ["zcrm_3", "Dana Whitfield", "九龍會計師行", "", "", "Prospect", "", "Hong Kong", "", "", ""],
        ],
        encoding="utf-8-sig",
        delimiter=",",
        quote_all=True,
        bad_row=3,
    ),
}

pytestmark = pytest.mark.slow  # each test runs a real batch over a whole CRM export


def write_export(path: Path, spec: dict) -> Path:
    buffer = io.StringIO()
    writer = csv.writer(
        buffer,
        delimiter=spec["delimiter"],
        lineterminator="\r\n",
        quoting=csv.QUOTE_ALL if spec["quote_all"] else csv.QUOTE_MINIMAL,
    )
    writer.writerow(spec["header"])
    writer.writerows(spec["rows"])
    text = buffer.getvalue() + "".join(line + "\r\n" for line in spec.get("footer", []))
    path.write_bytes(text.encode(spec["encoding"]))
    return path


@pytest.mark.parametrize("crm", sorted(EXPORTS))
def test_each_crm_export_builds_a_valid_deck_per_good_row_and_names_the_bad_row(tmp_path, crm):
    spec = EXPORTS[crm]
    export = write_export(tmp_path / f"{crm}.csv", spec)
    out = tmp_path / "decks"
    result = CliRunner().invoke(
        cli,
        [
            "batch",
            str(export),
            "--profile",
            str(PROFILE),
            "--out-dir",
            str(out),
            "--date",
            "2026-11-25",
            "--jobs",
            "1",
            "--quiet",
        ],
    )
    assert result.exit_code == 1, result.output  # one bad row
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    failed = [r for r in report["rows"] if r["status"] == "failed"]
    assert [(r["row"], r["error"]["field"]) for r in failed] == [(spec["bad_row"], "company")]
    companies = [
        row[
            spec["header"].index(
                next(
                    h
                    for h in spec["header"]
                    if "name" in h.lower() and "owner" not in h.lower() and "person" not in h.lower()
                )
            )
        ]
        for row in spec["rows"]
    ]
    good = [c for c in companies if c]
    built = sorted(out.glob("*.pptx"))
    assert len(built) == len(good)
    titles = set()
    for deck in built:
        prs = Presentation(str(deck))
        titles.update(shape.text_frame.text for shape in prs.slides[0].shapes if shape.has_text_frame)
    for company in good:
        assert company in titles, f"{company!r} not on any title slide"
    assert report["crm"] == crm  # detected from the headers alone
    assert tools.validate_ooxml(built[0]) == []


def test_a_batch_converts_an_amount_in_another_currency_or_leaves_it_unknown_and_says_so(tmp_path):
    export = tmp_path / "hubspot.csv"
    rows = [
        ["Record ID", "Company name", "City", "Country/Region", "Industry", "Number of Employees", "Annual Revenue"],
        [
            "1",
            "Alamo Family Dental",
            "San Antonio",
            "United States",
            "HOSPITAL_HEALTH_CARE",
            "Approx. 40",
            "GBP 800,000.00",
        ],
        ["2", "Thames Dental", "London", "United Kingdom", "Dental", "30", "€1.2M"],
    ]
    with open(export, "w", newline="", encoding="utf-8") as fh:
        csv.writer(fh, quoting=csv.QUOTE_ALL).writerows(rows)
    out = tmp_path / "decks"
    args = ["batch", str(export), "--profile", str(PROFILE), "--out-dir", str(out), "--date", "2026-11-25"]
    result = CliRunner().invoke(cli, [*args, "--jobs", "1", "--quiet"])
    assert result.exit_code == 0, result.output
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    us, uk = sorted(report["rows"], key=lambda r: r["row"])
    assert any(
        "'GBP 800,000.00' is in GBP; converted to USD 1,012,658 at your profile's exchange rates" in w
        for w in us["warnings"]
    ), us["warnings"]
    assert any("'Approx. 40' read as 40 (approximate)" in w for w in us["warnings"])
    assert any("'€1.2M' is in EUR but this prospect's figures are in GBP" in w for w in uk["warnings"]), uk["warnings"]
    converted = [w for w in us["warnings"] if "converted" in w]
    assert len(converted) == 1 and us["status"] == "built"
