"""Reading a PowerPoint theme: the colour slots and theme fonts of a package's first slide master."""

from __future__ import annotations

import re
from dataclasses import dataclass

from lxml import etree

from deckgen.brand.colour import BLACK, WHITE, to_hex
from deckgen.engine.master import main_part, master_parts
from deckgen.engine.opc import RT_THEME, Package, parse_xml, q, read_rels
from deckgen.errors import InputError

_SYS_COLORS = {"windowText": BLACK, "window": WHITE, "btnText": BLACK, "btnFace": "F0F0F0"}
_PRESET_COLORS = {
    "black": BLACK,
    "white": WHITE,
    "red": "FF0000",
    "green": "008000",
    "blue": "0000FF",
    "yellow": "FFFF00",
    "navy": "000080",
    "gray": "808080",
    "grey": "808080",
}
_EA_SCRIPTS = ("Hant", "Hans", "Jpan", "Hang")


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
    for slot in scheme if scheme is not None else []:
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
    return ThemeInfo(
        root.get("name", ""), colors, face("a:majorFont", "a:latin"), face("a:minorFont", "a:latin"), east_asian, part
    )


def _slot_color(slot) -> str | None:
    """The hex colour a theme slot holds, whichever of DrawingML's colour forms it uses; None if unknown."""
    for child in slot:
        kind = etree.QName(child).localname
        if kind == "srgbClr" and re.fullmatch(r"[0-9A-Fa-f]{6}", child.get("val", "")):
            return child.get("val").upper()
        if kind == "sysClr":
            last = child.get("lastClr", "")
            return last.upper() if re.fullmatch(r"[0-9A-Fa-f]{6}", last) else _SYS_COLORS.get(child.get("val", ""))
        if kind == "scrgbClr":

            def pct(name: str, el=child) -> float:
                return min(max(int(el.get(name, "0")) / 100000, 0.0), 1.0)

            linear = [pct("r"), pct("g"), pct("b")]
            return to_hex(*(255 * (12.92 * c if c <= 0.0031308 else 1.055 * c ** (1 / 2.4) - 0.055) for c in linear))
        if kind == "prstClr":
            return _PRESET_COLORS.get(child.get("val", ""))
    return None


__all__ = ["ThemeInfo", "read_theme"]
