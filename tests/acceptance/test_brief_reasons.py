"""A seller brief never fails its row because the fit reasons are long: page 1 cuts each reason at a
word (the notes give it whole), so seven long reasons still fit at the template's smallest size."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from pptx import Presentation

from deckgen.cli import cli
from deckgen.resources import examples_dir

HEADER = (
    "id,company,industry,users,endpoints,city,region,country,locale,it_model,it_pain,compliance,pain_points,"
    "situations,budget,decision_maker,decision_maker_role,annual_revenue,hourly_wage,notes"
)
ROW = (
    "r000046,Maple Veterinary Maple 46,Veterinary clinic,243,243,Berlin,,Germany,de-DE,in_house,,,"
    "Nobody has tested a restore in 7 months.,slow_decision; diy_it,40,Grace Haddad,influencer,1580000,51,"
    "Met at the North meetup; follow up in week 9."
)


ROW_134 = (
    "r000134,Lakeside Legal Pioneer 134,Dental practice,109,165,Toronto,ON,Canada,en-CA,break_fix,,,"
    "Phishing emails reached 14 staff last month.; 37 machines still run an unsupported Windows.; "
    "Nobody has tested a restore in 23 months.,outdated_systems,,Mei Alvarez,influencer,15280000,,"
    "Met at the Cedar meetup; follow up in week 19."
)


@pytest.mark.parametrize("brand", ["ridgeline", "slate"])  # Calibri and the wider Arial
@pytest.mark.parametrize("row", [ROW, ROW_134])
def test_long_fit_reasons_are_cut_on_the_page_and_whole_in_the_notes(tmp_path, brand, row):
    rows = tmp_path / "rows.csv"
    rows.write_text(f"{HEADER}\n{row}\n", encoding="utf-8")
    out = tmp_path / "decks"
    args = ["batch", "-p", str(examples_dir() / "profile.yaml"), "--crm", "generic", str(rows), "-o", str(out)]
    result = CliRunner().invoke(cli, [*args, "--date", "2026-11-25", "-j", "1", "-q", "--brief", "-b", brand])
    assert result.exit_code == 0, result.output
    (brief,) = out.glob("*-brief.pptx")
    page = Presentation(str(brief)).slides[0]
    reasons = next(sh for sh in page.shapes if sh.name == "Reasons").text_frame.text
    notes = page.notes_slide.notes_text_frame.text
    cut = [line for line in reasons.splitlines() if line.endswith("…")]
    assert cut  # the longest reasons are cut on the page …
    for line in cut:  # … and whole in the notes
        label = line.split(":", 1)[0]
        whole = next(n for n in notes.splitlines() if n.startswith(label + ":"))
        assert len(whole) > len(line) and whole.startswith(line[:-1].rstrip())
