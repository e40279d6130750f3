"""Turn a pydantic ValidationError into the sentence a user can act on.

One explainer for every file deckgen loads: YAML files (the error names ``file:line field``,
so the value need not be repeated) and table rows (the error names ``row N, field``, so the
value the row holds is quoted where that helps).
"""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import BaseModel, ValidationError

from deckgen.model import format_field_path

_RANGE_KINDS = ("less_than_equal", "greater_than_equal", "less_than", "greater_than")


@dataclass(frozen=True)
class ValidationProblem:
    """The first problem pydantic found: where, what, and how many more there are."""

    loc: tuple  # the field's place in the data, without pydantic's validator steps
    message: str  # the sentence for the first problem
    others: int  # how many more problems pydantic found

    @property
    def field(self) -> str | None:
        """The field as users write it (``usp.proof_points[2]``), or None for the whole document."""
        return format_field_path(self.loc) or None

    @property
    def more(self) -> str:
        """`` (and 2 more problems)`` when there are others, else ''."""
        if not self.others:
            return ""
        return f" (and {self.others} more problem{'s' if self.others > 1 else ''})"


def explain_validation(
    exc: ValidationError, *, quote_values: bool = False, model: type[BaseModel] | None = None
) -> ValidationProblem:
    """Explain the first error of ``exc``; ``quote_values`` repeats the offending value (for table rows).

    ``model`` (the model a YAML file was validated as) turns on the advice for what people type into
    a file by hand (:mod:`deckgen.load.advice`): "did you mean 'industries'?", "write the number only: 120".
    """
    errors = exc.errors(include_url=False)
    err = errors[0]
    loc = tuple(p for p in err["loc"] if not (isinstance(p, str) and p.startswith("function-")))
    message = _row_message(err) if quote_values else None
    if model is not None and not quote_values:
        from deckgen.load.advice import advise  # (error messages only: kept off the start-up path)

        message = advise(err, loc, model)
    return ValidationProblem(loc, message or _plain_message(err), len(errors) - 1)


def _plain_message(err: dict) -> str:
    kind = err.get("type", "")
    if kind == "missing":
        return "field required"
    if kind == "extra_forbidden":
        return "unknown field (check the spelling)"
    msg = err.get("msg", "invalid value")
    return msg[0].lower() + msg[1:] if msg else msg


def _row_message(err: dict) -> str | None:
    """The sentence for a table cell, which names the value since no line points at it; None: the plain one."""
    kind = err.get("type", "")
    ctx = err.get("ctx") or {}
    value = err.get("input")
    if kind == "string_too_long":
        return f"too long: {len(value)} characters, at most {ctx.get('max_length')}"
    if kind == "string_too_short":
        return "must not be empty"
    if kind == "enum":
        return f"'{short_text(str(value))}' is not one of: {ctx.get('expected', '')}"
    if kind == "string_pattern_mismatch":
        return f"'{short_text(str(value))}' does not have the expected form"
    if kind in _RANGE_KINDS:
        shown = format_number(value) if isinstance(value, (int, float)) else value
        return f"{shown} is out of range: {_plain_message(err)}"
    return None


def short_text(text: str, limit: int = 40) -> str:
    """``text`` on one line, cut to ``limit`` characters with an ellipsis (for quoting a value)."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def format_number(value: float) -> str:
    """``126.0`` -> ``126``, ``2.5`` -> ``2.5``: a number as a user would write it."""
    return str(int(value)) if float(value).is_integer() else f"{value:g}"
