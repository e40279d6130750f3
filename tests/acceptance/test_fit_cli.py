"""`deckgen fit` on real-shaped exports: taxonomy rules, qualify first, how the list was read, and the CRM
update file each CRM's import accepts."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from deckgen.cli import cli
from deckgen.resources import examples_dir

PROFILE = examples_dir() / "profile.yaml"

HUBSPOT = [
    ["Record ID", "Company name", "Company owner", "Create Date", "Phone Number", "Last Activity Date", "City",
     "State/Region", "Country/Region", "Industry", "Number of Employees", "Annual Revenue"],
    ["5301", "Bexar Law Group", "Dana W", "2026-01-05 09:12", "+1 210 555 0101", "", "San Antonio", "TX",
     "United States", "Law Practice", "35", "$4.5M"],
    ["5302", "Hill Country Smiles", "Dana W", "2026-01-06 10:40", "", "", "Austin", "TX", "United States",
     "Hospital & Health Care", "22", "1-5M"],
    ["5303", "=HYPERLINK(\"http://x.example\")", "Dana W", "2026-01-07 11:02", "", "", "", "", "", "", "", ""],
    ["5304", "Lone Star Freight", "Dana W", "2026-01-08 08:00", "", "", "Dallas", "TX", "United States",
     "Logistics and Supply Chain", "400", "50+"],
]  # fmt: skip

SALESFORCE = [
    ["ID", "ISDELETED", "NAME", "TYPE", "BILLINGCITY", "BILLINGSTATE", "BILLINGCOUNTRY", "INDUSTRY",
     "NUMBEROFEMPLOYEES", "NAICSCODE"],
    ["0015g00000A1AAA", "false", "Riverwalk CPAs", "Prospect", "San Antonio", "TX", "US", "Finance", "18", "541211"],
    ["0015g00000A2AAA", "false", "Quiet Co", "Prospect", "", "", "", "", "", ""],
]  # fmt: skip

DYNAMICS = [
    ["(Do Not Modify) Account", "(Do Not Modify) Row Checksum", "(Do Not Modify) Modified On", "Account Name",
     "Main Phone", "Address 1: City", "Address 1: State/Province", "Address 1: Country/Region", "Industry",
     "Number of Employees"],
    ["6f1c2e2a-0001", "q1", "3/1/2026 10:00", "Travis Legal", "512-555-0100", "Austin", "TX", "United States",
     "Legal Services", "18"],
]  # fmt: skip


def write(path: Path, rows, encoding="utf-8", delimiter=",") -> Path:
    buf = io.StringIO()
    csv.writer(buf, delimiter=delimiter, quoting=csv.QUOTE_ALL, lineterminator="\r\n").writerows(rows)
    path.write_bytes(buf.getvalue().encode(encoding))
    return path


def fit(*args: str):
    return CliRunner().invoke(cli, ["fit", *args, "--profile", str(PROFILE)], catch_exceptions=False)


def read_csv(path: Path) -> list[dict[str, str]]:
    with open(path, newline="", encoding="utf-8-sig") as fh:
        return list(csv.DictReader(fh))


def test_fit_shows_the_industry_rule_qualify_first_and_how_the_list_was_read(tmp_path):
    export = write(tmp_path / "hubspot.csv", HUBSPOT)
    result = fit(str(export))
    assert result.exit_code == 0, result.output
    out, err = result.stdout, result.stderr
    assert "Reading" in err and "as a HubSpot export (detected from its headers" in err
    assert "Company name → company" in err and "Not mapped (kept as prospect.extra, not scored):" in err
    assert "Company owner" in err
    lines = {line.split("  ")[-1][:20]: line for line in out.splitlines()}
    bexar = next(line for line in out.splitlines() if "Bexar Law Group" in line)
    assert "synonym" in bexar
    smiles = next(line for line in out.splitlines() if "Hill Country Smiles" in line)
    assert "adjacent" in smiles
    assert "Qualify first (1): too little data" in out  # the row with only a name
    assert "walk away" in next(line for line in out.splitlines() if "Lone Star Freight" in line)
    assert lines  # the table has rows
    quiet = fit(str(export), "--quiet")
    assert "Reading" not in quiet.stderr and quiet.stdout == out


def test_fit_json_ranks_qualify_first_after_b_and_names_what_is_missing(tmp_path):
    export = write(tmp_path / "hubspot.csv", HUBSPOT)
    data = json.loads(fit(str(export), "--json", "-q").stdout)
    bands = [p["band"] for p in data["prospects"]]
    assert bands == sorted(bands, key=["A", "B", "qualify_first", "C", "walk_away"].index)
    thin = next(p for p in data["prospects"] if p["band"] == "qualify_first")
    assert thin["band_label"] == "Qualify first" and thin["missing"][:2] == ["industry", "size"]
    assert thin["verdict"].startswith("Qualify first: only 0% of the data is known")
    assert [p["company"] for p in data["walk_away"]] == ["Lone Star Freight"]


def test_export_writes_a_hubspot_import_file_with_formulas_neutralised(tmp_path):
    export = write(tmp_path / "hubspot.csv", HUBSPOT)
    update = tmp_path / "crm-update.csv"
    result = fit(str(export), "--export", str(update), "-q")
    assert result.exit_code == 0, result.output
    assert "Wrote" in result.stderr and "4 record(s) to update in HubSpot" in result.stderr
    rows = read_csv(update)
    assert list(rows[0]) == [
        "Record ID",
        "Fit Score",
        "Fit Band",
        "Fit Confidence",
        "Fit Closing Line",
        "Fit Deck File",
    ]
    assert [r["Record ID"] for r in rows] == ["5301", "5302", "5303", "5304"]  # file order, ids as exported
    by_id = {r["Record ID"]: r for r in rows}
    assert by_id["5304"]["Fit Band"] == "Walk away" and by_id["5303"]["Fit Band"] == "Qualify first"
    assert by_id["5301"]["Fit Deck File"] == "Bexar-Law-Group-5301.pptx"
    assert by_id["5301"]["Fit Closing Line"] and not by_id["5301"]["Fit Closing Line"].startswith("=")
    assert all(not v.startswith(("=", "+", "-", "@")) for r in rows for v in r.values())
    assert update.read_bytes().startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM: Excel and HubSpot read it


def test_export_for_salesforce_data_loader_and_dynamics_use_their_id_columns(tmp_path):
    sf = write(tmp_path / "accounts.csv", SALESFORCE, encoding="utf-16", delimiter="\t")
    update = tmp_path / "sf-update.csv"
    assert fit(str(sf), "--export", str(update), "-q").exit_code == 0
    rows = read_csv(update)
    assert list(rows[0])[:3] == ["ID", "Fit_Score__c", "Fit_Band__c"]  # Data Loader maps by API name
    assert not update.read_bytes().startswith(b"\xef\xbb\xbf")
    riverwalk = rows[0]
    assert riverwalk["ID"] == "0015g00000A1AAA" and riverwalk["Fit_Band__c"] in ("A", "B", "C")
    assert rows[1]["Fit_Band__c"] == "Qualify first"  # no data is never a walk-away

    dyn = write(tmp_path / "dyn.csv", DYNAMICS)
    update = tmp_path / "dyn-update.csv"
    result = fit(str(dyn), "--export", str(update))
    assert "as a Dynamics 365 export" in result.stderr
    assert list(read_csv(update)[0])[0] == "(Do Not Modify) Account"


def test_export_without_an_id_column_is_refused(tmp_path):
    export = write(tmp_path / "plain.csv", [["company", "industry"], ["Acme", "Legal"]])
    result = fit(str(export), "--export", str(tmp_path / "u.csv"))
    assert result.exit_code == 2
    assert "Error:" in result.stderr and "no record id column" in result.stderr
    assert not (tmp_path / "u.csv").exists()


@pytest.mark.parametrize("cell", ["12/31/2025", "3/4", "12:30"])
def test_a_date_in_a_numeric_column_fails_that_row_only(tmp_path, cell):
    rows = [HUBSPOT[0], HUBSPOT[1], [*HUBSPOT[2][:10], cell, ""]]
    result = fit(str(write(tmp_path / "h.csv", rows)), "-q")
    assert result.exit_code == 1
    assert "row 3, size.users" in result.stderr and "not a number" in result.stderr
    assert "Bexar Law Group" in result.stdout
