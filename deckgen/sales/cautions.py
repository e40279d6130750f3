"""What the seller should check before a deck goes out: warnings from the deck's data. Pure.

They travel with the deck's other warnings (printed by ``deckgen build``, listed per row in the
batch report), so a wrong assumption in the profile is caught before the prospect reads it.
"""

from __future__ import annotations

from deckgen.errors import DataWarning
from deckgen.model import Profile, Prospect
from deckgen.sales.fitted import in_service_area, zoneless_business_hours


def deck_cautions(profile: Profile, prospect: Prospect, fit) -> list[DataWarning]:
    """Warnings for one deck: a country the profile does not serve, business hours without a time zone."""
    out: list[DataWarning] = []
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


__all__ = ["deck_cautions"]
