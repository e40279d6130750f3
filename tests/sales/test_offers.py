"""Compliance offers only for prospects whose frameworks they serve; the brief says what the MSP does not cover."""

from __future__ import annotations

from fractions import Fraction

import pytest

from deckgen.load.files import load_profile, load_prospect
from deckgen.load.objections import load_objections
from deckgen.model import Profile, Prospect
from deckgen.resources import examples_dir
from deckgen.sales.brief import seller_brief
from deckgen.sales.coaching import GUIDANCE, coach_slides
from deckgen.sales.fit import score_fit
from deckgen.sales.offers import compliance_objection, fitted_offers
from deckgen.sales.pricing import build_plan

PROFILE = load_profile(examples_dir() / "profile.yaml")  # covers HIPAA, PCI DSS and SOC 2; tier "Compliant"


def example(name: str) -> Prospect:
    return load_prospect(examples_dir() / "prospects" / f"{name}.yaml")


def prospect(compliance: list[str] | None) -> Prospect:
    """None leaves the field out (not known yet); a list states it (``[]``: none)."""
    if compliance is None:
        return Prospect(company="Test Co")
    return Prospect(company="Test Co", compliance=compliance)


def plan(profile: Profile, p: Prospect | None) -> dict:
    return build_plan(
        profile, currency="USD", fx=Fraction(1), users=20, devices=20, sites=1, unit_labels={}, prospect=p
    )


def names(items: list[dict]) -> list[str]:
    return [i["name"] for i in items]


def test_a_prospect_needing_frameworks_we_do_not_cover_is_not_offered_the_compliance_tier_or_add_on():
    thameside = plan(PROFILE, example("thameside-accountants"))  # GDPR and Cyber Essentials
    assert names(thameside["tiers"]) == ["Essentials", "Secure"]
    assert names(thameside["addons"]) == ["Quarterly Strategy Review"]
    assert [t["recommended"] for t in thameside["tiers"]] == [False, True]
    assert thameside["per_month"] == plan(PROFILE, None)["per_month"]  # the plan itself is unchanged


@pytest.mark.parametrize(
    "compliance, offered",
    [
        (["HIPAA"], True),  # covered
        (["GDPR", "PCI"], True),  # partly covered: the offer serves PCI DSS
        (None, True),  # not known yet: it may apply, discovery asks
        ([], False),  # stated, and empty: nothing to comply with
        (["none"], False),  # nothing to comply with
        (["PDPO"], False),
    ],
)
def test_the_compliance_offers_follow_the_frameworks(compliance, offered):
    built = plan(PROFILE, prospect(compliance))
    assert ("Compliant" in names(built["tiers"])) is offered
    assert "Compliance Program" not in names(built["addons"])  # the Compliant tier sells it, or nothing does
    no_tier = PROFILE.model_copy(update={"tiers": [t for t in PROFILE.tiers if t.name != "Compliant"]})
    assert ("Compliance Program" in names(plan(no_tier, prospect(compliance))["addons"])) is offered


def test_an_add_on_an_offered_tier_includes_is_not_offered_again():
    pinecrest = plan(PROFILE, example("pinecrest-family-medicine"))  # HIPAA: the Compliant tier applies
    in_tiers = {s for t in pinecrest["tiers"] for s in t["services"]}
    assert "Compliance Program" in in_tiers
    assert not in_tiers & set(names(pinecrest["addons"]))
    assert names(pinecrest["addons"]) == ["Quarterly Strategy Review"]


def test_an_add_on_naming_its_framework_is_offered_only_for_it():
    services = [
        *PROFILE.services,
        PROFILE.services[3].model_copy(update={"name": "HIPAA Pack", "description": "HIPAA risk assessment."}),
    ]
    profile = PROFILE.model_copy(update={"services": services})
    assert "HIPAA Pack" not in names(plan(profile, prospect(["PCI DSS"]))["addons"])
    assert "HIPAA Pack" in names(plan(profile, prospect(["HIPAA"]))["addons"])


def test_the_recommendation_moves_when_the_recommended_tier_does_not_apply():
    tiers = [t.model_copy(update={"recommended": t.name == "Compliant"}) for t in PROFILE.tiers]
    profile = PROFILE.model_copy(update={"tiers": tiers})
    built = plan(profile, prospect(["GDPR"]))
    assert [(t["name"], t["recommended"]) for t in built["tiers"]] == [("Essentials", False), ("Secure", True)]


def test_the_plans_own_services_are_never_left_out():
    services = [
        s.model_copy(update={"description": "Audit-ready logs."}) if not s.optional else s for s in PROFILE.services
    ]
    profile = PROFILE.model_copy(update={"services": services})
    assert names(plan(profile, prospect(["GDPR"]))["tiers"]) == ["Essentials", "Secure"]


def test_the_brief_says_what_we_do_not_cover_first():
    p = example("thameside-accountants")
    brief = seller_brief(
        profile=PROFILE,
        prospect=p,
        fit=score_fit(p, PROFILE),
        closing=None,
        storyline="buyer",
        objections=load_objections(),
    )
    gap = brief["objections"][0]
    assert gap["id"] == "compliance-gap" and gap["says"] == "Can you get us through GDPR and Cyber Essentials as well?"
    assert gap["answer"].startswith(
        "Our compliance work covers HIPAA, PCI DSS and SOC 2, not GDPR and Cyber Essentials."
    )
    assert "Do not promise GDPR or Cyber Essentials work" in gap["avoid"]
    assert "The deck leaves out Compliant and Compliance Program" in gap["avoid"]
    coach = coach_slides(
        storyline="buyer", objections=brief["objections"], fallback=GUIDANCE["fit"]["buyer"], bridge=""
    )
    assert coach["fit"]["says"] == gap["says"]  # the notes of "where we fit" carry it


def test_no_gap_no_warning():
    assert compliance_objection(example("alamo-family-dental"), PROFILE) is None  # HIPAA is covered
    assert compliance_objection(prospect([]), PROFILE) is None
    assert fitted_offers(PROFILE, example("alamo-family-dental")).left_out == ()
