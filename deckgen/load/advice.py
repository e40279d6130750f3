"""What to write instead: the sentence for a value a person typed into a YAML file the way people do.

``28 users`` where a number goes, ``$120``, ``15%``, ``navy`` for a colour, ``$`` for a currency, a
misspelt field name, a section left empty. Each sentence says what is wrong and what to write, so
the owner of the file can fix it without knowing what pydantic or a regular expression is. The
field and its line are named by the caller (``profile.yaml:87 icp.size.min_users: …``).
"""

from __future__ import annotations

import difflib
import re

from pydantic import BaseModel

from deckgen.load.fieldshapes import field_shapes

_NUMBER_KINDS = {"int_parsing", "float_parsing", "int_from_float", "int_type", "float_type"}
_EMPTY_KINDS = {"model_type", "dict_type", "list_type", "string_type", "int_type", "float_type", "bool_type"}
_CURRENCY_WORDS = {
    "$": "USD", "us$": "USD", "usd$": "USD", "dollar": "USD", "dollars": "USD", "us dollars": "USD",
    "£": "GBP", "pound": "GBP", "pounds": "GBP", "€": "EUR", "euro": "EUR", "euros": "EUR",
    "hk$": "HKD", "a$": "AUD", "au$": "AUD", "c$": "CAD", "ca$": "CAD", "nz$": "NZD", "¥": "JPY", "yen": "JPY",
}  # fmt: skip
_COLOUR_NAMES = {
    "black": "#000000", "white": "#FFFFFF", "navy": "#000080", "blue": "#0000FF", "red": "#FF0000",
    "green": "#008000", "teal": "#008080", "orange": "#FFA500", "yellow": "#FFFF00", "purple": "#800080",
    "grey": "#808080", "gray": "#808080", "maroon": "#800000", "silver": "#C0C0C0", "gold": "#FFD700",
}  # fmt: skip
_HEX_PATTERN = "^#?[0-9A-Fa-f]{6}$"
_ID_PATTERN = "^[a-z0-9][a-z0-9_-]{0,63}$"
_CHOICES = re.compile(r"^\^\(([\w|]+)\)\$$")


def advise(err: dict, loc: tuple, model: type[BaseModel] | None) -> str | None:
    """The sentence for pydantic's error ``err`` at ``loc`` (validator steps taken off), or None: the plain one."""
    kind = err.get("type", "")
    value = err.get("input")
    ctx = err.get("ctx") or {}
    if kind == "extra_forbidden":
        return _unknown_field(str(loc[-1]) if loc else "", _names_at(model, loc[:-1]))
    if value is None and kind in _EMPTY_KINDS:
        return _empty(kind, loc)
    if kind in _NUMBER_KINDS and isinstance(value, str):
        return _not_a_number(value.strip(), whole=kind.startswith("int"))
    if kind == "bool_parsing":
        return f"'{value}' is not true or false; write true or false"
    if kind == "list_type" and isinstance(value, str):
        return (
            f"'{value}' must be a list: write each item on its own line starting with '- ', "
            f"or all of them in brackets: [{value}]"
        )
    if kind in ("model_type", "dict_type") and isinstance(value, str | int | float):
        names = _names_at(model, loc)
        fields = f" ({', '.join(names)})" if names else ""
        return f"'{value}' must be a group of fields{fields}, each on its own line below, indented by two spaces"
    if kind == "string_pattern_mismatch" and isinstance(value, str):
        return _pattern(value.strip(), ctx.get("pattern", ""), loc)
    if kind in ("enum", "literal_error") and value is not None:
        return _choice(str(value), re.findall(r"'([^']*)'", ctx.get("expected", "")))
    if kind == "less_than_equal" and ctx.get("le") == 1 and isinstance(value, int | float | str):
        return f"{value} is more than 1: write it as a share of 1 ({value}% is {_share(value)})"
    if kind == "greater_than_equal" and isinstance(value, int | float | str):
        return f"{value} is less than {ctx.get('ge')}: write {ctx.get('ge')} or more"
    if kind == "string_too_long" and isinstance(value, str):
        return f"is {len(value)} characters long; the most is {ctx.get('max_length')}: shorten it"
    return None


def _names_at(model: type[BaseModel] | None, loc: tuple) -> list[str]:
    """The field names of the sub-model at ``loc`` of ``model`` ([] when it is not a model)."""
    for part in loc:
        if model is None:
            return []
        if isinstance(part, int):
            continue
        shape = field_shapes(model).get(part)
        model = shape.type if shape is not None and shape.kind in ("model", "model_list") else None
    return list(field_shapes(model)) if model is not None else []


def _unknown_field(name: str, names: list[str]) -> str:
    close = difflib.get_close_matches(name.casefold().replace(" ", "_"), names, n=1, cutoff=0.6)
    if close:
        return f"unknown field (check the spelling): did you mean '{close[0]}'?"
    if names:
        return f"unknown field (check the spelling); the fields here are: {', '.join(names)}"
    return "unknown field (check the spelling)"


def _empty(kind: str, loc: tuple) -> str:
    if loc and loc[0] == "colors" or (len(loc) > 1 and loc[-2] == "colors"):
        return 'is empty: in YAML a # starts a comment, so put the colour in quotes, e.g. primary: "#14365D"'
    if kind == "list_type":
        return "is empty: list at least one item below it, each on its own line starting with '- '"
    if kind in ("model_type", "dict_type"):
        return "is empty: its fields go on the lines below it, indented by two spaces (see deckgen init's example)"
    return "is empty: write a value after the colon (text with a # in it goes in double quotes)"


def _not_a_number(text: str, whole: bool) -> str:
    what = "a whole number" if whole else "a number"
    found = re.search(r"\d[\d,]*(?:\.\d+)?", text)
    if not found:
        return f"'{text}' is not {what}; write it in digits, e.g. 20"
    prefix, suffix = text[: found.start()].strip(), text[found.end() :].strip()
    number = float(found.group().replace(",", "")) * {"k": 1_000, "m": 1_000_000}.get(suffix.casefold(), 1)
    shown = _plain(number)
    if suffix == "%" and not prefix:
        return f"'{text}' is a percentage; write it as a share of 1: {_share(number)}"
    if whole and not number.is_integer():
        return f"'{text}' is not {what}; write a whole number, e.g. {round(number)}"
    if (prefix and prefix[-1] in "$£€¥") or re.fullmatch(r"[A-Za-z]{3}", prefix or suffix):
        return f"'{text}' has a currency in it; write the number only: {shown}"
    if "," in found.group() and not prefix and not suffix:
        return f"'{text}': write the number without thousands separators: {shown}"
    return f"'{text}' is not {what}; write the number only: {shown}"


def _pattern(value: str, pattern: str, loc: tuple) -> str | None:
    if pattern in ("^[A-Z]{3}$", "^([A-Z]{3})?$"):
        code = _CURRENCY_WORDS.get(value.casefold()) or (value.upper() if re.fullmatch(r"[A-Za-z]{3}", value) else "")
        hint = f": {code}" if code else ", e.g. USD, GBP, EUR, HKD"
        return f"'{value}' is not a currency code; write the three-letter code in capitals{hint}"
    if pattern == "^[A-Z]{2}$":
        return f"'{value}' is not a country code; write the two-letter code in capitals, e.g. US, GB, HK"
    if pattern == _HEX_PATTERN:
        named = _COLOUR_NAMES.get(value.casefold())
        if named:
            return f"'{value}' is a colour name; write it as a hex code in quotes, e.g. \"{named}\" for {value}"
        short = re.fullmatch(r"#?([0-9A-Fa-f])([0-9A-Fa-f])([0-9A-Fa-f])", value)
        if short:
            full = "".join(c * 2 for c in short.groups()).upper()
            return f"'{value}' has three digits; write all six, in quotes: \"#{full}\""
        return f"'{value}' is not a colour code; write # and six hex digits (0-9, A-F) in quotes, e.g. \"#14365D\""
    if pattern == _ID_PATTERN:
        slug = re.sub(r"[^a-z0-9_-]+", "-", value.casefold()).strip("-_")[:64] or "my-line"
        return f"'{value}' is not a valid id: use lowercase letters, digits and dashes, no spaces, e.g. '{slug}'"
    choices = _CHOICES.match(pattern)
    if choices:
        return _choice(value, choices.group(1).split("|"))
    return None


def _choice(value: str, choices: list[str]) -> str | None:
    if not choices:
        return None
    guess = re.sub(r"[\s-]+", "_", value.strip().casefold())
    close = difflib.get_close_matches(guess, choices, n=1, cutoff=0.6)
    hint = f"; did you mean '{close[0]}'?" if close else ""
    return f"'{value}' is not one of: {', '.join(choices)}{hint}"


def _share(value) -> str:
    try:
        return _plain(float(str(value).rstrip("% ")) / 100)
    except ValueError:
        return "its share of 1"


def _plain(number: float) -> str:
    return str(int(number)) if float(number).is_integer() else f"{number:.10g}"
