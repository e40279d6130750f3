"""Content that reaches outside a package without a relationship, or runs when it is activated.

Three kinds of part escape the relationship checks of :mod:`deckgen.engine.safety`:

- legacy VML drawings, whose attributes can name a picture by URL or path (``v:imagedata
  src="http://…"``, ``o:href``, ``v:fill src``) with no relationship at all;
- SVG pictures, which can pull outside images, fonts and style sheets (``xlink:href``, ``url(…)``,
  ``@import``) or carry scripts and HTML (``<script>``, ``<foreignObject>``);
- embedded OLE objects and ActiveX controls (``p:oleObj``, ``ppt/embeddings/oleObject1.bin``,
  ``ppt/activeX/``), which run or fetch when someone double-clicks them.

The embedded workbooks behind charts (``ppt/embeddings/*.xlsx`` named by a chart's
``c:externalData`` through an internal relationship) are how every chart carries its data; they stay.
Nothing here fetches or resolves anything: SVG is parsed without DTDs, entities or network, and VML
is scanned with a linear pattern.
"""

from __future__ import annotations

import posixpath
import re
import zlib
from typing import NamedTuple

from lxml import etree

from deckgen.errors import UnsafeInputError

VML_TYPE = "application/vnd.openxmlformats-officedocument.vmldrawing"  # compared lower-cased
SVG_TYPE = "image/svg+xml"
# attributes whose value is where VML loads something from: only a same-document '#…' reference may stay
VML_REFERENCE_ATTRS = frozenset({"src", "href", "althref"})
RASTER_DATA = ("data:image/png", "data:image/jpeg", "data:image/jpg", "data:image/gif", "data:image/bmp")
# bigger than any drawing a designer makes, small enough that a scan takes a few seconds at worst
MAX_VML_BYTES = 4 * 1024 * 1024
MAX_SVG_BYTES = 16 * 1024 * 1024
CFB_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # an OLE compound file (oleObject1.bin, .doc, .xls, .msg)

# an absolute URL, a network path (\\server, //host), a drive path (C:\), or a scheme that loads without '//'
_OUTSIDE_VALUE = re.compile(
    r"\s*(?:[a-z][a-z0-9+.\-]*://|\\\\|//|[a-z]:[\\/]|(?:file|https?|ftp|smb|mhtml|javascript|vbscript|data"
    r"|res|its|ms-its|mk|cid|jar):)",
    re.IGNORECASE,
)
# one attribute of a VML tag; the look-behind keeps the scan linear (a name is only tried after white space)
_VML_ATTR = re.compile(r"""(?<=\s)([A-Za-z_][\w.:\-]*)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_DECLARATION = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)
_SVG_PARSER = etree.XMLParser(
    resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False, dtd_validation=False
)
_REL_NAMESPACES = (
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "http://purl.oclc.org/ooxml/officeDocument/relationships",
)
_CT = "{http://schemas.openxmlformats.org/package/2006/content-types}"


class Finding(NamedTuple):
    """One part that reaches outside the package: ``detail`` reads after ``part 'NAME'``."""

    part: str
    slide_part: str  # the slide that shows it, '' when none is known
    kind: str  # "external-link" (VML, SVG) or "embedded-object" (OLE, ActiveX)
    detail: str


def check_outside_content(pkg, only: set[str] | None = None) -> None:
    """Raise :class:`UnsafeInputError` for the first :func:`outside_content` finding, naming part and slide."""
    found = outside_content(pkg, only)
    if found:
        first = found[0]
        slide = slide_numbers(pkg).get(first.slide_part)
        where = f" (slide {slide})" if slide else ""
        raise UnsafeInputError(f"part '{first.part}'{where} {first.detail}", file=pkg.source)


def outside_content(pkg, only: set[str] | None = None) -> list[Finding]:
    """Every VML attribute, SVG reference, OLE object and ActiveX part that reaches outside or runs.

    ``only`` (part names) limits the search to what those parts use, as for a corporate master whose
    slides are thrown away; ActiveX parts are refused wherever they are.
    """
    rels = _internal_rels(pkg)
    owners: dict[str, list[str]] = {}
    for owner, _kind, target, _rid in rels:
        owners.setdefault(target.lower(), []).append(owner)

    def wanted(part: str) -> bool:
        return only is None or part in only or any(o in only for o in owners.get(part.lower(), []))

    def slide_of(part: str) -> str:
        return next((o for o in owners.get(part.lower(), []) if _is_slide(o)), "")

    types = _content_types(pkg)
    chart_workbooks = _chart_workbooks(pkg, rels)
    found: list[Finding] = []
    for name in pkg.names():
        low = name.lower()
        kind = types.get(low, "")
        if low.startswith("ppt/activex/"):
            found.append(Finding(name, slide_of(name), "embedded-object", _active("is part of an ActiveX control")))
        elif not wanted(name):
            continue
        elif low.startswith("ppt/embeddings/") and low not in chart_workbooks:
            what = "an embedded OLE object" if not low.endswith(".xlsx") else "an embedded workbook no chart uses"
            found.append(Finding(name, slide_of(name), "embedded-object", _ole(f"is {what}")))
        elif kind == VML_TYPE or low.endswith(".vml"):
            details = [_too_big(MAX_VML_BYTES)] if pkg.members[name].size > MAX_VML_BYTES else None
            details = details or _vml_problems(pkg.read(name))
            found += [Finding(name, slide_of(name), "external-link", d) for d in details]
        elif kind == SVG_TYPE or low.endswith(".svg") or (low.startswith("ppt/media/") and _looks_svg(pkg, name)):
            big = pkg.members[name].size > MAX_SVG_BYTES
            problem = f"is larger than {MAX_SVG_BYTES >> 20} MiB" if big else _svg_problem(pkg.read(name))
            if problem:
                detail = f"is an SVG picture that {problem}; save it as a PNG, or as an SVG without outside references"
                found.append(Finding(name, slide_of(name), "external-link", detail))
        elif low.endswith(".xml") and low.startswith("ppt/"):
            data = pkg.read(name)
            if b"oleObj" in data or b"OLEObject" in data:
                targets = {rid: target for owner, _k, target, rid in rels if owner == name}
                details = _ole_in(data, targets)
                found += [Finding(name, name if _is_slide(name) else "", "embedded-object", d) for d in details]
        elif not low.endswith(".rels") and _head(pkg, name).startswith(CFB_MAGIC):
            found.append(Finding(name, slide_of(name), "embedded-object", _ole("is an OLE compound file")))
    for owner, kind, target, _rid in rels:
        if kind in ("oleObject", "package") and wanted(owner) and target.lower() not in chart_workbooks:
            found.append(
                Finding(owner, owner if _is_slide(owner) else "", "embedded-object", _ole(f"embeds '{target}'"))
            )
    return _unique(found)


def slide_numbers(pkg) -> dict[str, int]:
    """Slide part → its number in the presentation; {} when the package doesn't say."""
    top = [r for r in _rels_of(pkg, "") if r[1] == "officeDocument"]
    if not top:
        return {}
    pres = top[0][2]
    by_rid = {rid: target for _o, kind, target, rid in _rels_of(pkg, pres) if kind == "slide"}
    if pres not in pkg:
        return {}
    numbers: dict[str, int] = {}
    try:
        root = etree.fromstring(pkg.read(pres), _SVG_PARSER)
    except etree.XMLSyntaxError:
        return {}
    for el in root.iter("{*}sldId"):
        rid = next((v for a, v in el.attrib.items() if a.endswith("}id") and a[1:].startswith(_REL_NAMESPACES)), "")
        if rid in by_rid:
            numbers[by_rid[rid]] = len(numbers) + 1
    return numbers


# --------------------------------------------------------------------------- VML


def _vml_problems(data: bytes) -> list[str]:
    """The first attribute of a VML part that names a place outside the package, as a finding; [] when none."""
    text = data.decode("utf-8", "replace")
    for match in _VML_ATTR.finditer(text):
        attr, value = match.group(1, 2)
        value = match.group(3) if value is None else value
        local = attr.rsplit(":", 1)[-1].lower()
        if local not in VML_REFERENCE_ATTRS and not any(c in value for c in ":/\\&"):
            continue  # nothing in it could name a place (the common case: sizes, colours, ids)
        if attr == "xmlns" or attr.startswith("xmlns:"):
            continue  # a namespace name, never loaded
        value = _unescape(value).strip()
        if _OUTSIDE_VALUE.match(value) or (local in VML_REFERENCE_ATTRS and value and not value.startswith("#")):
            return [
                f'has {attr}="{value[:200]}", which loads a file from outside the deck when it is opened; '
                "embed the picture or remove the link"
            ]
    return []


# --------------------------------------------------------------------------- SVG


def _too_big(limit: int) -> str:
    return f"is a legacy drawing larger than {limit >> 20} MiB; remove it and save the template again"


def _looks_svg(pkg, name: str) -> bool:
    head = _head(pkg, name, 4096).lstrip(b"\xef\xbb\xbf \t\r\n")
    return head.startswith(b"<") and b"<svg" in head.lower()


def _svg_problem(data: bytes) -> str:
    """Why an SVG reaches outside itself or runs something, or ''."""
    scan = data.decode("utf-16", "replace").encode("utf-8") if data[:2] in (b"\xff\xfe", b"\xfe\xff") else data
    if _DECLARATION.search(scan):
        return "declares a DOCTYPE or ENTITY"
    try:
        root = etree.fromstring(data, _SVG_PARSER)
    except (etree.XMLSyntaxError, ValueError):
        return "is not well-formed XML"
    for node in [*root.itersiblings(preceding=True), *root.iter()]:
        if isinstance(node, etree._ProcessingInstruction):
            if node.target.lower() == "xml-stylesheet":
                return "loads a style sheet (<?xml-stylesheet?>)"
            continue
        if not isinstance(node.tag, str):
            continue
        local = etree.QName(node).localname.lower()
        if local in ("script", "foreignobject"):
            return f"holds <{etree.QName(node).localname}> content"
        if local == "style" and (why := _css_problem("".join(node.itertext()), strict=True)):
            return why
        for attr, value in node.attrib.items():
            name = etree.QName(attr).localname
            if name.lower().startswith("on"):
                return f"holds a script ({name})"
            ref = value.strip()
            if name == "href" and ref and not ref.startswith("#") and not ref.lower().startswith(RASTER_DATA):
                return f"references '{ref[:200]}' outside itself ({name})"
            if why := _css_problem(value, strict=name == "style"):
                return why
    return ""


def _css_problem(css: str, *, strict: bool) -> str:
    """Why style text loads something from outside (``@import``, ``url(…)`` not '#…'), or ''."""
    low = css.lower()
    if "@import" in low:
        return "imports a style sheet (@import)"
    if strict and "\\" in css:
        return "hides text in its style with a CSS escape"
    if "image-set(" in low:
        return "loads an image (image-set)"
    start = low.find("url(")
    while start >= 0:
        ref = css[start + 4 : start + 4 + 204].lstrip(" \t\r\n\f'\"")
        if not ref.startswith("#"):
            return f"references '{ref[:200].split(')')[0]}' outside itself (url)"
        start = low.find("url(", start + 4)
    return ""


# --------------------------------------------------------------------------- OLE


def _ole(what: str) -> str:
    return f"{what}, which can run code or fetch files when it is activated; remove it or paste it as a picture"


def _active(what: str) -> str:
    return f"{what}, which runs code when the deck is opened; remove it and save the template again"


def _ole_in(data: bytes, targets: dict[str, str]) -> list[str]:
    try:
        root = etree.fromstring(data, _SVG_PARSER)
    except etree.XMLSyntaxError:
        return []  # refused as not well-formed elsewhere
    found = []
    for el in root.iter("{*}oleObj", "{*}OLEObject"):
        prog = (el.get("progId") or el.get("ProgID") or "no program named")[:100]
        rid = next((v for a, v in el.attrib.items() if a.endswith("}id") or a == "r:id"), "")
        embedded = f", {targets[rid]}" if rid in targets else ""
        found.append(_ole(f"holds an embedded OLE object ({prog}{embedded})"))
    return found


def _chart_workbooks(pkg, rels) -> set[str]:
    """Lower-cased names of the .xlsx parts a chart names in ``c:externalData`` through an internal relationship."""
    wanted: dict[str, set[str]] = {}
    for owner, kind, target, rid in rels:
        if kind == "package" and target.lower().endswith(".xlsx") and owner.lower().startswith("ppt/charts/"):
            wanted.setdefault(owner, set()).add(rid)
    keep = set()
    for chart, rids in wanted.items():
        try:
            root = etree.fromstring(pkg.read(chart), _SVG_PARSER)
        except (etree.XMLSyntaxError, KeyError):
            continue
        used = {v for el in root.iter("{*}externalData") for a, v in el.attrib.items() if a.endswith("}id")}
        keep |= {t.lower() for o, k, t, r in rels if o == chart and r in rids & used}
    return keep


# --------------------------------------------------------------------------- the package


def _internal_rels(pkg) -> list[tuple[str, str, str, str]]:
    """(owner part, relationship type's last word, resolved target, id) for every internal relationship."""
    out = []
    for name in pkg.names():
        low = name.lower()
        if low.endswith(".rels") and (low.startswith("_rels/") or "/_rels/" in low):
            folder, _, base = name.rpartition("_rels/")
            out += _rels_of(pkg, folder + base[: -len(".rels")], name)
    return out


def _rels_of(pkg, owner: str, rels: str | None = None) -> list[tuple[str, str, str, str]]:
    if rels is None:
        folder, _, base = owner.rpartition("/")
        rels = f"{folder}/_rels/{base}.rels" if folder else f"_rels/{base}.rels"
    if rels not in pkg:
        return []
    try:
        root = etree.fromstring(pkg.read(rels), _SVG_PARSER)
    except etree.XMLSyntaxError:
        return []  # refused as not well-formed by the relationship checks
    out = []
    for rel in root:
        if not isinstance(rel.tag, str) or rel.get("TargetMode") == "External":
            continue
        target = rel.get("Target") or ""
        base = "" if target.startswith("/") else posixpath.dirname(owner)
        resolved = posixpath.normpath(posixpath.join(base, target.lstrip("/"))).lstrip("/")
        out.append((owner, (rel.get("Type") or "").rsplit("/", 1)[-1], resolved, rel.get("Id") or ""))
    return out


def _content_types(pkg) -> dict[str, str]:
    """Lower-cased part name → content type, from ``[Content_Types].xml``'s overrides and defaults."""
    if "[Content_Types].xml" not in pkg:
        return {}
    try:
        root = etree.fromstring(pkg.read("[Content_Types].xml"), _SVG_PARSER)
    except etree.XMLSyntaxError:
        return {}
    defaults = {el.get("Extension", "").lower(): el.get("ContentType", "") for el in root.iter(_CT + "Default")}
    overrides = {
        el.get("PartName", "").lstrip("/").lower(): el.get("ContentType", "") for el in root.iter(_CT + "Override")
    }
    types = {}
    for name in pkg.names():
        low = name.lower()
        ext = low.rsplit("/", 1)[-1].rpartition(".")[2]
        types[low] = overrides.get(low) or defaults.get(ext, "")
    return {k: v.split(";")[0].strip().lower() for k, v in types.items()}


def _head(pkg, name: str, size: int = 8) -> bytes:
    """The first ``size`` bytes of a member, inflating no more than needed."""
    m = pkg.members[name]
    if m.method == 0:
        return m.data[:size]
    try:
        return zlib.decompressobj(-15).decompress(m.data[: 64 * 1024], size)
    except zlib.error:
        return b""  # refused as corrupt when it is read


def _is_slide(part: str) -> bool:
    return re.fullmatch(r"ppt/slides/[^/]+\.xml", part) is not None


def _unique(found: list[Finding]) -> list[Finding]:
    seen, out = set(), []
    for f in found:
        if f not in seen:
            seen.add(f)
            out.append(f)
    return out


def _unescape(text: str) -> str:
    import html  # on first use: its entity table is most of a millisecond and a warm build never needs it

    return html.unescape(text)
