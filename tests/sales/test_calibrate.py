"""``deckgen calibrate``: won/lost exports as CRMs write them, per-criterion differences, suggested weights,
a back-test on held-out deals, a profile snippet, and the profile never touched."""

from __future__ import annotations

import csv
import random
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from deckgen.cli import cli
from deckgen.resources import examples_dir
from deckgen.sales.calibrate import SMALL_SAMPLE, Deal, auc, calibrate, outcome_of

PROFILE = examples_dir() / "profile.yaml"
TARGET = ["Medical Practice", "Law Practice", "Accounting", "Dental"]
OTHER = ["Retail", "Construction", "Restaurants", "Logistics and Supply Chain", "Entertainment"]
CITIES = [("San Antonio", "United States"), ("Austin", "United States"), ("Denver", "United States")]


def _hubspot_deals(path: Path, won: int, lost: int, seed: int = 7) -> Path:
    """A HubSpot deals export joined with company properties: target-industry practices of the right size
    win far more often; the city makes little difference."""
    rng = random.Random(seed)
    rows = []
    for i in range(won + lost):
        is_won = i < won
        in_target = rng.random() < (0.8 if is_won else 0.3)
        users = rng.randint(20, 120) if rng.random() < (0.7 if is_won else 0.45) else rng.choice([4, 8, 400, 900])
        city, country = rng.choice(CITIES)
        rows.append(
            {
                "Record ID": str(9100000 + i),
                "Deal Name": f"Managed IT - deal {i}",
                "Company name": f"Company {i:03d} LLC",
                "Industry": rng.choice(TARGET if in_target else OTHER),
                "Number of Employees": str(users),
                "City": city,
                "Country/Region": country,
                "Deal Stage": "closedwon" if is_won else "closedlost",
                "Close Date": f"2025-{(i % 12) + 1:02d}-15",
            }
        )
    rows.append({**rows[0], "Record ID": "9199999", "Company name": "Still Open Co", "Deal Stage": "contractsent"})
    rng.shuffle(rows)
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]), quoting=csv.QUOTE_ALL)
        writer.writeheader()
        writer.writerows(rows)
    return path


# --------------------------------------------------------------------------- outcomes as each CRM names them


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("closedwon", "won"),  # HubSpot Deal Stage (internal value)
        ("closedlost", "lost"),
        ("Closed Won", "won"),  # Salesforce / Zoho Stage
        ("Closed Lost", "lost"),
        ("Closed Lost (Lost to Competition)", "lost"),  # Zoho
        ("won", "won"),  # Pipedrive Deal - Status
        ("lost", "lost"),
        ("Won", "won"),  # Dynamics 365 Status
        ("Lost", "lost"),
        ("open", None),
        ("Negotiation/Review", None),
        ("", None),
    ],
)
def test_outcomes_as_each_crm_writes_them(value, expected):
    assert outcome_of(value) == expected


# --------------------------------------------------------------------------- the statistics


def _deal(row: int, outcome: str, **shares) -> Deal:
    base = dict.fromkeys(("industry", "size", "it_model", "compliance", "geography", "budget", "decision_maker"), 0.3)
    return Deal(row, outcome, {**base, **shares})


def test_auc_counts_ties_as_half():
    assert auc([3.0, 2.0], [1.0, 2.0]) == pytest.approx(0.875)
    assert auc([], [1.0]) is None


def test_a_criterion_that_separates_outcomes_gains_weight_and_one_that_does_not_loses_it():
    # won deals are in the right industry but the wrong size, lost ones the reverse: today's equal
    # weights for industry and size cannot tell them apart
    deals = [_deal(i, "won", industry=1.0, size=0.0, geography=0.5) for i in range(60)]
    deals += [_deal(100 + i, "lost", industry=0.0, size=1.0, geography=0.5) for i in range(60)]
    current = {"industry": 20, "size": 20, "it_model": 15, "compliance": 15, "geography": 10, "budget": 10,
               "decision_maker": 10}  # fmt: skip
    result = calibrate(deals, current)
    assert sum(result.suggested.values()) == 100
    assert result.suggested["industry"] > 20 and result.suggested["size"] < 20 and result.suggested["geography"] < 10
    industry = next(c for c in result.criteria if c.name == "industry")
    assert (industry.won, industry.lost) == (1.0, 0.0)
    assert result.held_out == 40 and result.train == 80  # every third deal of each outcome
    assert result.old_test.auc == 0.5
    assert result.new_test.auc == 1.0 and result.new_test.accuracy == 1.0
    assert not result.small_sample and result.notes == []


def test_a_small_sample_is_said_to_be_one_and_stays_near_the_current_weights():
    deals = [_deal(i, "won", industry=1.0) for i in range(6)] + [_deal(10 + i, "lost") for i in range(5)]
    current = {"industry": 20, "size": 20, "it_model": 15, "compliance": 15, "geography": 10, "budget": 10,
               "decision_maker": 10}  # fmt: skip
    result = calibrate(deals, current)
    assert result.small_sample and "small sample: 6 won and 5 lost" in result.notes[0]
    assert all(abs(result.suggested[n] - current[n]) <= 10 for n in current)


# --------------------------------------------------------------------------- the command, end to end


def test_calibrate_a_hubspot_export_prints_the_comparison_and_the_snippet(tmp_path):
    export = _hubspot_deals(tmp_path / "won-lost.csv", won=70, lost=70)
    before = PROFILE.read_bytes()
    result = CliRunner().invoke(cli, ["calibrate", str(export), "--profile", str(PROFILE)])
    assert result.exit_code == 0, result.output + result.stderr
    out = result.stdout
    assert "(HubSpot, outcome column 'Deal Stage'): 70 won, 70 lost, 1 row(s) without a closed outcome skipped" in out
    industry = next(line for line in out.splitlines() if line.startswith("Industry"))
    won, lost = (int(v.rstrip("%")) for v in industry.split()[1:3])
    assert won > lost + 20  # target-industry practices won far more often
    assert "Back-test on 46 held-out deals (every third of each outcome; trained on 94)" in out
    assert "small sample" not in out
    # with industry and size as the only signal, re-weighting them barely moves the ranking: said so
    assert "no better than your current ones" in out
    snippet = yaml.safe_load(out[out.index("# Fit weights") :])
    weights = snippet["icp"]["weights"]
    assert sum(weights.values()) == 100 and weights["industry"] > 20
    assert PROFILE.read_bytes() == before


def test_calibrate_writes_the_snippet_with_out_and_never_the_profile(tmp_path):
    export = _hubspot_deals(tmp_path / "deals.csv", won=40, lost=35, seed=3)
    profile = tmp_path / "profile.yaml"
    profile.write_bytes(PROFILE.read_bytes())
    out = tmp_path / "weights.yaml"
    runner = CliRunner()
    result = runner.invoke(cli, ["calibrate", str(export), "-p", str(profile), "--out", str(out)])
    assert result.exit_code == 0, result.output + result.stderr
    assert f"Wrote {out}" in result.output and "is unchanged" in result.output
    assert set(yaml.safe_load(out.read_text())["icp"]["weights"]) >= {"industry", "size", "decision_maker"}
    assert profile.read_bytes() == PROFILE.read_bytes()
    refused = runner.invoke(cli, ["calibrate", str(export), "-p", str(profile), "--out", str(profile)])
    assert refused.exit_code == 2 and profile.read_bytes() == PROFILE.read_bytes()


def test_a_small_salesforce_report_says_small_sample(tmp_path):
    export = tmp_path / "opportunities.csv"
    header = ["Opportunity Owner", "Account Name", "Opportunity Name", "Stage", "Industry", "Employees",
              "Billing City", "Billing Country", "Close Date"]  # fmt: skip
    rows = [header]
    for i in range(12):
        won = i % 2 == 0
        rows.append(["Dana Whitfield", f"Practice {i}", f"Managed IT {i}", "Closed Won" if won else "Closed Lost",
                     "Healthcare" if won else "Retail", "45" if won else "600", "San Antonio", "United States",
                     "3/14/2025"])  # fmt: skip
    with export.open("w", newline="", encoding="utf-8") as fh:
        csv.writer(fh, quoting=csv.QUOTE_ALL).writerows(rows)
    result = CliRunner().invoke(cli, ["calibrate", str(export), "-p", str(PROFILE), "--crm", "salesforce_report"])
    assert result.exit_code == 0, result.output + result.stderr
    assert "6 won, 6 lost" in result.output
    assert f"Note: small sample: 6 won and 6 lost deals (fewer than {SMALL_SAMPLE} of each outcome)" in result.output
    assert "# Small sample: treat these as a hint" in result.output


def test_a_pipedrive_export_is_read_by_its_status_column(tmp_path):
    export = tmp_path / "pipedrive.csv"
    rows = [["Deal - Title", "Deal - Status", "Organization - Name", "Organization - Industry",
             "Organization - Number of employees"]]  # fmt: skip
    for i in range(8):
        rows.append([f"Deal {i}", ["won", "lost", "open"][i % 3], f"Org {i}", "Legal", "30"])
    with export.open("w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows(rows)
    result = CliRunner().invoke(cli, ["calibrate", str(export), "-p", str(PROFILE)])
    assert result.exit_code == 0, result.output + result.stderr
    assert "outcome column 'Deal - Status'): 3 won, 3 lost, 2 row(s) without a closed outcome skipped" in result.output


def test_an_export_without_an_outcome_column_is_an_input_error(tmp_path):
    export = tmp_path / "companies.csv"
    export.write_text('"Record ID","Company name","Industry"\n"1","Acme Dental","Dental"\n', encoding="utf-8")
    result = CliRunner().invoke(cli, ["calibrate", str(export), "-p", str(PROFILE)])
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: ") and "--outcome COLUMN" in result.stderr
    assert "Traceback" not in result.stderr
