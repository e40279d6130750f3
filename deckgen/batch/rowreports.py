"""The report (and manifest record) of one row, from what its deck's build said or what the manifest kept."""

from __future__ import annotations

import sys
from pathlib import Path

from deckgen.batch.manifest import DeckRecord, utc_now
from deckgen.batch.pool import DeckOutcome
from deckgen.batch.report import RowReport
from deckgen.build import brief_path

__all__ = ["built_row", "failed_row", "skipped_row"]


def _brief(name: str, made: bool) -> str:
    return brief_path(Path(name)).name if made else ""


def skipped_row(
    row: int, pid: str, company: str, name: str, done: DeckRecord, warnings: tuple[str, ...], first: int | None
) -> RowReport:
    """An unchanged deck's row: what its manifest record says, with this run's row warnings first."""
    return RowReport(
        row,
        pid,
        company,
        "skipped-unchanged",
        name,
        done.score,
        done.band,
        done.closing,
        warnings + done.warnings,
        confidence=done.confidence,
        reason=done.reason,
        reasons=done.reasons,
        storyline=done.storyline,
        brief=_brief(name, done.brief),
        duplicate_of=first,
    )


def built_row(
    row: int,
    pid: str,
    company: str,
    name: str,
    digest: str,
    outcome: DeckOutcome,
    warnings: tuple[str, ...],
    first: int | None,
) -> tuple[DeckRecord, RowReport]:
    """(manifest record, report) of a deck a worker built; its band and closing id interned (few values)."""
    band, closing, storyline = sys.intern(outcome.band), sys.intern(outcome.closing), sys.intern(outcome.storyline)
    fit = {
        "confidence": outcome.confidence,
        "reason": outcome.reason,
        "reasons": outcome.reasons,
        "storyline": storyline,
    }
    record = DeckRecord(
        digest,
        utc_now(),
        row,
        pid,
        company,
        outcome.score,
        band,
        closing,
        outcome.warnings,
        outcome.size,  # the bytes the worker wrote: no stat of the file here
        brief=outcome.brief,
        **fit,
    )
    report = RowReport(
        row,
        pid,
        company,
        "built",
        name,
        outcome.score,
        band,
        closing,
        warnings + outcome.warnings,
        brief=_brief(name, outcome.brief),
        duplicate_of=first,
        **fit,
    )
    return record, report


def failed_row(
    row: int, pid: str, company: str, outcome: DeckOutcome, warnings: tuple[str, ...], first: int | None
) -> RowReport:
    """A row whose deck failed to build, with the error and its field."""
    return RowReport(
        row,
        pid,
        company,
        "failed",
        warnings=warnings + outcome.warnings,
        error=outcome.error,
        error_field=outcome.error_field,
        duplicate_of=first,
    )
