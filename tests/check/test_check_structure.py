"""``deckgen check`` on decks other tools wrote: each kind of damage PowerPoint repairs is flagged as exactly
that kind, and good decks from python-pptx and LibreOffice pass."""

from __future__ import annotations

import io
import subprocess
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree
from PIL import Image
from pptx import Presentation
from pptx.enum.text import MSO_AUTO_SIZE
from pptx.util import Inches, Pt

from deckgen.check import check_deck
from deckgen.check_structure import sniff_image, table_grid_problems
from deckgen.cli import cli

A = "http://schemas.openxmlformats.org/drawingml/2006/main"
P = "http://schemas.openxmlformats.org/presentationml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
CT = "http://schemas.openxmlformats.org/package/2006/content-types"


def _png(colour=(20, 90, 160)) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (40, 30), colour).save(buf, "PNG")
    return buf.getvalue()


@pytest.fixture(scope="module")
def pptx_deck(tmp_path_factory) -> Path:
    """A deck python-pptx writes directly: title, bullets, a table, a picture, a group and a no-wrap label."""
    prs = Presentation()
    title = prs.slides.add_slide(prs.slide_layouts[0])
    title.shapes.title.text = "Managed IT for Alamo Family Dental"
    title.placeholders[1].text = "Ridgeline Managed Services"
    bullets = prs.slides.add_slide(prs.slide_layouts[1])
    bullets.shapes.title.text = "What we heard"
    bullets.placeholders[1].text = "Backups are not tested\nThe imaging server crashes"
    table_slide = prs.slides.add_slide(prs.slide_layouts[5])
    table_slide.shapes.title.text = "Three plans"
    table = table_slide.shapes.add_table(3, 3, Inches(1), Inches(2), Inches(8), Inches(2)).table
    for r, row in enumerate([["Plan", "Users", "Price"], ["Core", "25", "$95"], ["Plus", "25", "$125"]]):
        for c, text in enumerate(row):
            table.cell(r, c).text = text
    pic_slide = prs.slides.add_slide(prs.slide_layouts[6])
    pic_slide.shapes.add_picture(io.BytesIO(_png()), Inches(1), Inches(1), Inches(2), Inches(1.5))
    group = pic_slide.shapes.add_group_shape()
    for i in range(2):
        box = group.shapes.add_textbox(Inches(4 + i * 2), Inches(1), Inches(1.5), Inches(0.6))
        box.text_frame.text = f"Step {i + 1}"
    label = pic_slide.shapes.add_textbox(Inches(1), Inches(5), Inches(3), Inches(0.5))
    label.name = "Label"
    label.text_frame.word_wrap = False
    label.text_frame.auto_size = MSO_AUTO_SIZE.SHAPE_TO_FIT_TEXT
    label.text_frame.text = "Call us today"
    label.text_frame.paragraphs[0].runs[0].font.size = Pt(18)
    path = tmp_path_factory.mktemp("pptx") / "python-pptx.pptx"
    prs.save(path)
    return path


def corrupt(src: Path, dst: Path, edit) -> Path:
    with zipfile.ZipFile(src) as zf:
        parts = {name: zf.read(name) for name in zf.namelist()}
    edit(parts)
    with zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
    return dst


def edit_xml(parts: dict, name: str, change) -> None:
    root = etree.fromstring(parts[name])
    change(root)
    parts[name] = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def report_of(src: Path, tmp_path: Path, edit):
    return check_deck(corrupt(src, tmp_path / "damaged.pptx", edit))


# --------------------------------------------------------------------------- good decks from other tools


def test_a_deck_python_pptx_writes_passes(pptx_deck):
    report = check_deck(pptx_deck)
    assert report.errors == [], [p.describe("deck") for p in report.errors]


@pytest.mark.slow
def test_decks_libreoffice_writes_pass(pptx_deck, tmp_path):
    import tools

    soffice = tools.soffice_path() if hasattr(tools, "soffice_path") else None
    tools.require_tool("soffice")
    soffice = soffice or "soffice"
    odp_dir, back_dir = tmp_path / "odp", tmp_path / "back"
    profile = f"-env:UserInstallation=file://{tmp_path / 'lo-profile'}"
    run = dict(check=True, capture_output=True, timeout=180)
    subprocess.run(
        [soffice, profile, "--headless", "--convert-to", "odp", "--outdir", str(odp_dir), str(pptx_deck)], **run
    )
    odp = odp_dir / "python-pptx.odp"
    subprocess.run([soffice, profile, "--headless", "--convert-to", "pptx", "--outdir", str(back_dir), str(odp)], **run)
    exported = back_dir / "python-pptx.pptx"
    report = check_deck(exported)  # an .odp exported as .pptx by LibreOffice Impress
    assert report.errors == [], [p.describe("libreoffice") for p in report.errors]


# --------------------------------------------------------------------------- relationship ids


def test_a_relationship_id_no_relationship_defines(pptx_deck, tmp_path):
    def edit(parts):
        def change(root):
            blip = next(root.iter(f"{{{A}}}blip"))
            blip.set(f"{{{R}}}embed", "rId77")

        edit_xml(parts, "ppt/slides/slide4.xml", change)

    report = report_of(pptx_deck, tmp_path, edit)
    assert report.kinds() == {"broken-reference"}
    (problem,) = report.errors
    assert problem.slide == 4 and "'rId77'" in problem.message and "<blip>" in problem.message


def test_an_empty_hyperlink_id_for_a_slide_action_is_fine(pptx_deck, tmp_path):
    def edit(parts):
        def change(root):
            rpr = root.find(f".//{{{A}}}rPr") if root.find(f".//{{{A}}}rPr") is not None else None
            run = next(root.iter(f"{{{A}}}r"))
            if rpr is None:
                rpr = etree.Element(f"{{{A}}}rPr")
                run.insert(0, rpr)
            link = etree.SubElement(rpr, f"{{{A}}}hlinkClick")
            link.set(f"{{{R}}}id", "")
            link.set("action", "ppaction://hlinkshowjump?jump=nextslide")

        edit_xml(parts, "ppt/slides/slide2.xml", change)

    assert report_of(pptx_deck, tmp_path, edit).errors == []


# --------------------------------------------------------------------------- ids that must be unique


def test_two_slides_with_the_same_slide_id(pptx_deck, tmp_path):
    def edit(parts):
        def change(root):
            ids = root.findall(f"{{{P}}}sldIdLst/{{{P}}}sldId")
            ids[2].set("id", ids[0].get("id"))

        edit_xml(parts, "ppt/presentation.xml", change)

    report = report_of(pptx_deck, tmp_path, edit)
    assert report.kinds() == {"duplicate-id"}
    assert "slide id 256 is given to 2 slides" in report.errors[0].message
    assert report.errors[0].part == "ppt/presentation.xml"


def test_a_layout_id_that_repeats_the_master_id(pptx_deck, tmp_path):
    with zipfile.ZipFile(pptx_deck) as zf:
        master_id = etree.fromstring(zf.read("ppt/presentation.xml")).find(f".//{{{P}}}sldMasterId").get("id")

    def edit(parts):
        def change(root):
            root.find(f".//{{{P}}}sldLayoutId").set("id", master_id)

        edit_xml(parts, "ppt/slideMasters/slideMaster1.xml", change)

    report = report_of(pptx_deck, tmp_path, edit)
    assert report.kinds() == {"duplicate-id"}
    assert f"master/layout id {master_id} is used 2 times" in report.errors[0].message


def test_a_shape_inside_a_group_repeating_an_id(pptx_deck, tmp_path):
    def edit(parts):
        def change(root):
            group = root.find(f".//{{{P}}}grpSp")
            inner = group.findall(f"{{{P}}}sp")[1].find(f".//{{{P}}}cNvPr")
            picture = root.find(f".//{{{P}}}pic").find(f".//{{{P}}}cNvPr")
            inner.set("id", picture.get("id"))

        edit_xml(parts, "ppt/slides/slide4.xml", change)

    report = report_of(pptx_deck, tmp_path, edit)
    assert report.kinds() == {"duplicate-id"}
    assert report.errors[0].slide == 4 and "is used by 2 shapes" in report.errors[0].message


# --------------------------------------------------------------------------- required relationships


def _drop_rel(parts: dict, rels: str, kind: str) -> None:
    def change(root):
        for rel in list(root):
            if rel.get("Type", "").endswith("/" + kind):
                root.remove(rel)

    edit_xml(parts, rels, change)


@pytest.mark.parametrize(
    ("rels", "kind", "where", "what"),
    [
        ("ppt/slides/_rels/slide2.xml.rels", "slideLayout", {"slide": 2}, "its slide layout"),
        ("ppt/slideLayouts/_rels/slideLayout2.xml.rels", "slideMaster", {"part": "ppt/slideLayouts/slideLayout2.xml"},
         "its slide master"),
        ("ppt/slideMasters/_rels/slideMaster1.xml.rels", "theme", {"part": "ppt/slideMasters/slideMaster1.xml"},
         "its theme"),
    ],
)  # fmt: skip
def test_a_part_missing_the_relationship_powerpoint_requires(pptx_deck, tmp_path, rels, kind, where, what):
    report = report_of(pptx_deck, tmp_path, lambda parts: _drop_rel(parts, rels, kind))
    assert report.kinds() == {"missing-relationship"}
    (problem,) = report.errors
    assert f"has no relationship to {what}" in problem.message
    for key, value in where.items():
        assert getattr(problem, key) == value


# --------------------------------------------------------------------------- media


def _media_name(deck: Path) -> str:
    with zipfile.ZipFile(deck) as zf:
        return next(n for n in zf.namelist() if n.startswith("ppt/media/"))


def test_a_picture_whose_bytes_are_not_an_image(pptx_deck, tmp_path):
    media = _media_name(pptx_deck)

    def edit(parts):
        parts[media] = b"<html><body>404 Not Found</body></html>"

    report = report_of(pptx_deck, tmp_path, edit)
    assert report.kinds() == {"bad-media"}
    (problem,) = report.errors
    assert problem.slide == 4 and "bytes are not an image" in problem.message and media in problem.message


def test_a_jpeg_saved_under_a_png_content_type(pptx_deck, tmp_path):
    media = _media_name(pptx_deck)
    buf = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 40, 40)).save(buf, "JPEG")

    def edit(parts):
        parts[media] = buf.getvalue()

    report = report_of(pptx_deck, tmp_path, edit)
    assert report.kinds() == {"bad-media"}
    assert "is a JPEG image but its content type says image/png" in report.errors[0].message


def test_image_formats_are_told_apart_by_their_bytes():
    assert sniff_image(_png()) == "PNG"
    assert sniff_image(b"GIF89a" + b"\0" * 20) == "GIF"
    assert sniff_image(b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"/>') == "SVG"
    assert sniff_image(b"\x01\x00\x00\x00" + b"\0" * 36 + b" EMF" + b"\0" * 20) == "EMF"
    assert sniff_image(b"PK\x03\x04 a zip, not a picture") is None


# --------------------------------------------------------------------------- tables


def test_a_table_row_missing_a_cell(pptx_deck, tmp_path):
    def edit(parts):
        def change(root):
            row = root.findall(f".//{{{A}}}tr")[1]
            row.remove(row.findall(f"{{{A}}}tc")[2])

        edit_xml(parts, "ppt/slides/slide3.xml", change)

    report = report_of(pptx_deck, tmp_path, edit)
    assert report.kinds() == {"table-grid"}
    (problem,) = report.errors
    assert problem.slide == 3 and problem.shape
    assert problem.message.startswith("row 2 has 2 cells but the table grid has 3 columns")


def test_a_grid_span_without_its_merged_cells(pptx_deck, tmp_path):
    def edit(parts):
        def change(root):
            root.findall(f".//{{{A}}}tr")[0].findall(f"{{{A}}}tc")[0].set("gridSpan", "2")

        edit_xml(parts, "ppt/slides/slide3.xml", change)

    report = report_of(pptx_deck, tmp_path, edit)
    assert report.kinds() == {"table-grid"}
    assert "row 1, cell 2 lies under the gridSpan to its left but is not marked hMerge" in report.errors[0].message


def test_table_grid_rules_accept_proper_merges():
    xml = f"""<a:tbl xmlns:a="{A}"><a:tblGrid><a:gridCol w="1"/><a:gridCol w="1"/><a:gridCol w="1"/></a:tblGrid>
      <a:tr h="1"><a:tc gridSpan="2" rowSpan="2"/><a:tc hMerge="1"/><a:tc/></a:tr>
      <a:tr h="1"><a:tc gridSpan="2" vMerge="1"/><a:tc hMerge="1" vMerge="1"/><a:tc/></a:tr>
      <a:tr h="1"><a:tc/><a:tc/><a:tc hMerge="1"/></a:tr></a:tbl>"""
    problems = table_grid_problems(etree.fromstring(xml))
    assert problems == ["row 3, cell 3 is marked hMerge but no gridSpan to its left covers it"]


# --------------------------------------------------------------------------- text off the slide


def _label_text(text: str):
    def edit(parts):
        def change(root):
            label = next(sp for sp in root.iter(f"{{{P}}}sp") if sp.find(f".//{{{P}}}cNvPr").get("name") == "Label")
            label.find(f".//{{{A}}}t").text = text

        edit_xml(parts, "ppt/slides/slide4.xml", change)

    return edit


def test_no_wrap_text_running_off_the_right_edge(pptx_deck, tmp_path):
    long = "Call us today for a free network assessment of every office, every laptop and every server you own"
    report = report_of(pptx_deck, tmp_path, _label_text(long))
    assert report.kinds() == {"off-slide"}
    (problem,) = report.errors
    assert problem.slide == 4 and problem.shape == "Label"
    assert "past the right edge of the slide" in problem.message


def test_growing_text_running_off_the_bottom(pptx_deck, tmp_path):
    def edit(parts):
        def change(root):
            label = next(sp for sp in root.iter(f"{{{P}}}sp") if sp.find(f".//{{{P}}}cNvPr").get("name") == "Label")
            label.find(f".//{{{A}}}bodyPr").set("wrap", "square")
            p = label.find(f".//{{{A}}}p")
            for i in range(12):
                extra = etree.fromstring(etree.tostring(p))
                extra.find(f".//{{{A}}}t").text = f"Line {i} of a list that keeps growing"
                p.getparent().append(extra)

        edit_xml(parts, "ppt/slides/slide4.xml", change)

    report = report_of(pptx_deck, tmp_path, edit)
    assert report.kinds() == {"off-slide"}
    assert "past the bottom edge of the slide (the box grows with its text)" in report.errors[0].message


def test_short_no_wrap_text_stays_on_the_slide(pptx_deck, tmp_path):
    assert report_of(pptx_deck, tmp_path, _label_text("Call us")).errors == []


# --------------------------------------------------------------------------- fonts and the command


def test_a_font_deckgen_cannot_measure_names_the_font_and_the_risk(pptx_deck, tmp_path):
    def edit(parts):
        def change(root):
            rpr = next(root.iter(f"{{{A}}}rPr"))
            etree.SubElement(rpr, f"{{{A}}}latin").set("typeface", "Brandface Grotesk XYZ")

        edit_xml(parts, "ppt/slides/slide4.xml", change)

    report = report_of(pptx_deck, tmp_path, edit)
    assert report.ok
    (warning,) = [w for w in report.warnings if "Brandface Grotesk XYZ" in w.message]
    assert "PowerPoint substitutes a font deckgen did not measure with" in warning.message


def test_check_cli_lists_each_new_kind(pptx_deck, tmp_path):
    def edit(parts):
        _drop_rel(parts, "ppt/slides/_rels/slide2.xml.rels", "slideLayout")
        parts[_media_name(pptx_deck)] = b"not a picture"

    bad = corrupt(pptx_deck, tmp_path / "bad.pptx", edit)
    result = CliRunner().invoke(cli, ["check", str(bad)])
    assert result.exit_code == 1
    assert f"{bad}: slide 2: has no relationship to its slide layout" in result.output
    assert "bytes are not an image" in result.output
    assert result.output.splitlines()[-1] == "2 problems in 1 of 1 deck"
