"""Shape ids on one slide must be unique; decks assembled from other decks often carry duplicates.

PowerPoint "repairs" a slide whose shapes share an id (and drops animations that name them).
The compiler gives every shape after the first with a given id a new, unused id; animation
targets and connector ends keep pointing at the first, which is what PowerPoint's repair does too.
"""

from __future__ import annotations

from deckgen.engine.opc import q
from deckgen.engine.tags import own_name

_NV_PROPS = ("p:nvSpPr", "p:nvPicPr", "p:nvGrpSpPr", "p:nvGraphicFramePr", "p:nvCxnSpPr")


def _ids(root):
    tree = root.find(f"{q('p:cSld')}/{q('p:spTree')}")
    if tree is None:
        return
    for el in tree.iter(*(q(t) for t in _NV_PROPS)):
        c_nv = el.find(q("p:cNvPr"))
        if c_nv is not None and c_nv.get("id", "").isdigit():
            yield c_nv


def duplicate_shape_ids(root) -> list[tuple[str, list[str]]]:
    """(id, names of the shapes that share it) for every id used more than once on the slide."""
    by_id: dict[str, list[str]] = {}
    for c_nv in _ids(root):
        by_id.setdefault(c_nv.get("id"), []).append(c_nv.get("name", "") or own_name(c_nv.getparent().getparent()))
    return [(i, names) for i, names in by_id.items() if len(names) > 1]


def duplicate_id_message(shape_id: str, names: list[str]) -> str:
    """What lint and build say about one shared id."""
    listed = ", ".join(f"'{n}'" for n in names)
    return (
        f"shape id {shape_id} is used by {len(names)} shapes ({listed}); deckgen gives the later ones new ids "
        "in every deck (PowerPoint would repair the slide)"
    )


def renumber_duplicate_ids(root) -> list[str]:
    """Give every repeated shape id after its first use a fresh id; the names of the shapes renumbered."""
    elements = list(_ids(root))
    used = {int(c.get("id")) for c in elements}
    seen: set[str] = set()
    renamed: list[str] = []
    next_id = max(used, default=0) + 1
    for c_nv in elements:
        value = c_nv.get("id")
        if value not in seen:
            seen.add(value)
            continue
        c_nv.set("id", str(next_id))
        renamed.append(c_nv.get("name", ""))
        next_id += 1
    return renamed
