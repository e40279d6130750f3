#!/usr/bin/env python3
"""Draw the logos of the fictional example brands with Pillow.

    python tools/make_brand_logo.py            # writes brand/ridgeline/ and brand/slate/ logos

Each brand gets ``logo.png`` (for light backgrounds) and ``logo-dark.png`` (light-on-dark),
1200 px wide (about 1200 x 330), transparent background, cropped tight with an even margin so the
engine can fit and centre them in a template's logo frame. Drawing happens at 3x and is
scaled down for smooth edges. The output is deterministic for a given Pillow and font.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

ROOT = Path(__file__).resolve().parents[1]
SS = 3  # supersampling factor
WIDTH = 1200  # final width in px
PAD = 16  # transparent margin around the artwork, final px

FONT_DIRS = [
    Path("/usr/share/fonts/truetype/crosextra"),
    Path("/usr/share/fonts/truetype/liberation2"),
    Path("/usr/share/fonts/truetype/liberation"),
    Path("/usr/share/fonts/TTF"),
]


def _font(filename: str, size: int) -> ImageFont.FreeTypeFont:
    for folder in FONT_DIRS:
        path = folder / filename
        if path.exists():
            return ImageFont.truetype(str(path), size)
    raise SystemExit(f"font {filename} not found (looked in {', '.join(map(str, FONT_DIRS))})")


def _rgba(hex_colour: str) -> tuple[int, int, int, int]:
    h = hex_colour.lstrip("#")
    return int(h[0:2], 16), int(h[2:4], 16), int(h[4:6], 16), 255


def _tracked(draw: ImageDraw.ImageDraw, xy, text: str, font, fill, tracking: float) -> float:
    """Draw ``text`` with extra letter spacing; return the x where it ends."""
    x, y = xy
    for ch in text:
        draw.text((x, y), ch, font=font, fill=fill)
        x += font.getlength(ch) + tracking
    return x - tracking


def _finish(canvas: Image.Image) -> Image.Image:
    """Crop to the artwork, add an even margin, scale down to WIDTH px wide."""
    box = canvas.getbbox()
    art = canvas.crop(box)
    scale = (WIDTH - 2 * PAD) / art.width
    size = (WIDTH - 2 * PAD, round(art.height * scale))
    art = art.resize(size, Image.LANCZOS)
    out = Image.new("RGBA", (WIDTH, size[1] + 2 * PAD), (0, 0, 0, 0))
    out.paste(art, (PAD, PAD))
    return out


# --------------------------------------------------------------------------- Ridgeline


def ridgeline(dark: bool) -> Image.Image:
    """A peak, a smaller overlapping peak and a rising sun, then the wordmark."""
    navy, teal, amber = "#14365D", "#0E7068", "#F2A541"
    peak = "#FFFFFF" if dark else navy
    peak2 = "#5CC2B4" if dark else teal
    word = "#FFFFFF" if dark else navy
    sub = "#9FDCD3" if dark else teal
    s = SS
    canvas = Image.new("RGBA", (1400 * s, 420 * s), (0, 0, 0, 0))
    d = ImageDraw.Draw(canvas)
    base = 340 * s
    # sun first, so the peaks overlap it
    d.ellipse((205 * s, 60 * s, 285 * s, 140 * s), fill=_rgba(amber))
    # main peak and the nearer, smaller ridge in front of it
    d.polygon([(20 * s, base), (160 * s, 80 * s), (300 * s, base)], fill=_rgba(peak))
    d.polygon([(150 * s, base), (250 * s, 170 * s), (350 * s, base)], fill=_rgba(peak2))
    # a notch of snow line: a thin gap between the two ridges reads as depth
    gap = (0, 0, 0, 0)
    d.line([(150 * s, base), (250 * s, 170 * s)], fill=gap, width=10 * s)
    d.polygon([(160 * s, base), (250 * s, 186 * s), (340 * s, base)], fill=_rgba(peak2))
    # wordmark
    title = _font("Carlito-Bold.ttf", 190 * s)
    small = _font("Carlito-Bold.ttf", 66 * s)
    x0 = 400 * s
    d.text((x0, 100 * s), "Ridgeline", font=title, fill=_rgba(word))
    # baseline-align the second line under the wordmark
    _tracked(d, (x0 + 6 * s, 285 * s), "MANAGED IT", small, _rgba(sub), tracking=22 * s)
    return _finish(canvas)


# --------------------------------------------------------------------------- Slate Harbor


def slate(dark: bool) -> Image.Image:
    """Three stacked slabs of decreasing length in a rounded tile, then the wordmark."""
    charcoal, green, lime = "#2B3137", "#17703D", "#8CC63F"
    tile = "#FFFFFF" if dark else charcoal
    slab = charcoal if dark else "#FFFFFF"
    word = "#FFFFFF" if dark else charcoal
    sub = "#A9DE8A" if dark else green
    s = SS
    canvas = Image.new("RGBA", (1500 * s, 420 * s), (0, 0, 0, 0))
    d = ImageDraw.Draw(canvas)
    d.rounded_rectangle((20 * s, 40 * s, 340 * s, 360 * s), radius=56 * s, fill=_rgba(tile))
    d.rounded_rectangle((80 * s, 110 * s, 280 * s, 150 * s), radius=20 * s, fill=_rgba(slab))
    d.rounded_rectangle((80 * s, 180 * s, 240 * s, 220 * s), radius=20 * s, fill=_rgba(slab))
    d.rounded_rectangle((80 * s, 250 * s, 200 * s, 290 * s), radius=20 * s, fill=_rgba(lime))
    title = _font("LiberationSans-Bold.ttf", 150 * s)
    small = _font("LiberationSans-Bold.ttf", 58 * s)
    x0 = 400 * s
    d.text((x0, 60 * s), "Slate Harbor", font=title, fill=_rgba(word))
    _tracked(d, (x0 + 6 * s, 262 * s), "IT SERVICES", small, _rgba(sub), tracking=20 * s)
    return _finish(canvas)


BRANDS = {"ridgeline": ridgeline, "slate": slate}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[1])
    parser.add_argument("brands", nargs="*", default=sorted(BRANDS), help="brand folders to draw")
    args = parser.parse_args()
    for name in args.brands:
        folder = ROOT / "brand" / name
        folder.mkdir(parents=True, exist_ok=True)
        for dark, filename in ((False, "logo.png"), (True, "logo-dark.png")):
            img = BRANDS[name](dark)
            img.save(folder / filename, optimize=True)
            print(f"wrote {folder / filename} ({img.width}x{img.height})")


if __name__ == "__main__":
    main()
