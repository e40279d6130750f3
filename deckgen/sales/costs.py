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

:func:`estimate_costs` returns a :class:`CostEstimate` (typed: the figures, the assumptions, the
chart series and the warnings as :class:`~deckgen.errors.DataWarning`); its :meth:`CostEstimate.to_context`
is the plain data templates see as ``costs`` (docs/context.md), whose ``charts`` entry holds the chart
data named ``downtime_cost`` and ``cost_comparison`` for the context key ``charts``. Each
:class:`Assumption` is structured (key, label, value, unit, source, note); ``assumptions`` are the same
as sentences in the deck's locale (:func:`assumption_texts`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from fractions import Fraction

from deckgen.errors import DataWarning, DeckgenWarning
from deckgen.model import Profile, Prospect
from deckgen.sales.cost_estimate import (
    Assumption,
    BreakFixCost,
    ChartData,
    ChartSeries,
    CostComparison,
    CostEstimate,
    DowntimeCost,
    ManagedCost,
    ServiceLine,
)
from deckgen.sales.locales import make_filters, resolve_locale

DEFAULT_USERS = 25
SOURCE_TEXT = {
    "prospect": "from your numbers",
    "default": "industry default",
    "profile": "from our price list",
}
UNIT_KINDS = ("money", "number", "percent", "hours")
_SERVICE_QUANTITY = ("per_user_month", "per_device_month", "per_site_month", "per_month")


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


def _horizons(months: int) -> list[int]:
    marks = list(range(12, months + 1, 12))
    if not marks or marks[-1] != months:
        marks.append(months)
    return marks


def exchange_rate(profile: Profile, currency: str) -> Fraction | None:
    """Return units of ``currency`` per unit of the MSP's currency: 1 for the same currency, None if unknown."""
    if currency == profile.msp.currency:
        return Fraction(1)
    rate = profile.exchange_rates.get(currency)
    return _f(rate) if rate is not None else None


class _Inputs:
    """Collects the model's inputs as :class:`Assumption` items, in the order the notes list them."""

    def __init__(self, profile: Profile, fx: Fraction) -> None:
        self.defaults = profile.cost_defaults
        self.fx = fx
        self.items: list[Assumption] = []

    def note(self, key: str, label: str, value, unit: str, source: str, note: str = "") -> None:
        self.items.append(Assumption(key, label, _plain(value), unit, source, note))

    def pick(self, key: str, label: str, unit: str, own) -> Fraction:
        """The prospect's own number when known, else the profile's default (money converted)."""
        if own is not None:
            self.note(key, label, own, unit, "prospect")
            return _f(own)
        value = _f(getattr(self.defaults, key)) * (self.fx if unit == "money" else 1)
        self.note(key, label, _plain(value) if unit != "money" else _money(value), unit, "default")
        return value


def _staff(prospect: Prospect, inputs: _Inputs) -> tuple[int, bool]:
    label = "Staff affected by an outage"
    if prospect.size.users is not None:
        inputs.note("users", label, prospect.size.users, "number", "prospect")
        return prospect.size.users, True
    if prospect.size.endpoints is not None:
        inputs.note("users", label, prospect.size.endpoints, "number", "prospect", "one person per endpoint")
        return prospect.size.endpoints, True
    inputs.note("users", label, DEFAULT_USERS, "number", "default", "headcount not known")
    return DEFAULT_USERS, False


def _downtime(prospect: Prospect, users: int, inputs: _Inputs) -> tuple[Fraction, Fraction]:
    """(lost revenue per hour, idle staff per hour)."""
    d, n = inputs.defaults, prospect.numbers
    hours_year = _f(d.working_hours_per_year)
    if n.annual_revenue is not None:
        inputs.note("annual_revenue", "Annual revenue", n.annual_revenue, "money", "prospect")
        revenue_hour = _f(n.annual_revenue) / hours_year
    else:
        inputs.note(
            "annual_revenue", "Annual revenue", None, "money", "default", "not known, so lost revenue is left out"
        )
        revenue_hour = Fraction(0)
    inputs.note("working_hours_per_year", "Working hours a year", d.working_hours_per_year, "hours", "default")
    wage = inputs.pick("hourly_wage", "Hourly wage", "money", n.hourly_wage)
    loaded = inputs.pick("loaded_wage_factor", "Wage on-cost factor (benefits and overheads)", "number", None)
    lost = inputs.pick("productivity_lost", "Work lost while systems are down", "percent", None)
    return revenue_hour, users * wage * loaded * lost


def _break_fix(prospect: Prospect, downtime_hour: Fraction, inputs: _Inputs) -> tuple[BreakFixCost, Fraction]:
    """The month of break-fix, and its exact total for the comparison."""
    n = prospect.numbers
    incidents = inputs.pick("incidents_per_month", "IT incidents a month", "number", n.incidents_per_month)
    per_incident = inputs.pick("hours_per_incident", "Downtime per incident", "hours", n.hours_per_incident)
    rate = inputs.pick("break_fix_rate", "Break-fix hourly rate", "money", None)
    share = inputs.pick("emergency_share", "Incidents needing an emergency call-out", "percent", None)
    fee = inputs.pick("emergency_fee", "Emergency call-out fee", "money", None)
    down_hours = incidents * per_incident
    labour = down_hours * rate
    emergency = incidents * share * fee
    impact = inputs.pick("incident_impact", "Share of the business one incident stops", "percent", None)
    downtime_month = down_hours * downtime_hour * impact
    per_month = labour + emergency + downtime_month
    cost = BreakFixCost(
        incidents_per_month=_plain(incidents),
        hours_per_incident=_plain(per_incident),
        downtime_hours_per_month=_plain(float(down_hours)),
        labour_per_month=_money(labour),
        emergency_per_month=_money(emergency),
        downtime_per_month=_money(downtime_month),
        per_month=_money(per_month),
    )
    return cost, per_month


def _managed(
    prospect: Prospect, profile: Profile, users: int, inputs: _Inputs, warnings: list[DeckgenWarning]
) -> tuple[ManagedCost, Fraction, Fraction]:
    """The managed service a month, with its exact monthly total and onboarding fee."""
    fx = inputs.fx
    devices = prospect.size.endpoints if prospect.size.endpoints is not None else users
    sites = prospect.size.sites if prospect.size.sites is not None else 1
    quantities = dict(zip(_SERVICE_QUANTITY, (users, devices, sites, 1), strict=True))
    lines = []
    per_month = Fraction(0)
    for s in profile.services:
        qty = quantities.get(s.unit)
        if qty is None:  # one-time services are not part of the monthly cost
            continue
        cost = _f(s.price) * fx * qty
        per_month += cost
        lines.append(ServiceLine(s.name, s.unit, _money(_f(s.price) * fx), qty, _money(cost)))
    used = {line.unit for line in lines}
    if "per_device_month" in used and prospect.size.endpoints is None:
        inputs.note("devices", "Devices under management", devices, "number", "default", "one per member of staff")
    if "per_site_month" in used and prospect.size.sites is None:
        inputs.note("sites", "Sites", sites, "number", "default", "one site")
    if not lines:
        warnings.append(
            DataWarning("Your profile lists no monthly services, so the managed cost is the onboarding fee only.")
        )
    onboarding = _f(inputs.defaults.onboarding_fee) * fx
    inputs.note("onboarding_fee", "Onboarding fee", _money(onboarding), "money", "profile")
    inputs.note("managed_per_month", "Managed service a month", _money(per_month), "money", "profile")
    return ManagedCost(_money(per_month), _money(onboarding), lines), per_month, onboarding


def _comparison(
    months: int, break_fix_month: Fraction, managed_month: Fraction, onboarding: Fraction
) -> CostComparison:
    marks = _horizons(months)
    bf_totals = [_money(break_fix_month * m) for m in marks]
    mg_totals = [_money(onboarding + managed_month * m) for m in marks]
    break_even = None
    if break_fix_month > managed_month:
        m = onboarding / (break_fix_month - managed_month)
        break_even = max(1, -(-m.numerator // m.denominator))  # ceil
    return CostComparison(
        # totals over the whole period (cost_defaults.months), for sentences on a slide
        months=marks[-1],
        break_fix_total=bf_totals[-1],
        managed_total=mg_totals[-1],
        savings=bf_totals[-1] - mg_totals[-1],
        break_even_month=break_even,
        # the same at every 12-month mark, for tables and the chart
        horizons=marks,
        labels=[f"Month {m}" for m in marks],
        break_fix_by_horizon=bf_totals,
        managed_by_horizon=mg_totals,
        savings_by_horizon=[b - m for b, m in zip(bf_totals, mg_totals, strict=True)],
    )


def estimate_costs(prospect: Prospect, profile: Profile, filters: Mapping[str, Callable] | None = None) -> CostEstimate:
    """Return the downtime cost, break-fix vs managed comparison, assumptions, chart data and warnings.

    ``filters`` (from :func:`deckgen.sales.locales.make_filters`) format the assumption sentences;
    by default they are made for the prospect's locale and currency.
    """
    warnings: list[DeckgenWarning] = []
    locale, currency = resolve_locale(prospect, profile)
    if filters is None:
        filters = make_filters(locale, currency)
    fx = exchange_rate(profile, currency)
    if fx is None:
        warnings.append(
            DataWarning(
                f"Prices and default figures are in {profile.msp.currency} (your profile) but this "
                f"deck shows {currency}; add '{currency}' under exchange_rates in the profile to "
                "convert them. Amounts are shown unconverted."
            )
        )
        fx = Fraction(1)
    inputs = _Inputs(profile, fx)
    users, users_known = _staff(prospect, inputs)
    revenue_hour, staff_hour = _downtime(prospect, users, inputs)
    downtime_hour = revenue_hour + staff_hour
    break_fix, break_fix_month = _break_fix(prospect, downtime_hour, inputs)
    managed, managed_month, onboarding = _managed(prospect, profile, users, inputs, warnings)
    comparison = _comparison(profile.cost_defaults.months, break_fix_month, managed_month, onboarding)

    revenue_known = prospect.numbers.annual_revenue is not None
    downtime_parts = [("Lost revenue", revenue_hour)] if revenue_known else []
    downtime_parts.append(("Idle staff time", staff_hour))
    charts = {
        "downtime_cost": ChartData(
            [name for name, _ in downtime_parts],
            [ChartSeries("Cost per hour of downtime", [_money(v) for _, v in downtime_parts])],
        ),
        "cost_comparison": ChartData(
            list(comparison.labels),
            [
                ChartSeries("Break-fix", list(comparison.break_fix_by_horizon)),
                ChartSeries("Managed", list(comparison.managed_by_horizon)),
            ],
        ),
    }
    return CostEstimate(
        locale=locale,
        currency=currency,
        price_currency=profile.msp.currency,
        users=users,
        users_known=users_known,
        downtime=DowntimeCost(_money(revenue_hour), revenue_known, _money(staff_hour), _money(downtime_hour)),
        break_fix=break_fix,
        managed=managed,
        comparison=comparison,
        assumption_items=inputs.items,
        assumptions=assumption_texts(inputs.items, filters),
        charts=charts,
        warnings=warnings,
    )


def compute_costs(prospect: Prospect, profile: Profile, filters: Mapping[str, Callable] | None = None) -> dict:
    """Return :func:`estimate_costs` as the template's plain ``costs`` data (warnings as sentences).

    Kept for callers written before the typed result; new code calls :func:`estimate_costs`.
    """
    return estimate_costs(prospect, profile, filters).to_context()


def _format_value(item: Assumption, filters: Mapping[str, Callable]) -> str:
    value, unit = item.value, item.unit
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


def assumption_texts(items: list[Assumption] | list[Mapping], filters: Mapping[str, Callable]) -> list[str]:
    """Return the assumption items as sentences, e.g. "Hourly wage £24 — from your numbers".

    ``items`` are :class:`Assumption` objects or their ``to_context()`` dicts; ``filters`` is the
    dict from :func:`deckgen.sales.locales.make_filters` (``money``, ``number``, ``percent``) so
    amounts follow the deck's locale and currency.
    """
    out = []
    for raw in items:
        item = raw if isinstance(raw, Assumption) else Assumption(**raw)
        source = SOURCE_TEXT.get(item.source, item.source)
        if item.value is None:
            out.append(f"{item.label} {item.note or 'not known'}".rstrip() + ".")
            continue
        text = f"{item.label} {_format_value(item, filters)} — {source}"
        if item.note:
            text += f" ({item.note})"
        out.append(text)
    return out
