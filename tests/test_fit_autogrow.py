"""Text boxes that grow with their text (spAutoFit) stop at the shape under them, not only at the slide's edge."""

from __future__ import annotations

import pytest
from pptx.util import Inches, Pt

from deckgen.engine import render
from deckgen.errors import TextOverflowError
from tests.engine.builders import TemplateBuilder, compile_in_memory

PROBLEM = (
    "Their IT gets attention only when it fails, so the same outages return and nobody can vouch for the safety "
    "of their patient, client or card data."
)
CONTEXT = {"usp": {"problem": PROBLEM}}


def _growing_box(b: TemplateBuilder, top: float = 1.0, text: str = "{{ usp.problem }} {{ usp.problem }}"):
    """An 8 in wide, 1 in high text box at 32 pt that wraps and grows with its text (PowerPoint's default)."""
    box = b.text("Grows", text)
    box.left, box.top, box.width, box.height = Inches(0.5), Inches(top), Inches(8), Inches(1)
    box.text_frame.word_wrap = True
    box.text_frame.paragraphs[0].runs[0].font.size = Pt(32)
    assert (
        box.text_frame._txBody.bodyPr.find("{http://schemas.openxmlformats.org/drawingml/2006/main}spAutoFit")
        is not None
    )
    return box


def _shape(b: TemplateBuilder, name: str, left: float, top: float, width: float = 8, height: float = 1):
    shape = b.slide.shapes.add_shape(1, Inches(left), Inches(top), Inches(width), Inches(height))
    shape.name = name
    return shape


def _template(*shapes: tuple, text: str | None = None) -> TemplateBuilder:
    b = TemplateBuilder()
    b.new_slide()
    if text is None:
        _growing_box(b)
    else:
        _growing_box(b, text=text)
    for shape in shapes:
        _shape(b, *shape)
    return b


def test_a_growing_box_that_would_grow_over_the_shape_under_it_shrinks_to_end_above_it():
    rendered = render(compile_in_memory(_template(("Band", 0.5, 4.0)), min_font_size=14), CONTEXT)
    (shrunk,) = rendered.shrinks
    assert shrunk.shape == "Grows" and shrunk.from_pt == 32 and 14 <= shrunk.to_pt < 32
    assert str(shrunk) == f"slide 1, shape 'Grows': text shrunk from 32 pt to {shrunk.to_pt:g} pt to fit its box"


def test_with_nothing_under_it_the_box_grows_to_the_slide_edge_and_keeps_its_size():
    assert render(compile_in_memory(_template(), min_font_size=14), CONTEXT).shrinks == []


def test_a_shape_beside_it_does_not_stop_it():
    rendered = render(compile_in_memory(_template(("Side panel", 9.0, 3.0, 3, 2)), min_font_size=14), CONTEXT)
    assert rendered.shrinks == []


def test_a_shape_it_already_covered_in_the_template_does_not_stop_it():
    behind = ("Panel behind", 0.3, 0.8, 9, 3.5)  # a filled panel the box sits on
    assert render(compile_in_memory(_template(behind), min_font_size=14), CONTEXT).shrinks == []


def test_the_nearest_shape_under_it_is_the_limit():
    both = _template(("Far", 0.5, 4.0), ("Near", 6.0, 3.0, 2, 1))
    (near,) = render(compile_in_memory(both, min_font_size=14), CONTEXT).shrinks
    (far,) = render(compile_in_memory(_template(("Far", 0.5, 4.0)), min_font_size=14), CONTEXT).shrinks
    assert near.to_pt < far.to_pt


def test_too_long_even_at_min_font_size_fails_naming_slide_and_shape():
    long = " ".join(["{{ usp.problem }}"] * 4)
    with pytest.raises(TextOverflowError) as err:
        render(compile_in_memory(_template(("Band", 0.5, 3.0), text=long), min_font_size=20), CONTEXT)
    assert str(err.value).startswith("slide 1, shape 'Grows': the text of {{ usp.problem }} is too long for its box")
    assert "even at 20 pt, the smallest allowed" in str(err.value)


def test_the_same_box_on_a_slide_without_a_shape_under_it_does_not_hide_the_one_with_it():
    """Shapes known to fit are remembered by their XML: the room under a box must be part of what is remembered."""
    b = TemplateBuilder()
    b.new_slide()
    _growing_box(b)
    b.new_slide()
    _growing_box(b)
    _shape(b, "Band", 0.5, 4.0)
    rendered = render(compile_in_memory(b, min_font_size=14), CONTEXT)
    assert [(s.slide, s.shape) for s in rendered.shrinks] == [(2, "Grows")]


def test_a_hidden_shape_under_it_does_not_stop_it():
    b = _template(("Band", 0.5, 4.0))
    b.slide.shapes[-1]._element.nvSpPr.cNvPr.set("hidden", "1")
    assert render(compile_in_memory(b, min_font_size=14), CONTEXT).shrinks == []
