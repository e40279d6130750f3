"""What the seller should check before a deck goes out: warnings from the deck's data. Pure.

They travel with the deck's other warnings (printed by ``deckgen build``, listed per row in the
batch report), so a wrong assumption in the profile is caught before the prospect reads it.
"""

from __future__ import annotations

from deckgen.errors import DataWarning
from deckgen.model import Profile, Prospect
from deckgen.sales.costs import exchange_rate
from deckgen.sales.fitted import in_service_area, zoneless_business_hours
from deckgen.sales.pricing import unit_price
from deckgen.sales.storyline import PRICED


def deck_cautions(
    profile: Profile, prospect: Prospect, fit, currency: str = "", storyline: str = ""
) -> list[DataWarning]:
    """Warnings for one deck: a country the profile does not serve, business hours without a time zone, prices
    converted at the profile's exchange rate (``currency`` and ``storyline`` are the deck's)."""
    out: list[DataWarning] = converted_prices(profile, currency, storyline)
    country = getattr(fit, "unserved_country", "")
    if country:  # the seller may know better than the profile: ask
        out.append(
            DataWarning(
                f"confirm we serve {country}: it is not among icp.geography.countries in your profile, "
                "so this is a walk-away deck with a referral",
                field="location.country",
            )
        )
    if zoneless_business_hours(profile, in_service_area(prospect, profile)):
        out.append(
            DataWarning(
                "the SLAs promise business hours to a client outside your on-site area without saying whose: "
                "set msp.time_zone (e.g. 'US Central Time') or msp.business_hours: client",
                field="msp.time_zone",
            )
        )
    return out


def converted_prices(profile: Profile, currency: str, storyline: str) -> list[DataWarning]:
    """One warning when a deck that shows prices shows them converted from the profile's currency: exchange rates
    are not updated for the seller, so the rate is named to be checked before the deck goes out."""
    base = profile.msp.currency
    fx = exchange_rate(profile, currency) if currency and currency != base else None
    if storyline not in PRICED or fx is None or fx == 1:
        return []
    names = [s.name for s in profile.services if unit_price(s, currency, base, fx)[1] == "converted"]
    what = ", ".join([*names, "the onboarding fee"])
    return [
        DataWarning(
            f"prices converted from {base} at {float(fx):.6g} {currency} per {base} (exchange_rates in your "
            f"profile, not updated for you): {what}; check the rate before sending",
            field=f"exchange_rates.{currency}",
        )
    ]


__all__ = ["converted_prices", "deck_cautions"]
