"""Issue #14's small leftovers: a template without slides, `build --out` into a new folder, and text-fit
errors whose two lengths really differ."""

from __future__ import annotations

import re
import zipfile

from click.testing import CliRunner
from pptx import Presentation
from pptx.enum.text import MSO_AUTO_SIZE
from pptx.util import Inches, Pt

from deckgen.authoring import lint_template
from deckgen.cli import cli
from deckgen.engine.layout.frame import describe_length, describe_lengths
from deckgen.resources import examples_dir

PROFILE = examples_dir() / "profile.yaml"
PROSPECT = examples_dir() / "prospects" / "alamo-family-dental.yaml"
DATE = "2026-03-02"


def no_slides(path):
    """A presentation with its masters and layouts but not one slide, as a .potx usually is."""
    Presentation().save(path)
    return path


def as_potx(pptx, potx):
    with zipfile.ZipFile(pptx) as zin, zipfile.ZipFile(potx, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            if info.filename == "[Content_Types].xml":
                data = data.replace(b"presentation.main+xml", b"template.main+xml")
            zout.writestr(info.filename, data)
    return potx


def build(*args):
    return CliRunner().invoke(cli, ["build", "-p", str(PROFILE), "-x", str(PROSPECT), "--date", DATE, *args])


# --------------------------------------------------------------------------- a template with no slides


def test_lint_refuses_a_template_without_slides(tmp_path):
    report = lint_template(no_slides(tmp_path / "empty.pptx"))
    assert not report.ok and report.slide_count == 0
    (error,) = report.errors
    assert error.message.startswith("the template has no slides") and "--master" in error.message


def test_lint_of_a_potx_without_slides_exits_1_and_does_not_say_ready(tmp_path):
    potx = as_potx(no_slides(tmp_path / "empty.pptx"), tmp_path / "corporate.potx")
    result = CliRunner().invoke(cli, ["templates", "lint", str(potx)])
    assert result.exit_code == 1, result.output
    assert "the template has no slides" in result.output
    assert "ready to build" not in result.output


def test_build_refuses_a_template_without_slides_with_exit_2_and_writes_nothing(tmp_path):
    potx = as_potx(no_slides(tmp_path / "empty.pptx"), tmp_path / "corporate.potx")
    out = tmp_path / "decks" / "alamo.pptx"
    result = build("--template", str(potx), "-o", str(out))
    assert result.exit_code == 2, result.output
    assert "Error:" in result.output and "the template has no slides" in result.output
    assert "corporate.potx" in result.output and "Traceback" not in result.output
    assert not out.exists() and not out.parent.exists()


# --------------------------------------------------------------------------- build --out into a new folder


def test_build_creates_the_missing_folders_of_out(tmp_path):
    out = tmp_path / "clients" / "2026" / "alamo.pptx"
    result = build("-o", str(out))
    assert result.exit_code == 0, result.output
    assert zipfile.ZipFile(out).testzip() is None
    assert sorted(p.name for p in out.parent.iterdir()) == ["alamo-brief.pptx", "alamo.pptx"]  # no temp files


def test_build_names_the_file_in_the_way_of_the_out_folder(tmp_path):
    (tmp_path / "clients").write_text("not a folder")
    result = build("-o", str(tmp_path / "clients" / "2026" / "alamo.pptx"))
    assert result.exit_code == 2, result.output
    assert result.output.startswith(f"Error: {tmp_path / 'clients'}: is a file")
    assert "Traceback" not in result.output


# --------------------------------------------------------------------------- text-fit lengths


def test_two_lengths_get_the_precision_that_tells_them_apart():
    assert describe_lengths(86.4, 72.0) == ("1.2 in", "1.0 in")
    assert describe_lengths(0.94 * 72, 0.93 * 72) == ("0.94 in", "0.93 in")
    assert describe_lengths(66.0, 65.9) == ("66.0 pt", "65.9 pt")  # 0.92 in both: points tell them apart
    assert describe_lengths(5.0, 3.0) == ("5.0 pt", "3.0 pt")
    assert describe_length(86.4) == "1.2 in"  # a single length reads as before


def tight_box_template(folder, height: float):
    """A template whose 28 pt company name sits in a box ``height`` inches high, refused rather than shrunk."""
    prs = Presentation()
    prs.slide_width, prs.slide_height = Inches(13.333), Inches(7.5)
    slide = prs.slides.add_slide(prs.slide_layouts[6])
    box = slide.shapes.add_textbox(Inches(1), Inches(1), Inches(10), Inches(height))
    box.name = "Company"
    box.text_frame.word_wrap = True
    box.text_frame.auto_size = MSO_AUTO_SIZE.NONE
    run = box.text_frame.paragraphs[0].add_run()
    run.text = "{{ prospect.company }}"
    run.font.size = Pt(28)
    folder.mkdir()
    prs.save(folder / "template.pptx")
    (folder / "template.yaml").write_text("name: tight\nfit: fail\n", encoding="utf-8")
    return folder


def test_a_box_a_hair_too_short_says_two_different_heights(tmp_path):
    # One 28 pt line needs about 0.47 in; the box has 0.458 in inside its insets: 0.5 and 0.5 at one decimal.
    result = build("--template", str(tight_box_template(tmp_path / "tpl", 0.558)), "-o", str(tmp_path / "a.pptx"))
    assert result.exit_code == 1, result.output
    assert "Error: slide 1, shape 'Company'" in result.output and "Traceback" not in result.output
    need, have = re.search(
        r"needs ([\d.]+ (?:in|pt)) of height and the box has ([\d.]+ (?:in|pt))", result.output
    ).groups()
    assert need != have and need.split()[1] == have.split()[1]
    assert float(need.split()[0]) > float(have.split()[0])
    assert not (tmp_path / "a.pptx").exists()
