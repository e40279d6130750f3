"""Making brand kits: from a corporate PowerPoint theme, from a logo, and a swatch to check one.

``import_brand`` reads a ``.potx``/``.pptx``: its theme colours (mapped onto the
kit's roles, the reverse of :meth:`deckgen.brand.Brand.palette`), its heading,
body and east-asian fonts, and its logo (the largest picture on the slide master
or a layout). ``derive_palette`` turns a logo's dominant colours into a palette
whose text/background pairs meet WCAG AA (4.5:1), darkening or lightening where
needed and saying so. ``write_swatch`` draws a kit: colour chips with their
role and hex code, fonts, the logo on light and dark, and the contrast ratios.
"""

from __future__ import annotations

import colorsys
import io
import json
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from deckgen.brand.kit import Brand, load_brand, mix
from deckgen.engine.compile import read_rels
from deckgen.engine.master import RT_LAYOUT, main_part, master_parts
from deckgen.engine.media import MAX_IMAGE_FILE_BYTES, Picture, load_picture, picture_from_bytes
from deckgen.engine.package import Package, atomic_write, open_package
from deckgen.engine.xmlutil import RT_IMAGE, RT_THEME, parse_xml, q
from deckgen.errors import DeckgenError, InputError
from deckgen.engine.layout.fitting import installed_font
from deckgen.model import BrandColors, BrandFonts, BrandKit
from deckgen.naming import slugify
from deckgen.resources import bundled_dir

AA_TEXT = 4.5  # WCAG 2 AA, body text
WHITE, BLACK = "FFFFFF", "000000"
ROLES = ("primary", "secondary", "accent", "text", "background", "muted", "positive", "negative")
THEME_SLOT_LABELS = {  # how PowerPoint names the slots in Design › Variants › Colors › Customize
    "dk1": "Text/Background - Dark 1", "lt1": "Text/Background - Light 1",
    "dk2": "Text/Background - Dark 2", "lt2": "Text/Background - Light 2",
    "accent1": "Accent 1", "accent2": "Accent 2", "accent3": "Accent 3", "accent4": "Accent 4",
    "accent5": "Accent 5", "accent6": "Accent 6", "hlink": "Hyperlink", "folHlink": "Followed Hyperlink",
}
ROLE_SLOTS = {  # where each role lands in the theme (see Brand.palette)
    "primary": "Dark 2 + Accent 1", "secondary": "Accent 2", "accent": "Accent 3", "text": "Dark 1",
    "background": "Light 1", "muted": "Light 2", "positive": "Accent 4", "negative": "Accent 5",
}
_ROLE_THEME_SLOT = {"primary": "accent1", "secondary": "accent2", "accent": "accent3", "text": "dk1",
                    "background": "lt1", "muted": "lt2", "positive": "accent4", "negative": "accent5"}
_DEFAULT_TEXT = "1F2933"
_SYS_COLORS = {"windowText": BLACK, "window": WHITE, "btnText": BLACK, "btnFace": "F0F0F0"}
_PRESET_COLORS = {"black": BLACK, "white": WHITE, "red": "FF0000", "green": "008000", "blue": "0000FF",
                  "yellow": "FFFF00", "navy": "000080", "gray": "808080", "grey": "808080"}
_EA_SCRIPTS = ("Hant", "Hans", "Jpan", "Hang")
_BACKGROUND_SHARE = 0.4  # a picture covering more of the slide than this is a backdrop, not a logo


# --------------------------------------------------------------------------- colour arithmetic

def rgb(hex_color: str) -> tuple[int, int, int]:
    h = hex_color.lstrip("#")
    return int(h[0:2], 16), int(h[2:4], 16), int(h[4:6], 16)


def to_hex(r: float, g: float, b: float) -> str:
    return "".join(f"{max(0, min(255, round(c))):02X}" for c in (r, g, b))


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


def _hls(hex_color: str) -> tuple[float, float, float]:
    return colorsys.rgb_to_hls(*(c / 255 for c in rgb(hex_color)))


def _from_hls(h: float, lightness: float, s: float) -> str:
    return to_hex(*(c * 255 for c in colorsys.hls_to_rgb(h, lightness, s)))


def meet_contrast(color: str, background: str, target: float = AA_TEXT) -> str:
    """Return ``color`` unchanged when it reaches ``target`` against ``background``, else the nearest
    shade of the same hue that does (darker on a light background, lighter on a dark one)."""
    color = color.upper().lstrip("#")
    if contrast_ratio(color, background) >= target:
        return color
    h, light, s = _hls(color)
    darker = relative_luminance(background) > 0.18
    lo, hi = (0.0, light) if darker else (light, 1.0)
    best = BLACK if darker else WHITE
    for _ in range(24):  # binary search on lightness: the smallest change that passes
        mid = (lo + hi) / 2
        candidate = _from_hls(h, mid, s)
        if contrast_ratio(candidate, background) >= target:
            best = candidate
            lo, hi = (mid, hi) if darker else (lo, mid)
        else:
            lo, hi = (lo, mid) if darker else (mid, hi)
    if contrast_ratio(best, background) < target:  # rounding at the edge: step once more
        best = BLACK if darker else WHITE
    return best


def _chroma(hex_color: str) -> int:
    c = rgb(hex_color)
    return max(c) - min(c)


def _hue_distance(a: str, b: str) -> float:
    d = abs(_hls(a)[0] - _hls(b)[0])
    return min(d, 1 - d) * 360


# --------------------------------------------------------------------------- contrast checks

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
        return self.ratio >= self.required

    def describe(self) -> str:
        verdict = "meets AA" if self.passes else f"below AA {self.required:g}:1"
        return (f"{self.foreground} #{self.fg} on {self.background} #{self.bg}: {self.ratio:.1f}:1 "
                f"({verdict}) — {self.use}")


_PAIRS = (
    ("text", "background", "body text on slides"),
    ("background", "primary", "white text on the dark title and closing slides"),
    ("secondary", "background", "labels and bullets"),
    ("secondary", "muted", "labels on panels"),
    ("text", "muted", "text on panels"),
)


def contrast_checks(colors: dict[str, str]) -> list[ContrastCheck]:
    """The text/background pairs deckgen's templates use, each with its contrast ratio."""
    filled = _filled_colors(colors)
    return [ContrastCheck(fg, bg, filled[fg], filled[bg], contrast_ratio(filled[fg], filled[bg]), use)
            for fg, bg, use in _PAIRS]


def _filled_colors(colors: dict[str, str | None]) -> dict[str, str]:
    """Colours by role with the derived ones (muted, positive, negative) filled in as the theme gets them."""
    given = {k: v.lstrip("#").upper() for k, v in colors.items() if v}
    given.setdefault("text", _DEFAULT_TEXT)
    given.setdefault("background", WHITE)
    kit = BrandKit(name="colours", colors=BrandColors(**given))
    palette = Brand(kit, Path("."), None, None).palette()  # the theme's own derivation, not a copy of it
    return {role: palette[slot] for role, slot in _ROLE_THEME_SLOT.items()}


def contrast_warnings(colors: dict[str, str], who: str = "the brand's") -> list[str]:
    return [f"{who} colours miss WCAG AA contrast: {c.describe()}" for c in contrast_checks(colors)
            if not c.passes]


# --------------------------------------------------------------------------- palette from a logo

@dataclass
class DerivedPalette:
    """Colours by role, the logo colours they came from, and what was adjusted (as warnings)."""

    colors: dict[str, str]
    source_colors: list[tuple[str, float]]  # (hex, share of the logo's visible pixels)
    warnings: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def checks(self) -> list[ContrastCheck]:
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
            opaque += raw[i:i + 3]
    count_px = len(opaque) // 3
    if count_px < 16:
        raise InputError("the logo has (almost) no visible pixels; use a logo on a transparent or white "
                         "background")
    strip = Image.frombytes("RGB", (count_px, 1), bytes(opaque))
    # octree keeps small but distinct colours (an accent dot) that median cut averages away
    quant = strip.quantize(colors=count, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE)
    palette = quant.getpalette() or []
    exact = Counter(bytes(opaque[i:i + 3]) for i in range(0, len(opaque), 3)).most_common()
    found: list[tuple[str, float]] = []
    for n, index in sorted(quant.getcolors() or [], reverse=True):
        centre = palette[index * 3:index * 3 + 3]
        # octree rounds colours; report the logo's own most used colour in that bucket instead
        own = next((c for c, _ in exact if sum(abs(a - b) for a, b in zip(c, centre)) <= 24), bytes(centre))
        found.append((to_hex(*own), n / count_px))
    merged: list[list] = []
    for color, share in found:  # quantising splits one flat colour into near-twins; put them back
        twin = next((m for m in merged if sum(abs(a - b) for a, b in zip(rgb(m[0]), rgb(color))) < 36), None)
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
    warnings: list[str] = []
    notes: list[str] = []
    chromatic = [(c, s) for c, s in found if not _is_white(c) and not _is_black(c) and _chroma(c) >= 28]
    neutral_dark = [c for c, s in found if _chroma(c) < 28 and contrast_ratio(c, WHITE) >= 10 and s >= 0.02]
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
            primary_src = max(significant, key=lambda cs: (_hls(cs[0])[2] + 0.5) * cs[1])[0]
    primary = meet_contrast(primary_src, WHITE)
    if primary != primary_src:
        warnings.append(f"the logo's main colour #{primary_src} is too light for white text on the title slide "
                        f"({contrast_ratio(primary_src, WHITE):.1f}:1, needs {AA_TEXT}:1); primary is a darker "
                        f"shade of it, #{primary} ({contrast_ratio(primary, WHITE):.1f}:1)")
    muted = mix(primary, WHITE, 0.9)
    rest = [(c, s) for c, s in significant if c != primary_src]
    distinct = [(c, s) for c, s in rest if _hue_distance(c, primary_src) >= 25]
    if distinct:
        secondary_src = max(distinct, key=lambda cs: cs[1])[0]
    else:
        h, light, s = _hls(primary)
        secondary_src = _from_hls(h, light * 0.6, s)  # a deeper shade of the primary
        notes.append("the logo has one main colour: secondary is a deeper shade of the primary")
    secondary = meet_contrast(meet_contrast(secondary_src, WHITE), muted)
    if secondary != secondary_src and distinct:
        warnings.append(f"the logo's second colour #{secondary_src} is too light for labels on white "
                        f"({contrast_ratio(secondary_src, WHITE):.1f}:1, needs {AA_TEXT}:1); secondary is "
                        f"#{secondary} ({contrast_ratio(secondary, WHITE):.1f}:1 on white, "
                        f"{contrast_ratio(secondary, muted):.1f}:1 on the panel colour)")
    used = {primary_src, secondary_src}
    others = [(c, s) for c, s in chromatic if c not in used]
    if secondary != secondary_src and distinct:
        accent = secondary_src  # the bright original still works for bars and highlights
    elif others:
        accent = max(others, key=lambda cs: _hls(cs[0])[2] * (0.5 + cs[1]))[0]
    else:
        h, light, s = _hls(primary)
        accent = _from_hls((h + 0.08) % 1.0, 0.55, max(s, 0.6))
        notes.append(f"accent #{accent} is derived from the primary's hue (for bars and highlights only)")
    text = neutral_dark[0] if neutral_dark else mix(primary, "111111", 0.85)
    text = meet_contrast(meet_contrast(text, WHITE), muted)
    colors = {"primary": primary, "secondary": secondary, "accent": accent, "text": text,
              "background": WHITE, "muted": muted}
    for check in contrast_checks(colors):  # every pair was toned above; this guards the arithmetic
        if not check.passes:
            warnings.append(f"could not reach AA contrast: {check.describe()}")
    return DerivedPalette(colors, found, warnings, notes)


def dark_logo_variant(picture: Picture) -> Picture | None:
    """A white version of a logo with a transparent background (for dark slides), else None."""
    from PIL import Image

    with Image.open(io.BytesIO(picture.data)) as img:
        if img.mode != "RGBA":
            return None
        img = img.convert("RGBA")
        alpha = img.getchannel("A")
        if alpha.getextrema()[0] >= 250:
            return None
        white = Image.new("RGBA", img.size, (255, 255, 255, 0))
        white.putalpha(alpha)
        out = io.BytesIO()
        white.save(out, format="PNG")
    return picture_from_bytes(out.getvalue(), label="logo (white version)", what="logo")


# --------------------------------------------------------------------------- reading a PowerPoint theme

@dataclass
class ThemeInfo:
    """The colour and font scheme of a package's (first) slide master."""

    name: str
    colors: dict[str, str]  # slot (dk1, lt1, accent1 …) -> hex
    heading: str
    body: str
    east_asian: str
    part: str


def read_theme(pkg: Package) -> ThemeInfo:
    """The theme of the package's first slide master (or the presentation's theme)."""
    part = None
    for master in master_parts(pkg):
        part = next((r.target for r in read_rels(pkg, {}, master) if r.type == RT_THEME and not r.external), None)
        if part:
            break
    if part is None:
        part = next((r.target for r in read_rels(pkg, {}, main_part(pkg)) if r.type == RT_THEME), None)
    if part is None or part not in pkg:
        raise InputError("the file has no theme (Design › Variants › Colors and Fonts)", file=pkg.source)
    root = parse_xml(pkg.read(part), part, pkg.source)
    colors: dict[str, str] = {}
    scheme = root.find(f".//{q('a:clrScheme')}")
    for slot in (scheme if scheme is not None else []):
        value = _slot_color(slot)
        if value:
            colors[etree.QName(slot).localname] = value
    fonts = root.find(f".//{q('a:fontScheme')}")

    def face(group: str, child: str) -> str:
        el = fonts.find(f"{q(group)}/{q(child)}") if fonts is not None else None
        return (el.get("typeface") or "").strip() if el is not None else ""

    east_asian = face("a:minorFont", "a:ea") or face("a:majorFont", "a:ea")
    if not east_asian and fonts is not None:
        scripts = {f.get("script"): f.get("typeface", "") for f in fonts.iterfind(f"{q('a:minorFont')}/{q('a:font')}")}
        east_asian = next((scripts[s] for s in _EA_SCRIPTS if scripts.get(s)), "")
    return ThemeInfo(root.get("name", ""), colors, face("a:majorFont", "a:latin"), face("a:minorFont", "a:latin"),
                     east_asian, part)


def _slot_color(slot) -> str | None:
    for child in slot:
        kind = etree.QName(child).localname
        if kind == "srgbClr" and re.fullmatch(r"[0-9A-Fa-f]{6}", child.get("val", "")):
            return child.get("val").upper()
        if kind == "sysClr":
            last = child.get("lastClr", "")
            return last.upper() if re.fullmatch(r"[0-9A-Fa-f]{6}", last) else _SYS_COLORS.get(child.get("val", ""))
        if kind == "scrgbClr":
            def pct(name: str) -> float:
                return min(max(int(child.get(name, "0")) / 100000, 0.0), 1.0)

            linear = [pct("r"), pct("g"), pct("b")]
            return to_hex(*(255 * (12.92 * c if c <= 0.0031308 else 1.055 * c ** (1 / 2.4) - 0.055) for c in linear))
        if kind == "prstClr":
            return _PRESET_COLORS.get(child.get("val", ""))
    return None


@dataclass
class FoundLogo:
    picture: Picture
    where: str  # "the slide master" / "layout 'Title Slide'"
    shape: str


def find_logo(pkg: Package, warnings: list[str] | None = None) -> FoundLogo | None:
    """The logo of a corporate template: the largest picture on its slide masters or layouts.

    Pictures named like a logo win over larger ones; a picture covering much of the slide is a
    backdrop and is skipped. Returns None when there is no usable picture; pictures in formats deckgen
    can't re-encode (EMF, SVG without a PNG copy) are reported in ``warnings``.
    """
    main = main_part(pkg)
    pres = parse_xml(pkg.read(main), main, pkg.source)
    size = pres.find(q("p:sldSz"))
    slide_area = int(size.get("cx", "0")) * int(size.get("cy", "0")) if size is not None else 0
    parts = []
    for master in master_parts(pkg):
        parts.append((master, "the slide master"))
        for rel in read_rels(pkg, {}, master):
            if rel.type == RT_LAYOUT and not rel.external and rel.target in pkg:
                parts.append((rel.target, None))
    candidates = []
    for order, (part, where) in enumerate(parts):
        root = parse_xml(pkg.read(part), part, pkg.source)
        if where is None:
            c_sld = root.find(q("p:cSld"))
            where = f"layout '{c_sld.get('name', '') if c_sld is not None else ''}'"
        rels = {r.rid: r for r in read_rels(pkg, {}, part)}
        for pic in root.iter(q("p:pic")):
            c_nv = pic.find(f"{q('p:nvPicPr')}/{q('p:cNvPr')}")
            blip = pic.find(f".//{q('a:blip')}")
            ext = pic.find(f"{q('p:spPr')}/{q('a:xfrm')}/{q('a:ext')}")
            rel = rels.get(blip.get(q("r:embed"))) if blip is not None else None
            if rel is None or rel.external or rel.type != RT_IMAGE or rel.target not in pkg or ext is None:
                continue
            area = int(ext.get("cx", "0")) * int(ext.get("cy", "0"))
            if slide_area and area > _BACKGROUND_SHARE * slide_area:
                continue
            name = c_nv.get("name", "") if c_nv is not None else ""
            descr = c_nv.get("descr", "") if c_nv is not None else ""
            named = "logo" in (name + " " + descr).lower()
            candidates.append((named, area, -order, rel.target, where, name))
    for named, area, _, image_part, where, name in sorted(candidates, reverse=True):
        member = pkg.members[image_part]
        if member.size > MAX_IMAGE_FILE_BYTES:
            continue
        try:
            picture = picture_from_bytes(pkg.read(image_part), label=f"{pkg.source} ({image_part})", what="logo")
        except InputError:
            if warnings is not None:
                warnings.append(f"picture '{name}' on {where} is not a PNG or JPEG image; export the logo as PNG "
                                "and set logo: in brand.yaml")
            continue
        return FoundLogo(picture, where, name)
    return None


# --------------------------------------------------------------------------- brand import / init

@dataclass
class BrandDraft:
    """A brand kit about to be written: its fields, where each colour came from, its files."""

    name: str
    colors: dict[str, str]
    fonts: dict[str, str]
    origins: dict[str, str]  # role -> why this colour (for comments in brand.yaml)
    logo: Picture | None = None
    logo_dark: Picture | None = None
    logo_origin: str = ""
    source: str = ""
    warnings: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def draft_from_theme(pkg: Package, name: str) -> BrandDraft:
    """Map a corporate theme onto a brand kit (the reverse of :meth:`Brand.palette`).

    text ← Dark 1, background ← Light 1, primary ← Accent 1 (or Dark 2 when only that can carry white
    text), secondary ← Accent 2, accent ← Accent 3, muted ← Light 2, positive ← Accent 4,
    negative ← Accent 5: applying the kit gives the theme back, except Dark 2 and Accent 6.
    """
    theme = read_theme(pkg)
    c = theme.colors
    warnings: list[str] = []
    missing = [s for s in ("dk1", "lt1", "accent1", "accent2", "accent3") if s not in c]
    if missing:
        warnings.append("the theme has no usable colour for " + ", ".join(THEME_SLOT_LABELS[s] for s in missing)
                        + "; deckgen's defaults stand in")
    slot = {"dk1": _DEFAULT_TEXT, "lt1": WHITE, "accent2": "0E7068", "accent3": "F2A541", **c}
    slot.setdefault("accent1", slot.get("dk2", "14365D"))
    slot.setdefault("dk2", slot["accent1"])
    origins = {"text": "Dark 1", "background": "Light 1", "primary": "Accent 1", "secondary": "Accent 2",
               "accent": "Accent 3", "muted": "Light 2", "positive": "Accent 4", "negative": "Accent 5"}
    primary = slot["accent1"]
    background = slot["lt1"]
    if contrast_ratio(primary, background) < AA_TEXT and contrast_ratio(slot["dk2"], background) >= AA_TEXT \
            and _chroma(slot["dk2"]) >= 16:
        origins["primary"] = (f"Dark 2 (Accent 1 #{primary} is too light for white text: "
                              f"{contrast_ratio(primary, background):.1f}:1)")
        primary = slot["dk2"]
    colors = {"primary": primary, "secondary": slot["accent2"], "accent": slot["accent3"], "text": slot["dk1"],
              "background": background}
    if slot.get("lt2"):
        colors["muted"] = slot["lt2"]
    for role, key in (("positive", "accent4"), ("negative", "accent5")):
        if slot.get(key):
            colors[role] = slot[key]
    default_fonts = BrandFonts()
    fonts = {"heading": _font(theme.heading) or default_fonts.heading, "body": _font(theme.body) or default_fonts.body,
             "east_asian": _font(theme.east_asian) or default_fonts.east_asian}
    notes = [f"colours and fonts from the theme '{theme.name}'" if theme.name else "colours and fonts from the theme"]
    if not theme.east_asian:
        notes.append(f"the theme names no East Asian font: using {fonts['east_asian']}")
    draft = BrandDraft(name, colors, fonts, origins, source=pkg.source, warnings=warnings, notes=notes)
    draft.warnings.extend(contrast_warnings(colors, "the theme's"))
    return draft


def _font(face: str) -> str:
    face = face.strip()
    return "" if not face or face.startswith("+") else face[:200]


def import_brand(source: str | Path, name: str, out: str | Path = "brand",
                 force: bool = False) -> tuple[Path, BrandDraft]:
    """Read a .potx/.pptx's theme colours, fonts and logo into ``<out>/<name>/brand.yaml`` (+ logo.png)."""
    path = Path(source)
    if path.suffix.lower() not in (".potx", ".pptx"):
        raise InputError("brand import reads a PowerPoint template (.potx) or presentation (.pptx)", file=str(path))
    pkg = open_package(path)
    draft = draft_from_theme(pkg, name)
    found = find_logo(pkg, draft.warnings)
    if found is not None:
        draft.logo = found.picture
        draft.logo_origin = f"the largest picture on {found.where} ('{found.shape}')"
    else:
        draft.notes.append("no logo picture on the slide master or layouts: add logo: to brand.yaml")
    folder = write_kit(draft, out, force)
    return folder, draft


def init_brand(logo: str | Path, name: str, out: str | Path = "brand", heading: str | None = None,
               body: str | None = None, force: bool = False) -> tuple[Path, BrandDraft, DerivedPalette]:
    """Make a brand kit from a logo: an AA-contrast palette from its colours, the logo and a white variant."""
    picture = load_picture(logo, what="logo")
    palette = derive_palette(picture)
    default_fonts = BrandFonts()
    fonts = {"heading": heading or default_fonts.heading, "body": body or default_fonts.body,
             "east_asian": default_fonts.east_asian}
    shares = dict(palette.source_colors)
    origins = {}
    for role, value in palette.colors.items():
        if value in shares and role != "background":
            origins[role] = f"from the logo ({shares[value]:.0%} of it)"
    draft = BrandDraft(name, palette.colors, fonts, origins, picture, dark_logo_variant(picture),
                       logo_origin=f"from {Path(logo).name}", source=str(logo), warnings=list(palette.warnings),
                       notes=list(palette.notes))
    folder = write_kit(draft, out, force)
    return folder, draft, palette


def kit_folder(name: str, out: str | Path) -> Path:
    slug = slugify(name, fallback="").lower()
    if not slug or slug.startswith("."):
        raise InputError(f"'{name}' can't be a brand kit's folder name; use letters, digits and dashes")
    return Path(out) / slug


def write_kit(draft: BrandDraft, out: str | Path, force: bool = False) -> Path:
    """Write brand.yaml and the logo files; refuse to overwrite a kit unless ``force``."""
    if not draft.name.strip():
        raise InputError("give the brand kit a name (--name)")
    folder = kit_folder(draft.name, out)
    if (folder / "brand.yaml").exists() and not force:
        raise InputError("a brand kit already exists here; choose another --name or pass --force",
                         file=str(folder / "brand.yaml"))
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(f"cannot create the folder: {exc.strerror}", file=str(folder)) from None
    if draft.logo is not None:
        atomic_write(folder / "logo.png", draft.logo.data)
    if draft.logo_dark is not None:
        atomic_write(folder / "logo-dark.png", draft.logo_dark.data)
    atomic_write(folder / "brand.yaml", _kit_yaml(draft).encode("utf-8"))
    load_brand(str(folder))  # what was written must load: fail here, not at the first build
    return folder


def _kit_yaml(d: BrandDraft) -> str:
    def s(value: str) -> str:
        return json.dumps(value, ensure_ascii=False)  # a JSON string is a valid double-quoted YAML scalar

    lines = [f"# Brand kit '{d.name}', made by deckgen from {Path(d.source).name}.",
             "# Colours become the PowerPoint theme: text → Dark 1, background → Light 1, primary → Dark 2 and",
             "# Accent 1, secondary → Accent 2, accent → Accent 3, muted → Light 2, positive → Accent 4,",
             "# negative → Accent 5. Templates put white text on primary and secondary text on muted.",
             "# Check it: deckgen brand show <this folder> --out swatch.png",
             f"name: {s(d.name)}", "colors:"]
    for role in ROLES:
        value = d.colors.get(role)
        if not value:
            continue
        why = d.origins.get(role, "")
        lines.append(f"  {role + ':':<12}{s('#' + value):<11}" + (f"  # {why}" if why else ""))
    lines.append("fonts:")
    for key in ("heading", "body", "east_asian"):
        lines.append(f"  {key + ':':<12}{s(d.fonts[key])}")
    lines.append("  files: []")
    lines.append(f"logo: {s('logo.png' if d.logo else '')}" + (f"  # {d.logo_origin}" if d.logo_origin else ""))
    dark = "logo-dark.png" if d.logo_dark else ""
    lines.append(f"logo_dark: {s(dark)}" + ("  # a white version for dark slides: replace it with your "
                                            "designer's reversed logo if you have one" if dark else ""))
    lines.append('footer: ""')
    lines.append('disclaimer: ""')
    return "\n".join(lines) + "\n"


def list_brands() -> list[tuple[str, BrandKit]]:
    """The bundled brand kits: (folder name, kit)."""
    out = []
    root = bundled_dir("brand")
    for folder in sorted(p for p in root.iterdir() if (p / "brand.yaml").is_file()) if root.is_dir() else []:
        try:
            out.append((folder.name, load_brand(str(folder)).kit))
        except DeckgenError:
            continue
    return out


# --------------------------------------------------------------------------- swatch

def _font_file(family: str) -> str | None:
    """A font file for ``family`` when fontconfig has exactly that family, else None."""
    found = installed_font(family) if family else None
    return found[0] if found and Path(found[0]).is_file() else None


def _load_font(size: int, family: str | None = None):
    from PIL import ImageFont

    path = _font_file(family) if family else None
    if path:
        try:
            return ImageFont.truetype(path, size)
        except OSError:
            pass
    return ImageFont.load_default(size=size)


def write_swatch(brand: Brand, out: str | Path) -> Path:
    """Draw a brand kit on one PNG: colour chips (role, hex, theme slot), fonts, logo on light and dark,
    and the contrast ratio of every text pair. Returns the path written."""
    from PIL import Image, ImageDraw

    kit = brand.kit
    colors = {k: v for k, v in kit.colors.model_dump().items() if v}
    filled = _filled_colors(colors)
    derived = {r for r in ROLES if r not in colors}
    width, margin = 1280, 48
    chip, gap = 128, 18
    height = 1400
    img = Image.new("RGB", (width, height), "#" + WHITE)
    draw = ImageDraw.Draw(img)
    ink, soft = (31, 41, 51), (96, 108, 118)
    f_title, f_head, f_text, f_small = (_load_font(40), _load_font(24), _load_font(20), _load_font(16))
    y = margin
    draw.text((margin, y), kit.name, fill=ink, font=f_title)
    y += 58
    draw.text((margin, y), str(brand.folder), fill=soft, font=f_small)
    y += 42
    draw.text((margin, y), "Colours", fill=ink, font=f_head)
    y += 38
    for i, role in enumerate(ROLES):
        x = margin + i * (chip + gap)
        color = "#" + filled[role]
        draw.rectangle([x, y, x + chip, y + chip], fill=color, outline=(190, 196, 202))
        label = "Aa"
        on = WHITE if contrast_ratio(filled[role], WHITE) >= contrast_ratio(filled[role], _DEFAULT_TEXT) else _DEFAULT_TEXT
        draw.text((x + 12, y + 10), label, fill="#" + on, font=_load_font(30, kit.fonts.heading))
        draw.text((x, y + chip + 8), role + (" (derived)" if role in derived else ""), fill=ink, font=f_small)
        draw.text((x, y + chip + 28), "#" + filled[role], fill=ink, font=f_small)
        draw.text((x, y + chip + 48), ROLE_SLOTS[role], fill=soft, font=_load_font(13))
    y += chip + 92
    draw.text((margin, y), "Fonts", fill=ink, font=f_head)
    y += 38
    for label, family, sample in (("Heading", kit.fonts.heading, "Walk away from the wrong client"),
                                  ("Body", kit.fonts.body, "Managed IT, priced per user per month"),
                                  ("East Asian", kit.fonts.east_asian, "恒信物流 管理式 IT 服務")):
        found = _font_file(family)
        draw.text((margin, y + 6), f"{label}: {family}" + ("" if found else "  (not installed here)"),
                  fill=ink, font=f_text)
        if found:
            draw.text((margin + 520, y), sample, fill=ink, font=_load_font(26, family))
        y += 44
    y += 16
    draw.text((margin, y), "Logo on light and on dark", fill=ink, font=f_head)
    y += 38
    panel_w, panel_h = (width - 2 * margin - gap) // 2, 170
    for k, (bg, pic, label) in enumerate(((filled["background"], brand.logo, "logo"),
                                          (filled["primary"], brand.logo_dark, "logo_dark"))):
        x = margin + k * (panel_w + gap)
        draw.rectangle([x, y, x + panel_w, y + panel_h], fill="#" + bg, outline=(190, 196, 202))
        if pic is None:
            on = WHITE if k else _DEFAULT_TEXT
            draw.text((x + 20, y + 20), f"no {label} in brand.yaml", fill="#" + on, font=f_text)
            continue
        with Image.open(io.BytesIO(pic.data)) as logo:
            logo = logo.convert("RGBA")
            logo.thumbnail((panel_w - 60, panel_h - 40))
            img.paste(logo, (x + (panel_w - logo.width) // 2, y + (panel_h - logo.height) // 2), logo)
    y += panel_h + 30
    draw.text((margin, y), "Contrast (WCAG AA: 4.5:1 for text)", fill=ink, font=f_head)
    y += 38
    for check in contrast_checks(colors):
        draw.rectangle([margin, y, margin + 64, y + 34], fill="#" + check.bg, outline=(190, 196, 202))
        draw.text((margin + 12, y + 4), "Aa", fill="#" + check.fg, font=f_text)
        verdict = "pass" if check.passes else "FAILS"
        draw.text((margin + 84, y + 6), f"{check.ratio:4.1f}:1  {verdict:<5}  {check.foreground} on "
                                        f"{check.background}: {check.use}",
                  fill=ink if check.passes else (179, 38, 30), font=f_text)
        y += 44
    img = img.crop((0, 0, width, min(height, y + margin)))
    buf = io.BytesIO()
    img.save(buf, format="PNG", optimize=True)
    target = Path(out)
    if not target.parent.exists():
        raise InputError("output folder does not exist", file=str(target.parent))
    atomic_write(target, buf.getvalue())
    return target


__all__ = ["contrast_ratio", "relative_luminance", "meet_contrast", "contrast_checks", "ContrastCheck",
           "derive_palette", "DerivedPalette", "logo_colors", "read_theme", "ThemeInfo", "find_logo",
           "draft_from_theme", "import_brand", "init_brand", "write_kit", "write_swatch", "list_brands",
           "master_parts", "main_part"]
