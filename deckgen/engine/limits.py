"""How much text a template may produce: the caps, and the checks every bounded operation uses."""

from __future__ import annotations

import re

from deckgen.errors import RenderError

MAX_VALUE_CHARS = 1_000_000  # one expression's result
MAX_PART_CHARS = 8_000_000  # one rendered part
MAX_RANGE = 10_000
MAX_INT_BITS = 4_096  # an integer product larger than this (about 1,200 digits) is refused
MAX_FORMAT_WIDTH = 999
MAX_TAG_DEPTH = 64  # brackets, filters, operators and blocks inside one another in one part's tags
# a %-format width or precision of 1000 or more, or one taken from the arguments (*)
FORMAT_WIDTH = re.compile(r"%(?:\([^)]*\))?[-+ #0]*(?:\d{4,}|\*|\d*\.(?:\d{4,}|\*))")


class OutputLimitError(RenderError):
    """A template tried to produce more text than deckgen allows."""


def too_big(n: int) -> None:
    if n > MAX_VALUE_CHARS:
        raise OutputLimitError(f"an expression would produce {n:,} characters; the limit is {MAX_VALUE_CHARS:,}")


_CONTAINERS = (list, tuple, dict, set, frozenset)


def size_of(value, limit: int = MAX_VALUE_CHARS) -> int:
    """Roughly how many characters ``value`` prints as: its length for text, one per item plus the
    items' own sizes for lists, tuples, sets and dicts (through any nesting, an item shared twice
    counted twice, because it prints twice). Counting stops a little past ``limit``."""
    if isinstance(value, (str, bytes)):
        return len(value)
    if not isinstance(value, _CONTAINERS):
        return 1
    total, stack = 0, [value]
    while stack and total <= limit:
        item = stack.pop()
        if isinstance(item, (str, bytes)):
            total += len(item)
        elif isinstance(item, dict):
            total += len(item)
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, _CONTAINERS):
            total += len(item)
            stack.extend(item)
        else:
            total += 1
    return total


def check_size(value) -> None:
    if isinstance(value, str):  # (Markup too) what nearly every call of a deck checks
        if len(value) > MAX_VALUE_CHARS:
            too_big(len(value))
        return
    if isinstance(value, _CONTAINERS) or (isinstance(value, bytes) and len(value) > MAX_VALUE_CHARS):
        too_big(size_of(value))


def check_format_spec(spec: str) -> None:
    if any(int(n) > MAX_FORMAT_WIDTH for n in re.findall(r"\d+", spec)):
        raise OutputLimitError(f"format widths over {MAX_FORMAT_WIDTH} are not allowed")
