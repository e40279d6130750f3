"""A brand kit from a corporate PowerPoint template (.potx/.pptx): its theme colours, theme fonts and logo."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from deckgen.brand.colour import WHITE, chroma
from deckgen.brand.contrast import AA_TEXT, contrast_ratio
from deckgen.brand.kit_files import BrandDraft, NewKit, write_kit
from deckgen.brand.palette import dark_logo_variant
from deckgen.brand.rules import STATUS_ORIGIN, colour_warnings, fix_colors
from deckgen.brand.theme import read_theme
from deckgen.brand.theme_slots import DEFAULT_TEXT, ROLES, STATUS_COLORS, THEME_SLOT_LABELS, role_slot, slot_label
from deckgen.engine.master import main_part, master_parts, open_master
from deckgen.engine.media import MAX_IMAGE_FILE_BYTES, Picture, picture_from_bytes
from deckgen.engine.opc import RT_IMAGE, RT_LAYOUT, Package, parse_xml, q, read_rels
from deckgen.errors import BrandWarning, InputError
from deckgen.model import BrandFonts

_BACKGROUND_SHARE = 0.4  # a picture covering more of the slide than this is a backdrop, not a logo
_REQUIRED_ROLES = ("text", "background", "primary", "secondary", "accent")  # the others are derived when missing
# deckgen's own colours for the roles a theme leaves empty (a missing primary first falls back to Dark 2)
_DEFAULT_COLORS = {"text": DEFAULT_TEXT, "background": WHITE, "secondary": "0E7068", "accent": "F2A541"}
_DEFAULT_PRIMARY = "14365D"
_DARK_2 = "dk2"  # where many corporate themes keep their dark brand colour


def draft_from_theme(pkg: Package, name: str) -> BrandDraft:
    """Map a corporate theme onto a brand kit (the reverse of :func:`deckgen.brand.theme_slots.theme_colors`).

    Each role is read from its slot in :data:`~deckgen.brand.theme_slots.ROLE_THEME_SLOTS`, except that primary
    comes from Dark 2 when only that can carry white text: applying the kit gives the theme back, except
    Dark 2 and Accent 6.
    """
    theme = read_theme(pkg)
    c = theme.colors
    warnings: list[BrandWarning] = []
    missing = [role_slot(role) for role in _REQUIRED_ROLES if role_slot(role) not in c]
    if missing:
        warnings.append(
            BrandWarning(
                "the theme has no usable colour for "
                + ", ".join(THEME_SLOT_LABELS[s] for s in missing)
                + "; deckgen's defaults stand in"
            )
        )
    slot = {**{role_slot(role): value for role, value in _DEFAULT_COLORS.items()}, **c}
    slot.setdefault(role_slot("primary"), slot.get(_DARK_2, _DEFAULT_PRIMARY))
    slot.setdefault(_DARK_2, slot[role_slot("primary")])
    brand_roles = [role for role in ROLES if role not in STATUS_COLORS]  # status colours never come from a theme
    origins = {role: slot_label(role_slot(role)) for role in brand_roles}
    colors = {role: slot[role_slot(role)] for role in brand_roles if slot.get(role_slot(role))}
    primary, background = colors["primary"], colors["background"]
    dark_2 = slot[_DARK_2]
    if (
        contrast_ratio(primary, background) < AA_TEXT
        and contrast_ratio(dark_2, background) >= AA_TEXT
        and chroma(dark_2) >= 16
    ):
        origins["primary"] = (
            f"{slot_label(_DARK_2)} ({slot_label(role_slot('primary'))} #{primary} is too light "
            f"for white text: {contrast_ratio(primary, background):.1f}:1)"
        )
        colors["primary"] = dark_2
    default_fonts = BrandFonts()
    fonts = {
        "heading": _font(theme.heading) or default_fonts.heading,
        "body": _font(theme.body) or default_fonts.body,
        "east_asian": _font(theme.east_asian) or default_fonts.east_asian,
    }
    notes = [f"colours and fonts from the theme '{theme.name}'" if theme.name else "colours and fonts from the theme"]
    if not theme.east_asian:
        notes.append(f"the theme names no East Asian font: using {fonts['east_asian']}")
    draft = BrandDraft(name, colors, fonts, origins, source=pkg.source, warnings=warnings, notes=notes)
    fixed, fixes = fix_colors(colors, "the theme")
    for role, value in fixed.items():
        if role in STATUS_COLORS:
            origins[role] = STATUS_ORIGIN
        elif value != colors.get(role):
            origins[role] = f"chosen by deckgen: the theme's #{colors.get(role, '')} failed contrast (see the warnings)"
    draft.colors = fixed
    draft.warnings.extend(fixes)
    draft.warnings.extend(colour_warnings(fixed, "the theme"))  # what could not be fixed
    return draft


def _font(face: str) -> str:
    """A theme font's face name, or '' for none or a reference to another theme font ('+mn-lt')."""
    face = face.strip()
    return "" if not face or face.startswith("+") else face[:200]


@dataclass
class FoundLogo:
    """A corporate template's logo and where it was found."""

    picture: Picture
    where: str  # "the slide master" / "layout 'Title Slide'"
    shape: str


def locate_logo(pkg: Package) -> tuple[FoundLogo | None, list[BrandWarning]]:
    """The logo of a corporate template (the largest picture on its slide masters or layouts), with warnings.

    Pictures named like a logo win over larger ones; a picture covering much of the slide is a
    backdrop and is skipped. The logo is None when there is no usable picture; pictures in formats
    deckgen can't re-encode (EMF, SVG without a PNG copy) each give a warning.
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
    warnings: list[BrandWarning] = []
    for _named, _area, _, image_part, where, name in sorted(candidates, reverse=True):
        member = pkg.members[image_part]
        if member.size > MAX_IMAGE_FILE_BYTES:
            continue
        try:
            picture = picture_from_bytes(pkg.read(image_part), label=f"{pkg.source} ({image_part})", what="logo")
        except InputError:
            warnings.append(
                BrandWarning(
                    f"picture '{name}' on {where} is not a PNG or JPEG image; export the logo "
                    "as PNG and set logo: in brand.yaml"
                )
            )
            continue
        return FoundLogo(picture, where, name), warnings
    return None, warnings


def find_logo(pkg: Package, warnings: list[str] | None = None) -> FoundLogo | None:
    """The logo of a corporate template, or None; its warnings' sentences are appended to ``warnings``.

    Kept for callers that still collect warnings as strings; new code calls :func:`locate_logo`.
    """
    found, problems = locate_logo(pkg)
    if warnings is not None:
        warnings.extend(str(w) for w in problems)
    return found


def import_brand(source: str | Path, name: str, out: str | Path = "brand", force: bool = False) -> NewKit:
    """Read a .potx/.pptx's theme colours, fonts and logo into ``<out>/<name>/brand.yaml`` (+ logo.png)."""
    path = Path(source)
    if path.suffix.lower() not in (".potx", ".pptx"):
        raise InputError("brand import reads a PowerPoint template (.potx) or presentation (.pptx)", file=str(path))
    pkg = open_master(path)  # its slides are never used: a link on one does not refuse the file
    draft = draft_from_theme(pkg, name)
    found, problems = locate_logo(pkg)
    draft.warnings.extend(problems)
    if found is not None:
        draft.logo = found.picture
        draft.logo_origin = f"the largest picture on {found.where} ('{found.shape}')"
        draft.logo_dark = dark_logo_variant(found.picture)  # a white knock-out for the dark title slide
    else:
        draft.notes.append("no logo picture on the slide master or layouts: add logo: to brand.yaml")
    return NewKit(write_kit(draft, out, force), draft)
