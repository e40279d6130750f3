"""Industry values as a CRM's API writes them (``HOSPITAL_HEALTH_CARE``), as the label its screens show.

HubSpot exports made through its API or an integration, and Salesforce picklists exported by API
name, carry the internal value of an industry instead of its label. A deck that shows the industry
must never show an enum, so :func:`industry_label` gives HubSpot's label for the values whose label
is not simply the words (``FOOD_BEVERAGES`` is "Food & Beverages"), and otherwise the words in title
case (``COMPUTER_SOFTWARE`` is "Computer Software"). Matching against the profile's industries does
not depend on this: the taxonomy ignores case, ``_`` and ``&`` alike.
"""

from __future__ import annotations

import re

__all__ = ["industry_label"]

# HubSpot's industry values whose label has an '&', '/', ',' or '-' the value lost
_LABELS = {
    "AIRLINES_AVIATION": "Airlines/Aviation",
    "APPAREL_FASHION": "Apparel & Fashion",
    "ARCHITECTURE_PLANNING": "Architecture & Planning",
    "AVIATION_AEROSPACE": "Aviation & Aerospace",
    "CIVIC_SOCIAL_ORGANIZATION": "Civic & Social Organization",
    "COMPUTER_NETWORK_SECURITY": "Computer & Network Security",
    "DEFENSE_SPACE": "Defense & Space",
    "E_LEARNING": "E-Learning",
    "ELECTRICAL_ELECTRONIC_MANUFACTURING": "Electrical/Electronic Manufacturing",
    "FOOD_BEVERAGES": "Food & Beverages",
    "FUND_RAISING": "Fund-Raising",
    "GAMBLING_CASINOS": "Gambling & Casinos",
    "GLASS_CERAMICS_CONCRETE": "Glass, Ceramics & Concrete",
    "HEALTH_WELLNESS_AND_FITNESS": "Health, Wellness and Fitness",
    "HOSPITAL_HEALTH_CARE": "Hospital & Health Care",
    "INDIVIDUAL_FAMILY_SERVICES": "Individual & Family Services",
    "INFORMATION_TECHNOLOGY_AND_SERVICES": "Information Technology and Services",
    "LEISURE_TRAVEL_TOURISM": "Leisure, Travel & Tourism",
    "LUXURY_GOODS_JEWELRY": "Luxury Goods & Jewelry",
    "MINING_METALS": "Mining & Metals",
    "OIL_ENERGY": "Oil & Energy",
    "OUTSOURCING_OFFSHORING": "Outsourcing/Offshoring",
    "PACKAGE_FREIGHT_DELIVERY": "Package/Freight Delivery",
    "PAPER_FOREST_PRODUCTS": "Paper & Forest Products",
    "PRIMARY_SECONDARY_EDUCATION": "Primary/Secondary Education",
    "PROFESSIONAL_TRAINING_COACHING": "Professional Training & Coaching",
    "RENEWABLES_ENVIRONMENT": "Renewables & Environment",
    "TRANSPORTATION_TRUCKING_RAILROAD": "Transportation/Trucking/Railroad",
    "VENTURE_CAPITAL_PRIVATE_EQUITY": "Venture Capital & Private Equity",
    "WINE_AND_SPIRITS": "Wine and Spirits",
}
# HubSpot's one-word values: other words in capitals (HIPAA, FMCG) may be what the user meant
_ONE_WORD = frozenset(
    "ACCOUNTING ANIMATION AUTOMOTIVE BANKING BIOTECHNOLOGY CHEMICALS CONSTRUCTION COSMETICS DAIRY DESIGN "
    "ENTERTAINMENT FARMING FISHERY FURNITURE HOSPITALITY INSURANCE INTERNET JUDICIARY LIBRARIES MACHINERY "
    "MARITIME MILITARY MUSIC NANOTECHNOLOGY NEWSPAPERS PHARMACEUTICALS PHILANTHROPY PHOTOGRAPHY PLASTICS "
    "PRINTING PUBLISHING RANCHING RESEARCH RESTAURANTS RETAIL SEMICONDUCTORS SHIPBUILDING SPORTS SUPERMARKETS "
    "TELECOMMUNICATIONS TEXTILES TOBACCO UTILITIES VETERINARY WAREHOUSING WHOLESALE WIRELESS".split()
)
_SMALL_WORDS = {"and", "or", "of", "the", "for", "in", "on", "to"}
_ACRONYMS = {"it", "hr", "ai", "tv", "ngo", "b2b", "b2c", "cpa", "erp", "saas", "usa", "uk", "eu", "ict"}
_ENUM = re.compile(r"[A-Za-z0-9]+(?:_[A-Za-z0-9]+)+(?:__c)?|[A-Z][A-Z0-9]{2,}")
_MAX_ENUM = 120


def industry_label(text: str) -> str:
    """``HOSPITAL_HEALTH_CARE`` -> "Hospital & Health Care", ``Computer_Software__c`` -> "Computer Software";
    text that is not an enum value comes back as it is. Each value of a multi-select ("A;B") on its own."""
    if ";" in text:
        return "; ".join(industry_label(part.strip()) for part in text.split(";") if part.strip())
    if len(text) > _MAX_ENUM or not _ENUM.fullmatch(text):
        return text
    key = text.removesuffix("__c").upper()
    if key in _LABELS:
        return _LABELS[key]
    if "_" not in text and key not in _ONE_WORD:
        return text
    words = [w for w in key.split("_") if w]
    shown = []
    for i, word in enumerate(words):
        low = word.lower()
        if low in _ACRONYMS:
            shown.append("SaaS" if low == "saas" else word.upper())
        elif low in _SMALL_WORDS and i:
            shown.append(low)
        else:
            shown.append(low.capitalize())
    return " ".join(shown)
