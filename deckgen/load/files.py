"""Load a profile, a prospect or a brand kit from YAML into the validated model."""

from __future__ import annotations

from pathlib import Path
from typing import TypeVar

from pydantic import BaseModel, ValidationError

from deckgen.errors import InputError
from deckgen.load.yamlfile import YamlDoc, format_loc, load_yaml_file
from deckgen.model import Profile, Prospect
from deckgen.load.textclean import clean_tree

M = TypeVar("M", bound=BaseModel)


def _message(err: dict) -> str:
    kind = err.get("type", "")
    if kind == "missing":
        return "field required"
    if kind == "extra_forbidden":
        return "unknown field (check the spelling)"
    msg = err.get("msg", "invalid value")
    return msg[0].lower() + msg[1:] if msg else msg


def validate_doc(model: type[M], doc: YamlDoc, warnings: list[str] | None = None) -> M:
    """Validate loaded YAML against ``model``; raise InputError naming file, line and field."""
    if not isinstance(doc.data, dict):
        raise InputError(f"expected a mapping of fields at the top, found {type(doc.data).__name__}",
                         file=doc.file, line=1)
    if warnings is not None:
        warnings.extend(doc.warnings)
    data = clean_tree(doc.data, "", warnings if warnings is not None else [])
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        err = exc.errors(include_url=False)[0]
        loc = tuple(p for p in err["loc"] if not (isinstance(p, str) and p.startswith("function-")))
        more = len(exc.errors()) - 1
        suffix = f" (and {more} more problem{'s' if more > 1 else ''})" if more else ""
        raise InputError(_message(err) + suffix, file=doc.file, line=doc.line_of(loc),
                         field=format_loc(loc) or None) from None


def confine_logo(value: str, base_dir: Path) -> str:
    """Resolve a prospect's logo path against its file's folder; refuse one that leaves it.

    A CRM row or prospect file must not be able to put any image on the seller's machine
    (``/home/…/scan.png``, ``../../``) into a deck that goes to customers.
    """
    base = base_dir.resolve()
    target = (base / value).resolve()
    if not target.is_relative_to(base):
        raise InputError(f"logo '{value}' is outside the folder of the prospect list ({base_dir}); "
                         "put the image next to it", field="logo")
    return str(target)


def load_profile(path: Path | str, warnings: list[str] | None = None) -> Profile:
    """Load the MSP profile YAML."""
    return validate_doc(Profile, load_yaml_file(path), warnings)


def load_prospect(path: Path | str, warnings: list[str] | None = None) -> Prospect:
    """Load one prospect YAML; its id defaults to the file name's stem."""
    doc = load_yaml_file(path)
    if isinstance(doc.data, dict) and not doc.data.get("id"):
        doc.data["id"] = Path(path).stem
    prospect = validate_doc(Prospect, doc, warnings)
    if prospect.logo:
        try:
            prospect.logo = confine_logo(prospect.logo, Path(path).parent)
        except InputError as exc:
            exc.file, exc.line = str(path), doc.line_of(("logo",))
            raise
    return prospect
