"""Which CRM wrote an export, told from its headers.

Every preset lists the headers it knows. A header known to only one preset (and not
a common word like "Industry" or "City") is *distinctive* for it. The preset with the
most distinctive headers present wins, provided its company-name column is there;
without any distinctive header the file is read as "generic" (deckgen's own names).
"""

from __future__ import annotations

import re

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


def company_columns(preset: Preset, by_key: dict[str, str]) -> list[str]:
    """The file's columns (``by_key``: header key -> column) that ``preset`` reads the company name from."""
    return [by_key[header_key(h)] for h in preset.fields["company"] if header_key(h) in by_key]


def detect_preset(columns: list[str], *, company_mapped: bool = False) -> Preset | None:
    """The preset whose headers the columns match best; None when nothing fits."""
    by_key = {header_key(c): c for c in columns}
    keys = list(by_key)
    best, best_score = None, None
    for preset in CRM_PRESETS:
        if not company_mapped and not company_columns(preset, by_key):
            continue
        score = _score(preset, keys)
        if best_score is None or score > best_score:
            best, best_score = preset, score
    if best is not None and best_score[0] >= 1:
        return best
    if generic_company_column(columns):
        return GENERIC
    if best is not None and best_score[1] >= 1 and not company_mapped:
        return best  # e.g. just 'Account Name' and 'Industry': read it the way that CRM means it
    return None


def generic_company_column(columns: list[str]) -> str | None:
    """The first column deckgen's own names take for the company ('company', 'Company name', ...), or None."""
    for col in columns:
        if GENERIC_ALIASES.get(field_key(col)) == "company":
            return col
    return None
