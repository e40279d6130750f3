"""A brand kit on one PNG (colour chips, fonts, logo on light and dark, contrast), and ``brand show``."""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from pathlib import Path

from deckgen.brand.colour import WHITE
from deckgen.brand.contrast import ContrastCheck, contrast_checks, contrast_ratio
from deckgen.brand.kit import Brand, read_brand
from deckgen.brand.theme_slots import DEFAULT_TEXT, ROLES, role_colors, role_slot_labels
from deckgen.errors import BrandWarning, DeckgenWarning, InputError
from deckgen.load.fonts import installed_font
from deckgen.output import atomic_write


class SwatchPathError(InputError):
    """The swatch was asked for in a file that is not a .png."""


@dataclass
class ShownBrand:
    """A brand kit drawn as a swatch: the kit, the image written, its contrast checks and warnings."""

    brand: Brand
    swatch: Path
    checks: list[ContrastCheck]
    warnings: list[DeckgenWarning] = field(default_factory=list)


def show_brand(kit: str, out: str | Path | None = None) -> ShownBrand:
    """Load a kit (bundled name or folder) and draw its swatch to ``out`` (default NAME-swatch.png here).

    Every text pair below WCAG AA becomes a warning, after the kit's own loading warnings. Raises
    :class:`SwatchPathError` (once the kit has loaded) when ``out`` is not a .png file.
    """
    loaded, loading = read_brand(kit)
    target = Path(out) if out else Path(f"{loaded.folder.name}-swatch.png")
    if target.suffix.lower() != ".png":
        raise SwatchPathError("the swatch is a .png file", field="--out")
    write_swatch(loaded, target)
    checks = contrast_checks({k: v for k, v in loaded.kit.colors.model_dump().items() if v})
    warnings: list[DeckgenWarning] = list(loading)
    warnings += [BrandWarning(f"below WCAG AA contrast: {c.describe()}") for c in checks if not c.passes]
    return ShownBrand(loaded, target, checks, warnings)


def _font_file(family: str) -> str | None:
    """A font file for ``family`` when fontconfig has exactly that family, else None."""
    found = installed_font(family) if family else None
    return found[0] if found and Path(found[0]).is_file() else None


def _load_font(size: int, family: str | None = None):
    """A Pillow font of ``family`` at ``size`` px, or Pillow's own font when that family is not installed."""
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
    filled = role_colors(colors)
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
        on = (
            WHITE if contrast_ratio(filled[role], WHITE) >= contrast_ratio(filled[role], DEFAULT_TEXT) else DEFAULT_TEXT
        )
        draw.text((x + 12, y + 10), label, fill="#" + on, font=_load_font(30, kit.fonts.heading))
        draw.text((x, y + chip + 8), role + (" (derived)" if role in derived else ""), fill=ink, font=f_small)
        draw.text((x, y + chip + 28), "#" + filled[role], fill=ink, font=f_small)
        draw.text((x, y + chip + 48), role_slot_labels(role), fill=soft, font=_load_font(13))
    y += chip + 92
    draw.text((margin, y), "Fonts", fill=ink, font=f_head)
    y += 38
    for label, family, sample in (
        ("Heading", kit.fonts.heading, "Walk away from the wrong client"),
        ("Body", kit.fonts.body, "Managed IT, priced per user per month"),
        ("East Asian", kit.fonts.east_asian, "恒信物流 管理式 IT 服務"),
    ):
        found = _font_file(family)
        draw.text(
            (margin, y + 6), f"{label}: {family}" + ("" if found else "  (not installed here)"), fill=ink, font=f_text
        )
        if found:
            draw.text((margin + 520, y), sample, fill=ink, font=_load_font(26, family))
        y += 44
    y += 16
    draw.text((margin, y), "Logo on light and on dark", fill=ink, font=f_head)
    y += 38
    panel_w, panel_h = (width - 2 * margin - gap) // 2, 170
    for k, (bg, pic, label) in enumerate(
        ((filled["background"], brand.logo, "logo"), (filled["primary"], brand.logo_dark, "logo_dark"))
    ):
        x = margin + k * (panel_w + gap)
        draw.rectangle([x, y, x + panel_w, y + panel_h], fill="#" + bg, outline=(190, 196, 202))
        if pic is None:
            on = WHITE if k else DEFAULT_TEXT
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
        draw.text(
            (margin + 84, y + 6),
            f"{check.ratio:4.1f}:1  {verdict:<5}  {check.foreground} on {check.background}: {check.use}",
            fill=ink if check.passes else (179, 38, 30),
            font=f_text,
        )
        y += 44
    img = img.crop((0, 0, width, min(height, y + margin)))
    buf = io.BytesIO()
    img.save(buf, format="PNG", optimize=True)
    target = Path(out)
    if not target.parent.exists():
        raise InputError("output folder does not exist", file=str(target.parent))
    atomic_write(target, buf.getvalue())
    return target
