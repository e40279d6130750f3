"""Tags in SmartArt text cannot be filled safely: refused at compile, lint and build, naming the slide."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from deckgen.cli import cli
from deckgen.engine.opc import open_package
from deckgen.errors import TemplateError
from deckgen.load.templates import load_spec, resolve_template
from tests.security.util import SLIDE_RELS, add_rel, build_cli, template

SLIDE = "ppt/slides/slide1.xml"
DGM = "http://schemas.openxmlformats.org/drawingml/2006/diagram"
A = "http://schemas.openxmlformats.org/drawingml/2006/main"


def smartart(text: str, in_drawing: bool = False):
    """A SmartArt frame on slide 1 whose data part (or cached drawing) holds ``text``."""

    def mutate(items):
        plain, tagged = "Our process", text
        data_text, drawing_text = (plain, tagged) if in_drawing else (tagged, plain)
        items["ppt/diagrams/data1.xml"] = (
            f'<dgm:dataModel xmlns:dgm="{DGM}" xmlns:a="{A}"><dgm:ptLst><dgm:pt modelId="1"><dgm:t><a:bodyPr/>'
            f"<a:p><a:r><a:t>{data_text}</a:t></a:r></a:p></dgm:t></dgm:pt></dgm:ptLst></dgm:dataModel>"
        ).encode()
        items["ppt/diagrams/drawing1.xml"] = (
            f'<dsp:drawing xmlns:dsp="http://schemas.microsoft.com/office/drawing/2008/diagram" xmlns:a="{A}">'
            f"<dsp:spTree><dsp:sp><dsp:txBody><a:p><a:r><a:t>{drawing_text}</a:t></a:r></a:p></dsp:txBody>"
            "</dsp:sp></dsp:spTree></dsp:drawing>"
        ).encode()
        add_rel(items, SLIDE_RELS, "rId70", "diagramData", "../diagrams/data1.xml", external=False)
        add_rel(
            items,
            SLIDE_RELS,
            "rId71",
            "http://schemas.microsoft.com/office/2007/relationships/diagramDrawing",
            "../diagrams/drawing1.xml",
            external=False,
        )
        frame = (
            '<p:graphicFrame><p:nvGraphicFramePr><p:cNvPr id="40" name="Process diagram"/><p:cNvGraphicFramePr/>'
            '<p:nvPr/></p:nvGraphicFramePr><p:xfrm><a:off x="0" y="0"/><a:ext cx="914400" cy="914400"/></p:xfrm>'
            f'<a:graphic><a:graphicData uri="{DGM}"><dgm:relIds xmlns:dgm="{DGM}" '
            'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" r:dm="rId70" '
            'r:lo="rId70" r:qs="rId70" r:cs="rId70"/></a:graphicData></a:graphic></p:graphicFrame>'
        ).encode()
        items[SLIDE] = items[SLIDE].replace(b"</p:spTree>", frame + b"</p:spTree>")

    return mutate


@pytest.mark.parametrize("in_drawing", [False, True], ids=["data", "drawing"])
def test_a_tag_in_smartart_is_refused_naming_the_slide_and_the_diagram(tmp_path, in_drawing):
    from deckgen import engine
    from tests.engine.builders import memory_brand

    folder = template(tmp_path, smartart("Welcome {{ prospect.company }}", in_drawing))
    pkg = open_package(folder / "template.pptx")
    spec = load_spec(*resolve_template(folder))
    with pytest.raises(TemplateError) as info:
        engine.compile(pkg, spec, label="template.pptx", theme=memory_brand().theme())
    err = info.value
    assert err.slide == 1 and err.shape == "Process diagram" and "SmartArt" in str(err)
    assert "{{ prospect.company }}" in str(err)


def test_lint_and_build_refuse_a_tag_in_smartart(tmp_path):
    folder = template(tmp_path, smartart("Hello {{ prospect.company }}"))
    lint = CliRunner().invoke(cli, ["templates", "lint", str(folder)])
    assert lint.exit_code != 0 and "slide 1" in lint.output + lint.stderr and "SmartArt" in lint.output + lint.stderr
    prospect = tmp_path / "p.yaml"
    prospect.write_text("company: Acme\n", encoding="utf-8")
    result, out = build_cli(tmp_path, prospect, "--template", str(folder))
    assert result.exit_code == 2 and "SmartArt" in result.stderr and not out.exists()


def test_smartart_without_tags_is_kept_as_it_is(tmp_path):
    folder = template(tmp_path, smartart("Assess, plan, run"))
    prospect = tmp_path / "p.yaml"
    prospect.write_text("company: Acme\n", encoding="utf-8")
    result, out = build_cli(tmp_path, prospect, "--template", str(folder))
    assert result.exit_code == 0, result.output
    import zipfile

    with zipfile.ZipFile(out) as z:
        assert b"Assess, plan, run" in z.read("ppt/diagrams/data1.xml")
