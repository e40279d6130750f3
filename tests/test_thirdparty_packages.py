"""Company templates saved by other tools: part names in another case, custom shows, outside links."""

from __future__ import annotations

import io
import re
import zipfile

import pytest
from pptx.util import Inches

from deckgen import engine
from deckgen.authoring import lint_template
from deckgen.engine import render
from deckgen.engine.opc import read_package
from deckgen.errors import UnsafeInputError
from deckgen.export.pdf import convert_pdfs
from deckgen.sales.context import unknown_path
from deckgen.sales.locales import make_filters
from tests import tools
from tests.engine.builders import TemplateBuilder, memory_brand

CONTEXT = {"msp": {"name": "Ridgeline Managed IT Services"}, "prospect": {"company": "Alamo Family Dental"}}
P14 = "http://schemas.microsoft.com/office/powerpoint/2010/main"


def members(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return {i.filename: z.read(i) for i in z.infolist()}


def pack(items: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, body in items.items():
            z.writestr(name, body)
    return out.getvalue()


def compile_bytes(data: bytes, builder: TemplateBuilder):
    look = memory_brand()
    return engine.compile(
        data,
        builder.spec(),
        label="corp.pptx",
        theme=look.theme(),
        logo=look.logo,
        logo_dark=look.logo_dark,
        locale_filters=make_filters,
        unknown_variable=unknown_path,
    )


def one_slide(*slides: str) -> TemplateBuilder:
    b = TemplateBuilder()
    for text in slides or ("{{ prospect.company }}",):
        b.new_slide()
        b.text("Title", text)
    return b


# ------------------------------------------------------------------ part names in another case


def test_content_type_overrides_in_upper_case_still_type_the_decks_slides_and_theme(tmp_path):
    # Google Slides and some converters name parts '/PPT/SLIDES/SLIDE1.XML' in [Content_Types].xml; part
    # names ignore case, so PowerPoint reads it, but every deck lost its slide's content type and the
    # brand never reached the theme
    b = one_slide()
    items = members(b.to_bytes())
    items["[Content_Types].xml"] = re.sub(
        rb'PartName="(/ppt/(?:slides/slide1|theme/theme1)\.xml)"',
        lambda m: b'PartName="' + m.group(1).upper() + b'"',
        items["[Content_Types].xml"],
    )
    assert b"/PPT/SLIDES/SLIDE1.XML" in items["[Content_Types].xml"]
    deck = members(render(compile_bytes(pack(items), b), CONTEXT).data)
    types = deck["[Content_Types].xml"].decode()
    assert 'PartName="/ppt/slides/slide1.xml" ContentType="application/vnd.openxmlformats-officedocument.' in types
    assert "/PPT/" not in types
    assert b"123456" in deck["ppt/theme/theme1.xml"]  # the brand's primary colour: the theme was rebranded
    path = tmp_path / "deck.pptx"
    path.write_bytes(pack(deck))
    assert tools.validate_ooxml(path) == []


# ------------------------------------------------------------------ sections and custom shows


def with_sections_and_show(b: TemplateBuilder, show_setting: bool = True) -> bytes:
    """The template with two sections, a custom show 'Short', and (``show_setting``) the slide show set to it."""
    items = members(b.to_bytes())
    pres = items["ppt/presentation.xml"].decode()
    ids = re.findall(r'<p:sldId id="(\d+)" r:id="(rId\d+)"/>', pres)
    show = f'<p:custShowLst><p:custShow name="Short" id="0"><p:sldLst><p:sld r:id="{ids[0][1]}"/></p:sldLst>'
    pres = pres.replace("<p:defaultTextStyle>", show + "</p:custShow></p:custShowLst><p:defaultTextStyle>")
    sections = "".join(
        f'<p14:section name="{name}" id="{{1111111{n}-1111-1111-1111-111111111111}}"><p14:sldIdLst>'
        f'<p14:sldId id="{sid}"/></p14:sldIdLst></p14:section>'
        for n, (name, (sid, _)) in enumerate(zip(("Intro", "Body"), ids))
    )
    pres = pres.replace(
        "</p:presentation>",
        f'<p:extLst><p:ext uri="{{521415D9-36F7-43E2-AB2F-B90AF26B5E84}}"><p14:sectionLst xmlns:p14="{P14}">'
        f"{sections}</p14:sectionLst></p:ext></p:extLst></p:presentation>",
    )
    items["ppt/presentation.xml"] = pres.encode()
    if show_setting:
        items["ppt/presProps.xml"] = re.sub(
            rb"(<p:presentationPr[^>]*>)",
            rb'\1<p:showPr loop="1" showNarration="1"><p:custShow id="0"/></p:showPr>',
            items["ppt/presProps.xml"],
            count=1,
        )
    return pack(items)


def test_sections_and_custom_shows_are_dropped_with_a_warning_and_the_show_plays_all_slides():
    b = one_slide("{{ prospect.company }}", "{{ msp.name }}")
    compiled = compile_bytes(with_sections_and_show(b), b)
    said = [w.message for w in compiled.warnings]
    assert any("sections ('Intro', 'Body')" in m and "custom slide shows ('Short')" in m for m in said), said
    assert any("set to show a custom show" in m and "all its slides" in m for m in said), said
    deck = members(render(compiled, CONTEXT).data)
    props = deck["ppt/presProps.xml"]
    assert b"<p:sldAll/>" in props and b"custShow" not in props
    assert b"custShow" not in deck["ppt/presentation.xml"] and b"sectionLst" not in deck["ppt/presentation.xml"]


def test_a_template_without_show_settings_keeps_its_slide_show_properties_as_they_are():
    b = one_slide()
    compiled = compile_bytes(b.to_bytes(), b)
    assert not [w for w in compiled.warnings if "slide show" in w.message or "sections" in w.message]
    deck = members(render(compiled, CONTEXT).data)
    assert deck["ppt/presProps.xml"] == members(b.to_bytes())["ppt/presProps.xml"]


def test_lint_names_the_sections_custom_shows_and_the_show_setting(tmp_path):
    b = one_slide("{{ prospect.company }}", "{{ msp.name }}")
    pptx = tmp_path / "corp.pptx"
    pptx.write_bytes(with_sections_and_show(b))
    said = [f.message for f in lint_template(pptx).warnings]
    assert any("custom slide shows ('Short')" in m for m in said), said
    assert any("Set Up Slide Show" in m for m in said), said


@pytest.mark.slow
def test_a_deck_from_a_template_set_to_a_custom_show_converts_in_libreoffice(tmp_path):
    # the show setting named a custom show no deck has: LibreOffice failed with 'Unspecified Application Error'
    tools.soffice_path()
    b = one_slide("{{ prospect.company }}", "{{ msp.name }}")
    deck = tmp_path / "deck.pptx"
    deck.write_bytes(render(compile_bytes(with_sections_and_show(b), b), CONTEXT).data)
    result = convert_pdfs([deck], tmp_path / "pdf")[deck]
    assert not isinstance(result, Exception), result
    assert tools.pdf_page_count(result) == 2


# ------------------------------------------------------------------ links outside the file


def test_a_link_to_a_file_on_a_drive_is_refused_naming_slide_and_shape():
    b = TemplateBuilder()
    b.new_slide()
    b.new_slide()
    box = b.slide.shapes.add_textbox(Inches(1), Inches(1), Inches(6), Inches(1))
    box.name = "Pricing link"
    box.text_frame.text = "Our price list"
    box.text_frame.paragraphs[0].runs[0].hyperlink.address = "file:///C:/Users/jdoe/Pricing.xlsx"
    with pytest.raises(UnsafeInputError) as err:
        read_package(b.to_bytes(), "corp.pptx")
    message = err.value.message
    assert "(slide 2, shape 'Pricing link')" in message and "file:///C:/Users/jdoe/Pricing.xlsx" in message
    assert "Remove Link" in message


def test_an_online_video_is_refused_without_calling_its_https_address_one_that_is_kept():
    b = one_slide()
    items = members(b.to_bytes())
    rels = "ppt/slides/_rels/slide1.xml.rels"
    items[rels] = items[rels].replace(
        b"</Relationships>",
        b'<Relationship Id="rId70" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/video"'
        b' Target="https://www.youtube.com/watch?v=abc" TargetMode="External"/></Relationships>',
    )
    items["ppt/slides/slide1.xml"] = items["ppt/slides/slide1.xml"].replace(
        b"</p:spTree>",
        b'<p:pic><p:nvPicPr><p:cNvPr id="70" name="Online Media 1"/><p:cNvPicPr/><p:nvPr>'
        b'<a:videoFile r:link="rId70"/></p:nvPr></p:nvPicPr><p:blipFill/><p:spPr/></p:pic></p:spTree>',
    )
    with pytest.raises(UnsafeInputError) as err:
        read_package(pack(items), "corp.pptx")
    message = err.value.message
    assert "(slide 1, shape 'Online Media 1') has an external video" in message
    assert "https links are kept" not in message and "insert it into the file" in message


# ------------------------------------------------------------------ links to other slides


def _jumping() -> TemplateBuilder:
    """Slide 1 links to slides 2 and 3 (Insert › Link › Place in This Document); slide 2 is conditional."""
    b = TemplateBuilder()
    first = b.new_slide()
    b.text("Title", "{{ prospect.company }}")
    middle = b.new_slide(notes="{%slide for dm in prospect.pain_points %}")
    b.text("Title", "Meet {{ dm }}")
    last = b.new_slide()
    b.text("Title", "Next steps")
    for name, target in (("To people", middle), ("To next steps", last)):
        box = first.shapes.add_textbox(Inches(1), Inches(2 + len(first.shapes)), Inches(6), Inches(0.6))
        box.name = name
        box.text_frame.text = name
        box.click_action.target_slide = target
    return b


def _slide_jumps(deck: dict[str, bytes]) -> dict[str, str]:
    """Each jump's shape on slide 1 → the title on the slide it lands on."""
    from lxml import etree

    ns = {
        "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
        "p": "http://schemas.openxmlformats.org/presentationml/2006/main",
        "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    }
    rels = dict(
        re.findall(
            r'Id="(rId\d+)" Type="[^"]*/slide" Target="([^"]*)"', deck["ppt/slides/_rels/slide1.xml.rels"].decode()
        )
    )
    found = {}
    for sp in etree.fromstring(deck["ppt/slides/slide1.xml"]).iterfind(".//p:sp", ns):
        link = sp.find(".//a:hlinkClick", ns)
        if link is not None:
            landed = etree.fromstring(deck["ppt/slides/" + rels[link.get(f"{{{ns['r']}}}id")]])
            found[sp.find(".//p:cNvPr", ns).get("name")] = landed.find(".//a:t", ns).text
    return found


def test_a_link_to_another_slide_lands_on_that_slide_whatever_slides_the_deck_drops_or_repeats():
    b = _jumping()
    compiled = compile_bytes(b.to_bytes(), b)
    two = members(render(compiled, {**CONTEXT, "prospect": {"company": "Acme", "pain_points": ["Ann", "Bo"]}}).data)
    assert _slide_jumps(two) == {"To people": "Meet Ann", "To next steps": "Next steps"}
    none = members(render(compiled, {**CONTEXT, "prospect": {"company": "Acme", "pain_points": []}}).data)
    # the people slide is left out: its link goes (the text stays), the other still lands on 'Next steps'
    assert _slide_jumps(none) == {"To next steps": "Next steps"}
    assert b">To people<" in none["ppt/slides/slide1.xml"]
    assert b'Target="slide3.xml"' not in none["ppt/slides/_rels/slide1.xml.rels"]
