"""The names ``deckgen.load.crm.presets`` offered before the CRM code was split by concern.

Kept so callers that import from here still work; new code imports from
:mod:`deckgen.load.crm` (the header sets themselves are in :mod:`deckgen.load.crm.headers`).
"""

from deckgen.load.crm import (
    CRM_CHOICES,
    CRM_PRESETS,
    PRESETS,
    FieldSpec,
    Preset,
    ProspectSource,
    RowResult,
    detect_preset,
    header_key,
    load_mapping_file,
    open_prospects,
    parse_it_model,
    parse_map_options,
    parse_number,
    resolve_field,
)

__all__ = [
    "CRM_CHOICES",
    "CRM_PRESETS",
    "PRESETS",
    "FieldSpec",
    "Preset",
    "ProspectSource",
    "RowResult",
    "detect_preset",
    "header_key",
    "load_mapping_file",
    "open_prospects",
    "parse_it_model",
    "parse_map_options",
    "parse_number",
    "resolve_field",
]
