"""``deckgen check`` on the files a user writes: a profile, a prospect, a brand kit, or a folder of them.

Each file is read exactly as ``deckgen build`` reads it (so an error here is the error a build would
stop on, with its line), and then checked for what reads cleanly but scores or picks wrongly: an ICP
industry deckgen does not know ("dentistery"), a prospect situation no closing line or disqualifier
answers ("old computers"), a locale that does not exist.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from deckgen.errors import DataWarning, DeckgenError, DeckgenWarning
from deckgen.model import Profile, Prospect

INPUT_SUFFIXES = {".yaml", ".yml", ".json"}


@dataclass
class InputCheck:
    """What checking one input found: its kind, the error that stops a build (or None) and the warnings."""

    path: Path
    kind: str  # "profile", "prospect" or "brand kit"
    error: str | None = None
    warnings: list[str] = field(default_factory=list)


def is_input(path: Path) -> bool:
    """Whether ``path`` is a file a user writes (YAML/JSON) or a folder of them, not a deck."""
    return path.is_dir() or path.suffix.lower() in INPUT_SUFFIXES


def check_inputs(paths: list[Path]) -> list[InputCheck]:
    """Check each file; a folder is a brand kit (it has brand.yaml) or a workspace from ``deckgen init``."""
    found: list[tuple[Path, str]] = []
    for path in paths:
        found += _expand(path)
    profile = next((_quiet_profile(p) for p, kind in found if kind == "profile"), None)
    return [_check_one(path, kind, profile) for path, kind in found]


def _expand(path: Path) -> list[tuple[Path, str]]:
    if not path.is_dir():
        return [(path, _kind_of_file(path))]
    if (path / "brand.yaml").is_file():
        return [(path, "brand kit")]
    out = [(p, _kind_of_file(p)) for p in sorted(path.iterdir()) if p.is_file() and p.suffix.lower() in INPUT_SUFFIXES]
    for sub in sorted(p for p in path.iterdir() if p.is_dir()):
        if (sub / "brand.yaml").is_file():
            out.append((sub, "brand kit"))
        else:  # JSON only in prospects/: a batch's out-dir beside it holds manifests, not prospects
            suffixes = INPUT_SUFFIXES if sub.name.lower() == "prospects" else {".yaml", ".yml"}
            out += [(p, "prospect") for p in sorted(sub.iterdir()) if p.suffix.lower() in suffixes]
    return out


def _kind_of_file(path: Path) -> str:
    if path.name.lower() == "brand.yaml":
        return "brand kit"
    try:
        head = path.read_bytes()[:65536].decode("utf-8", "ignore").replace("\x00", "")
    except OSError:
        return "prospect"
    return "profile" if any(line.startswith(("msp:", "usp:", "icp:")) for line in head.splitlines()) else "prospect"


def _quiet_profile(path: Path) -> Profile | None:
    from deckgen.load.files import read_profile

    try:
        return read_profile(path).value
    except DeckgenError:
        return None


def _check_one(path: Path, kind: str, profile: Profile | None) -> InputCheck:
    from deckgen.brand.kit import read_brand
    from deckgen.load.files import read_profile, read_prospect

    result = InputCheck(path, kind)
    try:
        if kind == "brand kit":
            _, warnings = read_brand(path)
        elif kind == "profile":
            value, warnings = read_profile(path)
            warnings = [*warnings, *profile_advice(value, str(path))]
        else:
            value, warnings = read_prospect(path)
            warnings = [*warnings, *prospect_advice(value, profile, str(path))]
    except DeckgenError as exc:
        result.error = str(exc)
        return result
    result.warnings = [str(w) for w in warnings]
    return result


def profile_advice(profile: Profile, file: str | None = None) -> list[DeckgenWarning]:
    """Warnings for ICP industries deckgen's taxonomy does not know, and for a locale that does not exist."""
    from deckgen.sales.taxonomy import VERTICALS, classify

    names = sorted({n.casefold() for v in VERTICALS for n in (v.key.replace("_", " "), v.label, *v.synonyms)})
    out: list[DeckgenWarning] = []
    for where in ("industries", "adjacent_industries"):
        for i, term in enumerate(getattr(profile.icp, where)):
            if classify(term)[0] is not None:
                continue
            import difflib  # (only for a term not known: not on every build's start-up path)

            close = difflib.get_close_matches(term.casefold(), names, n=1, cutoff=0.75)
            hint = f"did you mean '{close[0]}'?" if close else "write it as a CRM would (dental, legal, ...)"
            out.append(
                DataWarning(
                    f"'{term}' is not an industry deckgen knows, so only a prospect whose industry is written "
                    f"the same way matches it; {hint}",
                    file=file,
                    field=f"icp.{where}[{i}]",
                )
            )
    out += _locale_advice(profile.msp.locale, "msp.locale", file)
    return out


def prospect_advice(prospect: Prospect, profile: Profile | None, file: str | None = None) -> list[DeckgenWarning]:
    """Warnings for situations nothing answers (no closing line's trigger, no disqualifier) and a bad locale."""
    from deckgen.load.closings import load_library

    known = {t for line in load_library() for t in line.triggers}
    if profile is not None:
        known |= {t for line in profile.closings for t in line.triggers} | set(profile.icp.disqualifiers)
    out: list[DeckgenWarning] = []
    for i, situation in enumerate(prospect.situations):
        if situation in known:
            continue
        import difflib

        close = difflib.get_close_matches(situation, sorted(known), n=1, cutoff=0.6)
        hint = f"did you mean '{close[0]}'?" if close else f"the situations deckgen knows: {', '.join(sorted(known))}"
        out.append(
            DataWarning(
                f"'{situation}' is a situation no closing line or disqualifier answers, so it changes nothing; {hint}",
                file=file,
                field=f"situations[{i}]",
            )
        )
    return out + _locale_advice(prospect.locale, "locale", file)


def _locale_advice(tag: str | None, where: str, file: str | None) -> list[DeckgenWarning]:
    if not tag:
        return []
    from deckgen.sales.locales import normalise_locale

    try:
        normalise_locale(tag)
    except DeckgenError as exc:
        return [DataWarning(exc.message, file=file, field=where)]
    return []
