"""Property tests over the number parser and the other cell readers: any text, up to a 1 MiB cell, is read or
refused in linear time. The bound is asserted on work (what the regular expressions, the only part that
could backtrack, are ever given) and, generously, on time.

``DECKGEN_FUZZ_EXAMPLES`` raises the number of examples for a longer fuzzing run.
"""

from __future__ import annotations

import math
import time

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from deckgen.load.crm import numbers
from deckgen.load.crm.mapping import resolve_field
from deckgen.load.crm.numbers import MAX_NUMBER_TEXT, NotANumber, parse_number
from deckgen.load.crm.values import CellError, convert_cell
from tests.security.fuzzing import FUZZ

MIB = 1024 * 1024
SECONDS = 1.0  # the slowest 1 MiB cell reads in about 50 ms (before the fixes: 4 s as a number, 42 s as an IT model)

NUMBERISH = "0123456789.,-+$€£¥ kKmMbB()/:eE'_%<>≥≤\u00a0\u202f\u2212\uff10\uff11"
# characters Unicode normalisation multiplies: U+FDFA becomes 18 characters, U+3300 four
EXPANDING = "\ufdfa\u3300\u2474\u00bd\ufb03"

SHORT = st.text(st.sampled_from(NUMBERISH), max_size=MAX_NUMBER_TEXT * 3)
LONG = st.builds(
    lambda before, char, n, after: before + char * n + after,
    st.text(st.sampled_from(NUMBERISH), max_size=8),
    st.sampled_from(["1", "9", ",", " ", "1,", "(", "-", "e", *EXPANDING]),
    st.integers(0, MIB),
    st.text(st.sampled_from(NUMBERISH), max_size=8),
)
ANY = st.one_of(SHORT, LONG, st.text(max_size=200))

HOSTILE = [
    "\ufdfa" * MIB,
    "\u3300" * MIB,
    "\uff11" * MIB,
    "1" * MIB,
    " " * MIB + "5",
    "1" * 30_000 + "+x",
    "(" * (MIB // 2) + "1" + ")" * (MIB // 2),
]


@pytest.fixture
def regex_inputs(monkeypatch) -> list[int]:
    """The length of every text the number parser's regular expressions are given."""
    seen: list[int] = []

    class Recording:
        def __init__(self, pattern) -> None:
            self.pattern = pattern

        def fullmatch(self, text, *args):
            seen.append(len(text))
            return self.pattern.fullmatch(text, *args)

    for name in ("_DATE", "_TIME", "_FRACTION", "_ISO_MONTH", "_CORE"):
        monkeypatch.setattr(numbers, name, Recording(getattr(numbers, name)))
    return seen


def _example(text: str):
    return example(text=text)


def _with_examples(test):
    for text in HOSTILE:
        test = _example(text)(test)
    return test


@FUZZ
@given(text=ANY)
@_with_examples
def test_any_text_is_a_number_or_refused_and_no_regex_sees_more_than_a_short_cell(regex_inputs, text):
    started = time.monotonic()
    try:
        value, note = parse_number(text)
    except NotANumber:
        pass
    else:
        assert math.isfinite(value)
        assert note is None or isinstance(note, str)
    assert time.monotonic() - started < SECONDS
    assert all(n <= MAX_NUMBER_TEXT for n in regex_inputs)


SPECS = [resolve_field(f) for f in ("size.users", "numbers.annual_revenue", "it_model", "currency", "industry")]


@FUZZ
@given(text=ANY.filter(lambda t: t.strip()))
@_with_examples
def test_any_cell_in_any_kind_of_column_reads_in_bounded_time(text):
    for spec in SPECS:
        started = time.monotonic()
        try:
            convert_cell(spec, text, "Column", 2)
        except CellError:
            pass
        assert time.monotonic() - started < SECONDS, spec.path
