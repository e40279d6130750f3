"""Checks across the fields of a profile that the model cannot make one field at a time, with the line.

A tier naming a service the price list does not have ("Managed Suport") would be priced without it;
a size range upside down would score every prospect out of range; a closing line longer than the
profile's own comment allows does not fit the seller brief. Each is found here, when the profile is
read, naming the line, instead of as a wrong price or a failed build later.
"""

from __future__ import annotations

from deckgen.errors import DataWarning, InputError
from deckgen.load.yamlfile import YamlDoc
from deckgen.model import Profile

CLOSING_TEXT_CHARS = 160  # what profile.yaml's comment asks for; the seller brief's closing box is drawn for it


def check_kind(doc: YamlDoc, kind: str) -> None:
    """Refuse an empty file, or a prospect given as the profile (and the other way round), saying so."""
    data = doc.data
    if data == {} or data is None:
        raise InputError(
            f"the file is empty (only comments or blank lines); fill in the {kind} "
            "(deckgen init my-msp writes an example of every file)",
            file=doc.file,
        )
    if not isinstance(data, dict):
        return
    if kind == "profile" and "msp" not in data and "company" in data:
        raise InputError(
            "this is a prospect file, not a profile: give it with --prospect, and your profile.yaml with --profile",
            file=doc.file,
        )
    if kind == "prospect" and "msp" in data and "company" not in data:
        raise InputError(
            "this is a profile, not a prospect file: give it with --profile, and the prospect with --prospect",
            file=doc.file,
        )


def check_profile(profile: Profile, doc: YamlDoc) -> list[DataWarning]:
    """InputError for a tier with an unknown service or an upside-down size range; warnings for long lines."""
    names = [s.name for s in profile.services]
    for i, tier in enumerate(profile.tiers):
        for j, service in enumerate(tier.services):
            if service in names:
                continue
            import difflib  # (only for a service not known: off the start-up path)

            close = difflib.get_close_matches(service, names, n=1, cutoff=0.6)
            hint = f"did you mean '{close[0]}'?" if close else f"the services are: {', '.join(names) or 'none'}"
            raise InputError(
                f"'{service}' is not one of your services (the names under services:); {hint}",
                file=doc.file,
                line=doc.line_of(("tiers", i, "services", j)),
                field=f"tiers[{i}].services[{j}]",
            )
    size = profile.icp.size
    if size.max_users < size.min_users:
        raise InputError(
            f"max_users ({size.max_users}) is less than min_users ({size.min_users}); swap them",
            file=doc.file,
            line=doc.line_of(("icp", "size", "max_users")),
            field="icp.size.max_users",
        )
    warnings = []
    for i, line in enumerate(profile.closings):
        if len(line.text) > CLOSING_TEXT_CHARS:
            warnings.append(
                DataWarning(
                    f"closing line '{line.id}' is {len(line.text)} characters; keep it under {CLOSING_TEXT_CHARS} "
                    "(the seller brief's closing box is drawn for that; a longer line may not fit it)",
                    file=f"{doc.file}:{doc.line_of(('closings', i, 'text'))}",
                    field=f"closings[{i}].text",
                )
            )
    return warnings
