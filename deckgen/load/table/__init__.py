"""Prospect lists as tables of text: open one, read its columns, stream its rows.

:func:`open_table` is the way in; the rest is what it returns and the helpers other
layers share (Excel's column letters, a spreadsheet value as the text Excel shows).
"""

from deckgen.load.table.csvfile import sniff_delimiter
from deckgen.load.table.read import open_table
from deckgen.load.table.rows import MAX_CELL_CHARS, Cell, RawRow, Table, excel_column
from deckgen.load.table.workbook import cell_text

__all__ = ["MAX_CELL_CHARS", "Cell", "RawRow", "Table", "cell_text", "excel_column", "open_table", "sniff_delimiter"]
