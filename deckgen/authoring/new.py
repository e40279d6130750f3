"""``templates new``: a copy of a template to change in PowerPoint, and what to do next."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from deckgen.errors import InputError
from deckgen.load.templates import DEFAULT_TEMPLATE, load_spec, resolve_template
from deckgen.output import atomic_write


@dataclass
class NewTemplate:
    """A template copied to edit: its folder, its package and template.yaml, and what it was copied from."""

    folder: Path
    package: Path
    spec: Path
    source: str


def new_template(name: str, source: str | Path | None = None, folder: str | Path = ".") -> NewTemplate:
    """Copy a template (bundled name or path; default walk-away) into ``folder/name/`` to edit.

    Raises InputError for a bad name or a folder that already has files in it.
    """
    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_-]{0,63}", name):
        raise InputError(f"'{name}' can't be a template name: use letters, digits, '-' and '_' (e.g. my-template)")
    pptx, spec_path = resolve_template(source or DEFAULT_TEMPLATE)
    target = Path(folder) / name
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise InputError("this folder already exists and is not empty; choose another name or --dir", file=str(target))
    try:
        target.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(f"cannot create the folder: {exc.strerror}", file=str(target)) from None
    package = target / ("template" + pptx.suffix.lower())
    atomic_write(package, pptx.read_bytes())
    original = spec_path.read_text(encoding="utf-8") if spec_path else f"name: {pptx.stem}\n"
    spec = target / "template.yaml"
    atomic_write(
        spec, _spec_copy(original, name, str(source or DEFAULT_TEMPLATE), target, package.name).encode("utf-8")
    )
    load_spec(package, spec)  # the copy must load
    return NewTemplate(target, package, spec, str(source or DEFAULT_TEMPLATE))


def _spec_copy(text: str, name: str, source: str, folder: Path, package: str) -> str:
    """The copy's template.yaml: the original under a header naming the copy, without the bundled file's notes."""
    lines = text.splitlines()
    head = 0
    while head < len(lines) and lines[head].startswith("#") and lines[head].strip() != "#":
        head += 1
    intro = lines[:head]
    if any("generate" in line or "tools/" in line for line in intro):  # how the bundled file is made; not yours
        lines = lines[head + 1 if head < len(lines) and lines[head].strip() == "#" else head :]
    body = "\n".join(lines)
    body, n = re.subn(r"(?m)^name:.*$", f"name: {json.dumps(name)}", body, count=1)
    if not n:
        body = f"name: {json.dumps(name)}\n" + body
    header = (
        f"# Template '{name}', copied from '{Path(source).name}' by `deckgen templates new`.\n"
        f"# Change {package} in PowerPoint, keep the {{{{ tags }}}}, save, then check it:\n"
        f"#   deckgen templates lint {folder}\n#\n"
    )
    return header + body.rstrip("\n") + "\n"


def format_new_template(made: NewTemplate) -> str:
    """What ``templates new`` prints: the files made and the next steps."""
    potx = made.package.suffix == ".potx"
    opener = " (File › Open: double-clicking a .potx starts a new presentation)" if potx else ""
    return "\n".join(
        [
            f"Created {made.folder}/ from '{made.source}':",
            f"  {made.package}   open it in PowerPoint and change the design; keep the {{{{ tags }}}}",
            f"  {made.spec}   its name, description and chart bindings",
            "Next:",
            f"  1. Edit {made.package} in PowerPoint and save it{opener}",
            f"  2. deckgen templates lint {made.folder}",
            f"  3. deckgen build --profile PROFILE.yaml --prospect PROSPECT.yaml --template {made.folder} "
            "--out test.pptx",
            "  The guide: docs/templates.md (every tag, with examples and the common mistakes)",
        ]
    )


__all__ = ["NewTemplate", "new_template", "format_new_template"]
