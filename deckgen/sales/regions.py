"""Regional defaults per country: wages, working hours, currency and the tax prices are quoted without.

Pure data. The cost model uses a country's wage and working hours when the prospect's own are not
known and the deck is in that country's currency, instead of converting the MSP's home-market
default at an exchange rate. The figures are rounded national averages for office work (gross pay
per hour, before employer on-costs) and the usual full-time working hours a year after leave and
public holidays; the profile can override either with the prospect's own numbers.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class RegionDefaults:
    """What a typical hour of staff time costs in one country, and how prices are taxed there."""

    country: str  # ISO 3166 alpha-2
    currency: str  # ISO 4217
    hourly_wage: float  # gross, in ``currency``
    working_hours_per_year: int
    wage_basis: str
    hours_basis: str


REGIONS: dict[str, RegionDefaults] = {
    r.country: r
    for r in (
        RegionDefaults("US", "USD", 32, 2080, "US average hourly earnings, rounded", "40 hours a week, 52 weeks"),
        RegionDefaults(
            "GB", "GBP", 20, 1720, "UK average gross hourly pay, rounded", "37.5 hours a week after 5.6 weeks of leave"
        ),
        RegionDefaults(
            "HK",
            "HKD",
            110,
            2150,
            "Hong Kong median monthly wage over 44-hour weeks, rounded",
            "44 hours a week after leave and public holidays",
        ),
        RegionDefaults(
            "CA", "CAD", 34, 1850, "Canadian average hourly wage, rounded", "37.5 hours a week after leave and holidays"
        ),
        RegionDefaults(
            "AU",
            "AUD",
            48,
            1740,
            "Australian average full-time ordinary hourly earnings, rounded",
            "38 hours a week after 4 weeks of leave and public holidays",
        ),
        RegionDefaults(
            "DE",
            "EUR",
            26,
            1700,
            "German average gross hourly earnings, rounded",
            "40 hours a week after 6 weeks of leave and public holidays",
        ),
    )
}


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


__all__ = ["REGIONS", "RegionDefaults", "TaxWording", "tax_wording"]
