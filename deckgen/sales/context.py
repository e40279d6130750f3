"""The render context: the plain data a template sees (see docs/context.md).

Templates never see Python objects with behaviour, only dicts, lists, strings,
numbers and dates, built here from the validated model and the fit, closing
and cost results.
"""

from __future__ import annotations

import datetime as _dt
import types
import typing
from collections.abc import Mapping
from difflib import get_close_matches

from pydantic import BaseModel

from deckgen.model import Icp, Msp, Profile, Prospect, Usp
from deckgen.sales.amounts import given_as_notes
from deckgen.sales.brief import GUIDANCE, seller_brief, slide_questions
from deckgen.sales.coaching import SLIDES, coach_slides
from deckgen.sales.cost_estimate import CostEstimate
from deckgen.sales.costs import exchange_rate
from deckgen.sales.fitted import (
    abroad_country,
    deck_tax,
    fitted_metrics,
    fitted_services,
    fitted_slas,
    fitted_usp,
    fx_note,
    hours_note,
    in_service_area,
    industry_proof,
    local_disclaimer,
)
from deckgen.sales.offers import Offers
from deckgen.sales.people import buyer_in_room, named_pains_note
from deckgen.sales.pricing import build_plan, counted_units, plan_counts
from deckgen.sales.storyline import (
    STORYLINE_LABELS,
    customer_fit,
    slide_pains,
    standards_title,
    storyline_for,
    storyline_next_steps,
    walk_away_reason,
)

UNIT_LABELS = {
    "per_user_month": "per user / month",
    "per_device_month": "per device / month",
    "per_site_month": "per site / month",
    "per_month": "per month",
    "one_time": "one-time",
}
IT_MODEL_LABELS = {
    "break_fix": "Break-fix (call when it breaks)",
    "in_house": "In-house IT",
    "co_managed": "Co-managed IT",
    "other_msp": "Another managed service provider",
    "none": "No IT support",
    "unknown": "Not known yet",
}

ANY = object()  # a value whose keys deckgen doesn't fix (charts, costs, extra)


def build_context(
    *,
    profile: Profile,
    prospect: Prospect,
    brand,
    fit,
    closing,
    costs: CostEstimate | Mapping | None,
    today: _dt.date,
    locale: str,
    currency: str,
    storyline: str | None = None,
    brief: Mapping | None = None,
    offers: Offers | None = None,
) -> dict:
    """Return the context for one deck: the plain data of docs/context.md.

    ``costs`` is the :class:`CostEstimate` (or, from older callers, its ``to_context()`` dict);
    ``storyline`` defaults to the one the fit band calls for; ``brief`` is the seller brief's data
    (:func:`deckgen.sales.brief.seller_brief`; made here, without objections, when not given);
    ``offers`` is :func:`deckgen.sales.offers.fitted_offers` of the prospect, when the caller has it already.
    """
    if storyline is None:
        storyline = storyline_for(getattr(fit, "band", None), referral=bool(getattr(fit, "unserved_country", "")))
    if brief is None:
        brief = seller_brief(profile=profile, prospect=prospect, fit=fit, closing=closing, storyline=storyline)
    if isinstance(costs, CostEstimate):
        costs = costs.to_context()
    p = prospect.model_dump(mode="json")
    p["locale"], p["currency"] = locale, currency
    p["it_model_label"] = IT_MODEL_LABELS.get(prospect.it_model.value, prospect.it_model.value)
    fit_ctx = fit.to_context() if fit is not None else None
    fx = exchange_rate(profile, currency) or 1  # prices are in the MSP's currency
    onsite = in_service_area(prospect, profile)
    tax = deck_tax(prospect)
    brand_ctx = brand.to_context()
    brand_ctx["disclaimer"] = local_disclaimer(brand_ctx.get("disclaimer", ""), tax)
    proof = industry_proof(profile, prospect)
    parting = walk_away_reason(fit) if storyline == "walk_away" else ""
    users = costs["users"] if costs else (prospect.size.users or prospect.size.endpoints or 0)
    devices, sites = counted_units(prospect, users)
    plan = build_plan(
        profile,
        currency=currency,
        fx=fx,
        users=users,
        devices=devices,
        sites=sites,
        unit_labels=UNIT_LABELS,
        prospect=prospect,
        offers=offers,
    )
    plan["counts"] = [
        c
        for c in plan_counts(profile, prospect, users=users, devices=devices, sites=plan["sites"])
        if c["value"]  # no users known and no cost estimate: nothing to count yet
    ]
    plan["onboarding_fee"] = costs["managed"]["onboarding_fee"] if costs else None
    plan["tax"] = tax.sentence
    # the pricing notes also say which of their figures came in another currency, and at what rate
    given = given_as_notes(prospect, profile, currency, locale) if prospect.given_as else []
    plan["fx_note"] = " ".join(filter(None, [fx_note(profile, currency, fx), *given]))
    charts = dict(costs.get("charts", {})) if costs else {}
    if fit_ctx is not None:
        charts["fit_scorecard"] = {
            "categories": [c["label"] for c in fit_ctx["criteria"]],
            "series": [
                {"name": "Points", "values": [c["points"] for c in fit_ctx["criteria"]]},
                {"name": "Possible", "values": [c["max_points"] for c in fit_ctx["criteria"]]},
            ],
        }
    return {
        "msp": profile.msp.model_dump(mode="json"),
        "usp": fitted_usp(profile, prospect),
        "icp": profile.icp.model_dump(mode="json"),
        "services": fitted_services(profile, currency, fx, onsite, UNIT_LABELS),
        "slas": fitted_slas(profile, onsite, abroad=bool(abroad_country(prospect, profile))),
        "certifications": list(profile.certifications),
        "metrics": fitted_metrics(profile, prospect),
        "next_steps": list(profile.next_steps),
        "prospect": p,
        "fit": fit_ctx,
        "closing": closing.to_context() if closing is not None else None,
        "costs": costs or None,
        "charts": charts,
        "brand": brand_ctx,
        "today": today,
        "locale": locale,
        "currency": currency,
        "deck": {
            "title": f"{profile.msp.name} — {prospect.company}",
            "storyline": storyline,
            "storyline_label": brief.get("storyline_label") or STORYLINE_LABELS[storyline],
            "guidance": brief.get("guidance") or GUIDANCE[storyline],
            "next_steps": storyline_next_steps(storyline, profile, prospect, parting or "standards"),
            "parting_reason": parting,
            "standards_title": standards_title(storyline, parting, profile, prospect),
            "fit": customer_fit(fit, prospect, profile).to_context(),
            "questions": slide_questions(fit, prospect),
            "pain_points": slide_pains(prospect.pain_points, prospect),
            "buyer": next((d.name for d in prospect.decision_makers if d.role == "economic_buyer"), ""),
            "buyer_in_room": bool(buyer_in_room(prospect)),
            "brief": dict(brief),
            "coach": _coach(storyline, brief, prospect, profile, closing, costs, parting),
            "plan": plan,
            "service_area": "onsite" if onsite else "remote",
            "hours_note": hours_note(prospect, profile, onsite),
            "tax": {"name": tax.name, "sentence": tax.sentence},
            "industry_proof": proof.model_dump(mode="json") if proof is not None else None,
        },
    }


def _coach(
    storyline: str, brief: Mapping, prospect: Prospect, profile: Profile, closing, costs, parting: str = ""
) -> dict:
    """``deck.coach``: the brief's objections placed on the slides this deck shows (deckgen.sales.coaching);
    ``parting`` is why a walk-away parts (size, industry, standards, fit), so its coaching follows it."""
    hidden = {
        "heard": not prospect.pain_points,
        "cost": not (costs and costs["comparison"]["savings"] > 0),
        "standards": not profile.icp.minimum_standards,
        "close": closing is None,
    }
    buyer = next((d.name for d in prospect.decision_makers if d.role == "economic_buyer"), "")
    return coach_slides(
        storyline=storyline,
        objections=brief.get("objections", ()),
        fallback=GUIDANCE[storyline],
        bridge=brief.get("bridge", ""),
        hidden=[key for key, gone in hidden.items() if gone],
        who=buyer,
        notes={"heard": named_pains_note(prospect)},
        parting=parting,
        min_users=profile.icp.size.min_users,
        buyer_present=bool(buyer_in_room(prospect)),
    )


# --------------------------------------------------------------------------- schema of the context


def _schema_of(annotation):
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        return _schema_of(args[0]) if len(args) == 1 else ANY
    if origin is typing.Annotated:
        return _schema_of(typing.get_args(annotation)[0])
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return {name: _schema_of(f.annotation) for name, f in annotation.model_fields.items()}
    return ANY


def _keys(*names: str) -> dict:
    return {n: ANY for n in names}


SCHEMA: dict = {
    "msp": _schema_of(Msp),
    "usp": _schema_of(Usp),
    "icp": _schema_of(Icp),
    "services": ANY,
    "slas": ANY,
    "certifications": ANY,
    "metrics": ANY,
    "next_steps": ANY,
    "prospect": {**_schema_of(Prospect), "it_model_label": ANY, "extra": ANY},
    "fit": _keys(
        "score",
        "band",
        "band_label",
        "verdict",
        "confidence",
        "criteria",
        "disqualified_by",
        "must_have_failures",
        "unserved_country",
    ),
    "closing": _keys("id", "text", "short", "tone", "coaching", "reason", "source", "triggers", "default"),
    "costs": ANY,
    "charts": ANY,
    "brand": {**_keys("name", "footer", "disclaimer", "colors", "fonts")},
    "today": ANY,
    "locale": ANY,
    "currency": ANY,
    "deck": {
        **_keys(
            "title",
            "storyline",
            "storyline_label",
            "guidance",
            "next_steps",
            "fit",
            "questions",
            "pain_points",
            "buyer",
            "buyer_in_room",
            "parting_reason",
            "standards_title",
        ),
        "coach": {key: _keys("guidance", "says", "answer", "avoid", "why", "note", "bridge") for key in SLIDES},
        "plan": _keys(
            "currency",
            "per_month",
            "per_user",
            "users",
            "devices",
            "sites",
            "counts",
            "tiers",
            "addons",
            "onboarding_fee",
            "tax",
            "fx_note",
        ),
        "service_area": ANY,
        "hours_note": ANY,
        "tax": _keys("name", "sentence"),
        "industry_proof": ANY,
        "brief": _keys(
            "storyline",
            "storyline_label",
            "goal",
            "guidance",
            "unknowns",
            "questions",
            "objections",
            "objections_label",
            "situations",
            "prospect_notes",
            "closing_when",
            "closing_how",
            "bridge",
            "closing_text",
            "closing_full",
        ),
    },
}


def unknown_path(path: str) -> str | None:
    """Return an error message if a dotted context path can never exist, else None.

    Paths below a value whose keys deckgen does not fix (``ANY``) are always allowed.
    """
    parts = path.split(".")
    node = SCHEMA
    for i, part in enumerate(parts):
        if node is ANY:
            return None
        if not isinstance(node, dict):
            return None
        if part not in node:
            if i > 0 and part in _DICT_METHODS:
                return None
            close = get_close_matches(part, list(node), n=1)
            prefix = ".".join(parts[:i])
            hint = f" — did you mean '{prefix + '.' if prefix else ''}{close[0]}'?" if close else ""
            return f"unknown variable '{'.'.join(parts[: i + 1])}'{hint}"
        node = node[part]
    return None


_DICT_METHODS = {"items", "keys", "values", "get"}
