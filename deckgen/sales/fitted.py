"""Content fitted to one prospect: on-site or remote service, industry proof, tax wording, local prices.

The context (:mod:`deckgen.sales.context`) uses these so the existing template tags show the right
thing: ``slas``, ``services``, ``metrics``, ``usp.proof_points``, ``usp.problem`` and
``brand.disclaimer`` are already fitted, and ``deck.service_area``, ``deck.tax`` and
``deck.industry_proof`` say what was chosen. Pure: no file I/O.
"""

from __future__ import annotations

import re
from fractions import Fraction

from deckgen.model import IndustryProof, Profile, Prospect
from deckgen.sales.locales import country_code
from deckgen.sales.matching import industry_matches, place_matches
from deckgen.sales.pricing import unit_price
from deckgen.sales.regions import TaxWording, tax_wording

_ONSITE_WORDS = re.compile(r"\bon[- ]?site\b", re.IGNORECASE)
GENERIC_DATA_AT_RISK = "customer and business data"


def in_service_area(prospect: Prospect, profile: Profile) -> bool:
    """True when the prospect's city or region is one the MSP serves on site."""
    loc = prospect.location
    return any(
        place_matches(loc.city, term) or place_matches(loc.region, term)
        for term in profile.icp.geography.onsite_regions
    )


def fitted_slas(profile: Profile, onsite: bool) -> list[dict]:
    """The SLAs that apply: on-site ones only inside the service area, remote ones only outside it."""
    out = []
    for sla in profile.slas:
        where = sla.where
        if where == "all" and _ONSITE_WORDS.search(sla.metric):
            where = "onsite"
        if (where == "onsite" and not onsite) or (where == "remote" and onsite):
            continue
        out.append({"metric": sla.metric, "target": sla.target, "where": where})
    return out


def fitted_services(
    profile: Profile, currency: str, fx: Fraction, onsite: bool, unit_labels: dict[str, str]
) -> list[dict]:
    """The plan's services (add-ons are in ``deck.plan.addons``), priced in the deck's currency."""
    out = []
    for s in profile.services:
        if s.optional:
            continue
        price, source = unit_price(s, currency, profile.msp.currency, fx)
        data = s.model_dump(mode="json", exclude={"prices", "remote_description"})
        if not onsite and s.remote_description:
            data["description"] = s.remote_description
        data.update(
            price=int(price) if price.denominator == 1 else round(float(price), 2),
            price_source=source,
            unit_label=unit_labels.get(s.unit, s.unit),
        )
        out.append(data)
    return out


def fitted_metrics(profile: Profile, prospect: Prospect) -> list[dict]:
    """The MSP's figures, without those meant for other industries."""
    return [
        {"label": m.label, "value": m.value}
        for m in profile.metrics
        if not m.industries or any(industry_matches(prospect.industry, term) for term in m.industries)
    ]


def industry_proof(profile: Profile, prospect: Prospect) -> IndustryProof | None:
    """The profile's proof entry for the prospect's industry, if any."""
    if not prospect.industry:
        return None
    for entry in profile.industry_proof:
        if any(industry_matches(prospect.industry, term) for term in entry.industries):
            return entry
    return None


def fitted_usp(profile: Profile, prospect: Prospect) -> dict:
    """The USP with the industry's proof points and the data at risk named for this industry."""
    usp = profile.usp.model_dump(mode="json")
    proof = industry_proof(profile, prospect)
    if proof is not None and proof.proof_points:
        usp["proof_points"] = list(proof.proof_points)
    if usp.get("data_at_risk") and usp["data_at_risk"] in usp["problem"]:
        data = proof.data_at_risk if proof is not None and proof.data_at_risk else GENERIC_DATA_AT_RISK
        usp["problem"] = usp["problem"].replace(usp["data_at_risk"], data)
        usp["data_at_risk"] = data
    return usp


_TAX_WORDS = r"(?:sales tax|VAT|GST|taxes)"


def local_disclaimer(text: str, tax: TaxWording) -> str:
    """The brand's small print with the country's tax ("Prices exclude sales tax" → "… VAT", or dropped)."""
    if not text:
        return text
    if tax.name:
        return re.sub(rf"\b{_TAX_WORDS}\b", tax.name, text)
    text = re.sub(rf"\b(?:exclude|excludes|excluding)\s+{_TAX_WORDS}\s+and\s+", "", text)
    text = re.sub(rf",?\s*\b(?:exclude|excludes|excluding)\s+{_TAX_WORDS}\b", "", text)
    return text


def deck_tax(prospect: Prospect) -> TaxWording:
    """The tax wording for the prospect's country."""
    return tax_wording(country_code(prospect.location.country))


__all__ = [
    "deck_tax",
    "fitted_metrics",
    "fitted_services",
    "fitted_slas",
    "fitted_usp",
    "in_service_area",
    "industry_proof",
    "local_disclaimer",
]
