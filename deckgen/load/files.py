"""Load a profile, a prospect or any YAML-described model into the validated model.

The ``read_*`` functions return the value with the warnings found on the way (as
:class:`~deckgen.errors.DeckgenWarning`). ``load_profile``, ``load_prospect`` and
``validate_doc`` are the older spellings that append the warnings' text to a list the caller
passes; they stay until every caller has moved to the ``read_*`` functions.
"""

from __future__ import annotations

from pathlib import Path
from typing import Generic, NamedTuple, TypeVar

from pydantic import BaseModel, ValidationError

from deckgen.errors import DataWarning, DeckgenWarning, InputError
from deckgen.load.closings import closing_warnings
from deckgen.load.explain import explain_validation
from deckgen.load.profilecheck import check_kind, check_profile
from deckgen.load.table.deadline import LIST_SECONDS, ReadDeadline
from deckgen.load.textclean import clean_tree
from deckgen.load.yamlfile import YamlDoc, load_yaml_file
from deckgen.model import Profile, Prospect

M = TypeVar("M", bound=BaseModel)
# amounts where 0 means "not filled in" (deckgen.model's ``Amount`` reads it as unknown), as a seller names them
ZERO_IS_UNKNOWN = {
    "budget_per_user_month": "a budget",
    "numbers.annual_revenue": "an annual revenue",
    "numbers.hourly_wage": "an hourly wage",
    "numbers.it_spend_per_month": "an IT spend",
}


class Loaded(NamedTuple, Generic[M]):
    """A validated model and the warnings found while loading it (unpacks as ``value, warnings``)."""

    value: M
    warnings: list[DeckgenWarning]


def read_model(model: type[M], doc: YamlDoc) -> Loaded[M]:
    """Validate loaded YAML against ``model``; raise InputError naming file, line and field."""
    if not isinstance(doc.data, dict):
        raise InputError(
            f"expected a mapping of fields at the top, found {type(doc.data).__name__}", file=doc.file, line=1
        )
    data, cleaned = clean_tree(doc.data)
    try:
        value = model.model_validate(data)
    except ValidationError as exc:
        problem = explain_validation(exc, model=model)
        raise InputError(
            problem.message + problem.more, file=doc.file, line=doc.line_of(problem.loc), field=problem.field
        ) from None
    return Loaded(value, [*doc.warnings, *cleaned])


def read_profile(path: Path | str) -> Loaded[Profile]:
    """The MSP profile YAML at ``path``, validated, with its warnings (a closing line with no slide form, too)."""
    with ReadDeadline(str(path), LIST_SECONDS, what="profile").opening():
        doc = load_yaml_file(path)
    check_kind(doc, "profile")
    profile, warnings = read_model(Profile, doc)
    checked = check_profile(profile, doc)
    return Loaded(profile, [*warnings, *checked, *closing_warnings(profile, file=str(path))])


def read_prospect(path: Path | str) -> Loaded[Prospect]:
    """One prospect YAML, validated, with its warnings; its id defaults to the file name's stem."""
    with ReadDeadline(str(path), LIST_SECONDS, what="prospect").opening():
        doc = load_yaml_file(path)
    check_kind(doc, "prospect")
    if isinstance(doc.data, dict) and not doc.data.get("id"):
        doc.data["id"] = Path(path).stem
    zeros = _zero_amounts(doc, str(path)) if isinstance(doc.data, dict) else []
    prospect, warnings = read_model(Prospect, doc)
    warnings += zeros
    if prospect.logo:
        try:
            prospect.logo = confine_logo(prospect.logo, Path(path).parent)
        except InputError as exc:
            exc.file, exc.line = str(path), doc.line_of(("logo",))
            raise
    return Loaded(prospect, warnings)


def _zero_amounts(doc: YamlDoc, file: str) -> list[DeckgenWarning]:
    """Leave out each amount written as 0 (it means "not filled in"), with a warning that says so."""
    found = []
    for path, what in ZERO_IS_UNKNOWN.items():
        *parents, key = path.split(".")
        holder = doc.data
        for part in parents:
            holder = holder.get(part) if isinstance(holder, dict) else None
        if not isinstance(holder, dict) or isinstance(holder.get(key), bool):
            continue
        try:
            zero = float(str(holder.get(key)).strip()) == 0
        except ValueError:
            continue
        if zero:
            holder[key] = None
            found.append(
                DataWarning(
                    f"{what} of 0 is read as not filled in; left unknown, ask in discovery", file=file, field=path
                )
            )
    return found


def confine_logo(value: str, base_dir: Path) -> str:
    """Resolve a prospect's logo path against its file's folder; refuse one that leaves it.

    A CRM row or prospect file must not be able to put any image on the seller's machine
    (``/home/…/scan.png``, ``../../``) into a deck that goes to customers.
    """
    base = base_dir.resolve()
    target = (base / value).resolve()
    if not target.is_relative_to(base):
        raise InputError(
            f"logo '{value}' is outside the folder of the prospect list ({base_dir}); put the image next to it",
            field="logo",
        )
    return str(target)


# --------------------------------------------------------------------------- the older spellings


def _append_texts(found: list[DeckgenWarning], warnings: list[str] | None) -> None:
    # the callers of the older spellings keep plain text (they join, print and serialise it)
    if warnings is not None:
        warnings.extend(str(w) for w in found)


def validate_doc(model: type[M], doc: YamlDoc, warnings: list[str] | None = None) -> M:
    """``read_model``'s value; its warnings' text is appended to ``warnings``."""
    value, found = read_model(model, doc)
    _append_texts(found, warnings)
    return value


def load_profile(path: Path | str, warnings: list[str] | None = None) -> Profile:
    """``read_profile``'s value; its warnings' text is appended to ``warnings``."""
    value, found = read_profile(path)
    _append_texts(found, warnings)
    return value


def load_prospect(path: Path | str, warnings: list[str] | None = None) -> Prospect:
    """``read_prospect``'s value; its warnings' text is appended to ``warnings``."""
    value, found = read_prospect(path)
    _append_texts(found, warnings)
    return value
