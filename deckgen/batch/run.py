"""Batch builds: one deck per row of a prospect list, with a report, resume and shards.

The library entry behind ``deckgen batch`` and ``deckgen fit``:

- :func:`prepare_batch` checks everything that can be checked before a deck is
  written (profile, prospect list and its columns, template, brand, closing,
  name pattern, output folder) and raises :class:`~deckgen.errors.InputError`
  (exit 2) for any of it; :meth:`BatchPlan.run` then streams the rows.
- **Workers.** With one job, decks are rendered in this process. With more, a
  ``ProcessPoolExecutor`` (``forkserver`` start method where available, else
  ``spawn``) whose initializer builds one :class:`~deckgen.build.DeckBuilder`
  (one compiled template) per worker process. A worker renders *and writes* its
  deck (temp file in the output folder, then a rename) and sends back only a
  small :class:`DeckOutcome`. At most ``4 × jobs`` rows are in flight, rows are
  never materialised as a list, and only a compact :class:`RowReport` per row
  is kept, so memory stays flat as the list grows.
- **Names.** ``--name`` is a ``str.format`` pattern over :data:`NAME_FIELDS`; the
  result is slugified and made unique by :class:`~deckgen.names.NameAllocator`
  in file order. Every shard allocates names for *every* row (it only builds
  its own), so shards agree on names and never write the same file.
- **Resume.** ``.deckgen-manifest.json`` in the output folder maps each deck's
  file name to a digest of everything that went into it (see
  :func:`input_fingerprint` and :func:`row_digest`); an unchanged row whose deck
  still exists is skipped. A shard records its entries in
  ``.deckgen-manifest-K-of-N.json`` (so shards sharing a folder never overwrite
  each other); every run reads all of them, the newest entry per deck wins.
- **Shards.** ``K/N`` (K from 1): the i-th data row of the file (i from 1, bad
  rows included) belongs to shard ``((i - 1) mod N) + 1`` — round-robin by
  position, so shards get equal shares whatever the ids look like.
- **Stopping.** Ctrl-C (or SIGTERM) stops submitting rows, lets the decks being
  written finish (or terminates their workers after a grace period), then writes
  the manifest and the report of what was done; :attr:`BatchResult.interrupted`
  tells the CLI to exit 130.
"""

from __future__ import annotations

import concurrent.futures as cf
import csv
import datetime as _dt
import functools
import hashlib
import io
import json
import multiprocessing
import os
import re
import signal
import string
import sys
import threading
import time
from collections import Counter, deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TextIO

from deckgen import __version__
from deckgen.brand.kit import resolve_brand_dir
from deckgen.build import BuildOptions, DeckBuilder
from deckgen.sales.closings import choose_closing
from deckgen.engine.compile import resolve_template
from deckgen.engine.package import atomic_write
from deckgen.errors import DeckgenError, InputError, OutputError
from deckgen.sales.fit import BAND_LABELS, Fit, score_fit
from deckgen.load.crm.presets import ProspectSource, RowResult, open_prospects
from deckgen.load.files import load_profile
from deckgen.model import Profile, Prospect
from deckgen.naming import NameAllocator
from deckgen.load.textclean import neutralise_formula

__all__ = [
    "BatchPlan", "BatchRequest", "BatchResult", "DEFAULT_NAME", "FitRanking", "Manifest", "NAME_FIELDS",
    "NamePattern", "Progress", "RowReport", "Shard", "default_jobs", "input_fingerprint", "prepare_batch",
    "rank_fits", "row_digest", "write_report",
]

DEFAULT_NAME = "{company}-{id}"
NAME_FIELDS = ("company", "id", "row", "date", "band", "score", "industry", "city", "country")
MANIFEST_NAME = ".deckgen-manifest.json"
MANIFEST_FORMAT = "deckgen-manifest/1"
REPORT_FORMAT = "deckgen-batch-report/1"
WINDOW_PER_JOB = 4  # rows in flight per worker
MANIFEST_SAVE_SECONDS = 5.0  # an interrupted run keeps what finished up to this long ago
STOP_GRACE_SECONDS = 10.0  # decks being written when Ctrl-C comes get this long to finish
RATE_SAMPLES = 50  # progress updates the shown rate is averaged over
WORKER_START_SECONDS = 120.0  # importing deckgen and compiling the template in a new worker
MAX_POOL_RESTARTS = 3  # workers killed (out of memory?) more often than this: go on without them
STATUSES = ("built", "skipped-unchanged", "failed")
BAND_ORDER = ("A", "B", "C", "walk_away")
REPORT_COLUMNS = ("row", "id", "company", "status", "file", "score", "band", "closing", "warnings",
                  "error_field", "error")


# =========================================================================== shards

@dataclass(frozen=True)
class Shard:
    """Shard ``k`` of ``n`` (1-based): rows are dealt round-robin by their position in the file."""

    k: int
    n: int

    @classmethod
    def parse(cls, text: str) -> Shard:
        """Parse ``"2/5"``; raise InputError for anything else (``0/3``, ``4/3``, ``a/b``)."""
        head, sep, tail = text.strip().partition("/")
        if not sep or not head.strip().isdigit() or not tail.strip().isdigit():
            raise InputError(f"--shard '{text}': expected K/N with whole numbers, e.g. --shard 2/5 "
                             "(shard 2 of 5)")
        k, n = int(head), int(tail)
        if n < 1:
            raise InputError(f"--shard '{text}': N must be at least 1")
        if not 1 <= k <= n:
            raise InputError(f"--shard '{text}': K counts from 1 to N ({n}), e.g. --shard 1/{n}")
        return cls(k, n)

    def owns(self, index: int) -> bool:
        """Whether the data row at 0-based position ``index`` in the file belongs to this shard."""
        return index % self.n == self.k - 1

    @property
    def suffix(self) -> str:
        return f"-{self.k}-of-{self.n}"

    def __str__(self) -> str:
        return f"{self.k}/{self.n}"


# =========================================================================== file names

class NamePattern:
    """A ``--name`` pattern such as ``"{company}-{date}"`` over :data:`NAME_FIELDS`."""

    def __init__(self, pattern: str) -> None:
        self.pattern = pattern
        self.fields = self._parse(pattern)
        self.needs_fit = bool({"band", "score"} & self.fields)
        sample = {"company": "Acme", "id": "1", "row": 2, "date": "2026-01-01", "band": "A", "score": 80,
                  "industry": "", "city": "", "country": ""}
        try:
            pattern.format_map(sample)
        except (ValueError, TypeError) as exc:
            raise InputError(f"--name '{pattern}': {exc}; write plain fields, "
                             'e.g. --name "{company}-{date}"') from None

    @staticmethod
    def _parse(pattern: str) -> set[str]:
        if not pattern.strip():
            raise InputError("--name must not be empty; e.g. --name \"{company}-{date}\"")
        try:
            parts = list(string.Formatter().parse(pattern))
        except ValueError as exc:
            raise InputError(f"--name '{pattern}': {exc} (write {{{{ or }}}} for a literal brace)") from None
        used: set[str] = set()
        for _, name, spec, conversion in parts:
            if name is None:
                continue
            if conversion or (spec and re.search(r"\d{3,}", spec)):
                raise InputError(f"--name '{pattern}': field '{name}' may not have a conversion or a width of "
                                 "100 or more; write plain {field}s")
            if name not in NAME_FIELDS:
                shown = name or "{}"
                raise InputError(f"--name '{pattern}': unknown field '{shown}'; use "
                                 + ", ".join(f"{{{f}}}" for f in NAME_FIELDS))
            if spec and "{" in spec:
                raise InputError(f"--name '{pattern}': nested fields are not allowed")
            used.add(name)
        return used

    def stem(self, prospect: Prospect, row: int, date: _dt.date, fit: Fit | None) -> str:
        """The file-name stem for one row, before slugifying."""
        values = {
            "company": prospect.company, "id": prospect.id, "row": row, "date": date.isoformat(),
            "band": (fit.band.replace("_", "-") if fit else ""), "score": (fit.score if fit else 0),
            "industry": prospect.industry, "city": prospect.location.city,
            "country": prospect.location.country,
        }
        return self.pattern.format_map(values)


# =========================================================================== manifest

def _sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def input_fingerprint(profile_path: Path, options: BuildOptions, columns: dict[str, str] | None = None,
                      preset: str = "") -> dict[str, str]:
    """Digests of every input shared by all decks of a batch, by name.

    ``deckgen`` (the version), ``profile`` (file bytes), ``template`` (package bytes),
    ``template.yaml``, ``brand`` (every file of the kit, by relative path), ``closing``
    (the override), ``date`` (the deck date; ``options.today`` must be set) and
    ``columns`` (which column feeds which field: the same row read another way is
    another deck).
    """
    def text(value: str) -> str:
        return hashlib.sha256(value.encode("utf-8")).hexdigest()

    pptx, spec = resolve_template(options.template)
    brand_dir = resolve_brand_dir(str(options.brand) if options.brand else None)
    brand = hashlib.sha256()
    for path in sorted(p for p in brand_dir.rglob("*") if p.is_file()):
        brand.update(path.relative_to(brand_dir).as_posix().encode("utf-8") + b"\0")
        brand.update(_sha256_file(path).encode("ascii"))
    try:
        profile = _sha256_file(Path(profile_path))
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror}", file=str(profile_path)) from None
    today = options.today.isoformat() if options.today else ""
    return {
        "deckgen": text(__version__),
        "profile": profile,
        "template": _sha256_file(pptx),
        "template.yaml": _sha256_file(spec) if spec else text(""),
        "brand": brand.hexdigest(),
        "closing": text(options.closing or ""),
        "date": text(today),
        "columns": text(json.dumps({"preset": preset, "map": columns or {}}, sort_keys=True)),
        **({"master": _sha256_file(Path(options.master))} if options.master else {}),
        **({"fit": text(options.fit)} if options.fit else {}),
    }


def combined_digest(fingerprint: dict[str, str]) -> str:
    """One digest for a fingerprint (order of the names does not matter)."""
    return hashlib.sha256(json.dumps(fingerprint, sort_keys=True).encode("ascii")).hexdigest()


def row_digest(common: str, raw: dict[str, str], prospect: Prospect | None = None) -> str:
    """Digest of one deck's inputs: the shared ``common`` digest, the row as read, the prospect's id
    (it defaults to the row number) and the bytes of a local prospect logo."""
    h = hashlib.sha256(common.encode("ascii") + b"\0")
    h.update(json.dumps(raw, sort_keys=True, ensure_ascii=False).encode("utf-8", "surrogatepass"))
    if prospect is not None:
        h.update(b"\0id\0" + prospect.id.encode("utf-8", "surrogatepass"))
        if prospect.logo and Path(prospect.logo).is_file():
            stat = Path(prospect.logo).stat()
            h.update(b"\0logo\0" + _logo_digest(prospect.logo, stat.st_size, stat.st_mtime_ns).encode("ascii"))
    return h.hexdigest()


@functools.lru_cache(maxsize=256)
def _logo_digest(path: str, size: int, mtime_ns: int) -> str:
    """A logo's hash, read once while the file is unchanged (many rows often share one logo)."""
    return _sha256_file(Path(path))


def _utc_now() -> str:
    return _dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


@dataclass(slots=True)
class DeckRecord:
    """A manifest entry: what one deck was built from, and what the report says about it."""

    inputs: str  # row_digest() of everything that went into the deck
    built: str  # UTC time, ISO 8601: the newest record of a deck wins when manifests are merged
    row: int
    id: str
    company: str
    score: int | None
    band: str
    closing: str
    warnings: tuple[str, ...] = ()

    def to_json(self) -> dict:
        return {"inputs": self.inputs, "built": self.built, "row": self.row, "id": self.id,
                "company": self.company, "score": self.score, "band": self.band, "closing": self.closing,
                "warnings": list(self.warnings)}

    @classmethod
    def from_json(cls, data) -> DeckRecord:
        """Raise ValueError unless ``data`` is an entry this version wrote."""
        try:
            record = cls(str(data["inputs"]), str(data["built"]), int(data["row"]), str(data["id"]),
                         str(data["company"]), None if data["score"] is None else int(data["score"]),
                         sys.intern(str(data["band"])), sys.intern(str(data["closing"])),
                         tuple(str(w) for w in data.get("warnings") or ()))
        except (KeyError, TypeError, ValueError) as exc:
            raise ValueError(f"bad entry ({exc})") from None
        return record


class Manifest:
    """What each deck in an output folder was built from: file name -> :class:`DeckRecord`.

    The file holds ``format``, ``deckgen`` (version), ``shard``, ``inputs`` (the
    shared digests of :func:`input_fingerprint`, to say what changed) and
    ``decks``, one line per deck. Unreadable manifests are ignored with a
    warning: the worst case is a rebuild.
    """

    def __init__(self, out_dir: Path, shard: Shard | None = None) -> None:
        self.out_dir = out_dir
        self.shard = shard
        self.path = out_dir / (MANIFEST_NAME if shard is None
                               else MANIFEST_NAME.replace(".json", f"{shard.suffix}.json"))
        self.entries: dict[str, DeckRecord] = {}  # every manifest in the folder, merged
        self.own: set[str] = set()  # the decks this run's manifest file lists
        self.previous_inputs: dict[str, str] = {}
        self.inputs: dict[str, str] = {}
        self.warnings: list[str] = []
        self.dirty = False

    @classmethod
    def load(cls, out_dir: Path, shard: Shard | None = None) -> Manifest:
        """Read the folder's manifest and every shard's; the newest entry per deck wins."""
        manifest = cls(out_dir, shard)
        paths = [out_dir / MANIFEST_NAME] + sorted(out_dir.glob(".deckgen-manifest-*-of-*.json"))
        for path in paths:
            loaded = manifest._read(path)
            if loaded is None:
                continue
            inputs, decks = loaded
            if path == manifest.path:
                manifest.own = set(decks)
                manifest.previous_inputs = inputs
            for name, record in decks.items():
                held = manifest.entries.get(name)
                if held is None or record.built > held.built:
                    manifest.entries[name] = record
        if shard is None:
            manifest.own = set(manifest.entries)
        return manifest

    def _read(self, path: Path) -> tuple[dict[str, str], dict[str, DeckRecord]] | None:
        try:
            data = json.loads(path.read_bytes())
        except FileNotFoundError:
            return None
        except (OSError, ValueError) as exc:
            self.warnings.append(f"{path}: unreadable resume manifest ({exc}); its decks are rebuilt")
            return None
        try:
            if not isinstance(data, dict) or data.get("format") != MANIFEST_FORMAT:
                raise ValueError("unknown format")
            decks = {str(name): DeckRecord.from_json(entry) for name, entry in dict(data["decks"]).items()}
            inputs = {str(k): str(v) for k, v in dict(data.get("inputs") or {}).items()}
        except (KeyError, TypeError, ValueError):
            self.warnings.append(f"{path}: not a deckgen manifest this version can read; its decks are rebuilt")
            return None
        return inputs, decks

    def current(self, name: str, digest: str) -> DeckRecord | None:
        """The record of ``name`` if it was built from ``digest`` and the deck is still there."""
        record = self.entries.get(name)
        if record is None or record.inputs != digest:
            return None
        return record if (self.out_dir / name).is_file() else None

    def record(self, name: str, record: DeckRecord) -> None:
        self.entries[name] = record
        self.own.add(name)
        self.dirty = True

    def save(self, *, prune: bool = False) -> None:
        """Write this run's manifest file atomically; ``prune`` drops decks that are gone."""
        if prune:
            self.own = {n for n in self.own if (self.out_dir / n).is_file()}
        head = {"format": MANIFEST_FORMAT, "deckgen": __version__,
                "shard": str(self.shard) if self.shard else None, "inputs": self.inputs}
        lines = [json.dumps(head, ensure_ascii=False)[:-1] + ', "decks": {']
        names = sorted(self.own)
        for i, name in enumerate(names):
            comma = "," if i < len(names) - 1 else ""
            lines.append(f" {json.dumps(name, ensure_ascii=False)}: "
                         f"{json.dumps(self.entries[name].to_json(), ensure_ascii=False)}{comma}")
        lines.append("}}\n")
        atomic_write(self.path, "\n".join(lines).encode("utf-8"))
        self.dirty = False

    def changed_inputs(self) -> list[str]:
        """Names of shared inputs that differ from the previous run of this manifest file."""
        if not self.previous_inputs:
            return []
        return [k for k, v in self.inputs.items() if self.previous_inputs.get(k) not in (None, v)]


# =========================================================================== rows and reports

@dataclass(slots=True)
class RowReport:
    """What happened to one row (compact: the batch keeps one of these per row)."""

    row: int
    id: str
    company: str
    status: str  # one of STATUSES
    file: str = ""  # the deck's name inside the output folder
    score: int | None = None
    band: str = ""
    closing: str = ""
    warnings: tuple[str, ...] = ()
    error: str = ""
    error_field: str = ""

    def to_json(self) -> dict:
        return {"row": self.row, "id": self.id, "company": self.company, "status": self.status,
                "file": self.file or None, "score": self.score, "band": self.band or None,
                "closing": self.closing or None, "warnings": list(self.warnings),
                "error": {"message": self.error, "field": self.error_field or None} if self.error else None}

    def to_csv(self) -> list:
        return [self.row, self.id, self.company, self.status, self.file,
                "" if self.score is None else self.score, self.band, self.closing, " | ".join(self.warnings),
                self.error_field, self.error]


def _csv_bytes(header: tuple[str, ...], rows, *, bom: bool = True) -> bytes:
    """CSV text with text values a spreadsheet would run as a formula neutralised.

    ``bom`` (for files) makes Excel read the UTF-8; text piped to a program goes without it.
    """
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(header)
    writer.writerows([neutralise_formula(v) if isinstance(v, str) else v for v in row] for row in rows)
    return buf.getvalue().encode("utf-8-sig" if bom else "utf-8")


def report_paths(out_dir: Path, report: Path | None, shard: Shard | None) -> tuple[Path, Path]:
    """(JSON path, CSV path beside it); a shard's name gets ``-K-of-N`` before the suffix."""
    json_path = report if report is not None else out_dir / "report.json"
    if json_path.suffix.lower() != ".json":
        raise InputError("--report must name a .json file (the CSV is written beside it)", file=str(json_path))
    if shard is not None:
        json_path = json_path.with_name(f"{json_path.stem}{shard.suffix}{json_path.suffix}")
    return json_path, json_path.with_suffix(".csv")


def write_report(json_path: Path, csv_path: Path, rows: list[RowReport], meta: dict) -> None:
    """Write the batch report as JSON (one row a line) and CSV, each atomically; rows in row order.

    ``file`` is the deck's name inside the output folder. CSV values that a spreadsheet
    would run as a formula are neutralised.
    """
    rows.sort(key=lambda r: r.row)
    head = json.dumps({"format": REPORT_FORMAT, **meta}, ensure_ascii=False, indent=1)
    lines = [head[:-2] + ',\n "rows": [']
    for i, r in enumerate(rows):
        lines.append("  " + json.dumps(r.to_json(), ensure_ascii=False) + ("," if i < len(rows) - 1 else ""))
    lines.append(" ]\n}\n")
    atomic_write(json_path, "\n".join(lines).encode("utf-8"))
    del lines
    atomic_write(csv_path, _csv_bytes(REPORT_COLUMNS, (r.to_csv() for r in rows)))


def _describe(exc: DeckgenError) -> str:
    """An error's message without the file/row prefix (the report has its own columns for those)."""
    text = str(exc)
    where = exc.where()
    if where and text.startswith(where + ": "):
        text = text[len(where) + 2:]
    return text


def _raw_value(source: ProspectSource, raw: dict[str, str], target: str) -> str:
    for column, path in source.column_map.items():
        if path == target and raw.get(column, "").strip():
            return " ".join(raw[column].split())
    return ""


def _unreadable_row(source: ProspectSource, rr: RowResult) -> RowReport:
    """The report of a row that did not make a prospect: id and company as far as the row gives them."""
    err = rr.error
    return RowReport(rr.row, _raw_value(source, rr.raw, "id"), _raw_value(source, rr.raw, "company"), "failed",
                     warnings=tuple(rr.warnings), error=_describe(err) if err else "row could not be read",
                     error_field=(err.field or "") if err else "")


# =========================================================================== workers

@dataclass(frozen=True)
class DeckTask:
    """One deck to render and write (what crosses the pipe to a worker)."""

    row: int
    prospect: Prospect
    path: str


@dataclass(frozen=True)
class DeckOutcome:
    """What a worker sends back: never the deck's bytes."""

    row: int
    ok: bool
    score: int | None = None
    band: str = ""
    closing: str = ""
    warnings: tuple[str, ...] = ()
    error: str = ""
    error_field: str = ""
    cancelled: bool = False  # the batch stopped before this deck was started
    fatal: bool = False  # the output can't be written (disk full, read-only): the whole batch stops


def render_and_write(builder: DeckBuilder, task: DeckTask) -> DeckOutcome:
    """Build one deck and write it atomically; a failure becomes an unsuccessful outcome."""
    try:
        deck = builder.build(task.prospect)
        atomic_write(Path(task.path), deck.data)
    except OutputError as exc:  # every later deck would fail the same way
        return DeckOutcome(task.row, False, error=_describe(exc), error_field=exc.field or "", fatal=True)
    except DeckgenError as exc:
        return DeckOutcome(task.row, False, error=_describe(exc), error_field=exc.field or "")
    except Exception as exc:  # a bug in one deck must not stop the batch; the report shows it
        return DeckOutcome(task.row, False, error=f"unexpected error: {type(exc).__name__}: {exc}")
    return DeckOutcome(task.row, True, deck.fit.score, deck.fit.band, deck.closing.line.id,
                       tuple(deck.warnings))


_WORKER_BUILDER: DeckBuilder | None = None


def _stop_on_sigterm(signum, frame):  # pragma: no cover - runs in worker processes
    # an exception (not the default kill) lets atomic_write remove its temp file
    raise SystemExit(128 + signum)


def _init_worker(profile: Profile, options: BuildOptions) -> None:  # pragma: no cover - worker process
    """Per worker process: compile the template once; Ctrl-C is the parent's to handle."""
    global _WORKER_BUILDER
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _stop_on_sigterm)
    _WORKER_BUILDER = DeckBuilder(profile, options)


def _work(task: DeckTask) -> DeckOutcome:  # pragma: no cover - worker process
    assert _WORKER_BUILDER is not None
    return render_and_write(_WORKER_BUILDER, task)


def _ready() -> bool:  # pragma: no cover - worker process
    return _WORKER_BUILDER is not None


def default_jobs() -> int:
    """The CPUs this process may use (container and affinity limits included)."""
    counter = getattr(os, "process_cpu_count", None)
    if counter is not None:
        return counter() or 1
    try:
        return len(os.sched_getaffinity(0)) or 1
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def _mp_context():
    """``forkserver`` (workers fork from a clean server that has deckgen imported), else ``spawn``.

    Plain ``fork`` would copy this process's threads' locks; both choices run the
    initializer in a fresh interpreter state, so only picklable data crosses.
    """
    methods = multiprocessing.get_all_start_methods()
    if "forkserver" in methods:
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(["deckgen.batch.run"])
        return ctx
    return multiprocessing.get_context("spawn")


class WorkersUnavailable(Exception):
    """Worker processes cannot be started (or keep dying); the batch goes on in this process."""


class _Pool:
    """Renders decks in worker processes, at most ``window`` rows in flight."""

    def __init__(self, jobs: int, profile: Profile, options: BuildOptions) -> None:
        self.jobs = jobs
        self.window = WINDOW_PER_JOB * jobs
        self._initargs = (profile, options)
        self.restarts = 0
        self.pending: dict[cf.Future, DeckTask] = {}
        self.executor = self._start()

    def _start(self) -> cf.ProcessPoolExecutor:
        """A new executor whose workers are known to start: one round trip before any row is sent."""
        executor = cf.ProcessPoolExecutor(max_workers=self.jobs, mp_context=_mp_context(),
                                          initializer=_init_worker, initargs=self._initargs)
        try:
            executor.submit(_ready).result(timeout=WORKER_START_SECONDS)
        except Exception as exc:  # a broken pool, a timeout, an unpicklable profile…
            executor.shutdown(wait=False, cancel_futures=True)
            raise WorkersUnavailable(f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__) from None
        return executor

    def submit(self, task: DeckTask) -> Iterator[tuple[DeckTask, DeckOutcome]]:
        """Queue ``task``; yields finished ones while the window is full.

        Raises WorkersUnavailable when workers died more than ``MAX_POOL_RESTARTS`` times.
        """
        while len(self.pending) >= self.window:
            yield from self.collect(block=True)
        try:
            fut = self.executor.submit(_work, task)
        except cf.process.BrokenProcessPool:
            # a worker died (killed for memory?): its rows are reported failed, the batch goes on
            yield from self.drain()
            self.executor.shutdown(wait=True)
            self.restarts += 1
            if self.restarts > MAX_POOL_RESTARTS:
                raise WorkersUnavailable(f"worker processes died {self.restarts} times") from None
            self.executor = self._start()
            fut = self.executor.submit(_work, task)
        self.pending[fut] = task

    def collect(self, block: bool, timeout: float | None = None) -> Iterator[tuple[DeckTask, DeckOutcome]]:
        if not self.pending:
            return
        done, _ = cf.wait(list(self.pending), timeout=timeout if block else 0,
                          return_when=cf.FIRST_COMPLETED)
        for fut in sorted(done, key=lambda f: self.pending[f].row):
            task = self.pending.pop(fut)
            yield task, self._outcome(task, fut)

    @staticmethod
    def _outcome(task: DeckTask, fut: cf.Future) -> DeckOutcome:
        if fut.cancelled():
            return DeckOutcome(task.row, False, cancelled=True)
        exc = fut.exception()
        if exc is None:
            return fut.result()
        if isinstance(exc, cf.process.BrokenProcessPool):
            return DeckOutcome(task.row, False, error="a worker process died while building this deck "
                                                       "(out of memory?)")
        return DeckOutcome(task.row, False, error=f"unexpected error: {type(exc).__name__}: {exc}")

    def drain(self) -> Iterator[tuple[DeckTask, DeckOutcome]]:
        while self.pending:
            yield from self.collect(block=True)

    def stop(self, grace: float) -> Iterator[tuple[DeckTask, DeckOutcome]]:
        """Cancel queued rows, let running ones finish within ``grace`` seconds, then end the workers."""
        for fut in self.pending:
            fut.cancel()
        deadline = time.monotonic() + grace
        try:
            while self.pending and time.monotonic() < deadline:
                yield from self.collect(block=True, timeout=max(0.0, deadline - time.monotonic()))
        except KeyboardInterrupt:
            pass  # a second Ctrl-C: do not wait any longer
        if self.pending:
            self._terminate()
            for fut, task in list(self.pending.items()):
                self.pending.pop(fut)
                yield task, DeckOutcome(task.row, False, cancelled=True)
        self.close()

    def _terminate(self) -> None:
        # ProcessPoolExecutor has no public way to end busy workers before Python 3.14
        processes = list((getattr(self.executor, "_processes", None) or {}).values())
        for proc in processes:
            proc.terminate()
        for proc in processes:
            proc.join(2)
            if proc.is_alive():
                proc.kill()

    def close(self) -> None:
        self.executor.shutdown(wait=True, cancel_futures=True)


# =========================================================================== progress

class Progress:
    """Shows how a batch advances: a ``\\r`` line on a terminal, a log line now and then elsewhere."""

    def __init__(self, stream: TextIO, *, tty: bool, total: int | None = None, every_rows: int = 500,
                 every_seconds: float = 10.0, clock: Callable[[], float] = time.monotonic) -> None:
        self.stream = stream
        self.tty = tty
        self.total = total
        self.every_rows = every_rows
        self.every_seconds = every_seconds if not tty else 0.1
        self.clock = clock
        self.started = clock()
        self._last_time = self.started
        self._last_done = 0
        self._width = 0
        # (time, rows done, decks built) at recent updates: rate and ETA follow the current pace,
        # not the average since the workers started
        self._recent: deque[tuple[float, int, int]] = deque([(self.started, 0, 0)], maxlen=RATE_SAMPLES)

    def update(self, done: int, built: int, skipped: int, failed: int) -> None:
        """Note the counts so far; draws or logs a line only when one is due."""
        now = self.clock()
        due = now - self._last_time >= self.every_seconds or (
            not self.tty and done - self._last_done >= self.every_rows)
        if not due or (not self.tty and done == self._last_done):
            return
        self._last_time, self._last_done = now, done
        then, done_then, built_then = self._recent[0]
        self._recent.append((now, done, built))
        span = max(now - then, 1e-6)
        rate = (built - built_then) / span
        count = f"{done}/{self.total}" if self.total is not None else f"{done}"
        line = f"{count} rows  built {built}  skipped {skipped}  failed {failed}  {rate:.1f} decks/s"
        if self.total and done > done_then:
            remaining = max(self.total - done, 0) * span / (done - done_then)
            line += f"  ETA {_clock(remaining)}"
        if self.tty:
            pad = max(self._width - len(line), 0)
            self._width = len(line)
            self.stream.write("\r" + line + " " * pad)
        else:
            self.stream.write("batch: " + line + "\n")
        self.stream.flush()

    def close(self) -> None:
        if self.tty and self._width:
            self.stream.write("\r" + " " * self._width + "\r")
            self.stream.flush()


def _clock(seconds: float) -> str:
    seconds = int(round(seconds))
    hours, rest = divmod(seconds, 3600)
    return f"{hours}:{rest // 60:02d}:{rest % 60:02d}" if hours else f"{rest // 60}:{rest % 60:02d}"


# =========================================================================== the batch

@dataclass
class BatchRequest:
    """Everything a seller chose for a batch (one object instead of many parameters)."""

    input: Path
    profile: Path
    out_dir: Path
    crm: str = "auto"
    mapping: dict[str, str] | None = None
    encoding: str | None = None
    sheet: str | None = None
    options: BuildOptions = field(default_factory=BuildOptions)
    name: str = DEFAULT_NAME
    jobs: int | None = None  # None: one per CPU
    shard: Shard | None = None
    force: bool = False
    fail_fast: bool = False
    report: Path | None = None  # JSON path; default <out_dir>/report.json


@dataclass
class BatchResult:
    """How a batch went."""

    rows: list[RowReport]
    report_json: Path
    report_csv: Path
    jobs: int
    seconds: float
    interrupted: bool = False
    stopped_early: bool = False  # --fail-fast
    counts: Counter = field(default_factory=Counter)

    @property
    def bands(self) -> Counter:
        return Counter(r.band for r in self.rows if r.band and r.status != "failed")

    @property
    def walk_away(self) -> list[RowReport]:
        return [r for r in sorted(self.rows, key=lambda r: r.row)
                if r.band == "walk_away" and r.status != "failed"]

    @property
    def failed(self) -> list[RowReport]:
        return [r for r in sorted(self.rows, key=lambda r: r.row) if r.status == "failed"]

    @property
    def exit_code(self) -> int:
        if self.interrupted:
            return 130
        return 1 if self.counts["failed"] else 0


def _open_source(request: BatchRequest) -> ProspectSource:
    return open_prospects(request.input, crm=request.crm, mapping=request.mapping, encoding=request.encoding,
                          sheet=request.sheet)


def _check_closing(profile: Profile, closing: str | None) -> None:
    if closing and closing.strip():
        choose_closing(Prospect(company="check"), profile, None, closing)


def prepare_batch(request: BatchRequest) -> BatchPlan:
    """Check every input of ``request``; raise InputError/OutputError before any deck is written."""
    warnings: list[str] = []
    profile = load_profile(request.profile, warnings)
    source = _open_source(request)
    warnings.extend(source.warnings)
    pattern = NamePattern(request.name)
    json_path, csv_path = report_paths(request.out_dir, request.report, request.shard)
    if request.out_dir.exists() and not request.out_dir.is_dir():
        raise OutputError("is a file, expected a folder for the decks; choose another --out-dir",
                          file=str(request.out_dir))
    options = replace(request.options, today=request.options.today or _dt.date.today())
    _check_closing(profile, options.closing)
    builder = DeckBuilder(profile, options)  # compiles the template: its errors stop the batch here
    warnings.extend(builder.warnings)
    fingerprint = input_fingerprint(request.profile, options, source.column_map, source.preset)
    return BatchPlan(request, profile, options, source, pattern, builder, fingerprint, warnings,
                     json_path, csv_path)


class BatchPlan:
    """A checked batch, ready to run."""

    def __init__(self, request: BatchRequest, profile: Profile, options: BuildOptions, source: ProspectSource,
                 pattern: NamePattern, builder: DeckBuilder, fingerprint: dict[str, str], warnings: list[str],
                 report_json: Path, report_csv: Path) -> None:
        self.request = request
        self.profile = profile
        self.options = options
        self.source = source
        self.pattern = pattern
        self.builder = builder
        self.fingerprint = fingerprint
        self.common = combined_digest(fingerprint)
        self.warnings = warnings
        self.report_json = report_json
        self.report_csv = report_csv
        self.notes: list[str] = []  # things worth a line in the summary (not problems)

    def count_rows(self) -> int:
        """Rows this run will look at (this shard's share); reads the list once more."""
        total = self.source.count()
        shard = self.request.shard
        return total if shard is None else len(range(shard.k - 1, total, shard.n))

    def run(self, progress_factory: Callable[[int | None], Progress] | None = None) -> BatchResult:
        """Build the decks; returns the result (also when interrupted: ``result.interrupted``)."""
        req = self.request
        try:
            req.out_dir.mkdir(parents=True, exist_ok=True)
            self.report_json.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise OutputError(f"cannot create the folder ({exc.strerror}); check the path or choose another "
                              "--out-dir", file=exc.filename) from None
        if not os.access(req.out_dir, os.W_OK):
            raise OutputError("output folder is not writable; choose another --out-dir or ask for write access",
                              file=str(req.out_dir))
        manifest = Manifest.load(req.out_dir, req.shard)
        manifest.inputs = self.fingerprint
        self.warnings.extend(manifest.warnings)
        changed = manifest.changed_inputs()
        if changed and not req.force:
            self.notes.append(f"changed since the last run: {', '.join(changed)}; affected decks are rebuilt")

        total = None
        progress = None
        if progress_factory is not None:
            total = self.count_rows()
            progress = progress_factory(total)
        jobs = max(1, req.jobs or default_jobs())
        if total is not None:
            jobs = max(1, min(jobs, total))

        run = _Run(self, manifest, jobs, progress)
        started = time.monotonic()
        with _sigterm_as_interrupt():
            try:
                run.loop()
            except KeyboardInterrupt:
                run.interrupted = True
                run.stop()
            finally:
                if run.pool is not None and not run.interrupted:
                    run.pool.close()
                if progress is not None:
                    progress.close()
        result = BatchResult(run.rows, self.report_json, self.report_csv, run.jobs, time.monotonic() - started,
                             run.interrupted, run.stopped_early, run.counts)
        if run.fatal is not None:
            try:  # keep what finished, if the disk lets us
                manifest.save()
                write_report(self.report_json, self.report_csv, run.rows, self._report_meta(result))
            except (OSError, DeckgenError):
                pass
            raise OutputError(f"the batch stopped: {run.fatal}; free some space or make the folder writable "
                              "(or choose another --out-dir), then run the batch again", file=str(req.out_dir))
        manifest.save(prune=not run.interrupted)
        write_report(self.report_json, self.report_csv, run.rows, self._report_meta(result))
        return result

    def _report_meta(self, result: BatchResult) -> dict:
        req = self.request
        return {
            "deckgen": __version__,
            "generated": _utc_now(),
            "input": str(req.input),
            "crm": self.source.preset,
            "encoding": self.source.encoding,
            "profile": str(req.profile),
            "template": self.builder.compiled.name,
            "brand": self.builder.brand.kit.name,
            "date": self.options.today.isoformat(),
            "out_dir": str(req.out_dir),
            "shard": str(req.shard) if req.shard else None,
            "jobs": result.jobs,
            "seconds": round(result.seconds, 3),
            "interrupted": result.interrupted,
            "stopped_early": result.stopped_early,
            "summary": {
                "rows": len(result.rows),
                "built": result.counts["built"],
                "skipped_unchanged": result.counts["skipped-unchanged"],
                "failed": result.counts["failed"],
                "bands": {b: result.bands[b] for b in BAND_ORDER},
                "walk_away": [{"row": r.row, "id": r.id, "company": r.company} for r in result.walk_away],
            },
            "warnings": list(self.warnings),
        }


class _Run:
    """The state of one running batch."""

    def __init__(self, plan: BatchPlan, manifest: Manifest, jobs: int, progress: Progress | None) -> None:
        self.plan = plan
        self.manifest = manifest
        self.jobs = jobs
        self.progress = progress
        self.rows: list[RowReport] = []
        self.counts: Counter = Counter()  # by status
        self.pool: _Pool | None = None
        # row -> (id, company, file name, input digest, warnings) of decks being built
        self.inflight: dict[int, tuple[str, str, str, str, tuple[str, ...]]] = {}
        self.interrupted = False
        self.stopped_early = False
        self.fatal: str | None = None  # why the output can't be written
        self._saved = time.monotonic()
        self._save_every = MANIFEST_SAVE_SECONDS

    # ------------------------------------------------------------------ the loop

    def loop(self) -> None:
        plan, req = self.plan, self.plan.request
        names = NameAllocator(req.out_dir)
        today = plan.options.today
        for index, rr in enumerate(plan.source):
            mine = req.shard is None or req.shard.owns(index)
            if rr.error is not None or rr.prospect is None:
                if mine:
                    self._add(_unreadable_row(plan.source, rr))
                    if req.fail_fast:
                        self.stopped_early = True
                        break
                continue
            prospect = rr.prospect
            fit = score_fit(prospect, plan.profile.icp) if plan.pattern.needs_fit else None
            stem = plan.pattern.stem(prospect, rr.row, today, fit)
            path, clash = names.allocate(stem, fallback=f"row-{rr.row}")
            if not mine:
                continue
            warnings = tuple(rr.warnings) + ((f"row {rr.row}: {clash}",) if clash else ())
            digest = row_digest(plan.common, rr.raw, prospect)
            done = None if req.force else self.manifest.current(path.name, digest)
            if done is not None:
                self._add(RowReport(rr.row, prospect.id, prospect.company, "skipped-unchanged", path.name,
                                    done.score, done.band, done.closing, warnings + done.warnings))
                continue
            self.inflight[rr.row] = (prospect.id, prospect.company, path.name, digest, warnings)
            task = DeckTask(rr.row, prospect, str(path))
            for done in self._submit(task):
                self._finished(*done)
            if self.stopped_early:
                break
        if self.pool is not None:
            for done in self.pool.drain():
                self._finished(*done)

    def _submit(self, task: DeckTask) -> Iterator[tuple[DeckTask, DeckOutcome]]:
        if self.jobs > 1:
            try:
                if self.pool is None:  # started on the first deck to build: a rerun that skips all needs none
                    self.pool = _Pool(self.jobs, self.plan.profile, self.plan.options)
                yield from self.pool.submit(task)
                yield from self.pool.collect(block=False)
                return
            except WorkersUnavailable as exc:
                if self.pool is not None:
                    yield from self.pool.drain()
                    self.pool.close()
                    self.pool = None
                self.plan.warnings.append(f"worker processes are not available ({exc}); the decks are "
                                          "built in this process instead")
                self.jobs = 1
        yield task, render_and_write(self.plan.builder, task)

    def stop(self) -> None:
        if self.pool is not None:
            for done in self.pool.stop(STOP_GRACE_SECONDS):
                self._finished(*done)

    # ------------------------------------------------------------------ results

    def _finished(self, task: DeckTask, outcome: DeckOutcome) -> None:
        pid, company, name, digest, warnings = self.inflight.pop(task.row)
        if outcome.cancelled:  # never started: not part of what this run did
            return
        if outcome.ok:
            warnings = warnings + outcome.warnings
            band, closing = sys.intern(outcome.band), sys.intern(outcome.closing)
            self.manifest.record(name, DeckRecord(digest, _utc_now(), task.row, pid, company, outcome.score,
                                                  band, closing, outcome.warnings))
            self._add(RowReport(task.row, pid, company, "built", name, outcome.score, band, closing, warnings))
        else:
            self._add(RowReport(task.row, pid, company, "failed", "", None, "", "", warnings + outcome.warnings,
                                outcome.error, outcome.error_field))
            if outcome.fatal and self.fatal is None:
                self.fatal = outcome.error
                self.stopped_early = True
            if self.plan.request.fail_fast:
                self.stopped_early = True

    def _add(self, report: RowReport) -> None:
        self.rows.append(report)
        c = self.counts
        c[report.status] += 1
        if self.progress is not None:
            self.progress.update(len(self.rows), c["built"], c["skipped-unchanged"], c["failed"])
        now = time.monotonic()
        if self.manifest.dirty and now - self._saved >= self._save_every:
            self.manifest.save()
            self._saved = time.monotonic()
            # a huge manifest is saved less often: saving never takes more than ~5 % of the run
            self._save_every = max(MANIFEST_SAVE_SECONDS, 20 * (self._saved - now))


@contextmanager
def _sigterm_as_interrupt():
    """While a batch runs, SIGTERM (Kubernetes, Slurm) stops it like Ctrl-C."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def interrupt(signum, frame):
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


# =========================================================================== fit ranking

@dataclass(slots=True)
class FitRow:
    """One prospect's fit, as ``deckgen fit`` shows it."""

    row: int
    id: str
    company: str
    score: int
    band: str
    confidence: float
    reasons: tuple[str, ...]
    closing: str
    verdict: str

    def to_json(self) -> dict:
        return {"row": self.row, "id": self.id, "company": self.company, "score": self.score, "band": self.band,
                "band_label": BAND_LABELS[self.band], "confidence": round(self.confidence, 3),
                "reasons": list(self.reasons), "closing": self.closing, "verdict": self.verdict}


FIT_COLUMNS = ("rank", "row", "id", "company", "score", "band", "confidence", "closing", "reasons")


@dataclass
class FitRanking:
    """Prospects ranked best first, the rows that could not be read, and file-level warnings."""

    ranked: list[FitRow]
    failed: list[RowReport]
    warnings: list[str]

    @property
    def walk_away(self) -> list[FitRow]:
        return [r for r in self.ranked if r.band == "walk_away"]

    def csv_bytes(self, top: int | None = None) -> bytes:
        """The ranking as CSV for stdout (no BOM), formulas neutralised."""
        rows = ([i, r.row, r.id, r.company, r.score, r.band, f"{r.confidence:.2f}", r.closing,
                 " | ".join(r.reasons)] for i, r in enumerate(self.ranked[:top] if top else self.ranked, 1))
        return _csv_bytes(FIT_COLUMNS, rows, bom=False)


def top_reasons(fit: Fit, n: int = 2) -> tuple[str, ...]:
    """What decided the score: disqualifiers and failed must-haves first, then the criteria that
    earned the most of their weight (known data before partial credit)."""
    from deckgen.sales.fit import situation_label

    out = [f"Disqualified: the prospect {situation_label(s)}." for s in fit.disqualified_by]
    by_name = {c.name: c for c in fit.criteria}
    out += [f"Must-have not met: {by_name[m].reason}" for m in fit.must_have_failures if m in by_name]
    ranked = sorted(fit.criteria, key=lambda c: (-float(c.share) * (1 if c.known else 0.5), -c.max_points))
    if fit.band == "walk_away" and not fit.disqualified_by:
        ranked = sorted(fit.criteria, key=lambda c: (float(c.share), -c.max_points))  # what went wrong
    out += [c.reason for c in ranked if c.reason not in out]
    return tuple(out[:n])


def rank_fits(request: BatchRequest) -> FitRanking:
    """Score every row of the list against the ICP and rank: band A first, walk-away last, then by score."""
    warnings: list[str] = []
    profile = load_profile(request.profile, warnings)
    source = _open_source(request)
    warnings.extend(source.warnings)
    ranked: list[FitRow] = []
    failed: list[RowReport] = []
    for rr in source:
        if rr.error is not None or rr.prospect is None:
            failed.append(_unreadable_row(source, rr))
            continue
        p = rr.prospect
        fit = score_fit(p, profile.icp)
        try:
            closing = choose_closing(p, profile, fit).line.id
        except InputError as exc:
            failed.append(RowReport(rr.row, p.id, p.company, "failed", error=_describe(exc),
                                    error_field=exc.field or ""))
            continue
        ranked.append(FitRow(rr.row, p.id, p.company, fit.score, fit.band, fit.confidence, top_reasons(fit),
                             closing, fit.verdict))
    ranked.sort(key=lambda r: (BAND_ORDER.index(r.band), -r.score, r.row))
    return FitRanking(ranked, failed, warnings)


def stream_is_tty(stream: TextIO | None = None) -> bool:
    """Whether progress should redraw one line (a terminal) or log now and then."""
    stream = stream or sys.stderr
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False
