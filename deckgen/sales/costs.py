"""What IT costs the prospect today versus under a managed service, as plain data for the deck.

It starts from the prospect's reality (every input is their own number when known; else the
country's regional default, :mod:`deckgen.sales.regions`, when the deck is in that country's
currency; else ``profile.cost_defaults``, converted at ``exchange_rates``):

* today's spend a month (the baseline, by ``it_model``): their own ``numbers.it_spend_per_month``
  when known; else, for break-fix (and an unknown model), modelled call-outs:
  incidents × hours_per_incident × break_fix_rate + incidents × emergency_share × emergency_fee;
  for another MSP, ``other_msp_per_user_month`` × staff; for in-house or co-managed IT the spend
  is kept under a managed service (we work alongside their staff), so it is the same on both sides
  and left out when unknown; none: nothing.
* downtime cost per hour = lost revenue per hour + idle staff per hour, where lost revenue per
  hour = annual_revenue / working_hours_per_year × revenue_lost_share (most work is rebooked; left
  out when revenue is unknown) and idle staff per hour = staff × hourly_wage × loaded_wage_factor ×
  productivity_lost. Staff = ``size.users``, else ``size.endpoints``, else :data:`DEFAULT_USERS`.
* modelled downtime a month = incidents × hours_per_incident × downtime per hour × incident_impact.
* today per month = spend + modelled downtime.
* managed per month (``managed.per_month``) = Σ the recurring, non-optional services: per user ×
  staff, per device × endpoints (else one per user), per site × sites (else 1), per month × 1, each
  at its price in the deck's currency (:func:`deckgen.sales.pricing.unit_price`);
  ``managed.total_per_month`` adds the kept in-house spend and the downtime that remains:
  modelled downtime × (1 − managed_downtime_reduction).
* cumulative cost at month m: today = m × today per month; managed = onboarding + m × total,
  at months 12, 24, … up to ``cost_defaults.months``. The range (low / expected / high) takes the
  modelled downtime ``downtime_range`` smaller and larger.

Money is computed exactly and each figure is rounded half up to whole currency units on its own.
:func:`estimate_costs` returns a :class:`CostEstimate`; its ``to_context()`` is the ``costs`` data
templates see (docs/context.md). Every input is an :class:`Assumption` with its source and basis.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from fractions import Fraction
from functools import lru_cache

from deckgen.errors import DataWarning, DeckgenWarning
from deckgen.model import ItModel, Profile, Prospect
from deckgen.sales.chart_formats import chart_money_format
from deckgen.sales.cost_estimate import (
    Assumption,
    Baseline,
    BreakFixCost,
    CostComparison,
    CostEstimate,
    CostRange,
    DowntimeCost,
    ManagedCost,
    ServiceLine,
    make_charts,
)
from deckgen.sales.cost_text import SOURCE_TEXT, assumption_texts, basis_line, sentence_filters, sentence_writer
from deckgen.sales.locales import country_code, resolve_locale
from deckgen.sales.pricing import price_point, quantity, unit_price
from deckgen.sales.regions import QUOTED_RATES, converted_basis, regional_figure

DEFAULT_USERS = 25
UNIT_KINDS = ("money", "number", "percent", "hours")
BASELINE_LABELS = {
    "break_fix": "Break-fix",
    "in_house": "In-house IT",
    "co_managed": "Co-managed IT",
    "other_msp": "Current provider",
    "none": "No IT support",
    "unknown": "Today's IT",
}
_KEPT = (ItModel.in_house, ItModel.co_managed)  # their staff stay: we work alongside them


@lru_cache(maxsize=1024, typed=True)  # the same defaults and prices come in deck after deck
def _f(value) -> Fraction:
    return Fraction(str(value))


def _money(value: Fraction) -> int:
    """Round half up (away from zero for negatives) to a whole currency unit."""
    if type(value) is Fraction or type(value) is int:  # floor((2|n| + d) / 2d), in integers
        n, d = value.numerator, value.denominator
        return (2 * n + d) // (2 * d) if n >= 0 else -((d - 2 * n) // (2 * d))
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

    def __init__(self, profile: Profile, fx: Fraction, country: str | None, currency: str) -> None:
        self.defaults = profile.cost_defaults
        self.fx = fx
        self.country, self.currency, self.msp_currency = country, currency, profile.msp.currency
        self.converted = fx != 1
        self.items: list[Assumption] = []

    def note(self, key: str, label: str, value, unit: str, source: str, note: str = "", basis: str = "") -> None:
        self.items.append(Assumption(key, label, _plain(value), unit, source, note, basis))

    def pick(self, key: str, label: str, unit: str, own, basis: str = "") -> Fraction:
        """The prospect's number, else the country's (profile, then regions.py), else the default (converted)."""
        if own is not None:
            self.note(key, label, own, unit, "prospect")
            return _f(own)
        regional = regional_figure(key, self.country, self.currency, self.msp_currency, self.defaults.regions)
        if regional is not None:
            self.note(key, label, regional.value, unit, regional.source, basis=regional.basis)
            return _f(regional.value)
        default = getattr(self.defaults, key)
        value = _f(default) * (self.fx if unit == "money" else 1)
        if unit == "money" and self.converted:
            value = price_point(value) if key in QUOTED_RATES else value
            basis = basis or converted_basis(key, self.country, self.currency, default, self.msp_currency, self.fx)
        self.note(key, label, _plain(value) if unit != "money" else _money(value), unit, "default", basis=basis)
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
    n = prospect.numbers
    hours_year = inputs.pick("working_hours_per_year", "Working hours a year", "hours", None)
    if n.annual_revenue is not None:
        inputs.note("annual_revenue", "Annual revenue", n.annual_revenue, "money", "prospect")
        share = inputs.pick(
            "revenue_lost_share",
            "Revenue of an outage hour lost for good",
            "percent",
            None,
            "most appointments and orders are rebooked or caught up later",
        )
        revenue_hour = _f(n.annual_revenue) / hours_year * share
    else:
        inputs.note(
            "annual_revenue", "Annual revenue", None, "money", "default", "not known, so lost revenue is left out"
        )
        revenue_hour = Fraction(0)
    wage = inputs.pick("hourly_wage", "Hourly wage", "money", n.hourly_wage)
    loaded = inputs.pick("loaded_wage_factor", "Wage on-cost factor (benefits and overheads)", "number", None)
    lost = inputs.pick("productivity_lost", "Work lost while systems are down", "percent", None)
    return revenue_hour, users * wage * loaded * lost


def _today(prospect: Prospect, users: int, incidents: Fraction, per_incident: Fraction, inputs: _Inputs):
    """Today's spend a month before downtime: (spend, source, labour, call-outs, kept under managed)."""
    model, spend = prospect.it_model, prospect.numbers.it_spend_per_month
    kept = model in _KEPT
    label = "Your IT spend a month"
    if spend is not None:
        why = "it stays: we work alongside your IT staff" if kept else "replaced by the managed service"
        inputs.note("it_spend_per_month", label, spend, "money", "prospect", why)
        return _f(spend), "prospect", _f(spend), Fraction(0), kept
    if model in (ItModel.break_fix, ItModel.unknown):
        note = "" if model == ItModel.break_fix else "IT model not known, so break-fix call-outs are assumed"
        rate = inputs.pick("break_fix_rate", "Break-fix hourly rate", "money", None)
        share = inputs.pick("emergency_share", "Incidents needing an emergency call-out", "percent", None)
        fee = inputs.pick("emergency_fee", "Emergency call-out fee", "money", None)
        labour, emergency = incidents * per_incident * rate, incidents * share * fee
        inputs.note("it_spend_per_month", label, _money(labour + emergency), "money", "default", note or "modelled")
        return labour + emergency, "modelled", labour, emergency, False
    if model == ItModel.other_msp:
        fee = inputs.pick("other_msp_per_user_month", "Current provider's fee per user a month", "money", None)
        inputs.note("it_spend_per_month", label, _money(fee * users), "money", "default", "their fee not known")
        return fee * users, "default", fee * users, Fraction(0), False
    if kept:
        inputs.note("it_spend_per_month", label, None, "money", "default", "not known; it is the same either way")
        return Fraction(0), "unknown", Fraction(0), Fraction(0), True
    return Fraction(0), "prospect", Fraction(0), Fraction(0), False


def _managed(
    prospect: Prospect, profile: Profile, currency: str, users: int, inputs: _Inputs, warnings: list[DeckgenWarning]
) -> tuple[ManagedCost, Fraction, Fraction]:
    """The managed service's fee a month (without downtime), with its exact total and onboarding fee."""
    devices = prospect.size.endpoints if prospect.size.endpoints is not None else users
    sites = prospect.size.sites if prospect.size.sites is not None else 1
    lines = []
    per_month = Fraction(0)
    for s in profile.services:
        qty = quantity(s.unit, users, devices, sites)
        if qty is None or s.optional:  # one-time services and add-ons are not part of the plan
            continue
        price, _ = unit_price(s, currency, profile.msp.currency, inputs.fx)
        per_month += price * qty
        lines.append(ServiceLine(s.name, s.unit, _money(price), qty, _money(price * qty)))
    used = {line.unit for line in lines}
    if "per_device_month" in used and prospect.size.endpoints is None:
        inputs.note("devices", "Devices under management", devices, "number", "default", "one per member of staff")
    if "per_site_month" in used and prospect.size.sites is None:
        inputs.note("sites", "Sites", sites, "number", "default", "one site")
    if not lines:
        warnings.append(
            DataWarning("Your profile lists no monthly services, so the managed cost is the onboarding fee only.")
        )
    onboarding = _f(inputs.defaults.onboarding_fee) * inputs.fx
    inputs.note("onboarding_fee", "Onboarding fee", _money(onboarding), "money", "profile")
    inputs.note("managed_per_month", "Managed service a month", _money(per_month), "money", "profile")
    return ManagedCost(_money(per_month), _money(onboarding), lines), per_month, onboarding


def _savings(months: int, today_month: Fraction, managed_month: Fraction, onboarding: Fraction) -> int:
    """:func:`_comparison`'s ``savings`` alone (the low and high cases need nothing else)."""
    last = _horizons(months)[-1]
    return _money(today_month * last) - _money(onboarding + managed_month * last)


def _comparison(months: int, today_month: Fraction, managed_month: Fraction, onboarding: Fraction) -> CostComparison:
    marks = _horizons(months)
    bf_totals = [_money(today_month * m) for m in marks]
    mg_totals = [_money(onboarding + managed_month * m) for m in marks]
    break_even = None
    if today_month > managed_month:
        m = onboarding / (today_month - managed_month)
        break_even = max(1, -(-m.numerator // m.denominator))  # ceil
    return CostComparison(
        months=marks[-1],
        break_fix_total=bf_totals[-1],
        managed_total=mg_totals[-1],
        savings=bf_totals[-1] - mg_totals[-1],
        break_even_month=break_even,
        horizons=marks,
        labels=[f"Month {m}" for m in marks],
        break_fix_by_horizon=bf_totals,
        managed_by_horizon=mg_totals,
        savings_by_horizon=[b - m for b, m in zip(bf_totals, mg_totals, strict=True)],
    )


def estimate_costs(prospect: Prospect, profile: Profile, filters: Mapping[str, Callable] | None = None) -> CostEstimate:
    """Return today's cost, the managed cost, their comparison and range, the assumptions, charts and warnings.

    ``filters`` (from :func:`deckgen.sales.locales.make_filters`) format the assumption sentences;
    by default they are made for the prospect's locale and currency.
    """
    warnings: list[DeckgenWarning] = []
    locale, currency = resolve_locale(prospect, profile)
    write = None
    if filters is None:
        filters, write = sentence_filters(locale, currency), sentence_writer(locale, currency)
    fx = exchange_rate(profile, currency)
    if fx is None:
        warnings.append(
            DataWarning(
                f"Prices and default figures are in {profile.msp.currency} (your profile) but this "
                f"deck shows {currency}; add '{currency}' under exchange_rates in the profile to "
                "convert them. Amounts are shown unconverted.",
                field=f"exchange_rates.{currency}",
            )
        )
        fx = Fraction(1)
    d, n = profile.cost_defaults, prospect.numbers
    inputs = _Inputs(profile, fx, country_code(prospect.location.country), currency)
    users, users_known = _staff(prospect, inputs)
    revenue_hour, staff_hour = _downtime(prospect, users, inputs)
    downtime_hour = revenue_hour + staff_hour
    incidents = inputs.pick("incidents_per_month", "IT incidents a month", "number", n.incidents_per_month)
    per_incident = inputs.pick("hours_per_incident", "Downtime per incident", "hours", n.hours_per_incident)
    impact = inputs.pick("incident_impact", "Share of the business one incident stops", "percent", None)
    spend, spend_source, labour, emergency, kept = _today(prospect, users, incidents, per_incident, inputs)
    downtime_month = incidents * per_incident * downtime_hour * impact
    today_month = spend + downtime_month
    managed, fee_month, onboarding = _managed(prospect, profile, currency, users, inputs, warnings)
    reduction, basis = _f(d.managed_downtime_reduction), d.managed_downtime_basis
    if prospect.it_model == ItModel.other_msp:  # a provider already manages it: claim half the drop, no more
        reduction /= 2
        basis = f"half of what we claim for a first managed service ({basis}): another provider runs their IT today"
    inputs.note(
        "managed_downtime_reduction", "Less downtime with managed IT", reduction, "percent", "claim", basis=basis
    )
    spread = _f(d.downtime_range)
    inputs.note(
        "downtime_range",
        "Range: modelled downtime smaller and larger by",
        spread,
        "percent",
        "default",
        basis="downtime is the least certain figure, so the low and high cases vary it",
    )
    kept_month = spend if kept else Fraction(0)

    def totals(factor: Fraction) -> tuple[Fraction, Fraction]:
        down = downtime_month * factor
        return spend + down, fee_month + kept_month + down * (1 - reduction)

    managed_total = totals(Fraction(1))[1]
    managed = ManagedCost(
        managed.per_month,
        managed.onboarding_fee,
        managed.services,
        _money(kept_month),
        _money(downtime_month * (1 - reduction)),
        _money(managed_total),
    )
    comparison = _comparison(d.months, today_month, managed_total, onboarding)
    cases = [totals(f) for f in (1 - spread, Fraction(1), 1 + spread)]
    runs = [_savings(d.months, t, m, onboarding) for t, m in cases]
    model = prospect.it_model.value
    label = BASELINE_LABELS.get(model, model)
    baseline = Baseline(model, label, _money(spend), spend_source, kept, _money(downtime_month), _money(today_month))
    break_fix = BreakFixCost(
        incidents_per_month=_plain(incidents),
        hours_per_incident=_plain(per_incident),
        downtime_hours_per_month=_plain(float(incidents * per_incident)),
        labour_per_month=_money(labour),
        emergency_per_month=_money(emergency),
        downtime_per_month=_money(downtime_month),
        per_month=_money(today_month),
    )
    revenue_known = n.annual_revenue is not None
    downtime_parts = [("Lost revenue", revenue_hour)] if revenue_known else []
    downtime_parts.append(("Idle staff time", staff_hour))
    charts = make_charts(
        [(name, _money(v)) for name, v in downtime_parts],
        comparison,
        label,
        [_money(spend * 12), _money((fee_month + kept_month) * 12)],
        [_money(downtime_month * 12), _money(downtime_month * 12 * (1 - reduction))],
        lambda largest: chart_money_format(locale, currency, largest),
    )
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
        assumptions=write(inputs.items) if write else assumption_texts(inputs.items, filters),
        charts=charts,
        warnings=warnings,
        baseline=baseline,
        savings_range=CostRange(*runs),
        today_per_year=CostRange(*(_money(t * 12) for t, _ in cases)),
        managed_per_year=CostRange(*(_money(m * 12) for _, m in cases)),
        downtime_reduction=float(reduction),
        basis=basis_line(inputs.items, filters, label),
    )


def compute_costs(prospect: Prospect, profile: Profile, filters: Mapping[str, Callable] | None = None) -> dict:
    """Return :func:`estimate_costs` as the template's plain ``costs`` data (warnings as sentences)."""
    return estimate_costs(prospect, profile, filters).to_context()


__all__ = [
    "BASELINE_LABELS",
    "DEFAULT_USERS",
    "SOURCE_TEXT",
    "assumption_texts",
    "compute_costs",
    "estimate_costs",
    "exchange_rate",
]
