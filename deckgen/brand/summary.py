"""What the ``brand`` commands print about a kit they made, drew or found (the warnings go separately)."""

from __future__ import annotations

from deckgen.brand.kit_files import NewKit
from deckgen.brand.swatch import ShownBrand
from deckgen.brand.theme_slots import ROLES
from deckgen.model import BrandKit


def _written_colors(kit: NewKit) -> list[str]:
    """The brand.yaml written and its colours by role, each with where it came from."""
    lines = [f"Wrote {kit.folder / 'brand.yaml'}"]
    colors, origins = kit.draft.colors, kit.draft.origins
    for role in ROLES:
        if colors.get(role):
            why = origins.get(role, "")
            lines.append(f"  {role:<11} #{colors[role]}" + (f"  {why}" if why else ""))
    return lines


def format_imported(kit: NewKit) -> str:
    """``brand import``'s report: the colours with where each came from, the fonts, the logo, the notes."""
    draft = kit.draft
    f = draft.fonts
    lines = _written_colors(kit)
    lines.append(f"  fonts       heading {f['heading']}, body {f['body']}, East Asian {f['east_asian']}")
    logo = f"{kit.folder / 'logo.png'} ({draft.logo_origin})" if draft.logo else "none"
    lines.append(f"  logo        {logo}")
    if draft.logo_dark is not None:
        lines.append(f"  logo_dark   {kit.folder / 'logo-dark.png'} (a white version for the dark title slide)")
    lines += [f"  note: {note}" for note in draft.notes]
    return "\n".join(lines)


def format_initialised(kit: NewKit) -> str:
    """``brand init``'s report: the colours, the contrast of every text pair, the notes, the white logo."""
    draft = kit.draft
    lines = _written_colors(kit)
    lines.append("  contrast:")
    lines += [f"    {check.describe()}" for check in kit.checks]
    lines += [f"  note: {note}" for note in draft.notes]
    if draft.logo_dark is not None:
        lines.append(
            f"  logo_dark   {kit.folder / 'logo-dark.png'} (a white version; use your designer's if you have one)"
        )
    return "\n".join(lines)


def next_step(kit: NewKit) -> str:
    """The command that checks a new kit."""
    return f"Next: deckgen brand show {kit.folder} --out {kit.folder.name}-swatch.png"


def format_shown(shown: ShownBrand) -> str:
    """``brand show``'s report: the kit, every text pair's contrast, its fonts and the swatch written."""
    kit = shown.brand.kit
    f = kit.fonts
    lines = [f"{kit.name} ({shown.brand.folder})"]
    lines += [f"  {check.describe()}" for check in shown.checks]
    lines.append(f"  fonts: heading {f.heading}, body {f.body}, East Asian {f.east_asian}")
    lines.append(f"Wrote {shown.swatch}")
    return "\n".join(lines)


def format_brand_list(kits: list[tuple[str, BrandKit]]) -> str:
    """One line per bundled kit: folder, name, primary colour and fonts."""
    return "\n".join(
        f"{folder:<14} {kit.name:<30} primary #{kit.colors.primary}  fonts {kit.fonts.heading} / {kit.fonts.body}"
        for folder, kit in kits
    )
