"""A template's own fault found while rendering (sandbox, limits) is bad input: exit 2, never 1."""

from __future__ import annotations

from click.testing import CliRunner
from pptx import Presentation
from pptx.util import Inches

from deckgen.cli import cli
from deckgen.resources import examples_dir


def _template(tmp_path, text: str):
    prs = Presentation()
    slide = prs.slides.add_slide(prs.slide_layouts[5])
    slide.shapes.title.text = "Slide"
    box = slide.shapes.add_textbox(Inches(1), Inches(2), Inches(8), Inches(1))
    box.name = "Body"
    box.text_frame.text = text
    path = tmp_path / "t.pptx"
    prs.save(path)
    return path


def _build(tmp_path, template):
    return CliRunner().invoke(
        cli,
        [
            "build",
            "-p",
            str(examples_dir() / "profile.yaml"),
            "-x",
            str(examples_dir() / "prospects" / "alamo-family-dental.yaml"),
            "-t",
            str(template),
            "-o",
            str(tmp_path / "o.pptx"),
        ],
    )


def test_a_sandbox_violation_at_render_time_exits_2(tmp_path):
    result = _build(tmp_path, _template(tmp_path, "{{ prospect.__class__.__mro__ }}"))
    assert result.exit_code == 2, result.output
    assert "Error:" in result.output and "Traceback" not in result.output
    assert not (tmp_path / "o.pptx").exists()


def test_an_output_limit_at_render_time_exits_2(tmp_path):
    result = _build(tmp_path, _template(tmp_path, "{{ 'x' * 3000000 }}"))
    assert result.exit_code == 2, result.output
    assert "limit" in result.output


def test_missing_data_in_one_prospect_still_exits_1(tmp_path):
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
            str(_template(tmp_path, "Dear {{ prospect.contact.name }}")),
            "-o",
            str(tmp_path / "o.pptx"),
        ],
    )
    assert result.exit_code == 1, result.output
