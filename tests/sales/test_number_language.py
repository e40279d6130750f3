"""English copy for a German prospect: percentages and numbers the English way, money the euro's way."""

from __future__ import annotations

from fractions import Fraction

from deckgen.load.files import load_profile, load_prospect
from deckgen.model import Location
from deckgen.resources import examples_dir
from deckgen.sales.brief import seller_brief
from deckgen.sales.budget import money_text
from deckgen.sales.fit import score_fit

EXAMPLES = examples_dir()


def german():
    base = load_profile(EXAMPLES / "profile.yaml")
    icp = base.icp.model_copy(
        update={"geography": base.icp.geography.model_copy(update={"countries": ["US", "GB", "HK", "DE"]})}
    )
    profile = base.model_copy(update={"icp": icp, "exchange_rates": {**base.exchange_rates, "EUR": 0.92}})
    london = load_prospect(EXAMPLES / "prospects" / "thameside-accountants.yaml")
    prospect = london.model_copy(
        update={"location": Location(city="Köln", country="Germany"), "locale": "de-DE", "currency": ""}
    )
    return profile, prospect


def test_money_in_seller_sentences_follows_the_decks_locale():
    assert money_text(Fraction(122), "EUR", "de-DE") == "122\xa0€"
    assert money_text(Fraction(122), "EUR") == "€122"  # no locale: English, as before


def test_the_price_objection_writes_euros_as_the_deck_does_and_percent_the_english_way():
    profile, prospect = german()
    fit = score_fit(prospect, profile)
    brief = seller_brief(profile=profile, prospect=prospect, fit=fit, closing=None, storyline="buyer")
    price = next(o for o in brief["objections"] if o["id"] == "price-above-budget")
    # the deck's notes say "89 € × 42 = 3.738 €": the brief writes euros the same way, never "€122"
    assert "Secure is 122\xa0€ a user a month, 16% above their budget of 105\xa0€" in price["answer"]
    assert "€1" not in price["answer"]
