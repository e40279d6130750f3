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
from deckgen.sales.brief import GUIDANCE, questions, seller_brief
from deckgen.sales.cost_estimate import CostEstimate
from deckgen.sales.costs import exchange_rate
from deckgen.sales.storyline import STORYLINE_LABELS, customer_fit, storyline_for, storyline_next_steps

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
) -> dict:
    """Return the context for one deck: the plain data of docs/context.md.

    ``costs`` is the :class:`CostEstimate` (or, from older callers, its ``to_context()`` dict);
    ``storyline`` defaults to the one the fit band calls for; ``brief`` is the seller brief's data
    (:func:`deckgen.sales.brief.seller_brief`; made here, without objections, when not given).
    """
    if storyline is None:
        storyline = storyline_for(getattr(fit, "band", None))
    if brief is None:
        brief = seller_brief(profile=profile, prospect=prospect, fit=fit, closing=closing, storyline=storyline)
    if isinstance(costs, CostEstimate):
        costs = costs.to_context()
    p = prospect.model_dump(mode="json")
    p["locale"], p["currency"] = locale, currency
    p["it_model_label"] = IT_MODEL_LABELS.get(prospect.it_model.value, prospect.it_model.value)
    fit_ctx = fit.to_context() if fit is not None else None
    fx = float(exchange_rate(profile, currency) or 1)  # prices are in the MSP's currency
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
        "usp": profile.usp.model_dump(mode="json"),
        "icp": profile.icp.model_dump(mode="json"),
        "services": [
            dict(s.model_dump(mode="json"), price=round(s.price * fx, 2), unit_label=UNIT_LABELS.get(s.unit, s.unit))
            for s in profile.services
        ],
        "slas": [s.model_dump(mode="json") for s in profile.slas],
        "certifications": list(profile.certifications),
        "metrics": [m.model_dump(mode="json") for m in profile.metrics],
        "next_steps": list(profile.next_steps),
        "prospect": p,
        "fit": fit_ctx,
        "closing": closing.to_context() if closing is not None else None,
        "costs": costs or None,
        "charts": charts,
        "brand": brand.to_context(),
        "today": today,
        "locale": locale,
        "currency": currency,
        "deck": {
            "title": f"{profile.msp.name} — {prospect.company}",
            "storyline": storyline,
            "storyline_label": STORYLINE_LABELS[storyline],
            "guidance": GUIDANCE[storyline],
            "next_steps": storyline_next_steps(storyline, profile, prospect),
            "fit": customer_fit(fit, prospect, profile).to_context(),
            "questions": questions(fit, prospect, storyline)[1:4],
            "brief": dict(brief),
        },
    }


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
        "score", "band", "band_label", "verdict", "confidence", "criteria", "disqualified_by", "must_have_failures"
    ),
    "closing": _keys("id", "text", "tone", "coaching", "reason", "source", "triggers"),
    "costs": ANY,
    "charts": ANY,
    "brand": {**_keys("name", "footer", "disclaimer", "colors", "fonts")},
    "today": ANY,
    "locale": ANY,
    "currency": ANY,
    "deck": {
        **_keys("title", "storyline", "storyline_label", "guidance", "next_steps", "fit", "questions"),
        "brief": _keys(
            "storyline",
            "storyline_label",
            "goal",
            "guidance",
            "unknowns",
            "questions",
            "objections",
            "situations",
            "prospect_notes",
            "closing_when",
            "closing_how",
            "bridge",
            "closing_text",
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
