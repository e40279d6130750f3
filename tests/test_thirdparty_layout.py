"""Company templates' layout: tables whose text grows them, tables in groups, footers, tags on the master."""

from __future__ import annotations

import io
import zipfile

import pytest
from pptx.util import Inches, Pt

from deckgen.check import check_deck
from deckgen.engine import render
from deckgen.errors import TextFitWarning, TextOverflowError
from tests.engine.builders import TemplateBuilder, compile_in_memory

LONG = (
    "We standardise every client on one proven security baseline and track down why each problem happened, "
    "so it stays fixed; their IT gets attention only when it fails, so the same outages return"
)
CONTEXT = {"msp": {"name": "Ridgeline Managed IT Services"}, "usp": {"differentiator": LONG}}


def table_warnings(rendered) -> list[str]:
    return [str(w) for w in rendered.warnings if isinstance(w, TextFitWarning) and "table" in str(w)]


def test_a_table_whose_long_value_wraps_past_the_slide_is_named_at_build_as_check_names_it(tmp_path):
    b = TemplateBuilder()
    b.new_slide()
    frame = b.table("Why us", [["Why", "{{ usp.differentiator }} {{ usp.differentiator }}"]])
    frame.top, frame.height = Inches(5.5), Inches(0.5)
    for cell in (frame.table.cell(0, 0), frame.table.cell(0, 1)):
        cell.text_frame.paragraphs[0].runs[0].font.size = Pt(24)
    rendered = render(compile_in_memory(b), CONTEXT)
    said = table_warnings(rendered)
    assert len(said) == 1, said
    assert said[0].startswith("slide 1, table 'Why us': the text in its 1 row makes it")
    assert "past the bottom of the slide" in said[0] and "shorten the text in its cells" in said[0]
    deck = tmp_path / "deck.pptx"
    deck.write_bytes(rendered.data)
    assert any(p.shape == "Why us" and p.kind == "off-slide" for p in check_deck(deck).problems)


def test_a_table_with_short_values_gives_no_warning():
    b = TemplateBuilder()
    b.new_slide()
    b.table("Why us", [["Who", "{{ msp.name }}"]])
    assert table_warnings(render(compile_in_memory(b), CONTEXT)) == []


def _grouped_table(top_in: float) -> TemplateBuilder:
    """A group holding a caption and a prices table whose second row repeats per service."""
    from lxml import etree

    b = TemplateBuilder()
    b.new_slide()
    group = b.slide.shapes.add_group_shape()
    group.name = "Prices group"
    caption = group.shapes.add_textbox(Inches(0.5), Inches(top_in - 0.5), Inches(4), Inches(0.4))
    caption.text_frame.text = "Our prices"
    emu = int(top_in * 914400)
    cell = (
        '<a:tc><a:txBody><a:bodyPr/><a:lstStyle/><a:p><a:r><a:rPr lang="en-US"/><a:t>{}</a:t></a:r></a:p>'
        "</a:txBody><a:tcPr/></a:tc>"
    )
    row = '<a:tr h="370840">' + "{}" + "</a:tr>"
    xml = (
        '<p:graphicFrame xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main" '
        'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"><p:nvGraphicFramePr>'
        '<p:cNvPr id="90" name="Grouped prices"/><p:cNvGraphicFramePr><a:graphicFrameLocks noGrp="1"/>'
        f'</p:cNvGraphicFramePr><p:nvPr/></p:nvGraphicFramePr><p:xfrm><a:off x="457200" y="{emu}"/>'
        '<a:ext cx="3657600" cy="741680"/></p:xfrm><a:graphic><a:graphicData '
        'uri="http://schemas.openxmlformats.org/drawingml/2006/table"><a:tbl><a:tblPr/><a:tblGrid>'
        '<a:gridCol w="1828800"/><a:gridCol w="1828800"/></a:tblGrid>'
        + row.format(cell.format("Service") + cell.format("Price"))
        + row.format(cell.format("{% for s in services %}{{ s.name }}") + cell.format("{{ s.price }}{% endfor %}"))
        + "</a:tbl></a:graphicData></a:graphic></p:graphicFrame>"
    )
    group._element.append(etree.fromstring(xml))
    return b


def test_a_grouped_table_pushed_off_the_slide_by_its_rows_is_named():
    services = {"services": [{"name": f"Service {i}", "price": i} for i in range(8)]}
    said = table_warnings(render(compile_in_memory(_grouped_table(5.0)), services))
    assert len(said) == 1, said
    assert said[0].startswith("slide 1, table 'Grouped prices': its 9 rows make it")
    assert "past the bottom of the slide" in said[0]
    assert table_warnings(render(compile_in_memory(_grouped_table(1.5)), services)) == []


def _footer(b: TemplateBuilder, placeholder: str | None):
    """A 12 pt one-line box for ``{{ msp.name }}`` at the slide's foot: a footer placeholder, or a text box."""
    box = b.text("Footer 4", "{{ msp.name }} · {{ msp.name }} · {{ msp.name }}")
    box.left, box.top, box.width, box.height = Inches(0.5), Inches(7.0), Inches(6), Inches(0.3)
    box.text_frame.word_wrap = True
    box.text_frame.paragraphs[0].runs[0].font.size = Pt(12)
    body = box.text_frame._txBody.bodyPr
    for child in list(body):
        body.remove(child)
    if placeholder:
        from lxml import etree

        nv_pr = box._element.nvSpPr.nvPr
        nv_pr.append(
            etree.fromstring(
                f'<p:ph xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main" type="{placeholder}" '
                'sz="quarter" idx="11"/>'
            )
        )
    return box


@pytest.mark.parametrize("kind", ["ftr", "dt"])
def test_a_footer_set_under_min_font_size_is_shrunk_rather_than_failing_the_build(kind):
    b = TemplateBuilder()
    b.new_slide()
    _footer(b, kind)
    rendered = render(compile_in_memory(b, min_font_size=14), CONTEXT)
    (shrunk,) = rendered.shrinks
    assert shrunk.shape == "Footer 4" and shrunk.from_pt == 12 and 9 <= shrunk.to_pt < 12


def test_a_small_text_box_that_is_no_footer_still_fails_saying_it_is_under_the_minimum():
    b = TemplateBuilder()
    b.new_slide()
    _footer(b, None)
    with pytest.raises(TextOverflowError) as err:
        render(compile_in_memory(b, min_font_size=14), CONTEXT)
    assert "already smaller than min_font_size (14 pt), so it is not shrunk" in str(err.value)


def test_a_footer_too_long_even_at_three_quarters_of_its_size_fails_naming_that_size():
    b = TemplateBuilder()
    b.new_slide()
    _footer(b, "ftr")
    with pytest.raises(TextOverflowError) as err:
        render(compile_in_memory(b, min_font_size=14), {"msp": {"name": LONG}})
    assert "even at 9 pt, the smallest a footer is shrunk to" in str(err.value)


def test_a_tag_typed_on_a_layout_is_named_when_the_template_compiles():
    b = TemplateBuilder()
    b.new_slide()
    b.text("Title", "{{ msp.name }}")
    data = b.to_bytes()
    items = {}
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        items = {i.filename: z.read(i) for i in z.infolist()}
    layout = "ppt/slideLayouts/slideLayout7.xml"  # the blank layout the builder's slides use
    items[layout] = items[layout].replace(
        b"</p:spTree>",
        b'<p:sp><p:nvSpPr><p:cNvPr id="30" name="Prepared for"/><p:cNvSpPr txBox="1"/><p:nvPr/></p:nvSpPr>'
        b'<p:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="914400" cy="365760"/></a:xfrm></p:spPr><p:txBody>'
        b"<a:bodyPr/><a:lstStyle/><a:p><a:r><a:t>Prepared for {{ prospect.company }}</a:t></a:r></a:p>"
        b"</p:txBody></p:sp></p:spTree>",
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for name, body in items.items():
            z.writestr(name, body)
    b.to_bytes = lambda: out.getvalue()  # compile these bytes
    said = [w.message for w in compile_in_memory(b).warnings]
    assert any(
        m.startswith("layout 'Blank', shape 'Prepared for': {{ prospect.company }} is on layout 'Blank'")
        and "every deck shows it as typed" in m
        for m in said
    ), said


def _typed(*pieces: str) -> TemplateBuilder:
    """A text box whose paragraph holds ``pieces`` as runs, with a line break (Shift+Enter) where one is ''."""
    from lxml import etree

    b = TemplateBuilder()
    b.new_slide()
    box = b.text("Greeting", "x")
    p = box.text_frame.paragraphs[0]._p
    for child in list(p):
        p.remove(child)
    a = "http://schemas.openxmlformats.org/drawingml/2006/main"
    for piece in pieces:
        if piece:
            run = etree.SubElement(p, f"{{{a}}}r")
            etree.SubElement(run, f"{{{a}}}rPr", lang="en-US")
            etree.SubElement(run, f"{{{a}}}t").text = piece
        else:
            etree.SubElement(p, f"{{{a}}}br")
    return b


def test_a_tag_split_by_a_line_break_says_so():
    from deckgen.errors import TemplateError

    with pytest.raises(TemplateError) as err:
        compile_in_memory(_typed("Hello {{ prospect.", "", "company }}"))
    assert "a tag opened with '{{' is never closed: a line break (Shift+Enter) splits it" in str(err.value)
    with pytest.raises(TemplateError) as err:
        compile_in_memory(_typed("Hello {{ prospect.company", "", "welcome"))
    assert "never closed" in str(err.value) and "line break" not in str(err.value)
    compile_in_memory(_typed("Hello {{ prospect.company }}", "", "welcome {{ msp.name }}"))  # one a line: fine
