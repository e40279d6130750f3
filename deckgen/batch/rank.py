"""Ranking a prospect list by fit (``deckgen fit``): read the list, then rank it with :mod:`deckgen.sales.ranking`."""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable, Iterator

from deckgen.batch.plan import BatchRequest, NamePattern, as_warnings, open_source
from deckgen.batch.report import unreadable_row
from deckgen.load.closings import load_library
from deckgen.load.crm.source import ProspectSource
from deckgen.load.files import load_profile
from deckgen.naming import NameAllocator
from deckgen.sales.ranking import FitRanking, ProspectRow, UnrankedRow, rank_prospects

__all__ = ["rank_fits"]


def rank_fits(request: BatchRequest, on_open: Callable[[dict], None] | None = None) -> FitRanking:
    """Score every row of the request's list against the profile's ICP and rank them, best first.

    Only ``input``, ``profile`` and the options saying how to read the list are used; no deck is built.
    ``on_open`` is called with :meth:`ProspectSource.summary` once the list is opened, before any row is read.
    """
    warnings: list = []
    profile = load_profile(request.profile, warnings)
    source = open_source(request, profile)
    warnings.extend(source.warnings)
    if on_open is not None:
        on_open(source.summary())
    names = NameAllocator(request.out_dir)
    pattern = NamePattern(request.name)
    today = (request.options.today if request.options else None) or _dt.date.today()

    def deck_name(prospect, row, fit) -> str:
        return names.allocate(pattern.stem(prospect, row, today, fit), fallback=f"row-{row}")[0].name

    ranking = rank_prospects(profile, _rows(source), load_library(), as_warnings(warnings), deck_name)
    ranking.source = source.summary()
    return ranking


def _rows(source: ProspectSource) -> Iterator[ProspectRow | UnrankedRow]:
    for rr in source:
        if rr.error is not None or rr.prospect is None:
            r = unreadable_row(source, rr)
            yield UnrankedRow(r.row, r.id, r.company, r.error, r.error_field)
        else:
            yield ProspectRow(rr.row, rr.prospect)
