"""Prospect lists as tables of text: open one, read its columns, stream its rows.

:func:`open_table` is the way in; the rest is what it returns and the helpers other
layers share (Excel's column letters, a spreadsheet value as the text Excel shows).
"""

from deckgen.load.table.read import (
    MAX_CELL_CHARS,
    Cell,
    RawRow,
    Table,
    cell_text,
    excel_column,
    open_table,
    sniff_delimiter,
)

__all__ = ["MAX_CELL_CHARS", "Cell", "RawRow", "Table", "cell_text", "excel_column", "open_table", "sniff_delimiter"]
