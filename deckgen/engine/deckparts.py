"""The parts every deck gets rebuilt: slide list, its relationships, content types and document properties.

Document properties are clean: the author is the MSP's sales contact, the title names the MSP and
the prospect, and nothing records the tool, the template's author or its dates.
"""

from __future__ import annotations

import copy
import posixpath

from lxml import etree

from deckgen.engine.compiled import CompiledTemplate
from deckgen.engine.opc import NS, RT, RT_CORE_PROPERTIES, Member, Rel, first_free_rid, q, to_bytes
from deckgen.engine.xmltext import escape

CORE = "docProps/core.xml"
APP = "docProps/app.xml"
_PML = "application/vnd.openxmlformats-officedocument.presentationml"
_MAIN_TYPES = {  # a .potx or .ppsx main part becomes a presentation's
    f"{_PML}.template.main+xml": f"{_PML}.presentation.main+xml",
    f"{_PML}.slideshow.main+xml": f"{_PML}.presentation.main+xml",
}


def deck_content_type(ct: str) -> str:
    """A template's or slide show's main content type → a presentation's (others unchanged)."""
    return _MAIN_TYPES.get(ct, ct)


def presentation_xml(ct: CompiledTemplate, slides: list[str]) -> bytes:
    """The presentation part listing ``slides`` (sections and custom shows, which name template slides, go)."""
    root = copy.deepcopy(ct.presentation_xml)
    base = first_free_rid([r for r in ct.presentation_rels if r.type != RT + "slide"])
    lst = root.find(q("p:sldIdLst"))
    if lst is None:
        lst = etree.Element(q("p:sldIdLst"))
        anchor = root.find(q("p:notesMasterIdLst")) or root.find(q("p:sldMasterIdLst"))
        anchor.addnext(lst)
    for child in list(lst):
        lst.remove(child)
    for n in range(len(slides)):
        rid = f"rId{base + n}"
        el = etree.SubElement(lst, q("p:sldId"))
        el.set("id", str(256 + n))
        el.set(q("r:id"), rid)
    for stale in root.findall(q("p:custShowLst")):
        root.remove(stale)
    for ext in root.iter(q("p:ext")):
        if ext.find(q("p14:sectionLst")) is not None:
            ext.getparent().remove(ext)
    return to_bytes(root)


def presentation_rels(ct: CompiledTemplate, slides: list[str]) -> list[Rel]:
    """The presentation's relationships: the template's own, less its slides, plus ``slides``."""
    rels = [r for r in ct.presentation_rels if r.type != RT + "slide"]
    base = first_free_rid(rels)
    return rels + [Rel(f"rId{base + n}", RT + "slide", slide) for n, slide in enumerate(slides)]


def core_xml(context: dict) -> bytes:
    """``docProps/core.xml``: title and author from the context, nothing else."""
    msp = context.get("msp") or {}
    prospect = context.get("prospect") or {}
    author = escape((msp.get("sales_contact") or {}).get("name", "") or msp.get("name", ""))
    title = escape(f"{msp.get('name', '')} — {prospect.get('company', '')}".strip(" —"))
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<cp:coreProperties xmlns:cp="{NS["cp"]}" xmlns:dc="{NS["dc"]}" xmlns:dcterms="{NS["dcterms"]}" '
        'xmlns:dcmitype="http://purl.org/dc/dcmitype/" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        f"<dc:title>{title}</dc:title><dc:creator>{author}</dc:creator>"
        f"<cp:lastModifiedBy>{author}</cp:lastModifiedBy><cp:revision>1</cp:revision>"
        "</cp:coreProperties>"
    ).encode()


def app_xml(msp_name: str, slides: int) -> bytes:
    """``docProps/app.xml``: the MSP as company, and the slide count."""
    company = escape(msp_name)
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<Properties xmlns="{NS["ep"]}" '
        'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
        f"<Company>{company}</Company><PresentationFormat>Custom</PresentationFormat>"
        f"<Slides>{slides}</Slides><Notes>{slides}</Notes><TotalTime>0</TotalTime>"
        "</Properties>"
    ).encode()


def content_types_xml(ct: CompiledTemplate, out: dict[str, Member], types: dict[str, str]) -> bytes:
    """``[Content_Types].xml`` for the deck's parts; ``types`` maps each output part to its template part."""
    src = ct.content_types
    defaults = {
        el.get("Extension", "").lower(): el.get("ContentType") for el in src if el.tag == f"{{{NS['ct']}}}Default"
    }
    overrides = {
        el.get("PartName", "").lstrip("/"): el.get("ContentType") for el in src if el.tag == f"{{{NS['ct']}}}Override"
    }
    defaults.setdefault("rels", "application/vnd.openxmlformats-package.relationships+xml")
    defaults.setdefault("xml", "application/xml")
    needed_defaults = {"png": "image/png", "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
    root = etree.Element(f"{{{NS['ct']}}}Types", nsmap={None: NS["ct"]})
    out_overrides = []
    for name in out:
        source = types.get(name, name)
        ext = posixpath.splitext(name)[1].lstrip(".").lower()
        if source in overrides:
            out_overrides.append((name, deck_content_type(overrides[source])))
        elif name == CORE:
            out_overrides.append((name, "application/vnd.openxmlformats-package.core-properties+xml"))
        elif name == APP:
            out_overrides.append((name, "application/vnd.openxmlformats-officedocument.extended-properties+xml"))
        elif ext not in defaults and ext in needed_defaults:
            defaults[ext] = needed_defaults[ext]
    for ext in sorted(defaults):
        el = etree.SubElement(root, f"{{{NS['ct']}}}Default")
        el.set("Extension", ext)
        el.set("ContentType", defaults[ext])
    for name, ctype in out_overrides:
        el = etree.SubElement(root, f"{{{NS['ct']}}}Override")
        el.set("PartName", "/" + name)
        el.set("ContentType", ctype)
    return to_bytes(root)


def with_properties_rels(rels: list[Rel]) -> list[Rel]:
    """The package relationships, with the document-properties parts added where missing."""
    have = {r.target for r in rels}
    used = {r.rid for r in rels}
    extra = [(CORE, RT_CORE_PROPERTIES), (APP, RT + "extended-properties")]
    out = list(rels)
    n = 1
    for target, rtype in extra:
        if target in have:
            continue
        while f"rIdP{n}" in used:
            n += 1
        out.append(Rel(f"rIdP{n}", rtype, target))
        used.add(f"rIdP{n}")
    return out
