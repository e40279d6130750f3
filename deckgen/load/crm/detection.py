"""Which CRM wrote an export, told from its headers.

Every preset lists the headers it knows. A header known to only one preset (and not
a common word like "Industry" or "City") is *distinctive* for it. The preset with the
most distinctive headers present wins, provided its company-name column is there;
without any distinctive header the file is read as "generic" (deckgen's own names).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from deckgen.load.crm.headers import CRM_PRESETS, GENERIC, GENERIC_ALIASES, Preset, field_key, header_key

# Headers too common to say which CRM wrote a file.
_WEAK = {
    header_key(h)
    for h in (
        "Name",
        "ID",
        "Id",
        "Record ID",
        "Industry",
        "Website",
        "Web Site",
        "Type",
        "Phone",
        "Phone Number",
        "Fax",
        "Rating",
        "Site",
        "Description",
        "Status",
        "City",
        "State",
        "Country",
        "Zip",
        "Employees",
        "Annual Revenue",
        "Revenue",
        "Company",
        "Company Name",
        "Number of Employees",
        "Currency",
        "Tag",
        "Market",
        "Account Name",
        "Account Owner",
        "Account ID",
        "Created By",
        "Ownership",
        "Account Number",
    )
}


def _known_keys(preset: Preset) -> set[str]:
    """Every header key ``preset`` knows, the ones feeding fields and the markers."""
    keys = {header_key(h) for headers in preset.fields.values() for h in headers}
    keys.update(header_key(h) for h in preset.markers)
    return keys


_KNOWN = {p.name: _known_keys(p) for p in CRM_PRESETS}
_DISTINCTIVE = {
    p.name: {k for k in _KNOWN[p.name] if k not in _WEAK and sum(k in _KNOWN[q.name] for q in CRM_PRESETS) == 1}
    for p in CRM_PRESETS
}


@dataclass(frozen=True)
class Candidate:
    """How well one preset knows a file's headers."""

    preset: Preset
    distinct: int  # headers only this CRM writes
    shared: int  # other headers it knows
    columns: int  # headers in the file

    @property
    def known(self) -> int:
        return self.distinct + self.shared

    def describe(self) -> str:
        extra = f", {self.distinct} only it writes" if self.distinct else ", none only it writes"
        return f"{self.preset.label} ({self.known} of {self.columns} headers known{extra})"


@dataclass(frozen=True)
class Detection:
    """Which preset reads a file, and the candidates that were weighed (best first)."""

    preset: Preset | None
    candidates: tuple[Candidate, ...] = ()
    ambiguous: bool = False  # no preset fits well enough: the caller refuses the file

    def summary(self) -> str:
        if self.preset is None or self.preset is GENERIC or not self.candidates:
            return ""
        return self.candidates[0].describe()


def _score(preset: Preset, keys: list[str]) -> tuple[int, int]:
    """(distinctive headers present, other known headers present)."""
    distinct = shared = 0
    pattern = re.compile(preset.marker_pattern) if preset.marker_pattern else None
    for key in keys:
        if key in _DISTINCTIVE[preset.name] or (pattern and pattern.match(key)):
            distinct += 1
        elif key in _KNOWN[preset.name]:
            shared += 1
    return distinct, shared


def _fields_read(preset: Preset, by_key: dict[str, str]) -> dict[str, str]:
    """Column -> field path for the columns ``preset`` would feed into fields."""
    out: dict[str, str] = {}
    for path, headers in preset.fields.items():
        for h in headers:
            if header_key(h) in by_key:
                out.setdefault(by_key[header_key(h)], path)
    return out


def company_columns(preset: Preset, by_key: dict[str, str]) -> list[str]:
    """The file's columns (``by_key``: header key -> column) that ``preset`` reads the company name from."""
    return [by_key[header_key(h)] for h in preset.fields["company"] if header_key(h) in by_key]


def detect(columns: list[str], *, company_mapped: bool = False) -> Detection:
    """Weigh every preset against the headers; see :func:`detect_preset` for the rules."""
    by_key = {header_key(c): c for c in columns}
    keys = list(by_key)
    found = []
    for preset in CRM_PRESETS:
        if not company_mapped and not company_columns(preset, by_key):
            continue
        distinct, shared = _score(preset, keys)
        if distinct or shared:
            found.append(Candidate(preset, distinct, shared, len(keys)))
    found.sort(key=lambda c: (-c.distinct, -c.known))
    cands = tuple(found)
    if cands:
        best = cands[0]
        rivals = [c for c in cands[1:] if (c.distinct, c.known) == (best.distinct, best.known)]
        same_reading = all(_fields_read(c.preset, by_key) == _fields_read(best.preset, by_key) for c in rivals)
        strong = best.distinct >= 2 or (best.distinct == 1 and 2 * best.known >= best.columns)
        if strong and same_reading:
            return Detection(best.preset, cands)
    if generic_company_column(columns):
        return Detection(GENERIC, cands)
    if cands:
        best = cands[0]
        rivals = [c for c in cands[1:] if (c.distinct, c.known) == (best.distinct, best.known)]
        same_reading = all(_fields_read(c.preset, by_key) == _fields_read(best.preset, by_key) for c in rivals)
        if same_reading and 2 * best.known >= best.columns:
            return Detection(best.preset, cands)  # e.g. just 'Account Name' and 'Industry': both CRMs mean the same
        if not company_mapped:
            return Detection(None, cands, ambiguous=True)
    return Detection(None, cands)


def detect_preset(columns: list[str], *, company_mapped: bool = False) -> Preset | None:
    """The preset whose headers the columns match well; None when nothing fits (or it is unclear which).

    A preset is taken when at least two headers only that CRM writes are present (or one, and it
    knows half the headers), and no other preset would read the columns differently; else deckgen's
    own names when the file has them; else a preset that knows at least half the headers, when every
    preset that knows as many reads them the same way. :func:`detect` also returns the candidates.
    """
    return detect(columns, company_mapped=company_mapped).preset


def generic_company_column(columns: list[str]) -> str | None:
    """The first column deckgen's own names take for the company ('company', 'Company name', ...), or None."""
    for col in columns:
        if GENERIC_ALIASES.get(field_key(col)) == "company":
            return col
    return None
