"""Finding templates and reading their ``template.yaml``.

A template is a bundled name (``walk-away``), a folder holding ``template.pptx`` (or ``.potx``)
and ``template.yaml``, or a ``.pptx``/``.potx`` file. The package itself is read (safely) by the
engine; this module only says where it is and what ``template.yaml`` declares.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from deckgen.errors import DeckgenWarning, InputError
from deckgen.load.files import read_model
from deckgen.load.yamlfile import load_yaml_file
from deckgen.resources import bundled_dir

DEFAULT_TEMPLATE = "walk-away"


class TemplateSpec(BaseModel):
    """template.yaml: what a template is for and how it binds data."""

    model_config = ConfigDict(extra="forbid")

    name: str
    description: str = ""
    slides: list[str] = []
    charts: dict[str, str] = {}
    fit: str = Field(default="shrink", pattern=r"^(shrink|fail|ignore)$")
    min_font_size: float = Field(default=14, ge=6, le=72)
    variables: dict[str, str] | list[str] = []  # documented variables: name -> where it is used


def resolve_template(name_or_path: str | Path | None) -> tuple[Path, Path | None]:
    """Return (package file, template.yaml or None) for a bundled name or a path."""
    value = str(name_or_path or DEFAULT_TEMPLATE)
    path = Path(value)
    if path.is_file():
        if path.suffix.lower() not in (".pptx", ".potx"):
            raise InputError("a template is a .pptx or .potx file, or a folder holding one" + _macros(path), file=value)
        spec = path.parent / "template.yaml"
        return path, spec if spec.is_file() else None
    folder = path if path.is_dir() else None
    if folder is None and "/" not in value and "\\" not in value:
        candidate = bundled_dir("templates") / value
        folder = candidate if candidate.is_dir() else None
    if folder is None:
        names = ", ".join(list_template_names())
        raise InputError(f"template '{value}' not found (bundled: {names}; or give a .pptx/.potx or a folder)")
    for name in ("template.pptx", "template.potx"):
        if (folder / name).is_file():
            spec = folder / "template.yaml"
            return folder / name, spec if spec.is_file() else None
    found = sorted(folder.glob("*.pptx")) + sorted(folder.glob("*.potx"))
    if len(found) == 1:
        spec = folder / "template.yaml"
        return found[0], spec if spec.is_file() else None
    macro = next(iter(sorted(folder.glob("*.pptm")) + sorted(folder.glob("*.potm"))), None)
    raise InputError("folder holds no template.pptx (or .potx)" + (_macros(macro) if macro else ""), file=str(folder))


def _macros(path: Path) -> str:
    """The way out for a macro-enabled PowerPoint file, which deckgen never opens."""
    if path.suffix.lower() not in (".pptm", ".potm"):
        return ""
    return (
        f"; {path.name} is macro-enabled: open it in PowerPoint and save it with File › Save As › "
        "'PowerPoint Presentation (*.pptx)' (the macros are left out)"
    )


def list_template_names() -> list[str]:
    """The names of the bundled templates, sorted."""
    root = bundled_dir("templates")
    return sorted(p.name for p in root.iterdir() if p.is_dir()) if root.is_dir() else []


def read_spec(pptx: Path, spec_path: Path | None) -> tuple[TemplateSpec, list[DeckgenWarning]]:
    """The template's ``template.yaml`` validated (a default named after the file when there is none)."""
    if spec_path is None:
        return TemplateSpec(name=pptx.stem), []
    spec, warnings = read_model(TemplateSpec, load_yaml_file(spec_path))
    return spec, warnings


def load_spec(pptx: Path, spec_path: Path | None) -> TemplateSpec:
    """:func:`read_spec`'s spec (its warnings dropped, as before)."""
    return read_spec(pptx, spec_path)[0]


def resolve_master(value: str | Path) -> Path:
    """The corporate file behind ``--master``: a .potx/.pptx, or a template folder holding one."""
    path = Path(value)
    if path.is_dir():
        return resolve_template(path)[0]
    if not path.is_file():
        raise InputError("--master: file not found", file=str(value))
    if path.suffix.lower() not in (".potx", ".pptx"):
        raise InputError("--master takes a PowerPoint template (.potx) or presentation (.pptx)", file=str(value))
    return path


__all__ = [
    "DEFAULT_TEMPLATE",
    "TemplateSpec",
    "resolve_template",
    "list_template_names",
    "read_spec",
    "load_spec",
    "resolve_master",
]
