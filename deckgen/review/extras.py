"""Fit details for the review page that report.json does not carry: confidence, top reasons, industry, city.

They come from reading the prospect list again and scoring it (no deck is built). The batch command hands over
its own request; ``deckgen review`` rebuilds one from what report.json recorded (input, profile, CRM preset,
encoding). When the list or the profile cannot be read any more, the page goes without them and says why.
"""

from __future__ import annotations

from collections.abc import Container
from pathlib import Path

from deckgen.batch.plan import BatchRequest, open_source
from deckgen.errors import DeckgenError
from deckgen.load.closings import load_library
from deckgen.load.files import load_profile
from deckgen.review.data import Extra
from deckgen.sales.closings import all_lines, choose_closing
from deckgen.sales.fit import score_fit
from deckgen.sales.ranking import top_reasons

__all__ = ["fit_extras", "request_from_meta"]


def fit_extras(request: BatchRequest, rows: Container[int] | None = None) -> dict[int, Extra]:
    """Row number -> :class:`Extra` for every readable row of the request's list, or only for ``rows``
    (what the page shows: the others are not scored or kept) (raises DeckgenError)."""
    profile = load_profile(request.profile, [])
    lines = all_lines(profile, load_library())
    override = request.options.closing
    out: dict[int, Extra] = {}
    for rr in open_source(request, profile):
        p = rr.prospect
        if rr.error is not None or p is None or (rows is not None and rr.row not in rows):
            continue
        fit = score_fit(p, profile)
        try:
            line = choose_closing(p, profile, fit, override, lines=lines).line
            closing = (line.id, line.text)
        except DeckgenError:
            closing = ("", "")
        loc = p.location
        out[rr.row] = Extra(fit.confidence, top_reasons(fit, 3), p.industry, loc.city, loc.country, p.company, *closing)
    return out


def request_from_meta(meta: dict, out_dir: Path) -> BatchRequest | None:
    """A request that reads the list the report names the way the batch read it (None when it names none)."""
    if not meta.get("input") or not meta.get("profile"):
        return None
    crm = str(meta.get("crm") or "auto")
    return BatchRequest(
        input=Path(str(meta["input"])),
        profile=Path(str(meta["profile"])),
        out_dir=out_dir,
        crm=crm if crm != "mapping" else "auto",
        encoding=meta.get("encoding") or None,
    )


def try_extras(request: BatchRequest | None, rows: Container[int] | None = None) -> tuple[dict[int, Extra], str]:
    """(extras, why they are missing): a list that cannot be read any more is a note, not an error."""
    if request is None:
        return {}, "the report names no prospect list, so confidence and reasons are not shown"
    try:
        return fit_extras(request, rows), ""
    except DeckgenError as exc:
        return {}, f"confidence and reasons are not shown: {exc}"
