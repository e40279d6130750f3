"""``deckgen check``: each kind of broken deck is flagged as exactly that kind; decks deckgen builds pass."""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree
from pptx import Presentation

from deckgen.check import KINDS, check_deck
from deckgen.cli import cli
from deckgen.resources import examples_dir

DATE = "2026-11-25"
A = "http://schemas.openxmlformats.org/drawingml/2006/main"
P = "http://schemas.openxmlformats.org/presentationml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
CT = "http://schemas.openxmlformats.org/package/2006/content-types"


@pytest.fixture(scope="module")
def demo_decks(tmp_path_factory) -> list[Path]:
    out = tmp_path_factory.mktemp("demo") / "decks"
    result = CliRunner().invoke(cli, ["demo", "--out-dir", str(out), "--date", DATE])
    assert result.exit_code == 0, result.output
    decks = sorted(out.glob("*.pptx"))  # every example's customer deck and its seller brief
    assert len(decks) == 2 * len(list((examples_dir() / "prospects").glob("*.yaml")))
    return decks


@pytest.fixture
def clean(demo_decks) -> Path:
    return next(d for d in demo_decks if d.stem == "alamo-family-dental")


def corrupt(src: Path, dst: Path, edit) -> Path:
    """Copy a deck, letting ``edit`` change its parts (a dict of name -> bytes) on the way."""
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


def shape(root, name: str):
    return next(sp for sp in root.iter(f"{{{P}}}sp") if sp.find(f".//{{{P}}}cNvPr").get("name") == name)


def first_text(root, shape_name: str):
    return shape(root, shape_name).find(f".//{{{A}}}t")


def kinds(path: Path) -> set[str]:
    return check_deck(path).kinds()


# --------------------------------------------------------------------------- clean decks


def test_every_deck_deckgen_demo_builds_passes(demo_decks):
    for deck in demo_decks:
        report = check_deck(deck)
        assert report.errors == [], [p.describe(deck.name) for p in report.errors]
        assert report.ok


def test_check_cli_passes_clean_decks_with_exit_0(demo_decks):
    result = CliRunner().invoke(cli, ["check", *map(str, demo_decks)])
    assert result.exit_code == 0, result.output
    assert result.output.count(": OK") == len(demo_decks)
    assert f"All {len(demo_decks)} decks passed." in result.output


# --------------------------------------------------------------------------- one kind of damage each


def test_duplicate_shape_ids_on_a_slide(clean, tmp_path):
    def edit(parts):
        def change(root):
            shape(root, "Pains").find(f".//{{{P}}}cNvPr").set(
                "id", shape(root, "Title").find(f".//{{{P}}}cNvPr").get("id")
            )

        edit_xml(parts, "ppt/slides/slide2.xml", change)

    report = check_deck(corrupt(clean, tmp_path / "dup.pptx", edit))
    assert report.kinds() == {"duplicate-id"}
    (problem,) = report.errors
    assert problem.slide == 2 and "'Title', 'Pains'" in problem.message


def test_relationship_to_a_missing_part(clean, tmp_path):
    def edit(parts):
        def change(root):
            rel = etree.SubElement(root, f"{{{RELS}}}Relationship")
            rel.set("Id", "rId99")
            rel.set("Type", "http://schemas.openxmlformats.org/officeDocument/2006/relationships/image")
            rel.set("Target", "../media/gone.png")

        edit_xml(parts, "ppt/slides/_rels/slide3.xml.rels", change)

    report = check_deck(corrupt(clean, tmp_path / "dangling.pptx", edit))
    assert report.kinds() == {"missing-part"}
    assert report.errors[0].slide == 3 and "ppt/media/gone.png" in report.errors[0].message


def test_part_without_a_content_type(clean, tmp_path):
    def edit(parts):
        def change(root):
            for el in root.findall(f"{{{CT}}}Override"):
                if el.get("PartName") == "/ppt/slides/slide4.xml":
                    root.remove(el)

        edit_xml(parts, "[Content_Types].xml", change)

    report = check_deck(corrupt(clean, tmp_path / "notype.pptx", edit))
    assert report.kinds() == {"content-type"}
    assert report.errors[0].slide == 4


def test_leftover_template_tag(clean, tmp_path):
    def edit(parts):
        edit_xml(
            parts,
            "ppt/slides/slide1.xml",
            lambda root: setattr(first_text(root, "Company"), "text", "{{ prospect.company }}"),
        )

    report = check_deck(corrupt(clean, tmp_path / "tag.pptx", edit))
    assert report.kinds() == {"leftover-tag"}
    assert (
        report.errors[0].describe("tag.pptx")
        == "tag.pptx: slide 1, shape 'Company': a template tag was left in the text: '{{ prospect.company }}'"
    )


def test_leftover_block_tag_in_speaker_notes(clean, tmp_path):
    notes = next(n for n in zipfile.ZipFile(clean).namelist() if re.match(r"ppt/notesSlides/notesSlide2\.xml$", n))

    def edit(parts):
        edit_xml(parts, notes, lambda root: setattr(next(root.iter(f"{{{A}}}t")), "text", "{% if fit %}Ask"))

    report = check_deck(corrupt(clean, tmp_path / "notes.pptx", edit))
    assert report.kinds() == {"leftover-tag"}
    assert report.errors[0].where() == "slide 2, speaker notes"


def test_escaped_control_character_in_text(clean, tmp_path):
    def edit(parts):
        edit_xml(
            parts,
            "ppt/slides/slide2.xml",
            lambda root: setattr(first_text(root, "Pains"), "text", "Backups fail_x0001_ nightly"),
        )

    report = check_deck(corrupt(clean, tmp_path / "escape.pptx", edit))
    assert report.kinds() == {"bad-text"}
    assert "_x0001_" in report.errors[0].message


def test_character_xml_does_not_allow(clean, tmp_path):
    def edit(parts):
        parts["ppt/slides/slide2.xml"] = parts["ppt/slides/slide2.xml"].replace(b"Imaging", b"Imag&#1;ing", 1)

    assert kinds(corrupt(clean, tmp_path / "invalid.pptx", edit)) == {"bad-text"}


def test_text_overflowing_its_box(clean, tmp_path):
    long = " ".join(["The imaging server crashed again and nobody could say why."] * 12)

    def edit(parts):
        edit_xml(parts, "ppt/slides/slide2.xml", lambda root: setattr(first_text(root, "Pains"), "text", long))

    deck = corrupt(clean, tmp_path / "overflow.pptx", edit)
    report = check_deck(deck)
    assert report.kinds() == {"overflow"}
    line = report.errors[0].describe("overflow.pptx")
    assert re.fullmatch(r"overflow\.pptx: slide 2, shape 'Pains': text overflows its box by \d+\.\d in", line), line


def test_external_link_to_a_file(clean, tmp_path):
    def edit(parts):
        def add_rel(root):
            rel = etree.SubElement(root, f"{{{RELS}}}Relationship")
            rel.set("Id", "rId98")
            rel.set("Type", "http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink")
            rel.set("Target", "file:///C:/Finance/prices.xlsx")
            rel.set("TargetMode", "External")

        def add_click(root):
            rpr = shape(root, "Pains").find(f".//{{{A}}}rPr")
            link = etree.SubElement(rpr, f"{{{A}}}hlinkClick")
            link.set(f"{{{R}}}id", "rId98")

        edit_xml(parts, "ppt/slides/_rels/slide2.xml.rels", add_rel)
        edit_xml(parts, "ppt/slides/slide2.xml", add_click)

    report = check_deck(corrupt(clean, tmp_path / "link.pptx", edit))
    assert report.kinds() == {"external-link"}
    assert "file:///C:/Finance/prices.xlsx" in report.errors[0].message


def test_web_links_are_fine(clean, tmp_path):
    def edit(parts):
        def add_rel(root):
            rel = etree.SubElement(root, f"{{{RELS}}}Relationship")
            rel.set("Id", "rId98")
            rel.set("Type", "http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink")
            rel.set("Target", "https://ridgelinemanaged.example/")
            rel.set("TargetMode", "External")

        edit_xml(parts, "ppt/slides/_rels/slide2.xml.rels", add_rel)

    assert check_deck(corrupt(clean, tmp_path / "web.pptx", edit)).ok


def test_macros_are_reported_not_raised(clean, tmp_path):
    def edit(parts):
        parts["ppt/vbaProject.bin"] = b"\xd0\xcf\x11\xe0 not really a VBA project"

        def add_type(root):
            el = etree.SubElement(root, f"{{{CT}}}Default")
            el.set("Extension", "bin")
            el.set("ContentType", "application/vnd.ms-office.vbaProject")

        edit_xml(parts, "[Content_Types].xml", add_type)

    report = check_deck(corrupt(clean, tmp_path / "macro.pptx", edit))
    assert report.kinds() == {"macros"}
    assert "vbaProject.bin" in report.errors[0].message


def test_checking_goes_on_past_what_the_safe_reader_refuses(clean, tmp_path):
    long = " ".join(["The imaging server crashed again and nobody could say why."] * 12)

    def edit(parts):
        parts["ppt/vbaProject.bin"] = b"not really a VBA project"
        edit_xml(parts, "ppt/slides/slide2.xml", lambda root: setattr(first_text(root, "Pains"), "text", long))

    assert kinds(corrupt(clean, tmp_path / "both.pptx", edit)) == {"macros", "content-type", "overflow"}


def test_a_duplicate_zip_member_is_reported_not_raised(clean, tmp_path):
    deck = tmp_path / "twice.pptx"
    with zipfile.ZipFile(clean) as src, zipfile.ZipFile(deck, "w") as dst:
        for name in src.namelist():
            dst.writestr(name, src.read(name))
        with pytest.warns(UserWarning, match="Duplicate name"):
            dst.writestr("ppt/slides/slide1.xml", src.read("ppt/slides/slide1.xml"))
    report = check_deck(deck)
    assert report.kinds() == {"unreadable"}
    assert "duplicate member 'ppt/slides/slide1.xml'" in report.errors[0].message


def test_a_file_that_is_not_a_deck_is_unreadable(tmp_path):
    bogus = tmp_path / "notes.pptx"
    bogus.write_text("just text", encoding="utf-8")
    assert kinds(bogus) == {"unreadable"}


def test_a_missing_font_is_a_warning_not_a_problem(clean, tmp_path):
    def edit(parts):
        edit_xml(
            parts,
            "ppt/slides/slide2.xml",
            lambda root: shape(root, "Pains").find(f".//{{{A}}}latin").set("typeface", "Nonexistent Sans XYZ"),
        )

    report = check_deck(corrupt(clean, tmp_path / "font.pptx", edit))
    assert report.ok and report.errors == []
    assert [w.kind for w in report.warnings] == ["font"]
    assert "Nonexistent Sans XYZ" in report.warnings[0].message


def test_every_kind_is_documented():
    import deckgen.check

    for kind in KINDS:
        assert f"\n{kind} " in deckgen.check.__doc__


# --------------------------------------------------------------------------- the command


def test_check_cli_prints_each_problem_and_exits_1(clean, tmp_path):
    long = " ".join(["Nobody can confirm that last night's backup worked."] * 12)

    def edit(parts):
        edit_xml(parts, "ppt/slides/slide2.xml", lambda root: setattr(first_text(root, "Pains"), "text", long))

    bad = corrupt(clean, tmp_path / "bad.pptx", edit)
    result = CliRunner().invoke(cli, ["check", str(bad), str(clean)])
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert re.fullmatch(
        rf"{re.escape(str(bad))}: slide 2, shape 'Pains': text overflows its box by \d+\.\d in", lines[0]
    )
    assert f"{clean}: OK" in lines
    assert lines[-1] == "1 problem in 1 of 2 decks"


def test_check_cli_json(clean, tmp_path):
    def edit(parts):
        edit_xml(
            parts,
            "ppt/slides/slide1.xml",
            lambda root: setattr(first_text(root, "Company"), "text", "{{ prospect.company }}"),
        )

    bad = corrupt(clean, tmp_path / "bad.pptx", edit)
    result = CliRunner().invoke(cli, ["check", "--json", str(bad), str(clean)])
    assert result.exit_code == 1
    data = json.loads(result.output)
    assert data["ok"] is False
    first, second = data["decks"]
    assert first["deck"] == str(bad) and first["ok"] is False
    assert first["problems"] == [
        {
            "kind": "leftover-tag",
            "slide": 1,
            "shape": "Company",
            "severity": "error",
            "message": "a template tag was left in the text: '{{ prospect.company }}'",
        }
    ]
    assert second == {"deck": str(clean), "ok": True, "problems": [], "warnings": []}


def test_check_cli_refuses_a_path_that_does_not_exist(tmp_path):
    result = CliRunner().invoke(cli, ["check", str(tmp_path / "nope.pptx")])
    assert result.exit_code == 2


# --------------------------------------------------------------------------- pdf and preview


@pytest.mark.slow
def test_pdf_command_writes_one_pdf_per_deck_into_the_out_dir(demo_decks, tmp_path):
    import tools

    tools.require_tool("soffice")
    result = CliRunner().invoke(cli, ["pdf", *map(str, demo_decks[:2]), "--out-dir", str(tmp_path / "pdfs")])
    assert result.exit_code == 0, result.output
    for deck in demo_decks[:2]:
        pdf = tmp_path / "pdfs" / f"{deck.stem}.pdf"
        assert pdf.read_bytes().startswith(b"%PDF")
        assert f"Wrote {pdf}" in result.output


@pytest.mark.slow
def test_preview_command_writes_slides_and_a_contact_sheet(clean, tmp_path):
    from PIL import Image

    import tools

    tools.require_tool("soffice")
    tools.require_tool("pdftoppm")
    out = tmp_path / "preview"
    result = CliRunner().invoke(cli, ["preview", str(clean), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert len(sorted(out.glob(f"{clean.stem}-[0-9]*.png"))) == len(Presentation(str(clean)).slides)
    with Image.open(out / f"{clean.stem}-sheet.png") as sheet:
        assert sheet.width > sheet.height > 0
    assert f"Contact sheet: {out / (clean.stem + '-sheet.png')}" in result.output
