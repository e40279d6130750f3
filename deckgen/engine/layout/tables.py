"""Tables that grew as a deck rendered: a row loop (or a tall row) makes a table taller than its frame.

PowerPoint and LibreOffice draw every row, whatever height the table's frame says, so a table whose
``{% for %}`` row repeated for this deck's data can run over the shapes under it or off the slide.
Nothing is moved; the slide is named so the template can make room. A table is as tall as its rows'
stated (minimum) heights, or as its cells' text laid out when a ``measure`` is given (long values wrap
and make rows taller, as :mod:`deckgen.check` measures them); a table inside a group is placed by the
groups' transforms.
"""

from __future__ import annotations

from collections.abc import Callable

from deckgen.engine.layout.frame import EMU_PER_PT, PT_PER_IN, describe_length
from deckgen.engine.layout.styles import DeckStyles, int_attr
from deckgen.engine.opc import q
from deckgen.engine.tags import own_name

_FRAME, _TBL, _TR, _GRP = q("p:graphicFrame"), q("a:tbl"), q("a:tr"), q("p:grpSp")
MIN_COVER = 0.05 * PT_PER_IN * EMU_PER_PT  # a twentieth of an inch: frames that only touch don't count


def shape_box(shape, part: str, styles: DeckStyles) -> tuple[int, int, int, int] | None:
    """(x, y, cx, cy) of a top-level shape in EMU, placeholders' inherited positions included, or None."""
    if shape.tag == _FRAME:
        xfrm = shape.find(q("p:xfrm"))
    elif shape.tag == _GRP:
        xfrm = shape.find(f"{q('p:grpSpPr')}/{q('a:xfrm')}")
    else:
        box = styles.frame_style(shape, part).box
        return (box.x, box.y, box.cx, box.cy) if box is not None else None
    off, ext = (xfrm.find(q("a:off")), xfrm.find(q("a:ext"))) if xfrm is not None else (None, None)
    if off is None or ext is None:
        return None
    return tuple(int_attr(v) for v in (off.get("x"), off.get("y"), ext.get("cx"), ext.get("cy")))


def hidden(el) -> bool:
    """True for a shape hidden in PowerPoint (Selection Pane): it shows in no deck, so nothing can cover it."""
    for child in el:  # the non-visual properties come first: p:nvSpPr/p:cNvPr and its kin
        c_nv = child.find(q("p:cNvPr"))
        if c_nv is not None:
            return c_nv.get("hidden") in ("1", "true")
    return False


def covers(a: tuple, b: tuple) -> bool:
    wide = min(a[0] + a[2], b[0] + b[2]) - max(a[0], b[0])
    tall = min(a[1] + a[3], b[1] + b[3]) - max(a[1], b[1])
    return wide > MIN_COVER and tall > MIN_COVER


def on_slide(frame, box: tuple[int, int, int, int]) -> tuple[float, float, float, float, float] | None:
    """``box`` of a shape inside groups in slide coordinates, and the vertical scale; None when unplaced."""
    x, y, cx, cy = box
    scale = 1.0
    group = frame.getparent()
    while group is not None and group.tag == _GRP:
        xfrm = group.find(f"{q('p:grpSpPr')}/{q('a:xfrm')}")
        if xfrm is None:
            return None
        off, ext, ch_off, ch_ext = (xfrm.find(q(t)) for t in ("a:off", "a:ext", "a:chOff", "a:chExt"))
        if off is None or ext is None or ch_off is None or ch_ext is None:
            return None
        sx = int_attr(ext.get("cx")) / (int_attr(ch_ext.get("cx")) or 1)
        sy = int_attr(ext.get("cy")) / (int_attr(ch_ext.get("cy")) or 1)
        x = int_attr(off.get("x")) + (x - int_attr(ch_off.get("x"))) * sx
        y = int_attr(off.get("y")) + (y - int_attr(ch_off.get("y"))) * sy
        cx, cy, scale = cx * sx, cy * sy, scale * sy
        group = group.getparent()
    return x, y, cx, cy, scale


def grown_tables(
    root, part: str, styles: DeckStyles, measure: Callable | None = None, notes: dict | None = None
) -> list[str]:
    """One sentence for each table of slide ``root`` whose rows now cover another shape or leave the slide.

    ``measure(frame)`` gives a table's height in points with its cells' text laid out (or None);
    ``notes`` (graphic frame -> text) adds what was tried, e.g. the cells shrunk to ``min_font_size``.
    """
    tree = root.find(f"{q('p:cSld')}/{q('p:spTree')}")
    if tree is None:
        return []
    shapes = [
        (el, shape_box(el, part, styles))
        for el in tree
        if el.tag in (_FRAME, q("p:sp"), q("p:pic"), q("p:grpSp")) and not hidden(el)
    ]
    found = []
    for frame in tree.iter(_FRAME):
        tbl = frame.find(f"{q('a:graphic')}/{q('a:graphicData')}/{_TBL}")
        own = shape_box(frame, part, styles) if tbl is not None else None
        placed = on_slide(frame, own) if own is not None else None
        if placed is None:
            continue
        *box, scale = placed
        stated = sum(int_attr(tr.get("h")) for tr in tbl.iterfind(_TR))
        laid_out = measure(frame) if measure is not None else None
        text_grew = laid_out is not None and laid_out * EMU_PER_PT > stated + MIN_COVER
        tall = (laid_out * EMU_PER_PT if text_grew else stated) * scale
        if tall - box[3] <= MIN_COVER:
            continue
        grown = (box[0], box[1], box[2], tall)
        covered = [
            own_name(el) or "a shape"
            for el, other in shapes
            if el is not frame and other is not None and covers(grown, other) and not covers(box, other)
        ]
        past = box[1] + tall - styles.slide_height
        if not covered and past <= MIN_COVER:
            continue
        where = (
            f"now covers {', '.join(repr(n) for n in dict.fromkeys(covered))}"
            if covered
            else f"runs {describe_length(past / EMU_PER_PT)} past the bottom of the slide"
        )
        count = len(tbl.findall(_TR))
        rows = f"{count} rows" if count != 1 else "1 row"
        what, fix = (
            (f"the text in its {rows} makes", "shorten the text in its cells, or widen its columns")
            if text_grew
            else (f"its {rows} make" if count != 1 else "its 1 row makes", "show fewer rows")
        )
        found.append(
            f"table '{own_name(frame)}': {what} it {describe_length((tall - box[3]) / EMU_PER_PT)} taller than "
            f"its frame in the template, so it {where}: leave room under the table in the template, or {fix}"
            + ((notes or {}).get(frame, "") if text_grew else "")
        )
    return found
