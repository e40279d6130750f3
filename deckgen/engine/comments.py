"""Review comments in a template: never copied into a deck.

A designer's or a sales manager's comments ("INTERNAL: margin on this deal is 60%") live in
``ppt/comments/*`` (classic and modern), with their authors in ``ppt/commentAuthors.xml`` or
``ppt/authors.xml``. The compiler drops the relationships to them, the slide extension that names
modern comments, and every comment part, so no prospect ever receives them.
"""

from __future__ import annotations

import re

from deckgen.engine.opc import Package, Rel, q, rels_name

_COMMENT_RELS = ("/comments", "/commentAuthors", "/authors")
_COMMENT_PARTS = re.compile(r"ppt/(comments/|commentAuthors\.xml$|authors\.xml$)", re.IGNORECASE)
_COMMENT_EXT = "{6950BFC3-D8DA-4A85-94F7-54DA5524770B}"  # a slide's p:ext that names its modern comments


def without_comments(rels: list[Rel], dropped: set[str]) -> list[Rel]:
    """``rels`` less the relationships to comments and their authors; their targets are added to ``dropped``."""
    kept = []
    for rel in rels:
        if not rel.external and rel.type.endswith(_COMMENT_RELS):
            dropped.add(rel.target)
        else:
            kept.append(rel)
    return kept


def drop_comment_refs(root) -> bool:
    """Remove a slide's extension that points at its modern comments; True if one was removed."""
    changed = False
    for ext in list(root.iter(q("p:ext"))):
        if ext.get("uri") == _COMMENT_EXT or any(
            isinstance(el.tag, str) and el.tag.endswith("}commentRel") for el in ext.iter()
        ):
            ext.getparent().remove(ext)
            changed = True
    return changed


def comment_parts(pkg: Package, dropped: set[str]) -> frozenset[str]:
    """Every comment part and its relationships part, referenced or not."""
    names = {n for n in pkg.names() if _COMMENT_PARTS.match(n.replace("_rels/", ""))}
    names |= dropped | {rels_name(n) for n in dropped}
    return frozenset(n for n in names if n in pkg)
