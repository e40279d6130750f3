"""Prices in the deck's currency, and the plan a prospect is offered (tiers and add-ons).

A service's price in the deck's currency is, in order: the profile's own local price for that
currency (``services[].prices``, e.g. ``{GBP: 75}``), the price itself when the deck is in the MSP's
currency, else the price converted at ``exchange_rates`` and rounded to a sensible price point
(:func:`price_point`: £27.65 → £29, HK$739.10 → HK$740). Pure: no file I/O.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache

from deckgen.model import Profile, Prospect, Service
from deckgen.sales.offers import Offers, fitted_offers

RECURRING_UNITS = ("per_user_month", "per_device_month", "per_site_month", "per_month")


def price_point(value: Fraction | float) -> Fraction:
    """Round a converted price to a price point a person would write on a quote.

    Under 10: the nearest half unit. 10 to 99: the nearest price ending in 0, 5 or 9 (28 → 29, 74 → 75).
    100 to 999: the nearest multiple of 5 (739 → 740). From 1,000: the nearest multiple of 10.
    Ties go up. Zero stays zero.
    """
    v = Fraction(str(value)) if not isinstance(value, Fraction) else value
    if v <= 0:
        return Fraction(0)
    if v < 10:
        return _nearest(v, Fraction(1, 2))
    if v < 100:
        tens = int(v // 10) * 10
        candidates = [c for c in (tens - 1, tens, tens + 5, tens + 9, tens + 10) if c >= 10]
        return Fraction(min(candidates, key=lambda c: (abs(c - v), -c)))
    if v < 1000:
        return _nearest(v, Fraction(5))
    return _nearest(v, Fraction(10))


def _nearest(v: Fraction, step: Fraction) -> Fraction:
    return ((v / step) + Fraction(1, 2)) // 1 * step


def unit_price(service: Service, currency: str, msp_currency: str, fx: Fraction) -> tuple[Fraction, str]:
    """(the service's price in ``currency``, where it came from: ``local``, ``list`` or ``converted``)."""
    return _unit_price(service.prices.get(currency), service.price, currency == msp_currency or fx == 1, fx)


@lru_cache(maxsize=1024, typed=True)  # the profile's few prices in a batch's few currencies: Fractions are slow
def _unit_price(local: float | None, price: float, same: bool, fx: Fraction) -> tuple[Fraction, str]:
    if local is not None:
        return Fraction(str(local)), "local"
    if same:
        return Fraction(str(price)), "list"
    return price_point(Fraction(str(price)) * fx), "converted"


def quantity(unit: str, users: int, devices: int, sites: int) -> int | None:
    """How many of a recurring unit a prospect needs (None for one-time services)."""
    return {"per_user_month": users, "per_device_month": devices, "per_site_month": sites, "per_month": 1}.get(unit)


def _whole(value: Fraction) -> int | float:
    return int(value) if value.denominator == 1 else round(float(value), 2)


def _round(value: Fraction) -> int:
    """Half up to a whole unit (values here are never negative)."""
    return int((value + Fraction(1, 2)) // 1)


def build_plan(
    profile: Profile,
    *,
    currency: str,
    fx: Fraction,
    users: int,
    devices: int,
    sites: int,
    unit_labels: dict[str, str],
    prospect: Prospect | None = None,
    offers: Offers | None = None,
) -> dict:
    """The ``deck.plan`` data: the plan's total and per-user figure, the tiers and the optional add-ons.

    The plan is every recurring service that is not ``optional`` (the same total as
    ``costs.managed.per_month``). Tiers come from ``profile.tiers`` (each lists service names);
    without them the plan is the only tier. Add-ons are the optional services. Given the
    ``prospect``, tiers and add-ons whose compliance promise does not apply to them are left out
    (:func:`deckgen.sales.offers.fitted_offers`; the brief names them). ``offers`` is that function's
    answer for the ``prospect``, when the caller has it already.
    """
    if prospect is not None:
        offers = offers if offers is not None else fitted_offers(profile, prospect)
        offered_tiers, offered_addons = list(offers.tiers), list(offers.addons)
    else:
        offered_tiers, offered_addons = list(profile.tiers), [s for s in profile.services if s.optional]
    prices = {s.name: unit_price(s, currency, profile.msp.currency, fx)[0] for s in profile.services}
    month = _Months(prices, users, devices, sites)
    core = [s for s in profile.services if not s.optional and s.unit in RECURRING_UNITS]
    total = month.total(core)
    by_name = {s.name: s for s in profile.services}
    tiers = []
    for tier in offered_tiers:
        chosen = [by_name[n] for n in tier.services if n in by_name]
        per_month = month.total(chosen)
        tiers.append(
            {
                "name": tier.name,
                "description": tier.description,
                "services": [s.name for s in chosen],
                "per_month": month.rounded(per_month),
                "per_user": month.rounded(per_month, users) if users else None,
                "recommended": tier.recommended,
            }
        )
    if not tiers:
        tiers.append(
            {
                "name": "Your plan",
                "description": "",
                "services": [s.name for s in core],
                "per_month": month.rounded(total),
                "per_user": month.rounded(total, users) if users else None,
                "recommended": True,
            }
        )
    addons = []
    for s in offered_addons:
        addons.append(
            {
                "name": s.name,
                "description": s.description,
                "price": _whole(prices[s.name]),
                "unit": s.unit,
                "unit_label": unit_labels.get(s.unit, s.unit),
                "per_month": month.rounded(month.total([s])) if s.unit in RECURRING_UNITS else None,
            }
        )
    return {
        "currency": currency,
        "per_month": month.rounded(total),
        "per_user": month.rounded(total, users) if users else None,
        "users": users,
        "devices": devices,
        "sites": sites,
        "tiers": tiers,
        "addons": addons,
    }


_COUNTED = (
    ("per_user_month", "users", "user", "users"),
    ("per_device_month", "devices", "device", "devices"),
    ("per_site_month", "sites", "site", "sites"),
)


def counted_units(prospect: Prospect, users: int) -> tuple[int, int]:
    """(devices, sites) a plan is priced for: the prospect's figures, else one device per user and one site
    (what :func:`plan_counts` calls "assumed")."""
    size = prospect.size
    return (size.endpoints if size.endpoints is not None else users), (size.sites if size.sites is not None else 1)


def plan_counts(profile: Profile, prospect: Prospect, *, users: int, devices: int, sites: int) -> list[dict]:
    """What the plan's price counts (``deck.plan.counts``): users, devices and sites, each only when a service
    of the plan or of a tier is priced by it, with ``key``, ``value``, ``label`` ("1 site") and ``source``:
    "prospect" (their figure) or "assumed" (devices one per user, one site)."""
    in_tiers = {n for t in profile.tiers for n in t.services}
    units = {s.unit for s in profile.services if not s.optional or s.name in in_tiers}
    known = {
        "users": prospect.size.users is not None or prospect.size.endpoints is not None,
        "devices": prospect.size.endpoints is not None,
        "sites": prospect.size.sites is not None,
    }
    values = {"users": users, "devices": devices, "sites": sites}
    return [
        {
            "key": key,
            "value": values[key],
            "label": f"{values[key]} {one if values[key] == 1 else many}",
            "source": "prospect" if known[key] else "assumed",
        }
        for unit, key, one, many in _COUNTED
        if unit in units
    ]


class _Months:
    """The plan's sums a month, exact: whole quantities are added up as integers over the prices' common
    denominator (a Fraction an addition is several times slower, and gives the same rational)."""

    def __init__(self, prices: dict[str, Fraction], users: int, devices: int, sites: int) -> None:
        self.prices, self.quantities = prices, (users, devices, sites)
        self.exact = all(type(q) is int for q in self.quantities)  # else Fractions, as the arguments make them
        self.scale = math.lcm(*(p.denominator for p in prices.values())) if self.exact and prices else 1

    def total(self, services: list[Service]) -> Fraction | int:
        """Σ price × quantity: the numerator over ``scale`` when exact, else the Fraction."""
        if not self.exact:
            return sum((self._month(s) for s in services), Fraction(0))
        out = 0
        for s in services:
            qty = quantity(s.unit, *self.quantities)
            if qty is not None:
                price = self.prices[s.name]
                out += price.numerator * (self.scale // price.denominator) * qty
        return out

    def _month(self, s: Service) -> Fraction:
        qty = quantity(s.unit, *self.quantities)
        return self.prices[s.name] * qty if qty is not None else Fraction(0)

    def rounded(self, total: Fraction | int, per: int = 1) -> int:
        """:func:`_round` of ``total`` (from :meth:`total`) over ``per``: floor(n / d + 1/2) = (2n + d) // 2d."""
        if not self.exact:
            return _round(total / per) if per != 1 else _round(total)
        d = self.scale * per
        return (2 * total + d) // (2 * d)


@dataclass(frozen=True)
class PlanPrice:
    """The recommended plan's price per user a month in the deck's currency, as the deck shows it, and
    the next cheaper tier offered (for the seller's answer to a price objection)."""

    name: str
    per_user: int
    lower_name: str = ""
    lower_per_user: int | None = None


def recommended_price(
    profile: Profile, prospect: Prospect, currency: str, fx: Fraction, offers: Offers | None = None
) -> PlanPrice | None:
    """What :func:`build_plan` shows as the recommended tier's per-user price (the plan's when there are
    no tiers); None when the prospect's users (or endpoints) are unknown. ``offers``: as for build_plan."""
    users = prospect.size.users or prospect.size.endpoints
    if not users:
        return None
    devices, sites = counted_units(prospect, users)
    plan = build_plan(
        profile,
        currency=currency,
        fx=fx,
        users=users,
        devices=devices,
        sites=sites,
        unit_labels={},
        prospect=prospect,
        offers=offers,
    )
    tiers = plan["tiers"]
    pick = next((i for i, t in enumerate(tiers) if t["recommended"]), len(tiers) - 1)
    chosen = tiers[pick]
    cheaper = [t for t in tiers if t["per_user"] is not None and t["per_user"] < chosen["per_user"]]
    lower = max(cheaper, key=lambda t: t["per_user"]) if cheaper else None
    return PlanPrice(
        chosen["name"],
        chosen["per_user"],
        lower["name"] if lower else "",
        lower["per_user"] if lower else None,
    )


__all__ = [
    "RECURRING_UNITS",
    "PlanPrice",
    "build_plan",
    "counted_units",
    "price_point",
    "quantity",
    "recommended_price",
    "unit_price",
]
