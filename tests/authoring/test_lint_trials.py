"""``templates lint`` renders the template for a sparse CRM row and each example, and says how to fix a tag."""

from __future__ import annotations

from click.testing import CliRunner
from pptx import Presentation
from pptx.util import Inches

from deckgen.authoring import lint_template
from deckgen.cli import cli
from deckgen.engine.variables import fix_hint
from deckgen.resources import examples_dir


def _template(tmp_path, *slides: tuple[str, str]):
    prs = Presentation()
    for name, text in slides:
        slide = prs.slides.add_slide(prs.slide_layouts[5])
        slide.shapes.title.text = "Slide"
        box = slide.shapes.add_textbox(Inches(1), Inches(2), Inches(8), Inches(1))
        box.name = name
        box.text_frame.text = text
    path = tmp_path / "mine.pptx"
    prs.save(path)
    return path


def test_tags_that_fail_on_a_sparse_crm_row_are_errors_with_slide_shape_and_fix(tmp_path):
    path = _template(
        tmp_path,
        ("Greeting", "Dear {{ prospect.contact.name }}"),
        ("Pains", "We heard: {{ prospect.pain_points | first }}"),
        ("Safe", "{{ prospect.company }}"),
    )
    report = lint_template(path)
    errors = {f.slide: f for f in report.findings if f.level == "error"}
    assert set(errors) == {1, 2}  # each broken slide is found, the first does not hide the second
    assert errors[1].shape == "Greeting" and "sparse CRM row" in errors[1].message
    assert "{{ prospect.contact.name if prospect.contact else '…' }}" in errors[1].message
    assert errors[2].shape == "Pains" and "{{ prospect.pain_points | first | default('…') }}" in errors[2].message


def test_a_template_guarded_for_sparse_rows_is_ready(tmp_path):
    path = _template(
        tmp_path,
        ("Greeting", "Dear {{ prospect.contact.name if prospect.contact else 'team' }}"),
        ("Pains", "{{ prospect.pain_points | first | default('your IT') }}"),
    )
    assert not [f for f in lint_template(path).findings if f.level == "error"]


def test_the_bundled_template_survives_every_trial():
    assert not [f for f in lint_template("walk-away").findings if f.level == "error"]


def test_build_says_the_same_fix_when_a_row_hits_the_tag(tmp_path):
    path = _template(tmp_path, ("Greeting", "Dear {{ prospect.contact.name }}"))
    bare = tmp_path / "bare.yaml"
    bare.write_text("company: Bare Ltd\n", encoding="utf-8")
    result = CliRunner().invoke(
        cli,
        [
            "build",
            "-p",
            str(examples_dir() / "profile.yaml"),
            "-x",
            str(bare),
            "-t",
            str(path),
            "-o",
            str(tmp_path / "o.pptx"),
        ],
    )
    assert result.exit_code != 0 and "Traceback" not in result.output
    assert "Guard it: {{ prospect.contact.name if prospect.contact else '…' }}" in result.output
    assert not (tmp_path / "o.pptx").exists()


def test_the_fix_for_an_undefined_value_is_a_default():
    hint = fix_hint("'dict object' has no attribute 'city'", "Based in {{ prospect.location.city }}")
    assert hint.startswith("Give it a fallback: {{ prospect.location.city | default('…') }}")
