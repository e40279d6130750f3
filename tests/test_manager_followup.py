"""What a sales manager's second look at a real batch asked for: a company name split at an unquoted comma said
plainly, converted prices flagged before sending, both rows of a duplicate pair flagged, an interrupted run that
says how far it got, and a budget given in another currency traced in the seller's notes."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from click.testing import CliRunner
from pptx import Presentation

from deckgen.batch.plan import BatchRequest, prepare_batch
from deckgen.batch.run import run_batch
from deckgen.build import BuildOptions
from deckgen.cli import cli
from deckgen.cli.batch import finish_batch
from deckgen.load.crm import open_prospects
from deckgen.load.files import load_profile
from deckgen.model import Prospect
from deckgen.resources import examples_dir
from deckgen.review.data import load_review_data, warning_kind
from deckgen.sales.amounts import given_as_notes
from deckgen.sales.cautions import converted_prices

PROFILE = examples_dir() / "profile.yaml"
DAY = dt.date(2026, 12, 1)


def prospects(tmp_path, text: str):
    path = tmp_path / "list.csv"
    path.write_text(text, encoding="utf-8")
    return list(open_prospects(path))


# --------------------------------------------------------------------------- 1. a comma in an unquoted name

HUBSPOT = "Company name,Industry,Number of Employees,City,Country/Region,Phone Number\n"


def test_a_comma_in_an_unquoted_company_name_says_the_row_has_a_cell_more_than_the_header(tmp_path):
    # the row's last column (Phone Number) is empty, so the cell the split adds is empty too: before, this failed
    # as "'Accounting' in column 'Number of Employees' is not a number" for a company called "Smith"
    good, split = prospects(
        tmp_path,
        HUBSPOT + "Acme Dental,Dental,25,Austin,United States,\n"
        "Smith, Jones & Co CPAs,Accounting,40,Austin,United States,\n",
    )
    assert good.error is None
    message = split.error.message
    assert message.startswith("the row looks shifted: it has 7 cells but the header has 6"), message
    assert """a comma inside an unquoted value (likely in 'Company name': "Smith" / " Jones & Co CPAs")""" in message
    assert "put that value in quotes" in message and "not a number" not in message
    assert split.error.row == 3 and split.error.field == "Company name"


def test_a_split_with_a_value_past_the_header_names_the_value_too(tmp_path):
    (row,) = prospects(tmp_path, HUBSPOT + "Smith, Jones & Co CPAs,Accounting,40,Austin,United States,555 0101\n")
    assert row.error.message.startswith("the row looks shifted: it has 7 cells but the header has 6")
    assert "'Company name': \"Smith\"" in row.error.message


def test_trailing_empty_cells_on_every_row_are_not_a_shift(tmp_path):
    # an export that ends each data line with a delimiter the header line does not have
    rows = prospects(tmp_path, "company,city,country\nAcme,Austin,US,\nBeta,Lyon,France,\nGamma, Inc,Nice,,\n")
    acme, beta, gamma = rows
    assert acme.error is None and beta.error is None
    assert not any("shifted" in w for r in (acme, beta) for w in r.warnings)
    assert gamma.error is not None and "it has 5 cells but the header has 3 (and the other rows 4)" in str(gamma.error)


def test_a_value_under_a_header_cell_left_empty_is_not_called_a_shift(tmp_path):
    (row,) = prospects(tmp_path, "company,city,\nAcme,Paris,note\n")
    assert "column C has no header but this row has a value there" in row.error.message
    assert "shifted" not in row.error.message


def test_a_file_written_with_comma_space_is_not_read_as_split_everywhere(tmp_path):
    acme, beta = prospects(tmp_path, "company, city\nAcme, Paris\nBeta, Lyon,\n")
    assert acme.error is None and beta.error is None and beta.prospect.location.city == "Lyon"


def test_a_longer_row_with_no_visible_split_explains_the_field_error_it_causes(tmp_path):
    (_, row) = prospects(
        tmp_path,
        HUBSPOT + "Acme Dental,Dental,25,Austin,United States,\nSmith,Jones,Accounting,40,Austin,United States,\n",
    )
    message = row.error.message
    assert message.startswith("the row looks shifted: it has 7 cells but the header has 6"), message
    assert message.endswith("('Accounting' in column 'Number of Employees' is not a number)")


# --------------------------------------------------------------------------- 2, 3, 5 through the CLI

COLUMNS = "company,industry,users,city,country,website,it_model,it_pain,budget,decision_maker,decision_maker_role,notes"
ROWS = [
    "Alamo Family Dental,Dental practice,25,San Antonio,United States,alamofamilydental.example.com,break_fix,true,"
    "180,Maria Lopez,economic_buyer,Wants a fixed price.",
    "Kowloon Dental Group,Dental practice,30,Kowloon,Hong Kong,kowloondental.example.hk,break_fix,true,1500,"
    "Wong Ka Ming,economic_buyer,",
    "Alamo Family Dental LLC,Dental practice,25,San Antonio,United States,https://www.alamofamilydental.example.com/,"
    "break_fix,true,180,Maria Lopez,economic_buyer,",
    "Thameside Accountants LLP,Accounting,35,London,United Kingdom,thameside.example.co.uk,break_fix,true,USD 150,"
    "James Cole,economic_buyer,Asked for a quote in writing.",
]


@pytest.fixture(scope="module")
def batch_out(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("followup")
    src = tmp / "list.csv"
    src.write_text("\n".join([COLUMNS, *ROWS]) + "\n", encoding="utf-8")
    out = tmp / "out"
    args = ["batch", str(src), "-p", str(PROFILE), "-o", str(out), "--brief", "--date", "2026-12-01", "-j", "1"]
    result = CliRunner().invoke(cli, args, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    rows = {r["company"]: r for r in json.loads((out / "report.json").read_text(encoding="utf-8"))["rows"]}
    return out, rows


def _currency(row: dict) -> list[str]:
    return [w for w in row["warnings"] if warning_kind(w) == "currency"]


def test_a_hong_kong_deck_with_converted_prices_warns_once_naming_the_rate(batch_out):
    _, rows = batch_out
    hk = rows["Kowloon Dental Group"]
    assert hk["band"] == "A"
    (warning,) = _currency(hk)
    assert "prices converted from USD at 7.78 HKD per USD" in warning and "check the rate before sending" in warning
    assert _currency(rows["Alamo Family Dental"]) == []  # a deck in the profile's own currency


def test_converted_prices_are_not_flagged_on_a_deck_that_shows_no_price():
    profile = load_profile(PROFILE)
    assert converted_prices(profile, "HKD", "nurture") == []
    assert converted_prices(profile, "USD", "pitch") == []
    assert len(converted_prices(profile, "HKD", "pitch")) == 1


def test_the_review_page_flags_the_original_of_a_duplicate_pair_naming_its_twin(batch_out):
    out, _ = batch_out
    data = load_review_data(out)
    by_company = {r.company: r for r in data.rows}
    original, twin = by_company["Alamo Family Dental"], by_company["Alamo Family Dental LLC"]
    assert twin.duplicate == f"duplicate of row {original.row}: same domain and name"
    assert original.repeated == f"row {twin.row} (Alamo Family Dental LLC) repeats this one: same domain and name"
    page = (out / "review.html").read_text(encoding="utf-8")
    tr = next(t for t in re.findall(r"<tr id=.*?</tr>", page) if 'data-company="Alamo Family Dental"' in t)
    assert f"Row {twin.row} (Alamo Family Dental LLC) repeats this one" in tr
    assert "data-dup" not in tr  # flagged, not held: one of the two decks should go


def test_a_budget_given_in_another_currency_is_traced_in_the_brief_and_the_pricing_notes(batch_out):
    out, rows = batch_out
    stem = rows["Thameside Accountants LLP"]["file"].removesuffix(".pptx")
    said = "Their budget was given as USD 150; at 0.79 that is £118.50"

    def text(path) -> str:
        prs = Presentation(path)
        parts = [sh.text_frame.text for s in prs.slides for sh in s.shapes if sh.has_text_frame]
        parts += [s.notes_slide.notes_text_frame.text for s in prs.slides if s.has_notes_slide]
        return "\n".join(parts)

    assert said in text(out / f"{stem}-brief.pptx")
    assert said in text(out / f"{stem}.pptx")  # the investment slide's notes


def test_the_loader_keeps_what_a_converted_amount_was_given_as(tmp_path):
    from deckgen.sales.amounts import AmountCurrencies

    path = tmp_path / "uk.csv"
    path.write_text("company,country,budget\nThameside,United Kingdom,USD 150\n", encoding="utf-8")
    profile = load_profile(PROFILE)
    (row,) = list(open_prospects(path, amounts=AmountCurrencies(profile)))
    assert row.prospect.budget_per_user_month == 118.5
    assert row.prospect.given_as == {"budget_per_user_month": ("USD", 150.0)}
    assert given_as_notes(row.prospect, profile, "GBP", "en-GB") == [
        "Their budget was given as USD 150; at 0.79 that is £118.50 (exchange_rates in your profile)."
    ]
    assert given_as_notes(Prospect(company="Plain"), profile, "GBP") == []


# --------------------------------------------------------------------------- 4. an interrupted run


def _plan(tmp_path):
    src = tmp_path / "big.csv"
    src.write_text(
        "company,industry,users,city,country\n"
        + "".join(f"Studio {i},Dental practice,25,Austin,United States\n" for i in range(5)),
        encoding="utf-8",
    )
    request = BatchRequest(input=src, profile=PROFILE, out_dir=tmp_path / "out", options=BuildOptions(today=DAY))
    request.jobs = 1
    return prepare_batch(request)


def _stop_after_two(progress) -> None:
    if progress.done >= 2:
        raise KeyboardInterrupt


@pytest.mark.parametrize("counted", [True, False])
def test_an_interrupted_summary_says_how_many_rows_of_the_list_were_done(tmp_path, capsys, counted):
    plan = _plan(tmp_path)
    result = run_batch(plan, on_progress=_stop_after_two)
    assert result.interrupted and len(result.rows) == 2
    if not counted:  # no progress display (--quiet): the list is counted after the stop
        result.total = None
    assert finish_batch(plan, result, pdf=False, preview=False, thumbnails=False) == 130
    captured = capsys.readouterr()
    assert f"2 of 5 rows from {plan.request.input} (stopped early): built 2" in captured.out
    assert "Interrupted: stopped after 2 of 5 rows" in captured.err
