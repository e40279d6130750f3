"""Colour arithmetic on six-digit hex colours ('14365D', no '#'): parsing, mixing, hue and lightness."""

from __future__ import annotations

import colorsys

WHITE, BLACK = "FFFFFF", "000000"


def rgb(hex_color: str) -> tuple[int, int, int]:
    """The red, green and blue bytes of a hex colour (a leading '#' is ignored)."""
    h = hex_color.lstrip("#")
    return int(h[0:2], 16), int(h[2:4], 16), int(h[4:6], 16)


def to_hex(r: float, g: float, b: float) -> str:
    """The hex colour of three channel values, each rounded and clamped to 0..255."""
    return "".join(f"{max(0, min(255, round(c))):02X}" for c in (r, g, b))


def mix(a: str, b: str, t: float) -> str:
    """Hex colour ``a`` blended towards ``b`` by ``t`` (0..1)."""
    ca = [int(a[i : i + 2], 16) for i in (0, 2, 4)]
    cb = [int(b[i : i + 2], 16) for i in (0, 2, 4)]
    return "".join(f"{round(x + (y - x) * t):02X}" for x, y in zip(ca, cb, strict=True))


def hls(hex_color: str) -> tuple[float, float, float]:
    """Hue, lightness and saturation of a hex colour, each 0..1."""
    return colorsys.rgb_to_hls(*(c / 255 for c in rgb(hex_color)))


def from_hls(h: float, lightness: float, s: float) -> str:
    """The hex colour of a hue, lightness and saturation (each 0..1)."""
    return to_hex(*(c * 255 for c in colorsys.hls_to_rgb(h, lightness, s)))


def chroma(hex_color: str) -> int:
    """How far a colour is from grey: its largest channel minus its smallest (0..255)."""
    c = rgb(hex_color)
    return max(c) - min(c)


def hue_distance(a: str, b: str) -> float:
    """The angle between two colours' hues on the colour wheel, in degrees (0..180)."""
    d = abs(hls(a)[0] - hls(b)[0])
    return min(d, 1 - d) * 360
