"""Colours that keep their meaning: fixed status colours, chart series that read in greyscale, readable pairs.

Three rules hold for every kit, however it was made:

- the status colours (``positive`` for a good fit, ``negative`` for risk and walk away) are semantic: a kit made
  from a logo or a corporate theme gets deckgen's fixed green and red, and a kit that sets them to something that
  is not recognisably green or red gets a warning naming the colour;
- the cost chart's two series (Accent 3 and Accent 1 in the bundled templates: the kit's accent and primary)
  differ in lightness by at least :data:`SERIES_MIN`, so they read in greyscale and to colour-blind viewers;
- every colour pair the templates use meets its contrast (see :func:`deckgen.brand.contrast.contrast_checks`).

:func:`fix_colors` repairs what it can (``brand init`` / ``brand import``) and says what it chose;
:func:`colour_warnings` only reports (``build``, through :func:`deckgen.brand.kit.read_brand`).
"""

from __future__ import annotations

from deckgen.brand.colour import WHITE, chroma, from_hls, hls
from deckgen.brand.contrast import AA_TEXT, NON_TEXT, contrast_checks, contrast_ratio, meet_contrast
from deckgen.brand.theme_slots import STATUS_COLORS, role_colors
from deckgen.errors import BrandWarning

STATUS_ORIGIN = "deckgen's fixed status colour (good fit / risk): never taken from a logo or theme"
SERIES_MIN = 1.5  # the least lightness ratio between the cost chart's two series
_HUES = {  # role -> (what it must look like, hue ranges in degrees)
    "positive": ("green", ((75.0, 170.0),)),
    "negative": ("red", ((0.0, 20.0), (335.0, 360.0))),
}
_MIN_CHROMA = 60  # below this a colour reads as grey, whatever its hue


def is_status_hue(role: str, color: str) -> bool:
    """True when ``color`` is recognisably the hue a status role needs (green for positive, red for negative)."""
    _, ranges = _HUES[role]
    hue = hls(color)[0] * 360
    return chroma(color) >= _MIN_CHROMA and any(lo <= hue <= hi for lo, hi in ranges)


def status_warnings(colors: dict[str, str | None], who: str = "the brand kit") -> list[BrandWarning]:
    """A warning for each status colour ``colors`` sets that is not recognisably green (positive) or red (negative)."""
    out = []
    for role, (looks, _) in _HUES.items():
        value = (colors.get(role) or "").lstrip("#").upper()
        if value and not is_status_hue(role, value):
            out.append(
                BrandWarning(
                    f"{who}: {role} #{value} does not read as {looks}, and decks use {role} for "
                    f"{'a good fit' if role == 'positive' else 'risk and walk away'}; use a clear {looks} such as "
                    f"#{STATUS_COLORS[role]}"
                )
            )
    return out


def series_ratio(colors: dict[str, str | None]) -> float:
    """The lightness (WCAG luminance) ratio between the cost chart's two series: accent and primary."""
    filled = role_colors(colors)
    return contrast_ratio(filled["accent"], filled["primary"])


def colour_warnings(colors: dict[str, str | None], who: str = "the brand kit") -> list[BrandWarning]:
    """Every colour rule ``colors`` breaks, as warnings naming the colours and ratios (nothing is changed)."""
    warnings = status_warnings(colors, who)
    filled = role_colors(colors)
    ratio = series_ratio(colors)
    if ratio < SERIES_MIN:
        warnings.append(
            BrandWarning(
                f"{who}: the cost chart's series, accent #{filled['accent']} and primary #{filled['primary']}, "
                f"differ by only {ratio:.2f}:1 in lightness (needs {SERIES_MIN}:1 to read in greyscale)"
            )
        )
    warnings += [
        BrandWarning(f"{who}: colours miss the contrast the templates need: {c.describe()}")
        for c in contrast_checks(colors)
        if not c.passes
    ]
    return warnings


def fix_colors(colors: dict[str, str], who: str = "the theme") -> tuple[dict[str, str], list[BrandWarning]]:
    """``colors`` with fixed status colours and every template pair readable, and a warning for each change.

    primary is darkened until white text reaches AA on it; text and secondary are toned for the background
    and the panel colour; accent is moved in lightness until it stands out from the dark title slide (and the
    chart series differ). A status colour that is set but not green/red is replaced by deckgen's.
    """
    out = {k: v.lstrip("#").upper() for k, v in colors.items() if v}
    warnings: list[BrandWarning] = []
    for role, fixed in STATUS_COLORS.items():
        if out.get(role) and not is_status_hue(role, out[role]):
            warnings.extend(status_warnings({role: out[role]}, who))
        out[role] = out[role] if out.get(role) and is_status_hue(role, out[role]) else fixed
    filled = role_colors(out)
    background = filled["background"]

    def changed(role: str, new: str, against: str, what: str, target: float) -> None:
        old = filled[role]
        if new == old:
            return
        warnings.append(
            BrandWarning(
                f"{who}: {role} #{old} is {what} ({contrast_ratio(old, against):.1f}:1, needs {target:g}:1); "
                f"deckgen chose #{new} ({contrast_ratio(new, against):.1f}:1)"
            )
        )
        out[role] = filled[role] = new

    changed("primary", meet_contrast(filled["primary"], WHITE), WHITE, "too light for white text", AA_TEXT)
    if not colors.get("muted"):  # a tint of the primary: of the primary as it is now, and kept from here on
        filled["muted"] = out["muted"] = role_colors(out)["muted"]
    muted = filled["muted"]
    changed("text", meet_contrast(filled["text"], background), background, "hard to read on the background", AA_TEXT)
    changed("text", meet_contrast(filled["text"], muted), muted, "hard to read on the panel colour", AA_TEXT)
    changed(
        "secondary", meet_contrast(filled["secondary"], background), background, "hard to read on the background", 4.5
    )
    changed("secondary", meet_contrast(filled["secondary"], muted), muted, "hard to read on the panel colour", 4.5)
    before, old_primary = contrast_ratio(filled["accent"], filled["primary"]), filled["primary"]
    accent, primary = accent_apart(filled["accent"], old_primary, background)
    if primary != filled["primary"]:
        changed("primary", primary, WHITE, "too light for an accent bar to stand out on it", NON_TEXT)
    if accent != filled["accent"]:
        on_white = contrast_ratio(filled["accent"], background)
        warnings.append(
            BrandWarning(
                f"{who}: accent #{filled['accent']} and primary #{old_primary} (the cost chart's two series, and the "
                f"accent bar on the dark title slide) differ by only {before:.2f}:1 in lightness, and the accent "
                f"shows {on_white:.2f}:1 on the background (needs {NON_TEXT:g}:1 against primary and "
                f"{SERIES_MIN}:1 on the background); deckgen chose accent #{accent} "
                f"({contrast_ratio(accent, primary):.2f}:1 against primary, "
                f"{contrast_ratio(accent, background):.2f}:1 on the background)"
            )
        )
        out["accent"] = filled["accent"] = accent
    return out, warnings


def _lighter(color: str, against: str, target: float) -> str | None:
    """The darkest shade of ``color``'s hue at least as light as it that reaches ``target`` against ``against``."""
    h, light, s = hls(color)
    if contrast_ratio(color, against) >= target:
        return color
    if contrast_ratio(from_hls(h, 1.0, s), against) < target:
        return None
    lo, hi = light, 1.0
    for _ in range(24):
        mid = (lo + hi) / 2
        lo, hi = (lo, mid) if contrast_ratio(from_hls(h, mid, s), against) >= target else (mid, hi)
    return from_hls(h, hi, s)


def accent_apart(accent: str, primary: str, background: str) -> tuple[str, str]:
    """(accent, primary) with the accent lighter than the primary by :data:`NON_TEXT` and still visible on
    ``background`` (:data:`SERIES_MIN`); the primary is darkened when no shade of the accent fits between them."""
    if contrast_ratio(accent, primary) >= NON_TEXT and contrast_ratio(accent, background) >= SERIES_MIN:
        return accent, primary
    h, _, s = hls(accent)
    base = accent if chroma(accent) >= 40 else from_hls(h, 0.6, max(s, 0.5))
    base = meet_contrast(base, background, SERIES_MIN)  # a near-white accent: just dark enough to show on white
    for need in (AA_TEXT, 7.0, 10.0, 14.0):  # darken the primary step by step until an accent fits
        dark = meet_contrast(primary, WHITE, need)
        lighter = _lighter(base, dark, NON_TEXT)
        if lighter is not None and contrast_ratio(lighter, background) >= SERIES_MIN:
            return lighter, dark
    return accent, primary  # nothing fits: colour_warnings reports the pair


__all__ = [
    "STATUS_COLORS",
    "STATUS_ORIGIN",
    "SERIES_MIN",
    "is_status_hue",
    "status_warnings",
    "series_ratio",
    "colour_warnings",
    "fix_colors",
    "accent_apart",
]
