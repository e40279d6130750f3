from __future__ import annotations

import pytest

from deckgen.errors import InputError
from deckgen.load.files import load_profile
from deckgen.resources import examples_dir
from deckgen.sales.storyline import PRICED, STORYLINES, require_rate

PROFILE = load_profile(examples_dir() / "profile.yaml")


@pytest.mark.parametrize("storyline", sorted(PRICED))
def test_priced_storylines_need_a_rate(storyline):
    with pytest.raises(InputError) as caught:
        require_rate(storyline, "CAD", PROFILE, "Canada")
    assert caught.value.field == "exchange_rates.CAD"
    assert "CAD (Canada)" in str(caught.value) and "USD" in str(caught.value)


@pytest.mark.parametrize("storyline", sorted(set(STORYLINES) - PRICED))
def test_decks_without_prices_need_none(storyline):
    require_rate(storyline, "CAD", PROFILE, "Canada")


@pytest.mark.parametrize("currency", ["USD", "GBP", "HKD"])
def test_the_profiles_own_currency_and_its_rates_pass(currency):
    require_rate("pitch", currency, PROFILE, "")
