"""Hostile template packages: refused with a message before anything renders, in bounded memory."""

from __future__ import annotations

import io
import zipfile

import pytest

from deckgen.build import compile_template
from deckgen.engine import render
from deckgen.engine.opc import open_package
from deckgen.engine.safety import MAX_MEMBERS
from deckgen.errors import UnsafeInputError
from tests.engine.builders import brand
from tests.security.util import (
    CONTENT_TYPES,
    LAYOUT,
    LAYOUT_RELS,
    SLIDE_RELS,
    add_rel,
    build_cli,
    call_in_child,
    raw_zip,
    small_context,
    stored,
    template,
    write_zip,
    zeros_member,
)

BILLION_LAUGHS = (
    b'<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
    b'<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>'
)


def refused(tmp_path, folder) -> str:
    with pytest.raises(UnsafeInputError) as info:
        compile_template(folder, brand(tmp_path))
    return str(info.value)


def with_prolog(items: dict[str, bytes], part: str, prolog: bytes) -> None:
    decl, rest = items[part].split(b"?>", 1)
    items[part] = decl + b"?>" + prolog + rest


# --------------------------------------------------------------------------- XML inside the package


def test_a_doctype_with_entities_in_a_slide_is_refused(tmp_path):
    folder = template(tmp_path, lambda items: with_prolog(items, "ppt/slides/slide1.xml", BILLION_LAUGHS))
    assert "DOCTYPE or ENTITY" in refused(tmp_path, folder)


def test_a_doctype_hidden_after_a_long_comment_in_a_part_deckgen_only_copies_is_refused(tmp_path):
    # the layout is never parsed, only copied into each deck: it must be checked all the same
    folder = template(
        tmp_path, lambda items: with_prolog(items, LAYOUT, b"<!--" + b"x" * 8000 + b"-->" + BILLION_LAUGHS)
    )
    message = refused(tmp_path, folder)
    assert "DOCTYPE or ENTITY" in message and LAYOUT in message


def test_a_doctype_in_a_utf16_part_is_refused(tmp_path):
    def utf16(items):
        text = items[LAYOUT].decode("utf-8").replace('encoding="UTF-8"', 'encoding="UTF-16"')
        decl, rest = text.split("?>", 1)
        items[LAYOUT] = "\ufeff".encode("utf-16-le") + (decl + "?>" + BILLION_LAUGHS.decode() + rest).encode(
            "utf-16-le"
        )

    assert "DOCTYPE or ENTITY" in refused(tmp_path, template(tmp_path, utf16))


# --------------------------------------------------------------------------- the zip itself


def open_in_child(path) -> dict:
    """open_package in a fresh process: its outcome and how much its peak memory grew."""
    return call_in_child("deckgen.engine.opc", "open_package", path, "UnsafeInputError")


def test_a_zip_bomb_member_is_refused_with_bounded_memory(tmp_path):
    bomb = tmp_path / "bomb.pptx"
    bomb.write_bytes(
        raw_zip(
            [stored("[Content_Types].xml", CONTENT_TYPES), zeros_member("ppt/slides/slide1.xml", 100 * 1024 * 1024)]
        )
    )
    assert bomb.stat().st_size < 1024 * 1024
    result = open_in_child(bomb)
    assert "ppt/slides/slide1.xml" in result["outcome"]
    assert "larger than" in result["outcome"] or "zip bomb" in result["outcome"]
    assert result["growth_mb"] < 20  # the member is 100 MiB of zeros


def test_a_member_that_lies_about_its_size_is_never_inflated_past_what_it_declares(tmp_path):
    bomb = tmp_path / "liar.pptx"
    bomb.write_bytes(
        raw_zip(
            [
                stored("[Content_Types].xml", CONTENT_TYPES),
                zeros_member("ppt/slides/slide1.xml", 200 * 1024 * 1024, declared=1000),
            ]
        )
    )
    result = open_in_child(bomb)
    assert "ppt/slides/slide1.xml" in result["outcome"] and "larger than its zip entry says" in result["outcome"]
    assert result["growth_mb"] < 20  # inflating it whole would take 200 MiB


@pytest.mark.slow
def test_a_zip_listing_hundreds_of_thousands_of_members_is_refused_before_they_are_parsed(tmp_path):
    flood = tmp_path / "flood.pptx"
    members = [stored(f"m/{i:06d}", b"") for i in range(300_000)]
    for listed in (len(members) % 0x10000, 2):  # the end record's count, honest (mod 2**16) or a lie
        flood.write_bytes(raw_zip(members, listed=listed))
        result = open_in_child(flood)
        assert f"the limit is {MAX_MEMBERS}" in result["outcome"] or "zip directory is larger" in result["outcome"]
        assert result["growth_mb"] < 40  # zipfile builds ~150 MB of objects for this directory


@pytest.mark.parametrize("method", [zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA], ids=["bzip2", "lzma"])
def test_members_compressed_with_methods_office_never_writes_are_refused(tmp_path, method):
    folder = template(tmp_path, methods={"ppt/slides/slide1.xml": method})
    assert "unsupported compression method" in refused(tmp_path, folder)


@pytest.mark.parametrize("second", ["ppt/slides/slide1.xml", "PPT/Slides/Slide1.xml"], ids=["same", "case"])
def test_duplicate_members_are_refused(tmp_path, second):
    folder = template(tmp_path)
    pptx = folder / "template.pptx"
    with zipfile.ZipFile(pptx) as z:
        members = [(i.filename, z.read(i)) for i in z.infolist()]
    write_zip(pptx, members + [(second, b"<p:sld/>")])
    assert "duplicate member" in refused(tmp_path, folder)


def test_a_truncated_zip_is_refused(tmp_path):
    folder = template(tmp_path)
    pptx = folder / "template.pptx"
    pptx.write_bytes(pptx.read_bytes()[: pptx.stat().st_size * 2 // 3])
    assert "not a valid zip package" in refused(tmp_path, folder)


@pytest.mark.parametrize("name", ["../../evil.xml", "ppt/../../evil.xml", "/etc/evil.xml", "ppt\\..\\evil.xml"])
def test_member_names_that_climb_out_are_refused(tmp_path, name):
    folder = template(tmp_path, lambda items: items.update({name: b"<x/>"}))
    assert "is not allowed" in refused(tmp_path, folder)


# --------------------------------------------------------------------------- links and code


@pytest.mark.parametrize(
    "rels, kind, target",
    [
        (SLIDE_RELS, "hyperlink", "file:///C:/Windows/System32/calc.exe"),
        (SLIDE_RELS, "hyperlink", "\\\\attacker\\share\\deck.pptx"),
        (SLIDE_RELS, "oleObject", "file:///C:/Finance/prices.xlsx"),
        (LAYOUT_RELS, "image", "\\\\attacker\\share\\pixel.png"),
        (LAYOUT_RELS, "image", "https://tracker.example.com/pixel.png"),
        (LAYOUT_RELS, "oleObject", "file:///C:/x.xlsx"),
    ],
    ids=["file-hyperlink", "unc-hyperlink", "ole-on-slide", "unc-image-in-layout", "web-image", "ole-in-layout"],
)
def test_external_links_to_files_and_linked_pictures_are_refused(tmp_path, rels, kind, target):
    folder = template(tmp_path, lambda items: add_rel(items, rels, "rId90", kind, target))
    message = refused(tmp_path, folder)
    assert "outside the file" in message and target[:20] in message


def test_web_hyperlinks_are_kept(tmp_path):
    folder = template(
        tmp_path, lambda items: add_rel(items, SLIDE_RELS, "rId90", "hyperlink", "https://www.example.com/case-study")
    )
    data = render(compile_template(folder, brand(tmp_path)), small_context()).data
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        assert b"https://www.example.com/case-study" in z.read(SLIDE_RELS)


def test_a_macro_enabled_main_part_is_refused(tmp_path):
    def macro(items):
        items["[Content_Types].xml"] = items["[Content_Types].xml"].replace(
            b"presentationml.presentation.main+xml", b"presentationml.presentation.macroEnabled.main+xml"
        )

    assert "macro-enabled" in refused(tmp_path, template(tmp_path, macro))


def test_a_vba_project_is_refused_even_under_another_name(tmp_path):
    assert "macros" in refused(
        tmp_path,
        template(tmp_path, lambda items: items.update({"ppt/vbaProject.bin": b"\xd0\xcf\x11\xe0" + bytes(64)})),
    )

    def renamed(items):
        items["ppt/media/innocent.bin"] = b"\xd0\xcf\x11\xe0" + bytes(64)
        add_rel(
            items,
            "ppt/_rels/presentation.xml.rels",
            "rId91",
            "http://schemas.microsoft.com/office/2006/relationships/vbaProject",
            "media/innocent.bin",
            external=False,
        )

    other = tmp_path / "other"
    other.mkdir()
    assert "macros" in refused(other, template(other, renamed))


def test_an_activex_control_is_refused(tmp_path):
    folder = template(
        tmp_path,
        lambda items: (
            items.update({"ppt/activeX/activeX1.xml": b"<ax:ocx xmlns:ax='x'/>"}),
            add_rel(items, SLIDE_RELS, "rId92", "control", "../activeX/activeX1.xml", external=False),
        ),
    )
    assert "ActiveX" in refused(tmp_path, folder)


def test_the_cli_refuses_a_hostile_template_before_writing_anything(tmp_path):
    folder = template(tmp_path, lambda items: add_rel(items, LAYOUT_RELS, "rId90", "image", "\\\\evil\\x.png"))
    prospect = tmp_path / "p.yaml"
    prospect.write_text("company: Acme\n", encoding="utf-8")
    result, out = build_cli(tmp_path, prospect, "--template", str(folder))
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: ") and "outside the file" in result.stderr
    assert "Traceback" not in result.output
    assert not out.exists() and not list(tmp_path.glob(".deckgen-*"))


def test_the_package_checks_run_in_open_package_itself(tmp_path):
    # every reader (templates, masters, brand extraction, authoring) goes through open_package
    folder = template(
        tmp_path, lambda items: with_prolog(items, LAYOUT, b"<!--" + b"y" * 5000 + b"-->" + BILLION_LAUGHS)
    )
    with pytest.raises(UnsafeInputError, match="DOCTYPE"):
        open_package(folder / "template.pptx")
