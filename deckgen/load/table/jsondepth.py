"""JSON lists where one item is nested absurdly deep: that item fails alone, the others are read.

Python's json parser recurses once per level and stops the whole file at about a thousand levels.
:func:`prune_deep_items` scans the text once, linearly (strings skipped, escapes honoured), and
replaces each item of the prospect list that nests deeper than ``MAX_ITEM_DEPTH`` with a marker
string, which the item reader turns into a row error for that item.
"""

from __future__ import annotations

MAX_ITEM_DEPTH = 64  # levels inside one prospect item; real CRM exports use three or four
TOO_DEEP = "\x00deckgen: nested too deeply"  # never a value a JSON file gives (NUL is cleaned from text)
_MARKER = '"\\u0000deckgen: nested too deeply"'


def prune_deep_items(text: str) -> str:
    """``text`` with each over-deep item of the top-level list (or of ``{"key": [...]}``) replaced."""
    i, n = 0, len(text)
    depth = 0
    item_depth = None  # the depth at which list items sit, once known
    start = None  # where the current item began
    deepest = 0
    cuts: list[tuple[int, int]] = []
    stack: list[str] = []
    while i < n:
        ch = text[i]
        if ch == '"':
            i += 1
            while i < n and text[i] != '"':
                i += 2 if text[i] == "\\" else 1
        elif ch in "[{":
            if item_depth is None and ch == "[" and depth <= 1 and (depth == 0 or stack == ["{"]):
                item_depth = depth + 1
            depth += 1
            stack.append(ch)
            if item_depth is not None and depth == item_depth + 1 and start is None:
                start, deepest = i, depth
            if start is not None:
                deepest = max(deepest, depth)
            if len(stack) > 1_000_000:
                break
        elif ch in "]}":
            if stack:
                stack.pop()
            if start is not None and depth == item_depth + 1:
                if deepest - item_depth > MAX_ITEM_DEPTH:
                    cuts.append((start, i + 1))
                start = None
            depth -= 1
        i += 1
    if not cuts:
        return text
    out, last = [], 0
    for a, b in cuts:
        out.append(text[last:a])
        out.append(_MARKER)
        last = b
    out.append(text[last:])
    return "".join(out)
