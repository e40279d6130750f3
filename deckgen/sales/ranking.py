"""Ranking a prospect list by fit with the ideal-client profile (what ``deckgen fit`` shows).

Pure: the caller reads the list and hands over the prospects (and the rows that
could not be read); this module scores, picks the closing line, orders and shapes
the result for a table, JSON or CSV.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import NamedTuple

from deckgen.errors import DeckgenError, DeckgenWarning, InputError
from deckgen.model import ClosingLine, Profile, Prospect
from deckgen.sales.closings import all_lines, choose_closing
from deckgen.sales.fit import BAND_LABELS, Fit, score_fit, situation_label

__all__ = [
    "BAND_ORDER",
    "FIT_COLUMNS",
    "FitRanking",
    "FitRow",
    "ProspectRow",
    "UnrankedRow",
    "error_text",
    "rank_prospects",
    "top_reasons",
]

BAND_ORDER = ("A", "B", "qualify_first", "C", "walk_away")
FIT_COLUMNS = (
    "rank", "row", "id", "company", "score", "band", "confidence", "closing", "reasons", "industry_rule", "missing"
)  # fmt: skip


class ProspectRow(NamedTuple):
    """A prospect read from row ``row`` of a list (spreadsheet numbering: the header is row 1)."""

    row: int
    prospect: Prospect


@dataclass(frozen=True, slots=True)
class UnrankedRow:
    """A row that could not be ranked: unreadable, or its closing line could not be chosen."""

    row: int
    id: str
    company: str
    error: str
    error_field: str = ""


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
    industry_rule: str = ""  # how the industry matched: exact, synonym, adjacent, none, unknown, any
    missing: tuple[str, ...] = ()  # criteria whose data was unknown
    closing_text: str = ""  # the suggested closing line itself
    deck: str = ""  # the deck's file name a batch with the same --name would write

    def to_json(self) -> dict:
        """The row as plain JSON data (the band's label included)."""
        return {
            "row": self.row,
            "id": self.id,
            "company": self.company,
            "score": self.score,
            "band": self.band,
            "band_label": BAND_LABELS[self.band],
            "confidence": round(self.confidence, 3),
            "reasons": list(self.reasons),
            "closing": self.closing,
            "verdict": self.verdict,
            "industry_rule": self.industry_rule,
            "missing": list(self.missing),
        }


@dataclass
class FitRanking:
    """Prospects ranked best first, the rows that could not be ranked, and list-level warnings."""

    ranked: list[FitRow]
    failed: list[UnrankedRow]
    warnings: list[DeckgenWarning] = field(default_factory=list)
    source: dict = field(default_factory=dict)  # how the list was read (ProspectSource.summary), when known

    @property
    def walk_away(self) -> list[FitRow]:
        """The ranked prospects whose band is walk away, best first."""
        return [r for r in self.ranked if r.band == "walk_away"]

    def top(self, n: int | None = None) -> list[FitRow]:
        """The ``n`` best prospects (all of them without ``n``)."""
        return self.ranked[:n] if n else self.ranked

    def to_json(self, top: int | None = None) -> dict:
        """The ranking as a JSON document: ranked prospects, walk-away candidates and failed rows."""
        return {
            "prospects": [dict(rank=i, **r.to_json()) for i, r in enumerate(self.top(top), 1)],
            "walk_away": [{"row": r.row, "id": r.id, "company": r.company} for r in self.walk_away],
            "failed": [
                {"row": r.row, "id": r.id, "company": r.company, "field": r.error_field or None, "error": r.error}
                for r in self.failed
            ],
        }

    def csv_rows(self, top: int | None = None) -> list[list]:
        """The ranking as table rows under :data:`FIT_COLUMNS` (values as they are, not neutralised)."""
        return [
            [
                *(i, r.row, r.id, r.company, r.score, r.band, f"{r.confidence:.2f}", r.closing),
                *(" | ".join(r.reasons), r.industry_rule, " ".join(r.missing)),
            ]
            for i, r in enumerate(self.top(top), 1)
        ]


def top_reasons(fit: Fit, n: int = 2) -> tuple[str, ...]:
    """What decided the score: disqualifiers and failed must-haves first, then the criteria that
    earned the most of their weight (known data before partial credit)."""
    out = [f"Disqualified: the prospect {situation_label(s)}." for s in fit.disqualified_by]
    by_name = {c.name: c for c in fit.criteria}
    if fit.band == "qualify_first":
        out.append(fit.verdict)
    failed = [m for m in fit.must_have_failures if m in by_name and (by_name[m].known or fit.band != "qualify_first")]
    out += [f"Must-have not met: {by_name[m].reason}" for m in failed]
    ranked = sorted(fit.criteria, key=lambda c: (-float(c.share) * (1 if c.known else 0.5), -c.max_points))
    if fit.band == "walk_away" and not fit.disqualified_by:
        ranked = sorted(fit.criteria, key=lambda c: (float(c.share), -c.max_points))  # what went wrong
    out += [c.reason for c in ranked if c.name not in failed and c.reason not in out]  # a must-have once
    return tuple(out[:n])


def error_text(exc: DeckgenError) -> str:
    """An error's message without its file/row prefix (tables and reports show those in their own columns)."""
    text = str(exc)
    where = exc.where()
    if where and text.startswith(where + ": "):
        text = text[len(where) + 2 :]
    return text


def rank_prospects(
    profile: Profile,
    rows: Iterable[ProspectRow | UnrankedRow],
    library: list[ClosingLine],
    warnings: Iterable[DeckgenWarning] = (),
    deck_name: Callable[[Prospect, int, Fit], str] | None = None,
) -> FitRanking:
    """Score every prospect against the ICP and rank: band A first, walk-away last, then by score.

    Rows are taken in file order; unreadable ones (an :class:`UnrankedRow`) are passed through as failed.
    ``library`` is the bundled closing-line library (the profile's own lines come first);
    ``deck_name(prospect, row, fit)`` names each row's deck (the caller knows the naming rules).
    """
    lines = all_lines(profile, library)
    ranked: list[FitRow] = []
    failed: list[UnrankedRow] = []
    for item in rows:
        if isinstance(item, UnrankedRow):
            failed.append(item)
            continue
        row, p = item
        fit = score_fit(p, profile)
        try:
            line = choose_closing(p, profile, fit, lines=lines).line
        except InputError as exc:
            failed.append(UnrankedRow(row, p.id, p.company, error_text(exc), exc.field or ""))
            continue
        ranked.append(
            FitRow(
                *(row, p.id, p.company, fit.score, fit.band, fit.confidence, top_reasons(fit), line.id, fit.verdict),
                industry_rule=fit.criterion("industry").rule,
                missing=fit.missing,
                closing_text=line.text,
                deck=deck_name(p, row, fit) if deck_name is not None else "",
            )
        )
    ranked.sort(key=lambda r: (BAND_ORDER.index(r.band), -r.score, r.row))
    return FitRanking(ranked, failed, list(warnings))
