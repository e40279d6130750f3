"""docs/context.md against the context deckgen really builds: every path documented, every documented path real."""

from __future__ import annotations

import datetime as _dt
import inspect
import re
from pathlib import Path

import pytest

from deckgen.brand.kit import load_brand
from deckgen.load.closings import load_library
from deckgen.load.files import load_profile, load_prospect
from deckgen.load.objections import load_objections
from deckgen.resources import examples_dir
from deckgen.sales.brief import seller_brief
from deckgen.sales.closings import all_lines, choose_closing
from deckgen.sales.context import ANY, SCHEMA, build_context, unknown_path
from deckgen.sales.costs import estimate_costs
from deckgen.sales.fit import score_fit
from deckgen.sales.locales import make_filters, resolve_locale
from deckgen.sales.storyline import storyline_for

DOC = Path(__file__).resolve().parents[2] / "docs" / "context.md"
FREE_FORM = ("prospect.extra",)  # keys are the prospect list's own column headers
# new in the context, its docs/context.md row handed to the doc's owner (remove once the row is there):
# | `deck.brief.objections[].in_brief` | true when it fits the brief's page 2; the rest are in its notes |
PATH_ROW = re.compile(r"^\| `([A-Za-z_][A-Za-z0-9_.\[\]]*)` \|", re.M)
FILTER_ROW = re.compile(r"^\| `(\w+)\(([^)]*)\)` \|", re.M)


def _contexts() -> list[dict]:
    """The context of each bundled example prospect, assembled as a build does."""
    profile = load_profile(examples_dir() / "profile.yaml")
    brand = load_brand(None, [])
    lines = all_lines(profile, load_library())
    out = []
    for path in sorted((examples_dir() / "prospects").glob("*.yaml")):
        prospect = load_prospect(path)
        fit = score_fit(prospect, profile.icp)
        closing = choose_closing(prospect, profile, fit, None, lines=lines)
        locale, currency = resolve_locale(prospect, profile)
        out.append(
            build_context(
                profile=profile,
                prospect=prospect,
                brand=brand,
                fit=fit,
                closing=closing,
                costs=estimate_costs(prospect, profile),
                today=_dt.date(2026, 11, 25),
                locale=locale,
                currency=currency,
                brief=seller_brief(
                    profile=profile,
                    prospect=prospect,
                    fit=fit,
                    closing=closing,
                    storyline=storyline_for(fit.band),
                    objections=load_objections(),
                ),
            )
        )
    return out


def _paths(value, prefix: str, out: set[str]) -> None:
    """Every key path of ``value``: ``a.b`` for dict keys, ``a[].b`` for the keys of a list's dicts."""
    if prefix and not prefix.endswith("[]"):  # the list itself is documented as ``a``
        out.add(prefix)
    if prefix in FREE_FORM:
        return
    if isinstance(value, dict):
        for key, item in value.items():
            _paths(item, f"{prefix}.{key}" if prefix else key, out)
    elif isinstance(value, list):
        for item in value:
            if isinstance(item, dict):
                _paths(item, prefix + "[]", out)


def _schema_paths(node, prefix: str, out: set[str]) -> None:
    """The key paths the schema fixes (from the pydantic models), down to its ``ANY`` leaves."""
    if prefix:
        out.add(prefix)
    if node is ANY or not isinstance(node, dict) or prefix in FREE_FORM:
        return
    for key, child in node.items():
        _schema_paths(child, f"{prefix}.{key}" if prefix else key, out)


@pytest.fixture(scope="module")
def documented() -> list[str]:
    return PATH_ROW.findall(DOC.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def provided() -> set[str]:
    paths: set[str] = set()
    for context in _contexts():
        _paths(context, "", paths)
    _schema_paths(SCHEMA, "", paths)
    return paths


def test_every_variable_the_context_provides_is_documented(documented, provided):
    missing = sorted(provided - set(documented))
    assert not missing, f"docs/context.md does not describe: {', '.join(missing)}"


def test_every_variable_the_doc_names_exists(documented, provided):
    unknown = sorted(set(documented) - provided)
    assert not unknown, f"docs/context.md names variables the context does not have: {', '.join(unknown)}"
    assert len(documented) == len(set(documented)), "a path is documented twice"


def test_documented_paths_pass_the_template_check(documented):
    # compile and lint refuse paths the schema says can never exist; none of the documented ones
    assert [p for p in documented if unknown_path(p.replace("[]", "")) is not None] == []


def test_the_top_level_names_of_the_design_are_all_there(documented):
    top = {p.split(".")[0].removesuffix("[]") for p in documented}
    assert {"msp", "usp", "icp", "prospect", "fit", "closing", "costs", "brand", "deck", "today"} <= top
    assert top == set(SCHEMA)


def test_the_filters_are_documented_with_their_signatures():
    doc = dict(FILTER_ROW.findall(DOC.read_text(encoding="utf-8")))
    filters = make_filters("en-GB", "GBP")
    assert set(doc) == set(filters) == {"money", "number", "date", "percent"}
    for name, func in filters.items():
        params = [
            p.name if p.default is inspect.Parameter.empty else f"{p.name}={p.default!r}"
            for p in inspect.signature(func).parameters.values()
        ]
        assert doc[name].replace('"', "'") == ", ".join(params), name
