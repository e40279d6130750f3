"""Score a prospect against the MSP's ideal-client profile (ICP). Pure and deterministic.

Seven criteria, each worth its weight from ``icp.weights`` (defaults 20/20/15/15/10/10/10).
A criterion earns a *share* of its weight; the shares are the DESIGN.md table scaled
proportionally to the weight (industry "adjacent" is half the industry weight, whatever it is):

=================  ==========================================================================
criterion          share of the weight
=================  ==========================================================================
industry           in ``icp.industries`` 1 · in ``adjacent_industries`` 1/2 · other 0 ·
                   unknown 3/10. No industries listed in the ICP → any industry earns 1.
                   Matching is case-insensitive on normalised words ("Dental practice" and
                   "Dentistry" match "dental"); see :func:`industry_matches`.
size               users (or endpoints when users are unknown) inside ``icp.size`` 1 · within
                   25 % of either end 1/2 · further out 0 · unknown 3/10
it_model           break-fix or none: with pain 1, pain unknown 2/3, no pain 1/3 ·
                   in-house: with pain 2/3, pain unknown 1/3, no pain 0 ·
                   co-managed: 2/3, or 1/3 if they say it works (no pain) ·
                   other MSP: unhappy (pain) 2/3, otherwise 1/3 · unknown 3/10
compliance         every framework the prospect needs is covered by ``icp.compliance`` 1 ·
                   some covered: the covered share · none covered 0 ·
                   the prospect says ``compliance: [none]``: 1/2 (nothing to cover, but no
                   regulatory reason to buy; 1 if the ICP lists no frameworks either) ·
                   nothing recorded: unknown 3/10
geography          city or region in ``geography.onsite_regions`` 1 · country served and
                   ``remote_ok`` 1/2 · country not served (or remote not offered) 0 ·
                   unknown 3/10
budget             ``budget_per_user_month`` at or above ``budget_floor_per_user_month`` 1 ·
                   within 20 % below 1/2 · lower 0 · unknown 3/10 · no floor in the ICP 1
decision_maker     an ``economic_buyer`` among ``decision_makers`` 1 · influencers or
                   technical contacts only 1/2 · none known (or roles unknown) 3/10
=================  ==========================================================================

Score = round-half-up(100 × points / sum of weights), an int 0–100. Confidence = the share of
the total weight whose data was known. Bands: ≥ 80 A, 60–79 B, 40–59 C, < 40 walk away.

Must-haves (``icp.must_haves``, criterion names): each must earn **at least half its weight**.
Unknown data (3/10) therefore fails a must-have: what cannot be confirmed is not assumed.
A failed must-have caps the band at C (a walk-away score stays walk-away).

Disqualifiers (``icp.disqualifiers``, situation names) found in ``prospect.situations`` force
the band to walk away whatever the score.

Arithmetic is exact (fractions) so band edges never wobble with floating point.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from fractions import Fraction

from deckgen.errors import InputError
from deckgen.model import Icp, ItModel, Prospect
from deckgen.sales.locales import country_code
from deckgen.sales.matching import compact, framework_key, framework_name, industry_matches, place_matches

CRITERIA: tuple[str, ...] = ("industry", "size", "it_model", "compliance", "geography", "budget", "decision_maker")
LABELS: dict[str, str] = {
    "industry": "Industry",
    "size": "Size",
    "it_model": "Current IT model",
    "compliance": "Compliance needs",
    "geography": "Geography",
    "budget": "Budget",
    "decision_maker": "Decision maker",
}
BAND_LABELS: dict[str, str] = {
    "A": "A — pitch",
    "B": "B — pitch with the takeaway close",
    "C": "C — nurture",
    "walk_away": "Walk away",
}
UNKNOWN = Fraction(3, 10)
HALF = Fraction(1, 2)
SIZE_TOLERANCE = Fraction(1, 4)
BUDGET_TOLERANCE = Fraction(1, 5)

# Human wording for situations (closing triggers and typical disqualifiers).
SITUATION_LABELS: dict[str, str] = {
    "break_fix": "pays for IT only when something breaks",
    "outdated_systems": "runs outdated systems",
    "refuses_security": "refuses the minimum security standards",
    "price_shopper": "is shopping on price alone",
    "wants_cheapest": "wants the cheapest option",
    "wants_break_fix_only": "wants break-fix support only",
    "no_decision_maker": "has no decision maker in the conversation",
    "scope_creep": "keeps widening the scope",
    "diy_it": "does its IT itself",
    "compliance_risk": "carries compliance risk nobody owns",
    "slow_decision": "keeps delaying the decision",
    "happy_with_current": "is happy with its current provider",
    "poor_fit": "does not fit your ideal client profile",
}


def situation_label(situation: str) -> str:
    """``refuses_security`` → "refuses the minimum security standards"; unknown ones de-snaked."""
    return SITUATION_LABELS.get(situation, situation.replace("_", " "))


@dataclass(frozen=True)
class CriterionResult:
    """How one criterion scored."""

    name: str
    label: str
    share: Fraction  # of the weight, 0..1
    max_points: int
    reason: str
    known: bool

    @property
    def points(self) -> Fraction:
        return self.share * self.max_points

    def to_context(self) -> dict:
        return {
            "name": self.name,
            "label": self.label,
            "points": _num(self.points),
            "max_points": self.max_points,
            "reason": self.reason,
            "known": self.known,
        }


@dataclass(frozen=True)
class Fit:
    """A prospect scored against the ICP."""

    score: int
    band: str
    verdict: str
    confidence: float
    criteria: tuple[CriterionResult, ...]
    disqualified_by: tuple[str, ...] = ()  # situation ids
    must_have_failures: tuple[str, ...] = ()  # criterion names
    raw_band: str = ""  # the band the score alone gives (before caps/disqualifiers)

    @property
    def band_label(self) -> str:
        return BAND_LABELS[self.band]

    def criterion(self, name: str) -> CriterionResult:
        for c in self.criteria:
            if c.name == name:
                return c
        raise KeyError(name)

    def to_context(self) -> dict:
        by_name = {c.name: c for c in self.criteria}
        return {
            "score": self.score,
            "band": self.band,
            "band_label": self.band_label,
            "verdict": self.verdict,
            "confidence": self.confidence,
            "criteria": [c.to_context() for c in self.criteria],
            "disqualified_by": [situation_label(s) for s in self.disqualified_by],
            "must_have_failures": [f"{by_name[n].label}: {by_name[n].reason}" for n in self.must_have_failures],
        }


def _num(value: Fraction) -> int | float:
    """An exact points value as an int when whole, else a float rounded to one decimal."""
    if value.denominator == 1:
        return int(value)
    return round(float(value), 1)


def _round_half_up(value: Fraction) -> int:
    return int((value + HALF) // 1)


def band_for(score: int) -> str:
    """≥ 80 A, 60–79 B, 40–59 C, < 40 walk away."""
    if score >= 80:
        return "A"
    if score >= 60:
        return "B"
    if score >= 40:
        return "C"
    return "walk_away"


# --------------------------------------------------------------------------- the criteria


def _industry(p: Prospect, icp: Icp) -> tuple[Fraction, str, bool]:
    if not icp.industries and not icp.adjacent_industries:
        return Fraction(1), "Your profile names no target industries, so any industry fits.", True
    if not p.industry:
        return UNKNOWN, "Industry unknown; partial credit.", False
    for term in icp.industries:
        if industry_matches(p.industry, term):
            return Fraction(1), f"{p.industry} is one of your industries ({term}).", True
    for term in icp.adjacent_industries:
        if industry_matches(p.industry, term):
            return HALF, f"{p.industry} is adjacent to your industries ({term}).", True
    return Fraction(0), f"{p.industry} is not one of your industries.", True


def _size(p: Prospect, icp: Icp) -> tuple[Fraction, str, bool]:
    lo, hi = icp.size.min_users, icp.size.max_users
    if p.size.users is not None:
        n, unit = p.size.users, "users"
    elif p.size.endpoints is not None:
        n, unit = p.size.endpoints, "endpoints"
    else:
        return UNKNOWN, "Number of users unknown; partial credit.", False
    span = f"{lo}–{hi}"
    if lo <= n <= hi:
        return Fraction(1), f"{n} {unit} is inside your {span} range.", True
    if lo * (1 - SIZE_TOLERANCE) <= n <= hi * (1 + SIZE_TOLERANCE):
        return HALF, f"{n} {unit} is just outside your {span} range (within 25 %).", True
    side = "below" if n < lo else "above"
    return Fraction(0), f"{n} {unit} is well {side} your {span} range.", True


def _it_model(p: Prospect, icp: Icp) -> tuple[Fraction, str, bool]:
    m, pain = p.it_model, p.it_pain
    pain_text = {True: "and it is hurting them", False: "and they say it works", None: "(pain unknown)"}[pain]
    if m == ItModel.unknown:
        return UNKNOWN, "Current IT model unknown; partial credit.", False
    if m in (ItModel.break_fix, ItModel.none):
        share = {True: Fraction(1), None: Fraction(2, 3), False: Fraction(1, 3)}[pain]
        what = "break-fix IT" if m == ItModel.break_fix else "no IT support"
        return share, f"They have {what} {pain_text}.", True
    if m == ItModel.in_house:
        share = {True: Fraction(2, 3), None: Fraction(1, 3), False: Fraction(0)}[pain]
        return share, f"They run IT in-house {pain_text}.", True
    if m == ItModel.co_managed:
        share = Fraction(1, 3) if pain is False else Fraction(2, 3)
        return share, f"They are co-managed {pain_text}.", True
    # other MSP
    share = Fraction(2, 3) if pain is True else Fraction(1, 3)
    mood = {True: "and are unhappy with it", False: "and are happy with it", None: "(satisfaction unknown)"}[pain]
    return share, f"They already have an MSP {mood}.", True


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _compliance(p: Prospect, icp: Icp) -> tuple[Fraction, str, bool]:
    needed = [c for c in p.compliance if c]
    covered_keys = {framework_key(c) for c in icp.compliance}
    if not needed:
        return UNKNOWN, "Compliance needs unknown; partial credit.", False
    if all(framework_key(c) in {"none", "no", "na"} for c in needed):
        if not icp.compliance:
            return Fraction(1), "No compliance needs, and your profile targets none.", True
        return HALF, "No compliance needs: nothing to cover, but no regulatory reason to buy.", True
    needed = [c for c in needed if framework_key(c) not in {"none", "no", "na"}]
    names = [framework_name(c, icp) for c in needed]
    covered = [n for c, n in zip(needed, names) if framework_key(c) in covered_keys]
    missing = [n for c, n in zip(needed, names) if framework_key(c) not in covered_keys]
    if not missing:
        return Fraction(1), f"You cover what they need: {_and(names)}.", True
    if not covered:
        return Fraction(0), f"You do not cover {_and(missing)}.", True
    return (Fraction(len(covered), len(needed)), f"You cover {_and(covered)} but not {_and(missing)}.", True)


def _geography(p: Prospect, icp: Icp) -> tuple[Fraction, str, bool]:
    geo = icp.geography
    loc = p.location
    if not (loc.city or loc.region or loc.country):
        return UNKNOWN, "Location unknown; partial credit.", False
    where = ", ".join(x for x in (loc.city, loc.region, loc.country) if x)
    if loc.country and geo.countries:
        served = {country_code(c) or compact(c) for c in geo.countries}
        country_served = (country_code(loc.country) or compact(loc.country)) in served
    else:
        country_served = True  # no country list means anywhere; no country given means assume served
    if not country_served:
        return Fraction(0), f"{where} is outside the countries you serve.", True
    for term in geo.onsite_regions:
        if place_matches(loc.city, term) or place_matches(loc.region, term):
            return Fraction(1), f"{where} is inside your on-site area ({term}).", True
    if geo.remote_ok:
        return HALF, f"{where} is outside your on-site area: remote service only.", True
    return Fraction(0), f"{where} is outside your on-site area and you do not serve remotely.", True


def _budget(p: Prospect, icp: Icp) -> tuple[Fraction, str, bool]:
    floor = icp.budget_floor_per_user_month
    if floor is None:
        return Fraction(1), "Your profile sets no budget floor.", True
    budget = p.budget_per_user_month
    if budget is None:
        return UNKNOWN, "Budget unknown; partial credit.", False
    b, f = Fraction(str(budget)), Fraction(str(floor))
    if b >= f:
        return Fraction(1), f"Budget {budget:g} per user a month meets your floor of {floor:g}.", True
    if b >= f * (1 - BUDGET_TOLERANCE):
        return HALF, f"Budget {budget:g} per user a month is within 20 % of your floor of {floor:g}.", True
    return Fraction(0), f"Budget {budget:g} per user a month is well below your floor of {floor:g}.", True


def _decision_maker(p: Prospect, icp: Icp) -> tuple[Fraction, str, bool]:
    roles = [d.role for d in p.decision_makers]
    buyers = [d for d in p.decision_makers if d.role == "economic_buyer"]
    if buyers:
        who = buyers[0].name + (f", {buyers[0].title}" if buyers[0].title else "")
        return Fraction(1), f"The economic buyer is known ({who}).", True
    if any(r in ("influencer", "technical") for r in roles):
        return HALF, "Only influencers are known; the person who signs is not in the conversation.", True
    if roles:
        return UNKNOWN, "Contacts known, but not who decides; partial credit.", False
    return UNKNOWN, "Decision makers unknown; partial credit.", False


_SCORERS = {
    "industry": _industry,
    "size": _size,
    "it_model": _it_model,
    "compliance": _compliance,
    "geography": _geography,
    "budget": _budget,
    "decision_maker": _decision_maker,
}


def _norm_name(text: str) -> str:
    return re.sub(r"[\s-]+", "_", text.strip()).lower()


# --------------------------------------------------------------------------- the score


def score_fit(prospect: Prospect, icp: Icp) -> Fit:
    """Score ``prospect`` against ``icp``; see the module docstring for the scheme.

    Raises InputError when the ICP's weights are all zero or a must-have names no criterion.
    """
    weights = icp.weights.model_dump()
    total = sum(weights[n] for n in CRITERIA)
    if total == 0:
        raise InputError("all fit weights are 0; give at least one criterion a weight", field="icp.weights")
    must_haves = []
    for name in icp.must_haves:
        key = _norm_name(name)
        if key not in _SCORERS:
            raise InputError(f"unknown must-have '{name}'; use one of {', '.join(CRITERIA)}", field="icp.must_haves")
        if key not in must_haves:
            must_haves.append(key)

    results = []
    for name in CRITERIA:
        share, reason, known = _SCORERS[name](prospect, icp)
        results.append(
            CriterionResult(
                name=name, label=LABELS[name], share=share, max_points=weights[name], reason=reason, known=known
            )
        )

    points = sum((r.points for r in results), Fraction(0))
    score = _round_half_up(points * 100 / total)
    confidence = round(sum(r.max_points for r in results if r.known) / total, 2)
    raw_band = band_for(score)

    by_name = {r.name: r for r in results}
    failures = tuple(n for n in must_haves if by_name[n].share < HALF)
    situations = {_norm_name(s) for s in prospect.situations}
    disqualified = tuple(d for d in dict.fromkeys(_norm_name(x) for x in icp.disqualifiers) if d in situations)

    band = raw_band
    if disqualified:
        band = "walk_away"
    elif failures and band in ("A", "B"):
        band = "C"
    verdict = _verdict(score, band, raw_band, confidence, disqualified, failures, by_name)
    return Fit(
        score=score,
        band=band,
        verdict=verdict,
        confidence=confidence,
        criteria=tuple(results),
        disqualified_by=disqualified,
        must_have_failures=failures,
        raw_band=raw_band,
    )


def _verdict(score, band, raw_band, confidence, disqualified, failures, by_name) -> str:
    if disqualified:
        why = " and ".join(situation_label(s) for s in disqualified)
        return f"Walk away: the prospect {why}; a clear no protects your service and your team."
    if failures and raw_band != band:
        names = " and ".join(by_name[n].label.lower() for n in failures)
        verb = "is" if len(failures) == 1 else "are"
        return (
            f"Nurture, do not pitch yet: {score}/100 would be band {raw_band}, "
            f"but the must-have {names} {verb} not met."
        )
    caveat = ""
    if confidence < 0.7:
        caveat = f"; only {round(confidence * 100)} % of the data is known, so confirm it in discovery"
    if band == "A":
        return f"Strong fit at {score}/100: pitch with confidence{caveat}."
    if band == "B":
        return f"Good fit with gaps at {score}/100: pitch, and keep the walk-away close ready{caveat}."
    if band == "C":
        return f"Weak fit at {score}/100: nurture them and revisit rather than discount to win{caveat}."
    return f"Walk away: {score}/100 against your ideal client profile is too far from a good client{caveat}."
