"""Prospect lists as tables of text: open one, read its columns, stream its rows.

:func:`open_table` is the way in; the rest is what it returns and the helpers other
layers share (Excel's column letters, a spreadsheet value as the text Excel shows).

Names are imported on first use: ``deckgen build`` of one YAML prospect only needs
:mod:`deckgen.load.table.deadline`, not the CSV and XLSX readers.
"""

import importlib

_EXPORTS = {
    "sniff_delimiter": "deckgen.load.table.csvfile",
    "open_table": "deckgen.load.table.read",
    "MAX_CELL_CHARS": "deckgen.load.table.rows",
    "Cell": "deckgen.load.table.rows",
    "RawRow": "deckgen.load.table.rows",
    "Table": "deckgen.load.table.rows",
    "excel_column": "deckgen.load.table.rows",
    "cell_text": "deckgen.load.table.workbook",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    if name in _EXPORTS:
        value = getattr(importlib.import_module(_EXPORTS[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'deckgen.load.table' has no attribute {name!r}")
