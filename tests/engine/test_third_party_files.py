"""Templates the way other tools save them: LibreOffice's rotated text, Strict Open XML, grown tables."""

from __future__ import annotations

import io
import zipfile

import pytest
from pptx.util import Inches

from deckgen.authoring import lint_template
from deckgen.engine import render
from deckgen.engine.opc import read_package
from deckgen.errors import InputError, TextFitWarning
from deckgen.load.templates import resolve_template
from tests.engine.builders import TemplateBuilder, compile_in_memory
from tests.engine.test_fitting import frame_of, para

CONTEXT = {"msp": {"name": "Ridgeline Managed IT Services"}}


@pytest.mark.parametrize("rot", ["16200000", "5400000", "-5400000"])
def test_text_libreoffice_turns_a_quarter_is_vertical_text(rot):
    # LibreOffice saves PowerPoint's vertical text (vert="vert270") as a rotated body instead; its line
    # runs along the box's height, so measuring it against the narrow width would fail a fine template
    text = para("Ridgeline Managed IT Services", sz=1800)
    assert frame_of(text, cx=0.6, cy=5, body='wrap="none"') is not None  # measured, and far too wide
    assert frame_of(text, cx=0.6, cy=5, body=f'wrap="none" rot="{rot}"') is None  # vertical: not measured
    assert frame_of(text, cx=0.6, cy=5, body='wrap="none" rot="10800000"') is not None  # upside down: a line


def test_a_rotated_libreoffice_text_box_builds_under_fit_fail():
    b = TemplateBuilder()
    b.new_slide()
    box = b.slide.shapes.add_textbox(Inches(12), Inches(1), Inches(0.6), Inches(5))
    box.name = "Side label"
    box.text_frame.text = "{{ msp.name }}"
    body = box.text_frame._txBody.bodyPr
    body.set("wrap", "none")
    body.set("rot", "16200000")
    rendered = render(compile_in_memory(b, fit="fail"), CONTEXT)
    assert b"Ridgeline Managed IT Services" in zipfile.ZipFile(io.BytesIO(rendered.data)).read("ppt/slides/slide1.xml")


def _strict(data: bytes) -> bytes:
    """The package with ISO/IEC 29500 Strict namespaces, as PowerPoint's 'Strict Open XML' save writes them."""
    pairs = [
        (
            "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
            "http://purl.oclc.org/ooxml/officeDocument/relationships",
        ),
        (
            "http://schemas.openxmlformats.org/presentationml/2006/main",
            "http://purl.oclc.org/ooxml/presentationml/main",
        ),
        ("http://schemas.openxmlformats.org/drawingml/2006/main", "http://purl.oclc.org/ooxml/drawingml/main"),
    ]
    src, out = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        for name in src.namelist():
            body = src.read(name)
            if name.endswith((".xml", ".rels")):
                for old, new in pairs:
                    body = body.replace(old.encode(), new.encode())
            zf.writestr(name, body)
    return out.getvalue()


def test_strict_open_xml_is_refused_by_name_not_read_as_a_deck_without_slides():
    b = TemplateBuilder()
    b.new_slide()
    b.text("Title", "{{ msp.name }}")
    data = b.to_bytes()
    read_package(data, "ours.pptx")  # the usual format reads
    with pytest.raises(InputError) as err:
        read_package(_strict(data), "strict.pptx")
    assert "Strict Open XML" in err.value.message and "PowerPoint Presentation (*.pptx)" in err.value.message
    assert err.value.file == "strict.pptx"


def _priced(chart_top: float) -> TemplateBuilder:
    """A prices table whose second row repeats per service, a chart ``chart_top`` inches down."""
    b = TemplateBuilder()
    b.new_slide()
    table = b.slide.shapes.add_table(2, 2, Inches(0.5), Inches(1), Inches(6), Inches(1))
    table.name = "Prices"
    cells = table.table
    cells.cell(0, 0).text, cells.cell(0, 1).text = "Service", "Price"
    cells.cell(1, 0).text = "{% for s in services %}{{ s.name }}"
    cells.cell(1, 1).text = "{{ s.price }}{% endfor %}"
    chart = b.chart("Fit chart")
    chart.top = Inches(chart_top)
    return b


SERVICES = {"services": [{"name": f"Service {i}", "price": i} for i in range(6)]}


def test_a_table_whose_rows_repeat_over_a_chart_is_named_in_a_warning():
    rendered = render(compile_in_memory(_priced(2.2)), SERVICES)
    grown = [str(w) for w in rendered.warnings if isinstance(w, TextFitWarning) and "table" in str(w)]
    assert len(grown) == 1
    assert grown[0].startswith("slide 1, table 'Prices': its 7 rows make it")
    assert "now covers 'Fit chart'" in grown[0]
    # the same slide again (the render cache hands back the part): the warning comes again
    again = render(compile_in_memory(_priced(2.2)), SERVICES)
    assert [str(w) for w in again.warnings if "table" in str(w)] == grown


def test_a_table_with_room_under_it_or_few_rows_gives_no_warning():
    roomy = render(compile_in_memory(_priced(5.5)), {"services": SERVICES["services"][:2]})
    assert not [w for w in roomy.warnings if "table" in str(w)]
    one_row = render(compile_in_memory(_priced(2.2)), {"services": SERVICES["services"][:1]})
    assert not [w for w in one_row.warnings if "table" in str(w)]


def test_a_table_pushed_off_the_slide_says_how_far():
    b = _priced(2.2)
    b.slide.shapes[-1]._element.getparent().remove(b.slide.shapes[-1]._element)  # no chart under it
    many = {"services": [{"name": f"S{i}", "price": i} for i in range(30)]}
    warning = [str(w) for w in render(compile_in_memory(b), many).warnings if "table" in str(w)]
    assert len(warning) == 1 and "past the bottom of the slide" in warning[0]


_P = 'xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main"'


def _appear(ctn: int, spid: int, paragraph: int) -> str:
    """One click that shows paragraph ``paragraph`` of shape ``spid`` (PowerPoint's 'Appear', by paragraph)."""
    return (
        f'<p:par><p:cTn id="{ctn}" fill="hold"><p:stCondLst><p:cond delay="indefinite"/></p:stCondLst><p:childTnLst>'
        f'<p:par><p:cTn id="{ctn + 1}" presetID="1" presetClass="entr" presetSubtype="0" fill="hold" grpId="0" '
        'nodeType="clickEffect"><p:stCondLst><p:cond delay="0"/></p:stCondLst><p:childTnLst><p:set><p:cBhvr>'
        f'<p:cTn id="{ctn + 2}" dur="1" fill="hold"><p:stCondLst><p:cond delay="0"/></p:stCondLst></p:cTn>'
        f'<p:tgtEl><p:spTgt spid="{spid}"><p:txEl><p:pRg st="{paragraph}" end="{paragraph}"/></p:txEl></p:spTgt>'
        "</p:tgtEl><p:attrNameLst><p:attrName>style.visibility</p:attrName></p:attrNameLst></p:cBhvr><p:to>"
        '<p:strVal val="visible"/></p:to></p:set></p:childTnLst></p:cTn></p:par></p:childTnLst></p:cTn></p:par>'
    )


def _animated(*paragraphs: str) -> TemplateBuilder:
    """One text box holding ``paragraphs``, each shown on its own click, as PowerPoint saves it."""
    from lxml import etree

    b = TemplateBuilder()
    b.new_slide()
    box = b.text("Bullets", *paragraphs)
    clicks = "".join(_appear(3 + 3 * i, box.shape_id, i) for i in range(len(paragraphs)))
    b.slide._element.append(
        etree.fromstring(
            f'<p:timing {_P}><p:tnLst><p:par><p:cTn id="1" dur="indefinite" restart="never" nodeType="tmRoot">'
            '<p:childTnLst><p:seq concurrent="1" nextAc="seek"><p:cTn id="2" dur="indefinite" nodeType="mainSeq">'
            f"<p:childTnLst>{clicks}</p:childTnLst></p:cTn></p:seq></p:childTnLst></p:cTn></p:par></p:tnLst>"
            f'<p:bldLst><p:bldP spid="{box.shape_id}" grpId="0" build="p"/></p:bldLst></p:timing>'
        )
    )
    return b


def test_by_paragraph_animation_on_a_paragraph_loop_animates_the_whole_box():
    # with no pain points the box keeps 2 paragraphs, and an effect naming paragraph 2 makes PowerPoint repair
    b = _animated("Intro", "{% for p in prospect.pain_points %}{{ p }}{% endfor %}", "Closing")
    compiled = compile_in_memory(b)
    assert [(w.slides, w.shape) for w in compiled.warnings if "By paragraph" in w.message] == [((1,), "Bullets")]
    for pains in ([], ["a", "b", "c", "d"]):
        slide = zipfile.ZipFile(io.BytesIO(render(compiled, {"prospect": {"pain_points": pains}}).data)).read(
            "ppt/slides/slide1.xml"
        )
        assert b"<p:pRg" not in slide and slide.count(b'<p:spTgt spid="2"/>') == 3
        assert b'<p:bldP spid="2" grpId="0" build="whole"/>' in slide


def test_by_paragraph_animation_on_fixed_paragraphs_is_kept():
    b = _animated("Hello {{ msp.name }}", "Second", "Third")
    compiled = compile_in_memory(b)
    assert not [w for w in compiled.warnings if "By paragraph" in w.message]
    slide = zipfile.ZipFile(io.BytesIO(render(compiled, CONTEXT).data)).read("ppt/slides/slide1.xml")
    assert slide.count(b"<p:pRg") == 3 and b'build="p"' in slide


def test_lint_names_by_paragraph_animation_and_hidden_slides(tmp_path):
    b = _animated("Intro", "{% for p in prospect.pain_points %}{{ p }}{% endfor %}")
    b.new_slide()  # a second slide, hidden in PowerPoint (Slide Show › Hide Slide)
    b.text("Internal", "Pricing floor for {{ prospect.company }}")
    b.slide._element.set("show", "0")
    report = lint_template(b.save(tmp_path / "t"))
    found = [(f.slide, f.shape, f.message) for f in report.warnings]
    assert any(s == 1 and sh == "Bullets" and "By paragraph" in m for s, sh, m in found)
    assert any(s == 2 and "this slide is hidden" in m for s, _, m in found)
    assert not any(s == 1 and "hidden" in m for s, _, m in found)


def test_a_macro_enabled_file_is_refused_with_the_way_to_save_it(tmp_path):
    folder = tmp_path / "corp"
    folder.mkdir()
    (folder / "template.pptm").write_bytes(b"PK")
    for where in (folder, folder / "template.pptm"):
        with pytest.raises(InputError) as err:
            resolve_template(where)
        assert "template.pptm is macro-enabled" in err.value.message and "(*.pptx)" in err.value.message
