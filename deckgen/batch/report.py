"""The batch report: one compact :class:`RowReport` per row, written as report.json and report.csv.

CSV values a spreadsheet would run as a formula are neutralised; the JSON keeps the data as it is.
"""

from __future__ import annotations

import csv
import io
import json
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from deckgen import __version__
from deckgen.batch.manifest import utc_now
from deckgen.errors import InputError
from deckgen.load.crm.rows import RowResult
from deckgen.load.crm.source import ProspectSource
from deckgen.load.textclean import neutralise_formula
from deckgen.output import atomic_writer
from deckgen.sales.ranking import BAND_ORDER, FIT_COLUMNS, FitRanking, error_text

__all__ = [
    "REPORT_COLUMNS",
    "REPORT_FORMAT",
    "STATUSES",
    "RowReport",
    "csv_bytes",
    "ranking_csv",
    "report_meta",
    "report_paths",
    "unreadable_row",
    "write_report",
]

REPORT_FORMAT = "deckgen-batch-report/1"
STATUSES = ("built", "skipped-unchanged", "failed")
REPORT_COLUMNS = (
    "row",
    "id",
    "company",
    "status",
    "file",
    "score",
    "band",
    "verdict",
    "confidence",
    "storyline",
    "reason",
    "reasons",
    "closing",
    "brief",
    "pdf",
    "duplicate_of",
    "warnings",
    "error_field",
    "error",
)


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
    confidence: float | None = None  # share of the ICP's weight the data covered, 0–1
    reason: str = ""  # the fit's verdict sentence
    reasons: tuple[str, ...] = ()  # the top reasons, as the review page shows them
    storyline: str = ""  # the deck type: pitch, buyer, nurture, discovery, walk_away
    brief: str = ""  # the seller brief's name beside the deck
    pdf: str = ""  # the deck's PDF beside it (filled in when the report is written)
    duplicate_of: int | None = None  # the earlier row this one repeats (same domain, phone or name)

    @property
    def verdict(self) -> str:
        """The band in the review page's words ("Walk away"); empty for a failed row."""
        from deckgen.review.data import band_label  # here: deckgen.review imports the batch's plan

        return band_label(self.band) if self.band else ""

    def to_json(self) -> dict:
        """The row as it appears in report.json."""
        return {
            "row": self.row,
            "id": self.id,
            "company": self.company,
            "status": self.status,
            "file": self.file or None,
            "score": self.score,
            "band": self.band or None,
            "verdict": self.verdict or None,
            "confidence": self.confidence,
            "storyline": self.storyline or None,
            "reason": self.reason or None,
            "reasons": list(self.reasons),
            "closing": self.closing or None,
            "brief": self.brief or None,
            "pdf": self.pdf or None,
            "duplicate_of": self.duplicate_of,
            "warnings": list(self.warnings),
            "error": {"message": self.error, "field": self.error_field or None} if self.error else None,
        }

    def to_csv(self) -> list:
        """The row's cells under :data:`REPORT_COLUMNS` (not yet neutralised)."""
        return [
            self.row,
            self.id,
            self.company,
            self.status,
            self.file,
            "" if self.score is None else self.score,
            self.band,
            self.verdict,
            "" if self.confidence is None else round(self.confidence * 100),
            self.storyline,
            self.reason,
            " | ".join(self.reasons),
            self.closing,
            self.brief,
            self.pdf,
            "" if self.duplicate_of is None else self.duplicate_of,
            " | ".join(self.warnings),
            self.error_field,
            self.error,
        ]


def csv_bytes(header: Iterable[str], rows: Iterable[Iterable], *, bom: bool = True) -> bytes:
    """CSV bytes with text values a spreadsheet would run as a formula neutralised.

    ``bom`` (for files) makes Excel read the UTF-8; text piped to a program goes without it.
    """
    buf = io.BytesIO()
    write_csv(buf, header, rows, bom=bom)
    return buf.getvalue()


def write_csv(fh, header: Iterable[str], rows: Iterable[Iterable], *, bom: bool = True) -> None:
    """:func:`csv_bytes` written to the binary file ``fh`` a few hundred rows at a time."""
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(header)
    fh.write(("\ufeff" if bom else "").encode("utf-8") + buf.getvalue().encode("utf-8"))
    chunk: list = []
    for row in rows:
        chunk.append([neutralise_formula(v) if isinstance(v, str) else v for v in row])
        if len(chunk) >= 500:
            buf.seek(0)
            buf.truncate()
            writer.writerows(chunk)
            fh.write(buf.getvalue().encode("utf-8"))
            chunk.clear()
    buf.seek(0)
    buf.truncate()
    writer.writerows(chunk)
    fh.write(buf.getvalue().encode("utf-8"))


def ranking_csv(ranking: FitRanking, top: int | None = None) -> bytes:
    """A fit ranking as CSV for stdout (no BOM), formulas neutralised."""
    return csv_bytes(FIT_COLUMNS, ranking.csv_rows(top), bom=False)


def report_paths(out_dir: Path, report: Path | None, shard) -> tuple[Path, Path]:
    """(JSON path, CSV path beside it); a shard's name gets ``-K-of-N`` before the suffix."""
    json_path = report if report is not None else out_dir / "report.json"
    if json_path.suffix.lower() != ".json":
        raise InputError("--report must name a .json file (the CSV is written beside it)", file=str(json_path))
    if shard is not None:
        json_path = json_path.with_name(f"{json_path.stem}{shard.suffix}{json_path.suffix}")
    return json_path, json_path.with_suffix(".csv")


def report_meta(plan, result) -> dict:
    """Everything report.json says besides its rows, for a BatchPlan and its BatchResult."""
    req = plan.request
    bands = result.bands  # one pass over the rows, not one a band
    return {
        "deckgen": __version__,
        "generated": utc_now(),
        "input": str(req.input),
        "crm": plan.source.preset,
        "encoding": plan.source.encoding,
        "profile": str(req.profile),
        "template": plan.builder.compiled.name,
        "brand": plan.builder.brand.kit.name,
        "date": plan.options.today.isoformat(),
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
            "duplicates": getattr(result, "duplicates", 0),
            "bands": {b: bands[b] for b in BAND_ORDER},
            "walk_away": (  # streamed from the row log into report.json (write_report)
                {"row": r.row, "id": r.id, "company": r.company}
                for r in result.in_row_order()
                if r.band == "walk_away" and r.status != "failed"
            ),
        },
        "warnings": [str(w) for w in plan.warnings],
    }


_STREAMED = "\x00streamed\x00"  # stands in for meta's summary.walk_away while the head is written


def write_report(
    json_path: Path, csv_path: Path, rows: Iterable[RowReport], meta: dict, folder: Path | None = None
) -> None:
    """Write the batch report as JSON (one row a line) and CSV, each atomically, in row order.

    ``rows`` is a list or a :class:`~deckgen.batch.rowlog.RowLog`; both files are streamed, never
    built whole in memory, and so is ``meta["summary"]["walk_away"]`` when it is an iterator
    rather than a list. ``file`` is the deck's name inside the output folder; with ``folder`` (that
    folder), ``pdf`` names the deck's PDF when one is beside it.
    """
    if hasattr(rows, "in_row_order"):
        in_order = rows.in_row_order
    else:
        rows = sorted(rows, key=lambda r: r.row)
        in_order = rows.__iter__

    def ordered():
        for r in in_order():
            if folder is not None and r.file and not r.pdf:
                pdf = Path(r.file).with_suffix(".pdf").name
                if os.path.isfile(os.path.join(folder, pdf)):
                    r.pdf = pdf
            yield r

    summary = meta.get("summary")
    walk = summary.get("walk_away") if isinstance(summary, dict) else None
    if walk is not None and not isinstance(walk, list):  # an iterator: streamed into its place below
        meta = {**meta, "summary": {**summary, "walk_away": _STREAMED}}
    head = json.dumps({"format": REPORT_FORMAT, **meta}, ensure_ascii=False, indent=1)
    with atomic_writer(json_path) as fh:
        before, found, after = head.partition(json.dumps(_STREAMED))
        if found:
            fh.write((before + "[").encode("utf-8"))
            sep = "\n   "
            for item in walk:
                fh.write((sep + json.dumps(item, ensure_ascii=False)).encode("utf-8"))
                sep = ",\n   "
            head = "\n  ]" + after
        fh.write((head[:-2] + ',\n "rows": [').encode("utf-8"))
        sep = "\n  "
        for r in ordered():
            fh.write((sep + json.dumps(r.to_json(), ensure_ascii=False)).encode("utf-8"))
            sep = ",\n  "
        fh.write(b"\n ]\n}\n")
    with atomic_writer(csv_path) as fh:
        write_csv(fh, REPORT_COLUMNS, (r.to_csv() for r in ordered()))


def _raw_value(source: ProspectSource, raw: dict[str, str], target: str) -> str:
    for column, path in source.column_map.items():
        if path == target and raw.get(column, "").strip():
            return " ".join(raw[column].split())
    return ""


def unreadable_row(source: ProspectSource, rr: RowResult) -> RowReport:
    """The report of a row that did not make a prospect: id and company as far as the row gives them."""
    err = rr.error
    return RowReport(
        rr.row,
        _raw_value(source, rr.raw, "id"),
        _raw_value(source, rr.raw, "company"),
        "failed",
        warnings=tuple(str(w) for w in rr.warnings),
        error=error_text(err) if err else "row could not be read",
        error_field=(err.field or "") if err else "",
    )
