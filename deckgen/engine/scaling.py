"""Scaling a slide master or layout designed for another slide size onto the template's size.

Every LibreOffice Impress master is 28 × 15.75 cm; PowerPoint's widescreen is 33.867 × 19.05 cm.
Positions and sizes (``a:off``, ``a:ext``, and a group's ``a:chOff``/``a:chExt``) are scaled by the
ratio of the slide widths and heights, text sizes and line widths by the smaller of the two, so
backgrounds, logos and footers land where the designer put them, relative to the slide.
"""

from __future__ import annotations

from deckgen.engine.opc import parse_xml, q, to_bytes

_XY = ((("a:off", "a:chOff"), ("x", "y")), (("a:ext", "a:chExt"), ("cx", "cy")))
_TEXT_SIZES = ("a:rPr", "a:defRPr", "a:endParaRPr")


def scale_factors(mine: tuple[int, int], theirs: tuple[int, int]) -> tuple[float, float]:
    """(sx, sy) that take a part designed for ``theirs`` (cx, cy) to ``mine``."""
    return mine[0] / theirs[0], mine[1] / theirs[1]


def scale_part(data: bytes, part: str, label: str, sx: float, sy: float) -> bytes:
    """The master or layout XML ``data`` with its geometry scaled by (sx, sy) and its text by min(sx, sy)."""
    root = parse_xml(data, part, label)
    for tags, (ax, ay) in _XY:
        for el in root.iter(*(q(t) for t in tags)):
            for attr, factor in ((ax, sx), (ay, sy)):
                value = el.get(attr)
                if value is not None and value.lstrip("-").isdigit():
                    el.set(attr, str(round(int(value) * factor)))
    text = min(sx, sy)
    for el in root.iter(*(q(t) for t in _TEXT_SIZES)):
        value = el.get("sz")
        if value is not None and value.isdigit():
            el.set("sz", str(max(100, min(400000, round(int(value) * text)))))
    for el in root.iter(q("a:ln")):
        value = el.get("w")
        if value is not None and value.isdigit():
            el.set("w", str(min(20116800, round(int(value) * text))))
    return to_bytes(root)
