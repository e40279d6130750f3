"""Nothing in a deck reaches out or runs without a relationship: VML URLs, SVG references, OLE objects, ActiveX.

Each hostile template is refused by ``templates lint`` and ``build`` (exit 2, ``Error:`` naming the part),
flagged by ``deckgen check`` and refused before ``pdf``/``preview`` give it to LibreOffice. The chart
workbooks deckgen's own charts embed keep working.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from pptx import Presentation
from pptx.chart.data import CategoryChartData
from pptx.enum.chart import XL_CHART_TYPE
from pptx.util import Inches

from deckgen.check import check_deck
from deckgen.cli import cli
from deckgen.engine.opc import open_package, read_package
from deckgen.engine.outside import MAX_SVG_BYTES, MAX_VML_BYTES, outside_content
from deckgen.errors import UnsafeInputError
from deckgen.export.pdf import refuse_unsafe
from tests.security.util import REPO, SLIDE_RELS, add_rel, build_cli, template

SLIDE = "ppt/slides/slide1.xml"
VML = "ppt/drawings/vmlDrawing1.vml"
SVG = "ppt/media/image9.svg"
CFB = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504
VML_NS = (
    'xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
)


def content_type(items: dict[str, bytes], ext: str, kind: str) -> None:
    ct = "[Content_Types].xml"
    if f'Extension="{ext}"'.encode() not in items[ct]:
        items[ct] = items[ct].replace(
            b"<Default ", f'<Default Extension="{ext}" ContentType="{kind}"/><Default '.encode(), 1
        )


def vml(shape: str):
    def mutate(items):
        items[VML] = (
            f'<xml {VML_NS}><v:shape id="_x0000_s1025" type="#_x0000_t75" style="position:absolute;width:10pt">'
            f"{shape}</v:shape></xml>"
        ).encode()
        content_type(items, "vml", "application/vnd.openxmlformats-officedocument.vmlDrawing")
        add_rel(items, SLIDE_RELS, "rId80", "vmlDrawing", "../drawings/vmlDrawing1.vml", external=False)

    return mutate


def svg(body: str, name: str = SVG, declared: bool = True):
    def mutate(items):
        items[name] = (
            '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
            f'width="10" height="10">{body}</svg>'
        ).encode()
        if declared:
            content_type(items, "svg", "image/svg+xml")
        add_rel(items, SLIDE_RELS, "rId81", "image", "../media/" + name.rsplit("/", 1)[-1], external=False)

    return mutate


def ole_frame(items, rid: str = "rId82"):
    frame = (
        b'<p:graphicFrame><p:nvGraphicFramePr><p:cNvPr id="20" name="Object 1"/><p:cNvGraphicFramePr/><p:nvPr/>'
        b'</p:nvGraphicFramePr><p:xfrm><a:off x="0" y="0"/><a:ext cx="914400" cy="914400"/></p:xfrm><a:graphic>'
        b'<a:graphicData uri="http://schemas.openxmlformats.org/presentationml/2006/ole">'
        b'<p:oleObj r:id="' + rid.encode() + b'" progId="Package" showAsIcon="1"><p:embed/></p:oleObj>'
        b"</a:graphicData></a:graphic></p:graphicFrame>"
    )
    items[SLIDE] = items[SLIDE].replace(b"</p:spTree>", frame + b"</p:spTree>")


def ole_object(items):
    ole_frame(items)
    items["ppt/embeddings/oleObject1.bin"] = CFB
    content_type(items, "bin", "application/vnd.openxmlformats-officedocument.oleObject")
    add_rel(items, SLIDE_RELS, "rId82", "oleObject", "../embeddings/oleObject1.bin", external=False)


def orphan_embedding(items):
    items["ppt/embeddings/Document1.docm"] = b"PK\x03\x04 a macro-enabled Word document"


def embedded_package(items):
    items["ppt/objects/brief.docx"] = b"PK\x03\x04 a Word document"
    add_rel(items, SLIDE_RELS, "rId83", "package", "../objects/brief.docx", external=False)


def compound_file_as_picture(items):
    items["ppt/media/image5.png"] = CFB


def activex_part(items):
    items["ppt/activeX/activeX1.xml"] = b'<ax:ocx xmlns:ax="http://schemas.microsoft.com/office/2006/activeX"/>'
    items["ppt/activeX/activeX1.bin"] = CFB


def vba_project(items):
    items["ppt/vbaProject.bin"] = CFB


HOSTILE = {
    "vml-http-src": (vml('<v:imagedata src="http://127.0.0.1:8765/pixel.png" o:title=""/>'), VML, "src="),
    "vml-file-src": (vml("<v:imagedata src='file:///etc/passwd'/>"), VML, "file:///etc/passwd"),
    "vml-unc-fill": (vml('<v:fill src="\\\\attacker\\share\\x.png" type="frame"/>'), VML, "attacker"),
    "vml-o-href": (vml('<v:imagedata o:relid="rId1" o:href="https://tracker.example.com/p.gif"/>'), VML, "o:href"),
    "svg-xlink-href": (svg('<image xlink:href="http://127.0.0.1:8765/p.png" width="1" height="1"/>'), SVG, "8765"),
    "svg-import": (svg('<style>@import "https://fonts.example.com/a.css";</style>'), SVG, "@import"),
    "svg-url": (svg('<rect fill="url(https://x.example.com/g.svg#g)" width="1" height="1"/>'), SVG, "x.example.com"),
    "svg-script": (svg("<script>fetch('https://x.example.com')</script>"), SVG, "<script>"),
    "svg-foreign-object": (svg("<foreignObject><p>hi</p></foreignObject>"), SVG, "foreignObject"),
    "svg-named-png": (
        svg('<use href="other.svg#a"/>', name="ppt/media/image9.png", declared=False),
        "image9",
        "other",
    ),
    "ole-object": (ole_object, "oleObject1.bin", "embedded OLE object"),
    "ole-element-only": (lambda items: ole_frame(items, "rId99"), SLIDE, "paste it as a picture"),
    "orphan-embedding": (orphan_embedding, "Document1.docm", "paste it as a picture"),
    "embedded-package": (embedded_package, "brief.docx", "paste it as a picture"),
    "compound-file-as-picture": (compound_file_as_picture, "image5.png", "OLE compound file"),
    "activex-part": (activex_part, "ppt/activeX/activeX1", "ActiveX"),
    "vba-project": (vba_project, "vbaProject.bin", "macros"),
}


@pytest.fixture
def prospect(tmp_path: Path) -> Path:
    path = tmp_path / "p.yaml"
    path.write_text("company: Acme\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("case", HOSTILE, ids=list(HOSTILE))
def test_build_and_lint_refuse_it_naming_the_part(tmp_path, prospect, case):
    mutate, part, why = HOSTILE[case]
    folder = template(tmp_path, mutate)
    result, out = build_cli(tmp_path, prospect, "--template", str(folder))
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith("Error: ") and part in result.stderr and why in result.stderr, result.stderr
    assert "Traceback" not in result.output and not out.exists()
    lint = CliRunner().invoke(cli, ["templates", "lint", str(folder)])
    assert lint.exit_code != 0 and part in lint.output and "Traceback" not in lint.output, lint.output
    assert "ready" not in lint.output.lower()


@pytest.mark.parametrize("case", HOSTILE, ids=list(HOSTILE))
def test_check_flags_it_and_pdf_refuses_to_convert_it(tmp_path, case):
    mutate, part, _why = HOSTILE[case]
    deck = template(tmp_path, mutate) / "template.pptx"
    report = check_deck(deck)
    assert report.kinds() & {"external-link", "embedded-object", "macros"}, report.problems
    assert any(part in p.message or part in (p.part or "") or p.slide == 1 for p in report.errors)
    result = CliRunner().invoke(cli, ["check", str(deck)])
    assert result.exit_code != 0 and "Traceback" not in result.output
    refused = refuse_unsafe(deck)
    assert refused is not None and part in refused.message


def test_the_slide_that_shows_it_is_named(tmp_path):
    folder = template(tmp_path, vml('<v:imagedata src="http://127.0.0.1:8765/pixel.png"/>'))
    with pytest.raises(UnsafeInputError, match=r"vmlDrawing1\.vml' \(slide 1\) has src="):
        open_package(folder / "template.pptx")
    problems = [p for p in check_deck(folder / "template.pptx").errors if p.kind == "external-link"]
    assert problems and problems[0].slide == 1 and VML in problems[0].message


@pytest.mark.parametrize(
    "body",
    [
        '<defs><linearGradient id="g"/></defs><rect fill="url(#g)" width="1" height="1"/><use xlink:href="#g"/>',
        '<image href="data:image/png;base64,iVBORw0KGgo=" width="1" height="1"/>',
        "<style>.a { fill: url('#g'); }</style><text>see url(http://example.com) in text</text>",
    ],
    ids=["fragment-references", "raster-data-uri", "style-with-fragment"],
)
def test_an_svg_that_references_only_itself_is_kept(tmp_path, body):
    folder = template(tmp_path, svg(body))
    open_package(folder / "template.pptx")  # no error
    assert not check_deck(folder / "template.pptx").kinds() & {"external-link", "embedded-object"}


def test_a_vml_drawing_with_internal_references_is_kept(tmp_path):
    shape = '<v:imagedata o:relid="rId1" r:id="rId2" o:title=""/><v:fill color2="infoBackground [80]"/>'
    folder = template(tmp_path, vml(shape))
    open_package(folder / "template.pptx")  # namespaces are URLs and urn:, style has "position:absolute"


def test_a_python_pptx_deck_with_a_chart_keeps_its_workbook(tmp_path):
    prs = Presentation()
    slide = prs.slides.add_slide(prs.slide_layouts[6])
    data = CategoryChartData()
    data.categories = ["Q1", "Q2"]
    data.add_series("Tickets", (3, 5))
    slide.shapes.add_chart(XL_CHART_TYPE.COLUMN_CLUSTERED, Inches(1), Inches(1), Inches(4), Inches(3), data)
    deck = tmp_path / "chart.pptx"
    prs.save(deck)
    pkg = open_package(deck)
    assert any(n.startswith("ppt/embeddings/") and n.endswith(".xlsx") for n in pkg.names())
    assert outside_content(pkg) == []
    assert not check_deck(deck).kinds() & {"external-link", "embedded-object"}
    assert refuse_unsafe(deck) is None


def test_a_chart_workbook_that_is_not_named_by_external_data_is_refused(tmp_path):
    prs = Presentation()
    data = CategoryChartData()
    data.categories = ["Q1"]
    data.add_series("S", (1,))
    slide = prs.slides.add_slide(prs.slide_layouts[6])
    slide.shapes.add_chart(XL_CHART_TYPE.PIE, 0, 0, Inches(2), Inches(2), data)
    buf = io.BytesIO()
    prs.save(buf)
    pkg = read_package(buf.getvalue(), "chart.pptx", refuse_active_content=False)
    chart = next(n for n in pkg.names() if n.startswith("ppt/charts/chart") and n.endswith(".xml"))
    pkg.members[chart] = type(pkg.members[chart])(chart, 0, 0, 0, b"<c:chartSpace xmlns:c='urn:x'/>")
    found = outside_content(pkg)
    assert {f.kind for f in found} == {"embedded-object"} and any(".xlsx" in f.part + f.detail for f in found)


@pytest.mark.parametrize("name", ["seller-brief", "walk-away"])
def test_the_bundled_templates_and_their_chart_workbooks_pass_lint(name):
    result = CliRunner().invoke(cli, ["templates", "lint", str(REPO / "templates" / name)])
    assert result.exit_code == 0, result.output
    pkg = open_package(REPO / "templates" / name / "template.pptx")
    assert any(n.lower().startswith("ppt/embeddings/") for n in pkg.names())


def test_a_built_deck_passes_check(tmp_path, prospect):
    result, out = build_cli(tmp_path, prospect)
    assert result.exit_code == 0, result.output
    assert not check_deck(out).kinds() & {"external-link", "embedded-object"}
    assert refuse_unsafe(out) is None


@pytest.mark.parametrize("limit, name", [(MAX_VML_BYTES, VML), (MAX_SVG_BYTES, SVG)], ids=["vml", "svg"])
def test_a_drawing_too_big_to_scan_quickly_is_refused(tmp_path, limit, name):
    filler = " " * (limit + 1)
    mutate = vml(f'<v:fill color2="black"/>{filler}') if name == VML else svg(f"<g>{filler}</g>")
    folder = template(tmp_path, mutate, methods={name: zipfile.ZIP_STORED})
    with pytest.raises(UnsafeInputError, match=f"{name}' .*larger than {limit >> 20} MiB"):
        open_package(folder / "template.pptx")
