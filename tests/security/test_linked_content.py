"""A deck must never fetch anything when it is opened: linked pictures, media and objects are refused.

A picture can name its image with ``r:link`` instead of ``r:embed``; PowerPoint and LibreOffice then
load the relationship's target when the deck is opened, whatever type the relationship claims to be.
"""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from deckgen.check import check_deck
from deckgen.cli import cli
from deckgen.engine.opc import open_package
from deckgen.errors import UnsafeInputError
from tests.security.util import SLIDE_RELS, add_rel, build_cli, template

SLIDE = "ppt/slides/slide1.xml"
PNG_REL = "image"


def picture(attr: str, rid: str) -> bytes:
    return (
        b'<p:pic><p:nvPicPr><p:cNvPr id="9" name="Photo"/><p:cNvPicPr/><p:nvPr/></p:nvPicPr>'
        b"<p:blipFill><a:blip " + f'r:{attr}="{rid}"'.encode() + b"/><a:stretch><a:fillRect/></a:stretch></p:blipFill>"
        b'<p:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="914400" cy="914400"/></a:xfrm>'
        b'<a:prstGeom prst="rect"><a:avLst/></a:prstGeom></p:spPr></p:pic>'
    )


def linked_picture(target: str, kind: str = "hyperlink", attr: str = "link", rels: str = SLIDE_RELS):
    def mutate(items):
        add_rel(items, rels, "rId90", kind, target)
        items[SLIDE] = items[SLIDE].replace(b"</p:spTree>", picture(attr, "rId90") + b"</p:spTree>")

    return mutate


@pytest.mark.parametrize(
    "target, attr",
    [
        ("http://127.0.0.1:8765/pixel.png", "link"),
        ("https://tracker.example.com/p.png", "link"),
        ("https://tracker.example.com/p.png", "embed"),
    ],
    ids=["local-http-link", "https-link", "https-embed"],
)
def test_a_picture_linked_through_a_hyperlink_relationship_is_refused(tmp_path, target, attr):
    folder = template(tmp_path, linked_picture(target, attr=attr))
    with pytest.raises(UnsafeInputError) as info:
        open_package(folder / "template.pptx")
    assert "loads" in str(info.value) and target in str(info.value) and SLIDE in str(info.value)


def test_build_refuses_it_before_writing_a_deck(tmp_path):
    folder = template(tmp_path, linked_picture("http://127.0.0.1:8765/pixel.png"))
    prospect = tmp_path / "p.yaml"
    prospect.write_text("company: Acme\n", encoding="utf-8")
    result, out = build_cli(tmp_path, prospect, "--template", str(folder))
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith("Error: ") and "127.0.0.1:8765" in result.stderr
    assert "Traceback" not in result.output and not out.exists()


def test_templates_lint_does_not_call_it_ready(tmp_path):
    folder = template(tmp_path, linked_picture("http://127.0.0.1:8765/pixel.png"))
    result = CliRunner().invoke(cli, ["templates", "lint", str(folder)])
    assert result.exit_code != 0 and "127.0.0.1:8765" in result.output + result.stderr


def test_check_reports_it_as_an_external_link(tmp_path):
    folder = template(tmp_path, linked_picture("http://127.0.0.1:8765/pixel.png"))
    report = check_deck(folder / "template.pptx")
    assert "external-link" in report.kinds()
    assert any("127.0.0.1:8765" in p.message and p.slide == 1 for p in report.errors)


def test_a_hyperlink_on_a_click_action_is_still_kept(tmp_path):
    def mutate(items):
        add_rel(items, SLIDE_RELS, "rId90", "hyperlink", "https://www.example.com/")
        items[SLIDE] = items[SLIDE].replace(
            b"<a:r><a:t>", b'<a:r><a:rPr lang="en-US"><a:hlinkClick r:id="rId90"/></a:rPr><a:t>'
        )

    folder = template(tmp_path, mutate)
    open_package(folder / "template.pptx")  # no error
    assert "external-link" not in check_deck(folder / "template.pptx").kinds()


def test_relationship_parts_are_checked_whatever_the_case_of_their_name(tmp_path):
    def mutate(items):
        add_rel(items, SLIDE_RELS, "rId90", "image", "\\\\attacker\\share\\pixel.png")
        items["ppt/slides/_rels/slide1.xml.RELS"] = items.pop(SLIDE_RELS)

    folder = template(tmp_path, mutate)
    with pytest.raises(UnsafeInputError, match="outside the file"):
        open_package(folder / "template.pptx")
    assert "external-link" in check_deck(folder / "template.pptx").kinds()
