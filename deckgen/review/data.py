"""The review page's data: a batch folder's report(s), its decks and their files, ranked for a reviewer.

Read only from files (report.json and the shards' report-K-of-N.json, the resume manifest, the decks, their
PDFs, seller briefs and thumbnails) so that ``deckgen review OUT_DIR`` works on any finished batch folder.
Fit details the report does not carry (data confidence, reasons, industry, city) come from
:mod:`deckgen.review.extras` when the prospect list can still be read.

The report is streamed (:mod:`deckgen.review.reports`) and only the rows the page shows are kept and hashed:
a batch of more than :data:`PAGE_CAP` decks gets a page of the ones needing attention first
(:func:`attention_key`) and a line saying that report.csv holds them all.
"""

from __future__ import annotations

import heapq
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from deckgen.review.hashes import DeckHashes
from deckgen.review.reports import built_times, merge_reports, report_files, stream_merged, stream_report

__all__ = [
    "BAND_ORDER",
    "PAGE_CAP",
    "Extra",
    "ReviewData",
    "ReviewRow",
    "attention_key",
    "band_label",
    "load_review_data",
    "merge_reports",
    "report_files",
    "safe_name",
    "stream_merged",
    "stream_report",
    "warning_kind",
]

BAND_ORDER = ("A", "B", "C", "qualify_first", "walk_away")
_LABELS = {
    "A": "Pitch",
    "B": "Pitch with the takeaway close",
    "C": "Nurture",
    "qualify_first": "Qualify first",
    "walk_away": "Walk away",
}


def band_label(band: str) -> str:
    """The verdict in words; a band this version does not know is shown by its own text."""
    if not band:
        return "No verdict"
    return _LABELS.get(band) or band.replace("_", " ").strip().capitalize()


def warning_kind(text: str) -> str:
    """A short tag for a warning sentence, so a reviewer can scan and filter them."""
    low = text.lower()
    if "duplicate of row" in low:
        return "duplicate"
    if any(w in low for w in ("exchange_rates", "exchange rate", "currency", "unconverted")):
        return "currency"
    if "confirm we serve" in low or "geography" in low:
        return "outside your area"
    if any(w in low for w in ("is a range", "used the middle", "(approximate)")):
        return "data guessed"
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
    duplicate_of: int | None = None  # the earlier row this one repeats: the page holds it by default
    twins: tuple[tuple[int, str, str], ...] = ()  # (row, company, what they share) of later rows repeating this one
    brief_pdf: str = ""
    sheet: str = ""  # the contact sheet (all slides), path relative to the folder

    @property
    def duplicate(self) -> str:
        """What the duplicate warning says (``duplicate of row 4: same domain``), or empty."""
        if self.duplicate_of is None:
            return ""
        for w in self.warnings:
            at = w.find(f"duplicate of row {self.duplicate_of}")
            if at >= 0:
                return w[at:]
        return f"duplicate of row {self.duplicate_of}"

    @property
    def repeated(self) -> str:
        """What the later rows repeating this one are (``row 7 (Acme LLC) repeats this one: same domain``), or
        empty: the original of a pair is flagged too, so it is not marked ready without a look at its twin."""
        return "; ".join(
            f"row {row}{f' ({company})' if company else ''} repeats this one" + (f": same {same}" if same else "")
            for row, company, same in self.twins
        )

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
    total_rows: int | None = None  # rows in the report(s), shown or not (None: as many as shown)
    total_decks: int | None = None
    total_failed: int | None = None
    band_totals: dict[str, int] = field(default_factory=dict)  # decks by verdict, shown or not

    @property
    def capped(self) -> bool:
        """True when the page shows only some of the report's rows (the ones needing attention first)."""
        return self.total_rows is not None and len(self.rows) + len(self.failed) < self.total_rows

    @property
    def deck_count(self) -> int:
        return self.total_decks if self.capped and self.total_decks is not None else len(self.rows)

    @property
    def failed_count(self) -> int:
        return self.total_failed if self.capped and self.total_failed is not None else len(self.failed)

    @property
    def bands(self) -> dict[str, int]:
        out: dict[str, int] = {b: 0 for b in BAND_ORDER}
        if self.capped:
            out.update(self.band_totals)
            return {**out, **{b: out[b] for b in sorted(out) if b not in BAND_ORDER}}
        for r in self.rows:
            out[r.band] = out.get(r.band, 0) + 1
        return out


def _text(value) -> str:
    return "" if value is None else str(value)


def _row(raw: dict) -> ReviewRow:
    error = raw.get("error") or {}
    score = raw.get("score")
    first = raw.get("duplicate_of")
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
        duplicate_of=first if isinstance(first, int) and not isinstance(first, bool) else None,
        extra=_report_extra(raw),
    )


def _report_extra(raw: dict) -> Extra:
    """The fit details a report of this version carries (the prospect list, when readable, says more)."""
    conf = raw.get("confidence")
    reasons = raw.get("reasons")
    if not isinstance(conf, (int, float)) or isinstance(conf, bool):
        conf = None
    return Extra(conf, tuple(_text(t) for t in reasons) if isinstance(reasons, list) else ())


def safe_name(name: str) -> bool:
    return bool(name) and "/" not in name and "\\" not in name and name not in (".", "..")


PAGE_CAP = 2000  # decks (and failed rows) a page shows at most; report.csv holds them all


def attention_key(r: ReviewRow) -> tuple[int, ...]:
    """Which decks a capped page shows: the decks with warnings first, then the others, each in the page's
    own rank (verdict, then score). Failed rows are shown apart, the first ``cap`` of them in row order."""
    return (0 if r.warnings else 1, *r.sort_key())


def _keep(heap: list, cap: int, entry: tuple) -> None:
    """Keep the ``cap`` entries with the largest first items in ``heap``."""
    if len(heap) < cap:
        heapq.heappush(heap, entry)
    elif entry[0] > heap[0][0]:
        heapq.heapreplace(heap, entry)


class _Tally:
    """The rows of the report(s) as they stream past: counts of all of them, and the ``cap`` decks and
    ``cap`` failed rows the page shows (two heaps of that many; nothing else of a row is kept)."""

    def __init__(self, out_dir: Path, cap: int, previous: dict) -> None:
        self.folder, self.cap, self.previous = os.fspath(out_dir), max(cap, 1), previous
        self.decks_kept: list[tuple[tuple[int, ...], ReviewRow]] = []  # (negated attention key, row)
        self.failed_kept: list[tuple[int, ReviewRow]] = []  # (-row number, row)
        self.rows = self.decks = self.failed = 0
        self.bands: dict[str, int] = {}
        self.still: set[str] = set()  # decks the last page listed that are still here
        self.twins: dict[int, list[tuple[int, str, str]]] = {}  # row -> later rows repeating it (only those)

    def add(self, raw: dict) -> None:
        r = _row(raw)
        self.rows += 1
        if r.duplicate_of is not None:
            same = r.duplicate.partition(": same ")[2]
            self.twins.setdefault(r.duplicate_of, []).append((r.row, r.company, same))
        # os.path, not pathlib: a Path interns its parts, which would keep every deck's name for good
        if r.status == "failed" or not safe_name(r.file) or not os.path.isfile(os.path.join(self.folder, r.file)):
            if r.status != "failed":
                r.error = r.error or "the deck is not in the folder any more"
            self.failed += 1
            _keep(self.failed_kept, self.cap, (-r.row, r))
            return
        self.decks += 1
        self.bands[r.band] = self.bands.get(r.band, 0) + 1
        if r.file in self.previous:
            self.still.add(r.file)
        _keep(self.decks_kept, self.cap, (tuple(-k for k in attention_key(r)), r))


def load_review_data(
    out_dir: Path,
    *,
    report: Path | None = None,
    extras: Callable[[dict, set[int]], tuple[dict[int, Extra], str]] | None = None,
    hashes: DeckHashes | None = None,
    cap: int = PAGE_CAP,
) -> ReviewData:
    """Read a batch folder into :class:`ReviewData`: rows ranked (verdict, then score), files found,
    deck hashes computed (cached by size and time in ``hashes``) and changes since the last review.

    The report is read a row at a time and at most ``cap`` decks (:func:`attention_key` says which) and
    ``cap`` failed rows are kept, so memory does not grow with the batch; only the decks kept are hashed.
    ``extras`` gets the report's meta and the rows kept, and returns (row -> :class:`Extra`, a note when
    there are none).
    """
    paths = report_files(out_dir, report)
    hashes = hashes if hashes is not None else DeckHashes.load(out_dir)
    tally = _Tally(out_dir, cap, hashes.previous)
    meta = stream_merged(paths, tally.add)  # each row once, the newest report winning it
    decks = sorted((r for _, r in tally.decks_kept), key=ReviewRow.sort_key)
    failed_rows = sorted((r for _, r in tally.failed_kept), key=lambda r: r.row)
    found, note = extras(meta, {r.row for r in decks + failed_rows}) if extras is not None else ({}, "")
    for r in decks:
        r.twins = tuple(sorted(tally.twins.get(r.row, ())))
    for r in decks + failed_rows:
        extra = found.get(r.row)
        if extra is not None and extra.company == r.company:
            r.extra = extra
    built = built_times(out_dir, {r.file for r in decks})
    changes = {"new": 0, "rebuilt": 0, "unchanged": 0}
    for r in decks:
        r.built = built.get(r.file, "")
        r.sha256 = hashes.digest(r.file, r.built)
        r.change = hashes.change(r.file)
        changes[r.change] += 1
        pdf, brief = out_dir / f"{r.stem}.pdf", out_dir / f"{r.stem}-brief.pptx"
        r.pdf = pdf.name if pdf.is_file() else ""
        r.brief = brief.name if brief.is_file() else ""
        brief_pdf = brief.with_suffix(".pdf")
        r.brief_pdf = brief_pdf.name if r.brief and brief_pdf.is_file() else ""
    removed = sorted(set(hashes.previous) - tally.still)
    hashes.keep({r.file for r in decks})
    return ReviewData(
        out_dir,
        meta,
        decks,
        failed_rows,
        changes,
        removed,
        [note] if note else [],
        total_rows=tally.rows,
        total_decks=tally.decks,
        total_failed=tally.failed,
        band_totals=tally.bands,
    )
