"""Brand kits: loading them and applying them to a template's theme.

A template colours itself with theme colours and theme fonts, so applying a
brand is rewriting the theme's colour scheme and font scheme (latin and
east-asian) — the way PowerPoint itself swaps designs — plus placing the logo
in pictures named ``logo`` / ``logo_dark``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from deckgen.engine.media import Picture, load_picture
from deckgen.engine.xmlutil import q
from deckgen.errors import InputError
from deckgen.load.files import validate_doc
from deckgen.load.yamlfile import load_yaml_file
from deckgen.model import BrandKit
from deckgen.resources import bundled_dir

DEFAULT_BRAND = "ridgeline"


@dataclass
class Brand:
    """A validated brand kit with its logo images loaded."""

    kit: BrandKit
    folder: Path
    logo: Picture | None
    logo_dark: Picture | None

    def to_context(self) -> dict:
        return {"name": self.kit.name, "footer": self.kit.footer, "disclaimer": self.kit.disclaimer,
                "colors": self.palette(), "fonts": self.kit.fonts.model_dump(exclude={"files"})}

    def palette(self) -> dict[str, str]:
        """The theme colour scheme (hex without '#') this brand writes."""
        c = self.kit.colors
        muted = c.muted or mix(c.primary, "FFFFFF", 0.9)
        return {
            "dk1": c.text, "lt1": c.background, "dk2": c.primary, "lt2": muted,
            "accent1": c.primary, "accent2": c.secondary, "accent3": c.accent,
            "accent4": c.positive or mix(c.secondary, "000000", 0.25),
            "accent5": c.negative or mix(c.accent, "000000", 0.2),
            "accent6": mix(c.primary, "FFFFFF", 0.5),
            "hlink": c.secondary, "folHlink": c.primary,
        }


def mix(a: str, b: str, t: float) -> str:
    """Blend hex colour ``a`` towards ``b`` by ``t`` (0..1)."""
    ca = [int(a[i:i + 2], 16) for i in (0, 2, 4)]
    cb = [int(b[i:i + 2], 16) for i in (0, 2, 4)]
    return "".join(f"{round(x + (y - x) * t):02X}" for x, y in zip(ca, cb))


def resolve_brand_dir(name_or_path: str | None) -> Path:
    """A brand kit by bundled name or by path (a folder or its brand.yaml)."""
    value = name_or_path or DEFAULT_BRAND
    path = Path(value)
    if path.name == "brand.yaml":
        path = path.parent
    if ("/" in value or "\\" in value or path.exists()) and (path / "brand.yaml").is_file():
        return path
    bundled = bundled_dir("brand") / value
    if "/" not in value and (bundled / "brand.yaml").is_file():
        return bundled
    names = ", ".join(sorted(p.name for p in bundled_dir("brand").iterdir() if (p / "brand.yaml").is_file()))
    raise InputError(f"brand kit '{value}' not found (bundled: {names}; or give a folder with brand.yaml)")


def load_brand(name_or_path: str | None = None, warnings: list[str] | None = None) -> Brand:
    """Load and validate a brand kit; its logo files are checked and re-encoded."""
    folder = resolve_brand_dir(name_or_path)
    kit = validate_doc(BrandKit, load_yaml_file(folder / "brand.yaml"), warnings)
    logos = []
    for rel in (kit.logo, kit.logo_dark):
        if not rel:
            logos.append(None)
            continue
        target = (folder / rel).resolve()
        if not target.is_relative_to(folder.resolve()):
            raise InputError("logo must be a file inside the brand kit folder", file=str(folder / "brand.yaml"),
                             field="logo")
        logos.append(load_picture(target, what="brand logo"))
    return Brand(kit, folder, logos[0], logos[1] or logos[0])


def apply_theme(theme_xml: bytes, brand: Brand) -> bytes:
    """Rewrite a theme part's colour and font schemes for ``brand``."""
    from deckgen.engine.xmlutil import parse_xml, to_bytes

    root = parse_xml(theme_xml, "theme")
    scheme = root.find(f".//{q('a:clrScheme')}")
    if scheme is not None:
        scheme.set("name", brand.kit.name[:60])
        palette = brand.palette()
        for slot in scheme:
            name = etree.QName(slot).localname
            if name in palette:
                for child in list(slot):
                    slot.remove(child)
                etree.SubElement(slot, q("a:srgbClr")).set("val", palette[name])
    fonts = root.find(f".//{q('a:fontScheme')}")
    if fonts is not None:
        fonts.set("name", brand.kit.name[:60])
        f = brand.kit.fonts
        for tag, latin in (("a:majorFont", f.heading), ("a:minorFont", f.body)):
            group = fonts.find(q(tag))
            if group is None:
                continue
            for child_tag, face in (("a:latin", latin), ("a:ea", f.east_asian)):
                el = group.find(q(child_tag))
                if el is not None:
                    el.set("typeface", face)
                    for attr in ("panose", "pitchFamily", "charset"):
                        el.attrib.pop(attr, None)
            for script_font in group.findall(q("a:font")):
                if script_font.get("script") in ("Hans", "Hant", "Jpan", "Hang"):
                    script_font.set("typeface", f.east_asian)
    return to_bytes(root)
