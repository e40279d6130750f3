"""The cost of downtime and break-fix versus managed IT, as plain data for the deck.

Formulas (every input is the prospect's own number when known, else ``profile.cost_defaults``):

* downtime cost per hour = lost revenue per hour + idle staff per hour, where
  lost revenue per hour = annual_revenue / working_hours_per_year (left out when the revenue
  is unknown — no guess is made) and
  idle staff per hour = staff × hourly_wage × loaded_wage_factor × productivity_lost.
  Staff = ``size.users``, else ``size.endpoints``, else :data:`DEFAULT_USERS` (``users_known``
  is then False and the assumption is listed).
* break-fix per month = incidents × hours_per_incident × break_fix_rate           (labour)
  + incidents × emergency_share × emergency_fee                                   (call-outs)
  + incidents × hours_per_incident × downtime cost per hour                      (downtime)
* managed per month = Σ the profile's recurring services: per user × staff, per device ×
  endpoints (else one per user), per site × sites (else 1), per month × 1. One-time services are
  not added; ``cost_defaults.onboarding_fee`` is the one-off cost. Downtime under a managed
  service is not counted.
* cumulative cost at month m: break-fix = m × per month; managed = onboarding + m × per month,
  at months 12, 24, … up to ``cost_defaults.months`` (36 → 12/24/36).

Money is computed exactly and each figure is rounded half up to whole currency units on its
own. Amounts are never converted between currencies: prices and defaults are in the MSP's
currency, and a warning says so when the deck shows another one.

``comparison`` holds the totals over the whole period as numbers (``months``, ``break_fix_total``,
``managed_total``, ``savings``, ``break_even_month`` — the first month the managed service has cost
less in total, or None) and the same per 12-month mark as lists (``horizons``, ``labels``,
``break_fix_by_horizon``, ``managed_by_horizon``, ``savings_by_horizon``).

The result (:func:`compute_costs`) has the context key ``costs``; its ``charts`` entry holds the
chart data named ``downtime_cost`` and ``cost_comparison`` for the context key ``charts``.
``assumption_items`` are structured ({key, label, value, unit, source, note}); ``assumptions``
are the same as sentences in the deck's locale (:func:`assumption_texts`).
"""

from __future__ import annotations

from fractions import Fraction
from typing import Callable, Mapping

from deckgen.sales.locales import make_filters, resolve_locale
from deckgen.model import Profile, Prospect

DEFAULT_USERS = 25
SOURCE_TEXT = {
    "prospect": "from your numbers",
    "default": "industry default",
    "profile": "from our price list",
}
UNIT_KINDS = ("money", "number", "percent", "hours")


def _f(value) -> Fraction:
    return Fraction(str(value))


def _money(value: Fraction) -> int:
    """Round half up (away from zero for negatives) to a whole currency unit."""
    sign = -1 if value < 0 else 1
    return sign * int((abs(value) + Fraction(1, 2)) // 1)


def _plain(value):
    """An input number as int when whole, else float (for data, not display)."""
    if value is None:
        return None
    return int(value) if float(value).is_integer() else float(value)


def _item(key: str, label: str, value, unit: str, source: str, note: str = "") -> dict:
    return {"key": key, "label": label, "value": _plain(value), "unit": unit, "source": source, "note": note}


def _horizons(months: int) -> list[int]:
    marks = list(range(12, months + 1, 12))
    if not marks or marks[-1] != months:
        marks.append(months)
    return marks


def exchange_rate(profile: Profile, currency: str) -> Fraction | None:
    """Units of ``currency`` per unit of the MSP's currency; 1 for the same currency, None if unknown."""
    if currency == profile.msp.currency:
        return Fraction(1)
    rate = profile.exchange_rates.get(currency)
    return _f(rate) if rate is not None else None


def compute_costs(prospect: Prospect, profile: Profile,
                  filters: Mapping[str, Callable] | None = None) -> dict:
    """Downtime cost, break-fix vs managed comparison, assumptions and chart data (plain data).

    ``filters`` (from :func:`deckgen.locales.make_filters`) format the assumption sentences;
    by default they are made for the prospect's locale and currency.
    """
    d = profile.cost_defaults
    n = prospect.numbers
    items: list[dict] = []
    warnings: list[str] = []
    locale, currency = resolve_locale(prospect, profile)
    if filters is None:
        filters = make_filters(locale, currency)
    fx = exchange_rate(profile, currency)
    if fx is None:
        warnings.append(f"Prices and default figures are in {profile.msp.currency} (your profile) but this "
                        f"deck shows {currency}; add '{currency}' under exchange_rates in the profile to "
                        "convert them. Amounts are shown unconverted.")
        fx = Fraction(1)

    # -- staff
    if prospect.size.users is not None:
        users, users_known = prospect.size.users, True
        items.append(_item("users", "Staff affected by an outage", users, "number", "prospect"))
    elif prospect.size.endpoints is not None:
        users, users_known = prospect.size.endpoints, True
        items.append(_item("users", "Staff affected by an outage", users, "number", "prospect",
                           "one person per endpoint"))
    else:
        users, users_known = DEFAULT_USERS, False
        items.append(_item("users", "Staff affected by an outage", users, "number", "default",
                           "headcount not known"))

    def pick(key: str, label: str, unit: str, own):
        if own is not None:
            items.append(_item(key, label, own, unit, "prospect"))
            return _f(own)
        value = _f(getattr(d, key)) * (fx if unit == "money" else 1)
        items.append(_item(key, label, _plain(value) if unit != "money" else _money(value), unit, "default"))
        return value

    # -- downtime cost per hour
    hours_year = _f(d.working_hours_per_year)
    if n.annual_revenue is not None:
        items.append(_item("annual_revenue", "Annual revenue", n.annual_revenue, "money", "prospect"))
        revenue_hour = _f(n.annual_revenue) / hours_year
    else:
        items.append(_item("annual_revenue", "Annual revenue", None, "money", "default",
                           "not known, so lost revenue is left out"))
        revenue_hour = Fraction(0)
    items.append(_item("working_hours_per_year", "Working hours a year", d.working_hours_per_year, "hours",
                       "default"))
    wage = pick("hourly_wage", "Hourly wage", "money", n.hourly_wage)
    loaded = pick("loaded_wage_factor", "Wage on-cost factor (benefits and overheads)", "number", None)
    lost = pick("productivity_lost", "Work lost while systems are down", "percent", None)
    staff_hour = users * wage * loaded * lost
    downtime_hour = revenue_hour + staff_hour

    # -- break-fix per month
    incidents = pick("incidents_per_month", "IT incidents a month", "number", n.incidents_per_month)
    per_incident = pick("hours_per_incident", "Downtime per incident", "hours", n.hours_per_incident)
    rate = pick("break_fix_rate", "Break-fix hourly rate", "money", None)
    share = pick("emergency_share", "Incidents needing an emergency call-out", "percent", None)
    fee = pick("emergency_fee", "Emergency call-out fee", "money", None)
    down_hours = incidents * per_incident
    labour = down_hours * rate
    emergency = incidents * share * fee
    impact = pick("incident_impact", "Share of the business one incident stops", "percent", None)
    downtime_month = down_hours * downtime_hour * impact
    break_fix_month = labour + emergency + downtime_month

    # -- managed per month
    devices = prospect.size.endpoints if prospect.size.endpoints is not None else users
    sites = prospect.size.sites if prospect.size.sites is not None else 1
    lines = []
    managed_month = Fraction(0)
    used = set()
    for s in profile.services:
        qty = {"per_user_month": users, "per_device_month": devices, "per_site_month": sites,
               "per_month": 1}.get(s.unit)
        if qty is None:
            continue
        used.add(s.unit)
        cost = _f(s.price) * fx * qty
        managed_month += cost
        lines.append({"name": s.name, "unit": s.unit, "price": _money(_f(s.price) * fx), "quantity": qty,
                      "per_month": _money(cost)})
    if "per_device_month" in used and prospect.size.endpoints is None:
        items.append(_item("devices", "Devices under management", devices, "number", "default",
                           "one per member of staff"))
    if "per_site_month" in used and prospect.size.sites is None:
        items.append(_item("sites", "Sites", sites, "number", "default", "one site"))
    if not lines:
        warnings.append("Your profile lists no monthly services, so the managed cost is the onboarding fee only.")
    onboarding = _f(d.onboarding_fee) * fx
    items.append(_item("onboarding_fee", "Onboarding fee", _money(onboarding), "money", "profile"))
    items.append(_item("managed_per_month", "Managed service a month", _money(managed_month), "money", "profile"))

    # -- comparison
    months = _horizons(d.months)
    bf_totals = [_money(break_fix_month * m) for m in months]
    mg_totals = [_money(onboarding + managed_month * m) for m in months]
    break_even = None
    if break_fix_month > managed_month:
        m = onboarding / (break_fix_month - managed_month)
        break_even = max(1, -(-m.numerator // m.denominator))  # ceil
    labels = [f"Month {m}" for m in months]

    downtime_parts = [("Idle staff time", staff_hour)]
    if n.annual_revenue is not None:
        downtime_parts.insert(0, ("Lost revenue", revenue_hour))

    result = {
        "locale": locale,
        "currency": currency,
        "price_currency": profile.msp.currency,
        "users": users,
        "users_known": users_known,
        "downtime_per_hour": _money(downtime_hour),
        "downtime": {
            "revenue_per_hour": _money(revenue_hour),
            "revenue_known": n.annual_revenue is not None,
            "staff_per_hour": _money(staff_hour),
            "total_per_hour": _money(downtime_hour),
        },
        "break_fix": {
            "incidents_per_month": _plain(incidents),
            "hours_per_incident": _plain(per_incident),
            "downtime_hours_per_month": _plain(float(down_hours)),
            "labour_per_month": _money(labour),
            "emergency_per_month": _money(emergency),
            "downtime_per_month": _money(downtime_month),
            "per_month": _money(break_fix_month),
        },
        "managed": {
            "per_month": _money(managed_month),
            "onboarding_fee": _money(onboarding),
            "services": lines,
        },
        "comparison": {
            # totals over the whole period (cost_defaults.months), for sentences on a slide
            "months": months[-1],
            "break_fix_total": bf_totals[-1],
            "managed_total": mg_totals[-1],
            "savings": bf_totals[-1] - mg_totals[-1],
            "break_even_month": break_even,
            # the same at every 12-month mark, for tables and the chart
            "horizons": months,
            "labels": labels,
            "break_fix_by_horizon": bf_totals,
            "managed_by_horizon": mg_totals,
            "savings_by_horizon": [b - m for b, m in zip(bf_totals, mg_totals)],
        },
        "assumption_items": items,
        "assumptions": assumption_texts(items, filters),
        "warnings": warnings,
        "charts": {
            "downtime_cost": {
                "categories": [name for name, _ in downtime_parts],
                "series": [{"name": "Cost per hour of downtime",
                            "values": [_money(v) for _, v in downtime_parts]}],
            },
            "cost_comparison": {
                "categories": labels,
                "series": [{"name": "Break-fix", "values": bf_totals},
                           {"name": "Managed", "values": mg_totals}],
            },
        },
    }
    return result


def _format_value(item: Mapping, filters: Mapping[str, Callable]) -> str:
    value, unit = item["value"], item["unit"]
    if unit == "money":
        whole = float(value).is_integer()
        return filters["money"](value, digits=0 if whole else 2)
    if unit == "percent":
        return filters["percent"](value, digits=0 if float(value * 100).is_integer() else 1)
    digits = 0 if float(value).is_integer() else (1 if float(value * 10).is_integer() else 2)
    text = filters["number"](value, digits=digits)
    if unit == "hours":
        return f"{text} hour" if value == 1 else f"{text} hours"
    return text


def assumption_texts(items: list[Mapping], filters: Mapping[str, Callable]) -> list[str]:
    """Assumption items as sentences, e.g. "Hourly wage £24 — from your numbers".

    ``filters`` is the dict from :func:`deckgen.locales.make_filters` (``money``, ``number``,
    ``percent``) so amounts follow the deck's locale and currency.
    """
    out = []
    for item in items:
        source = SOURCE_TEXT.get(item["source"], item["source"])
        if item["value"] is None:
            out.append(f"{item['label']} {item['note'] or 'not known'}".rstrip() + ".")
            continue
        text = f"{item['label']} {_format_value(item, filters)} — {source}"
        if item.get("note"):
            text += f" ({item['note']})"
        out.append(text)
    return out
