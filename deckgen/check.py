"""``deckgen check``: lint any deck for what breaks it in PowerPoint or embarrasses it in front of a customer.

:func:`check_deck` reads a deck safely (:func:`deckgen.engine.opc.open_package`, with the rules of
:mod:`deckgen.engine.safety`; a package it refuses, e.g. for macros, is read again keeping those parts
and reported rather than raised) and returns every problem found:

=================  ======================================================================
kind               what it means
=================  ======================================================================
unreadable         not a zip package, unsafe to read, or python-pptx cannot open it
macros             a VBA project (vbaProject.bin) or a macro-enabled content type
bad-xml            a part that is not well-formed XML
content-type       a part that [Content_Types].xml gives no content type
missing-part       a relationship pointing at a part that is not in the file
external-link      a link to a file outside the deck (OLE object, linked media, file hyperlink), a VML
                   attribute naming a URL or path, an SVG picture that loads outside content
embedded-object    an embedded OLE object or ActiveX control (runs or fetches when activated)
duplicate-id       two shapes on one slide with the same id (group shapes and their members too), two
                   slides with the same ``sldId``, or a master/layout id used twice
broken-reference   a relationship id (``r:id``, ``r:embed``, …) a part uses that none of its relationships defines
missing-relationship  a slide without its layout, a layout without its master, a master without its theme
bad-media          a picture whose bytes are not an image, or not the image its content type says
table-grid         a table row whose cells do not match the grid (cell count, ``gridSpan``/``hMerge``,
                   ``rowSpan``/``vMerge``)
leftover-tag       ``{{``, ``{%`` or ``{#`` left in text
bad-text           an ``_x0001_``-style escape or a control character in text
overflow           text that does not fit its box (measured like :mod:`deckgen.engine.layout.fitting` does)
off-slide          text of a box that does not wrap, or that grows with its text, or a table whose rows grow,
                   ending outside the slide
font               (warning) a font deckgen neither bundles, finds installed, nor has a metric twin for
=================  ======================================================================

Warnings do not make a deck fail; every other kind does.
"""

from __future__ import annotations

import re
import warnings
from pathlib import Path

from deckgen.check_report import ERROR, WARNING, DeckReport, Problem
from deckgen.check_structure import StructureChecks
from deckgen.check_text import TextChecks, _clip
from deckgen.engine.layout.styles import DeckStyles
from deckgen.engine.opc import RT_NOTES, Package, open_package, parse_xml, q, rels_name, resolve_target
from deckgen.engine.outside import outside_content
from deckgen.engine.safety import MACRO_MEMBER_NAMES, is_macro_enabled, linked_content
from deckgen.errors import UnsafeInputError

KINDS = (
    "unreadable",
    "macros",
    "bad-xml",
    "content-type",
    "missing-part",
    "external-link",
    "embedded-object",
    "duplicate-id",
    "broken-reference",
    "missing-relationship",
    "bad-media",
    "table-grid",
    "leftover-tag",
    "bad-text",
    "overflow",
    "off-slide",
    "font",
)
_STRUCTURAL = {"unreadable", "bad-xml", "content-type", "missing-part", "missing-relationship"}
# how a finding names each kind of code-running relationship (deckgen.engine.safety.CODE_RELS)
_CODE_RELS = {
    "vbaProject": "a VBA macro project",
    "activeXControl": "an ActiveX control",
    "control": "an ActiveX control",
    "activeXControlBinary": "an ActiveX control",
}
_WEB_SCHEMES = ("http://", "https://", "mailto:", "#")
_SLIDE_PART = re.compile(r"ppt/slides/[^/]+\.xml$")
_MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"


def check_deck(path: Path | str) -> DeckReport:
    """Check one deck; never raises for a broken file, every finding is in the report."""
    report = DeckReport(Path(path))
    _Checker(report).run()
    return report


class _Checker(StructureChecks, TextChecks):
    def __init__(self, report: DeckReport) -> None:
        self.report = report
        self.path = report.path
        self.pkg: Package | None = None
        self.roots: dict[str, object] = {}
        self.slides: dict[str, int] = {}  # slide part -> number
        self.notes: dict[str, int] = {}  # notes part -> slide number
        self.unparsed: set[str] = set()  # XML parts that could not be parsed
        self.presentation: str | None = None  # the presentation part, once found
        self.styles: DeckStyles | None = None  # set up by the overflow check, reused by the font check

    def add(
        self, kind: str, message: str, *, part: str | None = None, shape: str | None = None, severity: str = ERROR
    ) -> None:
        slide = self.slides.get(part) if part else None
        if slide is None and part in self.notes:
            slide, shape = self.notes[part], shape or "speaker notes"
        self.report.problems.append(Problem(kind, message, slide, shape, None if slide else part, severity))

    # ------------------------------------------------------------------ order of the checks
    def run(self) -> None:
        refused = None
        try:
            self.pkg = open_package(self.path)
        except UnsafeInputError as exc:
            # deckgen's reader refuses macros and outside links outright; read the file again with the same
            # size limits but keeping those parts, so they are reported as what they are
            refused = exc.message
            try:
                self.pkg = _package_for_checking(self.path)
            except UnsafeInputError as again:
                self.add("unreadable", again.message)
                return
        self._parse_parts()
        self._number_slides()
        self._macros()
        self._content_types()
        self._relationships()
        for part in sorted(self.slides, key=self.slides.get):
            self._duplicate_ids(part)
        self._structure()
        self._text()
        self._overflow()
        self._fonts()
        if refused and not (self.report.kinds() & {"macros", "external-link", "embedded-object", "bad-xml"}):
            self.add("unreadable", f"refused as unsafe to open: {refused}")
        if not (self.report.kinds() & _STRUCTURAL) and not self.unparsed:
            self._python_pptx()  # tried last: a deck already broken above would only fail again here

    def _macros(self) -> None:
        for name in self.pkg.names():
            if name.lower().rsplit("/", 1)[-1] in MACRO_MEMBER_NAMES:
                self.add("macros", f"holds a VBA macro project ({name}); save it as a .pptx without macros")
                return
        types = self.pkg.read("[Content_Types].xml") if "[Content_Types].xml" in self.pkg else b""
        if is_macro_enabled(types):
            self.add("macros", "is macro-enabled ([Content_Types].xml); save it as a .pptx without macros")
            return
        for name, root in self.roots.items():
            if name.lower().endswith(".rels"):
                for rel in root:
                    kind = rel.get("Type", "").rsplit("/", 1)[-1]
                    if kind in _CODE_RELS:
                        self.add(
                            "macros",
                            f"holds {_CODE_RELS[kind]}, which runs code when the deck is opened",
                            part=_source_of(name) or None,
                        )
                        return

    def _parse_parts(self) -> None:
        for name in self.pkg.names():
            if not name.lower().endswith((".xml", ".rels")):  # part names are case-insensitive
                continue
            try:
                self.roots[name] = parse_xml(self.pkg.read(name), name)
            except UnsafeInputError as exc:
                self.unparsed.add(name)
                if "Char" in exc.message or "char" in exc.message:
                    self.add("bad-text", f"holds a character XML does not allow ({exc.message})", part=name)
                else:
                    self.add("bad-xml", exc.message, part=name)

    # ------------------------------------------------------------------ package structure
    def _content_types(self) -> None:
        root = self.roots.get("[Content_Types].xml")
        if root is None:
            return
        defaults = {el.get("Extension", "").lower() for el in root.iter(q("ct:Default"))}
        overrides = {el.get("PartName", "").lstrip("/").lower() for el in root.iter(q("ct:Override"))}
        for name in self.pkg.names():
            if name == "[Content_Types].xml" or name.lower() in overrides:
                continue
            base = name.rsplit("/", 1)[-1]
            ext = base.rsplit(".", 1)[-1].lower() if "." in base else ""
            if ext not in defaults:
                self.add(
                    "content-type",
                    "has no content type in [Content_Types].xml; PowerPoint will want to repair the file",
                    part=name,
                )
            elif ext == "xml" and name.startswith(("ppt/", "docProps/")):
                # only an Override says what a PresentationML part is; the xml default makes it plain XML
                self.add(
                    "content-type",
                    "has no content type of its own in [Content_Types].xml (only the "
                    "generic one for .xml files); PowerPoint will want to repair the file",
                    part=name,
                )

    def _number_slides(self) -> None:
        pres_part = next(
            (r.get("Target") for r in self._rels("") if r.get("Type", "").endswith("/officeDocument")), None
        )
        if not pres_part:
            self.add("unreadable", "not a PowerPoint file (no presentation part)")
            return
        pres_part = resolve_target("", pres_part)
        self.presentation = pres_part
        root = self.roots.get(pres_part)
        if root is None:
            return
        by_rid = {r.get("Id"): resolve_target(pres_part, r.get("Target", "")) for r in self._rels(pres_part)}
        lst = root.find(q("p:sldIdLst"))
        for number, sld in enumerate(lst if lst is not None else [], start=1):
            part = by_rid.get(sld.get(q("r:id")))
            if part:
                self.slides[part] = number
        for part, number in self.slides.items():
            for rel in self._rels(part):
                if rel.get("Type") == RT_NOTES:
                    self.notes[resolve_target(part, rel.get("Target", ""))] = number

    def _rels(self, part: str) -> list:
        root = self.roots.get(rels_name(part))
        return list(root) if root is not None else []

    def _relationships(self) -> None:
        for name in sorted(self.roots):
            if not name.lower().endswith(".rels") or "_rels/" not in name.lower():
                continue
            source = _source_of(name)
            if source and source not in self.pkg:
                continue  # relationships of a part that is not there are never read
            for rel in self.roots[name]:
                target, kind = rel.get("Target", ""), rel.get("Type", "").rsplit("/", 1)[-1]
                if rel.get("TargetMode") == "External":
                    self._external(source, kind, target)
                    continue
                resolved = resolve_target(source, target)
                if resolved not in self.pkg:
                    self.add(
                        "missing-part",
                        f"relationship {rel.get('Id')} ({kind}) points to '{resolved}', which is not in the file",
                        part=source or name,
                    )
        try:
            linked = linked_content(self.pkg)
        except UnsafeInputError:
            linked = []  # a part that doesn't parse is reported as bad-xml already
        for part, message in linked:
            self.add("external-link", message, part=part)
        try:
            outside = outside_content(self.pkg)  # VML URLs, SVG references, OLE objects and ActiveX parts
        except UnsafeInputError:
            outside = []  # a member that doesn't inflate is reported as unreadable already
        for found in outside:
            if found.slide_part:
                self.add(found.kind, f"part '{found.part}' {found.detail}", part=found.slide_part)
            else:
                self.add(found.kind, found.detail, part=found.part)

    def _external(self, source: str, kind: str, target: str) -> None:
        if kind == "hyperlink":
            if target.lower().startswith(_WEB_SCHEMES):
                return
            self.add(
                "external-link",
                f"links to a file outside the deck ({target}); it will not open on the customer's machine",
                part=source,
            )
            return
        self.add(
            "external-link",
            f"links to an external {kind} ({target}) instead of embedding it; it is "
            "missing on any other machine and can run on opening",
            part=source,
        )

    # ------------------------------------------------------------------ slides
    def _duplicate_ids(self, part: str) -> None:
        root = self.roots.get(part)
        if root is None:
            return
        seen: dict[str, list[str]] = {}
        for c_nv in root.iter(q("p:cNvPr")):
            if any(a.tag == _MC_FALLBACK for a in c_nv.iterancestors()):
                continue  # the fallback of mc:AlternateContent repeats its shapes on purpose
            seen.setdefault(c_nv.get("id", ""), []).append(c_nv.get("name", ""))
        for shape_id, names in seen.items():
            if len(names) > 1:
                listed = ", ".join(f"'{n}'" for n in names)
                self.add(
                    "duplicate-id",
                    f"shape id {shape_id} is used by {len(names)} shapes ({listed}); "
                    "PowerPoint will want to repair the file",
                    part=part,
                )

    def _python_pptx(self) -> None:
        from pptx import Presentation

        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                Presentation(str(self.path))
        except Exception as exc:  # noqa: BLE001 - any failure of the library is the finding
            self.add("unreadable", f"python-pptx cannot open it ({type(exc).__name__}: {_clip(str(exc))})")


def _source_of(rels: str) -> str:
    """``ppt/slides/_rels/slide1.xml.rels`` → ``ppt/slides/slide1.xml``; the package's own → ''."""
    folder, _, base = rels.rpartition("_rels/")
    return folder + base[: -len(".rels")] if base != ".rels" else ""


def _package_for_checking(path: Path) -> Package:
    """The whole package, macros and linked parts included, read within the safe reader's size limits."""
    return open_package(path, refuse_active_content=False)


__all__ = ["check_deck", "DeckReport", "Problem", "KINDS", "ERROR", "WARNING"]
