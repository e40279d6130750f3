"""The zip writer: members come back as written, whatever headers it remembered from earlier decks."""

from __future__ import annotations

import io
import zipfile
import zlib

from deckgen.engine.opc import new_member, rels_name, stored_member, zip_bytes


def _read(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        assert zf.testzip() is None
        return {info.filename: zf.read(info) for info in zf.infolist()}


def test_members_read_back_with_their_names_and_contents():
    parts = {"[Content_Types].xml": b"<Types/>", "ppt/slides/slide1.xml": b"<p:sld/>" * 50, "ppt/média/é.bin": b"\0\1"}
    entries = [(name, new_member(name, data)) for name, data in parts.items()]
    entries.append(("ppt/embeddings/book.xlsx", stored_member("ppt/embeddings/book.xlsx", b"PK already")))
    data = zip_bytes(entries)
    assert _read(data) == {**parts, "ppt/embeddings/book.xlsx": b"PK already"}
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        flags = {i.filename: i.flag_bits & 0x800 for i in zf.infolist()}
        dates = {i.date_time for i in zf.infolist()}
    assert flags["ppt/média/é.bin"] and not flags["ppt/slides/slide1.xml"]  # UTF-8 names say so
    assert dates == {(1980, 1, 1, 0, 0, 0)}


def test_a_name_reused_with_other_bytes_gets_its_own_header():
    first = zip_bytes([("ppt/slides/slide1.xml", new_member("x", b"<a/>"))])
    second = zip_bytes([("ppt/slides/slide1.xml", new_member("x", b"<b>other</b>"))])
    assert _read(first) == {"ppt/slides/slide1.xml": b"<a/>"}
    assert _read(second) == {"ppt/slides/slide1.xml": b"<b>other</b>"}
    with zipfile.ZipFile(io.BytesIO(second)) as zf:
        assert zf.getinfo("ppt/slides/slide1.xml").CRC == zlib.crc32(b"<b>other</b>")


def test_the_same_members_give_the_same_bytes_every_time():
    entries = [(f"ppt/slides/slide{n}.xml", new_member("x", b"<s>%d</s>" % n)) for n in range(1, 6)]
    assert zip_bytes(entries) == zip_bytes(list(entries)) == zip_bytes(entries[:])


def test_a_relationship_part_sits_beside_its_part():
    assert rels_name("ppt/slides/slide3.xml") == "ppt/slides/_rels/slide3.xml.rels"
    assert rels_name("") == "_rels/.rels"
