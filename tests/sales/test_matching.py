"""Industries through the taxonomy: the values real CRMs export, NAICS codes, synonyms and adjacency."""

from __future__ import annotations

import pytest

from deckgen.model import Icp, Location, Prospect, ProspectSize
from deckgen.sales.fit import score_fit
from deckgen.sales.matching import industry_matches
from deckgen.sales.taxonomy import VERTICALS, classify, match_industry

# the profile of the issue: legal, dental and accounting practices, in plain words
TARGETS = ["legal practices", "dental practices", "accounting practices"]


def icp(**kw) -> Icp:
    return Icp(industries=TARGETS, adjacent_industries=["insurance"], **kw)


@pytest.mark.parametrize(
    "value, rule, term",
    [
        ("Law Practice", "synonym", "legal practices"),  # HubSpot / LinkedIn
        ("Legal Services", "exact", "legal practices"),  # HubSpot / Dynamics 365
        ("LAW_PRACTICE", "synonym", "legal practices"),  # HubSpot's internal value
        ("Medical Practice", "adjacent", "dental practices"),  # a neighbour of dental
        ("Hospital & Health Care", "adjacent", "dental practices"),  # the broader category
        ("Hospitals and Health Care", "adjacent", "dental practices"),  # LinkedIn's 2022 wording
        ("Healthcare", "adjacent", "dental practices"),  # Salesforce's picklist for a dental practice
        ("Finance", "adjacent", "accounting practices"),  # Salesforce's picklist for an accounting firm
        ("Accounting", "exact", "accounting practices"),
        ("Bookkeeping", "adjacent", "accounting practices"),
        ("Dentists", "synonym", "dental practices"),
        ("Doctor’s Offices and Clinics", "adjacent", "dental practices"),  # Dynamics 365, curly apostrophe
        ("541110", "synonym", "legal practices"),  # NAICS: offices of lawyers
        ("621210 - Offices of Dentists", "synonym", "dental practices"),
        ("NAICS 541211", "synonym", "accounting practices"),
        ("541219", "adjacent", "accounting practices"),  # other accounting services = bookkeeping
        ("Insurance", "adjacent", "insurance"),  # the profile's own adjacent list
        ("Family dental clinic", "synonym", "dental practices"),  # free words
    ],
)
def test_crm_industry_values_match_plain_word_verticals(value, rule, term):
    m = match_industry(value, TARGETS, ["insurance"], industry_matches)
    assert (m.rule, m.term) == (rule, term)


@pytest.mark.parametrize("value", ["Logistics and Supply Chain", "Retail", "Hospitality", "Construction", "Brewery"])
def test_other_industries_match_nothing(value):
    assert match_industry(value, TARGETS, [], industry_matches).rule == "none"


@pytest.mark.parametrize("value", ["", "Other", "N/A", "-", "Unknown", "Please select"])
def test_placeholder_industries_are_unknown_not_a_mismatch(value):
    fit = score_fit(Prospect(company="X", industry=value), icp())
    industry = fit.criterion("industry")
    assert (industry.known, industry.rule, float(industry.points)) == (False, "unknown", 6.0)


def test_the_issue_values_score_and_the_rule_is_reported():
    points = {}
    for value in (
        "Law Practice",
        "Legal Services",
        "Hospital & Health Care",
        "Medical Practice",
        "Healthcare",
        "Finance",
    ):
        c = score_fit(Prospect(company="X", industry=value), icp()).criterion("industry")
        points[value] = (float(c.points), c.rule)
    assert points == {
        "Law Practice": (20.0, "synonym"),
        "Legal Services": (20.0, "exact"),
        "Hospital & Health Care": (10.0, "adjacent"),
        "Medical Practice": (10.0, "adjacent"),
        "Healthcare": (10.0, "adjacent"),
        "Finance": (10.0, "adjacent"),
    }


def test_a_naics_code_in_the_list_sharpens_a_broad_industry():
    broad = Prospect(company="X", industry="Healthcare", extra={"NAICSCODE": "621210"})
    assert score_fit(broad, icp()).criterion("industry").rule == "synonym"
    no_industry = Prospect(company="Y", extra={"NAICS Code": "541110"})
    assert float(score_fit(no_industry, icp()).criterion("industry").points) == 20


def test_narrower_kind_of_a_profile_vertical_is_full_credit():
    m = match_industry("Orthodontics", ["healthcare"], [], industry_matches)
    assert m.rule == "synonym"
    assert match_industry("Healthcare", ["healthcare"], [], industry_matches).rule == "exact"


def test_words_the_taxonomy_does_not_know_still_match_word_by_word():
    assert match_industry("Craft breweries", ["craft brewery"], [], industry_matches).rule == "exact"
    assert match_industry("牙科診所", ["牙科"], [], industry_matches).rule == "exact"


def test_taxonomy_is_consistent():
    keys = {v.key for v in VERTICALS}
    for v in VERTICALS:
        assert v.parent is None or v.parent in keys, v.key
        assert set(v.adjacent) <= keys, v.key
        assert classify(v.key.replace("_", " "))[0] == v.key
        for code in v.naics:
            assert code.isdigit() and 2 <= len(code) <= 6


def test_geography_and_size_unchanged_by_the_taxonomy():
    p = Prospect(company="X", industry="Law Practice", size=ProspectSize(users=40), location=Location(country="US"))
    fit = score_fit(p, icp())
    assert fit.criterion("size").known and fit.criterion("geography").known
