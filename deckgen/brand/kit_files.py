"""Brand kit folders on disk: a kit about to be written (:class:`BrandDraft`), writing it, listing the bundled ones."""

from __future__ import annotations

import json
import textwrap
from dataclasses import dataclass, field
from pathlib import Path

from deckgen.brand.contrast import ContrastCheck
from deckgen.brand.kit import load_brand
from deckgen.brand.theme_slots import ROLE_THEME_SLOTS, ROLES, role_slot_labels
from deckgen.engine.media import Picture
from deckgen.errors import BrandWarning, DeckgenError, InputError
from deckgen.model import BrandKit
from deckgen.naming import slugify
from deckgen.output import atomic_write
from deckgen.resources import bundled_dir


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
    warnings: list[BrandWarning] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


@dataclass
class NewKit:
    """A brand kit just written: its folder, what went into it, and (from a logo) the contrast of its colours."""

    folder: Path
    draft: BrandDraft
    checks: list[ContrastCheck] = field(default_factory=list)

    @property
    def warnings(self) -> list[BrandWarning]:
        """What the user should check in the new kit."""
        return self.draft.warnings


def kit_folder(name: str, out: str | Path) -> Path:
    """The folder a kit called ``name`` goes in under ``out``; InputError when the name makes no folder name."""
    slug = slugify(name, fallback="").lower()
    if not slug or slug.startswith("."):
        raise InputError(f"'{name}' can't be a brand kit's folder name; use letters, digits and dashes")
    return Path(out) / slug


def write_kit(draft: BrandDraft, out: str | Path, force: bool = False) -> Path:
    """Write brand.yaml and the logo files; refuse to overwrite a kit unless ``force``. Returns the kit's folder."""
    if not draft.name.strip():
        raise InputError("give the brand kit a name (--name)")
    folder = kit_folder(draft.name, out)
    if (folder / "brand.yaml").exists() and not force:
        raise InputError(
            "a brand kit already exists here; choose another --name or pass --force", file=str(folder / "brand.yaml")
        )
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


def _theme_comment() -> list[str]:
    """brand.yaml's comment lines saying which theme slot each role becomes."""
    homes = ", ".join(f"{role} → {role_slot_labels(role, ' and ')}" for role in ROLE_THEME_SLOTS)
    sentence = (
        f"Colours become the PowerPoint theme: {homes}. Templates put white text on primary and "
        "secondary text on muted."
    )
    return ["# " + line for line in textwrap.wrap(sentence, 95)]


def _kit_yaml(d: BrandDraft) -> str:
    def s(value: str) -> str:
        return json.dumps(value, ensure_ascii=False)  # a JSON string is a valid double-quoted YAML scalar

    lines = [
        f"# Brand kit '{d.name}', made by deckgen from {Path(d.source).name}.",
        *_theme_comment(),
        "# Check it: deckgen brand show <this folder> --out swatch.png",
        f"name: {s(d.name)}",
        "colors:",
    ]
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
    lines.append(
        f"logo_dark: {s(dark)}"
        + (
            "  # a white version for dark slides: replace it with your designer's reversed logo if you have one"
            if dark
            else ""
        )
    )
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
