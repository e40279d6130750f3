"""The copy of a deck a prospect receives: the same slides, without the seller's speaker notes or comments.

The speaker notes coach the seller (the fit score, the objections, how to deliver the close) and anyone
who opens the .pptx can read them, so :func:`prospect_copy` takes them out at the package level: every
slide's notesSlide relationship, the notes-slide parts, their relationship parts and their
``[Content_Types].xml`` overrides. The notes master stays (the presentation still names it, and
PowerPoint uses it when someone adds notes later); it holds only placeholder styling. Review comments and
their authors go the same way (:mod:`deckgen.engine.comments`), and ``docProps/app.xml`` counts no notes.

Every member that does not change is copied as it is stored, and the archive is written with fixed
timestamps (:func:`deckgen.engine.opc.zip_bytes`), so the same deck always gives the same bytes.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass

from deckgen.engine.comments import comment_parts, drop_comment_refs, without_comments
from deckgen.engine.opc import (
    CONTENT_TYPES,
    NS,
    RT_NOTES,
    Member,
    Package,
    new_member,
    read_package,
    read_rels,
    rels_name,
    rels_xml,
    to_bytes,
    zip_bytes,
)
from deckgen.engine.safety import parse_xml

__all__ = ["CleanCopy", "prospect_copy"]

_NOTES_PARTS = re.compile(r"ppt/notesSlides/(_rels/)?[^/]+$", re.IGNORECASE)
_NOTES_COUNT = re.compile(rb"<((?:\w+:)?Notes)>\d+</\1>")
_APP = "docProps/app.xml"


@dataclass(frozen=True)
class CleanCopy:
    """A prospect's copy: its bytes, and how many notes slides and comment parts were left out."""

    data: bytes
    notes_slides: int
    comment_parts: int


def _source_part(rels_part: str) -> str:
    """``ppt/slides/_rels/slide1.xml.rels`` → ``ppt/slides/slide1.xml`` (``_rels/.rels`` → ``''``)."""
    folder, base = posixpath.split(rels_part)
    return posixpath.join(posixpath.dirname(folder), base[: -len(".rels")]).lstrip("/")


def prospect_copy(data: bytes, label: str) -> CleanCopy:
    """``data`` (a .pptx) without speaker notes or comments; raise UnsafeInputError if it is no safe package."""
    pkg = read_package(data, label)
    notes: set[str] = {n for n in pkg.names() if _NOTES_PARTS.match(n)}
    comments: set[str] = set()
    changed: dict[str, bytes] = {}
    for name in pkg.names():
        if not name.endswith(".rels") or _NOTES_PARTS.match(name):
            continue
        part = _source_part(name)
        rels = read_rels(pkg, {}, part)
        found: set[str] = set()
        kept = without_comments([r for r in rels if r.external or r.type != RT_NOTES], found)
        if len(kept) == len(rels):
            continue
        notes |= {r.target for r in rels if not r.external and r.type == RT_NOTES}
        comments |= found
        changed[name] = rels_xml(part, kept)
        if found and part in pkg and part.endswith(".xml"):
            root = parse_xml(pkg.read(part), part, pkg.source)
            if drop_comment_refs(root):
                changed[part] = to_bytes(root)
    notes |= {rels_name(n) for n in notes}
    comment_names = comment_parts(pkg, comments)
    gone = {n for n in notes | comment_names if n in pkg}
    changed[CONTENT_TYPES] = _content_types(pkg, gone)
    if _APP in pkg and _APP not in gone:
        changed[_APP] = _NOTES_COUNT.sub(rb"<\1>0</\1>", pkg.read(_APP))
    entries = [(n, _member(pkg, n, changed)) for n in pkg.names() if n not in gone]
    notes_slides = sum(1 for n in notes if n in pkg and not n.endswith(".rels"))
    comments_left_out = sum(1 for n in comment_names if not n.endswith(".rels"))
    return CleanCopy(zip_bytes(entries), notes_slides, comments_left_out)


def _member(pkg: Package, name: str, changed: dict[str, bytes]) -> Member:
    """The stored member, or a new one when its content changed (unchanged content keeps its stored bytes)."""
    if name in changed and changed[name] != pkg.read(name):
        return new_member(name, changed[name])
    return pkg.members[name]


def _content_types(pkg: Package, gone: set[str]) -> bytes:
    """``[Content_Types].xml`` less the overrides of the parts left out."""
    root = parse_xml(pkg.read(CONTENT_TYPES), CONTENT_TYPES, pkg.source)
    for el in root.findall(f"{{{NS['ct']}}}Override"):
        if el.get("PartName", "").lstrip("/") in gone:
            root.remove(el)
    return to_bytes(root)
