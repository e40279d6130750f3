"""Parts rendered once and reused: a part whose inputs are the same in two decks gives the same bytes.

A compiled part reads the render context only through Jinja2's ``resolve('name')`` (every name a
template uses is looked up that way), and a root it reads only as ``root.key`` (``environment.getattr``
with a constant key) depends only on those keys. :func:`part_reads` finds both in the part's
compiled code, once per part. :class:`PartCache` then keys a rendered, fitted and deflated part by
the values it actually reads (plus the locale, the currency and the fitting policy, which the
filters and the fitter use) and hands the same member to every deck with equal inputs: the MSP's
own slides and notes are rendered once per template, storyline-specific notes once per storyline.

A part whose key never repeats (it names the prospect) stops being keyed after a few decks, so it
costs nothing beyond the first ones. Keys are ``repr`` of plain data (the context is JSON-like),
so two keys are equal only when the values are; a value with an identity-based ``repr`` never
matches and so is never reused wrongly.
"""

from __future__ import annotations

import dis
import re
import types
from dataclasses import dataclass
from functools import lru_cache

_LOCAL = re.compile(r"^l_\d+_(.+)$")
_LOADS = ("LOAD_FAST", "LOAD_DEREF", "LOAD_CLOSURE", "LOAD_NAME")
_GIVE_UP_AFTER = 48  # misses before a part that is rarely reused (it names the prospect) stops being keyed
_MIN_HIT_RATE = 0.25
# reused parts remembered per template (keeps memory flat over a long batch): ~3 KB each (key and deflated part);
# 512 evicted the storyline notes of a 600-row batch (3.5 % more renders than 1,024)
_MAX_ENTRIES = 1024
_MISSING = object()


@dataclass(frozen=True, slots=True)
class PartReads:
    """The context names a part reads; for each, the keys it reads (None: the whole value)."""

    roots: tuple[tuple[str, frozenset | None], ...]


def part_reads(code: types.CodeType) -> PartReads:
    """Which context values a compiled Jinja2 part reads, from its code (and its nested functions').

    A root read only as ``root.key`` depends only on that key, and one read only as ``root.a.b``
    (``environment.getattr`` nested in ``environment.getattr``, each with a constant key) only on
    that path: a key is a name, or a tuple of names for a path.
    """
    resolved: set[str] = set()
    keys: dict[str, set[str | tuple[str, ...]] | None] = {}
    for code_obj in _codes(code):
        ins = list(dis.get_instructions(code_obj))
        checked: dict[str, int] = {}  # name -> how many environment.getattr(…) its last "is missing" check sat in
        for i, op in enumerate(ins):
            if op.opname == "LOAD_CONST" and isinstance(op.argval, str) and i and ins[i - 1].argval == "resolve":
                resolved.add(op.argval)
            if op.opname not in _LOADS or not isinstance(op.argval, str):
                continue
            m = _LOCAL.match(op.argval)
            if not m:
                continue
            name = m.group(1)
            prev, nxt = (ins[k] if 0 <= k < len(ins) else None for k in (i - 1, i + 1))
            if op.opname == "LOAD_FAST" and nxt is not None and nxt.opname == "LOAD_FAST" and nxt.argval == "missing":
                checked[name] = _getattrs_before(ins, i)  # `(undefined(…) if l_0_x is missing else l_0_x)`: no read
                continue
            depth = 0
            if op.opname in ("LOAD_FAST", "LOAD_DEREF"):
                depth = _getattrs_before(ins, i)
                if not depth and prev is not None and prev.opname == "JUMP_FORWARD":
                    depth = checked.get(name, 0)
            path = _path_after(ins, i + 1, depth)
            if not path:
                keys[name] = None
            elif keys.get(name, set()) is not None:
                keys.setdefault(name, set()).add(path[0] if len(path) == 1 else path)
    roots = []
    for name in sorted(resolved):
        found = keys.get(name, set())
        roots.append((name, None if found is None else frozenset(found)))
    return PartReads(tuple(roots))


def _getattrs_before(ins: list, i: int) -> int:
    """How many ``environment.getattr`` methods were loaded just before instruction ``i`` (nested calls)."""
    n = 0
    while i - 2 * n - 2 >= 0:
        method, env = ins[i - 2 * n - 1], ins[i - 2 * n - 2]
        if not (method.opname in ("LOAD_METHOD", "LOAD_ATTR") and method.argval == "getattr"):
            break
        if not (env.opname in _LOADS and env.argval == "environment"):
            break
        n += 1
    return n


def _path_after(ins: list, j: int, depth: int) -> tuple[str, ...]:
    """The constant keys of up to ``depth`` nested getattr calls, the innermost first, from instruction ``j``."""
    path: list[str] = []
    while len(path) < depth and j + 2 < len(ins):
        key, call = ins[j], ins[j + 1]
        if not (key.opname == "LOAD_CONST" and isinstance(key.argval, str) and call.opname == "PRECALL"):
            break
        if call.arg != 2 or ins[j + 2].opname != "CALL":
            break
        path.append(key.argval)
        j += 3
    return tuple(path)


def _codes(code: types.CodeType):
    yield code
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            yield from _codes(const)


class PartCache:
    """Rendered parts of one compiled template, by the values they read. Lives on the template."""

    def __init__(self) -> None:
        self.reads: dict[str, PartReads] = {}  # by compiled filename
        self.entries: dict[tuple, object] = {}
        self.stats: dict[str, list[int]] = {}  # by compiled filename: [reused, rendered]
        self.volatile: set[str] = set()

    def reads_of(self, compiled) -> PartReads:
        found = getattr(compiled, "reads", None)  # found at compile, or kept with the cached code
        if found is None:
            found = self.reads.get(compiled.filename)
        if found is None:
            found = self.reads[compiled.filename] = part_reads(compiled.template.root_render_func.__code__)
        return found

    def key(self, compiled, ctx: dict, base: dict, memo: dict, *extra) -> tuple | None:
        """The key of this part's output in ``ctx``, or None when it is not worth keying.

        ``memo`` remembers fingerprints of the values of ``base`` (the deck's context) for one render.
        """
        if compiled.filename in self.volatile:
            return None
        parts = [compiled.filename, ctx.get("locale"), ctx.get("currency"), *extra]
        for name, keys in self.reads_of(compiled).roots:
            value = ctx.get(name, _MISSING)
            if value is _MISSING or value is not base.get(name, _MISSING):  # a loop item, the slide's pictures
                parts.append(_fingerprint(value, keys))
                continue
            token = (name, keys)
            text = memo.get(token)
            if text is None:
                text = memo[token] = _fingerprint(value, keys)
            parts.append(text)
        return tuple(parts)

    def get(self, key: tuple | None):
        if key is None:
            return None
        hit = self.entries.get(key)
        stats = self.stats.setdefault(key[0], [0, 0])
        if hit is not None:
            stats[0] += 1
            return hit
        stats[1] += 1
        if stats[1] >= _GIVE_UP_AFTER and stats[0] < _MIN_HIT_RATE * (stats[0] + stats[1]):
            self.volatile.add(key[0])
        return None

    def put(self, key: tuple | None, value) -> None:
        if key is None or key[0] in self.volatile:
            return
        if len(self.entries) >= _MAX_ENTRIES:  # the oldest goes first
            del self.entries[next(iter(self.entries))]
        self.entries[key] = value


class _Absent:
    def __repr__(self) -> str:  # unlike the text "<missing>", which shows with quotes
        return "<missing>"


_ABSENT = _Absent()


def _fingerprint(value, keys: frozenset | None) -> str:
    if value is _MISSING:
        return "<missing>"
    if keys is not None and isinstance(value, dict):
        found = []
        for path in _sorted_paths(keys):
            leaf = value
            for k in path:
                if not isinstance(leaf, dict) or hasattr(dict, k):  # an attribute, not a key: keep it all
                    return repr(value)
                leaf = leaf[k] if k in leaf else _ABSENT
                if leaf is _ABSENT:
                    break
            found.append((path, leaf))
        return repr(found)
    return repr(value)


def _as_path(key) -> tuple[str, ...]:
    return key if isinstance(key, tuple) else (key,)


@lru_cache(maxsize=1024)  # a part's reads are the same frozensets deck after deck
def _sorted_paths(keys: frozenset) -> tuple[tuple[str, ...], ...]:
    return tuple(sorted(_as_path(k) for k in keys))


__all__ = ["PartCache", "PartReads", "part_reads"]
