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
from deckgen.sales.proof import (
    claims_other_industry,
    fitted_proof_points,
    industry_terms,
    ranked_proof,
    unneeded_framework,
)
from deckgen.sales.regions import TaxWording, country_name, tax_wording

_ONSITE_WORDS = re.compile(r"\bon[- ]?site\b", re.IGNORECASE)
_BUSINESS_HOURS = re.compile(r"\bbusiness[- ]hours?\b", re.IGNORECASE)
GENERIC_DATA_AT_RISK = "customer and business data"


def in_service_area(prospect: Prospect, profile: Profile) -> bool:
    """True when the prospect's city or region is one the MSP serves on site."""
    loc = prospect.location
    return any(
        place_matches(loc.city, term) or place_matches(loc.region, term)
        for term in profile.icp.geography.onsite_regions
    )


def business_hours_zone(profile: Profile) -> str:
    """Whose business hours an SLA counts in, as the deck says it: "your local time" when support follows
    the client, else the profile's ``msp.time_zone``, else "<the MSP's city> time"; "" when none is known."""
    msp = profile.msp
    if msp.business_hours == "client":
        return "your local time"
    if msp.time_zone.strip():
        return msp.time_zone.strip()
    return f"{msp.city.strip()} time" if msp.city.strip() else ""


def _with_zone(text: str, zone: str, ours: bool = False) -> tuple[str, bool]:
    """``text`` with the zone after its first "business hours" ("4 business hours (US Central Time)");
    ``ours`` says the hours are the MSP's ("First response, our hours (US Central Time)"), for a client who
    reads them in another country."""
    if not zone or zone.casefold() in text.casefold():
        return text, False

    def zoned(m: re.Match) -> str:
        if not ours or re.search(r"\d\s*$", text[: m.start()]):  # "4 business hours (US Central Time)"
            return f"{m.group(0)} ({zone})"
        return f"our hours ({zone})"  # as many words as "business hours": the slide keeps its word count

    new, n = _BUSINESS_HOURS.subn(zoned, text, count=1)
    return new, bool(n)


def msp_country(profile: Profile) -> str | None:
    """The MSP's own country, from the territory of ``msp.locale`` ("en-US" → "US"); None when it has none."""
    parts = (profile.msp.locale or "").replace("_", "-").split("-")
    last = parts[-1] if len(parts) > 1 else ""
    return last.upper() if len(last) == 2 and last.isalpha() else None


def abroad_country(prospect: Prospect, profile: Profile) -> str:
    """The prospect's country by name when it is known and not the MSP's own (their working day may start
    at another hour than ours), else ""."""
    theirs, ours = country_code(prospect.location.country), msp_country(profile)
    return country_name(theirs) if theirs and ours and theirs != ours else ""


def hours_note(prospect: Prospect, profile: Profile, onsite: bool) -> str:
    """For the seller, when a client abroad reads SLAs that count in the MSP's business hours: say so first
    (:func:`fitted_slas` writes them as ours); "" when support follows the client's hours or they are local."""
    country = "" if onsite else abroad_country(prospect, profile)
    zone = business_hours_zone(profile) if profile.msp.business_hours == "msp" else ""
    if not country or not zone or not any(_BUSINESS_HOURS.search(s.metric + " " + s.target) for s in profile.slas):
        return ""
    return (
        f"They work in {country}; every response time in business hours counts in ours ({zone}). Say before "
        "they ask which of their working hours that covers, and what runs around the clock; do not promise "
        "cover nobody staffs."
    )


def fitted_slas(profile: Profile, onsite: bool, abroad: bool = False) -> list[dict]:
    """The SLAs that apply: on-site ones only inside the service area, remote ones only outside it.

    Outside the on-site area the client may sit in another time zone, so a promise in business
    hours says whose (:func:`business_hours_zone`), once per SLA: in the target if it counts in them,
    else in the metric. ``abroad`` (a client in another country, :func:`abroad_country`) with the MSP's
    hours says they are ours: "our hours (US Central Time)", never a zone they might take for theirs.
    """
    zone = "" if onsite else business_hours_zone(profile)
    ours = abroad and profile.msp.business_hours == "msp"
    out = []
    for sla in profile.slas:
        where = sla.where
        if where == "all" and _ONSITE_WORDS.search(sla.metric):
            where = "onsite"
        if (where == "onsite" and not onsite) or (where == "remote" and onsite):
            continue
        target, done = _with_zone(sla.target, zone, ours)
        metric = sla.metric if done else _with_zone(sla.metric, zone, ours)[0]
        out.append({"metric": metric, "target": target, "where": where})
    return out


def zoneless_business_hours(profile: Profile, onsite: bool) -> bool:
    """True when a remote client's deck promises business hours without saying whose (set msp.time_zone)."""
    return (
        not onsite
        and not business_hours_zone(profile)
        and any(_BUSINESS_HOURS.search(s.metric + " " + s.target) for s in profile.slas if s.where != "onsite")
    )


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


def fx_note(profile: Profile, currency: str, fx: Fraction) -> str:
    """For the seller, when the deck's currency is not the MSP's: which prices are the profile's own in it and
    which figures were converted, at what rate (so every figure traces to an assumption); "" otherwise."""
    base = profile.msp.currency
    if currency == base or fx == 1:
        return ""
    sources: dict[str, list[str]] = {"local": [], "converted": []}
    for s in profile.services:
        sources.setdefault(unit_price(s, currency, base, fx)[1], []).append(s.name)
    own = f"your own {currency} prices for {', '.join(sources['local'])}; " if sources["local"] else ""
    converted = ", ".join([*sources["converted"], "the onboarding fee", "your budget floor"])
    return (
        f"FIGURES IN {currency}: {own}converted from {base} at {float(fx):.6g} {currency} per {base} (exchange_rates "
        f"in your profile, not updated for you: check it before sending): {converted}, and any amount their data "
        f"gave in another currency."
    )


def fitted_metrics(profile: Profile, prospect: Prospect) -> list[dict]:
    """The MSP's figures, without those meant for other industries."""
    return [
        {"label": m.label, "value": m.value}
        for m in profile.metrics
        if not m.industries or any(industry_matches(prospect.industry, term) for term in m.industries)
    ]


def industry_proof(profile: Profile, prospect: Prospect) -> IndustryProof | None:
    """The profile's proof entry for the prospect's own industry (or its broader category), if any.

    Its proof points and story are as the prospect reads them: points that claim another industry
    or a framework they do not need left out (:mod:`deckgen.sales.proof`), a story that names
    another industry, or such a framework, dropped.
    """
    ranked = ranked_proof(profile, prospect)
    if not ranked or ranked[0][0] != 0:
        return None
    entry = ranked[0][1]
    story = entry.story
    if story and (
        claims_other_industry(story, prospect.industry, industry_terms(profile))
        or unneeded_framework(story, prospect, profile)
    ):
        story = ""
    return entry.model_copy(update={"proof_points": fitted_proof_points(profile, prospect), "story": story})


def fitted_usp(profile: Profile, prospect: Prospect) -> dict:
    """The USP with the proof points chosen for this prospect and the data at risk named for their industry."""
    usp = profile.usp.model_dump(mode="json")
    usp["proof_points"] = fitted_proof_points(profile, prospect)
    proof = industry_proof(profile, prospect)
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
    "abroad_country",
    "business_hours_zone",
    "deck_tax",
    "fitted_metrics",
    "fitted_services",
    "fitted_slas",
    "fitted_usp",
    "fx_note",
    "hours_note",
    "in_service_area",
    "industry_proof",
    "local_disclaimer",
    "msp_country",
    "zoneless_business_hours",
]
