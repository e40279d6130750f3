"""How far down a shape whose text makes it taller may grow before it covers something.

Two kinds of shape grow downwards as their text is filled in: a text box set to resize with its text
(``a:spAutoFit``, PowerPoint's default for a text box) and a table, whose rows grow until their
cells' text fits. Either may grow into empty space, but not over a shape it did not cover in the
template, nor past the slide's bottom edge: that point is its *room*. The rule is kept conservative:
only shapes of the slide itself (top-level shapes, as :mod:`deckgen.engine.layout.tables` warns about
them) that overlap the shape's horizontal extent and start below its top count; shapes it already
covered in the template, hidden shapes and the layout's and master's shapes do not.
"""

from __future__ import annotations

from deckgen.engine.layout.frame import EMU_PER_PT, TextFrame, shape_id
from deckgen.engine.layout.styles import DeckStyles
from deckgen.engine.layout.tables import MIN_COVER, covers, hidden, shape_box
from deckgen.engine.opc import q

_SHAPES = (q("p:sp"), q("p:pic"), q("p:graphicFrame"), q("p:grpSp"))
_GROWS = (q("a:spAutoFit"), q("a:noAutofit"), q("a:normAutofit"))
_MAX_SLIDES = 512  # template slides remembered per template


def slide_shapes(root, part: str, styles: DeckStyles) -> list[tuple[object, tuple | None]]:
    """The slide's top-level shapes with their boxes (x, y, cx, cy in EMU; None when unplaced)."""
    tree = root.find(f"{q('p:cSld')}/{q('p:spTree')}")
    if tree is None:
        return []
    return [(el, shape_box(el, part, styles)) for el in tree if el.tag in _SHAPES and not hidden(el)]


def room_below(shapes: list, own, box: tuple, slide_height: int) -> int:
    """The lowest point (EMU) the shape ``own`` at ``box`` may reach: the top of the nearest shape under it
    that it does not cover yet and whose horizontal extent overlaps its own, else the slide's bottom edge."""
    x, y, cx, cy = box
    bottom = slide_height
    for el, other in shapes:
        if el is own or other is None or covers(box, other):
            continue
        if min(x + cx, other[0] + other[2]) - max(x, other[0]) <= MIN_COVER or other[1] < y:
            continue  # beside it, or above it
        bottom = min(bottom, other[1])
    return max(bottom, y + cy)


def growth_limits(state, part: str) -> dict[str, int]:
    """Tagged text boxes of template slide ``part`` that grow with their text and have a shape under them:
    shape id -> the lowest point (EMU) the box may grow to. Shapes keep their template positions in every
    deck, so this is worked out once per template slide (``state``: the template's FitState)."""
    found = state.rooms.get(("grow", part))
    if found is None:
        found = {}
        tagged = state.tagged.get(part) or {}
        root = state.styles.root(part)
        shapes = slide_shapes(root, part, state.styles) if tagged and root is not None else []
        for sp in root.iter(q("p:sp")) if shapes else ():
            sid = shape_id(sp)
            if sid not in tagged:
                continue
            style = state.styles.frame_style(sp, part)
            box = style.box
            if box is None or not _grows(style.bodies):
                continue
            own = (box.x, box.y, box.cx, box.cy)
            bottom = room_below(shapes, top_level(sp), own, state.styles.slide_height)
            if bottom < state.styles.slide_height:
                found[sid] = bottom
        if len(state.rooms) >= _MAX_SLIDES:
            state.rooms.clear()
        state.rooms[("grow", part)] = found
    return found


def stop_growing(frame: TextFrame | None, bottom: int | None) -> None:
    """Let a frame that grows with its text grow down to ``bottom`` (EMU on the slide), not to the slide's edge."""
    if frame is None or bottom is None or frame.grows_from is None:
        return
    y, cy, insets = frame.grows_from
    frame.height = max((max(cy, bottom - y) - insets) / EMU_PER_PT, 0.0)


def _grows(bodies: list) -> bool:
    grows = False
    for body in bodies:
        for child in body if body is not None else ():
            if child.tag in _GROWS:
                grows = child.tag == _GROWS[0]
    return grows


def top_level(el):
    """The shape itself, or the top-level group it sits in (the element :func:`slide_shapes` lists)."""
    parent = el.getparent()
    while parent is not None and parent.tag == q("p:grpSp"):
        el, parent = parent, parent.getparent()
    return el
