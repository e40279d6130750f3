"""Proof is chosen by relevance and never claims an industry (or a framework) that is not the prospect's."""

from __future__ import annotations

import datetime as _dt
import io

from pptx import Presentation

from deckgen.build import BuildOptions, DeckBuilder
from deckgen.load.files import load_profile, load_prospect
from deckgen.model import IndustryProof, Prospect
from deckgen.resources import examples_dir
from deckgen.sales.fitted import fitted_usp, industry_proof

EXAMPLES = examples_dir()
PROFILE = load_profile(EXAMPLES / "profile.yaml")
DENTAL_CLAIM = "Imaging and practice systems monitored around the clock at 40 dental and medical practices."
HIPAA_CLAIM = "HIPAA risk assessments kept current for every healthcare client."


def example(name: str) -> Prospect:
    return load_prospect(EXAMPLES / "prospects" / f"{name}.yaml")


def test_a_vet_reads_no_dental_case_study_nor_a_hipaa_claim():
    points = fitted_usp(PROFILE, example("hill-country-veterinary"))["proof_points"]
    assert DENTAL_CLAIM not in points and HIPAA_CLAIM not in points  # before: both, from the shared entry
    assert points == [
        "Every practice restore-tested each quarter, with a written report.",  # theirs: names no other industry
        "Repeat tickets cut by 63% on average in a client's first year.",  # then the general ones
        "Median first response of 9 minutes during business hours.",  # "Every client restore-tested…" repeats
    ]


def test_a_dental_practice_keeps_the_proof_that_names_its_industry():
    points = fitted_usp(PROFILE, example("alamo-family-dental"))["proof_points"]
    assert points[0] == DENTAL_CLAIM and HIPAA_CLAIM in points  # healthcare is the broader category of dental


def test_a_non_profit_that_needs_no_framework_reads_no_compliance_claim():
    audit = "HIPAA and PCI DSS audits passed first time by every client we prepared."
    usp = PROFILE.usp.model_copy(update={"proof_points": [audit, *PROFILE.usp.proof_points]})
    profile = PROFILE.model_copy(update={"usp": usp})
    pantry = Prospect(company="Open Hands", industry="Non-profit", compliance=[])
    assert audit not in fitted_usp(profile, pantry)["proof_points"]
    unknown = Prospect(company="Open Hands", industry="Non-profit")  # needs not recorded: it may apply
    assert fitted_usp(profile, unknown)["proof_points"][0] == audit
    shop = Prospect(company="Card Shop", industry="Retail", compliance=["PCI DSS"])  # one of them is theirs
    assert audit in fitted_usp(profile, shop)["proof_points"]
    clinic = Prospect(company="Clinic", industry="Retail", compliance=["GDPR"])
    assert audit not in fitted_usp(profile, clinic)["proof_points"]


def test_an_unknown_industry_reads_only_proof_that_names_none():
    profile = PROFILE.model_copy(update={"usp": PROFILE.usp.model_copy(update={"proof_points": [DENTAL_CLAIM]})})
    assert fitted_usp(profile, Prospect(company="Who Knows"))["proof_points"] == []


def test_a_neighbours_proof_comes_before_the_general_one_when_it_names_no_industry():
    entry = IndustryProof(
        industries=["dental"], proof_points=["Chair-side screens replaced overnight, so no clinic day is lost."]
    )
    profile = PROFILE.model_copy(update={"industry_proof": [entry]})
    vet = example("hill-country-veterinary")
    assert industry_proof(profile, vet) is None  # a neighbour's entry is not theirs: no data-at-risk wording
    points = fitted_usp(profile, vet)["proof_points"]
    assert points[0] == "Chair-side screens replaced overnight, so no clinic day is lost."
    assert points[1:] == PROFILE.usp.proof_points[:2]


def test_the_vet_decks_notes_carry_no_dental_proof():
    built = DeckBuilder(PROFILE, BuildOptions(today=_dt.date(2026, 12, 1))).build(example("hill-country-veterinary"))
    notes = " ".join(
        s.notes_slide.notes_text_frame.text for s in Presentation(io.BytesIO(built.data)).slides if s.has_notes_slide
    )
    assert "Every practice restore-tested each quarter" in notes
    assert "dental" not in notes.lower() and "HIPAA" not in notes
