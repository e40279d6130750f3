"""The seven fit criteria, one scorer each: (share of the weight, reason, known, rule). Pure.

The scheme is described in :mod:`deckgen.sales.fit`; industries match through
:mod:`deckgen.sales.taxonomy`, budgets are compared in the MSP's currency.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from deckgen.model import Icp, ItModel, Prospect
from deckgen.sales.budget import PriceBand, budget_basis, budget_warning, implausible, money_text, price_band
from deckgen.sales.locales import country_code
from deckgen.sales.matching import compact, framework_key, framework_name, industry_matches, place_matches
from deckgen.sales.pricing import PlanPrice
from deckgen.sales.taxonomy import classify, is_broad, is_unknown_industry, match_industry

UNKNOWN = Fraction(3, 10)
HALF = Fraction(1, 2)
SIZE_TOLERANCE = Fraction(1, 4)
BUDGET_TOLERANCE = Fraction(1, 5)
_NO_FRAMEWORK = {"none", "no", "na"}


@dataclass(frozen=True)
class MoneyView:
    """How to compare the prospect's money with the profile's: their currency, ours, and the rate between."""

    currency: str = ""  # the prospect's currency ("" = the MSP's)
    base: str = ""  # the MSP's currency
    rate: float | None = None  # units of ``currency`` per unit of ``base``
    band: PriceBand | None = None  # the MSP's per-user prices, to tell a unit mistake from a budget
    plan: PlanPrice | None = None  # the recommended plan's per-user price in ``currency``, as the deck shows it
    locale: str = ""  # the deck's locale: sums in the reasons are written as the deck writes them


@dataclass(frozen=True)
class Scored:
    share: Fraction
    reason: str
    known: bool
    rule: str = ""


def _industry_text(p: Prospect) -> str:
    """The prospect's industry, or a NAICS code from the list when the industry is missing or only broad."""
    text = "" if is_unknown_industry(p.industry) else p.industry
    code = next((v for k, v in p.extra.items() if "naics" in k.casefold() and v.strip()), "")
    if code:
        vertical, _ = classify(text) if text else (None, "")
        coded, _ = classify(code)
        if coded is not None and (vertical is None or is_broad(vertical)):
            return code
    return text


_RULE_RANK = {"exact": 0, "synonym": 1, "adjacent": 2}


def _best_industry(text: str, icp: Icp):
    """(the value, its match) for the best of a multi-select cell's values ("A;B", as HubSpot writes them)."""
    values = [v.strip() for v in text.split(";") if v.strip()] if ";" in text else []
    best = None
    for value in values or [text]:
        m = match_industry(value, icp.industries, icp.adjacent_industries, industry_matches)
        if best is None or _RULE_RANK.get(m.rule, 3) < _RULE_RANK.get(best[1].rule, 3):
            best = (value, m)
    return best


def industry(p: Prospect, icp: Icp, money: MoneyView) -> Scored:
    if not icp.industries and not icp.adjacent_industries:
        return Scored(Fraction(1), "Your profile names no target industries, so any industry fits.", True, "any")
    text = _industry_text(p)
    if not text:
        return Scored(UNKNOWN, "Industry unknown; partial credit.", False, "unknown")
    text, m = _best_industry(text, icp)
    term = "" if m.term.strip().lower() == text.strip().lower() else f" ({m.term})"  # not "Accounting (accounting)"
    if m.rule == "exact":
        return Scored(Fraction(1), f"{text} is one of your industries{term}.", True, "exact")
    if m.rule == "synonym":
        return Scored(Fraction(1), f"{text} reads as {m.vertical}, one of your industries{term}.", True, "synonym")
    if m.rule == "adjacent":
        if m.via == "broader":
            why = f"{text} is a broad category that takes in {m.term}, one of your industries; confirm which kind it is"
        elif m.via == "neighbour":
            why = f"{text} is next to one of your industries ({m.term})"
        else:
            why = f"{text} is one of your adjacent industries{term}"
        return Scored(HALF, why + ".", True, "adjacent")
    return Scored(Fraction(0), f"{text} is not one of your industries.", True, "none")


def size(p: Prospect, icp: Icp, money: MoneyView) -> Scored:
    lo, hi = icp.size.min_users, icp.size.max_users
    if p.size.users is not None:
        n, unit = p.size.users, "users"
    elif p.size.endpoints is not None:
        n, unit = p.size.endpoints, "endpoints"
    else:
        return Scored(UNKNOWN, "Number of users unknown; partial credit.", False)
    span = f"{lo}–{hi}"
    if lo <= n <= hi:
        return Scored(Fraction(1), f"{n} {unit} is inside your {span} range.", True)
    if lo * (1 - SIZE_TOLERANCE) <= n <= hi * (1 + SIZE_TOLERANCE):
        return Scored(HALF, f"{n} {unit} is just outside your {span} range (within 25%).", True)
    side = "below" if n < lo else "above"
    return Scored(Fraction(0), f"{n} {unit} is well {side} your {span} range.", True)


def it_model(p: Prospect, icp: Icp, money: MoneyView) -> Scored:
    m, pain = p.it_model, p.it_pain
    pain_text = {True: "and it is hurting them", False: "and they say it works", None: "(pain unknown)"}[pain]
    if m == ItModel.unknown:
        return Scored(UNKNOWN, "Current IT model unknown; partial credit.", False)
    if m in (ItModel.break_fix, ItModel.none):
        share = {True: Fraction(1), None: Fraction(2, 3), False: Fraction(1, 3)}[pain]
        what = "break-fix IT" if m == ItModel.break_fix else "no IT support"
        return Scored(share, f"They have {what} {pain_text}.", True)
    if m == ItModel.in_house:
        share = {True: Fraction(2, 3), None: Fraction(1, 3), False: Fraction(0)}[pain]
        return Scored(share, f"They run IT in-house {pain_text}.", True)
    if m == ItModel.co_managed:
        share = Fraction(1, 3) if pain is False else Fraction(2, 3)
        return Scored(share, f"They are co-managed {pain_text}.", True)
    share = Fraction(2, 3) if pain is True else Fraction(1, 3)
    mood = {True: "and are unhappy with it", False: "and are happy with it", None: "(satisfaction unknown)"}[pain]
    return Scored(share, f"They already have an MSP {mood}.", True)


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def compliance(p: Prospect, icp: Icp, money: MoneyView) -> Scored:
    needed = [c for c in p.compliance if c]
    covered_keys = {framework_key(c) for c in icp.compliance}
    if not needed and "compliance" not in p.model_fields_set:
        return Scored(UNKNOWN, "Compliance needs unknown; partial credit.", False)
    if all(framework_key(c) in _NO_FRAMEWORK for c in needed):  # also ``compliance: []``: stated, none
        if not icp.compliance:
            return Scored(Fraction(1), "No compliance needs, and your profile targets none.", True)
        return Scored(HALF, "No compliance needs: nothing to cover, but no regulatory reason to buy.", True)
    needed = [c for c in needed if framework_key(c) not in _NO_FRAMEWORK]
    names = [framework_name(c, icp) for c in needed]
    covered = [n for c, n in zip(needed, names) if framework_key(c) in covered_keys]
    missing = [n for c, n in zip(needed, names) if framework_key(c) not in covered_keys]
    if not missing:
        return Scored(Fraction(1), f"You cover what they need: {_and(names)}.", True)
    if not covered:
        return Scored(Fraction(0), f"You do not cover {_and(missing)}.", True)
    return Scored(Fraction(len(covered), len(needed)), f"You cover {_and(covered)} but not {_and(missing)}.", True)


NOT_SERVED = "not_served"  # the geography rule for a country outside ``icp.geography.countries``


def unserved_country(p: Prospect, icp: Icp) -> str:
    """The prospect's country when the ICP lists the countries it serves and this is not one; else "".

    No country list means anywhere; no country given is not held against the prospect (unknown).
    """
    countries, country = icp.geography.countries, p.location.country.strip()
    if not country or not countries:
        return ""
    served = {country_code(c) or compact(c) for c in countries}
    return "" if (country_code(country) or compact(country)) in served else country


def geography(p: Prospect, icp: Icp, money: MoneyView) -> Scored:
    geo = icp.geography
    loc = p.location
    if not (loc.city or loc.region or loc.country):
        return Scored(UNKNOWN, "Location unknown; partial credit.", False)
    where = ", ".join(x for x in (loc.city, loc.region, loc.country) if x)
    if unserved_country(p, icp):
        return Scored(Fraction(0), f"{where} is outside the countries you serve.", True, NOT_SERVED)
    for term in geo.onsite_regions:
        if place_matches(loc.city, term) or place_matches(loc.region, term):
            return Scored(Fraction(1), f"{where} is inside your on-site area ({term}).", True)
    if geo.remote_ok:
        return Scored(HALF, f"{where} is outside your on-site area: remote service only.", True)
    return Scored(Fraction(0), f"{where} is outside your on-site area and you do not serve remotely.", True)


def _amount(value: Fraction) -> str:
    """2100 → "2,100"; 62.5 → "62.50"."""
    return f"{int(value):,}" if value.denominator == 1 else f"{float(value):,.2f}"


def budget(p: Prospect, icp: Icp, money: MoneyView) -> Scored:
    """The stated budget, else today's IT spend per user, against the floor (see :mod:`deckgen.sales.budget`).

    Sums in the reason carry their currency as the deck writes it ("£4,400", "4.400 €"): theirs for their
    budget or spend, the MSP's for the floor."""
    floor = icp.budget_floor_per_user_month
    if floor is None:
        return Scored(Fraction(1), "Your profile sets no budget floor.", True)
    theirs = money.currency or money.base

    def said_in(value: Fraction, currency: str) -> str:
        return money_text(value, currency, money.locale) if currency else _amount(value)

    basis = budget_basis(p)
    if basis is None:
        if p.numbers.it_spend_per_month is not None:
            spend = said_in(Fraction(str(p.numbers.it_spend_per_month)), theirs)
            return Scored(
                UNKNOWN,
                f"Budget unknown: their IT spend of {spend} a month "
                "is known, but not how many users it serves; partial credit.",
                False,
            )
        return Scored(UNKNOWN, "Budget unknown; partial credit.", False)
    b, f = basis.per_user, Fraction(str(floor))
    rule = basis.source
    if basis.source == "spend":
        spend = f"{said_in(basis.spend or Fraction(0), theirs)} a month over {basis.users} {basis.unit}"
        said = f"Budget taken from current IT spend of {spend}: {said_in(_cents(b), theirs)}"
    else:
        said = f"Budget {said_in(Fraction(str(p.budget_per_user_month)), theirs)}"
    floor_said = said_in(f, money.base or theirs)
    rate = Fraction(1)
    if money.currency and money.base and money.currency != money.base:
        if money.rate is None:
            return Scored(
                UNKNOWN,
                f"{said} a user a month cannot be compared with your floor of "
                f"{floor_said}: add {money.currency} to exchange_rates in your profile.",
                False,
                rule,
            )
        rate = Fraction(str(money.rate))
        b = b / rate
        said += f" (about {money_text(Fraction(round(b)), money.base, money.locale)})"
    band = money.band if money.band is not None else price_band(None, icp)
    side = implausible(b, band)
    if side and band is not None:
        warning = budget_warning(basis, side, band, money.currency or money.base, rate, money.locale)
        return Scored(UNKNOWN, f"{warning} Scored as unknown until confirmed.", False, "implausible")
    plan = _against_plan(basis.per_user, money.plan, money.currency or money.base, money.locale)
    if b >= f:
        return Scored(Fraction(1), f"{said} per user a month meets your floor of {floor_said}{plan}.", True, rule)
    if b >= f * (1 - BUDGET_TOLERANCE):
        return Scored(HALF, f"{said} per user a month is within 20% of your floor of {floor_said}{plan}.", True, rule)
    return Scored(Fraction(0), f"{said} per user a month is well below your floor of {floor_said}.", True, rule)


def _against_plan(per_user: Fraction, plan: PlanPrice | None, currency: str, locale: str = "") -> str:
    """ ", but the recommended plan (Secure, $143 a user a month) is 10% above it: …" when it is."""
    if plan is None or not per_user or plan.per_user <= per_user:
        return ""
    above = max(1, round((plan.per_user / per_user - 1) * 100))
    price = money_text(Fraction(plan.per_user), currency, locale)
    return (
        f", but the recommended plan ({plan.name}, {price} a user a month) is {above}% above it: "
        "expect a price objection"
    )


def _cents(value: Fraction) -> Fraction:
    """Rounded half up to whole cents, so a spend over users reads as money."""
    return Fraction(int(value * 100 + Fraction(1, 2)), 100)


def decision_maker(p: Prospect, icp: Icp, money: MoneyView) -> Scored:
    roles = [d.role for d in p.decision_makers]
    buyers = [d for d in p.decision_makers if d.role == "economic_buyer"]
    if buyers:
        who = buyers[0].name + (f", {buyers[0].title}" if buyers[0].title else "")
        return Scored(Fraction(1), f"The economic buyer is known ({who}).", True)
    if any(r in ("influencer", "technical") for r in roles):
        return Scored(HALF, "Only influencers are known; the person who signs is not in the conversation.", True)
    if roles:
        return Scored(UNKNOWN, "Contacts known, but not who decides; partial credit.", False)
    return Scored(UNKNOWN, "Decision makers unknown; partial credit.", False)


SCORERS = {
    "industry": industry,
    "size": size,
    "it_model": it_model,
    "compliance": compliance,
    "geography": geography,
    "budget": budget,
    "decision_maker": decision_maker,
}
