"""The typed result of the cost model (:func:`deckgen.sales.costs.estimate_costs`).

Money figures are whole units of the deck's currency (already rounded); the ``to_context`` methods
give the plain data a template sees as ``costs`` (docs/context.md), key for key.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields

from deckgen.errors import DeckgenWarning

Number = int | float
_FIELDS: dict[type, tuple[str, ...]] = {}


def asdict(obj) -> dict:
    """:func:`dataclasses.asdict` for these dataclasses (plain values, lists, nested dataclasses), without its
    deep copies: the same dict, several times faster."""
    names = _FIELDS.get(type(obj))
    if names is None:
        names = _FIELDS[type(obj)] = tuple(f.name for f in fields(obj))
    return {name: _plain(getattr(obj, name)) for name in names}


def _plain(value):
    kind = type(value)
    if kind in _SCALARS:
        return value
    if kind is list or kind is tuple:
        return kind(_plain(v) for v in value)
    if kind is dict:
        return {k: _plain(v) for k, v in value.items()}
    if hasattr(kind, "__dataclass_fields__"):
        return asdict(value)
    return value


_SCALARS = frozenset({int, float, str, bool, type(None)})


@dataclass(frozen=True)
class Assumption:
    """One input of the cost model and where it came from.

    ``unit`` is money, number, percent or hours; ``source`` is prospect (their own number),
    default (``profile.cost_defaults``), region (the country's default, :mod:`deckgen.sales.regions`),
    profile_region (the profile's figure for the country, ``cost_defaults.regions``) or profile (the
    price list and the MSP's own claims); ``value`` is None when unknown.
    """

    key: str
    label: str
    value: Number | None
    unit: str
    source: str
    note: str = ""
    basis: str = ""  # why the figure is reasonable (defaults and the profile's own claims)

    def to_context(self) -> dict:
        """Return the assumption as ``{key, label, value, unit, source, note, basis}``."""
        return {
            "key": self.key,
            "label": self.label,
            "value": _plain(self.value),
            "unit": self.unit,
            "source": self.source,
            "note": self.note,
            "basis": self.basis,
        }


@dataclass(frozen=True)
class DowntimeCost:
    """What an hour of downtime costs: lost revenue (0 when revenue is unknown) plus idle staff."""

    revenue_per_hour: int
    revenue_known: bool
    staff_per_hour: int
    total_per_hour: int


@dataclass(frozen=True)
class Baseline:
    """How the prospect runs IT today and what it costs them a month before downtime.

    ``spend_source`` is ``prospect`` (their own figure), ``modelled`` (break-fix call-outs from the
    defaults), ``default`` (a typical fee) or ``unknown`` (left out: the same either way).
    ``kept`` is true when that spend stays under a managed service (in-house staff we work alongside).
    """

    model: str
    label: str
    spend_per_month: int
    spend_source: str
    kept: bool
    downtime_per_month: int
    per_month: int


@dataclass(frozen=True)
class CostRange:
    """Low / expected / high: modelled downtime taken smaller and larger (``cost_defaults.downtime_range``)."""

    low: int
    expected: int
    high: int


@dataclass(frozen=True)
class BreakFixCost:
    """A month of today's setup (named for break-fix, its first baseline): spend, call-outs and downtime.

    ``labour_per_month`` is the spend (their own figure, or modelled break-fix labour); the
    downtime is modelled.
    """

    incidents_per_month: Number
    hours_per_incident: Number
    downtime_hours_per_month: Number
    labour_per_month: int
    emergency_per_month: int
    downtime_per_month: int
    per_month: int


@dataclass(frozen=True)
class ServiceLine:
    """One recurring service of the profile, priced for this prospect."""

    name: str
    unit: str
    price: int
    quantity: int
    per_month: int


@dataclass(frozen=True)
class ManagedCost:
    """A month of the managed service and its one-off onboarding fee."""

    per_month: int
    onboarding_fee: int
    services: list[ServiceLine] = field(default_factory=list)
    kept_per_month: int = 0  # today's spend that stays (in-house staff)
    downtime_per_month: int = 0  # the modelled downtime that remains
    total_per_month: int = 0  # the three together

    def to_context(self) -> dict:
        """Return the fields as a dict (services as dicts)."""
        return asdict(self)


@dataclass(frozen=True)
class CostComparison:
    """Cumulative break-fix and managed cost: over the whole period, and at every 12-month mark."""

    months: int
    break_fix_total: int
    managed_total: int
    savings: int
    break_even_month: int | None  # the first month managed has cost less in total; None if never
    horizons: list[int]
    labels: list[str]
    break_fix_by_horizon: list[int]
    managed_by_horizon: list[int]
    savings_by_horizon: list[int]


@dataclass(frozen=True)
class ChartSeries:
    """One named series of chart values."""

    name: str
    values: list[Number]


@dataclass(frozen=True)
class ChartData:
    """The categories and series of one chart, as a bound chart in a template takes them."""

    categories: list[str]
    series: list[ChartSeries]
    number_format: str = ""  # the labels' format code ("" keeps the template's)

    def to_context(self) -> dict:
        """Return ``{categories: [..], series: [{name, values}]}``, with ``number_format`` when set."""
        data = asdict(self)
        if not self.number_format:
            del data["number_format"]
        return data


@dataclass(frozen=True)
class CostEstimate:
    """Downtime cost, break-fix versus managed, the assumptions behind them, chart data and warnings."""

    locale: str
    currency: str
    price_currency: str  # the MSP's currency, which prices and defaults are in
    users: int
    users_known: bool
    downtime: DowntimeCost
    break_fix: BreakFixCost
    managed: ManagedCost
    comparison: CostComparison
    assumption_items: list[Assumption]
    assumptions: list[str]  # the items as sentences in the deck's locale
    charts: dict[str, ChartData]
    warnings: list[DeckgenWarning] = field(default_factory=list)
    baseline: Baseline | None = None
    savings_range: CostRange | None = None  # savings over the period
    today_per_year: CostRange | None = None
    managed_per_year: CostRange | None = None
    downtime_reduction: float = 0.0
    basis: str = ""  # one line under the headline figure

    @property
    def downtime_per_hour(self) -> int:
        """Return the total cost of an hour of downtime."""
        return self.downtime.total_per_hour

    def to_context(self) -> dict:
        """Return the plain data templates see as ``costs`` (warnings as the user's sentences)."""
        return {
            "locale": self.locale,
            "currency": self.currency,
            "price_currency": self.price_currency,
            "users": self.users,
            "users_known": self.users_known,
            "downtime_per_hour": self.downtime_per_hour,
            "downtime": asdict(self.downtime),
            "break_fix": asdict(self.break_fix),
            "managed": self.managed.to_context(),
            "comparison": asdict(self.comparison),
            "assumption_items": [item.to_context() for item in self.assumption_items],
            "assumptions": list(self.assumptions),
            "warnings": [str(w) for w in self.warnings],
            "charts": {name: chart.to_context() for name, chart in self.charts.items()},
            "baseline": asdict(self.baseline) if self.baseline else None,
            "range": {
                "savings": asdict(self.savings_range) if self.savings_range else None,
                "today_per_year": asdict(self.today_per_year) if self.today_per_year else None,
                "managed_per_year": asdict(self.managed_per_year) if self.managed_per_year else None,
            },
            "downtime_reduction": self.downtime_reduction,
            "basis": self.basis,
        }


def make_charts(
    downtime_parts: list[tuple[str, int]],
    comparison: CostComparison,
    baseline_label: str,
    spend_year: list[int],
    downtime_year: list[int],
    money_format=lambda largest: "",
) -> dict[str, ChartData]:
    """The cost charts: an hour of downtime in parts, today versus managed over time, and a year of each split
    into IT spend and modelled downtime (so the modelled part is never hidden in one bar).

    ``money_format(largest)`` gives each chart's label format for its largest amount
    (:func:`deckgen.sales.chart_formats.chart_money_format`: with the sign, compact for 7-digit amounts)."""

    def chart(categories: list[str], series: list[ChartSeries]) -> ChartData:
        largest = max((abs(v) for s in series for v in s.values), default=0)
        return ChartData(categories, series, money_format(largest))

    return {
        "downtime_cost": chart(
            [name for name, _ in downtime_parts],
            [ChartSeries("Cost per hour of downtime", [v for _, v in downtime_parts])],
        ),
        "cost_comparison": chart(
            list(comparison.labels),
            [
                ChartSeries(baseline_label, list(comparison.break_fix_by_horizon)),
                ChartSeries("Managed", list(comparison.managed_by_horizon)),
            ],
        ),
        "cost_breakdown": chart(
            ["Today", "Managed"],
            [ChartSeries("IT spend a year", spend_year), ChartSeries("Modelled downtime a year", downtime_year)],
        ),
    }
