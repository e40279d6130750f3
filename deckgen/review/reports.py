"""Reading a batch folder's reports and manifests a row at a time (for the review page and ``deckgen release``).

report.json (and each shard's report-K-of-N.json) is walked with :class:`~deckgen.review.jsonstream.JsonStream`,
so a 100,000-row report never sits whole in memory; so are the resume manifests, for the build times of the
decks a page shows.
"""

from __future__ import annotations

import fnmatch
import os
import re
from collections.abc import Callable
from pathlib import Path

from deckgen.errors import InputError
from deckgen.review.jsonstream import JsonStream

__all__ = [
    "MANIFEST_GLOB",
    "REPORT_FORMAT",
    "RowSet",
    "built_times",
    "merge_reports",
    "merged_meta",
    "report_files",
    "stream_merged",
    "stream_report",
]

REPORT_FORMAT = "deckgen-batch-report/1"
MANIFEST_GLOB = ".deckgen-manifest*.json"
_SHARD_REPORT = re.compile(r"^report-\d+-of-\d+\.json$")


def _matching(out_dir: Path, pattern: str) -> list[Path]:
    """The folder's entries whose names match ``pattern``, sorted (``Path.glob`` would list the whole folder,
    a name a deck, before matching)."""
    try:
        with os.scandir(out_dir) as entries:
            return sorted(out_dir / e.name for e in entries if fnmatch.fnmatchcase(e.name, pattern))
    except OSError:
        return []


def report_files(out_dir: Path, report: Path | None = None) -> list[Path]:
    """The reports to read: ``report`` when given, else report.json and every shard's report in the folder."""
    if report is not None:
        return [report]
    found = [p for p in _matching(out_dir, "report*.json") if p.name == "report.json" or _SHARD_REPORT.match(p.name)]
    if not found:
        raise InputError(
            "no batch report here (report.json); run `deckgen batch … --out-dir` into this folder first",
            file=str(out_dir),
        )
    return found


class RowSet:
    """Row numbers seen (a bit a row for the usual numbers): a row in two reports counts once."""

    def __init__(self) -> None:
        self._bits = bytearray()
        self._other: set[int] = set()

    def add(self, row: int) -> bool:
        """False when ``row`` was seen before."""
        if not 0 <= row < 1 << 24:
            new = row not in self._other
            self._other.add(row)
            return new
        byte, bit = divmod(row, 8)
        if byte >= len(self._bits):
            self._bits.extend(bytes(byte + 1 - len(self._bits) + 1024))
        if self._bits[byte] >> bit & 1:
            return False
        self._bits[byte] |= 1 << bit
        return True


def stream_merged(paths: list[Path], on_row: Callable[[dict], object]) -> dict:
    """Every row of the reports once, to ``on_row`` as it is read (not in row order; the newest report wins
    a row, and the first line of a row in it), and the merged meta (:func:`merged_meta`). Nothing a row is
    kept but a bit for its number, so memory does not grow with the reports."""
    seen = RowSet()

    def once(raw: dict) -> None:
        if seen.add(raw["row"]):
            on_row(raw)

    if len(paths) == 1:
        return stream_report(paths[0], once)
    # the newest report wins a row: read the newest first, and skip the rows it had
    metas = sorted(((stream_report(p, None), p) for p in paths), key=lambda mp: str(mp[0].get("generated") or ""))
    for _, path in reversed(metas):
        stream_report(path, once)
    return merged_meta([m for m, _ in metas])


def merge_reports(paths: list[Path]) -> tuple[dict, list[dict]]:
    """The newest report's meta, and the rows of all reports (the newest report wins a row), every row in
    memory: for a few rows (tests, tools); the page and ``deckgen release`` stream with :func:`stream_merged`."""
    docs = []
    for path in paths:
        rows: list[dict] = []
        docs.append((stream_report(path, rows.append), rows))
    docs.sort(key=lambda d: str(d[0].get("generated") or ""))
    merged: dict[int, dict] = {}
    for _, rows in docs:
        for r in rows:
            merged[r["row"]] = r
    return merged_meta([m for m, _ in docs]), [merged[k] for k in sorted(merged)]


def merged_meta(metas: list[dict]) -> dict:
    """The newest report's meta (``metas`` oldest first), with the time of all of them."""
    meta = dict(metas[-1])
    if len(metas) > 1:
        meta["seconds"] = sum(float(m.get("seconds") or 0) for m in metas)
        meta["reports"] = len(metas)
    return meta


def _open(path: Path):
    try:
        return open(path, "rb")
    except FileNotFoundError:
        raise InputError("no batch report here; run `deckgen batch` into this folder first", file=str(path)) from None
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror}", file=str(path)) from None


def stream_report(path: Path, on_row: Callable[[dict], object] | None) -> dict:
    """A report's meta (everything but its rows and its list of walk-aways), read a row at a time:
    each row (a dict with an int ``row``) goes to ``on_row`` as it is read (``None``: rows are skipped)."""
    meta: dict = {}
    rows_seen = False
    fh = _open(path)
    try:
        with fh:
            js = JsonStream(fh)
            if js.peek() != "{":
                js.value()  # broken JSON says so; any other value is not a report
                raise InputError("not a deckgen batch report this version can read", file=str(path))
            for key in js.members():
                if key == "rows" and js.peek() == "[":
                    rows_seen = True
                    for r in js.items():
                        if on_row is not None and isinstance(r, dict) and isinstance(r.get("row"), int):
                            on_row(r)
                elif key == "summary" and js.peek() == "{":
                    meta[key] = summary = {}
                    for k in js.members():
                        if k == "walk_away":
                            js.skip()  # a line per walk-away row: the page counts them from the rows
                        else:
                            summary[k] = js.value()
                else:
                    meta[key] = js.value()
            js.end()
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror or exc}", file=str(path)) from None
    except ValueError as exc:
        raise InputError(f"not a readable batch report ({exc})", file=str(path)) from None
    if meta.get("format") != REPORT_FORMAT or not rows_seen:
        raise InputError("not a deckgen batch report this version can read", file=str(path))
    return meta


def built_times(out_dir: Path, names: set[str]) -> dict[str, str]:
    """When the manifests say each of ``names`` was built (the newest entry wins), read a deck at a time."""
    times: dict[str, str] = {}
    for path in _matching(out_dir, MANIFEST_GLOB):
        found: dict[str, str] = {}
        try:
            with open(path, "rb") as fh:
                js = JsonStream(fh)
                for key in js.members() if js.peek() == "{" else ():
                    if key != "decks" or js.peek() != "{":
                        js.skip()
                        continue
                    for name in js.members():
                        entry = js.value()
                        if name in names:
                            found[name] = str(entry.get("built") or "") if isinstance(entry, dict) else ""
        except (OSError, ValueError):
            continue  # the batch warns about an unreadable manifest; the page just shows no build time
        for name, built in found.items():
            if built > times.get(name, ""):
                times[name] = built
    return times
