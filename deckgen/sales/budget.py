"""The prospect's budget per user a month: where it comes from, and whether it is plausible at all. Pure.

The budget is the one the prospect states (``budget_per_user_month``) or, when they state none, what
they spend on IT today (``numbers.it_spend_per_month``) over their users (or endpoints). Either is in
the prospect's currency; :mod:`deckgen.sales.criteria` converts it to the MSP's before it meets the
floor.

A figure far outside anything the MSP sells is most likely a unit mistake (a year for a month, the
company's total for one user, another currency), not a fact about the prospect: under
:data:`IMPLAUSIBLY_LOW` of the cheapest per-user price (or the floor, whichever is lower), or over
:data:`IMPLAUSIBLY_HIGH` times the top one (or the floor, whichever is higher). Such a budget is a
data-quality warning for the seller, scored as unknown, never as a bad fit.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from functools import cache, lru_cache

from deckgen.model import Icp, Profile, Prospect
from deckgen.sales.locales import make_filters
from deckgen.sales.pricing import PlanPrice, price_point

IMPLAUSIBLY_LOW = Fraction(1, 5)  # a budget under a fifth of the cheapest per-user price is a typo
IMPLAUSIBLY_HIGH = 20  # … and over twenty times the top per-user price too
_PER_USER_UNITS = ("per_user_month", "per_device_month")  # a device a user, roughly
UNITS_HINT = "per month or per year, per user or for the whole company, and in which currency?"


@dataclass(frozen=True)
class BudgetBasis:
    """A budget per user a month in the prospect's currency, and where it came from."""

    per_user: Fraction
    source: str  # "stated" (budget_per_user_month) or "spend" (it_spend_per_month over the users)
    spend: Fraction | None = None  # the spend a month, when the source is "spend"
    users: int | None = None  # the users (or endpoints) the spend was divided by
    unit: str = "users"


@dataclass(frozen=True)
class PriceBand:
    """What the MSP charges per user a month, in its own currency: the cheapest and the top offer."""

    low: Fraction
    low_label: str  # "your cheapest plan" or "your budget floor"
    high: Fraction
    high_label: str  # "your full price list" or "your budget floor"


def budget_basis(prospect: Prospect) -> BudgetBasis | None:
    """The stated budget, else the current IT spend per user (or endpoint); None when neither is known."""
    if prospect.budget_per_user_month is not None:
        return BudgetBasis(Fraction(str(prospect.budget_per_user_month)), "stated")
    spend = prospect.numbers.it_spend_per_month
    if spend is None:
        return None
    users, unit = prospect.size.users, "users"
    if not users:
        users, unit = prospect.size.endpoints, "endpoints"
    if not users:
        return None
    total = Fraction(str(spend))
    return BudgetBasis(total / users, "spend", total, users, unit)


def _per_user(services: list[tuple[str, float, str, bool]]) -> Fraction:
    return sum((Fraction(str(price)) for _, price, unit, _ in services if unit in _PER_USER_UNITS), Fraction(0))


def price_band(profile: Profile | None, icp: Icp) -> PriceBand | None:
    """The MSP's per-user prices a month in its currency: the cheapest tier (or the plan) and everything
    per user together; with only a floor (or no per-user prices), the floor both ways; None without either."""
    services: tuple = ()
    tiers: tuple = ()
    if profile is not None:
        services = tuple((s.name, s.price, s.unit, s.optional) for s in profile.services)
        tiers = tuple(tuple(t.services) for t in profile.tiers)
    return _price_band(services, tiers, icp.budget_floor_per_user_month)


@lru_cache(maxsize=64)  # once per profile, not once per prospect: Fractions are slow
def _price_band(services: tuple, tiers: tuple, floor: float | None) -> PriceBand | None:
    floor_f = Fraction(str(floor)) if floor is not None else None
    low = high = None
    if services:
        by_name = {s[0]: s for s in services}
        offers = [_per_user([by_name[n] for n in names if n in by_name]) for names in tiers]
        if not offers:
            offers = [_per_user([s for s in services if not s[3]])]
        offers = [o for o in offers if o > 0]
        if offers:
            low, high = min(offers), max([*offers, _per_user(list(services))])
    if low is None or high is None:
        if floor_f is None:
            return None
        return PriceBand(floor_f, "your budget floor", floor_f, "your budget floor")
    low_label, high_label = "your cheapest plan", "your full price list"
    if floor_f is not None and floor_f < low:
        low, low_label = floor_f, "your budget floor"
    if floor_f is not None and floor_f > high:
        high, high_label = floor_f, "your budget floor"
    return PriceBand(low, low_label, high, high_label)


def implausible(per_user_base: Fraction, band: PriceBand | None) -> str:
    """``"low"`` or ``"high"`` when a budget (in the MSP's currency) is far outside its prices, else ``""``."""
    if band is None:
        return ""
    if per_user_base < band.low * IMPLAUSIBLY_LOW:
        return "low"
    if per_user_base > band.high * IMPLAUSIBLY_HIGH:
        return "high"
    return ""


@cache
def _money_filter(currency: str, locale: str):
    return make_filters(locale or "en", currency or "USD")["money"]


@lru_cache(maxsize=1024, typed=True)  # the plan's prices and the floor come back deck after deck
def money_text(amount: Fraction, currency: str, locale: str = "") -> str:
    """``HK$60``, ``$2,100``, ``£12.50``, ``105 €`` (de-DE): a sum as the deck writes it, in the prospect's
    ``locale`` (the currency's conventions; English when not given), cents only under 100."""
    digits = 0 if amount.denominator == 1 or amount >= 100 else 2
    return _money_filter(currency, locale)(float(amount), digits=digits)


def budget_warning(
    basis: BudgetBasis, side: str, band: PriceBand, currency: str, rate: Fraction, locale: str = ""
) -> str:
    """The data-quality warning for the brief: the figure, what it is far from, and what to ask.

    ``rate`` is units of ``currency`` per unit of the MSP's (1 for the same currency); the MSP's
    price is converted to the prospect's currency and rounded as a converted price is on the deck.
    """
    said = money_text(basis.per_user, currency, locale)
    if basis.source == "spend":
        spend = money_text(basis.spend or Fraction(0), currency, locale)
        figure = f"Check the IT spend: {spend} a month over {basis.users} {basis.unit} is {said} a user a month,"
    else:
        figure = f"Check the budget: {said} a user a month is"
    ref, label = (band.low, band.low_label) if side == "low" else (band.high, band.high_label)
    where = "far below" if side == "low" else "far above"
    ref_said = money_text(ref if rate == 1 else price_point(ref * rate), currency, locale)
    about = "" if rate == 1 else "about "
    return f"{figure} {where} {label} ({about}{ref_said} a user a month): most likely a unit mistake. Ask: {UNITS_HINT}"


def price_objection(
    basis: BudgetBasis | None, plan: PlanPrice | None, currency: str, floor: Fraction | None, locale: str = ""
) -> dict | None:
    """The price objection the numbers predict, shaped like :func:`deckgen.sales.coaching.rank_objections`'
    items: when the recommended plan costs more per user than their budget (or today's IT spend per user).

    The answer carries the value, the tier below and the walk-away point (``floor``: the least per user a
    month the MSP works for, already in ``currency``); None when the plan is within their figure.
    """
    if basis is None or plan is None or not basis.per_user or plan.per_user <= basis.per_user:
        return None
    price, theirs = money_text(Fraction(plan.per_user), currency, locale), money_text(basis.per_user, currency, locale)
    above = max(1, round((plan.per_user / basis.per_user - 1) * 100))
    if basis.source == "spend":
        says = "That's a lot more than we spend on IT today."
        figure = f"today's IT spend of {theirs} a user a month"
    else:
        says = f"That's more than our budget of {theirs} a user."
        figure = f"their budget of {theirs} a user a month"
    answer = [
        f"Agree the numbers: {plan.name} is {price} a user a month, {above}% above {figure}. Then show what the "
        "difference buys: the security baseline, tested backups and response times they do not have today.",
    ]
    if plan.lower_name and plan.lower_per_user is not None:
        lower = money_text(Fraction(plan.lower_per_user), currency, locale)
        fits = "which fits it" if plan.lower_per_user <= basis.per_user else "our smallest plan"
        answer.append(
            f"If the gap still matters, offer {plan.lower_name} at {lower} ({fits}) and say what it leaves out."
        )
    if floor is not None:
        answer.append(
            f"The walk-away point: below {money_text(floor, currency, locale)} a user a month we cannot keep our "
            "standards; there, use the closing line."
        )
    return {
        "id": "price-above-budget",
        "says": says,
        "answer": " ".join(answer),
        "avoid": "Do not discount the plan to meet their figure: change the scope instead and say what they give up.",
        "slides": ["investment", "cost", "close"],
        "why": f"the recommended plan ({plan.name}, {price} a user a month) is {above}% above {figure}",
        "note": "",
    }


__all__ = [
    "IMPLAUSIBLY_HIGH",
    "IMPLAUSIBLY_LOW",
    "BudgetBasis",
    "PriceBand",
    "budget_basis",
    "budget_warning",
    "implausible",
    "money_text",
    "price_band",
    "price_objection",
]
