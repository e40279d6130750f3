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


def _as_strict(src, dst):
    """The package PowerPoint writes with Save As › Strict Open XML Presentation (ISO 29500 namespaces)."""
    import zipfile

    swaps = {
        "http://schemas.openxmlformats.org/presentationml/2006/main": "http://purl.oclc.org/ooxml/presentationml/main",
        "http://schemas.openxmlformats.org/drawingml/2006/main": "http://purl.oclc.org/ooxml/drawingml/main",
        "http://schemas.openxmlformats.org/officeDocument/2006/relationships": (
            "http://purl.oclc.org/ooxml/officeDocument/relationships"
        ),
    }
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for name in zin.namelist():
            data = zin.read(name)
            if name.endswith((".xml", ".rels")):
                text = data.decode("utf-8")
                for old, new in swaps.items():
                    text = text.replace(old, new)
                data = text.encode("utf-8")
            zout.writestr(name, data)
    return dst


def test_a_strict_open_xml_template_is_refused_saying_how_to_save_it_not_as_having_no_slides(tmp_path):
    strict = _as_strict(_template(tmp_path, "{{ prospect.company }}"), tmp_path / "strict.pptx")
    result = _build(tmp_path, strict)
    assert result.exit_code == 2, result.output
    assert "Strict Open XML" in result.output and "PowerPoint Presentation (*.pptx)" in result.output
    assert "no slides" not in result.output
    assert not (tmp_path / "o.pptx").exists()
    lint = CliRunner().invoke(cli, ["templates", "lint", str(strict)])
    assert lint.exit_code != 0 and "Strict Open XML" in lint.output


def _with_slide_edits(src, dst, rels_extra: bytes, slide_extra: bytes = b""):
    import zipfile

    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for name in zin.namelist():
            data = zin.read(name)
            if name == "ppt/slides/_rels/slide1.xml.rels":
                data = data.replace(b"</Relationships>", rels_extra + b"</Relationships>")
            if name == "ppt/slides/slide1.xml" and slide_extra:
                data = data.replace(b"</p:spTree>", slide_extra + b"</p:spTree>", 1)
            zout.writestr(name, data)
    return dst


_RT = b"http://schemas.openxmlformats.org/officeDocument/2006/relationships/"


def test_a_leftover_relationship_to_a_missing_part_is_dropped_so_decks_need_no_repair(tmp_path):
    from deckgen.check import check_deck

    rel = b'<Relationship Id="rId97" Type="' + _RT + b'chart" Target="NULL"/>'
    template = _with_slide_edits(_template(tmp_path, "{{ prospect.company }}"), tmp_path / "null.pptx", rel)
    result = _build(tmp_path, template)
    assert result.exit_code == 0, result.output
    assert check_deck(tmp_path / "o.pptx").kinds() == set()


def test_a_picture_whose_image_part_is_missing_is_refused_before_any_deck(tmp_path):
    rel = b'<Relationship Id="rId97" Type="' + _RT + b'image" Target="../media/gone.png"/>'
    pic = (
        b'<p:pic><p:nvPicPr><p:cNvPr id="90" name="Photo"/><p:cNvPicPr/><p:nvPr/></p:nvPicPr><p:blipFill>'
        b'<a:blip r:embed="rId97"/><a:stretch><a:fillRect/></a:stretch></p:blipFill><p:spPr><a:xfrm>'
        b'<a:off x="0" y="0"/><a:ext cx="100000" cy="100000"/></a:xfrm><a:prstGeom prst="rect"><a:avLst/>'
        b"</a:prstGeom></p:spPr></p:pic>"
    )
    template = _with_slide_edits(_template(tmp_path, "{{ prospect.company }}"), tmp_path / "gone.pptx", rel, pic)
    result = _build(tmp_path, template)
    assert result.exit_code == 2, result.output
    assert "rId97" in result.output and "ppt/media/gone.png" in result.output and "repair" in result.output
    assert not (tmp_path / "o.pptx").exists()
    lint = CliRunner().invoke(cli, ["templates", "lint", str(template)])
    assert lint.exit_code == 1 and "ppt/media/gone.png" in lint.output
