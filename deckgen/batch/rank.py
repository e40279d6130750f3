"""Ranking a prospect list by fit (``deckgen fit``): read the list, then rank it with :mod:`deckgen.sales.ranking`."""

from __future__ import annotations

from collections.abc import Iterator

from deckgen.batch.plan import BatchRequest, as_warnings, open_source
from deckgen.batch.report import unreadable_row
from deckgen.load.closings import load_library
from deckgen.load.crm.source import ProspectSource
from deckgen.load.files import load_profile
from deckgen.sales.ranking import FitRanking, ProspectRow, UnrankedRow, rank_prospects

__all__ = ["rank_fits"]


def rank_fits(request: BatchRequest) -> FitRanking:
    """Score every row of the request's list against the profile's ICP and rank them, best first.

    Only ``input``, ``profile`` and the options saying how to read the list are used; no deck is built.
    """
    warnings: list = []
    profile = load_profile(request.profile, warnings)
    source = open_source(request)
    warnings.extend(source.warnings)
    return rank_prospects(profile, _rows(source), load_library(), as_warnings(warnings))


def _rows(source: ProspectSource) -> Iterator[ProspectRow | UnrankedRow]:
    for rr in source:
        if rr.error is not None or rr.prospect is None:
            r = unreadable_row(source, rr)
            yield UnrankedRow(r.row, r.id, r.company, r.error, r.error_field)
        else:
            yield ProspectRow(rr.row, rr.prospect)
