"""Fit results written back to the CRM: a CSV its own import accepts to update the same records.

Each CRM matches an update to a record by its id column, named as that CRM names it (HubSpot
"Record ID", Salesforce Data Loader "Id", Zoho "Record Id", Dynamics 365 "(Do Not Modify) Account",
...). The id column is the one the export itself had; the fit columns after it are named the way
that CRM's import maps them most easily (Salesforce: custom-field API names). Create the fields in
the CRM once before the first import. Values that a spreadsheet would run as a formula are
neutralised.
"""

from __future__ import annotations

from pathlib import Path

from deckgen.batch.report import csv_bytes
from deckgen.errors import InputError
from deckgen.output import atomic_write
from deckgen.sales.ranking import FitRanking

__all__ = ["UPDATE_COLUMNS", "crm_update_rows", "write_crm_update"]

_STANDARD_ID = {
    "hubspot": "Record ID",
    "salesforce": "Id",
    "salesforce_report": "Account ID",
    "connectwise": "Company ID",
    "pipedrive": "Organization - ID",
    "zoho": "Record Id",
    "dynamics": "(Do Not Modify) Account",
}
_SALESFORCE = ("Fit_Score__c", "Fit_Band__c", "Fit_Confidence__c", "Fit_Closing_Line__c", "Fit_Deck_File__c")
_PLAIN = ("Fit Score", "Fit Band", "Fit Confidence", "Fit Closing Line", "Fit Deck File")
_PIPEDRIVE = tuple(f"Organization - {c}" for c in _PLAIN)
UPDATE_COLUMNS = {"salesforce": _SALESFORCE, "salesforce_report": _SALESFORCE, "pipedrive": _PIPEDRIVE}
_BAND_WORDS = {"A": "A", "B": "B", "C": "C", "qualify_first": "Qualify first", "walk_away": "Walk away"}


def _id_column(source: dict) -> str:
    """The id column as the export named it; the CRM's standard name for a file deckgen was told the CRM of."""
    for column, target in (source.get("mapping") or {}).items():
        if target == "id":
            return column
    crm = source.get("crm", "")
    hint = f" ('{_STANDARD_ID[crm]}' in a {source.get('crm_label', crm)} export)" if crm in _STANDARD_ID else ""
    raise InputError(
        f"the list has no record id column{hint}, so the CRM could not match the rows to update; export the "
        'list again with its id column, or name it with --map "Your Column=id"',
        file=source.get("file"),
        field="id",
    )


def crm_update_rows(ranking: FitRanking) -> tuple[list[str], list[list]]:
    """(header, rows) of the update file, in file order; failed rows are left out (their fit is unknown)."""
    source = ranking.source
    id_col = _id_column(source)
    names = UPDATE_COLUMNS.get(source.get("crm", ""), _PLAIN)
    rows = [
        [r.id, r.score, _BAND_WORDS.get(r.band, r.band), round(r.confidence * 100), r.closing_text, r.deck]
        for r in sorted(ranking.ranked, key=lambda r: r.row)
    ]
    return [id_col, *names], rows


def write_crm_update(path: Path, ranking: FitRanking) -> int:
    """Write the update CSV atomically; returns how many records it updates."""
    header, rows = crm_update_rows(ranking)
    bom = ranking.source.get("crm") not in ("salesforce", "salesforce_report")  # Data Loader reads the BOM as text
    atomic_write(Path(path), csv_bytes(header, rows, bom=bom))
    return len(rows)
