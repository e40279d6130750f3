"""Tagged table cells shrink so the table stays within its room: above the shape under it, on the slide."""

from __future__ import annotations

import io
import zipfile

from pptx.util import Inches, Pt

from deckgen.engine import render
from deckgen.engine.layout.fonts import FontBook
from deckgen.engine.layout.styles import DeckStyles
from deckgen.engine.layout.table_fit import CellShrink
from deckgen.engine.layout.table_text import table_extent
from deckgen.engine.opc import q
from deckgen.errors import TextFitWarning
from tests.engine.builders import TemplateBuilder, compile_in_memory

DESCRIPTION = (
    "Multi-factor sign-in, endpoint protection, email filtering and staff training for every user, "
    "with a written report each quarter"
)
SLIDE = "ppt/slides/slide1.xml"


def _prices(band_top_in: float | None, extra: str = "") -> TemplateBuilder:
    """A prices table (header row, then one row per service at 24 pt) and, under it, a filled band."""
    b = TemplateBuilder()
    b.new_slide()
    frame = b.table(
        "Prices",
        [
            ["Service", "Description", "Price"],
            ["{% for s in services %}{{ s.name }}", "{{ s.description }}" + extra, "{{ s.price }}{% endfor %}"],
        ],
    )
    frame.left, frame.top, frame.width, frame.height = Inches(0.5), Inches(1.0), Inches(12), Inches(1.0)
    for c, width in enumerate((3, 7, 2)):
        frame.table.columns[c].width = Inches(width)
    for row in frame.table.rows:
        row.height = Inches(0.5)
    for r in range(2):
        for c in range(3):
            frame.table.cell(r, c).text_frame.paragraphs[0].runs[0].font.size = Pt(24)
    if band_top_in is not None:
        band = b.slide.shapes.add_shape(1, Inches(0.5), Inches(band_top_in), Inches(12), Inches(1))
        band.name = "Band"
    return b


def _services(count: int, description: str = DESCRIPTION) -> dict:
    return {"services": [{"name": f"Service {i}", "description": description, "price": 10 * i} for i in range(count)]}


def _deck(rendered):
    """(the slide's root, its styles and fonts) to measure the deck's table as `deckgen check` does."""
    z = zipfile.ZipFile(io.BytesIO(rendered.data))
    styles = DeckStyles(lambda p: z.read(p) if p in z.namelist() else None, "ppt/presentation.xml")
    fonts = FontBook()
    theme = styles.theme_fonts(SLIDE)
    fonts.prepare(["Carlito", theme.get("+mn-lt", "Carlito")], [])
    return styles.root(SLIDE), styles, fonts, theme


def _sizes(root) -> list[list[str | None]]:
    """Each row's cells' run sizes (sz, hundredths of a point)."""
    return [[tc.find(f".//{q('a:rPr')}").get("sz") for tc in tr.iter(q("a:tc"))] for tr in root.iter(q("a:tr"))]


def _bottom_in(rendered) -> float:
    root, styles, fonts, theme = _deck(rendered)
    frame = next(root.iter(q("p:graphicFrame")))
    top, height = table_extent(frame, SLIDE, styles, fonts, theme)
    return (top + height) / 72


def _table_warnings(rendered) -> list[str]:
    return [str(w) for w in rendered.warnings if isinstance(w, TextFitWarning) and "table" in str(w)]


def test_long_descriptions_that_would_push_the_table_over_the_shape_under_it_shrink_until_it_clears_it():
    rendered = render(compile_in_memory(_prices(5.5), min_font_size=14), _services(4))
    (shrunk,) = rendered.shrinks
    assert isinstance(shrunk, CellShrink)
    assert shrunk.shape == "Prices" and shrunk.from_pt == 24 and 14 <= shrunk.to_pt < 24
    assert shrunk.cells == ("2 ('Description')",)
    assert str(shrunk).startswith("slide 1, table 'Prices': text in column 2 ('Description') shrunk from 24 pt")
    assert _table_warnings(rendered) == [str(shrunk)]  # shrunk, and no "now covers 'Band'"
    assert _bottom_in(rendered) <= 5.5 + 0.01
    sizes = _sizes(_deck(rendered)[0])
    assert sizes[0] == ["2400", "2400", "2400"]  # the header's text has no tags: as it was
    for row in sizes[1:]:  # only the column whose text grew the rows: names and prices keep their size
        assert row[0] == "2400" and row[2] == "2400" and int(row[1]) == round(shrunk.to_pt * 100)


def test_without_the_shape_under_it_the_table_grows_down_the_slide_and_nothing_shrinks():
    rendered = render(compile_in_memory(_prices(None), min_font_size=14), _services(4))
    assert rendered.shrinks == [] and _table_warnings(rendered) == []
    assert 2.5 < _bottom_in(rendered) <= 7.5  # taller than its frame, still on the slide
    assert {sz for row in _sizes(_deck(rendered)[0]) for sz in row} == {"2400"}


def test_a_table_that_would_run_off_the_slide_shrinks_to_stay_on_it():
    rendered = render(compile_in_memory(_prices(None), min_font_size=12), _services(6))
    (shrunk,) = rendered.shrinks
    assert shrunk.to_pt < 24 and _table_warnings(rendered) == [str(shrunk)]
    assert _bottom_in(rendered) <= 7.5 + 0.01


def test_text_too_long_even_at_min_font_size_is_left_at_it_and_named_with_its_cells():
    long = " ".join([DESCRIPTION] * 3)
    rendered = render(compile_in_memory(_prices(4.0), min_font_size=14), _services(3, long))
    assert rendered.shrinks == []
    (said,) = _table_warnings(rendered)
    assert said.startswith("slide 1, table 'Prices': the text in its 4 rows makes it")
    assert "now covers 'Band'" in said
    assert "column 2 ('Description') shrunk to 14 pt, the smallest allowed (min_font_size in template.yaml)" in said
    assert "the tallest text is in cells row 2, column 2 ('Description'), row 3, column 2" in said
    assert {row[1] for row in _sizes(_deck(rendered)[0])[1:]} == {"1400"}


def test_rows_a_loop_added_that_are_too_many_for_the_room_do_not_shrink_the_text():
    rendered = render(compile_in_memory(_prices(3.0), min_font_size=14), _services(12, "Short"))
    assert rendered.shrinks == []
    (said,) = _table_warnings(rendered)
    assert "its 13 rows make it" in said and "show fewer rows" in said


def test_with_fit_fail_the_cells_keep_their_size_and_the_warning_names_the_tallest():
    rendered = render(compile_in_memory(_prices(5.5), min_font_size=14, fit="fail"), _services(4))
    assert rendered.shrinks == []
    (said,) = _table_warnings(rendered)
    assert "now covers 'Band'" in said and "(the tallest text is in cells row 2, column 2 ('Description')" in said
    assert {sz for row in _sizes(_deck(rendered)[0]) for sz in row} == {"2400"}


def test_a_table_without_tags_on_a_slide_with_tags_is_named_but_not_shrunk():
    b = _prices(5.5)
    for tc in b.slide.shapes[0]._element.iter(q("a:tc")):
        for t in tc.iter(q("a:t")):
            t.text = " ".join([DESCRIPTION] * 2)
    box = b.text("Heading", "{{ msp.name }}")
    box.top = Inches(0.1)
    rendered = render(compile_in_memory(b, min_font_size=14), {"msp": {"name": "Ridgeline"}})
    assert rendered.shrinks == []
    (said,) = _table_warnings(rendered)
    assert "now covers 'Band'" in said and "tallest text" not in said
    assert {sz for row in _sizes(_deck(rendered)[0]) for sz in row} == {"2400"}


def test_the_same_deck_renders_to_the_same_bytes():
    compiled = compile_in_memory(_prices(5.5), min_font_size=14)
    first = render(compiled, _services(4))
    again = render(compile_in_memory(_prices(5.5), min_font_size=14), _services(4))
    assert first.data == again.data and render(compiled, _services(4)).data == first.data


def test_the_cells_remembered_stay_bounded_over_a_batch_of_prospects_with_their_own_text(monkeypatch):
    from deckgen.engine.layout import fitting

    monkeypatch.setattr(fitting, "MAX_CELLS", 10)
    compiled = compile_in_memory(_prices(5.5), min_font_size=14)
    for n in range(12):  # every deck, every row its own description: 4 cells none seen before, each deck
        services = [{"name": f"Service {i}", "description": f"{DESCRIPTION} ({n}.{i})", "price": i} for i in range(4)]
        render(compiled, {"services": services})
    assert 0 < len(compiled.fitting.cells) <= 10 + 15  # the bound, plus at most one table's cells past it
