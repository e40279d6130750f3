"""The structure checks of ``deckgen check`` (:mod:`deckgen.check`): what PowerPoint would repair.

:class:`StructureChecks` is mixed into the checker, which parses the parts and numbers the slides first:

- relationship ids an XML part uses (``r:id``, ``r:embed``, …) that none of its relationships defines;
- ids that must be unique and are not: ``sldId`` values, ``sldMasterId``/``sldLayoutId`` values (one
  space for both), shape ids on a slide (groups and their members included; see :mod:`deckgen.check`);
- parts missing a relationship PowerPoint requires: a slide without its layout, a layout without its
  master, a master without its theme;
- media whose bytes are not what their content type says, or not an image at all;
- table rows whose cells do not match the grid (``a:gridCol`` count, ``gridSpan``/``hMerge``,
  ``rowSpan``/``vMerge``).
"""

from __future__ import annotations

import re

from deckgen.engine.opc import NS, RT, q, rels_name, resolve_target

_R_NS = "{" + NS["r"] + "}"
# the XML parts whose relationship ids PowerPoint resolves when it opens the deck
_REL_USERS = re.compile(r"ppt/(presentation|slides/|slideLayouts/|slideMasters/|notesSlides/|notesMasters/|charts/)")
_REQUIRED = (
    ("slide", "slideLayout", "its slide layout"),
    ("slideLayout", "slideMaster", "its slide master"),
    ("slideMaster", "theme", "its theme"),
)
_KIND_OF_PART = {
    "ppt/slides/": "slide",
    "ppt/slideLayouts/": "slideLayout",
    "ppt/slideMasters/": "slideMaster",
}
# what the first bytes say an image is, and the content types that name it
_IMAGE_TYPES = {
    "PNG": ("image/png",),
    "JPEG": ("image/jpeg", "image/jpg", "image/pjpeg"),
    "GIF": ("image/gif",),
    "BMP": ("image/bmp", "image/x-bmp", "image/x-ms-bmp"),
    "TIFF": ("image/tiff", "image/x-tiff"),
    "EMF": ("image/x-emf", "image/emf"),
    "WMF": ("image/x-wmf", "image/wmf"),
    "SVG": ("image/svg+xml",),
    "WebP": ("image/webp",),
    "JPEG XR": ("image/vnd.ms-photo", "image/jxr"),
    "ICO": ("image/x-icon", "image/vnd.microsoft.icon"),
}
_KNOWN_IMAGE_TYPES = {ct for cts in _IMAGE_TYPES.values() for ct in cts}


def sniff_image(data: bytes) -> str | None:
    """The image format the bytes are in ('PNG', 'JPEG', …), or None when they are no image deckgen knows."""
    head = data[:64]
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "PNG"
    if head.startswith(b"\xff\xd8\xff"):
        return "JPEG"
    if head.startswith((b"GIF87a", b"GIF89a")):
        return "GIF"
    if head.startswith(b"BM") and len(data) > 26:
        return "BMP"
    if head.startswith((b"II*\x00", b"MM\x00*")):
        return "TIFF"
    if head.startswith(b"II\xbc"):
        return "JPEG XR"
    if head.startswith(b"\x01\x00\x00\x00") and data[40:44] == b" EMF":
        return "EMF"
    if head.startswith((b"\xd7\xcd\xc6\x9a", b"\x01\x00\x09\x00", b"\x02\x00\x09\x00")):
        return "WMF"
    if head.startswith(b"RIFF") and data[8:12] == b"WEBP":
        return "WebP"
    if head.startswith(b"\x00\x00\x01\x00"):
        return "ICO"
    text = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if text.startswith((b"<svg", b"<?xml", b"<!--")) and b"<svg" in text:
        return "SVG"
    return None


class StructureChecks:
    """Mixed into the checker, which sets these attributes and ``add``."""

    roots: dict[str, object]
    slides: dict[str, int]
    presentation: str | None

    def _structure(self) -> None:
        self._undefined_rel_ids()
        self._unique_list_ids()
        self._required_rels()
        self._media()
        for part in sorted(self.slides, key=self.slides.get):
            self._tables(part)

    # ------------------------------------------------------------------ relationship ids
    def _rel_ids(self, part: str) -> set[str] | None:
        root = self.roots.get(rels_name(part))
        if root is None:
            return None if rels_name(part) in self.unparsed else set()
        return {rel.get("Id", "") for rel in root}

    def _undefined_rel_ids(self) -> None:
        for part in sorted(self.roots, key=lambda p: (self.slides.get(p, 10**6), p)):
            if not _REL_USERS.match(part) or not part.endswith(".xml"):
                continue
            defined = self._rel_ids(part)
            if defined is None:
                continue  # the relationships part is broken: reported as bad-xml
            reported: set[str] = set()
            for el in self.roots[part].iter():
                for attr, value in el.attrib.items():
                    if not attr.startswith(_R_NS) or not value or value in defined or value in reported:
                        continue
                    reported.add(value)
                    local = el.tag.rsplit("}", 1)[-1]
                    self.add(
                        "broken-reference",
                        f"<{local}> uses relationship id '{value}', which no relationship of the part "
                        "defines; PowerPoint will want to repair the file",
                        part=part,
                    )

    # ------------------------------------------------------------------ unique ids
    def _unique_list_ids(self) -> None:
        pres = self.roots.get(self.presentation) if self.presentation else None
        if pres is None:
            return
        slide_ids: dict[str, int] = {}
        for sld in pres.iterfind(f"{q('p:sldIdLst')}/{q('p:sldId')}"):
            value = sld.get("id", "")
            slide_ids[value] = slide_ids.get(value, 0) + 1
        for value, count in slide_ids.items():
            if count > 1:
                self.add(
                    "duplicate-id",
                    f"slide id {value} is given to {count} slides in the slide list; "
                    "PowerPoint will want to repair the file",
                    part=self.presentation,
                )
        # master and layout ids share one number space
        owners: dict[str, list[str]] = {}
        for el in pres.iterfind(f"{q('p:sldMasterIdLst')}/{q('p:sldMasterId')}"):
            owners.setdefault(el.get("id", ""), []).append("slide master")
        masters = {
            resolve_target(self.presentation, rel.get("Target", ""))
            for rel in self._rels(self.presentation)
            if rel.get("Type") == RT + "slideMaster"
        }
        for master in sorted(masters):
            root = self.roots.get(master)
            if root is None:
                continue
            for el in root.iterfind(f"{q('p:sldLayoutIdLst')}/{q('p:sldLayoutId')}"):
                owners.setdefault(el.get("id", ""), []).append(f"a layout of {master}")
        for value, users in owners.items():
            if len(users) > 1:
                self.add(
                    "duplicate-id",
                    f"master/layout id {value} is used {len(users)} times ({', '.join(users)}); these ids must be "
                    "unique across all masters and layouts; PowerPoint will want to repair the file",
                    part=self.presentation,
                )

    # ------------------------------------------------------------------ required relationships
    def _required_rels(self) -> None:
        for name in sorted(self.pkg.names()):
            folder = name.rsplit("/", 1)[0] + "/"
            kind = _KIND_OF_PART.get(folder)
            if kind is None or not name.endswith(".xml") or name not in self.roots:
                continue
            for source_kind, needed, what in _REQUIRED:
                if source_kind != kind:
                    continue
                if not any(rel.get("Type") == RT + needed for rel in self._rels(name)):
                    self.add(
                        "missing-relationship",
                        f"has no relationship to {what}; PowerPoint will want to repair the file",
                        part=name,
                    )

    # ------------------------------------------------------------------ media
    def _content_type(self, part: str) -> str:
        root = self.roots.get("[Content_Types].xml")
        if root is None:
            return ""
        for el in root.iter(q("ct:Override")):
            if el.get("PartName", "").lstrip("/").lower() == part.lower():
                return el.get("ContentType", "").lower()
        ext = part.rsplit(".", 1)[-1].lower() if "." in part.rsplit("/", 1)[-1] else ""
        for el in root.iter(q("ct:Default")):
            if el.get("Extension", "").lower() == ext:
                return el.get("ContentType", "").lower()
        return ""

    def _media(self) -> None:
        images: dict[str, str] = {}  # image part -> a part that shows it
        for name in sorted(self.roots):
            if not name.endswith(".rels") or "_rels/" not in name:
                continue
            folder, _, base = name.rpartition("_rels/")
            source = folder + base[: -len(".rels")]
            for rel in self.roots[name]:
                if rel.get("TargetMode") == "External" or not rel.get("Type", "").endswith("/image"):
                    continue
                target = resolve_target(source, rel.get("Target", ""))
                if target in self.pkg:
                    images.setdefault(target, source)
        for name in self.pkg.names():
            if name.startswith("ppt/media/") and self._content_type(name).startswith("image/"):
                images.setdefault(name, "")
        for image in sorted(images):
            content_type = self._content_type(image)
            try:
                data = self.pkg.read(image)
            except Exception:  # noqa: BLE001 - a corrupt member is the finding
                self.add(
                    "bad-media", f"image '{image}' cannot be read (corrupt in the zip)", part=images[image] or image
                )
                continue
            found = sniff_image(data)
            if found is None:
                self.add(
                    "bad-media",
                    f"'{image}' is used as a picture but its bytes are not an image"
                    f" (content type {content_type or 'none'}); PowerPoint shows a red cross or repairs the file",
                    part=images[image] or image,
                )
            elif content_type in _KNOWN_IMAGE_TYPES and content_type not in _IMAGE_TYPES[found]:
                self.add(
                    "bad-media",
                    f"'{image}' is a {found} image but its content type says {content_type}; "
                    "PowerPoint will want to repair the file",
                    part=images[image] or image,
                )

    # ------------------------------------------------------------------ tables
    def _tables(self, part: str) -> None:
        root = self.roots.get(part)
        if root is None:
            return
        for frame in root.iter(q("p:graphicFrame")):
            tbl = frame.find(f".//{q('a:tbl')}")
            if tbl is None:
                continue
            c_nv = frame.find(f"{q('p:nvGraphicFramePr')}/{q('p:cNvPr')}")
            name = c_nv.get("name", "") if c_nv is not None else ""
            for message in table_grid_problems(tbl):
                self.add("table-grid", message, part=part, shape=name or None)


def _int(value: str | None, default: int = 1) -> int:
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default


def table_grid_problems(tbl) -> list[str]:
    """What is wrong with a table's rows against its grid (``a:tbl``), one sentence each."""
    columns = len(tbl.findall(f"{q('a:tblGrid')}/{q('a:gridCol')}"))
    rows = tbl.findall(q("a:tr"))
    problems: list[str] = []
    if columns == 0:
        return ["the table has no grid columns (a:tblGrid is empty); PowerPoint will want to repair the file"]
    covered: set[tuple[int, int]] = set()  # (row, column) cells a rowSpan above covers
    for r, tr in enumerate(rows, start=1):
        cells = tr.findall(q("a:tc"))
        if len(cells) != columns:
            problems.append(
                f"row {r} has {len(cells)} cell{'s' if len(cells) != 1 else ''} but the table grid has "
                f"{columns} column{'s' if columns != 1 else ''}; PowerPoint will want to repair the file"
            )
            continue
        spanned = 0  # cells still to be covered by the gridSpan to their left
        for c, tc in enumerate(cells, start=1):
            h_merge, v_merge = tc.get("hMerge") in ("1", "true"), tc.get("vMerge") in ("1", "true")
            if spanned:
                spanned -= 1
                if not h_merge:
                    problems.append(f"row {r}, cell {c} lies under the gridSpan to its left but is not marked hMerge")
            elif h_merge:
                problems.append(f"row {r}, cell {c} is marked hMerge but no gridSpan to its left covers it")
            if (r, c) in covered:
                if not v_merge:
                    problems.append(f"row {r}, cell {c} lies under the rowSpan above it but is not marked vMerge")
            elif v_merge:
                problems.append(f"row {r}, cell {c} is marked vMerge but no rowSpan above covers it")
            span, row_span = _int(tc.get("gridSpan")), _int(tc.get("rowSpan"))
            if span > 1 and not h_merge:
                if c + span - 1 > columns:
                    problems.append(f"row {r}, cell {c} spans {span} columns, past the table's {columns}")
                spanned = span - 1
            if row_span > 1 and not v_merge:
                if r + row_span - 1 > len(rows):
                    problems.append(f"row {r}, cell {c} spans {row_span} rows, past the table's {len(rows)}")
                for below in range(r + 1, r + row_span):
                    for col in range(c, c + max(span, 1)):
                        covered.add((below, col))
    return problems
