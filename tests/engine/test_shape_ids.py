"""Duplicate shape ids carried in from a source deck: renumbered at compile, warned about at lint."""

from __future__ import annotations

import zipfile

from click.testing import CliRunner
from lxml import etree

from deckgen.authoring.lint import lint_template
from deckgen.check import check_deck
from deckgen.cli import cli
from deckgen.engine.opc import q
from tests.security.util import PROFILE, build_cli, template

SLIDE = "ppt/slides/slide1.xml"


def duplicated(items):
    """Three shapes on slide 1 share one id: the title box and two copies pasted from another deck."""
    root = etree.fromstring(items[SLIDE])
    tree = root.find(f"{q('p:cSld')}/{q('p:spTree')}")
    box = next(el for el in tree if el.tag == q("p:sp"))
    first_id = box.find(f"{q('p:nvSpPr')}/{q('p:cNvPr')}").get("id")
    for n in (1, 2):
        copy = etree.fromstring(etree.tostring(box))
        c_nv = copy.find(f"{q('p:nvSpPr')}/{q('p:cNvPr')}")
        c_nv.set("name", f"Pasted {n}")
        c_nv.set("id", first_id)
        tree.append(copy)
    items[SLIDE] = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def ids_of(data: bytes) -> list[str]:
    root = etree.fromstring(data)
    return [el.get("id") for el in root.iter(q("p:cNvPr"))]


def test_build_renumbers_duplicate_shape_ids_and_check_passes(tmp_path):
    folder = template(tmp_path, duplicated)
    with zipfile.ZipFile(folder / "template.pptx") as z:
        before = ids_of(z.read(SLIDE))
    assert len(before) != len(set(before))
    prospect = tmp_path / "p.yaml"
    prospect.write_text("company: Acme\n", encoding="utf-8")
    result, out = build_cli(tmp_path, prospect, "--template", str(folder))
    assert result.exit_code == 0, result.output
    with zipfile.ZipFile(out) as z:
        after = ids_of(z.read(SLIDE))
    assert len(after) == len(set(after)) == len(before)
    report = check_deck(out)
    assert not [f for f in report.errors + report.warnings if "duplicate-id" in str(f)], report


def test_lint_warns_about_duplicate_shape_ids_naming_the_slide_and_shapes(tmp_path):
    folder = template(tmp_path, duplicated)
    report = lint_template(folder)
    found = [f for f in report.findings if "shape id" in f.message]
    assert found and found[0].level == "warning" and found[0].slide == 1
    assert "'Pasted 1'" in found[0].message and "'Pasted 2'" in found[0].message
    result = CliRunner().invoke(cli, ["templates", "lint", str(folder)])
    assert "shape id" in result.output


def test_build_and_batch_say_once_that_duplicate_ids_were_renumbered(tmp_path):
    folder = template(tmp_path, duplicated)
    needle = "slide 1, shape 'Pasted 1': shape id 2 is used by 3 shapes ('Title', 'Pasted 1', 'Pasted 2')"
    prospect = tmp_path / "p.yaml"
    prospect.write_text("company: Acme\n", encoding="utf-8")
    result, _ = build_cli(tmp_path, prospect, "--template", str(folder))
    assert result.exit_code == 0, result.output
    assert result.output.count(needle) == 1 and f"Warning: {folder / 'template.pptx'}, {needle}" in result.output
    rows = tmp_path / "rows.csv"
    rows.write_text("company,industry\nAcme,Dental\nBeta,Legal\nGamma,Accounting\n", encoding="utf-8")
    result = CliRunner().invoke(
        cli,
        ["batch", str(rows), "-p", str(PROFILE), "-o", str(tmp_path / "out"), "--date", "2026-11-25"]
        + ["--jobs", "2", "--quiet", "--template", str(folder)],
    )
    assert result.exit_code == 0, result.output
    assert result.output.count(needle) == 1  # once per run, not once per row or per worker
