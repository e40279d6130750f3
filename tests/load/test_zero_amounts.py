"""A budget (or revenue, wage, IT spend) of 0 from a CRM export means "not filled in": unknown, and said so."""

from __future__ import annotations

from deckgen.load.crm.source import open_prospects
from deckgen.load.files import read_prospect
from deckgen.model import Icp, Prospect, ProspectNumbers
from deckgen.sales.fit import score_fit


def test_the_model_reads_an_amount_of_0_as_unknown():
    p = Prospect(company="Zero Co", budget_per_user_month=0, numbers=ProspectNumbers(annual_revenue=0.0))
    assert p.budget_per_user_month is None and p.numbers.annual_revenue is None
    assert Prospect(company="Some Co", budget_per_user_month=0.5).budget_per_user_month == 0.5
    # incidents can really be 0
    assert ProspectNumbers(incidents_per_month=0).incidents_per_month == 0


def test_a_zero_budget_scores_as_unknown_not_as_a_stated_budget():
    fit = score_fit(Prospect(company="Zero Co", budget_per_user_month=0), Icp(budget_floor_per_user_month=100))
    budget = fit.criterion("budget")
    assert not budget.known and budget.reason == "Budget unknown; partial credit."  # was "Budget 0 …"


def test_a_csv_row_with_budget_0_is_left_unknown_with_a_warning(tmp_path):
    path = tmp_path / "prospects.csv"
    path.write_text(
        "company,users,budget_per_user_month,annual_revenue,incidents_per_month\nZero Co,20,0,0.00,0\n",
        encoding="utf-8",
    )
    (result,) = list(open_prospects(path))
    assert result.error is None
    p = result.prospect
    assert p.budget_per_user_month is None and p.numbers.annual_revenue is None
    assert p.numbers.incidents_per_month == 0
    texts = result.warnings
    assert any(
        t.startswith("row 2, column 'budget_per_user_month': a budget of 0 read as not filled in") for t in texts
    ), texts
    assert any("column 'annual_revenue': an annual revenue of 0" in t for t in texts), texts
    assert not any("incidents" in t for t in texts)


def test_a_prospect_file_with_budget_0_warns_the_seller(tmp_path):
    path = tmp_path / "zero.yaml"
    path.write_text("company: Zero Co\nbudget_per_user_month: 0\nnumbers:\n  it_spend_per_month: 0\n", encoding="utf-8")
    prospect, warnings = read_prospect(path)
    assert prospect.budget_per_user_month is None and prospect.numbers.it_spend_per_month is None
    texts = [str(w) for w in warnings]
    assert (
        f"{path} budget_per_user_month: a budget of 0 is read as not filled in; left unknown, ask in discovery" in texts
    )
    assert any("numbers.it_spend_per_month: an IT spend of 0" in t for t in texts)
