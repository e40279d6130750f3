"""A deck works out the prospect's offers and money once and hands them down; every shortcut gives the
same answer as the long way round."""

from __future__ import annotations

import dataclasses
import datetime as dt
import random
from fractions import Fraction
from pathlib import Path

import pytest

from deckgen import build as build_mod
from deckgen.build import BuildOptions, DeckBuilder
from deckgen.load.closings import load_library
from deckgen.load.files import load_profile, load_prospect
from deckgen.load.objections import load_objections
from deckgen.model import DecisionMaker, Location, Prospect
from deckgen.resources import examples_dir
from deckgen.sales import brief as brief_mod
from deckgen.sales import closings as closings_mod
from deckgen.sales import fit as fit_mod
from deckgen.sales import offers as offers_mod
from deckgen.sales import pricing as pricing_mod
from deckgen.sales.brief import _wide, seller_brief, text_height
from deckgen.sales.closings import all_lines, choose_closing
from deckgen.sales.coaching import _cued, situation_sources
from deckgen.sales.context import build_context
from deckgen.sales.cost_estimate import Assumption
from deckgen.sales.fit import money_view, score_fit
from deckgen.sales.locales import _is_cjk, mostly_cjk
from deckgen.sales.offers import compliance_needs, compliance_objection, fitted_offers, offer_applies
from deckgen.sales.people import _patterns, named_people, without_names
from deckgen.sales.pricing import build_plan

PROFILE = load_profile(examples_dir() / "profile.yaml")
HERE = Path(__file__).parent


def _prospects() -> list[Prospect]:
    found = [load_prospect(p) for p in sorted((examples_dir() / "prospects").glob("*.yaml"))]
    found += [load_prospect(p) for p in sorted((HERE / "prospects").glob("*.yaml"))]
    base = found[0]
    for compliance in ([], ["none"], ["PDPO"], ["HIPAA", "GDPR"], ["soc-2"]):
        found.append(base.model_copy(update={"compliance": compliance}))
    found.append(base.model_copy(update={"budget_per_user_month": 40.0}))
    found.append(base.model_copy(update={"budget_per_user_month": 2.0}))
    return found


PROSPECTS = _prospects()
PROFILES = {
    "example": PROFILE,
    "no tiers": PROFILE.model_copy(update={"tiers": []}),
    "no rates": PROFILE.model_copy(update={"exchange_rates": {}}),
}


@pytest.mark.parametrize("name", PROFILES)
def test_the_handed_down_offers_and_money_give_the_same_sales_results(name):
    profile = PROFILES[name]
    lines = all_lines(profile, load_library())
    library = load_objections()
    for p in PROSPECTS:
        offers = fitted_offers(profile, p)
        money = money_view(p, profile, offers)
        assert money == money_view(p, profile)
        fit = score_fit(p, profile, money)
        assert fit == score_fit(p, profile)
        closing = choose_closing(p, profile, fit, lines=lines, money=money)
        assert closing == choose_closing(p, profile, fit, lines=lines)
        assert situation_sources(p, profile, fit, money) == situation_sources(p, profile, fit)
        assert compliance_objection(p, profile, offers) == compliance_objection(p, profile)
        kwargs = dict(profile=profile, prospect=p, fit=fit, closing=closing, objections=library)
        for storyline in ("pitch", "walk_away"):
            handed = seller_brief(storyline=storyline, money=money, offers=offers, **kwargs)
            assert handed == seller_brief(storyline=storyline, **kwargs)
        plan = dict(currency="USD", fx=Fraction(1), users=20, devices=22, sites=2, unit_labels={}, prospect=p)
        assert build_plan(profile, offers=offers, **plan) == build_plan(profile, **plan)
        context = dict(
            profile=profile,
            prospect=p,
            brand=_Brand(),
            fit=fit,
            closing=closing,
            costs=None,
            today=dt.date(2026, 3, 2),
            locale="en-US",
            currency="USD",
        )
        assert build_context(offers=offers, **context) == build_context(**context)


class _Brand:
    def to_context(self) -> dict:
        return {"disclaimer": "Prices exclude sales tax."}


def test_a_deck_works_out_the_offers_and_the_money_view_once(monkeypatch):
    counts = {"offers": 0, "money": 0}

    def counting(key, fn):
        def wrapped(*args, **kwargs):
            counts[key] += 1
            return fn(*args, **kwargs)

        return wrapped

    offers_fn, money_fn = offers_mod.fitted_offers, fit_mod.money_view
    for module in (offers_mod, pricing_mod, build_mod):
        monkeypatch.setattr(module, "fitted_offers", counting("offers", offers_fn))
    for module in (fit_mod, closings_mod, brief_mod, build_mod):
        monkeypatch.setattr(module, "money_view", counting("money", money_fn))
    builder = DeckBuilder(PROFILE, BuildOptions(today=dt.date(2026, 3, 2), brief=True))
    for p in PROSPECTS[:3]:
        counts.update(offers=0, money=0)
        builder.build(p)
        assert counts == {"offers": 1, "money": 1}, p.company


def test_offer_applies_with_the_needs_handed_down_is_the_same():
    for p in PROSPECTS:
        needs = compliance_needs(p, PROFILE.icp)
        for frameworks in (set(), {"hipaa"}, {"gdpr", "soc2"}, {"pdpo"}):
            for is_compliance in (True, False):
                assert offer_applies(frameworks, is_compliance, p, PROFILE.icp, needs) == offer_applies(
                    frameworks, is_compliance, p, PROFILE.icp
                )


def _text_height_reference(text: str, size_pt: float, width_pt: float) -> float:
    """The brief's estimate as first written: every character's advance summed one by one."""
    lines, used = 1, 0.0
    space = 0.49 * size_pt
    for word in text.split():
        w = sum(size_pt if _wide(ch) else 0.49 * size_pt for ch in word)
        while w > width_pt:
            lines, w = lines + (1 if used else 0), w - width_pt
            used = width_pt
        if used and used + space + w > width_pt:
            lines, used = lines + 1, w
        else:
            used = used + (space if used else 0) + w
    return lines * 1.2 * size_pt


def test_text_height_is_exactly_the_character_by_character_estimate():
    rnd = random.Random(5)
    alphabet = "abcdefghij KLMNOP  éü“”—,.香港數據安全"
    for _ in range(400):
        text = "".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, 300)))
        for size in (12.0, 13.0, 14, 9.5):
            for width in (518.4, 100.0, 37.0):
                assert text_height(text, size, width) == _text_height_reference(text, size, width)


def test_cues_are_found_in_the_same_texts_as_one_cue_at_a_time():
    import re

    def one_at_a_time(cues, texts):
        return [t for t in texts if any(re.search(r"(?<![\w-])" + re.escape(c.casefold()), t.casefold()) for c in cues)]

    texts = ["We compare quotes.", "Too expensive!", "non-expensive", "Cheap-ish", "a cheaper one", "", "PRICE list"]
    for cues in [(), ("expensive",), ("cheap", "price"), ("quote", "compar"), ("",), ("c++", "(x)")]:
        assert _cued(cues, [t.casefold() for t in texts], texts) == one_at_a_time(cues, texts)


def test_without_names_skips_only_texts_no_pattern_could_change():
    p = Prospect(
        company="Test Co",
        location=Location(city="Leeds", country="United Kingdom"),
        decision_makers=[
            DecisionMaker(name="Dr. Sam Ortega", title="IT Administrator", role="technical"),
            DecisionMaker(name="王小明", title="", role="economic_buyer"),
        ],
    )
    people = named_people(p)

    def by_patterns(text):
        for pattern, person in _patterns(tuple(people)):
            text = pattern.sub(lambda m, person=person: person.wording, text)
        return text

    for text in ["Nobody has tested a restore.", "Patches wait until Sam has a free weekend.", "王小明 decides."]:
        unchanged = by_patterns(text) == text
        assert (without_names(text, people) == text) is unchanged


def test_mostly_cjk_shortcut_agrees_with_counting_letters():
    def counted(text):
        letters = [c for c in text or "" if c.isalpha()]
        return bool(letters) and sum(1 for c in letters if _is_cjk(c)) * 2 > len(letters)

    for text in ["", "Hengxin Logistics", "恒信物流", "恒信 Logistics Ltd", "ÀÉÎ", "香港 ab", "12 34", "ｶﾀｶﾅ"]:
        assert mostly_cjk(text) is counted(text)


def test_an_assumption_in_the_context_is_its_fields():
    item = Assumption("hourly_wage", "Hourly wage", 24, "money", "prospect", "a note", "a basis")
    assert item.to_context() == dataclasses.asdict(item)
    assert list(item.to_context()) == [f.name for f in dataclasses.fields(Assumption)]


def test_the_plan_sums_in_integers_are_the_fraction_sums():
    from deckgen.model import Service
    from deckgen.sales.pricing import _Months, _round

    rnd = random.Random(11)
    units = ["per_user_month", "per_device_month", "per_site_month", "per_month", "one_time"]
    for _ in range(300):
        services = [
            Service(name=f"s{i}", price=rnd.choice([0, 1, 12.5, 27.65, 99.99, 1000]), unit=rnd.choice(units))
            for i in range(rnd.randint(0, 5))
        ]
        prices = {s.name: Fraction(rnd.randint(0, 40000), rnd.choice([1, 2, 4, 5, 20, 100])) for s in services}
        users, devices, sites = rnd.randint(0, 400), rnd.randint(0, 500), rnd.randint(0, 4)
        months = _Months(prices, users, devices, sites)
        qty = {"per_user_month": users, "per_device_month": devices, "per_site_month": sites, "per_month": 1}
        exact = sum((prices[s.name] * qty.get(s.unit, 0) for s in services), Fraction(0))
        total = months.total(services)
        assert months.rounded(total) == _round(exact)
        if users:
            assert months.rounded(total, users) == _round(exact / users)
