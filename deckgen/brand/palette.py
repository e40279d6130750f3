"""A brand palette from a logo: its dominant colours, toned until every text pair meets WCAG AA."""

from __future__ import annotations

import io
from collections import Counter
from dataclasses import dataclass, field

from deckgen.brand.colour import WHITE, chroma, from_hls, hls, hue_distance, mix, rgb, to_hex
from deckgen.brand.contrast import AA_TEXT, ContrastCheck, contrast_checks, contrast_ratio, meet_contrast
from deckgen.brand.rules import accent_apart, fix_colors
from deckgen.engine.media import Picture, picture_from_bytes
from deckgen.errors import BrandWarning, InputError


@dataclass
class DerivedPalette:
    """Colours by role, the logo colours they came from, and what was adjusted (as warnings)."""

    colors: dict[str, str]
    source_colors: list[tuple[str, float]]  # (hex, share of the logo's visible pixels)
    warnings: list[BrandWarning] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def checks(self) -> list[ContrastCheck]:
        """The contrast of every text pair the palette's colours make."""
        return contrast_checks(self.colors)


def logo_colors(picture: Picture, count: int = 16) -> list[tuple[str, float]]:
    """The logo's dominant visible colours with their share of its opaque pixels, largest first."""
    from PIL import Image

    with Image.open(io.BytesIO(picture.data)) as img:
        img = img.convert("RGBA")
        img.thumbnail((160, 160))
        raw = img.tobytes()
    opaque = bytearray()
    for i in range(0, len(raw), 4):
        if raw[i + 3] >= 128:
            opaque += raw[i : i + 3]
    count_px = len(opaque) // 3
    if count_px < 16:
        raise InputError("the logo has (almost) no visible pixels; use a logo on a transparent or white background")
    strip = Image.frombytes("RGB", (count_px, 1), bytes(opaque))
    # octree keeps small but distinct colours (an accent dot) that median cut averages away
    quant = strip.quantize(colors=count, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE)
    palette = quant.getpalette() or []
    exact = Counter(bytes(opaque[i : i + 3]) for i in range(0, len(opaque), 3)).most_common()
    found: list[tuple[str, float]] = []
    for n, index in sorted(quant.getcolors() or [], reverse=True):
        centre = palette[index * 3 : index * 3 + 3]
        # octree rounds colours; report the logo's own most used colour in that bucket instead
        own = next(
            (c for c, _ in exact if sum(abs(a - b) for a, b in zip(c, centre, strict=False)) <= 24), bytes(centre)
        )
        found.append((to_hex(*own), n / count_px))
    merged: list[list] = []
    for color, share in found:  # quantising splits one flat colour into near-twins; put them back
        twin = next(
            (m for m in merged if sum(abs(a - b) for a, b in zip(rgb(m[0]), rgb(color), strict=True)) < 36), None
        )
        if twin is not None:
            twin[1] += share
        else:
            merged.append([color, share])
    return sorted(((c, s) for c, s in merged), key=lambda cs: -cs[1])


def _is_white(color: str) -> bool:
    return min(rgb(color)) >= 225


def _is_black(color: str) -> bool:
    return max(rgb(color)) <= 40


def derive_palette(picture: Picture) -> DerivedPalette:
    """A brand palette from a logo's colours whose text pairs all meet WCAG AA.

    primary is the logo colour that can carry white text (the most used one), or the most saturated
    one darkened until it can; secondary the next distinct hue, toned to read on white and on the
    muted panel colour; accent the brightest remaining colour; text a near-black tinted with the
    primary. Every adjustment of one of the logo's own colours is reported as a warning.
    """
    found = logo_colors(picture)
    warnings: list[BrandWarning] = []
    notes: list[str] = []
    chromatic = [(c, s) for c, s in found if not _is_white(c) and not _is_black(c) and chroma(c) >= 28]
    neutral_dark = [c for c, s in found if chroma(c) < 28 and contrast_ratio(c, WHITE) >= 10 and s >= 0.02]
    visible = sum(s for c, s in chromatic) or 1.0
    significant = [(c, s) for c, s in chromatic if s / visible >= 0.05] or chromatic[:1]

    if not significant:
        primary_src = neutral_dark[0] if neutral_dark else "2B3137"
        notes.append(f"the logo has no colour besides black, white and grey: primary is charcoal #{primary_src}")
    else:
        dark_enough = [(c, s) for c, s in significant if contrast_ratio(c, WHITE) >= AA_TEXT]
        if dark_enough:
            primary_src = max(dark_enough, key=lambda cs: cs[1])[0]
        else:
            primary_src = max(significant, key=lambda cs: (hls(cs[0])[2] + 0.5) * cs[1])[0]
    primary = meet_contrast(primary_src, WHITE)
    if primary != primary_src:
        warnings.append(
            BrandWarning(
                f"the logo's main colour #{primary_src} is too light for white text on the title slide "
                f"({contrast_ratio(primary_src, WHITE):.1f}:1, needs {AA_TEXT}:1); primary is a darker "
                f"shade of it, #{primary} ({contrast_ratio(primary, WHITE):.1f}:1)"
            )
        )
    muted = mix(primary, WHITE, 0.9)
    rest = [(c, s) for c, s in significant if c != primary_src]
    distinct = [(c, s) for c, s in rest if hue_distance(c, primary_src) >= 25]
    if distinct:
        secondary_src = max(distinct, key=lambda cs: cs[1])[0]
    else:
        h, light, s = hls(primary)
        secondary_src = from_hls(h, light * 0.6, s)  # a deeper shade of the primary
        notes.append("the logo has one main colour: secondary is a deeper shade of the primary")
    secondary = meet_contrast(meet_contrast(secondary_src, WHITE), muted)
    if secondary != secondary_src and distinct:
        warnings.append(
            BrandWarning(
                f"the logo's second colour #{secondary_src} is too light for labels on white "
                f"({contrast_ratio(secondary_src, WHITE):.1f}:1, needs {AA_TEXT}:1); secondary is "
                f"#{secondary} ({contrast_ratio(secondary, WHITE):.1f}:1 on white, "
                f"{contrast_ratio(secondary, muted):.1f}:1 on the panel colour)"
            )
        )
    used = {primary_src, secondary_src}
    others = [(c, s) for c, s in chromatic if c not in used]
    if secondary != secondary_src and distinct:
        accent = secondary_src  # the bright original still works for bars and highlights
    elif others:
        accent = max(others, key=lambda cs: hls(cs[0])[2] * (0.5 + cs[1]))[0]
    else:
        h, light, s = hls(primary)
        accent = accent_apart(from_hls((h + 0.08) % 1.0, 0.55, max(s, 0.6)), primary, WHITE)[0]
        notes.append(f"accent #{accent} is derived from the primary's hue (for bars and highlights only)")
    text = neutral_dark[0] if neutral_dark else mix(primary, "111111", 0.85)
    text = meet_contrast(meet_contrast(text, WHITE), muted)
    colors = {
        "primary": primary,
        "secondary": secondary,
        "accent": accent,
        "text": text,
        "background": WHITE,
        "muted": muted,
    }
    colors, fixes = fix_colors(colors, "the logo's palette")  # fixed status colours; accent apart from primary
    warnings += fixes
    for check in contrast_checks(colors):  # every pair was toned above; this guards the arithmetic
        if not check.passes:
            warnings.append(BrandWarning(f"could not reach AA contrast: {check.describe()}"))
    return DerivedPalette(colors, found, warnings, notes)


def dark_logo_variant(picture: Picture) -> Picture | None:
    """A white knocked-out version of a logo for dark slides: its visible pixels white, the rest transparent.

    A logo with transparency keeps its alpha; an opaque logo on a white (or near-white) ground has that ground
    cut away. None when there is nothing to cut out (an opaque logo on a coloured ground: a badge that already
    works on dark slides) or nothing left.
    """
    from PIL import Image, ImageChops

    with Image.open(io.BytesIO(picture.data)) as img:
        img = img.convert("RGBA")
        alpha = img.getchannel("A")
        if alpha.getextrema()[0] >= 250:  # opaque: cut away a white ground, if it has one
            w, h = img.size
            corners = [img.getpixel((x, y)) for x in (0, w - 1) for y in (0, h - 1)]
            if not all(min(c[:3]) >= 235 for c in corners):
                return None
            darkest = ImageChops.invert(img.convert("RGB")).convert("L")  # 0 on white, high on ink
            alpha = darkest.point(lambda v: 0 if v < 20 else min(255, v * 4))
        if alpha.getextrema()[1] < 128:
            return None
        white = Image.new("RGBA", img.size, (255, 255, 255, 0))
        white.putalpha(alpha)
        out = io.BytesIO()
        white.save(out, format="PNG")
    return picture_from_bytes(out.getvalue(), label="logo (white version)", what="logo")
