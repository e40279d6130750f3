"""The one pydantic-error explainer and the one model-field walker."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from deckgen.errors import DataWarning, InputError
from deckgen.load.explain import explain_validation
from deckgen.load.fieldshapes import field_shapes
from deckgen.load.files import read_model, validate_doc
from deckgen.load.yamlfile import load_yaml_text
from deckgen.model import DecisionMaker, Person, Prospect, format_field_path


def _error(data: dict) -> ValidationError:
    with pytest.raises(ValidationError) as info:
        Prospect.model_validate(data)
    return info.value


def test_a_file_error_names_the_field_and_the_pydantic_rule():
    problem = explain_validation(_error({"company": "Acme", "size": {"users": "many"}, "colour": "red"}))
    assert problem.loc == ("size", "users") and problem.field == "size.users"
    assert problem.message.startswith("input should be a valid integer")
    assert problem.more == " (and 1 more problem)"


def test_a_row_error_quotes_the_value_where_no_line_points_at_it():
    problem = explain_validation(_error({"company": "x" * 301}), quote_values=True)
    assert problem.message == "too long: 301 characters, at most 300" and problem.more == ""
    plain = explain_validation(_error({"company": "x" * 301}))
    assert plain.message == "string should have at most 300 characters"


def test_missing_and_unknown_fields_read_the_same_everywhere():
    for quote in (False, True):
        assert explain_validation(_error({}), quote_values=quote).message == "field required"
        unknown = explain_validation(_error({"company": "A", "colour": "red"}), quote_values=quote)
        assert unknown.message == "unknown field (check the spelling)" and unknown.field == "colour"


def test_read_model_returns_typed_warnings_and_validate_doc_keeps_the_text():
    doc = load_yaml_text("company: Ac\x07me\nnotes: fine\n", file="p.yaml")
    prospect, warnings = read_model(Prospect, doc)
    assert prospect.company == "Acme"
    assert [type(w) for w in warnings] == [DataWarning]
    assert [str(w) for w in warnings] == ["company: removed control or invisible characters (line 1)"]
    texts: list[str] = []
    validate_doc(Prospect, load_yaml_text("company: Ac\x07me\n", file="p.yaml"), texts)
    assert texts == ["company: removed control or invisible characters (line 1)"]


def test_a_yaml_error_names_file_line_and_field():
    with pytest.raises(InputError) as info:
        read_model(Prospect, load_yaml_text("company: Acme\nsize:\n  users: lots\n", file="p.yaml"))
    assert str(info.value) == "p.yaml:3 size.users: 'lots' is not a whole number; write it in digits, e.g. 20"


def test_the_field_walker_sees_through_optional_and_annotated():
    shapes = field_shapes(Prospect)
    assert shapes["contact"].kind == "model" and shapes["contact"].type is Person
    assert shapes["decision_makers"].kind == "model_list" and shapes["decision_makers"].type is DecisionMaker
    assert shapes["pain_points"].kind == "list" and shapes["extra"].kind == "dict"
    assert shapes["it_model"].kind == "enum" and shapes["it_pain"].kind == "bool"
    assert (shapes["company"].kind, field_shapes(Prospect)["budget_per_user_month"].kind) == ("text", "float")
    assert format_field_path(("usp", "proof_points", 2)) == "usp.proof_points[2]"
