"""Learning fit weights from won and lost deals. Pure: the caller reads the export and scores the rows.

Each deal is a :class:`Deal`: its outcome (won or lost) and the share of the weight each criterion earned
(:func:`deckgen.sales.fit.score_fit`, ``CriterionResult.share``). :func:`calibrate` then

1. reports per criterion how outcomes differ: the mean share won deals earned, the mean share lost deals
   earned, and the difference (a criterion that won and lost deals score alike tells deals apart no better
   than a coin);
2. suggests weights: each criterion's difference on the training rows (none below 0) says how much weight it
   deserves; that evidence is blended with the current weights, the more so the more deals there are
   (``n / (n + PRIOR_DEALS)`` with ``n`` the smaller outcome's count), and rounded to whole points summing to 100;
3. back-tests the current and the suggested weights on held-out rows: every third deal of each outcome, in file
   order, is held out (deterministic), the rest train. It reports the AUC (the chance that a random won deal
   scores above a random lost one; 0.5 is chance) and the accuracy at the score threshold that separates the
   training rows best.

Fewer than :data:`SMALL_SAMPLE` deals of either outcome is reported as a small sample: the suggestion then
stays close to the current weights and the back-test says little.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

__all__ = [
    "OUTCOME_COLUMNS",
    "SMALL_SAMPLE",
    "Calibration",
    "CriterionStats",
    "Deal",
    "auc",
    "calibrate",
    "outcome_of",
    "weights_snippet",
]

SMALL_SAMPLE = 30  # deals per outcome below which the sample is called small
PRIOR_DEALS = 30  # how many deals the current weights count as, when blended with the evidence
HOLD_OUT_EVERY = 3  # every third deal of each outcome is held out for the back-test

# the outcome column as each CRM's export names it, in the order they are looked for
OUTCOME_COLUMNS = (
    "Deal Stage",  # HubSpot: closedwon / closedlost (or the stage's label)
    "Deal - Status",  # Pipedrive: won / lost / open
    "Stage",  # Salesforce, Zoho: Closed Won / Closed Lost / Closed Lost (Lost to Competition)
    "Stage Name",
    "StageName",  # Salesforce Data Loader
    "Status",  # Dynamics 365 opportunities: Won / Lost / Open
    "Status Reason",
    "Outcome",
    "Deal Status",
    "Result",
    "Won/Lost",
)
_WON = {"won", "closedwon", "closed won", "closed - won", "closed-won", "win"}
_LOST = {"lost", "closedlost", "closed lost", "closed - lost", "closed-lost", "loss", "lose"}


def outcome_of(value: str) -> str | None:
    """``'Closed Won'``/``'closedwon'``/``'won'`` → 'won'; ``'Closed Lost (Lost to Competition)'`` → 'lost';
    an open stage, an empty cell or anything else → None."""
    text = " ".join(re.sub(r"[_]+", " ", str(value or "")).casefold().split())
    if not text:
        return None
    base = re.sub(r"\s*\(.*\)$", "", text).strip()  # Zoho: "Closed Lost (Lost to Competition)"
    if base in _WON:
        return "won"
    if base in _LOST or base.startswith(("closed lost", "closed-lost", "closedlost")):
        return "lost"
    return None


@dataclass(frozen=True)
class Deal:
    """One closed deal: its outcome and the share (0..1) of the weight each criterion earned."""

    row: int
    outcome: str  # "won" or "lost"
    shares: dict[str, float]


@dataclass(frozen=True)
class CriterionStats:
    name: str
    won: float  # mean share of its weight won deals earned
    lost: float
    current: int  # weight now
    suggested: int

    @property
    def difference(self) -> float:
        return self.won - self.lost


@dataclass(frozen=True)
class BackTest:
    """How well a set of weights separates won from lost on the held-out rows."""

    auc: float | None  # None when the held-out rows lack an outcome
    accuracy: float | None
    threshold: float | None  # the score (0-100) chosen on the training rows


@dataclass
class Calibration:
    won: int
    lost: int
    criteria: list[CriterionStats]
    current: dict[str, int]
    suggested: dict[str, int]
    old_test: BackTest
    new_test: BackTest
    train: int
    held_out: int
    notes: list[str] = field(default_factory=list)

    @property
    def small_sample(self) -> bool:
        return min(self.won, self.lost) < SMALL_SAMPLE


def score(deal: Deal, weights: dict[str, int]) -> float:
    """The deal's fit score (0-100) under ``weights``."""
    total = sum(weights.values())
    if total <= 0:
        return 0.0
    return 100 * sum(weights[n] * deal.shares.get(n, 0.0) for n in weights) / total


def auc(won: list[float], lost: list[float]) -> float | None:
    """The chance a random won score beats a random lost one (ties count half); None without both."""
    if not won or not lost:
        return None
    wins = 0.0
    for w in won:
        for lo in lost:
            wins += 1.0 if w > lo else 0.5 if w == lo else 0.0
    return wins / (len(won) * len(lost))


def _best_threshold(deals: list[Deal], weights: dict[str, int]) -> float | None:
    """The score at or above which calling a deal 'won' is right most often on these deals."""
    scored = sorted((score(d, weights), d.outcome) for d in deals)
    if not scored:
        return None
    best, best_right = None, -1
    for threshold in sorted({s for s, _ in scored}) + [101.0]:
        right = sum(1 for s, o in scored if (s >= threshold) == (o == "won"))
        if right > best_right:
            best, best_right = threshold, right
    return best


def _back_test(train: list[Deal], test: list[Deal], weights: dict[str, int]) -> BackTest:
    won = [score(d, weights) for d in test if d.outcome == "won"]
    lost = [score(d, weights) for d in test if d.outcome == "lost"]
    threshold = _best_threshold(train, weights)
    accuracy = None
    if test and threshold is not None:
        accuracy = sum(1 for d in test if (score(d, weights) >= threshold) == (d.outcome == "won")) / len(test)
    return BackTest(auc(won, lost), accuracy, threshold)


def _mean(values: list[float]) -> float:
    return sum(values) / len(values) if values else 0.0


def _round_to(total: int, raw: dict[str, float]) -> dict[str, int]:
    """Whole numbers summing to ``total``, largest remainders first (ties in criterion order)."""
    mass = sum(raw.values())
    if mass <= 0:
        return {n: 0 for n in raw}
    exact = {n: total * v / mass for n, v in raw.items()}
    out = {n: int(v) for n, v in exact.items()}
    order = sorted(raw, key=lambda n: -(exact[n] - out[n]))
    for n in order[: total - sum(out.values())]:
        out[n] += 1
    return out


def _suggest(train: list[Deal], current: dict[str, int]) -> dict[str, int]:
    won = [d for d in train if d.outcome == "won"]
    lost = [d for d in train if d.outcome == "lost"]
    evidence = {n: max(_mean([d.shares[n] for d in won]) - _mean([d.shares[n] for d in lost]), 0.0) for n in current}
    prior_mass = sum(current.values()) or 1
    prior = {n: w / prior_mass for n, w in current.items()}
    mass = sum(evidence.values())
    if mass <= 0:
        return _round_to(100, prior)
    n = min(len(won), len(lost))
    trust = n / (n + PRIOR_DEALS)
    blended = {c: (1 - trust) * prior[c] + trust * evidence[c] / mass for c in current}
    return _round_to(100, blended)


def calibrate(deals: list[Deal], current: dict[str, int]) -> Calibration:
    """Compare won with lost deals per criterion, suggest weights and back-test them (see the module docstring)."""
    won = [d for d in deals if d.outcome == "won"]
    lost = [d for d in deals if d.outcome == "lost"]
    train: list[Deal] = []
    test: list[Deal] = []
    for group in (won, lost):
        for i, deal in enumerate(group):
            (test if i % HOLD_OUT_EVERY == HOLD_OUT_EVERY - 1 else train).append(deal)
    suggested = _suggest(train, current)
    stats = [
        CriterionStats(
            name,
            _mean([d.shares.get(name, 0.0) for d in won]),
            _mean([d.shares.get(name, 0.0) for d in lost]),
            current[name],
            suggested[name],
        )
        for name in current
    ]
    result = Calibration(
        won=len(won),
        lost=len(lost),
        criteria=stats,
        current=dict(current),
        suggested=suggested,
        old_test=_back_test(train, test, current),
        new_test=_back_test(train, test, suggested),
        train=len(train),
        held_out=len(test),
    )
    if result.small_sample:
        result.notes.append(
            f"small sample: {len(won)} won and {len(lost)} lost deals (fewer than {SMALL_SAMPLE} of "
            f"{'each' if max(len(won), len(lost)) < SMALL_SAMPLE else 'one'} outcome); the suggestion stays "
            "close to your current weights and the back-test says little. Add more closed deals."
        )
    old_auc, new_auc = result.old_test.auc, result.new_test.auc
    if old_auc is not None and new_auc is not None and new_auc < old_auc + 0.01:
        result.notes.append(
            f"the suggested weights separate the held-out deals no better than your current ones "
            f"(AUC {new_auc:.2f} against {old_auc:.2f}); keeping your weights is as good"
        )
    return result


def weights_snippet(calibration: Calibration, source: str) -> str:
    """The ``icp.weights`` block of a profile, as YAML text to paste over the profile's own."""
    lines = [
        f"# Fit weights suggested by `deckgen calibrate` from {calibration.won} won and "
        f"{calibration.lost} lost deals in {source}.",
        "# Paste over icp.weights in your profile after reviewing them; deckgen never changes the profile itself.",
    ]
    if calibration.small_sample:
        lines.append("# Small sample: treat these as a hint, not a finding.")
    lines += ["icp:", "  weights:"]
    lines += [f"    {name}: {weight}" for name, weight in calibration.suggested.items()]
    return "\n".join(lines) + "\n"
