"""Tagged table cells whose text is too tall for the table's room: shrunk like a text box's text.

PowerPoint (and LibreOffice) make a table row as tall as its cells' text needs, so a long value
never leaves its cell: it makes the row, and so the table, taller. What must hold is the table's
height: a table may grow into empty space under it, but not over a shape it did not cover in the
template nor past the slide's bottom edge (its *room*, :mod:`deckgen.engine.layout.room`). When a
tagged table is taller than its room, the cells that made their rows taller than the template's
rows (``a:tr/@h``) and whose text came from tags shrink together, 5 % of their size a step, down to
``min_font_size`` (the template's policy and limits, as for text boxes), until the table fits. A
table that still does not fit keeps its smallest sizes and is named, with the cells, by
:func:`~deckgen.engine.layout.tables.grown_tables`; so is one whose rows alone (a ``{% for %}`` row
repeated) are taller than its room, whose text is not shrunk as that would not help. Cells are
measured with the text measurer ``deckgen check`` uses (:mod:`deckgen.engine.layout.table_text`).
"""

from __future__ import annotations

from dataclasses import dataclass

from lxml import etree

from deckgen.engine.layout.frame import EMU_PER_PT, TOLERANCE_PT, shape_id
from deckgen.engine.layout.room import room_below, slide_shapes, top_level
from deckgen.engine.layout.styles import int_attr
from deckgen.engine.layout.table_text import cell_frame, write_back
from deckgen.engine.layout.tables import grown_tables, on_slide, shape_box
from deckgen.engine.opc import parse_xml, q, to_bytes
from deckgen.engine.tags import own_name

_FRAME, _TBL, _TR, _TC = q("p:graphicFrame"), q("a:tbl"), q("a:tr"), q("a:tc")
_GRID_COL, _P, _T = f"{q('a:tblGrid')}/{q('a:gridCol')}", q("a:p"), q("a:t")
_TABLE = f"{q('a:graphic')}/{q('a:graphicData')}/{_TBL}"
_MAX_CELLS_NAMED = 3


def pt_text(value: float) -> str:
    """A point size as messages write it: 24, 21.5."""
    return f"{value:g}"


_pt = pt_text


@dataclass(frozen=True)
class CellShrink:
    """Table cells whose font sizes were reduced so their table fits its room (a :class:`Shrink` of cells)."""

    slide: int
    shape: str
    from_pt: float
    to_pt: float
    cells: tuple[str, ...] = ()

    def __str__(self) -> str:
        return (
            f"slide {self.slide}, table '{self.shape}': text in {_names(self.cells, 'column')} shrunk from "
            f"{_pt(self.from_pt)} pt to {_pt(self.to_pt)} pt to keep the table within its room on the slide"
        )


def fit_tables(state, xml: bytes, target: str, part: str, policy: str, min_pt: float, number: int):
    """(slide XML with tagged cells shrunk, [CellShrink], [sentences on tables that still do not fit])."""
    root = parse_xml(xml, target)
    styles = state.styles
    tagged = _tagged_tables(state, part)
    heights: dict = {}  # graphic frame -> the table's height laid out (pt), for grown_tables
    notes: dict = {}
    shrunk: list[CellShrink] = []
    shapes, changed = None, False
    for frame in root.iter(_FRAME) if tagged else ():
        static = tagged.get(shape_id(frame))
        tbl = frame.find(_TABLE)
        own = shape_box(frame, part, styles) if static is not None and tbl is not None else None
        placed = on_slide(frame, own) if own is not None else None
        if placed is None:
            continue
        *box, scale = placed
        shapes = shapes if shapes is not None else slide_shapes(root, part, styles)
        room = (room_below(shapes, top_level(frame), tuple(box), styles.slide_height) - box[1]) / EMU_PER_PT / scale
        rows = _rows(tbl, part, state, static)
        heights[frame] = _total(rows)
        if heights[frame] <= room + TOLERANCE_PT:
            continue
        stated, growing = sum(h for h, _ in rows), _growing(rows)
        if policy == "shrink" and growing and stated <= room + TOLERANCE_PT:
            columns = sorted({cell[4] for _, cell in growing})
            chosen = [cell for _, cells in rows for cell in cells if cell[3] and cell[4] in columns]
            done = _shrink(rows, chosen, room, min_pt, part, state)
            if done is not None:
                changed, heights[frame] = True, _total(rows)
                before, after, fitted = done
                if fitted:
                    shrunk.append(CellShrink(number, own_name(frame), before, after, _column_names(rows, columns)))
                    continue
                tallest, which = (
                    _names(_cell_names(rows, _growing(rows))),
                    _names(_column_names(rows, columns), "column"),
                )
                notes[frame] = (
                    f" ({which} shrunk to {_pt(after)} pt, the smallest allowed "
                    f"(min_font_size in template.yaml); the tallest text is in {tallest})"
                )
                continue
        if growing:
            notes[frame] = f" (the tallest text is in {_names(_cell_names(rows, growing))})"
    if changed:
        xml = to_bytes(root)
    grown = grown_tables(root, part, styles, lambda f: heights.get(f) or state.table_height(f, part), notes)
    return xml, shrunk, grown


def _rows(tbl, part: str, state, static: frozenset) -> list[tuple[float, list[list]]]:
    """Each row's stated height (pt) and its cells as [tc, width, height laid out (pt), tagged]."""
    widths = [int_attr(c.get("w")) for c in tbl.iterfind(_GRID_COL)]
    theme, memo = state.theme_fonts(part), state.cell_memo()  # (bounded: a batch's cells must not pile up)
    rows = []
    for tr in tbl.iterfind(_TR):
        column, cells = 0, []
        for tc in tr.iterfind(_TC):
            span = max(int_attr(tc.get("gridSpan"), 1), 1)
            width = sum(widths[column : column + span])
            column += span
            if tc.get("hMerge") or tc.get("vMerge") or int_attr(tc.get("rowSpan"), 1) > 1:
                continue  # merged cells: their text sits in (or spans) other rows (as table_extent)
            key = (part, width, etree.tostring(tc))
            if key not in memo:
                cell = cell_frame(tc, width, part, state.styles, state.fonts, theme, state.paragraphs.read)
                memo[key] = 0.0 if cell is None else cell[0].measure().height + cell[1]
            cells.append([tc, width, memo[key], _text(tc) not in static, column])
        rows.append((int_attr(tr.get("h")) / EMU_PER_PT, cells))
    return rows


def _total(rows) -> float:
    return sum(max([h] + [cell[2] for cell in cells]) for h, cells in rows)


def _growing(rows) -> list[tuple[int, list]]:
    """(row index, cell) of the tagged cells that make their rows taller than the template's: the tallest of the row."""
    found = []
    for r, (h, cells) in enumerate(rows):
        tallest = max([h] + [cell[2] for cell in cells])
        found += [(r, cell) for cell in cells if cell[3] and cell[2] > h + TOLERANCE_PT and cell[2] >= tallest - 1e-6]
    return found


def _shrink(rows, cells, room: float, min_pt: float, part: str, state) -> tuple[float, float, bool] | None:
    """Shrink ``cells`` together, 5 % a step, until the table fits ``room``; (from pt, to pt, fits), or None
    when none of them can get smaller. Sizes are written into the cells either way."""
    theme = state.theme_fonts(part)
    frames = []
    for cell in cells:
        found = cell_frame(cell[0], cell[1], part, state.styles, state.fonts, theme, state.paragraphs.read)
        if found is not None:
            frames.append((cell, found[0], found[1], list(found[0].shrink_steps(min_pt))))
    longest = max((len(steps) for *_, steps in frames), default=0)
    chosen, fits = None, False
    for step in range(longest):
        chosen = []
        for cell, frame, margins, steps in frames:
            sizes = steps[min(step, len(steps) - 1)] if steps else frame.base_sizes()
            cell[2] = frame.measure(sizes).height + margins
            chosen.append(sizes)
        fits = _total(rows) <= room + TOLERANCE_PT
        if fits:
            break
    if chosen is None:
        return None
    before = max(frame.largest_size() for _, frame, _, _ in frames)
    after = max(frame.largest_size(sizes) for (_, frame, _, _), sizes in zip(frames, chosen))
    for (cell, frame, _, _), sizes in zip(frames, chosen):
        frame.apply(sizes)
        write_back(cell[0], frame)
    return before, after, fits


def _text(tc) -> str:
    return "\n".join("".join(t.text or "" for t in p.iter(_T)) for p in tc.iter(_P))


def _header(rows, column: int) -> str:
    """`` ('Description')``: the first row's text above grid column ``column``, when it is plain text."""
    text = next((_text(cell[0]).strip() for cell in rows[0][1] if cell[4] == column), "") if rows else ""
    text = " ".join(text.split())
    text = text if len(text) <= 30 else text[:29] + "…"
    return f" ('{text}')" if text and "{" not in text else ""


def _column_names(rows, columns) -> tuple[str, ...]:
    return tuple(f"{c}{_header(rows, c)}" for c in columns)


def _cell_names(rows, cells) -> tuple[str, ...]:
    """``row 3, column 2 ('Description')`` for each (row index, cell)."""
    return tuple(f"row {r + 1}, column {cell[4]}" + (_header(rows, cell[4]) if r else "") for r, cell in cells)


def _names(names: tuple[str, ...], kind: str = "cell") -> str:
    shown = ", ".join(names[:_MAX_CELLS_NAMED])
    more = len(names) - _MAX_CELLS_NAMED
    return kind + ("" if len(names) == 1 else "s") + " " + shown + (f" and {more} more" if more > 0 else "")


def _tagged_tables(state, part: str) -> dict[str, frozenset]:
    """Tables of template slide ``part`` whose cells hold tags: frame id -> the text of their cells without tags."""
    key = ("tables", part)
    found = state.rooms.get(key)
    if found is None:
        found = {}
        root = state.styles.root(part)
        for frame in root.iter(_FRAME) if root is not None else ():
            tbl = frame.find(_TABLE)
            texts = [_text(tc) for tc in tbl.iter(_TC)] if tbl is not None else []
            if any("{{" in t or "{%" in t for t in texts):
                found[shape_id(frame)] = frozenset(t for t in texts if "{{" not in t and "{%" not in t)
        state.rooms[key] = found
    return found
