"""``deckgen calibrate``: read a won/lost export, score every closed deal, and learn weights from them.

Reading and scoring live here; the statistics are :mod:`deckgen.sales.calibrate` (pure).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from deckgen.batch.plan import BatchRequest, as_warnings, open_source
from deckgen.errors import DeckgenWarning, InputError
from deckgen.load.files import load_profile
from deckgen.sales.calibrate import OUTCOME_COLUMNS, Calibration, Deal, calibrate, outcome_of
from deckgen.sales.fit import CRITERIA, score_fit

__all__ = ["CalibrationRun", "calibrate_file", "find_outcome_column"]


@dataclass
class CalibrationRun:
    calibration: Calibration
    outcome_column: str
    source: dict
    open_rows: int = 0  # rows whose outcome is neither won nor lost (open deals, empty cells)
    unreadable: list[tuple[int, str]] = field(default_factory=list)  # (row, error)
    warnings: list[DeckgenWarning] = field(default_factory=list)


def find_outcome_column(columns: list[str], wanted: str | None = None) -> str:
    """The column holding the deal outcome: ``wanted`` (any case), else the first known CRM name present."""
    by_key = {" ".join(c.casefold().split()): c for c in columns}
    if wanted:
        found = by_key.get(" ".join(wanted.casefold().split()))
        if found is None:
            raise InputError(f"no column '{wanted}' in the file; its columns are: {', '.join(columns[:20])}")
        return found
    for name in OUTCOME_COLUMNS:
        if name.casefold() in by_key:
            return by_key[name.casefold()]
    raise InputError(
        "cannot find the deal outcome column (closed won / closed lost); looked for "
        f"{', '.join(repr(c) for c in OUTCOME_COLUMNS)}. Name it with --outcome COLUMN"
    )


def calibrate_file(request: BatchRequest, outcome: str | None = None) -> CalibrationRun:
    """Score each closed deal of the request's list with the profile's ICP and calibrate the weights.

    Raises InputError for an unreadable file, a missing outcome column, or no closed deal at all.
    """
    warnings: list = []
    profile = load_profile(request.profile, warnings)
    source = open_source(request, profile)
    warnings.extend(source.warnings)
    column = find_outcome_column(source.columns, outcome)
    deals: list[Deal] = []
    open_rows = 0
    unreadable: list[tuple[int, str]] = []
    for rr in source:
        result = outcome_of(rr.raw.get(column, ""))
        if result is None:
            open_rows += 1
            continue
        if rr.prospect is None:
            unreadable.append((rr.row, str(rr.error) if rr.error else "unreadable row"))
            continue
        fit = score_fit(rr.prospect, profile)
        deals.append(Deal(rr.row, result, {c.name: float(c.share) for c in fit.criteria}))
    if not deals:
        raise InputError(
            f"no closed deal in column '{column}' (values like Closed Won / Closed Lost, closedwon / closedlost, "
            "won / lost)",
            file=str(request.input),
        )
    weights = profile.icp.weights.model_dump()
    calibration = calibrate(deals, {name: weights[name] for name in CRITERIA})
    return CalibrationRun(calibration, column, source.summary(), open_rows, unreadable, as_warnings(warnings))
