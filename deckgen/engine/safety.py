"""The safety rules for a package from someone else: checked before anything in it is parsed.

Entry count (read from the zip's own directory record, before zipfile builds an object per
member), file, member and total sizes, compression ratio and methods, encryption, member names
that climb out of the package, DOCTYPE and ENTITY declarations, macros and ActiveX controls, and
links to files outside the package. The template reader (:func:`deckgen.engine.opc.read_package`)
and ``deckgen check`` use the same rules.
"""

from __future__ import annotations

import re
import struct
import zipfile
import zlib
from urllib.parse import urlsplit

from lxml import etree

from deckgen.engine.outside import check_outside_content, slide_numbers
from deckgen.errors import UnsafeInputError

MAX_MEMBERS = 3_000
MAX_MEMBER_BYTES = 64 * 1024 * 1024
MAX_TOTAL_BYTES = 256 * 1024 * 1024
MAX_RATIO = 200  # uncompressed/compressed, for members over 1 MiB
MAX_PACKAGE_BYTES = 128 * 1024 * 1024
MAX_DIRECTORY_BYTES = 4 * 1024 * 1024  # the zip's central directory (3,000 members need well under 1 MiB)
# The only links a template may keep to something outside the package: web and mail hyperlinks.
EXTERNAL_OK_SCHEMES = ("http://", "https://", "mailto:")
CODE_RELS = {
    "vbaProject": "macros (a VBA project)",
    "activeXControl": "an ActiveX control",
    "control": "an ActiveX control",
    "activeXControlBinary": "an ActiveX control",
}
MACRO_MEMBER_NAMES = ("vbaproject.bin", "vbadata.xml")
MACRO_TYPES = (b"macroEnabled", b"vbaProject", b"vbaData")

_DOCTYPE = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)
_PARSER = etree.XMLParser(
    resolve_entities=False,
    no_network=True,
    huge_tree=False,
    load_dtd=False,
    dtd_validation=False,
    remove_blank_text=False,
)
_MIB = 1024 * 1024


def parse_xml(data: bytes, part: str = "", source: str = ""):
    """Parse a part; refuse DTDs/entities and malformed XML with a clear message."""
    try:
        root = etree.fromstring(data, _PARSER)
    except etree.XMLSyntaxError as exc:
        raise UnsafeInputError(f"part '{part}' is not well-formed XML ({exc.msg})", file=source or None) from None
    if root.getroottree().docinfo.doctype:
        raise UnsafeInputError(f"part '{part}' declares a DOCTYPE, which is not allowed", file=source or None)
    return root


def refuse_doctype(data: bytes, part: str, source: str) -> None:
    """Refuse a part whose start declares a DOCTYPE or ENTITY."""
    if _DOCTYPE.search(data[:4096] if len(data) > 4096 else data):
        raise UnsafeInputError(f"part '{part}' declares a DOCTYPE or ENTITY, which is not allowed", file=source)


# --------------------------------------------------------------------------- the zip


def check_file_size(size: int, label: str) -> None:
    if size > MAX_PACKAGE_BYTES:
        raise UnsafeInputError(f"file is larger than {MAX_PACKAGE_BYTES // _MIB} MiB", file=label)


def check_member_count(count: int, label: str) -> None:
    if count > MAX_MEMBERS:
        raise UnsafeInputError(f"package has {count} members; the limit is {MAX_MEMBERS}", file=label)


def check_total_size(total: int, label: str) -> None:
    if total > MAX_TOTAL_BYTES:
        raise UnsafeInputError(f"package expands to more than {MAX_TOTAL_BYTES // _MIB} MiB", file=label)


def check_directory(fh, size: int, label: str) -> None:
    """Refuse a zip whose central directory lists too many members, before zipfile parses it.

    zipfile builds an object per member before anyone can count them: a 128 MiB file of empty
    members would cost gigabytes of memory. The end-of-directory record says how many there are.
    """
    tail_start = max(0, size - (22 + 65535 + 20 + 56))
    fh.seek(tail_start)
    tail = fh.read()
    end = tail.rfind(b"PK\x05\x06")
    if end < 0 or len(tail) - end < 22:
        return  # not a zip: zipfile says so with its own message
    count, cd_size = struct.unpack("<xxxxxxxxxxHI", tail[end : end + 16])
    locator = end - 20
    if (count == 0xFFFF or cd_size == 0xFFFFFFFF) and locator >= 0 and tail[locator : locator + 4] == b"PK\x06\x07":
        (z64_offset,) = struct.unpack("<Q", tail[locator + 8 : locator + 16])
        fh.seek(z64_offset)
        record = fh.read(56)
        if len(record) == 56 and record[:4] == b"PK\x06\x06":
            count, cd_size = struct.unpack("<QQ", record[32:48])
    fh.seek(0)
    check_member_count(count, label)
    if cd_size > MAX_DIRECTORY_BYTES:
        raise UnsafeInputError(f"package's zip directory is larger than {MAX_DIRECTORY_BYTES // _MIB} MiB", file=label)


def check_member(info: zipfile.ZipInfo, label: str, *, refuse_macros: bool = True) -> None:
    """Refuse a member by its directory entry: name, method, encryption, size, compression ratio, macros."""
    name = info.filename
    if name.startswith("/") or "\\" in name or any(part == ".." for part in name.split("/")) or "\x00" in name:
        raise UnsafeInputError(f"package member name '{name}' is not allowed", file=label)
    if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        raise UnsafeInputError(
            f"package member '{name}' uses an unsupported compression method "
            f"({info.compress_type}); save the file again from PowerPoint",
            file=label,
        )
    if info.flag_bits & 0x1:
        raise UnsafeInputError(f"package member '{name}' is encrypted", file=label)
    if info.file_size > MAX_MEMBER_BYTES:
        raise UnsafeInputError(f"package member '{name}' is larger than {MAX_MEMBER_BYTES // _MIB} MiB", file=label)
    if info.file_size > _MIB and info.file_size > MAX_RATIO * max(info.compress_size, 1):
        raise UnsafeInputError(f"package member '{name}' is compressed suspiciously well (zip bomb?)", file=label)
    if refuse_macros and name.lower().endswith(MACRO_MEMBER_NAMES):
        raise UnsafeInputError(
            "the file contains macros (vbaProject.bin); save it as a .pptx or .potx without macros", file=label
        )


# --------------------------------------------------------------------------- the parts


def check_content_types(pkg, *, refuse_macros: bool = True) -> None:
    """Refuse a package without ``[Content_Types].xml``, or (``refuse_macros``) a macro-enabled one."""
    if "[Content_Types].xml" not in pkg:
        raise UnsafeInputError("not a PowerPoint file ([Content_Types].xml is missing)", file=pkg.source)
    if refuse_macros and is_macro_enabled(pkg.read("[Content_Types].xml")):
        raise UnsafeInputError("the file is macro-enabled; save it as a .pptx or .potx without macros", file=pkg.source)


def is_macro_enabled(content_types: bytes) -> bool:
    """True when a ``[Content_Types].xml`` declares a macro-enabled package or a VBA part."""
    return any(marker in content_types for marker in MACRO_TYPES)


def check_xml_members(pkg) -> None:
    """Read every XML part once, in bounded chunks: no DOCTYPE or ENTITY anywhere, sizes and CRCs right.

    Parts deckgen never parses (layouts, masters, charts it doesn't touch) are copied into every
    deck as they are, so they are checked here, not only when read.
    """
    needles = [n.encode(enc) for n in ("<!DOCTYPE", "<!ENTITY") for enc in ("utf-8", "utf-16-le", "utf-16-be")]
    keep = max(len(n) for n in needles) - 1
    for m in pkg.members.values():
        if not m.name.lower().endswith((".xml", ".rels", ".vml")):
            continue
        crc, size, carry = 0, 0, b""
        for chunk in _chunks(m, pkg.source):
            size += len(chunk)
            crc = zlib.crc32(chunk, crc)
            window = carry + chunk
            if any(n in window for n in needles):
                raise UnsafeInputError(
                    f"part '{m.name}' declares a DOCTYPE or ENTITY, which is not allowed", file=pkg.source
                )
            carry = window[-keep:]
        if size != m.size or crc != m.crc:
            raise UnsafeInputError(f"package member '{m.name}' is corrupt", file=pkg.source)


def _chunks(m, source: str, step: int = 256 * 1024):
    """Yield a member's uncompressed bytes a chunk at a time, never more than its zip entry declares."""
    if m.method == zipfile.ZIP_STORED:
        for start in range(0, len(m.data), step):
            yield m.data[start : start + step]
        return
    inflate = zlib.decompressobj(-15)
    produced = 0
    for start in range(0, len(m.data), step):
        data = m.data[start : start + step]
        while data:
            try:
                out = inflate.decompress(data, step)
            except zlib.error:
                raise UnsafeInputError(
                    f"package member '{m.name}' is corrupt (bad compressed data)", file=source
                ) from None
            produced += len(out)
            if produced > m.size:
                raise UnsafeInputError(f"package member '{m.name}' is larger than its zip entry says", file=source)
            yield out
            data = inflate.unconsumed_tail
            if inflate.eof:
                return


def check_relationships(pkg, only: set[str] | None = None) -> None:
    """Refuse links that reach outside the package and parts that run code.

    A deck built from the template goes to prospects: a picture or object linked to
    ``\\\\server\\share`` or ``file:///`` would make their PowerPoint fetch it (and leak the
    user's Windows credentials), a chart linked to an outside workbook would open it. Web and
    mail hyperlinks are kept.

    ``only`` (part names; '' for the package's own relationships) limits the outside-link checks to
    the relationships of those parts — the parts a corporate master contributes, when its slides are
    thrown away. Code (macros, ActiveX) is refused wherever it is.
    """
    for name in pkg.names():
        if not name.lower().endswith(".rels"):  # part names are case-insensitive: ``.RELS`` is read too
            continue
        root = parse_xml(pkg.read(name), name, pkg.source)
        for rel in root:
            kind = (rel.get("Type") or "").rsplit("/", 1)[-1]
            target = rel.get("Target") or ""
            if kind in CODE_RELS:
                raise UnsafeInputError(
                    f"the file contains {CODE_RELS[kind]} ({name}); remove it and save the template again",
                    file=pkg.source,
                )
            if rel.get("TargetMode") != "External":
                continue
            if only is not None and owner_of(name) not in only:
                continue
            if kind == "hyperlink" and target.lower().startswith(EXTERNAL_OK_SCHEMES):
                continue
            if kind == "hyperlink" and is_tagged_target(target) and _is_slide_part(owner_of(name)):
                continue  # rendered per deck, then checked by clean_hyperlink (deckgen.engine.links)
            where = _part_of(name) + _slide_and_shape(pkg, owner_of(name), rel.get("Id") or "")
            if kind == "hyperlink":
                fix = "remove the link (right-click › Remove Link): only web (http, https) and mailto links are kept"
            else:
                fix = (
                    "insert it into the file instead of linking to it, or remove it: a deck loads nothing from outside"
                )
            raise UnsafeInputError(
                f"{where} has {'a hyperlink' if kind == 'hyperlink' else f'an external {kind}'} to "
                f"'{target[:200]}' outside the file; {fix}",
                file=pkg.source,
            )
    for part, message in linked_content(pkg):
        if only is not None and part not in only:
            continue
        raise UnsafeInputError(f"part '{part}' {message}", file=pkg.source)
    check_outside_content(pkg, only)  # VML URLs, SVG references, OLE objects (deckgen.engine.outside)


# what may point at an external (hyperlink) relationship: a click or hover action, nothing that loads
HYPERLINK_ELEMENTS = frozenset({"hlinkClick", "hlinkHover", "hlinkMouseOver"})
_REL_NAMESPACES = (
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "http://purl.oclc.org/ooxml/officeDocument/relationships",
)
_VML_OFFICE = "{urn:schemas-microsoft-com:office:office}"


def linked_content(pkg) -> list[tuple[str, str]]:
    """(part, what is wrong) for every reference to an outside target that is loaded, not clicked.

    A picture's ``r:link`` (or ``r:embed``, a video's, an OLE object's ``r:id``) that names a
    relationship with ``TargetMode="External"`` makes PowerPoint and LibreOffice fetch the target when
    the deck is opened — whatever type the relationship claims to be (``hyperlink`` included). Only
    the click and hover actions of hyperlinks may use an outside relationship.
    """
    by_lower = {n.lower(): n for n in pkg.names()}
    found: list[tuple[str, str]] = []
    for name in pkg.names():
        if not name.lower().endswith(".rels") or "_rels/" not in name.lower():
            continue
        external = {}
        for rel in parse_xml(pkg.read(name), name, pkg.source):
            if rel.get("TargetMode") == "External":
                external[rel.get("Id") or ""] = rel.get("Target") or ""
        if not external:
            continue
        folder, _, base = name.rpartition("_rels/")
        source = by_lower.get((folder + base[: -len(".rels")]).lower())
        if source is None or not source.lower().endswith((".xml", ".vml")):
            continue
        for el in parse_xml(pkg.read(source), source, pkg.source).iter():
            if not isinstance(el.tag, str):
                continue
            local = etree.QName(el).localname
            for attr, value in el.attrib.items():
                ns, _, attr_local = attr[1:].partition("}") if attr.startswith("{") else ("", "", attr)
                is_ref = ns in _REL_NAMESPACES or (attr.startswith(_VML_OFFICE) and attr_local == "relid")
                if not is_ref or value not in external:
                    continue
                if ns in _REL_NAMESPACES and attr_local == "id" and local in HYPERLINK_ELEMENTS:
                    continue
                found.append(
                    (
                        source,
                        f"loads '{external[value][:200]}' from outside the file when opened (a {local} "
                        f"linked through {value}); embed it or remove the link",
                    )
                )
    return found


# --------------------------------------------------------------------------- hyperlink targets

MAX_LINK_CHARS = 2_048  # what every browser and Office app opens
# C0 and C1 controls, DEL, and the invisible characters that reorder or hide text (zero-width, bidi)
_LINK_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff\ud800-\udfff]")
_LINK_UNSAFE = re.compile("[^A-Za-z0-9!#$%&'()*+,\\-./:;=?@\\[\\]_~]")
_BAD_PERCENT = re.compile("%(?![0-9A-Fa-f]{2})")
# www.acme.example.com or acme.com/contact: a web address typed without its scheme
_BARE_DOMAIN = re.compile(r"(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}(?:[/?#]|$)")
_TAG_START = re.compile(r"\s*(\{\{|\{%|%7b(%7b|%25))", re.IGNORECASE)


def is_tagged_target(target: str) -> bool:
    """True when a hyperlink target starts with a Jinja tag (typed as is, or percent-encoded by PowerPoint)."""
    return _TAG_START.match(target) is not None


def clean_hyperlink(target: str) -> tuple[str, str]:
    """Return ``(target, "")`` fit for a deck, ``("", why)`` when it is refused, or ``("", "")`` when it is empty.

    Surrounding white space is trimmed; a target that is empty, or only a scheme (``mailto:``), is empty;
    a bare domain (``www.acme.com``, ``acme.com/contact``) becomes an https link, as in PowerPoint.
    Refused: anything but an http, https or mailto link (``javascript:``, ``file:``, ``data:``, a
    relative path, ``\\\\server``), a web link without a host, a control or invisible formatting
    character anywhere, and more than :data:`MAX_LINK_CHARS` characters. What a URL may not hold as it
    is (spaces, quotes, angle brackets, non-ASCII) is percent-encoded as UTF-8, and a ``%`` that starts
    no escape becomes ``%25``; the scheme is written in lower case. The same input gives the same output.
    """
    text = target.strip(" \t\r\n")
    if not text:
        return "", ""
    if _LINK_CONTROL.search(text):
        return "", "it holds a control character"
    if _BARE_DOMAIN.match(text):
        text = "https://" + text
    scheme = next((s for s in EXTERNAL_OK_SCHEMES if text.lower().startswith(s)), None)
    if scheme is None:
        return "", "only http, https and mailto links are kept"
    rest = text[len(scheme) :].strip(" ")
    if not rest:
        return "", ""
    encoded = scheme + _BAD_PERCENT.sub("%25", _LINK_UNSAFE.sub(_percent, rest))
    if scheme != "mailto:" and not _host(encoded):
        return "", "it names no web address"
    if len(encoded) > MAX_LINK_CHARS:
        return "", f"it is longer than {MAX_LINK_CHARS:,} characters"
    return encoded, ""


def _host(url: str) -> str:
    try:
        return urlsplit(url).hostname or ""
    except ValueError:  # an unclosed [IPv6 literal
        return ""


def _percent(match: re.Match) -> str:
    return "".join(f"%{byte:02X}" for byte in match.group().encode("utf-8"))


def _is_slide_part(part: str) -> bool:
    return re.fullmatch(r"ppt/(slides/slide|notesSlides/notesSlide)\d+\.xml", part) is not None


def owner_of(rels: str) -> str:
    """``ppt/slides/_rels/slide1.xml.rels`` → ``ppt/slides/slide1.xml``; ``_rels/.rels`` → ''."""
    folder, _, base = rels.rpartition("_rels/")
    return folder + base[: -len(".rels")] if base.lower().endswith(".rels") else ""


def _slide_and_shape(pkg, part: str, rid: str) -> str:
    """`` (slide 2, shape 'Pricing link')`` for the slide part and the shape that use ``rid``; '' when unknown."""
    number = slide_numbers(pkg).get(part) if _is_slide_part(part) else None
    shape = ""
    if rid and part in pkg:
        for el in parse_xml(pkg.read(part), part, pkg.source).iter():
            if isinstance(el.tag, str) and any(v == rid and a.startswith("{") for a, v in el.attrib.items()):
                node = el
                while node is not None and not shape:
                    c_nv = next((c[0] for c in node if len(c) and etree.QName(c[0]).localname.startswith("cNv")), None)
                    shape = c_nv.get("name", "") if c_nv is not None else ""
                    node = node.getparent()
                break
    found = ([f"slide {number}"] if number else []) + ([f"shape '{shape}'"] if shape else [])
    return f" ({', '.join(found)})" if found else ""


def _part_of(rels: str) -> str:
    """``ppt/slides/_rels/slide1.xml.rels`` → ``part 'ppt/slides/slide1.xml'``."""
    folder, _, base = rels.rpartition("_rels/")
    return f"part '{folder}{base[: -len('.rels')]}'" if base.endswith(".rels") and base != ".rels" else "the package"
