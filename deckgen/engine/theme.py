"""A brand's look as plain data, and rewriting a template's theme part with it.

A template colours itself with theme colours and theme fonts, so a brand is applied by rewriting
the theme's colour scheme and font scheme (latin and east-asian), the way PowerPoint swaps designs.
:mod:`deckgen.brand` turns a brand kit into a :class:`Theme`; the engine never sees the kit.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from lxml import etree

from deckgen.engine.opc import parse_xml, q, to_bytes

_EAST_ASIAN_SCRIPTS = ("Hans", "Hant", "Jpan", "Hang")


@dataclass(frozen=True)
class Theme:
    """Theme colour slots (``dk1``, ``accent1``… → ``RRGGBB``) and the heading, body and east-asian fonts.

    ``rewrite=False`` keeps the template's own theme part (a corporate master's look) while the fonts
    still set the east-asian typeface of tagged runs and fill gaps when text is measured.
    """

    name: str
    colors: Mapping[str, str] = field(default_factory=dict)
    heading: str = "Calibri"
    body: str = "Calibri"
    east_asian: str = ""
    rewrite: bool = True

    def font_slots(self) -> dict[str, str]:
        """``+mj-lt``/``+mn-lt``/``+mj-ea``/``+mn-ea`` → the typeface this theme names."""
        return {"+mj-lt": self.heading, "+mn-lt": self.body, "+mj-ea": self.east_asian, "+mn-ea": self.east_asian}


def apply_theme(theme_xml: bytes, theme: Theme) -> bytes:
    """Return a theme part with its colour and font schemes rewritten for ``theme``."""
    root = parse_xml(theme_xml, "theme")
    scheme = root.find(f".//{q('a:clrScheme')}")
    if scheme is not None:
        scheme.set("name", theme.name[:60])
        for slot in scheme:
            name = etree.QName(slot).localname
            if name in theme.colors:
                for child in list(slot):
                    slot.remove(child)
                etree.SubElement(slot, q("a:srgbClr")).set("val", theme.colors[name])
    fonts = root.find(f".//{q('a:fontScheme')}")
    if fonts is not None:
        fonts.set("name", theme.name[:60])
        for tag, latin in (("a:majorFont", theme.heading), ("a:minorFont", theme.body)):
            group = fonts.find(q(tag))
            if group is None:
                continue
            for child_tag, face in (("a:latin", latin), ("a:ea", theme.east_asian)):
                el = group.find(q(child_tag))
                if el is not None:
                    el.set("typeface", face)
                    for attr in ("panose", "pitchFamily", "charset"):
                        el.attrib.pop(attr, None)
            for script_font in group.findall(q("a:font")):
                if script_font.get("script") in _EAST_ASIAN_SCRIPTS:
                    script_font.set("typeface", theme.east_asian)
    return to_bytes(root)
