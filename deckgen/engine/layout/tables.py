"""Tables that grew as a deck rendered: a row loop (or a tall row) makes a table taller than its frame.

PowerPoint and LibreOffice draw every row, whatever height the table's frame says, so a table whose
``{% for %}`` row repeated for this deck's data can run over the shapes under it or off the slide.
Nothing is moved; the slide is named so the template can make room. Row heights are the rows' stated
(minimum) heights: text that wraps inside a cell only makes the table taller still.
"""

from __future__ import annotations

from deckgen.engine.layout.frame import EMU_PER_PT, PT_PER_IN, describe_length
from deckgen.engine.layout.styles import DeckStyles, int_attr
from deckgen.engine.opc import q
from deckgen.engine.tags import own_name

_FRAME, _TBL, _TR = q("p:graphicFrame"), q("a:tbl"), q("a:tr")
_MIN_COVER = 0.05 * PT_PER_IN * EMU_PER_PT  # a twentieth of an inch: frames that only touch don't count


def _box(shape, part: str, styles: DeckStyles) -> tuple[int, int, int, int] | None:
    """(x, y, cx, cy) of a top-level shape in EMU, placeholders' inherited positions included, or None."""
    if shape.tag == _FRAME:
        xfrm = shape.find(q("p:xfrm"))
    elif shape.tag == q("p:grpSp"):
        xfrm = shape.find(f"{q('p:grpSpPr')}/{q('a:xfrm')}")
    else:
        box = styles.frame_style(shape, part).box
        return (box.x, box.y, box.cx, box.cy) if box is not None else None
    off, ext = (xfrm.find(q("a:off")), xfrm.find(q("a:ext"))) if xfrm is not None else (None, None)
    if off is None or ext is None:
        return None
    return tuple(int_attr(v) for v in (off.get("x"), off.get("y"), ext.get("cx"), ext.get("cy")))


def _covers(a: tuple, b: tuple) -> bool:
    wide = min(a[0] + a[2], b[0] + b[2]) - max(a[0], b[0])
    tall = min(a[1] + a[3], b[1] + b[3]) - max(a[1], b[1])
    return wide > _MIN_COVER and tall > _MIN_COVER


def grown_tables(root, part: str, styles: DeckStyles) -> list[str]:
    """One sentence for each table of slide ``root`` whose rows now cover another shape or leave the slide."""
    tree = root.find(f"{q('p:cSld')}/{q('p:spTree')}")
    if tree is None:
        return []
    shapes = [(el, _box(el, part, styles)) for el in tree if el.tag in (_FRAME, q("p:sp"), q("p:pic"), q("p:grpSp"))]
    found = []
    for frame, box in shapes:
        tbl = frame.find(f"{q('a:graphic')}/{q('a:graphicData')}/{_TBL}") if frame.tag == _FRAME else None
        if tbl is None or box is None:
            continue
        tall = sum(int_attr(tr.get("h")) for tr in tbl.iterfind(_TR))
        if tall - box[3] <= _MIN_COVER:
            continue
        grown = (box[0], box[1], box[2], tall)
        covered = [
            own_name(el) or "a shape"
            for el, other in shapes
            if el is not frame and other is not None and _covers(grown, other) and not _covers(box, other)
        ]
        past = box[1] + tall - styles.slide_height
        if not covered and past <= _MIN_COVER:
            continue
        where = (
            f"now covers {', '.join(repr(n) for n in dict.fromkeys(covered))}"
            if covered
            else f"runs {describe_length(past / EMU_PER_PT)} past the bottom of the slide"
        )
        found.append(
            f"table '{own_name(frame)}': its {len(tbl.findall(_TR))} rows make it "
            f"{describe_length((tall - box[3]) / EMU_PER_PT)} taller than its frame in the template, so it {where}: "
            "leave room under the table in the template, or show fewer rows"
        )
    return found
