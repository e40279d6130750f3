"""Values as testers found them in CRM exports: approximate head counts, industry enums, shifted rows,
and amounts in another currency than the prospect's deck."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from deckgen.load.crm import open_prospects
from deckgen.load.crm.industries import industry_label
from deckgen.load.files import load_profile
from deckgen.model import Icp
from deckgen.resources import examples_dir
from deckgen.sales.amounts import AmountCurrencies
from deckgen.sales.taxonomy import match_industry

HEADER = ["Company name", "Country/Region", "Number of Employees", "Annual Revenue", "Industry"]


def write_rows(path: Path, rows: list[list[str]]) -> Path:
    with open(path, "w", newline="", encoding="utf-8") as fh:
        csv.writer(fh, quoting=csv.QUOTE_ALL).writerows([HEADER, *rows])
    return path


# --------------------------------------------------------------------------- approximate head counts


@pytest.mark.parametrize(
    "written", ["Approx. 40", "~40", "about 40", "c. 40", "circa 40", "40-ish", "ca. 40", "environ 40", "≈ 40"]
)
def test_an_approximate_head_count_reads_as_the_number_with_a_warning(tmp_path, written):
    (row,) = list(open_prospects(write_rows(tmp_path / "a.csv", [["Acme", "US", written, "", ""]])))
    assert row.error is None and row.prospect.size.users == 40
    assert row.warnings == [f"row 2, column 'Number of Employees': '{written}' read as 40 (approximate)"]


@pytest.mark.parametrize("written, users", [("11-50", 30), ("11 to 50", 30), ("about 11-50", 30), ("51-200", 126)])
def test_head_count_ranges_still_read_as_their_middle(tmp_path, written, users):
    (row,) = list(open_prospects(write_rows(tmp_path / "r.csv", [["Acme", "US", written, "", ""]])))
    assert row.error is None and row.prospect.size.users == users
    assert "range; used the middle" in row.warnings[0]


@pytest.mark.parametrize("written", ["lots", "about", "ca.", "approx. many", "40-ish people maybe"])
def test_an_unreadable_head_count_still_fails_its_row_naming_file_row_and_field(tmp_path, written):
    path = write_rows(tmp_path / "u.csv", [["Acme", "US", written, "", ""]])
    (row,) = list(open_prospects(path))
    assert row.prospect is None
    assert (row.error.file, row.error.row, row.error.field) == (str(path), 2, "size.users")
    assert "column 'Number of Employees'" in row.error.message


# --------------------------------------------------------------------------- industry enums


@pytest.mark.parametrize(
    "raw, label",
    [
        ("HOSPITAL_HEALTH_CARE", "Hospital & Health Care"),
        ("COMPUTER_SOFTWARE", "Computer Software"),
        ("INFORMATION_TECHNOLOGY_AND_SERVICES", "Information Technology and Services"),
        ("IT_SERVICES", "IT Services"),
        ("Financial_Services__c", "Financial Services"),  # a Salesforce picklist API name
        ("ACCOUNTING", "Accounting"),
        ("HOSPITAL_HEALTH_CARE;LAW_PRACTICE", "Hospital & Health Care; Law Practice"),
        ("Law Practice", "Law Practice"),  # labels stay as written
        ("HIPAA", "HIPAA"),  # a word in capitals that is no HubSpot value
        ("621210", "621210"),
    ],
)
def test_industry_enum_values_reach_the_prospect_as_labels(tmp_path, raw, label):
    assert industry_label(raw) == label
    (row,) = list(open_prospects(write_rows(tmp_path / "i.csv", [["Acme", "US", "", "", raw]])))
    assert row.prospect.industry == label


@pytest.mark.parametrize("raw", ["HOSPITAL_HEALTH_CARE", "MEDICAL_PRACTICE", "LAW_PRACTICE", "ACCOUNTING"])
def test_a_humanised_industry_matches_the_profile_as_the_enum_did(raw):
    icp = Icp(industries=["medical", "legal", "accounting"], adjacent_industries=["hospital"])
    before = match_industry(raw, icp.industries, icp.adjacent_industries)
    after = match_industry(industry_label(raw), icp.industries, icp.adjacent_industries)
    assert after.rule == before.rule != "none"


# --------------------------------------------------------------------------- shifted rows


def test_a_row_split_by_an_unquoted_comma_says_it_looks_shifted(tmp_path):
    path = tmp_path / "s.csv"
    path.write_text(
        "Company name,Website,Number of Employees,City,Industry\n"
        'Acme,=HYPERLINK("http://x","Click"),40,Austin\n'  # one cell short: the split fills the last column
        'Beta,=HYPERLINK("http://y","Go"),40,Austin,Dental\n'  # one value past the header
        "Good,good.example,12,Austin,Dental\n"
        "Bad,bad.example,lots,Austin,Dental\n",
        encoding="utf-8",
    )
    acme, beta, good, bad = list(open_prospects(path))
    assert acme.error.row == 2 and acme.error.message.startswith("the row looks shifted")
    assert "columns 'Website' and 'Number of Employees' hold one value split in two" in acme.error.message
    assert "unquoted comma" in acme.error.message
    assert beta.error.row == 3
    assert beta.error.message.startswith("the row looks shifted: it has 6 cells but the header has 5")
    assert "a comma inside an unquoted value" in beta.error.message
    assert good.error is None and not good.warnings
    assert "shifted" not in bad.error.message  # a plain bad value keeps its plain error


def test_a_shifted_row_that_still_reads_is_warned_about(tmp_path):
    path = tmp_path / "w.csv"
    path.write_text('Company name,Website,Notes,City\nAcme,=HYPERLINK("http://x","Click"),Austin\n', encoding="utf-8")
    (row,) = list(open_prospects(path))
    assert row.prospect is not None
    assert any("looks shifted" in w for w in row.warnings), row.warnings


# --------------------------------------------------------------------------- amounts in another currency


@pytest.fixture(scope="module")
def profile():
    return load_profile(examples_dir() / "profile.yaml", [])  # USD, with GBP 0.79 and HKD 7.78 per USD


def test_an_amount_in_another_currency_is_converted_at_the_profiles_rates(tmp_path, profile):
    path = write_rows(tmp_path / "fx.csv", [["US Co", "United States", "40", "GBP 800,000.00", "Dental"]])
    (row,) = list(open_prospects(path, amounts=AmountCurrencies(profile)))
    assert row.prospect.numbers.annual_revenue == round(800_000 / 0.79)
    (warning,) = row.warnings
    assert warning.startswith("row 2, column 'Annual Revenue' (numbers.annual_revenue): 'GBP 800,000.00' is in GBP")
    assert "converted to USD 1,012,658 at your profile's exchange rates (1 GBP = 1.266 USD)" in warning


def test_an_amount_in_a_currency_without_a_rate_is_unknown_not_mis_scaled(tmp_path, profile):
    rows = [
        ["UK Co", "United Kingdom", "40", "€1.2M", "Dental"],
        ["UK Two", "United Kingdom", "40", "$900,000", "Dental"],
        ["US Co", "United States", "40", "USD 900,000", "Dental"],
        ["Plain Co", "United States", "40", "900,000", "Dental"],
    ]
    uk, dollars, same, plain = list(
        open_prospects(write_rows(tmp_path / "x.csv", rows), amounts=AmountCurrencies(profile))
    )
    assert uk.prospect.numbers.annual_revenue is None
    assert "'€1.2M' is in EUR but this prospect's figures are in GBP" in uk.warnings[0]
    assert "no exchange rate for EUR: left as unknown" in uk.warnings[0]
    assert dollars.prospect.numbers.annual_revenue is None and "which $ it is" in dollars.warnings[0]
    assert same.prospect.numbers.annual_revenue == 900_000 and not same.warnings
    assert plain.prospect.numbers.annual_revenue == 900_000 and not plain.warnings


def test_without_a_profile_an_amount_unlike_the_rows_own_currency_is_unknown(tmp_path):
    path = tmp_path / "own.csv"
    path.write_text(
        'Company name,Currency,Annual Revenue\nAcme,USD,"GBP 800,000"\nBeta,GBP,"GBP 5"\n', encoding="utf-8"
    )
    acme, beta = list(open_prospects(path))
    assert (
        acme.prospect.numbers.annual_revenue is None and "is in GBP but this row's currency is USD" in acme.warnings[0]
    )
    assert beta.prospect.numbers.annual_revenue == 5 and not beta.warnings


# --------------------------------------------------------------------------- text that reads like a template tag


def test_a_value_that_reads_like_a_template_tag_is_kept_as_written_with_a_warning(tmp_path):
    (row,) = list(open_prospects(write_rows(tmp_path / "t.csv", [["{{ msp.name }}", "US", "", "", ""]])))
    assert row.prospect.company == "{{ msp.name }}"
    (warning,) = row.warnings
    assert warning.startswith("row 2, column 'Company name' (company): the value holds '{{'")
    assert "`deckgen check` will report it as a leftover template tag" in warning
