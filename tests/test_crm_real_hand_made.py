"""Lists kept by hand end in a totals line ("Total" and the sums of the number columns), as report exports do;
it is no prospect. A company that is called Total keeps its row."""

from __future__ import annotations

import openpyxl

from deckgen.load.crm import open_prospects


def test_a_totals_line_with_its_sums_gets_no_deck_in_a_list_kept_by_hand(tmp_path):
    path = tmp_path / "prospects.csv"
    path.write_text(
        "company,users,city,annual_revenue\n"
        'Acme Dental,25,Austin,"$1,200,000"\n'
        "Total,40,Paris,\n"  # a company called Total: it has a city
        'Beta Law,40,Austin,"$800,000"\n'
        'Grand Total,105,,"$2,000,000"\n',
        encoding="utf-8",
    )
    rows = list(open_prospects(path))
    assert [(r.row, r.prospect.company) for r in rows] == [(2, "Acme Dental"), (3, "Total"), (4, "Beta Law")]


def test_a_sum_row_at_the_foot_of_a_sheet_gets_no_deck(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Company", "Employees", "Industry"])
    ws.append(["Acme Dental", 25, "Dental"])
    ws.append(["Beta Law", 40, "Legal"])
    ws.append(["Summe", 65])
    wb.save(tmp_path / "prospects.xlsx")
    assert [r.prospect.company for r in open_prospects(tmp_path / "prospects.xlsx")] == ["Acme Dental", "Beta Law"]
