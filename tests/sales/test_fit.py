"""Fit scoring: hand-computed scores criterion by criterion, band edges, gates."""

from __future__ import annotations

import pytest

from deckgen.errors import InputError
from deckgen.model import DecisionMaker, Geography, Icp, ItModel, Location, Prospect, ProspectSize, SizeRange, Weights
from deckgen.sales.fit import BAND_LABELS, CRITERIA, band_for, industry_matches, score_fit


def icp(**kw) -> Icp:
    base = dict(
        industries=["dental", "medical", "legal", "accounting"],
        adjacent_industries=["veterinary", "financial advisory"],
        size=SizeRange(min_users=20, max_users=100),
        compliance=["HIPAA", "PCI DSS", "SOC 2"],
        geography=Geography(onsite_regions=["San Antonio", "Austin metro"], countries=["US", "GB"], remote_ok=True),
        budget_floor_per_user_month=100,
    )
    base.update(kw)
    return Icp(**base)


BUYER = DecisionMaker(name="Owner", title="Owner", role="economic_buyer")
INFLUENCER = DecisionMaker(name="Manager", role="influencer")


def ideal(**kw) -> Prospect:
    base = dict(
        company="Ideal Co",
        industry="Dental",
        size=ProspectSize(users=40),
        location=Location(city="San Antonio", region="TX", country="US"),
        it_model="break_fix",
        it_pain=True,
        compliance=["HIPAA"],
        budget_per_user_month=120,
        decision_makers=[BUYER],
    )
    base.update(kw)
    return Prospect(**base)


def points(fit) -> dict:
    return {c["name"]: c["points"] for c in fit.to_context()["criteria"]}


# ---------------------------------------------------------------- whole scores, by hand


def test_ideal_prospect_scores_100():
    fit = score_fit(ideal(), icp())
    assert points(fit) == {
        "industry": 20,
        "size": 20,
        "it_model": 15,
        "compliance": 15,
        "geography": 10,
        "budget": 10,
        "decision_maker": 10,
    }
    assert (fit.score, fit.band, fit.confidence) == (100, "A", 1.0)
    assert fit.disqualified_by == () and fit.must_have_failures == ()


def test_mixed_prospect_criterion_by_criterion():
    p = ideal(
        industry="Veterinary clinic",  # adjacent → 20/2 = 10
        size=ProspectSize(users=120),  # ≤ 100 × 1.25 → 20/2 = 10
        it_model="in_house",
        it_pain=None,  # in-house, pain unknown → 15/3 = 5
        compliance=["hipaa", "gdpr"],  # 1 of 2 covered → 15/2 = 7.5
        location=Location(city="London", country="GB"),  # remote only → 10/2 = 5
        budget_per_user_month=None,  # unknown → 10 × 3/10 = 3
        decision_makers=[INFLUENCER],
    )  # influencer only → 10/2 = 5
    fit = score_fit(p, icp())
    assert points(fit) == {
        "industry": 10,
        "size": 10,
        "it_model": 5,
        "compliance": 7.5,
        "geography": 5,
        "budget": 3,
        "decision_maker": 5,
    }
    # 45.5 → 46 (half up); only the budget (10 of 100) was unknown
    assert (fit.score, fit.band, fit.confidence) == (46, "C", 0.9)


def test_nothing_known_earns_partial_credit_and_zero_confidence():
    fit = score_fit(Prospect(company="Mystery Ltd"), icp())
    # 3/10 of every weight: 6 + 6 + 4.5 + 4.5 + 3 + 3 + 3 = 30
    assert points(fit) == {
        "industry": 6,
        "size": 6,
        "it_model": 4.5,
        "compliance": 4.5,
        "geography": 3,
        "budget": 3,
        "decision_maker": 3,
    }
    # too little data is never a walk-away: qualify first, naming what is missing, heaviest first
    assert (fit.score, fit.band, fit.raw_band, fit.confidence) == (30, "qualify_first", "walk_away", 0.0)
    assert all(not c.known for c in fit.criteria)
    assert fit.missing == ("industry", "size", "it_model", "compliance", "geography", "budget", "decision_maker")
    assert fit.verdict.startswith("Qualify first: only 0% of the data is known")
    assert "industry, size, current IT model" in fit.verdict


def test_weights_scale_each_criterion_and_the_score_is_out_of_the_total():
    weights = Weights(industry=40, size=20, it_model=0, compliance=0, geography=0, budget=0, decision_maker=20)
    p = ideal(industry="financial advisory", decision_makers=[INFLUENCER])
    fit = score_fit(p, icp(weights=weights))
    pts = points(fit)
    assert (pts["industry"], pts["size"], pts["decision_maker"], pts["it_model"]) == (20, 20, 10, 0)
    assert fit.score == 63  # 50 of 80 → 62.5 → 63
    assert fit.band == "B"


def test_rounding_is_half_up():
    # 20 + 6 (size unknown) + 4.5 (IT unknown) + 0 (no cover) + 5 (remote) + 0 + 5 = 40.5 → 41
    p = ideal(
        size=ProspectSize(),
        it_model="unknown",
        compliance=["gdpr"],
        location=Location(city="Leeds", country="GB"),
        budget_per_user_month=50,  # well below the floor of 100, yet plausible (10 would read as a typo)
        decision_makers=[INFLUENCER],
    )
    assert score_fit(p, icp()).score == 41


# ---------------------------------------------------------------- band edges


@pytest.mark.parametrize(
    "score, band",
    [(100, "A"), (80, "A"), (79, "B"), (60, "B"), (59, "C"), (40, "C"), (39, "walk_away"), (0, "walk_away")],
)
def test_band_for(score, band):
    assert band_for(score) == band


def test_band_edges_through_real_scores():
    a = ideal(
        location=Location(city="Leeds", country="GB"),
        budget_per_user_month=80,
        decision_makers=[DecisionMaker(name="X", role="influencer")],
        compliance=["gdpr", "hipaa"],
    )
    # 20 + 20 + 15 + 7.5 + 5 + 5 + 5 = 77.5 → 78 → B
    assert (score_fit(a, icp()).score, score_fit(a, icp()).band) == (78, "B")
    b = ideal(location=Location(city="Leeds", country="GB"), budget_per_user_month=80, decision_makers=[BUYER])
    # 20 + 20 + 15 + 15 + 5 + 5 + 10 = 90
    assert score_fit(b, icp()).score == 90
    c = ideal(location=Location(city="Leeds", country="GB"), budget_per_user_month=50, decision_makers=[INFLUENCER])
    # 20 + 20 + 15 + 15 + 5 + 0 + 5 = 80 → A (edge)
    assert (score_fit(c, icp()).score, score_fit(c, icp()).band) == (80, "A")
    d = ideal(location=Location(), budget_per_user_month=None, decision_makers=[])
    # 20 + 20 + 15 + 15 + 3 + 3 + 3 = 79 → B (edge)
    fit_d = score_fit(d, icp())
    assert (fit_d.score, fit_d.band, fit_d.confidence) == (79, "B", 0.7)
    e = ideal(
        it_model="unknown",
        compliance=["gdpr"],
        location=Location(city="Leeds", country="GB"),
        budget_per_user_month=85,
        decision_makers=[INFLUENCER],
    )
    # 20 + 20 + 4.5 + 0 + 5 + 5 + 5 = 59.5 → 60 → B (edge)
    assert (score_fit(e, icp()).score, score_fit(e, icp()).band) == (60, "B")
    f = e.model_copy(update={"budget_per_user_month": 70})
    # 54.5 → 55 → C
    assert score_fit(f, icp()).band == "C"
    g = ideal(
        size=ProspectSize(users=500),
        it_model="unknown",
        compliance=["gdpr"],
        location=Location(city="Leeds", country="GB"),
        budget_per_user_month=85,
        decision_makers=[INFLUENCER],
    )
    # 20 + 0 + 4.5 + 0 + 5 + 5 + 5 = 39.5 → 40 → C (edge)
    assert (score_fit(g, icp()).score, score_fit(g, icp()).band) == (40, "C")
    h = g.model_copy(update={"decision_makers": []})
    # 20 + 0 + 4.5 + 0 + 5 + 5 + 3 = 37.5 → 38 → walk away
    assert (score_fit(h, icp()).score, score_fit(h, icp()).band) == (38, "walk_away")


# ---------------------------------------------------------------- each criterion


@pytest.mark.parametrize(
    "industry, term",
    [
        ("Dental practice", "dental"),
        ("DENTAL", "dental"),
        ("Dentistry", "dental"),
        ("dentists", "Dental"),
        ("Accountants", "accounting"),
        ("Accounting & bookkeeping", "accounting"),
        ("Legal", "legal services"),
        ("Law firm", "law"),
        ("Medical clinic", "medical"),
        ("Non-profit", "nonprofit"),
        ("牙科診所", "牙科"),
    ],
)
def test_industry_matches(industry, term):
    assert industry_matches(industry, term)


@pytest.mark.parametrize(
    "industry, term",
    [
        ("Logistics", "legal"),
        ("Hospitality", "hospital"),
        ("Financial services", "legal services"),
        ("", "dental"),
        ("Dental", ""),
    ],
)
def test_industry_does_not_match(industry, term):
    assert not industry_matches(industry, term)


def test_industry_unmatched_and_no_list():
    assert points(score_fit(ideal(industry="Logistics"), icp()))["industry"] == 0
    assert points(score_fit(ideal(industry="Logistics"), icp(industries=[], adjacent_industries=[])))["industry"] == 20


def test_a_multi_select_industry_cell_scores_by_its_best_value():
    fit = score_fit(ideal(industry="HOSPITAL_HEALTH_CARE;MEDICAL_PRACTICE"), icp())
    assert points(fit)["industry"] == 20
    assert fit.to_context()["criteria"][0]["reason"].startswith("MEDICAL_PRACTICE is one of your industries")
    assert points(score_fit(ideal(industry="Logistics;Trucking"), icp()))["industry"] == 0


@pytest.mark.parametrize(
    "size, pts",
    [
        (ProspectSize(users=20), 20),
        (ProspectSize(users=100), 20),
        (ProspectSize(users=15), 10),
        (ProspectSize(users=125), 10),  # exactly 25 % out
        (ProspectSize(users=14), 0),
        (ProspectSize(users=126), 0),
        (ProspectSize(endpoints=50), 20),  # endpoints when users unknown
        (ProspectSize(users=10, endpoints=50), 0),  # users win
        (ProspectSize(sites=3), 6),  # unknown
    ],
)
def test_size(size, pts):
    assert points(score_fit(ideal(size=size), icp()))["size"] == pts


@pytest.mark.parametrize(
    "model, pain, pts",
    [
        ("break_fix", True, 15),
        ("break_fix", None, 10),
        ("break_fix", False, 5),
        ("none", True, 15),
        ("in_house", True, 10),
        ("in_house", None, 5),
        ("in_house", False, 0),
        ("co_managed", True, 10),
        ("co_managed", None, 10),
        ("co_managed", False, 5),
        ("other_msp", True, 10),
        ("other_msp", None, 5),
        ("other_msp", False, 5),
        ("unknown", True, 4.5),
    ],
)
def test_it_model(model, pain, pts):
    fit = score_fit(ideal(it_model=ItModel(model), it_pain=pain), icp())
    assert points(fit)["it_model"] == pts
    assert fit.criterion("it_model").known == (model != "unknown")


@pytest.mark.parametrize(
    "needs, covered_by, pts, known",
    [
        (["HIPAA"], ["HIPAA"], 15, True),
        (["pci-dss", "soc 2"], ["PCI DSS", "SOC 2"], 15, True),  # spelling tolerant
        (["pci"], ["PCI DSS"], 15, True),  # alias
        (["hipaa", "gdpr", "iso_27001"], ["HIPAA"], 5, True),  # 1 of 3
        (["gdpr"], ["HIPAA"], 0, True),
        (["none"], ["HIPAA"], 7.5, True),  # nothing to cover: half
        (["none"], [], 15, True),
        (None, ["HIPAA"], 4.5, False),  # not recorded: unknown
        ([], ["HIPAA"], 7.5, True),  # ``compliance: []`` states none: as "none", never unknown
    ],
)
def test_compliance(needs, covered_by, pts, known):
    if needs is None:  # the field left out, as a CRM row without the column does
        prospect = Prospect.model_validate({k: v for k, v in ideal().model_dump().items() if k != "compliance"})
    else:
        prospect = ideal(compliance=needs)
    fit = score_fit(prospect, icp(compliance=covered_by))
    assert points(fit)["compliance"] == pts
    assert fit.criterion("compliance").known is known


def test_compliance_reason_names_frameworks_readably():
    fit = score_fit(ideal(compliance=["hipaa", "cyber_essentials", "gdpr"]), icp())
    assert fit.criterion("compliance").reason == "You cover HIPAA but not Cyber Essentials and GDPR."


@pytest.mark.parametrize(
    "location, geography, pts",
    [
        (Location(city="San Antonio", country="United States"), None, 10),
        (Location(city="Austin", region="Texas", country="USA"), None, 10),  # "Austin metro"
        (Location(city="Round Rock", region="Austin metro"), None, 10),  # region, no country
        (Location(city="Dallas", country="US"), None, 5),  # remote
        (Location(country="United Kingdom"), None, 5),
        (Location(city="Paris", country="France"), None, 0),  # country not served
        (Location(city="San Antonio", country="Chile"), None, 0),  # same name, wrong country
        (Location(city="Dallas", country="US"), Geography(onsite_regions=["San Antonio"], remote_ok=False), 0),
        (Location(city="Paris", country="France"), Geography(onsite_regions=["San Antonio"]), 5),  # anywhere
        (Location(), None, 3),
    ],
)
def test_geography(location, geography, pts):
    kw = {"geography": geography} if geography is not None else {}
    assert points(score_fit(ideal(location=location), icp(**kw)))["geography"] == pts


@pytest.mark.parametrize(
    "budget, floor, pts",
    [
        (100, 100, 10),
        (150, 100, 10),
        (80, 100, 5),
        (79.99, 100, 0),
        (None, 100, 3),
        (None, None, 10),
        (10, None, 10),
    ],
)
def test_budget(budget, floor, pts):
    fit = score_fit(ideal(budget_per_user_month=budget), icp(budget_floor_per_user_month=floor))
    assert points(fit)["budget"] == pts


@pytest.mark.parametrize(
    "people, pts, known",
    [
        ([BUYER, INFLUENCER], 10, True),
        ([INFLUENCER], 5, True),
        ([DecisionMaker(name="Tech", role="technical")], 5, True),
        ([DecisionMaker(name="Someone")], 3, False),
        ([], 3, False),
    ],
)
def test_decision_maker(people, pts, known):
    fit = score_fit(ideal(decision_makers=people), icp())
    assert points(fit)["decision_maker"] == pts
    assert fit.criterion("decision_maker").known is known


# ---------------------------------------------------------------- gates


def test_failed_must_have_caps_the_band_at_c():
    p = ideal(compliance=["gdpr"])  # 85 → A without the gate
    assert score_fit(p, icp()).band == "A"
    fit = score_fit(p, icp(must_haves=["compliance"]))
    assert (fit.score, fit.band, fit.raw_band) == (85, "C", "A")
    assert fit.must_have_failures == ("compliance",)
    ctx = fit.to_context()
    assert ctx["must_have_failures"] == ["Compliance needs: You do not cover GDPR."]
    assert "must-have compliance needs is not met" in fit.verdict


def test_must_have_needs_half_the_weight_and_unknown_fails():
    half = ideal(size=ProspectSize(users=110))  # within 25 %: half → passes
    assert score_fit(half, icp(must_haves=["size"])).must_have_failures == ()
    unknown = ideal(size=ProspectSize())  # 3/10 → not confirmed → fails, but on missing data
    fit = score_fit(unknown, icp(must_haves=["Size"]))
    assert fit.must_have_failures == ("size",)
    assert (fit.score, fit.band, fit.confidence) == (86, "qualify_first", 0.8)  # not held against them
    assert fit.verdict.startswith("Qualify first: the must-have size is not known yet")
    known_small = ideal(size=ProspectSize(users=5))  # known and well out → evidence → capped at C
    assert score_fit(known_small, icp(must_haves=["size"])).band == "C"


def test_must_have_does_not_lift_a_walk_away():
    p = Prospect(
        company="Far Off",
        industry="Logistics",
        size=ProspectSize(users=900),
        location=Location(city="Paris", country="France"),
        it_model="in_house",
        it_pain=False,
    )  # 0 + 0 + 0 + 4.5 + 0 + 3 + 3 = 10.5 on 65 % known
    fit = score_fit(p, icp(must_haves=["size"]))
    assert (fit.score, fit.band, fit.confidence) == (11, "walk_away", 0.65)


@pytest.mark.parametrize(
    "min_confidence, known_weight, band",
    [(0.5, 0.5, "A"), (0.6, 0.5, "qualify_first"), (0.0, 0.0, "walk_away"), (0.5, 0.0, "qualify_first")],
)
def test_confidence_threshold_is_a_profile_setting(min_confidence, known_weight, band):
    if known_weight:  # industry, size and geography known and perfect: 50 % known, 50 + 15 = 65 → B
        p = Prospect(
            company="Half", industry="Dental", size=ProspectSize(users=40), location=Location(city="San Antonio")
        )
        band = "B" if band == "A" else band
    else:
        p = Prospect(company="Nothing known")
    fit = score_fit(p, icp(min_confidence=min_confidence))
    assert fit.confidence == known_weight
    assert fit.band == band


def test_low_score_with_enough_data_is_a_walk_away_and_disqualifier_needs_no_data():
    p = Prospect(company="Unknown but refuses", situations=["refuses_security"])
    fit = score_fit(p, icp(disqualifiers=["refuses_security"]))
    assert (fit.band, fit.confidence) == ("walk_away", 0.0)


def test_disqualifier_means_walk_away_whatever_the_score():
    p = ideal(situations=["refuses security", "price_shopper"])
    fit = score_fit(p, icp(disqualifiers=["refuses_security", "wants-break-fix-only"]))
    assert fit.score == 100
    assert fit.band == "walk_away"
    assert fit.disqualified_by == ("refuses_security",)
    ctx = fit.to_context()
    assert ctx["disqualified_by"] == ["refuses the minimum security standards"]
    assert ctx["band_label"] == "Walk away"
    assert fit.verdict.startswith("Walk away: the prospect refuses the minimum security standards")


def test_unknown_must_have_and_zero_weights_are_input_errors():
    with pytest.raises(InputError, match="unknown must-have 'budgett'") as err:
        score_fit(ideal(), icp(must_haves=["budgett"]))
    assert err.value.field == "icp.must_haves"
    zero = Weights(**{name: 0 for name in CRITERIA})
    with pytest.raises(InputError, match="all fit weights are 0"):
        score_fit(ideal(), icp(weights=zero))


# ---------------------------------------------------------------- output shape


def test_to_context_shape():
    ctx = score_fit(ideal(budget_per_user_month=None), icp()).to_context()
    assert set(ctx) == {
        "score",
        "band",
        "band_label",
        "verdict",
        "confidence",
        "criteria",
        "disqualified_by",
        "must_have_failures",
        "unserved_country",
    }
    assert isinstance(ctx["score"], int) and 0 <= ctx["score"] <= 100
    assert ctx["band_label"] == BAND_LABELS[ctx["band"]] == "A — pitch"
    assert [c["name"] for c in ctx["criteria"]] == list(CRITERIA)
    for c in ctx["criteria"]:
        assert set(c) == {"name", "label", "points", "max_points", "reason", "known"}
        assert c["reason"].endswith(".")
    assert BAND_LABELS["B"] == "B — pitch with the takeaway close"
    assert BAND_LABELS["C"] == "C — nurture"


def test_low_confidence_is_mentioned_in_the_verdict():
    p = Prospect(
        company="Half Known", industry="Dental", size=ProspectSize(users=40), it_model="break_fix", it_pain=True
    )
    fit = score_fit(p, icp())
    # 20 + 20 + 15 + 4.5 + 3 + 3 + 3 = 68.5 → 69 → B; known weight 55 of 100
    assert (fit.score, fit.band, fit.confidence) == (69, "B", 0.55)
    assert "55% of the data is known" in fit.verdict


def test_deterministic():
    p = ideal(industry="Veterinary", situations=["refuses_security"])
    assert score_fit(p, icp()) == score_fit(p, icp())
    assert score_fit(p, icp()).to_context() == score_fit(p, icp()).to_context()


def test_reasons_write_percentages_the_english_way():
    fit = score_fit(ideal(size=ProspectSize(users=110), budget_per_user_month=85), icp())
    assert fit.criterion("size").reason == "110 users is just outside your 20–100 range (within 25%)."
    assert "is within 20% of your floor" in fit.criterion("budget").reason
