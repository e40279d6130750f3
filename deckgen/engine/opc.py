"""The package layer: OOXML parts in a zip, their relationships and content types.

A :class:`Package` holds a template's members as they sit in the zip (compressed bytes) and
decodes a part only when it is read. :func:`read_package` goes through :mod:`deckgen.engine.safety`
first, so nothing is parsed before the zip has passed its checks. Writing (:func:`zip_bytes`) copies
members' compressed bytes as they are, with fixed timestamps, so the same inputs give the same bytes.
"""

from __future__ import annotations

import functools
import io
import posixpath
import re
import struct
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO
from urllib.parse import unquote

from lxml import etree

import deckgen.engine.safety as safety
from deckgen.engine.safety import parse_xml
from deckgen.errors import InputError, OutputError, UnsafeInputError

NS = {
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "p": "http://schemas.openxmlformats.org/presentationml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "c": "http://schemas.openxmlformats.org/drawingml/2006/chart",
    "pr": "http://schemas.openxmlformats.org/package/2006/relationships",
    "ct": "http://schemas.openxmlformats.org/package/2006/content-types",
    "cp": "http://schemas.openxmlformats.org/package/2006/metadata/core-properties",
    "dc": "http://purl.org/dc/elements/1.1/",
    "dcterms": "http://purl.org/dc/terms/",
    "ep": "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties",
    "p14": "http://schemas.microsoft.com/office/powerpoint/2010/main",
}

RT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
RT_SLIDE = RT + "slide"
RT_NOTES = RT + "notesSlide"
RT_CHART = RT + "chart"
RT_IMAGE = RT + "image"
RT_PACKAGE = RT + "package"
RT_THEME = RT + "theme"
RT_MASTER = RT + "slideMaster"
RT_LAYOUT = RT + "slideLayout"
RT_HYPERLINK = RT + "hyperlink"
RT_CORE_PROPERTIES = "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties"
RT_EXTERNAL_TYPES = ("oleObject", "externalLinkPath", "attachedTemplate")
CONTENT_TYPES = "[Content_Types].xml"

_DOS_DATE = (0 << 9) | (1 << 5) | 1  # 1980-01-01
_DOS_TIME = 0


# --------------------------------------------------------------------------- XML


@functools.lru_cache(maxsize=256)  # the same few tags, looked up while charts are filled and frames styled
def q(tag: str) -> str:
    """``'a:p'`` → ``'{http://…/main}p'``."""
    prefix, local = tag.split(":")
    return f"{{{NS[prefix]}}}{local}"


def to_bytes(root) -> bytes:
    """Serialise a part the way Office writes it (UTF-8, standalone declaration)."""
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


# --------------------------------------------------------------------------- part names and relationships


@functools.lru_cache(maxsize=4096)  # called for every part of every deck
def rels_name(part: str) -> str:
    """``ppt/slides/slide1.xml`` → ``ppt/slides/_rels/slide1.xml.rels``."""
    folder, base = posixpath.split(part)
    return posixpath.join(folder, "_rels", base + ".rels")


def resolve_target(part: str, target: str) -> str:
    """Resolve a relationship target relative to the part that holds it."""
    if target.startswith("/"):
        return target.lstrip("/")
    return posixpath.normpath(posixpath.join(posixpath.dirname(part), target))


def relative_target(part: str, target_part: str) -> str:
    """Make a target path relative to ``part``'s folder."""
    return posixpath.relpath(target_part, posixpath.dirname(part) or ".")


@dataclass
class Rel:
    """One relationship; ``target`` is an absolute part name, or the raw target when external."""

    rid: str
    type: str
    target: str
    external: bool = False


def read_rels(pkg: Package, overlay: dict[str, bytes], part: str) -> list[Rel]:
    """The relationships of ``part`` ('' for the package's own); ``overlay`` parts replace the package's."""
    name = rels_name(part)
    data = overlay.get(name) or (pkg.read(name) if name in pkg else None)
    if data is None:
        return []
    root = parse_xml(data, name, pkg.source)
    rels = []
    for el in root:
        external = el.get("TargetMode") == "External"
        target = el.get("Target", "")
        rels.append(
            Rel(el.get("Id", ""), el.get("Type", ""), target if external else resolve_target(part, target), external)
        )
    return rels


def drop_missing_targets(pkg: Package) -> list[tuple[str, Rel]]:
    """Take out of ``pkg`` the internal relationships whose target part is not in the package.

    Tools that delete a slide or a chart sometimes leave its relationship behind (often with the
    target ``NULL``); PowerPoint ignores one that nothing uses, but the Open XML SDK refuses the
    file, so every deck built from it would fail validation. Those are dropped here. The ones the
    part does use (a picture's ``r:embed``, a slide list's ``r:id``) are returned as (part,
    relationship) and left in place: the content they stand for is missing, which only the
    template's author can fix.
    """
    used_missing = []
    for name in sorted(pkg.names()):
        folder, _, base = name.rpartition("_rels/")
        if not base.endswith(".rels") or (folder and not folder.endswith("/")):
            continue
        part = folder + base[: -len(".rels")]
        if part and part not in pkg:
            continue  # relationships of a part that is not there are never read
        rels = read_rels(pkg, {}, part)
        missing = [r for r in rels if not r.external and r.target not in pkg and unquote(r.target) not in pkg]
        if not missing:
            continue
        if not part:  # the package's own: only the presentation part is needed
            used = {r.rid for r in rels if r.type.endswith("/officeDocument")}
        else:
            used = _used_rids(pkg.read(part)) if part.endswith(".xml") else {r.rid for r in rels}
        used_missing += [(part, r) for r in missing if r.rid in used]
        unused = {r.rid for r in missing if r.rid not in used}
        if unused:
            root = parse_xml(pkg.read(name), name, pkg.source)
            for el in [el for el in root if el.get("Id") in unused]:
                root.remove(el)
            data = to_bytes(root)
            pkg.members[name] = new_member(name, data)
            pkg._cache[name] = data
    return used_missing


def _used_rids(xml: bytes) -> set[str]:
    """Every relationship id an attribute of the part names (``r:id``, ``r:embed``, ``r:link``, ...)."""
    prefix = "{" + NS["r"] + "}"
    root = parse_xml(xml, "part")
    return {v for el in root.iter() for k, v in el.attrib.items() if k.startswith(prefix)}


def describe_missing_target(part: str, rel: Rel) -> str:
    """The sentence for one of :func:`drop_missing_targets`' findings."""
    return (
        f"part '{part or '[package]'}' uses relationship {rel.rid} to '{rel.target}', which is not in the file, "
        "so PowerPoint would ask to repair every deck: open the template in PowerPoint, let it repair the "
        "file, and save it again"
    )


def rels_xml(part: str, rels: list[Rel]) -> bytes:
    """Serialise relationships for ``part`` (targets made relative)."""
    out = [
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    ]
    for r in rels:
        target = r.target if r.external else relative_target(part, r.target)
        mode = ' TargetMode="External"' if r.external else ""
        out.append(f'<Relationship Id="{_attr(r.rid)}" Type="{_attr(r.type)}" Target="{_attr(target)}"{mode}/>')
    out.append("</Relationships>")
    return "".join(out).encode("utf-8")


def first_free_rid(rels: list[Rel]) -> int:
    """The number after the highest ``rIdN`` in use."""
    used = {int(m.group(1)) for r in rels if (m := re.fullmatch(r"rId(\d+)", r.rid))}
    return max(used, default=0) + 1


def _attr(value: str) -> str:
    return value.replace("&", "&amp;").replace("<", "&lt;").replace('"', "&quot;")


# --------------------------------------------------------------------------- members and packages


@dataclass(frozen=True)
class Member:
    """One stored zip member: its compressed bytes as found in the source file."""

    name: str
    method: int
    crc: int
    size: int
    data: bytes  # compressed bytes (or stored bytes when method == 0)

    def content(self) -> bytes:
        """Return the member's uncompressed bytes."""
        if self.method == zipfile.ZIP_STORED:
            return self.data
        out = zlib.decompressobj(-15)
        try:
            result = out.decompress(self.data, self.size + 1)
        except zlib.error:
            raise UnsafeInputError(f"package member '{self.name}' is corrupt (bad compressed data)") from None
        if len(result) != self.size or zlib.crc32(result) != self.crc:
            raise UnsafeInputError(f"package member '{self.name}' is corrupt")
        return result


class Package:
    """An OOXML package held as members (raw) plus decoded parts on demand."""

    def __init__(self, members: dict[str, Member], source: str) -> None:
        self.members = members
        self.source = source
        self._cache: dict[str, bytes] = {}

    def names(self) -> list[str]:
        return list(self.members)

    def read(self, name: str) -> bytes:
        """Return a member's content; raise KeyError if absent."""
        if name not in self._cache:
            data = self.members[name].content()
            if name.endswith((".xml", ".rels")):
                safety.refuse_doctype(data, name, self.source)
            self._cache[name] = data
        return self._cache[name]

    def __contains__(self, name: str) -> bool:
        return name in self.members


def read_package(source: bytes | BinaryIO, label: str, *, refuse_active_content: bool = True) -> Package:
    """Read a package from bytes or a seekable binary file after the checks in :mod:`deckgen.engine.safety`.

    ``refuse_active_content=False`` (for ``deckgen check``, which reports such parts instead) keeps
    macros and outside links; every size, name and compression check still applies.
    """
    fh = io.BytesIO(source) if isinstance(source, (bytes, bytearray)) else source
    size = fh.seek(0, io.SEEK_END)
    fh.seek(0)
    safety.check_file_size(size, label)
    safety.check_directory(fh, size, label)
    try:
        zf = zipfile.ZipFile(fh)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise UnsafeInputError(f"not a PowerPoint file (not a valid zip package: {exc})", file=label) from None
    with zf:
        infos = zf.infolist()
        safety.check_member_count(len(infos), label)
        members: dict[str, Member] = {}
        seen: set[str] = set()  # names as a case-insensitive file system sees them
        total = 0
        for info in infos:
            name = info.filename
            safety.check_member(info, label, refuse_macros=refuse_active_content)
            if name.lower() in seen:
                raise UnsafeInputError(f"package has a duplicate member '{name}'", file=label)
            seen.add(name.lower())
            total += info.file_size
            safety.check_total_size(total, label)
            if name.endswith("/"):
                continue
            members[name] = Member(
                name, info.compress_type, info.CRC, info.file_size, _raw_member_bytes(fh, info, label)
            )
    pkg = Package(members, label)
    safety.check_content_types(pkg, refuse_macros=refuse_active_content)
    _refuse_strict(pkg)
    _match_part_name_case(pkg)
    if refuse_active_content:
        safety.check_xml_members(pkg)
        safety.check_relationships(pkg)
    return pkg


# Strict Open XML (ISO/IEC 29500 Strict) names every relationship type under this URI instead of RT's
_STRICT_RT = b"http://purl.oclc.org/ooxml/officeDocument/relationships/"


def _refuse_strict(pkg: Package) -> None:
    """Refuse a Strict Open XML file by name: read as a usual package it would seem to have no slides."""
    if "_rels/.rels" in pkg and _STRICT_RT in pkg.read("_rels/.rels"):
        raise InputError(
            "the file is saved as 'Strict Open XML Presentation', which deckgen does not read: open it in "
            "PowerPoint and save it with File › Save As › 'PowerPoint Presentation (*.pptx)' (or as "
            "'PowerPoint Template (*.potx)')",
            file=pkg.source,
        )


def _match_part_name_case(pkg: Package) -> None:
    """Give each content-type override the part name the zip has: OPC part names ignore case, and
    Google Slides and some converters write ``/PPT/SLIDES/SLIDE1.XML`` for ``ppt/slides/slide1.xml``,
    which would leave those parts of every deck without their content type."""
    if CONTENT_TYPES not in pkg:
        return
    exact = {"/" + name for name in pkg.members}
    if all(n.decode() in exact for n in re.findall(rb'PartName="([^"]*)"', pkg.read(CONTENT_TYPES))):
        return
    by_lower = {name.lower(): name for name in pkg.members}
    root = parse_xml(pkg.read(CONTENT_TYPES), CONTENT_TYPES, pkg.source)
    for el in root.iter(q("ct:Override")):
        name = el.get("PartName", "").lstrip("/").lower()
        if name in by_lower:
            el.set("PartName", "/" + by_lower[name])
    pkg.members[CONTENT_TYPES] = new_member(CONTENT_TYPES, data := to_bytes(root))
    pkg._cache[CONTENT_TYPES] = data


def open_package(path: Path | str, *, refuse_active_content: bool = True) -> Package:
    """Open the file ``path`` as a package (see :func:`read_package`); it is read member by member."""
    p = Path(path)
    label = str(path)
    try:
        size = p.stat().st_size
    except FileNotFoundError:
        raise UnsafeInputError("file not found", file=label) from None
    safety.check_file_size(size, label)
    with open(p, "rb") as fh:
        return read_package(fh, label, refuse_active_content=refuse_active_content)


def main_part(pkg: Package, error=UnsafeInputError) -> str:
    """The presentation part of a package; ``error`` (an exception class) when it isn't a PowerPoint file."""
    main = next((r.target for r in read_rels(pkg, {}, "") if r.type.endswith("/officeDocument")), None)
    if not main or main not in pkg:
        raise error("not a PowerPoint file (no presentation part)", file=pkg.source)
    return main


def _raw_member_bytes(fh, info: zipfile.ZipInfo, label: str) -> bytes:
    fh.seek(info.header_offset)
    header = fh.read(30)
    if len(header) != 30 or header[:4] != b"PK\x03\x04":
        raise UnsafeInputError(f"package member '{info.filename}' is truncated or corrupt", file=label)
    name_len, extra_len = struct.unpack("<HH", header[26:30])
    fh.seek(info.header_offset + 30 + name_len + extra_len)
    data = fh.read(info.compress_size)
    if len(data) != info.compress_size:
        raise UnsafeInputError(f"package member '{info.filename}' is truncated", file=label)
    return data


# --------------------------------------------------------------------------- writing


def deflate(data: bytes) -> bytes:
    """Raw-deflate ``data`` deterministically."""
    comp = zlib.compressobj(6, zlib.DEFLATED, -15)
    return comp.compress(data) + comp.flush()


def new_member(name: str, data: bytes) -> Member:
    """Make a deflated member from uncompressed bytes."""
    return Member(name, zipfile.ZIP_DEFLATED, zlib.crc32(data), len(data), deflate(data))


def stored_member(name: str, data: bytes) -> Member:
    """Make a member stored without compression (for data that is compressed already)."""
    return Member(name, zipfile.ZIP_STORED, zlib.crc32(data), len(data), data)


def zip_bytes(entries: list[tuple[str, Member]]) -> bytes:
    """Serialise members (under the given names) as a zip with fixed timestamps."""
    out = bytearray()
    central = bytearray()
    for name, m in entries:
        local, central_head, encoded = _headers(name, m.method, m.crc, len(m.data), m.size)
        offset = len(out)
        out += local
        out += m.data
        central += central_head
        central += struct.pack("<I", offset)
        central += encoded
    cd_offset = len(out)
    out += central
    out += struct.pack("<4sHHHHIIH", b"PK\x05\x06", 0, 0, len(entries), len(entries), len(central), cd_offset, 0)
    if len(out) >= 0xFFFFFFFF:
        raise OutputError("the deck would be larger than 4 GiB")
    return bytes(out)


@functools.lru_cache(maxsize=4096)  # the same members under the same names, deck after deck
def _headers(name: str, method: int, crc: int, compressed: int, size: int) -> tuple[bytes, bytes, bytes]:
    """(local header with the name, central directory entry up to its offset field, the encoded name)."""
    encoded = name.encode("utf-8")
    flags = 0x800 if not name.isascii() else 0
    fields = (method, _DOS_TIME, _DOS_DATE, crc, compressed, size, len(encoded))
    local = struct.pack("<4sHHHHHIIIHH", b"PK\x03\x04", 20, flags, *fields, 0) + encoded
    central = struct.pack("<4sHHHHHHIIIHHHHHI", b"PK\x01\x02", 20, 20, flags, *fields, 0, 0, 0, 0, 0)
    return local, central, encoded
