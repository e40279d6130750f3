"""The colours a slide really shows: theme colours through the colour map, fills, backgrounds, logo pixels.

Used by :mod:`deckgen.engine.graphics` to find what a logo sits on. A colour is ``RRGGBB``; None means
"not one flat colour" (a photo, a pattern, a fill deckgen cannot read), and the check that asked skips it.
Luminance is WCAG 2's relative luminance, the same formula as
:func:`deckgen.brand.contrast.relative_luminance` (the engine cannot import the brand layer).
"""

from __future__ import annotations

import colorsys
import hashlib
import io
import struct
import warnings
from collections import OrderedDict
from collections.abc import Mapping

from PIL import Image

from deckgen.engine.media import MAX_IMAGE_FILE_BYTES, MAX_IMAGE_PIXELS
from deckgen.engine.opc import q

_SCHEME_SLOTS = ("dk1", "lt1", "dk2", "lt2", "accent1", "accent2", "accent3", "accent4", "accent5", "accent6")
_DEFAULT_MAP = {"bg1": "lt1", "tx1": "dk1", "bg2": "lt2", "tx2": "dk2"}
_PRESET = {"white": "FFFFFF", "black": "000000", "red": "FF0000", "green": "008000", "blue": "0000FF"}
_COLOUR_TAGS = tuple(q(t) for t in ("a:srgbClr", "a:schemeClr", "a:sysClr", "a:prstClr", "a:scrgbClr"))
_SAMPLE_EDGE = 128  # logos are measured on a copy at most this many pixels on the long edge
_RASTER = {"PNG", "JPEG", "GIF", "BMP", "WEBP", "TIFF"}
NO_FILL = "none"  # a shape that shows what is under it


def _linear(c: int) -> float:
    s = c / 255
    return s / 12.92 if s <= 0.04045 else ((s + 0.055) / 1.055) ** 2.4


_LINEAR = [_linear(c) for c in range(256)]


def luminance(hex_color: str) -> float:
    """WCAG 2 relative luminance of ``RRGGBB`` (0 black … 1 white)."""
    r, g, b = (int(hex_color[i : i + 2], 16) for i in (0, 2, 4))
    return 0.2126 * _LINEAR[r] + 0.7152 * _LINEAR[g] + 0.0722 * _LINEAR[b]


def ratio(l1: float, l2: float) -> float:
    """WCAG 2 contrast ratio of two relative luminances, 1.0 to 21.0."""
    hi, lo = max(l1, l2), min(l1, l2)
    return (hi + 0.05) / (lo + 0.05)


class Palette:
    """A theme's colour scheme seen through one slide's colour map (``bg1`` → ``lt1`` → ``FFFFFF``)."""

    def __init__(self, scheme: Mapping[str, str], clr_map: Mapping[str, str]) -> None:
        self.scheme = dict(scheme)
        self.clr_map = {**_DEFAULT_MAP, **clr_map}

    def colour(self, el) -> str | None:
        """The ``RRGGBB`` of a DrawingML colour element (with lumMod/lumOff/tint/shade applied), or None."""
        tag = el.tag
        if tag == q("a:srgbClr"):
            base = el.get("val", "")
        elif tag == q("a:schemeClr"):
            val = el.get("val", "")
            base = self.scheme.get(self.clr_map.get(val, val), "")
        elif tag == q("a:sysClr"):
            base = el.get("lastClr", "")
        elif tag == q("a:prstClr"):
            base = _PRESET.get(el.get("val", ""), "")
        elif tag == q("a:scrgbClr"):
            try:
                base = "".join(f"{round(int(el.get(k, '0')) / 100000 * 255):02X}" for k in "rgb")
            except ValueError:
                return None
        else:
            return None
        if len(base) != 6 or any(c not in "0123456789abcdefABCDEF" for c in base):
            return None
        return _transformed(base.upper(), el)

    def fill(self, parent, style=None) -> str | None:
        """What a shape's or background's fill shows: ``RRGGBB``, :data:`NO_FILL`, or None (not one colour).

        ``parent`` holds the fill element (``p:spPr``, ``p:bgPr``); without one, ``style`` (the shape's
        ``p:style``) decides through its ``a:fillRef``.
        """
        for child in parent if parent is not None else ():
            if child.tag == q("a:noFill"):
                return NO_FILL
            if child.tag == q("a:solidFill"):
                return self._first_colour(child)
            if child.tag == q("a:gradFill"):
                stops = [self._first_colour(gs) for gs in child.iter(q("a:gs"))]
                return _mean([s for s in stops if s]) if stops and all(stops) else None
            if child.tag in (q("a:blipFill"), q("a:pattFill"), q("a:grpFill")):
                return None
        ref = style.find(q("a:fillRef")) if style is not None else None
        if ref is None or ref.get("idx", "0") == "0":
            return NO_FILL
        return self._first_colour(ref)

    def background(self, root) -> str | None | bool:
        """The ``p:bg`` of a slide, layout or master: ``RRGGBB``, None (a picture or pattern), or False (none set)."""
        bg = root.find(f"{q('p:cSld')}/{q('p:bg')}")
        if bg is None:
            return False
        pr = bg.find(q("p:bgPr"))
        if pr is not None:
            value = self.fill(pr)
            return False if value == NO_FILL else value
        ref = bg.find(q("p:bgRef"))
        return self._first_colour(ref) if ref is not None else False

    def _first_colour(self, parent) -> str | None:
        el = next((c for c in parent if c.tag in _COLOUR_TAGS), None)
        return self.colour(el) if el is not None else None


def theme_scheme(theme_root) -> dict[str, str]:
    """``dk1``… ``accent6`` → ``RRGGBB`` from a theme part's colour scheme."""
    out: dict[str, str] = {}
    scheme = theme_root.find(f".//{q('a:clrScheme')}") if theme_root is not None else None
    for slot in scheme if scheme is not None else ():
        name = slot.tag.rsplit("}", 1)[-1]
        if name not in _SCHEME_SLOTS:
            continue
        el = next((c for c in slot if c.tag in _COLOUR_TAGS), None)
        if el is not None:
            value = el.get("lastClr") if el.tag == q("a:sysClr") else el.get("val")
            if value and len(value) == 6:
                out[name] = value.upper()
    return out


def colour_map(root, fallback: Mapping[str, str]) -> dict[str, str]:
    """A master's ``p:clrMap``, or a slide's or layout's ``p:clrMapOvr`` override; else ``fallback``."""
    own = root.find(q("p:clrMap"))
    if own is None:
        own = root.find(f"{q('p:clrMapOvr')}/{q('a:overrideClrMapping')}")
    return dict(own.attrib) if own is not None else dict(fallback)


def picture_luminance(data: bytes) -> float | None:
    """The mean relative luminance of an image's opaque pixels (alpha ≥ 50 %), or None.

    None for an image with no transparent pixels (it brings its own background, so what it sits on
    hardly matters), for one that is not a raster image, and for one over the image limits of
    :mod:`deckgen.engine.media`; the decode is of a copy at most 128 pixels on the long edge. A brand's
    logos are measured once per process, not once per compile (batch workers, lint's trials).
    """
    key = hashlib.sha256(data).digest()
    if key not in _MEASURED:
        _MEASURED[key] = _measure(data)
        while len(_MEASURED) > _MEASURED_ENTRIES:
            _MEASURED.popitem(last=False)
    return _MEASURED[key]


_MEASURED: OrderedDict[bytes, float | None] = OrderedDict()
_MEASURED_ENTRIES = 64


def _measure(data: bytes) -> float | None:
    if len(data) > MAX_IMAGE_FILE_BYTES:
        return None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as img:
                w, h = img.size
                if img.format not in _RASTER or not (0 < w * h <= MAX_IMAGE_PIXELS):
                    return None
                if img.mode not in ("RGBA", "LA", "PA") and "transparency" not in img.info:
                    return None
                img.thumbnail((_SAMPLE_EDGE, _SAMPLE_EDGE))
                pixels = img.convert("RGBA").tobytes()
    except (
        OSError,
        SyntaxError,
        ValueError,
        ZeroDivisionError,
        EOFError,
        struct.error,
        Image.DecompressionBombError,
        Image.DecompressionBombWarning,
    ):
        return None  # an unreadable picture is simply not measured
    total, count, transparent = 0.0, 0, False
    for i in range(0, len(pixels), 4):
        if pixels[i + 3] < 128:
            transparent = True
            continue
        total += 0.2126 * _LINEAR[pixels[i]] + 0.7152 * _LINEAR[pixels[i + 1]] + 0.0722 * _LINEAR[pixels[i + 2]]
        count += 1
    return total / count if count and transparent else None


# --------------------------------------------------------------------------- helpers


def _transformed(base: str, el) -> str | None:
    r, g, b = (int(base[i : i + 2], 16) / 255 for i in (0, 2, 4))
    for mod in el:
        name = mod.tag.rsplit("}", 1)[-1]
        try:
            val = int(mod.get("val", "0")) / 100000
        except ValueError:
            continue
        if name == "alpha" and val < 0.5:
            return None  # mostly see-through: not the colour the eye gets
        if name in ("lumMod", "lumOff"):
            h, light, s = colorsys.rgb_to_hls(r, g, b)
            light = light * val if name == "lumMod" else light + val
            r, g, b = colorsys.hls_to_rgb(h, min(1.0, max(0.0, light)), s)
        elif name == "tint":
            r, g, b = (c + (1 - c) * (1 - val) for c in (r, g, b))
        elif name == "shade":
            r, g, b = (c * val for c in (r, g, b))
    return "".join(f"{round(min(1.0, max(0.0, c)) * 255):02X}" for c in (r, g, b))


def _mean(colours: list[str]) -> str:
    channels = [[int(c[i : i + 2], 16) for c in colours] for i in (0, 2, 4)]
    return "".join(f"{round(sum(ch) / len(ch)):02X}" for ch in channels)


__all__ = ["NO_FILL", "Palette", "colour_map", "luminance", "picture_luminance", "ratio", "theme_scheme"]
