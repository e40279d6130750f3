"""Where a placeholder shape is: its own ``a:xfrm``, or the one of the layout (or master) placeholder it inherits.

A picture dropped into a picture placeholder often has no ``a:xfrm`` of its own; PowerPoint places
it in the layout's frame and stretches it, keeping whatever crop it had. To fit a logo there with its
aspect ratio, the inherited frame is copied onto the picture first.
"""

from __future__ import annotations

import copy

from deckgen.engine.opc import RT_LAYOUT, RT_MASTER, Rel, parse_xml, q, read_rels

_SHAPES = ("p:sp", "p:pic", "p:graphicFrame")


def _placeholder(shape):
    for tag in ("p:nvPicPr", "p:nvSpPr", "p:nvGraphicFramePr"):
        ph = shape.find(f"{q(tag)}/{q('p:nvPr')}/{q('p:ph')}")
        if ph is not None:  # an element without children is falsy: compare with None
            return ph
    return None


def _matches(ph, idx: str | None, kind: str | None) -> bool:
    if idx is not None and ph.get("idx") == idx:
        return True
    return idx is None and (ph.get("type") or "obj") == (kind or "obj")


def inherited_xfrm(shape, rels: list[Rel], pkg, replaced: dict[str, bytes], label: str, depth: int = 0):
    """The ``a:xfrm`` a placeholder ``shape`` inherits from its layout or master, or None."""
    ph = _placeholder(shape)
    if ph is None or depth > 2:
        return None
    idx, kind = ph.get("idx"), ph.get("type")
    parent = next((r for r in rels if r.type in (RT_LAYOUT, RT_MASTER) and not r.external), None)
    if parent is None or parent.target not in pkg:
        return None
    data = replaced.get(parent.target) or pkg.read(parent.target)
    root = parse_xml(data, parent.target, label)
    for tag in _SHAPES:
        for candidate in root.iter(q(tag)):
            cph = _placeholder(candidate)
            if cph is None or not (_matches(cph, idx, kind) or (kind and cph.get("type") == kind)):
                continue
            xfrm = candidate.find(f"{q('p:spPr')}/{q('a:xfrm')}")
            if xfrm is None:
                xfrm = candidate.find(q("p:xfrm"))
            if xfrm is not None and xfrm.find(q("a:off")) is not None and xfrm.find(q("a:ext")) is not None:
                return xfrm
            return inherited_xfrm(candidate, read_rels(pkg, replaced, parent.target), pkg, replaced, label, depth + 1)
    return None


def give_own_frame(pic, rels: list[Rel], pkg, replaced: dict[str, bytes], label: str) -> bool:
    """Copy the inherited frame onto a placeholder picture without one; True if the picture now has a frame."""
    sp_pr = pic.find(q("p:spPr"))
    if sp_pr is None:
        return False
    if sp_pr.find(q("a:xfrm")) is not None:
        return True
    found = inherited_xfrm(pic, rels, pkg, replaced, label)
    if found is None:
        return False
    xfrm = copy.deepcopy(found)
    xfrm.tag = q("a:xfrm")
    for child in list(xfrm):
        if child.tag not in (q("a:off"), q("a:ext")):
            xfrm.remove(child)
    sp_pr.insert(0, xfrm)
    return True
