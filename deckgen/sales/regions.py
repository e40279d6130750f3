"""Regional defaults per country: wages, working hours, IT support rates, currency and how prices are taxed.

Pure data. The cost model uses a country's figures when the prospect's own are not known and the
deck is in that country's currency, instead of converting the MSP's home-market default at an
exchange rate. Wages are rounded national averages for office work (gross pay per hour, before
employer on-costs); hours are the usual full-time working hours a year after leave and public
holidays; the support rates are what small businesses there typically pay: an hour of break-fix
work, the surcharge for an emergency call-out, and another MSP's fully managed price per user a
month, each rounded to a price a provider would quote. The profile overrides any of them per
country (``cost_defaults.regions``), and the prospect's own numbers override both.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from babel import Locale

# the cost model's inputs a country can set, in the order of RegionDefaults' fields
REGIONAL_KEYS = ("hourly_wage", "working_hours_per_year", "break_fix_rate", "emergency_fee", "other_msp_per_user_month")
# prices a provider quotes: a converted one is rounded to a price point like any other price
QUOTED_RATES = ("break_fix_rate", "emergency_fee", "other_msp_per_user_month")


@dataclass(frozen=True)
class RegionDefaults:
    """What staff time and IT support typically cost in one country, in its own currency, with the basis of each."""

    country: str  # ISO 3166 alpha-2
    currency: str  # ISO 4217
    hourly_wage: float  # gross, in ``currency``
    working_hours_per_year: int
    wage_basis: str
    hours_basis: str
    name: str = ""  # the country as the notes name it
    break_fix_rate: float = 0  # an hour of ad-hoc support
    break_fix_basis: str = ""
    emergency_fee: float = 0  # on top of the hours, for an urgent call-out
    emergency_basis: str = ""
    other_msp_per_user_month: float = 0
    other_msp_basis: str = ""

    def figure(self, key: str) -> tuple[float, str]:
        """Return ``(value, basis)`` of one of :data:`REGIONAL_KEYS`."""
        basis = {
            "hourly_wage": self.wage_basis,
            "working_hours_per_year": self.hours_basis,
            "break_fix_rate": self.break_fix_basis,
            "emergency_fee": self.emergency_basis,
            "other_msp_per_user_month": self.other_msp_basis,
        }[key]
        return getattr(self, key), basis


REGIONS: dict[str, RegionDefaults] = {
    r.country: r
    for r in (
        RegionDefaults(
            "US",
            "USD",
            32,
            2080,
            "US average hourly earnings, rounded",
            "40 hours a week, 52 weeks",
            name="the United States",
            break_fix_rate=150,
            break_fix_basis="a typical US break-fix rate for a business IT technician ($100–200 an hour)",
            emergency_fee=250,
            emergency_basis="a typical US charge for a same-day or after-hours call-out",
            other_msp_per_user_month=125,
            other_msp_basis="a typical US fully managed IT price ($100–150 per user a month)",
        ),
        RegionDefaults(
            "GB",
            "GBP",
            20,
            1720,
            "UK average gross hourly pay, rounded",
            "37.5 hours a week after 5.6 weeks of leave",
            name="the UK",
            break_fix_rate=85,
            break_fix_basis="a typical UK ad-hoc IT support rate (£60–110 an hour)",
            emergency_fee=150,
            emergency_basis="a typical UK charge for a same-day or out-of-hours call-out",
            other_msp_per_user_month=55,
            other_msp_basis="a typical UK fully managed IT price (£40–70 per user a month)",
        ),
        RegionDefaults(
            "HK",
            "HKD",
            110,
            2150,
            "Hong Kong median monthly wage over 44-hour weeks, rounded",
            "44 hours a week after leave and public holidays",
            name="Hong Kong",
            break_fix_rate=800,
            break_fix_basis="a typical Hong Kong call-out rate for ad-hoc IT support (HK$600–1,000 an hour)",
            emergency_fee=1500,
            emergency_basis="a typical Hong Kong charge for an urgent or after-hours call-out",
            other_msp_per_user_month=500,
            other_msp_basis="a typical Hong Kong managed IT price (HK$350–650 per user a month)",
        ),
        RegionDefaults(
            "CA",
            "CAD",
            34,
            1850,
            "Canadian average hourly wage, rounded",
            "37.5 hours a week after leave and holidays",
            name="Canada",
            break_fix_rate=140,
            break_fix_basis="a typical Canadian ad-hoc IT support rate (CA$110–175 an hour)",
            emergency_fee=250,
            emergency_basis="a typical Canadian charge for a same-day or after-hours call-out",
            other_msp_per_user_month=140,
            other_msp_basis="a typical Canadian fully managed IT price (CA$110–175 per user a month)",
        ),
        RegionDefaults(
            "AU",
            "AUD",
            48,
            1740,
            "Australian average full-time ordinary hourly earnings, rounded",
            "38 hours a week after 4 weeks of leave and public holidays",
            name="Australia",
            break_fix_rate=165,
            break_fix_basis="a typical Australian ad-hoc IT support rate (A$130–200 an hour)",
            emergency_fee=275,
            emergency_basis="a typical Australian charge for a same-day or after-hours call-out",
            other_msp_per_user_month=150,
            other_msp_basis="a typical Australian fully managed IT price (A$120–180 per user a month)",
        ),
        RegionDefaults(
            "DE",
            "EUR",
            26,
            1700,
            "German average gross hourly earnings, rounded",
            "40 hours a week after 6 weeks of leave and public holidays",
            name="Germany",
            break_fix_rate=95,
            break_fix_basis="a typical German hourly rate for IT service work (€75–120 an hour)",
            emergency_fee=150,
            emergency_basis="a typical German surcharge for an urgent or out-of-hours call-out",
            other_msp_per_user_month=75,
            other_msp_basis="a typical German fully managed IT price (€55–95 per user a month)",
        ),
    )
}


@dataclass(frozen=True)
class RegionalFigure:
    """One input of the cost model for a country: its value in the deck's currency, source and basis.

    ``source`` is ``region`` (:data:`REGIONS`) or ``profile_region`` (the profile's
    ``cost_defaults.regions``).
    """

    value: float
    source: str
    basis: str


@cache
def country_name(code: str | None) -> str:
    """The country as the notes name it ("Hong Kong", "France"); the code itself when Babel does not know it."""
    if not code:
        return ""
    if code in REGIONS:
        return REGIONS[code].name
    return Locale("en").territories.get(code, code)


def regional_figure(
    key: str, country: str | None, currency: str, msp_currency: str, overrides: Mapping[str, Any]
) -> RegionalFigure | None:
    """The country's own figure for ``key`` in the deck's ``currency``, or None to fall back to the profile's default.

    In order: the profile's figure for the country (``overrides[country]``, a
    :class:`deckgen.model.RegionalCosts`; its amounts are in its ``currency``, else the country's
    currency in :data:`REGIONS`, else the deck's) when it sets ``key`` and is in the deck's
    currency; then :data:`REGIONS` when the deck is in the country's currency and that is not the
    MSP's own (the profile's defaults are the MSP's home-market figures).
    """
    if key not in REGIONAL_KEYS or not country:
        return None
    region = REGIONS.get(country)
    own = overrides.get(country)
    if own is not None and getattr(own, key, None) is not None:
        own_currency = own.currency or (region.currency if region else currency)
        if own_currency == currency:
            basis = own.basis or f"our figure for {country_name(country)}"
            return RegionalFigure(getattr(own, key), "profile_region", basis)
    if region is not None and region.currency == currency and currency != msp_currency:
        value, basis = region.figure(key)
        return RegionalFigure(value, "region", basis)
    return None


def converted_basis(key: str, country: str | None, currency: str, msp_value: float, msp_currency: str, fx) -> str:
    """The basis of a profile default converted into the deck's currency, saying why no country figure was used."""
    figure = f"the profile's {msp_value:,.10g} {msp_currency} at its exchange rate of {float(fx):.10g} {currency}"
    if not country:
        return f"{figure}; the prospect's country is not known"
    region = REGIONS.get(country)
    if region is not None and region.currency != currency:
        return f"{figure}; the deck is in {currency}, so the {region.currency} figures for {region.name} do not apply"
    if key not in REGIONAL_KEYS:
        return figure
    return f"{figure}; no regional figure for {country_name(country)}"


@dataclass(frozen=True)
class TaxWording:
    """How prices are taxed in a country: the tax's name ("" when none) and the sentence for the small print."""

    name: str
    sentence: str


_VAT = ("GB", "DE", "FR", "IE", "NL", "ES", "IT", "AT", "CH", "AE", "ZA")
_GST = ("AU", "NZ", "CA", "SG", "IN")
_NONE = ("HK",)


def tax_wording(country: str | None) -> TaxWording:
    """The tax a quote in ``country`` (ISO code) is given without; unknown countries get "applicable taxes"."""
    code = (country or "").upper()
    if code == "US":
        return TaxWording("sales tax", "Prices exclude sales tax.")
    if code in _VAT:
        return TaxWording("VAT", "Prices exclude VAT.")
    if code in _GST:
        return TaxWording("GST", "Prices exclude GST.")
    if code in _NONE:
        return TaxWording("", "No sales tax or VAT applies to these prices.")
    return TaxWording("applicable taxes", "Prices exclude applicable taxes.")


__all__ = [
    "QUOTED_RATES",
    "REGIONAL_KEYS",
    "REGIONS",
    "RegionDefaults",
    "RegionalFigure",
    "TaxWording",
    "converted_basis",
    "country_name",
    "regional_figure",
    "tax_wording",
]
