"""Score a prospect against the MSP's ideal-client profile (ICP). Pure and deterministic.

Seven criteria, each worth its weight from ``icp.weights`` (defaults 20/20/15/15/10/10/10).
A criterion earns a *share* of its weight; the shares are the DESIGN.md table scaled
proportionally to the weight (industry "adjacent" is half the industry weight, whatever it is):

=================  ==========================================================================
criterion          share of the weight
=================  ==========================================================================
industry           one of ``icp.industries`` (exact vertical, or a CRM synonym / NAICS code /
                   narrower kind of it) 1 · adjacent (in ``adjacent_industries``, a taxonomy
                   neighbour, or the broader CRM category) 1/2 · other 0 · unknown ("", "Other",
                   "N/A") 3/10. No industries listed in the ICP → any industry earns 1. See
                   :mod:`deckgen.sales.taxonomy`; words it does not know match word by word.
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
budget             ``budget_per_user_month`` (else ``numbers.it_spend_per_month`` over the users,
                   the reason saying so) at or above ``budget_floor_per_user_month`` 1 ·
                   within 20 % below 1/2 · lower 0 · unknown 3/10 · no floor in the ICP 1.
                   Scored with the profile, a budget in another currency is converted with
                   ``exchange_rates`` first (no rate: unknown, with a reason saying so). A budget
                   far outside the MSP's prices (:mod:`deckgen.sales.budget`) is a likely unit
                   mistake: unknown 3/10, the reason a warning that says what to check.
decision_maker     an ``economic_buyer`` among ``decision_makers`` 1 · influencers or
                   technical contacts only 1/2 · none known (or roles unknown) 3/10
=================  ==========================================================================

Score = round-half-up(100 × points / sum of weights), an int 0–100. Confidence = the share of
the total weight whose data was known. Bands: ≥ 80 A, 60–79 B, 40–59 C, < 40 walk away.

Too little data is never a walk-away: below ``icp.min_confidence`` (default 0.5) the band is
``qualify_first`` and the verdict names the missing criteria. Walk away needs evidence: a
disqualifier, or a score under 40 with at least ``min_confidence`` of the data known.

Must-haves (``icp.must_haves``, criterion names): each must earn **at least half its weight**.
A must-have that fails on known data caps the band at C (a walk-away score stays walk-away);
one that is simply unknown makes the band ``qualify_first`` (what cannot be confirmed is
neither assumed nor held against the prospect).

Disqualifiers (``icp.disqualifiers``, situation names) found in ``prospect.situations`` force
the band to walk away whatever the score or the confidence. So does a country outside
``icp.geography.countries`` (when the profile lists them): the MSP does not pitch a market it
does not serve, it refers the prospect (``Fit.unserved_country`` names the country).

Arithmetic is exact (fractions) so band edges never wobble with floating point.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from fractions import Fraction

from deckgen.errors import DeckgenError, InputError
from deckgen.model import Icp, Profile, Prospect
from deckgen.sales.budget import price_band
from deckgen.sales.criteria import HALF, SCORERS, MoneyView, unserved_country
from deckgen.sales.matching import industry_matches
from deckgen.sales.offers import Offers
from deckgen.sales.pricing import recommended_price

__all__ = [
    "BAND_LABELS",
    "CRITERIA",
    "LABELS",
    "CriterionResult",
    "Fit",
    "band_for",
    "industry_matches",
    "money_view",
    "score_fit",
    "situation_label",
]

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
    "qualify_first": "Qualify first",
    "walk_away": "Walk away",
}

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
    "outside_service_area": "is in a country you do not serve",
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
    rule: str = ""  # industry: exact, synonym, adjacent, none, unknown or any; budget: stated, spend, implausible

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
    missing: tuple[str, ...] = ()  # criterion names whose data was unknown, heaviest first
    unserved_country: str = ""  # the prospect's country when the profile does not serve it (walk away, refer)

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
            "must_have_failures": [
                _full_stop(f"{by_name[n].label}: {by_name[n].reason}") for n in self.must_have_failures
            ],
            "unserved_country": self.unserved_country,
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


_SEPARATORS = re.compile(r"[\s-]+")


def _norm_name(text: str) -> str:
    return _SEPARATORS.sub("_", text.strip()).lower()


# --------------------------------------------------------------------------- the score


def _full_stop(text: str) -> str:
    """A sentence ends with one stop: reasons already carry theirs."""
    text = text.rstrip()
    return text if text.endswith((".", "!", "?")) else text + "."


def money_view(prospect: Prospect, profile: Profile, offers: Offers | None = None) -> MoneyView:
    """How the prospect's money compares with the profile's: their deck currency, the MSP's, and the rate.

    ``offers`` is :func:`deckgen.sales.offers.fitted_offers` of the prospect, when the caller has it already.
    """
    from deckgen.sales.locales import resolve_locale

    base = profile.msp.currency
    try:
        locale, currency = resolve_locale(prospect, profile)
    except DeckgenError:
        locale, currency = "", prospect.currency or base
    band = price_band(profile, profile.icp)
    rate = 1.0 if currency == base else profile.exchange_rates.get(currency)
    plan = None if rate is None else recommended_price(profile, prospect, currency, Fraction(str(rate)), offers)
    return MoneyView(currency, base, rate, band, plan, locale)


def score_fit(prospect: Prospect, icp: Icp | Profile, money: MoneyView | None = None) -> Fit:
    """Score ``prospect`` against an ICP (or a whole profile); see the module docstring for the scheme.

    Given the profile, budgets in another currency are converted with its ``exchange_rates``
    before they meet the floor (``money`` is :func:`money_view` of the prospect and that profile,
    when the caller has it already); given only the ICP, amounts are compared as they are.
    Raises InputError when the ICP's weights are all zero or a must-have names no criterion.
    """
    if isinstance(icp, Profile):
        money = money if money is not None else money_view(prospect, icp)
        icp = icp.icp
    else:
        money = MoneyView()
    weights = icp.weights.model_dump()
    total = sum(weights[n] for n in CRITERIA)
    if total == 0:
        raise InputError(
            "all fit weights are 0; give at least one criterion a weight", field="icp.weights", source="profile"
        )
    must_haves = []
    for name in icp.must_haves:
        key = _norm_name(name)
        if key not in SCORERS:
            raise InputError(
                f"unknown must-have '{name}'; use one of {', '.join(CRITERIA)}",
                field="icp.must_haves",
                source="profile",
            )
        if key not in must_haves:
            must_haves.append(key)

    results = []
    for name in CRITERIA:
        r = SCORERS[name](prospect, icp, money)
        results.append(CriterionResult(name, LABELS[name], r.share, weights[name], r.reason, r.known, r.rule))

    points = sum((r.points for r in results), Fraction(0))
    score = _round_half_up(points * 100 / total)
    confidence = round(sum(r.max_points for r in results if r.known) / total, 2)
    raw_band = band_for(score)
    missing = tuple(r.name for r in sorted(results, key=lambda r: -r.max_points) if not r.known and r.max_points)

    by_name = {r.name: r for r in results}
    failures = tuple(n for n in must_haves if by_name[n].share < HALF)
    unconfirmed = tuple(n for n in failures if not by_name[n].known)
    situations = {_norm_name(s) for s in prospect.situations}
    disqualified = tuple(d for d in dict.fromkeys(_norm_name(x) for x in icp.disqualifiers) if d in situations)

    low_data = confidence < icp.min_confidence
    unserved = unserved_country(prospect, icp)
    band = raw_band
    if disqualified or unserved:
        band = "walk_away"
    elif low_data or (unconfirmed and raw_band != "walk_away"):
        band = "qualify_first"
    elif failures and band in ("A", "B"):
        band = "C"
    fit = Fit(
        score=score,
        band=band,
        verdict="",
        confidence=confidence,
        criteria=tuple(results),
        disqualified_by=disqualified,
        must_have_failures=failures,
        raw_band=raw_band,
        missing=missing,
        unserved_country=unserved,
    )
    return replace(fit, verdict=_verdict(fit, unconfirmed, low_data, by_name))


def _lower(label: str) -> str:
    return label[:1].lower() + label[1:]


def _verdict(fit: Fit, unconfirmed: tuple[str, ...], low_data: bool, by_name: dict[str, CriterionResult]) -> str:
    score, band, raw_band, confidence = fit.score, fit.band, fit.raw_band, fit.confidence
    if fit.disqualified_by:
        why = " and ".join(situation_label(s) for s in fit.disqualified_by)
        return f"Walk away: the prospect {why}; a clear no protects your service and your team."
    if fit.unserved_country:
        return (
            f"Walk away and refer: {fit.unserved_country} is not among the countries you serve. Introduce a "
            "provider there, or add it to icp.geography.countries if you do serve it."
        )
    if band == "qualify_first":
        missing = ", ".join(_lower(by_name[n].label) for n in fit.missing) or "nothing"
        if not low_data:
            names = " and ".join(_lower(by_name[n].label) for n in unconfirmed)
            verb = "is" if len(unconfirmed) == 1 else "are"
            return f"Qualify first: the must-have {names} {verb} not known yet; confirm before you pitch ({missing})."
        return (
            f"Qualify first: only {round(confidence * 100)}% of the data is known, too little to pitch or "
            f"walk away; find out {missing}."
        )
    if fit.must_have_failures and raw_band != band:
        names = " and ".join(_lower(by_name[n].label) for n in fit.must_have_failures)
        verb = "is" if len(fit.must_have_failures) == 1 else "are"
        return (
            f"Nurture, do not pitch yet: {score}/100 would be band {raw_band}, "
            f"but the must-have {names} {verb} not met."
        )
    caveat = ""
    if confidence < 0.7:
        caveat = f"; only {round(confidence * 100)}% of the data is known, so confirm it in discovery"
    if band == "A":
        return f"Strong fit at {score}/100: pitch with confidence{caveat}."
    if band == "B":
        return f"Good fit with gaps at {score}/100: pitch, and keep the walk-away close ready{caveat}."
    if band == "C":
        return f"Weak fit at {score}/100: nurture them and revisit rather than discount to win{caveat}."
    return f"Walk away: {score}/100 against your ideal client profile is too far from a good client{caveat}."
