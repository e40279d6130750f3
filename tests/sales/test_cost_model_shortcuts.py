"""The cost model's fast paths give exactly what the plain computations give: rounding, the context dicts and
the assumption sentences."""

from __future__ import annotations

import dataclasses
import random
from fractions import Fraction

import pytest

from deckgen.load.files import load_profile, load_prospect
from deckgen.resources import examples_dir
from deckgen.sales import cost_estimate
from deckgen.sales.cost_text import assumption_texts, basis_line
from deckgen.sales.costs import BASELINE_LABELS, _money, estimate_costs
from deckgen.sales.locales import make_filters

PROFILE = load_profile(examples_dir() / "profile.yaml")
PROSPECTS = [load_prospect(p) for p in sorted((examples_dir() / "prospects").glob("*.yaml"))]


def _reference_money(value) -> int:
    sign = -1 if value < 0 else 1
    return sign * int((abs(value) + Fraction(1, 2)) // 1)


@pytest.mark.parametrize(
    "value, expected",
    [
        (Fraction(5, 2), 3),
        (Fraction(-5, 2), -3),
        (Fraction(1, 2), 1),
        (Fraction(-1, 2), -1),
        (Fraction(7, 3), 2),
        (Fraction(-7, 3), -2),
        (Fraction(0), 0),
        (12, 12),
        (-12, -12),
        (2.5, 3),
    ],
)
def test_money_rounds_half_away_from_zero(value, expected):
    assert _money(value) == expected


def test_money_in_integers_matches_the_fraction_arithmetic():
    rnd = random.Random(16)
    for _ in range(20_000):
        value = Fraction(rnd.randint(-(10**7), 10**7), rnd.randint(1, 720))
        assert _money(value) == _reference_money(value), value


def _dataclasses_in(value):
    if dataclasses.is_dataclass(value):
        yield value
        for f in dataclasses.fields(value):
            yield from _dataclasses_in(getattr(value, f.name))
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _dataclasses_in(item)
    elif isinstance(value, dict):
        for item in value.values():
            yield from _dataclasses_in(item)


@pytest.mark.parametrize("prospect", PROSPECTS, ids=lambda p: p.id)
def test_every_part_of_the_estimate_converts_as_dataclasses_asdict_does(prospect):
    estimate = estimate_costs(prospect, PROFILE)
    parts = [p for p in _dataclasses_in(estimate) if not isinstance(p, cost_estimate.CostEstimate)]
    assert len(parts) > 20
    for part in parts:
        assert cost_estimate.asdict(part) == dataclasses.asdict(part)


def test_the_context_shares_no_list_with_the_estimate():
    estimate = estimate_costs(PROSPECTS[0], PROFILE)
    ctx = estimate.to_context()
    ctx["comparison"]["horizons"].append(999)
    ctx["managed"]["services"].clear()
    assert 999 not in estimate.comparison.horizons and estimate.managed.services


@pytest.mark.parametrize("prospect", PROSPECTS, ids=lambda p: p.id)
def test_sentences_are_what_fresh_locale_filters_write(prospect):
    first = estimate_costs(prospect, PROFILE)
    again = estimate_costs(prospect, PROFILE)  # the remembered texts this time
    filters = make_filters(first.locale, first.currency)
    label = BASELINE_LABELS.get(prospect.it_model.value, prospect.it_model.value)
    assert first.assumptions == again.assumptions == assumption_texts(first.assumption_items, filters)
    assert first.basis == again.basis == basis_line(first.assumption_items, filters, label)
