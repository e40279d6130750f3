"""Namespaces and safe parsing/serialising of package XML parts."""

from __future__ import annotations

import posixpath

from lxml import etree

from deckgen.errors import UnsafeInputError

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
RT_EXTERNAL_TYPES = ("oleObject", "externalLinkPath", "attachedTemplate")

_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False,
                          load_dtd=False, dtd_validation=False, remove_blank_text=False)


def q(tag: str) -> str:
    """``'a:p'`` → ``'{http://…/main}p'``."""
    prefix, local = tag.split(":")
    return f"{{{NS[prefix]}}}{local}"


def parse_xml(data: bytes, part: str = "", source: str = ""):
    """Parse a part; refuse DTDs/entities and malformed XML with a clear message."""
    try:
        root = etree.fromstring(data, _PARSER)
    except etree.XMLSyntaxError as exc:
        raise UnsafeInputError(f"part '{part}' is not well-formed XML ({exc.msg})", file=source or None) from None
    if root.getroottree().docinfo.doctype:
        raise UnsafeInputError(f"part '{part}' declares a DOCTYPE, which is not allowed", file=source or None)
    return root


def to_bytes(root) -> bytes:
    """Serialise a part the way Office writes it (UTF-8, standalone declaration)."""
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


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
