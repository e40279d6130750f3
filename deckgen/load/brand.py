"""Finding a brand kit and reading its ``brand.yaml`` (the logo images are decoded by :mod:`deckgen.brand.kit`)."""

from __future__ import annotations

from pathlib import Path

from deckgen.errors import DeckgenWarning, InputError
from deckgen.load.files import read_model
from deckgen.load.yamlfile import load_yaml_file
from deckgen.model import BrandKit
from deckgen.resources import bundled_dir

DEFAULT_BRAND = "ridgeline"


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


def read_brand_kit(folder: Path) -> tuple[BrandKit, list[DeckgenWarning]]:
    """The kit's ``brand.yaml`` validated, with the warnings found reading it."""
    doc = load_yaml_file(folder / "brand.yaml")
    kit, warnings = read_model(BrandKit, doc)
    for name in ("logo", "logo_dark"):
        _check_logo_file(folder, getattr(kit, name), doc, name)
    return kit, warnings


_VECTOR = {".svg": "an SVG", ".svgz": "an SVG", ".eps": "an EPS", ".ai": "an Illustrator", ".pdf": "a PDF"}


def _check_logo_file(folder: Path, rel: str, doc, name: str) -> None:
    """InputError naming brand.yaml's line for a logo that is not in the kit's folder or is a vector file."""
    if not rel:
        return
    where = {"file": doc.file, "line": doc.line_of((name,)), "field": name}
    vector = _VECTOR.get(Path(rel).suffix.lower())
    if vector:
        raise InputError(
            f"'{rel}' is {vector} file; export the logo as a PNG (at least 600 pixels wide) and name that here",
            **where,
        )
    target = folder / rel
    if not target.is_file():
        images = sorted(p.name for p in folder.iterdir() if p.suffix.lower() in {".png", ".jpg", ".jpeg"})
        there = f"the images there are: {', '.join(images)}" if images else "there are no PNG or JPEG files there"
        raise InputError(
            f"'{rel}' is not in the brand kit's folder ({folder}; the path is relative to it); {there}", **where
        )


def logo_paths(folder: Path, kit: BrandKit) -> tuple[Path | None, Path | None]:
    """The kit's logo and dark-background logo files; InputError for one outside the kit's folder."""
    found = []
    for rel in (kit.logo, kit.logo_dark):
        if not rel:
            found.append(None)
            continue
        target = (folder / rel).resolve()
        if not target.is_relative_to(folder.resolve()):
            raise InputError(
                "logo must be a file inside the brand kit folder", file=str(folder / "brand.yaml"), field="logo"
            )
        found.append(target)
    return found[0], found[1]


__all__ = ["DEFAULT_BRAND", "resolve_brand_dir", "read_brand_kit", "logo_paths"]
