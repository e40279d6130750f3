"""The line-break filter and the part cache's key paths, remembered (issue #16): remembered is direct."""

from __future__ import annotations

import pytest
from markupsafe import Markup

from deckgen.engine import filters
from deckgen.engine.limits import OutputLimitError
from deckgen.engine.sandbox import make_environment

PROPS = ['<a:rPr lang="en-US" sz="2400"/>', '<a:rPr lang="en-GB" b="1"/>']
# values a careless key would mix up: 1, True, 1.0 and "1"; text and Markup; the same text in two runs
VALUES = ["plain", "a\nb", "<b>&amp;</b>\n", "1", 1, True, 1.0, 0, False, Markup("<i>x</i>\ny"), "", "x" * 2500]
VALUES += ["line one\nline two\nline three", -7, 10**30, "Ünïcode — 你好\n"]


def _br():
    env = make_environment()
    env.run_props.extend(PROPS)
    return env.filters["_br"]


def test_a_remembered_text_is_the_direct_one():
    shared = _br()
    calls = [(value, rpr) for value in VALUES for rpr in range(len(PROPS))]
    for value, rpr in calls:  # the shared filter sees every value first ...
        shared(value, rpr)
    for value, rpr in calls:  # ... then again; a new filter makes each one directly
        again, direct = shared(value, rpr), _br()(value, rpr)
        assert again == direct and type(again) is type(direct) is Markup, (value, rpr)
    assert shared(1, 0) == "1" and shared(True, 0) == "True" and shared(1.0, 0) == "1.0"
    assert shared("a\nb", 1) == f"a</a:t></a:r><a:br>{PROPS[1]}</a:br><a:r>{PROPS[1]}<a:t>b"


def test_what_is_remembered_is_bounded_and_still_right(monkeypatch):
    monkeypatch.setattr(filters, "_MADE_LIMIT", 50)
    br = _br()
    first = br("a & b\nc", 0)
    for n in range(200):  # more than it keeps: it starts again
        br(f"value {n}\n", n % 2)
    assert br("a & b\nc", 0) == first == _br()("a & b\nc", 0)


def test_a_value_too_large_is_refused_every_time(monkeypatch):
    monkeypatch.setattr(filters, "check_size", _refuse)
    br = _br()
    for _ in range(2):
        with pytest.raises(OutputLimitError):
            br("short", 0)


def _refuse(value):
    raise OutputLimitError("too large")


def test_a_parts_remembered_key_paths_are_the_direct_ones():
    from deckgen.engine import reuse

    keys = frozenset({"name", ("msp", "name"), ("a", "b", "c"), "a", ("a",), "z"})
    direct = sorted(reuse._as_path(k) for k in keys)
    assert list(reuse._sorted_paths(keys)) == direct == list(reuse._sorted_paths(frozenset(set(keys))))
    value = {"name": "N", "msp": {"name": "M"}, "a": {"b": {"c": 1}}, "z": [1], "other": "unread"}
    assert reuse._fingerprint(value, keys) == repr([(path, _leaf(value, path)) for path in direct])


def _leaf(value, path):
    for k in path:
        value = value[k]
    return value
