"""Tables whose rows grow with their text: a long value pushes the table off the slide."""

from __future__ import annotations

from pptx import Presentation
from pptx.util import Inches

from deckgen.check import check_deck

LONG = (
    "The imaging server crashed twice this quarter and each time the front desk cancelled every patient visit "
    "for the rest of the day, and the backups have not been tested in two years, so nobody knows whether a "
    "restore would work if the practice database were lost tomorrow morning."
)


def _table_deck(path, text: str, top_in: float = 4.5):
    prs = Presentation()
    slide = prs.slides.add_slide(prs.slide_layouts[5])
    slide.shapes.title.text = "What we heard"
    frame = slide.shapes.add_table(2, 2, Inches(0.5), Inches(top_in), Inches(9), Inches(1))
    frame.name = "Situation"
    table = frame.table
    table.cell(0, 0).text, table.cell(0, 1).text = "Pain", text
    table.cell(1, 0).text, table.cell(1, 1).text = "City", "Austin"
    prs.save(path)
    return path


def test_a_table_grown_past_the_bottom_of_the_slide_is_off_slide(tmp_path):
    report = check_deck(_table_deck(tmp_path / "long.pptx", LONG + " " + LONG))
    assert report.kinds() == {"off-slide"}
    (problem,) = report.errors
    assert problem.slide == 1 and problem.shape == "Situation"
    assert "table runs" in problem.message and "past the bottom edge" in problem.message


def test_a_table_whose_text_fits_on_the_slide_passes(tmp_path):
    assert check_deck(_table_deck(tmp_path / "short.pptx", "Printers jam.")).kinds() == set()
    assert check_deck(_table_deck(tmp_path / "high.pptx", LONG, top_in=1.5)).kinds() == set()
