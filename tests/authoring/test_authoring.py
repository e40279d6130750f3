"""Template authoring as a designer meets it: `templates lint` explains every mistake at once, in
PowerPoint terms (slide, shape, the text typed), and `templates new` gives a copy that builds."""

from __future__ import annotations

import io
import zipfile

from click.testing import CliRunner
from pptx import Presentation

from deckgen.authoring import lint_template
from deckgen.cli import cli
from deckgen.resources import examples_dir
from tests.engine.builders import TemplateBuilder, png

PROFILE = examples_dir() / "profile.yaml"
PROSPECT = examples_dir() / "prospects" / "alamo-family-dental.yaml"


def broken_template(tmp_path):
    """One slide holding four mistakes a designer makes, each in its own text box, plus a good split tag."""
    b = TemplateBuilder()
    b.new_slide()
    b.text("Title", runs=["Hello {{ prospect.", "com", "pany }}!"])  # PowerPoint split the tag in three
    b.text("Greeting", "Welcome, {{ prospect.compnay }}")
    b.text("Pains", "{% for p in prospect.pain_points %}", "{{ p }}")
    b.text("Price", "From {{ services[0].price | monney }} a month")
    b.new_slide()
    b.text("Closing", "{{ closing.txt }}")
    return b.save(tmp_path / "broken")


def test_lint_reports_every_mistake_with_slide_shape_and_text_in_one_run(tmp_path):
    folder = broken_template(tmp_path)
    result = CliRunner().invoke(cli, ["templates", "lint", str(folder), "--tags"])
    assert result.exit_code == 1, result.output
    out = result.output
    assert "slide 1, shape 'Greeting': unknown variable 'prospect.compnay' — did you mean 'prospect.company'?" in out
    assert "      text: Welcome, {{ prospect.compnay }}" in out
    assert "slide 1, shape 'Pains': '{% for p in prospect.pain_points %}' is never closed with '{% endfor %}'" in out
    assert "slide 1, shape 'Price': unknown filter 'monney'" in out
    assert "      text: From {{ services[0].price | monney }} a month" in out
    assert "slide 2, shape 'Closing': unknown variable 'closing.txt' — did you mean 'closing.text'?" in out
    assert "slide 1, 'Title': {{ prospect.company }}  (split over 3 runs)" in out
    assert "Errors (4):" in out and "4 errors" in out


def test_lint_report_lists_findings_as_data(tmp_path):
    report = lint_template(broken_template(tmp_path))
    where = {(f.slide, f.shape) for f in report.errors}
    assert where == {(1, "Greeting"), (1, "Pains"), (1, "Price"), (2, "Closing")}
    split = [t for t in report.tags if t.runs == 3]
    assert [(t.slide, t.shape, t.tag) for t in split] == [(1, "Title", "{{ prospect.company }}")]
    assert "prospect.company" in report.variables and "prospect.compnay" not in report.variables


def test_a_clean_template_exits_0_and_lists_the_variables_it_needs(tmp_path):
    b = TemplateBuilder()
    b.new_slide(notes="{%slide if fit %}")
    b.text("Company", runs=["{{ prospect.", "company }}"])
    b.text("Pains", "{% for p in prospect.pain_points %}{{ p }}{% endfor %}")
    b.chart("fit_scorecard", "charts.fit_scorecard")
    b.picture("logo", png(tmp_path / "logo.png"))
    folder = b.save(tmp_path / "clean")
    result = CliRunner().invoke(cli, ["templates", "lint", str(folder)])
    assert result.exit_code == 0, result.output
    out = result.output
    variables = out.split("Variables this template needs:\n")[1].split("\n\n")[0].split()
    assert variables == ["charts.fit_scorecard", "fit", "prospect.company", "prospect.pain_points"]
    assert "slide 1: {%slide if fit %}  (speaker notes)" in out
    assert "slide 1, 'logo': the brand's logo" in out
    assert "slide 1, 'fit_scorecard' ← charts.fit_scorecard" in out
    assert "No errors, 0 warnings" in out


def test_lint_warns_about_things_that_build_but_go_wrong_later(tmp_path):
    b = TemplateBuilder()
    b.new_slide()
    box = b.text("Company", "{{ prospect.company }}")
    box.text_frame.word_wrap = True
    from pptx.enum.text import MSO_AUTO_SIZE

    box.text_frame.auto_size = MSO_AUTO_SIZE.TEXT_TO_FIT_SHAPE
    box.text_frame.paragraphs[0].runs[0].font.name = "Arial"
    b.picture("Logo 2", png(tmp_path / "logo.png"))
    b.chart("Chart 7")
    b.charts["cost_comparsion"] = "charts.cost_comparison"
    folder = b.save(tmp_path / "warn")
    report = lint_template(folder)
    assert report.ok
    messages = [(f.slide, f.shape, f.message) for f in report.warnings]
    text = "\n".join(m for _, _, m in messages)
    assert any(s == 1 and sh == "Company" and "AutoFit" in m for s, sh, m in messages)
    assert any(sh == "Company" and "'Arial'" in m and "theme font" in m for _, sh, m in messages)
    assert any(sh == "Logo 2" and "exactly 'logo'" in m for _, sh, m in messages)
    assert any(sh == "Chart 7" and "not bound in template.yaml" in m for _, sh, m in messages)
    assert "binds 'cost_comparsion'" in text and "no slide has a chart with that name" in text


def test_tags_on_the_slide_master_are_flagged(tmp_path):
    b = TemplateBuilder()
    b.new_slide()
    b.text("Company", "{{ prospect.company }}")
    layout = b.prs.slide_layouts[6]
    box = layout.shapes._spTree  # python-pptx has no add_textbox on layouts: copy the slide's box over
    import copy

    box.append(copy.deepcopy(b.slide.shapes[0]._element))
    report = lint_template(b.save(tmp_path / "master"))
    assert any(f.place == "layout 'Blank'" and "doesn't fill tags in" in f.message for f in report.warnings)


def test_templates_new_copies_a_bundled_template_that_builds(tmp_path):
    runner = CliRunner()
    result = runner.invoke(cli, ["templates", "new", "my-template", "--dir", str(tmp_path)])
    assert result.exit_code == 0, result.output
    folder = tmp_path / "my-template"
    assert (folder / "template.pptx").is_file() and (folder / "template.yaml").is_file()
    spec = (folder / "template.yaml").read_text(encoding="utf-8")
    assert 'name: "my-template"' in spec and "make_walkaway_template" not in spec
    assert f"deckgen templates lint {folder}" in result.output
    lint = runner.invoke(cli, ["templates", "lint", str(folder)])
    assert lint.exit_code == 0, lint.output
    deck = tmp_path / "deck.pptx"
    built = runner.invoke(
        cli,
        [
            "build",
            "--profile",
            str(PROFILE),
            "--prospect",
            str(PROSPECT),
            "--template",
            str(folder),
            "--out",
            str(deck),
            "--date",
            "2026-11-25",
        ],
    )
    assert built.exit_code == 0, built.output
    prs = Presentation(io.BytesIO(deck.read_bytes()))
    assert any("Alamo Family Dental" in s.text_frame.text for s in prs.slides[0].shapes if s.has_text_frame)


def test_templates_new_refuses_to_overwrite_and_bad_names(tmp_path):
    runner = CliRunner()
    (tmp_path / "taken").mkdir()
    (tmp_path / "taken" / "notes.txt").write_text("mine", encoding="utf-8")
    result = runner.invoke(cli, ["templates", "new", "taken", "--dir", str(tmp_path)])
    assert result.exit_code == 2 and "already exists" in result.output
    result = runner.invoke(cli, ["templates", "new", "../escape", "--dir", str(tmp_path)])
    assert result.exit_code == 2 and "can't be a template name" in result.output


def test_lint_of_a_file_that_is_not_powerpoint_is_an_error_not_a_crash(tmp_path):
    bad = tmp_path / "bad.pptx"
    bad.write_bytes(b"not a zip")
    result = CliRunner().invoke(cli, ["templates", "lint", str(bad)])
    assert result.exit_code == 1 and "not a PowerPoint file" in result.output


def test_templates_show_still_works():
    result = CliRunner().invoke(cli, ["templates", "show", "walk-away"])
    assert result.exit_code == 0 and "prospect.company" in result.output


def test_a_potx_template_lints_like_a_pptx(tmp_path):
    b = TemplateBuilder()
    b.new_slide()
    b.text("Company", "{{ prospect.company }}")
    folder = b.save(tmp_path / "potx")
    pptx = folder / "template.pptx"
    potx = folder / "template.potx"
    with zipfile.ZipFile(pptx) as zin, zipfile.ZipFile(potx, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            if info.filename == "[Content_Types].xml":
                data = data.replace(b"presentation.main+xml", b"template.main+xml")
            zout.writestr(info.filename, data)
    pptx.unlink()
    report = lint_template(folder)
    assert report.ok and report.variables == ["prospect.company"]
