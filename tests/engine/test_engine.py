"""The template engine, as a template designer uses it: tags typed in PowerPoint become deck text."""

from __future__ import annotations

import io
import zipfile

import pytest
from pptx import Presentation

from deckgen.engine import render as render_deck
from deckgen.errors import RenderError, TemplateError
from tests.engine.builders import TemplateBuilder, compile_in_memory, png


def context(**prospect):
    base = {"company": "Acme & <Sons>", "pain_points": ["Slow backups", "Phishing"], "notes": "", "industry": "dental"}
    base.update(prospect)
    return {
        "prospect": base,
        "msp": {"name": "Ridgeline", "sales_contact": {"name": "Dana"}},
        "slas": [{"metric": "Response", "target": "15 min"}, {"metric": "Fix", "target": "4 h"}],
        "charts": {
            "cost": {
                "categories": ["Year 1", "Year 2", "Year 3"],
                "series": [{"name": "Break-fix", "values": [10, 20, 30]}, {"name": "Managed", "values": [5, 10, 15]}],
            }
        },
        "locale": "en-US",
        "currency": "USD",
    }


def render(tmp_path, builder: TemplateBuilder, ctx=None, **spec):
    compiled = compile_in_memory(builder, **spec)
    data = render_deck(compiled, ctx or context()).data
    return compiled, data, Presentation(io.BytesIO(data))


def texts(prs) -> list[list[str]]:
    out = []
    for slide in prs.slides:
        items = []
        for shape in slide.shapes:
            if shape.has_text_frame:
                items.append(shape.text_frame.text)
            if shape.has_table:
                items.extend("|".join(c.text for c in row.cells) for row in shape.table.rows)
        items.append("notes:" + slide.notes_slide.notes_text_frame.text)
        out.append(items)
    return out


def test_tag_split_across_three_runs_is_found_and_keeps_first_runs_formatting(tmp_path):
    b = TemplateBuilder()
    b.new_slide()
    b.text("Title", runs=["Hello {{ pros", "pect.com", "pany }}!"])
    _, data, prs = render(tmp_path, b)
    para = prs.slides[0].shapes[0].text_frame.paragraphs[0]
    assert para.text == "Hello Acme & <Sons>!"
    run = next(r for r in para.runs if "Acme" in r.text)
    assert run.text.startswith("Hello Acme") and not run.font.bold  # the run where the tag starts
    assert b"{{" not in data and b"_x00" not in data


def test_paragraph_loop_repeats_the_paragraph_per_item(tmp_path):
    b = TemplateBuilder()
    b.new_slide()
    b.text("Pains", "{% for p in prospect.pain_points %}{{ p }}{% endfor %}")
    _, _, prs = render(tmp_path, b)
    paras = [p.text for p in prs.slides[0].shapes[0].text_frame.paragraphs]
    assert paras == ["Slow backups", "Phishing"]


def test_block_tags_on_their_own_paragraphs_wrap_the_paragraphs_between(tmp_path):
    b = TemplateBuilder()
    b.new_slide()
    b.text("Notes", "{% if prospect.notes %}", "Note: {{ prospect.notes }}", "{% endif %}", "Always")
    _, _, prs = render(tmp_path, b)
    assert [p.text for p in prs.slides[0].shapes[0].text_frame.paragraphs] == ["Always"]
    _, _, prs = render(tmp_path, b, context(notes="call Tuesday"))
    assert [p.text for p in prs.slides[0].shapes[0].text_frame.paragraphs] == ["Note: call Tuesday", "Always"]


def test_a_text_box_whose_every_paragraph_is_dropped_keeps_one_empty_paragraph(tmp_path):
    b = TemplateBuilder()
    b.new_slide()
    b.text("Pains", "{% for p in prospect.pain_points %}{{ p }}{% endfor %}")
    _, data, prs = render(tmp_path, b, context(pain_points=[]))
    body = prs.slides[0].shapes[0].text_frame
    assert len(body.paragraphs) == 1 and body.text == ""


def test_table_row_loop_repeats_the_row(tmp_path):
    b = TemplateBuilder()
    b.new_slide()
    b.table("SLAs", [["Metric", "Target"], ["{% for s in slas %}{{ s.metric }}", "{{ s.target }}{% endfor %}"]])
    _, _, prs = render(tmp_path, b)
    assert texts(prs)[0][:3] == ["Metric|Target", "Response|15 min", "Fix|4 h"]


def test_line_breaks_in_values_become_line_breaks_not_escapes(tmp_path):
    b = TemplateBuilder()
    b.new_slide()
    b.text("Title", "{{ prospect.company }}")
    _, data, prs = render(tmp_path, b, context(company="Line one\nLine two"))
    assert prs.slides[0].shapes[0].text_frame.text == "Line one\x0bLine two"  # python-pptx shows a:br as VT
    assert b"_x000" not in data


def test_speaker_notes_are_rendered(tmp_path):
    b = TemplateBuilder()
    b.new_slide(notes="Ask {{ prospect.company }} about backups")
    b.text("Title", "x")
    _, _, prs = render(tmp_path, b)
    assert prs.slides[0].notes_slide.notes_text_frame.text == "Ask Acme & <Sons> about backups"


def test_slide_if_directive_drops_the_slide_and_is_removed(tmp_path):
    b = TemplateBuilder()
    b.new_slide()
    b.text("Title", "First")
    b.new_slide(notes="{%slide if prospect.notes %}")
    b.text("Title", "Only with notes")
    _, data, prs = render(tmp_path, b)
    assert len(prs.slides) == 1
    _, data, prs = render(tmp_path, b, context(notes="yes"))
    assert len(prs.slides) == 2
    assert prs.slides[1].notes_slide.notes_text_frame.text == ""  # the directive itself is gone
    assert b"slide if" not in data


def test_slide_for_directive_repeats_the_slide_with_its_chart(tmp_path):
    b = TemplateBuilder()
    b.new_slide(notes="{%slide for pain in prospect.pain_points %}")
    b.text("Title", "Pain: {{ pain }}")
    b.chart("cost", "charts.cost", series=2)
    _, data, prs = render(tmp_path, b)
    assert [t[0] for t in texts(prs)] == ["Pain: Slow backups", "Pain: Phishing"]
    charts = [s.shapes[1].chart for s in prs.slides]
    assert charts[0].part.partname != charts[1].part.partname  # each copy has its own chart part
    names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    assert len(names) == len(set(names))


def test_named_chart_gets_categories_series_and_workbook(tmp_path):
    b = TemplateBuilder()
    b.new_slide()
    b.chart("cost", "charts.cost", series=1)
    _, data, prs = render(tmp_path, b)
    chart = prs.slides[0].shapes[0].chart
    assert list(chart.plots[0].categories) == ["Year 1", "Year 2", "Year 3"]
    assert [(s.name, list(s.values)) for s in chart.series] == [("Break-fix", [10, 20, 30]), ("Managed", [5, 10, 15])]
    blob = chart.part.chart_workbook.xlsx_part.blob
    sheet = zipfile.ZipFile(io.BytesIO(blob)).read("xl/worksheets/sheet1.xml").decode()
    assert "Year 3" in sheet and "<v>30</v>" in sheet


def test_chart_text_that_looks_like_a_formula_stays_text(tmp_path):
    b = TemplateBuilder()
    b.new_slide()
    b.chart("cost", "charts.cost")
    ctx = context()
    ctx["charts"]["cost"]["categories"] = ['=HYPERLINK("http://x")', "+1", "@SUM(A1)"]
    _, _, prs = render(tmp_path, b, ctx)
    blob = prs.slides[0].shapes[0].chart.part.chart_workbook.xlsx_part.blob
    sheet = zipfile.ZipFile(io.BytesIO(blob)).read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet and 't="inlineStr"' in sheet


def test_picture_named_logo_gets_the_brand_logo_fitted_without_distortion(tmp_path):
    b = TemplateBuilder()
    b.new_slide()
    b.picture("logo", png(tmp_path / "placeholder.png", (100, 100)), width=2, height=2)
    _, data, prs = render(tmp_path, b)
    pic = prs.slides[0].shapes[0]
    assert pic.image.size == (400, 100)  # the brand's logo
    media = [n for n in zipfile.ZipFile(io.BytesIO(data)).namelist() if n.startswith("ppt/media/")]
    assert len(media) == 1 and "brand-logo" in media[0]  # the placeholder picture isn't left behind
    assert abs(pic.width / pic.height - 4.0) < 0.01
    assert pic.width <= 2 * 914400 and pic.height <= 2 * 914400


def test_building_twice_gives_identical_bytes(tmp_path):
    b = TemplateBuilder()
    b.new_slide(notes="{{ prospect.company }}")
    b.text("Title", "{{ prospect.company }}")
    b.chart("cost", "charts.cost")
    first = render_deck(compile_in_memory(b), context()).data
    second = render_deck(compile_in_memory(b), context()).data
    assert first == second
    info = zipfile.ZipFile(io.BytesIO(first)).infolist()
    assert {i.date_time for i in info} == {(1980, 1, 1, 0, 0, 0)}
    assert info[0].filename == "[Content_Types].xml"


def test_document_properties_name_the_sales_contact_and_no_tool(tmp_path):
    b = TemplateBuilder()
    b.new_slide()
    b.text("Title", "{{ prospect.company }}")
    _, data, prs = render(tmp_path, b)
    assert prs.core_properties.author == "Dana"
    assert prs.core_properties.created is None
    z = zipfile.ZipFile(io.BytesIO(data))
    props = z.read("docProps/core.xml") + z.read("docProps/app.xml")
    assert b"python-pptx" not in props and b"deckgen" not in props and b"Microsoft" not in props
    assert "docProps/thumbnail.jpeg" not in z.namelist()


# --------------------------------------------------------------------------- errors the author sees


def compile_error(tmp_path, *paragraphs, notes=None) -> TemplateError:
    b = TemplateBuilder()
    b.new_slide()
    b.text("Other", "plain")
    b.new_slide(notes=notes)
    b.text("Pains", *paragraphs)
    with pytest.raises(TemplateError) as info:
        compile_in_memory(b)
    return info.value


def test_unclosed_for_names_slide_and_shape(tmp_path):
    err = compile_error(tmp_path, "{% for p in prospect.pain_points %}", "{{ p }}")
    assert err.slide == 2 and err.shape == "Pains"
    assert "never closed" in str(err) and "endfor" in str(err)


def test_typo_in_a_variable_suggests_the_right_one(tmp_path):
    err = compile_error(tmp_path, "Hello {{ prospect.compnay }}")
    assert (err.slide, err.shape) == (2, "Pains")
    assert "prospect.compnay" in str(err) and "did you mean 'prospect.company'" in str(err)


def test_unknown_root_variable_is_an_error(tmp_path):
    err = compile_error(tmp_path, "{{ prospekt.company }}")
    assert "unknown variable 'prospekt'" in str(err) and "prospect" in str(err)


def test_unknown_filter_names_slide_and_shape(tmp_path):
    err = compile_error(tmp_path, "{{ prospect.company | shout }}")
    assert (err.slide, err.shape) == (2, "Pains") and "shout" in str(err)


def test_syntax_error_shows_the_tag(tmp_path):
    err = compile_error(tmp_path, "{{ prospect.company + }}")
    assert err.shape == "Pains" and "prospect.company +" in (err.snippet or "")


def test_unclosed_tag_braces_are_reported(tmp_path):
    err = compile_error(tmp_path, "Hello {{ prospect.company")
    assert "never closed" in str(err)


def test_a_value_missing_at_render_names_slide_and_shape(tmp_path):
    b = TemplateBuilder()
    b.new_slide()
    b.text("Industry", "{{ prospect.industry.upper() }}")
    compiled = compile_in_memory(b)
    ctx = context()
    del ctx["prospect"]["industry"]
    with pytest.raises(RenderError) as info:
        render_deck(compiled, ctx)
    assert "slide 1" in str(info.value) and "Industry" in str(info.value)


@pytest.mark.parametrize(
    "expression",
    [
        "''.__class__.__mro__",
        "prospect.__class__.__init__.__globals__",
        "cycler.__init__.__globals__.os.popen('id').read()",
        "self.__init__.__globals__.__builtins__",
    ],
)
def test_sandbox_escapes_fail_without_running_code(tmp_path, expression):
    b = TemplateBuilder()
    b.new_slide()
    b.text("Evil", "{{ %s }}" % expression)
    with pytest.raises((TemplateError, RenderError)):
        render_deck(compile_in_memory(b), context())


@pytest.mark.parametrize(
    "expression",
    [
        "'x' * 100000000",
        "range(10000000) | list",
        "'%099999999d' | format(1)",
        "'x' | center(1000000000)",
        "('x' * 900000) | replace('x', 'yyyyyyyyyyyy')",
    ],
)
def test_expressions_that_would_exhaust_memory_are_stopped(tmp_path, expression):
    b = TemplateBuilder()
    b.new_slide()
    b.text("Big", "{{ %s }}" % expression)
    with pytest.raises(RenderError):
        render_deck(compile_in_memory(b), context())


def test_loops_that_would_produce_megabytes_stop_at_the_output_limit(tmp_path):
    b = TemplateBuilder()
    b.new_slide()
    b.text("Big", "{% for i in range(10000) %}{% for j in range(10000) %}xxxxxxxxxx{% endfor %}{% endfor %}")
    with pytest.raises(RenderError) as info:
        render_deck(compile_in_memory(b), context())
    assert "exceed" in str(info.value) or "limit" in str(info.value)


def test_a_brand_kit_without_text_and_background_colours_writes_valid_theme_colours(tmp_path):
    from deckgen.brand.kit import load_brand

    folder = tmp_path / "three"
    folder.mkdir()
    (folder / "brand.yaml").write_text(
        "name: Three\ncolors: {primary: '#123456', secondary: '#2A9D8F', accent: '#E9C46A'}\n", encoding="utf-8"
    )
    palette = load_brand(str(folder)).palette()
    assert all(len(v) == 6 and "#" not in v for v in palette.values()), palette


def test_a_render_that_runs_past_its_deadline_stops_with_a_limit_error(monkeypatch):
    """The render deadline (engine.deadline, SIGALRM) stops a deck that takes too long, naming the cause."""
    import importlib
    import time

    from deckgen.engine.limits import OutputLimitError

    b = TemplateBuilder()
    b.new_slide()
    b.text("Title", "{{ prospect.company }}")
    compiled = compile_in_memory(b)
    render_module = importlib.import_module("deckgen.engine.render")  # the package's `render` is the function
    monkeypatch.setattr(render_module, "RENDER_SECONDS", 0.2)
    monkeypatch.setattr(render_module._Renderer, "run", lambda self: time.sleep(5))
    started = time.monotonic()
    with pytest.raises(OutputLimitError, match="rendering took longer than 0.2 s"):
        render_deck(compiled, context())
    assert time.monotonic() - started < 4
