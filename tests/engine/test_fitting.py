"""Text that always fits: frames are measured like PowerPoint lays them out, then shrunk or refused."""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
import zipfile

import pytest
from pptx import Presentation
from pptx.enum.text import MSO_AUTO_SIZE
from pptx.util import Inches, Pt

from deckgen.build import BuildOptions, DeckBuilder, compile_template
from deckgen.engine import render
from deckgen.engine.layout.fitting import Shrink
from deckgen.engine.layout.fonts import FONTS_DIR, FontBook
from deckgen.engine.layout.frame import read_frame
from deckgen.engine.layout.styles import DeckStyles
from deckgen.engine.opc import NS, parse_xml, q
from deckgen.engine.tags import own_name
from deckgen.errors import TextFitWarning, TextOverflowError
from deckgen.load.files import load_profile, load_prospect
from deckgen.resources import examples_dir
from tests.engine.builders import brand as make_test_brand
from tests.engine.builders import make_brand

CARLITO = FONTS_DIR / "Carlito-Regular.ttf"
SLIDE = "ppt/slides/slide1.xml"


# --------------------------------------------------------------------------- measuring one frame


def frame_of(
    paragraphs: str,
    *,
    cx: float = 4,
    cy: float = 2,
    body: str = 'lIns="0" rIns="0" tIns="0" bIns="0"',
    lst: str = "",
    theme: dict | None = None,
    fonts: FontBook | None = None,
):
    """A text box ``cx`` × ``cy`` inches holding ``paragraphs`` (DrawingML), ready to measure."""
    xml = (
        f'<p:sp xmlns:a="{NS["a"]}" xmlns:p="{NS["p"]}"><p:nvSpPr><p:cNvPr id="2" name="Box"/><p:cNvSpPr/>'
        f'<p:nvPr/></p:nvSpPr><p:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="{int(cx * 914400)}" '
        f'cy="{int(cy * 914400)}"/></a:xfrm></p:spPr><p:txBody><a:bodyPr {body}/><a:lstStyle>{lst}</a:lstStyle>'
        f"{paragraphs}</p:txBody></p:sp>"
    )
    sp = parse_xml(xml.encode())
    styles = DeckStyles(lambda part: None, "ppt/presentation.xml")
    return read_frame(sp, SLIDE, styles, fonts or FontBook(), theme or {"+mn-lt": "Carlito", "+mj-lt": "Carlito"})


def para(text: str, sz: int | None = 2000, ppr: str = "", latin: str | None = None) -> str:
    attrs = f' sz="{sz}"' if sz else ""
    font = f'<a:latin typeface="{latin}"/>' if latin else ""
    return f"<a:p>{ppr}<a:r><a:rPr{attrs}>{font}</a:rPr><a:t>{text}</a:t></a:r></a:p>"


def carlito_width(text: str, size_pt: float) -> float:
    from PIL import ImageFont

    font = ImageFont.truetype(str(CARLITO), 1000, layout_engine=ImageFont.Layout.BASIC)
    return sum(font.getlength(ch) for ch in text) / 1000 * size_pt


def test_a_line_is_as_wide_as_freetype_says_and_as_high_as_1_2_times_its_size():
    m = frame_of(para("Hello world")).measure()
    assert m.width == pytest.approx(carlito_width("Hello world", 20))
    assert m.height == pytest.approx(24.0)
    assert m.fits


def test_words_wrap_greedily_at_spaces():
    word = "lorem"
    room = carlito_width("lorem lorem lorem", 20) + 1  # three words a line, not four
    m = frame_of(para(" ".join([word] * 7)), cx=room / 72).measure()
    assert m.height == pytest.approx(3 * 24.0)  # 3 + 3 + 1 words


def test_a_word_longer_than_the_line_breaks_between_characters():
    room = carlito_width("abcdefghij", 20) + 0.5
    m = frame_of(para("abcdefghij" * 3), cx=room / 72).measure()
    assert m.height == pytest.approx(3 * 24.0)
    assert m.width <= m.available_width + 0.01


def test_explicit_line_breaks_and_paragraphs_add_lines():
    br = (
        '<a:p><a:r><a:rPr sz="2000"/><a:t>one</a:t></a:r><a:br><a:rPr sz="2000"/></a:br>'
        '<a:r><a:rPr sz="2000"/><a:t>two</a:t></a:r></a:p>'
    )
    assert frame_of(br + para("three")).measure().height == pytest.approx(3 * 24.0)


def test_line_spacing_and_space_before_and_after_count_but_not_after_the_last_paragraph():
    first = para(
        "one",
        ppr='<a:pPr><a:lnSpc><a:spcPct val="150000"/></a:lnSpc><a:spcAft><a:spcPts val="600"/></a:spcAft></a:pPr>',
    )
    second = para(
        "two",
        ppr='<a:pPr><a:lnSpc><a:spcPts val="3000"/></a:lnSpc><a:spcBef><a:spcPts val="1000"/>'
        '</a:spcBef><a:spcAft><a:spcPts val="5000"/></a:spcAft></a:pPr>',
    )
    assert frame_of(first + second).measure().height == pytest.approx(36 + 6 + 10 + 30)


def test_insets_default_to_a_tenth_inch_left_right_and_a_twentieth_top_bottom():
    m = frame_of(para("x"), cx=4, cy=2, body="")
    assert m.width == pytest.approx(4 * 72 - 14.4)
    assert m.height == pytest.approx(2 * 72 - 7.2)


def test_no_wrap_keeps_one_line_and_reports_the_width_overflow():
    text = "a fairly long line of text that cannot wrap"
    m = frame_of(para(text), cx=2, body='wrap="none" lIns="0" rIns="0"').measure()
    assert m.height == pytest.approx(24.0)
    assert m.width == pytest.approx(carlito_width(text, 20))
    assert not m.fits and m.direction == "wide"


def test_hanging_bullets_start_every_line_at_the_left_margin():
    ppr = '<a:pPr marL="457200" indent="-457200"><a:buChar char="•"/></a:pPr>'
    room = 36 + carlito_width("lorem lorem", 20) + 1
    m = frame_of(para("lorem lorem lorem lorem", ppr=ppr), cx=room / 72).measure()
    assert m.height == pytest.approx(2 * 24.0)  # without the bullet's margin it would take fewer lines


def test_sizes_come_from_the_run_else_the_list_style_else_18_pt():
    lst = '<a:lvl1pPr><a:defRPr sz="3000"/></a:lvl1pPr>'
    assert frame_of(para("x", sz=None), lst=lst).measure().height == pytest.approx(36.0)
    assert frame_of(para("x", sz=None)).measure().height == pytest.approx(18 * 1.2)


def test_theme_fonts_map_to_the_brand_heading_and_body():
    text = "Measured with the heading font"
    theme = {"+mj-lt": "Liberation Sans", "+mn-lt": "Carlito"}
    heading = frame_of(para(text, latin="+mj-lt"), cx=10, theme=theme).measure().width
    body = frame_of(para(text, latin="+mn-lt"), cx=10, theme=theme).measure().width
    assert body == pytest.approx(carlito_width(text, 20))
    assert heading > body * 1.05  # Liberation Sans (Arial's metrics) is wider than Carlito (Calibri's)


def test_calibri_and_arial_are_measured_with_their_metric_compatible_stand_ins():
    book = FontBook()
    assert book.choose("Calibri").path.name == "Carlito-Regular.ttf"
    assert book.choose("Arial", bold=True).path.name == "LiberationSans-Bold.ttf"
    assert book.choose("Calibri").source == "metric-compatible"


def test_the_brand_kits_own_font_files_come_first(tmp_path):
    copy = tmp_path / "brand-font.ttf"
    shutil.copyfile(FONTS_DIR / "LiberationSans-Regular.ttf", copy)
    book = FontBook([copy])
    choice = book.choose("Liberation Sans")
    assert choice.source == "brand" and choice.path == copy


def test_cjk_characters_take_one_em_each():
    m = frame_of(para("恒信物流有限公司"), cx=10).measure()
    assert m.width == pytest.approx(8 * 20, rel=0.02)


def test_cjk_text_wraps_between_any_two_characters():
    m = frame_of(para("恒信物流有限公司恒信物流"), cx=(5 * 20 + 1) / 72).measure()
    assert m.height == pytest.approx(3 * 24.0)


# --------------------------------------------------------------------------- fitting a rendered deck


def one_box_template(
    tmp_path, text: str, *, size: float = 28, width: float = 6, height: float = 1.5, other: str | None = None, **spec
) -> object:
    """A template with one word-wrapped text box named 'Pains' holding ``text`` at ``size`` pt
    (and a box named 'Other' holding ``other``)."""
    prs = Presentation()
    prs.slide_width, prs.slide_height = Inches(13.333), Inches(7.5)
    slide = prs.slides.add_slide(prs.slide_layouts[6])
    box = slide.shapes.add_textbox(Inches(1), Inches(1), Inches(width), Inches(height))
    box.name = "Pains"
    tf = box.text_frame
    tf.word_wrap = True
    tf.auto_size = MSO_AUTO_SIZE.NONE
    lines = text.split("\n")
    for i, line in enumerate(lines):
        p = tf.paragraphs[0] if i == 0 else tf.add_paragraph()
        run = p.add_run()
        run.text = line
        run.font.size = Pt(size)
    if other is not None:
        slide.shapes.add_textbox(Inches(1), Inches(5), Inches(6), Inches(1)).text_frame.text = other
    folder = tmp_path / "tpl"
    folder.mkdir(parents=True)
    prs.save(folder / "template.pptx")
    yaml = ["name: test"] + [f"{k}: {v}" for k, v in spec.items()]
    (folder / "template.yaml").write_text("\n".join(yaml) + "\n", encoding="utf-8")
    return compile_template(folder, make_test_brand(tmp_path))


def context(pains: list[str], notes: str = "") -> dict:
    return {"prospect": {"company": "Acme", "pain_points": pains, "notes": notes}, "msp": {"name": "Ridgeline"}}


LONG = (
    "Every laptop in the office is five years old and the line of business application crashes whenever "
    "two people open the same patient file at the same time, which happens most mornings."
)
LOOP = "{% for p in prospect.pain_points %}{{ p }}{% endfor %}"


def sizes_in(data: bytes) -> list[int]:
    xml = zipfile.ZipFile(io.BytesIO(data)).read(SLIDE).decode()
    return [int(s) for s in re.findall(r'<a:rPr[^>]*\ssz="(\d+)"', xml)]


def rendered_frame(data: bytes, name: str = "Pains"):
    """The frame of the shape called ``name`` on the first slide of a rendered deck."""
    pkg = zipfile.ZipFile(io.BytesIO(data))
    root = parse_xml(pkg.read(SLIDE))
    sp = next(sp for sp in root.iter(q("p:sp")) if own_name(sp) == name)
    styles = DeckStyles(lambda part: pkg.read(part) if part in pkg.namelist() else None, "ppt/presentation.xml")
    return read_frame(sp, SLIDE, styles, FontBook(), styles.theme_fonts(SLIDE))


def test_text_that_fits_is_left_exactly_as_rendered(tmp_path):
    ct = one_box_template(tmp_path, "{{ prospect.company }}")
    fitted = render(ct, context([]))
    assert render(ct, context([]), fit="ignore").data == fitted.data
    assert fitted.shrinks == [] and fitted.warnings == []


def test_long_text_shrinks_in_5_percent_steps_until_it_fits_and_the_shrink_is_reported(tmp_path):
    ct = one_box_template(tmp_path, LOOP, min_font_size=12)
    rendered = render(ct, context([LONG, LONG]))
    data = rendered.data
    (shrink,) = rendered.shrinks
    assert isinstance(shrink, Shrink)
    assert (shrink.slide, shrink.shape, shrink.from_pt) == (1, "Pains", 28)
    assert 12 <= shrink.to_pt < 28
    assert set(sizes_in(data)) == {round(shrink.to_pt * 100)}
    assert str(shrink) == f"slide 1, shape 'Pains': text shrunk from 28 pt to {shrink.to_pt:g} pt to fit its box"
    assert [str(w) for w in rendered.warnings] == [str(shrink)]
    assert all(isinstance(w, TextFitWarning) for w in rendered.warnings)
    assert rendered_frame(data).measure().fits
    original = rendered_frame(render(ct, context([LONG, LONG]), fit="ignore").data)
    steps = list(original.shrink_steps(12))
    assert [max(sizes) for sizes in steps[:3]] == [2650, 2500, 2400]  # 28 pt less 5, 10, 15 %, to half points
    fitting = [i for i, sizes in enumerate(steps) if original.measure(sizes).fits]
    assert max(steps[fitting[0]]) == round(shrink.to_pt * 100)  # the largest size that fits is the one chosen


def test_shrink_stops_at_min_font_size_and_then_fails_naming_slide_shape_and_field(tmp_path):
    ct = one_box_template(tmp_path, LOOP, min_font_size=20)
    with pytest.raises(TextOverflowError) as err:
        render(ct, context([LONG] * 4))
    message = str(err.value)
    assert "slide 1, shape 'Pains'" in message
    assert "{{ p }} (from prospect.pain_points)" in message
    assert "20 pt" in message and "min_font_size" in message
    assert err.value.exit_code == 1


def test_fail_policy_refuses_overflow_without_shrinking(tmp_path):
    ct = one_box_template(tmp_path, "{{ prospect.notes }}", fit="fail")
    with pytest.raises(TextOverflowError, match=r"slide 1, shape 'Pains': the text of \{\{ prospect.notes \}\}"):
        render(ct, context([], notes=LONG))
    short = render(ct, context([], notes="Short enough."))
    assert short.data and short.shrinks == []


def test_ignore_policy_leaves_overflowing_text_as_written(tmp_path):
    ct = one_box_template(tmp_path, "{{ prospect.notes }}", fit="ignore")
    data = render(ct, context([], notes=LONG * 3)).data
    assert set(sizes_in(data)) == {2800}
    assert not rendered_frame(data).measure().fits


def test_a_run_policy_overrides_the_templates(tmp_path):
    ct = one_box_template(tmp_path, "{{ prospect.notes }}", fit="shrink")
    with pytest.raises(TextOverflowError):
        render(ct, context([], notes=LONG), fit="fail")
    assert set(sizes_in(render(ct, context([], notes=LONG), fit="ignore").data)) == {2800}


def test_a_policy_change_between_renders_is_honoured(tmp_path):
    ct = one_box_template(tmp_path, "{{ prospect.notes }}", min_font_size=12)
    assert len(render(ct, context([], notes=LONG)).shrinks) == 1
    with pytest.raises(TextOverflowError):
        render(ct, context([], notes=LONG), fit="fail")


def test_frames_without_tags_are_not_touched(tmp_path):
    ct = one_box_template(tmp_path, LONG * 3 + "\n{{ prospect.company }}", fit="fail", height=0.5)
    with pytest.raises(TextOverflowError):
        render(ct, context([]))  # the frame holds a tag: measured
    ct = one_box_template(tmp_path / "b", LONG * 3, fit="fail", height=0.5, other="{{ prospect.company }}")
    data = render(ct, context([])).data  # only the other frame holds a tag: the designer's own text is theirs
    assert not rendered_frame(data).measure().fits


def test_each_render_reports_only_its_own_shrinks(tmp_path):
    ct = one_box_template(tmp_path, LOOP, min_font_size=12)
    assert len(render(ct, context([LONG, LONG])).shrinks) == 1
    assert render(ct, context(["Short"])).shrinks == []
    # from the cache of measured slides: still reported
    assert len(render(ct, context([LONG, LONG])).shrinks) == 1


def test_shrinking_is_deterministic(tmp_path):
    first = render(one_box_template(tmp_path, LOOP, min_font_size=12), context([LONG, LONG])).data
    again = one_box_template(tmp_path / "again", LOOP, min_font_size=12)  # nothing measured yet
    assert render(again, context([LONG, LONG])).data == first


# --------------------------------------------------------------------------- the bundled template


@pytest.fixture(scope="module")
def profile():
    return load_profile(examples_dir() / "profile.yaml")


@pytest.mark.parametrize("prospect", sorted((examples_dir() / "prospects").glob("*.yaml")), ids=lambda p: p.stem)
def test_the_example_decks_fit_without_shrinking(profile, prospect):
    builder = DeckBuilder(profile, BuildOptions(today=dt.date(2026, 11, 25)))
    deck = builder.build(load_prospect(prospect))
    assert not [w for w in deck.warnings if isinstance(w, TextFitWarning)]


def test_a_brand_with_wider_fonts_gets_its_overflowing_copy_shrunk_not_spilled(profile, tmp_path):
    folder = make_brand(tmp_path / "wide")
    text = (
        (folder / "brand.yaml")
        .read_text()
        .replace("heading: Carlito, body: Carlito", "heading: Liberation Sans, body: Liberation Sans")
    )
    (folder / "brand.yaml").write_text(text)
    builder = DeckBuilder(profile, BuildOptions(brand=str(folder), today=dt.date(2026, 11, 25)))
    prospect = load_prospect(examples_dir() / "prospects" / "alamo-family-dental.yaml")
    # the slide shows the first pain point whole, however long: one of about 90 words overfills the box
    long = prospect.model_copy(update={"pain_points": [" ".join([LONG] * 3)]})
    deck = builder.build(long)
    assert any(isinstance(w, TextFitWarning) and "shape 'Pains'" in str(w) for w in deck.warnings)


def placeholder_template(tmp_path, **spec):
    """python-pptx's Title Slide layout: the title placeholder has no size or position of its own."""
    prs = Presentation()
    slide = prs.slides.add_slide(prs.slide_layouts[0])
    slide.shapes.title.text = "{{ prospect.company }}"
    folder = tmp_path / "tpl"
    folder.mkdir(parents=True)
    prs.save(folder / "template.pptx")
    (folder / "template.yaml").write_text("name: test\n" + "".join(f"{k}: {v}\n" for k, v in spec.items()))
    return compile_template(folder, make_test_brand(tmp_path))


def test_placeholders_inherit_their_box_from_the_layout_and_their_size_from_the_master(tmp_path):
    ct = placeholder_template(tmp_path, fit="fail")
    two_lines = "Alamo Family Dental and Orthodontics"  # 44 pt title style, box 8.5 x 1.6 in
    frame = rendered_frame(render(ct, {"prospect": {"company": two_lines}}).data, "Title 1")
    assert frame.width == pytest.approx((7772400 - 2 * 91440) / 12700)
    assert frame.measure().height == pytest.approx(2 * 44 * 1.2)
    with pytest.raises(TextOverflowError, match="shape 'Title 1'"):
        render(ct, {"prospect": {"company": two_lines + " of Greater San Antonio and the Hill Country"}})


def test_shrinking_an_inherited_size_writes_it_on_the_run(tmp_path):
    ct = placeholder_template(tmp_path, min_font_size=20)
    rendered = render(ct, {"prospect": {"company": "Alamo Family Dental and Orthodontics of Greater San Antonio"}})
    data = rendered.data
    (shrink,) = rendered.shrinks
    assert shrink.from_pt == 44 and shrink.to_pt < 44
    xml = zipfile.ZipFile(io.BytesIO(data)).read(SLIDE).decode()
    assert f'sz="{round(shrink.to_pt * 100)}"' in xml
