"""WCAG 2 contrast: luminance, ratios, the nearest readable shade, and the text pairs templates use."""

from __future__ import annotations

from dataclasses import dataclass

from deckgen.brand.colour import BLACK, WHITE, from_hls, hls, rgb
from deckgen.brand.theme_slots import role_colors
from deckgen.errors import BrandWarning

AA_TEXT = 4.5  # WCAG 2 AA, body text
NON_TEXT = 3.0  # WCAG 2 AA, graphics that carry meaning (1.4.11): the accent bar on the dark title slide
VISIBLE = 1.5  # deckgen's floor for a bar or chart series to stand out from the white slide (never text)

# The foreground/background role pairs deckgen's templates use, what each is for, and the ratio it needs.
_PAIRS = (
    ("text", "background", "body text on slides", AA_TEXT),
    ("background", "primary", "white text on the dark title and closing slides", AA_TEXT),
    ("secondary", "background", "labels and bullets", AA_TEXT),
    ("secondary", "muted", "labels on panels", AA_TEXT),
    ("text", "muted", "text on panels", AA_TEXT),
    ("accent", "primary", "the accent bar on the dark title slide, and the cost chart's series", NON_TEXT),
    ("accent", "background", "accent bars and chart series on white slides", VISIBLE),
)


def relative_luminance(hex_color: str) -> float:
    """WCAG 2 relative luminance of an sRGB colour (0 = black, 1 = white)."""

    def linear(c: int) -> float:
        s = c / 255
        return s / 12.92 if s <= 0.04045 else ((s + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(c) for c in rgb(hex_color))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(a: str, b: str) -> float:
    """WCAG 2 contrast ratio between two colours, 1.0 to 21.0."""
    la, lb = relative_luminance(a), relative_luminance(b)
    hi, lo = max(la, lb), min(la, lb)
    return (hi + 0.05) / (lo + 0.05)


def meet_contrast(color: str, background: str, target: float = AA_TEXT) -> str:
    """Return ``color`` unchanged when it reaches ``target`` against ``background``, else the nearest
    shade of the same hue that does (darker on a light background, lighter on a dark one)."""
    color = color.upper().lstrip("#")
    if contrast_ratio(color, background) >= target:
        return color
    h, light, s = hls(color)
    darker = relative_luminance(background) > 0.18
    lo, hi = (0.0, light) if darker else (light, 1.0)
    best = BLACK if darker else WHITE
    for _ in range(24):  # binary search on lightness: the smallest change that passes
        mid = (lo + hi) / 2
        candidate = from_hls(h, mid, s)
        if contrast_ratio(candidate, background) >= target:
            best = candidate
            lo, hi = (mid, hi) if darker else (lo, mid)
        else:
            lo, hi = (lo, mid) if darker else (mid, hi)
    if contrast_ratio(best, background) < target:  # rounding at the edge: step once more
        best = BLACK if darker else WHITE
    return best


@dataclass(frozen=True)
class ContrastCheck:
    """One foreground/background pair a template uses, with its WCAG ratio."""

    foreground: str  # role
    background: str  # role
    fg: str
    bg: str
    ratio: float
    use: str
    required: float = AA_TEXT

    @property
    def passes(self) -> bool:
        """True when the pair reaches the required ratio."""
        return self.ratio >= self.required

    def describe(self) -> str:
        """The pair, its ratio and verdict as one line for the user."""
        standard = "AA" if self.required >= NON_TEXT else "deckgen's floor"
        verdict = f"meets {standard}" if self.passes else f"below {standard} {self.required:g}:1"
        return (
            f"{self.foreground} #{self.fg} on {self.background} #{self.bg}: {self.ratio:.1f}:1 ({verdict}) — {self.use}"
        )


def contrast_checks(colors: dict[str, str]) -> list[ContrastCheck]:
    """The colour pairs deckgen's templates use (text on its background, accent bars), each with its ratio."""
    filled = role_colors(colors)
    return [
        ContrastCheck(fg, bg, filled[fg], filled[bg], contrast_ratio(filled[fg], filled[bg]), use, required)
        for fg, bg, use, required in _PAIRS
    ]


def contrast_warnings(colors: dict[str, str], who: str = "the brand's") -> list[BrandWarning]:
    """A warning for each text pair of ``colors`` below AA; ``who`` names whose colours they are."""
    return [
        BrandWarning(f"{who} colours miss WCAG AA contrast: {c.describe()}")
        for c in contrast_checks(colors)
        if not c.passes
    ]
