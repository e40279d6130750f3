"""The deck's context uses the prospect-fitted offers and slide copy (deckgen.sales.offers, deckgen.sales.people).

Three call sites in deckgen/sales/context.py: ``build_plan(..., prospect=prospect)``,
``slide_pains(prospect.pain_points, prospect)`` and ``coach_slides(..., notes={"heard": named_pains_note(prospect)})``.
"""

from __future__ import annotations

import datetime as dt

from deckgen.brand.kit import load_brand
from deckgen.load.files import load_profile, load_prospect
from deckgen.resources import examples_dir
from deckgen.sales.context import build_context
from deckgen.sales.costs import estimate_costs
from deckgen.sales.fit import score_fit
from deckgen.sales.locales import resolve_locale

PROFILE = load_profile(examples_dir() / "profile.yaml")


def context(name: str) -> dict:
    prospect = load_prospect(examples_dir() / "prospects" / f"{name}.yaml")
    locale, currency = resolve_locale(prospect, PROFILE)
    return build_context(
        profile=PROFILE,
        prospect=prospect,
        brand=load_brand(None, []),
        fit=score_fit(prospect, PROFILE),
        closing=None,
        costs=estimate_costs(prospect, PROFILE),
        today=dt.date(2026, 11, 25),
        locale=locale,
        currency=currency,
    )


def test_thamesides_deck_offers_no_compliance_tier_it_cannot_keep():
    plan = context("thameside-accountants")["deck"]["plan"]
    assert [t["name"] for t in plan["tiers"]] == ["Essentials", "Secure"]
    assert "Compliance Program" not in [a["name"] for a in plan["addons"]]


def test_hill_countrys_slide_names_a_role_and_the_notes_keep_sam():
    deck = context("hill-country-veterinary")["deck"]
    assert not any("Sam" in p for p in deck["pain_points"])
    assert "Patches wait until Sam has a free weekend." in deck["coach"]["heard"]["note"]
