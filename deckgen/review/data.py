"""The review page's data: a batch folder's report(s), its decks and their files, ranked for a reviewer.

Read only from files (report.json and the shards' report-K-of-N.json, the resume manifest, the decks, their
PDFs, seller briefs and thumbnails) so that ``deckgen review OUT_DIR`` works on any finished batch folder.
Fit details the report does not carry (data confidence, reasons, industry, city) come from
:mod:`deckgen.review.extras` when the prospect list can still be read.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from deckgen.errors import InputError
from deckgen.review.hashes import DeckHashes

__all__ = [
    "BAND_ORDER",
    "Extra",
    "ReviewData",
    "ReviewRow",
    "band_label",
    "load_review_data",
    "merge_reports",
    "report_files",
    "safe_name",
    "warning_kind",
]

REPORT_FORMAT = "deckgen-batch-report/1"
MANIFEST_GLOB = ".deckgen-manifest*.json"
BAND_ORDER = ("A", "B", "C", "qualify_first", "walk_away")
_LABELS = {
    "A": "Pitch",
    "B": "Pitch with the takeaway close",
    "C": "Nurture",
    "qualify_first": "Qualify first",
    "walk_away": "Walk away",
}
_SHARD_REPORT = re.compile(r"^report-\d+-of-\d+\.json$")


def band_label(band: str) -> str:
    """The verdict in words; a band this version does not know is shown by its own text."""
    if not band:
        return "No verdict"
    return _LABELS.get(band) or band.replace("_", " ").strip().capitalize()


def warning_kind(text: str) -> str:
    """A short tag for a warning sentence, so a reviewer can scan and filter them."""
    low = text.lower()
    if "font" in low:
        return "font missing"
    if any(w in low for w in ("shrunk", "shrink", "overflow", "does not fit", "too long", "cut")):
        return "text shrunk"
    if any(w in low for w in ("unknown", "cannot tell", "missing", "empty", "not given", "left as")):
        return "data unknown"
    return "other"


@dataclass(frozen=True, slots=True)
class Extra:
    """What the report does not say about a row's prospect (from the prospect list, when readable)."""

    confidence: float | None = None
    reasons: tuple[str, ...] = ()
    industry: str = ""
    city: str = ""
    country: str = ""
    company: str = ""  # to check that the list still says the same of this row
    closing_id: str = ""
    closing_text: str = ""


@dataclass(slots=True)
class ReviewRow:
    """One row of the page: a deck (or a failed row) with everything a reviewer looks at."""

    row: int
    id: str
    company: str
    status: str
    file: str = ""
    score: int | None = None
    band: str = ""
    closing: str = ""
    warnings: tuple[str, ...] = ()
    error: str = ""
    error_field: str = ""
    extra: Extra = field(default_factory=Extra)
    built: str = ""  # when the deck was built (the manifest's time)
    sha256: str = ""
    change: str = ""  # new / rebuilt / unchanged (since the last review page of this folder)
    pdf: str = ""
    brief: str = ""
    thumb: str = ""  # path relative to the folder
    thumb_size: tuple[int, int] = (0, 0)

    @property
    def stem(self) -> str:
        return Path(self.file).stem

    def sort_key(self) -> tuple:
        rank = BAND_ORDER.index(self.band) if self.band in BAND_ORDER else len(BAND_ORDER)
        return (rank, -(self.score if self.score is not None else -1), self.row)


@dataclass
class ReviewData:
    """Everything the page shows: the run's figures and the rows, ranked."""

    out_dir: Path
    meta: dict
    rows: list[ReviewRow]  # decks, ranked best first
    failed: list[ReviewRow]  # failed rows, in row order
    changes: dict[str, int]
    removed: list[str]  # decks the last review page listed that are gone now
    notes: list[str] = field(default_factory=list)

    @property
    def bands(self) -> dict[str, int]:
        out: dict[str, int] = {b: 0 for b in BAND_ORDER}
        for r in self.rows:
            out[r.band] = out.get(r.band, 0) + 1
        return out


def _read_json(path: Path) -> dict:
    try:
        data = json.loads(path.read_bytes())
    except FileNotFoundError:
        raise InputError("no batch report here; run `deckgen batch` into this folder first", file=str(path)) from None
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror}", file=str(path)) from None
    except ValueError as exc:
        raise InputError(f"not a readable batch report ({exc})", file=str(path)) from None
    if not isinstance(data, dict) or data.get("format") != REPORT_FORMAT or not isinstance(data.get("rows"), list):
        raise InputError("not a deckgen batch report this version can read", file=str(path))
    return data


def report_files(out_dir: Path, report: Path | None = None) -> list[Path]:
    """The reports to read: ``report`` when given, else report.json and every shard's report in the folder."""
    if report is not None:
        return [report]
    found = [p for p in sorted(out_dir.glob("report*.json")) if p.name == "report.json" or _SHARD_REPORT.match(p.name)]
    if not found:
        raise InputError(
            "no batch report here (report.json); run `deckgen batch … --out-dir` into this folder first",
            file=str(out_dir),
        )
    return found


def merge_reports(paths: list[Path]) -> tuple[dict, list[dict]]:
    """The newest report's meta, and the rows of all reports (the newest report wins a row)."""
    docs = sorted((_read_json(p) for p in paths), key=lambda d: str(d.get("generated") or ""))
    rows: dict[int, dict] = {}
    for doc in docs:
        for r in doc["rows"]:
            if isinstance(r, dict) and isinstance(r.get("row"), int):
                rows[r["row"]] = r
    meta = {k: v for k, v in docs[-1].items() if k != "rows"}
    if len(docs) > 1:
        meta["seconds"] = sum(float(d.get("seconds") or 0) for d in docs)
        meta["reports"] = len(docs)
    return meta, [rows[k] for k in sorted(rows)]


def _built_times(out_dir: Path) -> dict[str, str]:
    times: dict[str, str] = {}
    for path in sorted(out_dir.glob(MANIFEST_GLOB)):
        try:
            decks = json.loads(path.read_bytes()).get("decks") or {}
        except (OSError, ValueError, AttributeError):
            continue  # the batch warns about an unreadable manifest; the page just shows no build time
        for name, entry in decks.items() if isinstance(decks, dict) else ():
            built = str(entry.get("built") or "") if isinstance(entry, dict) else ""
            if built > times.get(name, ""):
                times[name] = built
    return times


def _text(value) -> str:
    return "" if value is None else str(value)


def _row(raw: dict) -> ReviewRow:
    error = raw.get("error") or {}
    score = raw.get("score")
    return ReviewRow(
        row=int(raw["row"]),
        id=_text(raw.get("id")),
        company=_text(raw.get("company")),
        status=_text(raw.get("status")),
        file=_text(raw.get("file")),
        score=score if isinstance(score, int) else None,
        band=_text(raw.get("band")),
        closing=_text(raw.get("closing")),
        warnings=tuple(_text(w) for w in raw.get("warnings") or ()),
        error=_text(error.get("message")) if isinstance(error, dict) else _text(error),
        error_field=_text(error.get("field")) if isinstance(error, dict) else "",
    )


def safe_name(name: str) -> bool:
    return bool(name) and "/" not in name and "\\" not in name and name not in (".", "..")


def load_review_data(
    out_dir: Path,
    *,
    report: Path | None = None,
    extras: Callable[[dict], tuple[dict[int, Extra], str]] | None = None,
    hashes: DeckHashes | None = None,
) -> ReviewData:
    """Read a batch folder into :class:`ReviewData`: rows ranked (verdict, then score), files found,
    deck hashes computed (cached by size and time in ``hashes``) and changes since the last review.

    ``extras`` gets the report's meta and returns (row -> :class:`Extra`, a note when there are none).
    """
    meta, raw_rows = merge_reports(report_files(out_dir, report))
    found, note = extras(meta) if extras is not None else ({}, "")
    built = _built_times(out_dir)
    hashes = hashes if hashes is not None else DeckHashes.load(out_dir)
    previous = set(hashes.previous)
    decks: list[ReviewRow] = []
    failed: list[ReviewRow] = []
    changes = {"new": 0, "rebuilt": 0, "unchanged": 0}
    for raw in raw_rows:
        r = _row(raw)
        extra = found.get(r.row)
        if extra is not None and extra.company == r.company:
            r.extra = extra
        if r.status == "failed" or not safe_name(r.file) or not (out_dir / r.file).is_file():
            if r.status != "failed":
                r.error = r.error or "the deck is not in the folder any more"
            failed.append(r)
            continue
        r.built = built.get(r.file, "")
        r.sha256 = hashes.digest(r.file, r.built)
        r.change = hashes.change(r.file)
        changes[r.change] += 1
        pdf, brief = out_dir / f"{r.stem}.pdf", out_dir / f"{r.stem}-brief.pptx"
        r.pdf = pdf.name if pdf.is_file() else ""
        r.brief = brief.name if brief.is_file() else ""
        decks.append(r)
    decks.sort(key=ReviewRow.sort_key)
    listed = {r.file for r in decks}
    removed = sorted(previous - listed)
    hashes.keep(listed)
    return ReviewData(out_dir, meta, decks, failed, changes, removed, [note] if note else [])
