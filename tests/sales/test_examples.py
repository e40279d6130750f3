"""The bundled example profile and prospects: valid, commented, and in three different bands."""

from __future__ import annotations

import re
from importlib import resources
from pathlib import Path

import pytest

from deckgen.load.closings import load_library
from deckgen.load.files import read_profile, read_prospect
from deckgen.sales.closings import all_lines, choose_closing
from deckgen.sales.costs import compute_costs
from deckgen.sales.fit import score_fit
from deckgen.sales.locales import make_filters, mostly_cjk, resolve_locale

EXAMPLES = Path(str(resources.files("deckgen") / "examples"))
NAMES = ("alamo-family-dental", "thameside-accountants", "hengxin-logistics")


@pytest.fixture(scope="module")
def profile():
    prof, warnings = read_profile(EXAMPLES / "profile.yaml")
    assert warnings == []
    return prof


@pytest.fixture(scope="module")
def prospects():
    out = {}
    for name in NAMES:
        out[name], warnings = read_prospect(EXAMPLES / "prospects" / f"{name}.yaml")
        assert warnings == []
    return out


@pytest.fixture(scope="module")
def fits(profile, prospects):
    return {name: score_fit(p, profile.icp) for name, p in prospects.items()}


def test_the_three_land_in_three_different_bands(fits):
    assert {name: fit.band for name, fit in fits.items()} == {
        "alamo-family-dental": "A",
        "thameside-accountants": "B",
        "hengxin-logistics": "walk_away",
    }


def test_alamo_is_a_strong_fit_with_its_budget_taken_from_its_it_spend(fits):
    fit = fits["alamo-family-dental"]
    assert (fit.score, fit.confidence) == (90, 1.0)  # all known: $2,100 a month over 28 users is the budget
    assert [c.name for c in fit.criteria if c.share < 1] == ["budget"]
    budget = fit.criterion("budget")
    assert budget.known and budget.points == 0
    assert budget.reason == (
        "Budget taken from current IT spend of 2,100 a month over 28 users: "
        "75 per user a month is well below your floor of 125."
    )
    assert fit.criterion("it_model").reason == "They have break-fix IT and it is hurting them."
    assert "on-site area" in fit.criterion("geography").reason


def test_thameside_is_b_for_stated_gaps(fits):
    fit = fits["thameside-accountants"]
    assert (fit.score, fit.confidence) == (65, 1.0)
    pts = {c.name: fit.criterion(c.name).points for c in fit.criteria}
    assert pts == {
        "industry": 20,
        "size": 20,
        "it_model": 10,
        "compliance": 0,
        "geography": 5,
        "budget": 5,
        "decision_maker": 5,
    }
    assert fit.criterion("compliance").reason == "You do not cover GDPR and Cyber Essentials."
    assert fit.must_have_failures == ()


def test_hengxin_is_walk_away_because_it_refuses_security(fits):
    fit = fits["hengxin-logistics"]
    assert fit.disqualified_by == ("refuses_security",)
    assert (fit.score, fit.raw_band) == (40, "C")  # the score alone would only be "nurture"
    assert fit.to_context()["disqualified_by"] == ["refuses the minimum security standards"]
    assert fit.criterion("industry").points == 0 and fit.criterion("budget").points == 0


def test_locales_of_the_examples(profile, prospects):
    assert resolve_locale(prospects["alamo-family-dental"], profile) == ("en-US", "USD")
    assert resolve_locale(prospects["thameside-accountants"], profile) == ("en-GB", "GBP")
    assert resolve_locale(prospects["hengxin-logistics"], profile) == ("zh-Hant-HK", "HKD")
    assert make_filters("zh-Hant-HK", "HKD")["money"](12345) == "HK$12,345"


def test_hengxin_is_written_in_chinese(prospects):
    p = prospects["hengxin-logistics"]
    assert mostly_cjk(p.company) and mostly_cjk(p.contact.name)
    assert all(mostly_cjk(d.name) for d in p.decision_makers)


def test_closings_and_costs_work_for_every_example(profile, prospects, fits):
    chosen = {}
    for name, p in prospects.items():
        chosen[name] = choose_closing(p, profile, fits[name], lines=all_lines(profile, load_library())).to_context()
        costs = compute_costs(p, profile)
        assert costs["comparison"]["horizons"] == [12, 24, 36] and costs["comparison"]["months"] == 36
    assert chosen["alamo-family-dental"]["id"] == "ridgeline-why-it-broke"
    assert chosen["alamo-family-dental"]["source"] == "profile"
    # Hengxin is walked away from because it refuses the security baseline: the line answers that
    assert chosen["hengxin-logistics"]["id"] == "ridgeline-one-standard"
    assert "refuses_security" in chosen["hengxin-logistics"]["reason"]


def test_profile_content(profile):
    assert len(profile.closings) == 2
    assert profile.icp.disqualifiers == ["refuses_security", "wants_break_fix_only"]
    assert profile.icp.size.min_users == 15 and profile.icp.size.max_users == 150
    assert {"HIPAA", "PCI DSS", "SOC 2"} <= set(profile.icp.compliance)
    assert profile.icp.minimum_standards and profile.next_steps and profile.services and profile.slas


def test_prospect_content(prospects):
    for name, p in prospects.items():
        assert 3 <= len(p.pain_points) <= 4, name
        for pain in p.pain_points:
            assert len(pain.split()) <= 12, pain
        assert p.decision_makers and p.situations, name


def test_contact_details_are_fictional(profile, prospects):
    text = "\n".join(
        (EXAMPLES / rel).read_text(encoding="utf-8")
        for rel in ["profile.yaml", *(f"prospects/{n}.yaml" for n in NAMES)]
    )
    for domain in re.findall(r"[\w.@-]+\.[a-z]{2,}(?=[\s/\"']|$)", text, flags=re.M):
        if "@" in domain or domain.startswith("www."):
            assert domain.endswith(".example.com"), domain  # reserved for documentation (RFC 2606)
    for phone in re.findall(r"\+[\d][\d -]{6,}\d", text):
        assert "555" in phone or "7946 0" in phone, phone


def _uncommented_fields(text: str) -> list[str]:
    """Field paths whose first occurrence has no comment line directly above it."""
    missing, seen, stack = [], set(), []  # stack of (indent, key)
    previous = ""
    for raw in text.splitlines():
        stripped = raw.strip()
        if not stripped:
            continue
        m = re.match(r"^(\s*)(- )?([A-Za-z_][\w]*):(\s|$)", raw)
        if m and not stripped.startswith("#"):
            indent = len(m.group(1)) + (2 if m.group(2) else 0)
            while stack and stack[-1][0] >= indent:
                stack.pop()
            stack.append((indent, m.group(3)))
            path = ".".join(k for _, k in stack)
            if path not in seen and not previous.startswith("#"):
                missing.append(path)
            seen.add(path)
        previous = stripped
    return missing


def test_every_profile_field_has_a_comment_above_it():
    assert _uncommented_fields((EXAMPLES / "profile.yaml").read_text(encoding="utf-8")) == []


def test_comment_checker_notices_a_missing_comment():
    assert _uncommented_fields("# ok\nmsp:\n  # ok\n  name: x\n  city: y\n") == ["msp.city"]
