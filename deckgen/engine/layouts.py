"""The slide layouts of a package as :func:`deckgen.engine.master.apply_master` sees them.

Reading a layout's name, type and placeholders, matching a template slide to a corporate layout
(same name, else best placeholder fit), pointing the slide's placeholders at the layout's, and
naming a slide size for the warnings.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from deckgen.engine.opc import Package, parse_xml, q

_FAMILIES = {"title": "title", "ctrTitle": "title", "dt": "dt", "ftr": "ftr", "sldNum": "sldNum", "hdr": "hdr"}
_FOOTERS = {"dt", "ftr", "sldNum", "hdr"}
_FAMILY_WORDS = {
    "title": "title",
    "body": "text or content",
    "dt": "date",
    "ftr": "footer",
    "sldNum": "slide number",
    "hdr": "header",
}


@dataclass
class _Layout:
    part: str  # in its own package
    name: str
    type: str
    placeholders: list[tuple[str, str, int]]  # (family, type, idx), in document order
    order: int

    @property
    def content(self) -> list[tuple[str, str, int]]:
        return [p for p in self.placeholders if p[0] not in _FOOTERS]


def _family(ph_type: str) -> str:
    return _FAMILIES.get(ph_type, "body")


def _placeholders(root) -> list[tuple[str, str, int, object]]:
    out = []
    tree = root.find(f"{q('p:cSld')}/{q('p:spTree')}")
    for ph in tree.iter(q("p:ph")) if tree is not None else []:
        kind = ph.get("type", "obj")  # the schema's default
        try:
            idx = int(ph.get("idx", "0"))
        except ValueError:
            idx = 0
        out.append((_family(kind), kind, idx, ph))
    return out


def _layout(pkg: Package, part: str, order: int) -> _Layout:
    root = parse_xml(pkg.read(part), part, pkg.source)
    c_sld = root.find(q("p:cSld"))
    name = c_sld.get("name", "") if c_sld is not None else ""
    return _Layout(part, name, root.get("type", ""), [p[:3] for p in _placeholders(root)], order)


def _norm(name: str) -> str:
    return " ".join(name.lower().split())


def _describe(size: tuple[int, int]) -> str:
    cx, cy = size
    ratio = cx / cy
    shape = (
        "16:9"
        if abs(ratio - 16 / 9) < 0.02
        else "4:3"
        if abs(ratio - 4 / 3) < 0.02
        else "16:10"
        if abs(ratio - 1.6) < 0.02
        else f"{ratio:.2f}:1"
    )
    return f"{shape} ({cx / 360000:.1f} × {cy / 360000:.1f} cm)"


def _match(own: _Layout | None, placeholders, layouts: list[_Layout]) -> tuple[_Layout, str, list[str]]:
    """The corporate layout for a slide: same name, else best placeholder fit, else the closest one.

    Returns (layout, "name" | "placeholders" | "fallback", words for placeholders it lacks).
    """
    if own is not None and own.name.strip():
        for layout in layouts:
            if _norm(layout.name) == _norm(own.name):
                return layout, "name", []
    wanted = [(fam, kind) for fam, kind, _, _ in placeholders if fam not in _FOOTERS]
    want_fam = Counter(fam for fam, _ in wanted)
    want_kind = Counter(kind for _, kind in wanted)

    def score(layout: _Layout):
        have_fam = Counter(fam for fam, _, _ in layout.content)
        have_kind = Counter(kind for _, kind, _ in layout.content)
        missing_fam = sum((want_fam - have_fam).values())
        missing_kind = sum((want_kind - have_kind).values())
        same_type = own is not None and bool(own.type) and layout.type == own.type
        extra = max(0, len(layout.content) - len(wanted))
        return missing_fam, missing_kind, not same_type, extra, layout.order

    best = min(layouts, key=score)
    have = Counter(fam for fam, _, _ in best.content)
    missing = sorted(want_fam - have)
    return best, ("fallback" if missing else "placeholders"), [_FAMILY_WORDS.get(m, m) for m in missing]


def _renumber_placeholders(placeholders, layout: _Layout) -> bool:
    """Point the slide's placeholders at the layout's (PowerPoint pairs them by type and index)."""
    free: dict[str, list[int]] = {}
    for fam, _, idx in layout.placeholders:
        free.setdefault(fam, []).append(idx)
    changed = False
    pending = []
    for fam, _, idx, ph in placeholders:
        if idx in free.get(fam, []):
            free[fam].remove(idx)
        else:
            pending.append((fam, idx, ph))
    for fam, _, ph in pending:
        if free.get(fam):
            new = free[fam].pop(0)
            ph.set("idx", str(new))
            changed = True
    return changed
