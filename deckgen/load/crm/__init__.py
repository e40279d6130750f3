"""Prospects from CRM exports and spreadsheets: which CRM wrote a list, and which column feeds which field.

:func:`open_prospects` reads the header of a CSV/XLSX/JSON/YAML list (see
:mod:`deckgen.load.table`), recognises which CRM wrote it (:mod:`.detection`, from the
header sets in :mod:`.headers`), decides once which column feeds which
:class:`~deckgen.model.Prospect` field (:mod:`.mapping`), and returns a
:class:`ProspectSource` that streams one :class:`RowResult` per data row, each cell read
by :mod:`.values`.

Which column feeds which field, in order of precedence:

1. the user's mapping (``--map "Account Name=company"`` or a mapping file);
   it replaces whatever a preset would have put into that field;
2. the CRM preset (HubSpot, Salesforce Data Loader, Salesforce report,
   ConnectWise PSA, Pipedrive, Zoho CRM), detected from the headers;
3. deckgen's own field names (``company``, ``users``, ``size.users``,
   ``pain_points``, ``it_model``, ``extra.Territory`` ...), understood in every
   file;
4. everything else is kept as text in ``prospect.extra[column name]``.
"""

from deckgen.load.crm.detection import detect_preset
from deckgen.load.crm.headers import CRM_PRESETS, PRESETS, Preset, header_key
from deckgen.load.crm.mapping import FieldSpec, load_mapping_file, parse_map_options, resolve_field
from deckgen.load.crm.rows import RowResult
from deckgen.load.crm.source import CRM_CHOICES, ProspectSource, open_prospects
from deckgen.load.crm.values import RowWarning, parse_bool, parse_it_model, parse_number

__all__ = [
    "CRM_CHOICES",
    "CRM_PRESETS",
    "PRESETS",
    "FieldSpec",
    "Preset",
    "ProspectSource",
    "RowResult",
    "RowWarning",
    "detect_preset",
    "header_key",
    "load_mapping_file",
    "open_prospects",
    "parse_bool",
    "parse_it_model",
    "parse_map_options",
    "parse_number",
    "resolve_field",
]
