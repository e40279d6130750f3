"""The walk-away closing lines: the bundled library, the MSP's own, and the choice for one deck.

Choosing a line for a prospect (:func:`choose_closing`), first match wins:

1. ``override`` (the seller's ``--closing``), then 2. ``prospect.closing``. Either is
   * the id of a line in :func:`all_lines` (case-insensitive) → that line;
   * otherwise text → a literal line (``source`` "literal") when it contains whitespace, is
     longer than 40 characters or does not look like an id (``[A-Za-z0-9][A-Za-z0-9_-]*``, so
     Chinese or Japanese text without spaces is literal too);
   * otherwise (an id-looking value nobody defined) → :class:`InputError`.
3. A suggestion: the line whose triggers share the most situations with the prospect's
   ``situations`` plus the ones its data implies (see :func:`implied_situations`); ties go to
   the profile's ``closing_tone``, then the MSP's own lines, then the id (alphabetical). A line that
   answers a disqualifier comes first; a walk-away with none parts on fit, so then a line for
   ``poor_fit`` comes first, the one with the fewest triggers the prospect does not show.
   When nothing matches, a default is taken and marked so (``default``; the seller confirms it in
   discovery): a walk-away deck takes a line for ``poor_fit``; any other deck a neutral line with no
   triggers (the profile's own first: an MSP picks its default by giving one of its lines no
   triggers), never one for a situation nobody recorded (a break-fix line for a prospect whose IT
   model is unknown). Then the profile's tone, the MSP's own lines and the id decide.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from pydantic import ValidationError

from deckgen.errors import InputError
from deckgen.model import ClosingLine, ItModel, Profile, Prospect, Tone
from deckgen.sales.criteria import MoneyView, budget, unserved_country
from deckgen.sales.fit import money_view

TRIGGERS: tuple[str, ...] = (
    "break_fix",
    "outdated_systems",
    "refuses_security",
    "price_shopper",
    "wants_cheapest",
    "no_decision_maker",
    "scope_creep",
    "diy_it",
    "compliance_risk",
    "slow_decision",
    "happy_with_current",
    "poor_fit",
    "outside_service_area",
    "wants_vendor",
)
MAX_LIBRARY_TEXT = 160
LITERAL_ID = "literal"
LITERAL_COACHING = (
    "Use it only after real discovery, once you know the fit is wrong. Say it calmly, then stop "
    "talking and let them answer first. If they agree to part, thank them and log it as a qualified no."
)
_ID_LIKE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*$")
_SEPARATORS = re.compile(r"[\s-]+")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
_LITERAL_MIN_LEN = 41
_NO_MATCH_SITUATIONS = {"poor_fit"}
SHORT_WORDS = 20  # the most words a closing line's slide form has


@dataclass(frozen=True)
class ClosingChoice:
    """The line chosen for one deck and why."""

    line: ClosingLine
    reason: str
    default: bool = False  # no recorded situation matched: a default the seller confirms before using it

    def to_context(self) -> dict:
        return {
            "id": self.line.id,
            "text": self.line.text,
            "short": short_form(self.line),
            "tone": self.line.tone.value,
            "coaching": self.line.coaching,
            "reason": self.reason,
            "source": self.line.source,
            "triggers": list(self.line.triggers),
            "default": self.default,
        }


def short_form(line: ClosingLine) -> str:
    """The line as its slide shows it (at most ``SHORT_WORDS`` words): its ``short``, else derived.

    Derived: the whole text when it is short enough; else its last sentence that is (a walk-away
    line ends with the walk-away); else the last sentence cut at its last comma or semicolon
    within the limit (or after the limit's words), with an ellipsis.
    """
    if line.short:
        return line.short
    text = " ".join(line.text.split())
    if len(text.split()) <= SHORT_WORDS:
        return text
    sentences = [s for s in _SENTENCE_END.split(text) if s]
    fitting = [s for s in sentences if len(s.split()) <= SHORT_WORDS]
    if fitting:
        return fitting[-1]
    words = sentences[-1].split()[: SHORT_WORDS - 1]
    cut = max((i for i, w in enumerate(words) if w.endswith((",", ";", ":")) and i >= 5), default=None)
    return " ".join(words[: cut + 1] if cut is not None else words).rstrip(",;:") + "…"


# --------------------------------------------------------------------------- the library


def all_lines(profile: Profile | None, library: list[ClosingLine]) -> list[ClosingLine]:
    """The profile's own lines (``source`` "profile") first, then ``library`` (the bundled lines).

    A profile line replaces a library line with the same id. ``library`` comes from
    :func:`deckgen.load.closings.load_library`.
    """
    own: list[ClosingLine] = []
    ids: set[str] = set()
    for line in profile.closings if profile is not None else []:
        if line.id in ids:
            continue
        ids.add(line.id)
        own.append(line.model_copy(update={"source": "profile"}, deep=True))
    return own + [line for line in library if line.id not in ids]


def filter_lines(
    lines: list[ClosingLine], trigger: str | None = None, tone: str | Tone | None = None
) -> list[ClosingLine]:
    """Lines that answer ``trigger`` and/or have ``tone`` (for ``deckgen closings list``)."""
    want_tone = None
    if tone is not None and str(getattr(tone, "value", tone)).strip():
        try:
            want_tone = Tone(str(getattr(tone, "value", tone)).strip().lower())
        except ValueError:
            raise InputError(f"unknown tone '{tone}'; use calm, firm or warm") from None
    want_trigger = _snake(trigger) if trigger and trigger.strip() else None
    return [
        line
        for line in lines
        if (want_trigger is None or want_trigger in _triggers(line)) and (want_tone is None or line.tone == want_tone)
    ]


@lru_cache(maxsize=1024)  # pure: the lines' triggers and the prospects' few situations, every deck
def _snake(text: str) -> str:
    return _SEPARATORS.sub("_", text.strip()).lower()


# --------------------------------------------------------------------------- the choice


def implied_situations(
    prospect: Prospect, profile: Profile | None = None, fit=None, money: MoneyView | None = None
) -> dict[str, str]:
    """Situations the prospect's data implies, each with where it came from.

    break_fix (IT model break-fix), diy_it (IT model none), happy_with_current (in-house,
    co-managed or another MSP and no pain), no_decision_maker (contacts known, none of them the
    economic buyer), compliance_risk (regulated data and break-fix or no IT support),
    wants_cheapest (budget below the ICP's floor), poor_fit (fit band walk away),
    outside_service_area (a country the profile's ``icp.geography.countries`` leave out). ``money`` is
    :func:`deckgen.sales.fit.money_view` of the prospect and ``profile``, when the caller has it already.
    """
    out: dict[str, str] = {}
    if prospect.it_model == ItModel.break_fix:
        out["break_fix"] = "their IT model"
    elif prospect.it_model == ItModel.none:
        out["diy_it"] = "their IT model"
    elif prospect.it_model in (ItModel.in_house, ItModel.co_managed, ItModel.other_msp) and prospect.it_pain is False:
        out["happy_with_current"] = "their IT model"
    if prospect.decision_makers and not any(d.role == "economic_buyer" for d in prospect.decision_makers):
        out["no_decision_maker"] = "their decision makers"
    regulated = [c for c in prospect.compliance if c and c not in ("none", "no", "na")]
    if regulated and prospect.it_model in (ItModel.break_fix, ItModel.none):
        out["compliance_risk"] = "their compliance needs"
    if profile is not None and _budget_below_floor(prospect, profile, money):
        out["wants_cheapest"] = "their budget"
    band = getattr(fit, "band", None) if not isinstance(fit, dict) else fit.get("band")
    if profile is not None and unserved_country(prospect, profile.icp):
        out["outside_service_area"] = "their country"
    if band == "walk_away":
        out["poor_fit"] = "the fit score"
    return out


def _budget_below_floor(prospect: Prospect, profile: Profile, money: MoneyView | None = None) -> bool:
    """As the fit's budget criterion judges it: in the MSP's currency (a budget in pounds is converted
    before it meets a floor in dollars), and never when the two cannot be compared, the figure looks
    like a unit mistake, or only today's IT spend is known (a low spend is their past, not a wish)."""
    if profile.icp.budget_floor_per_user_month is None or prospect.budget_per_user_month is None:
        return False
    scored = budget(prospect, profile.icp, money if money is not None else money_view(prospect, profile))
    return scored.known and scored.share < 1


def choose_closing(
    prospect: Prospect,
    profile: Profile | None,
    fit=None,
    override: str | None = None,
    *,
    lines: list[ClosingLine],
    money: MoneyView | None = None,
) -> ClosingChoice:
    """Pick the walk-away line for ``prospect``: override, then the prospect's choice, then a suggestion.

    ``fit`` is a :class:`deckgen.fit.Fit` (or its context dict) or None.
    ``lines`` is ``all_lines(profile, library)``, worked out once per profile; ``money`` is
    :func:`deckgen.sales.fit.money_view` of the prospect and profile, when the caller has it already.
    Raises InputError for an id-looking override or ``prospect.closing`` that names no line.
    """
    tone = profile.closing_tone if profile is not None else None
    if override is not None and override.strip():
        return _explicit(override, lines, tone, "the seller's choice for this deck", field=None)
    if prospect.closing and prospect.closing.strip():
        return _explicit(prospect.closing, lines, tone, "the prospect's data", field="closing")
    return _suggest(prospect, profile, fit, lines, tone, money)


def _explicit(value: str, lines: list[ClosingLine], tone: Tone | None, origin: str, field: str | None) -> ClosingChoice:
    value = value.strip()
    source = "prospect" if field else None  # the prospect's own ``closing``; else the seller's option
    by_id = {line.id: line for line in lines}
    line = by_id.get(value.lower())
    if line is not None:
        return ClosingChoice(line, f"Chosen in {origin} ('{line.id}').")
    if any(c.isspace() for c in value) or len(value) >= _LITERAL_MIN_LEN or not _ID_LIKE.match(value):
        try:
            literal = ClosingLine(
                id=LITERAL_ID,
                text=value,
                tone=tone or Tone.calm,
                triggers=[],
                coaching=LITERAL_COACHING,
                source="literal",
            )
        except ValidationError:
            raise InputError(
                "closing text is longer than 400 characters; shorten it", field=field, source=source
            ) from None
        return ClosingChoice(literal, f"Written in {origin}.")
    raise InputError(f"unknown closing line '{value}'; see `deckgen closings list`", field=field, source=source)


def _triggers(line: ClosingLine) -> frozenset[str]:
    """The situations ``line`` answers, as :func:`_snake` writes them."""
    return _snaked(tuple(line.triggers))


@lru_cache(maxsize=256)  # the lines are the same for every deck
def _snaked(triggers: tuple[str, ...]) -> frozenset[str]:
    return frozenset(_snake(t) for t in triggers)


def _suggest(
    prospect: Prospect,
    profile: Profile | None,
    fit,
    lines: list[ClosingLine],
    tone: Tone | None,
    money: MoneyView | None = None,
) -> ClosingChoice:
    if not lines:
        raise InputError("no closing lines are available")
    implied = implied_situations(prospect, profile, fit, money)
    situations: list[str] = list(dict.fromkeys([_snake(s) for s in prospect.situations if s] + list(implied)))
    wanted = set(situations)

    # a situation the ICP lists as a disqualifier is why the seller walks away: the line should answer it
    disqualifiers = {_snake(s) for s in profile.icp.disqualifiers} if profile is not None else set()
    disqualifiers.add("outside_service_area")  # a country the MSP does not serve is always why
    # a walk-away with no disqualifier parts on fit (size, industry, a low score): that is the why, said by
    # the line made for it, not by one that also tells them what they never said ("Want a vendor?")
    on_fit = "poor_fit" in wanted and not (wanted & disqualifiers)
    if on_fit:
        disqualifiers.add("poor_fit")

    def matches(line: ClosingLine) -> int:
        return len(wanted & _triggers(line))

    def answers_disqualifier(line: ClosingLine) -> int:
        return len(wanted & disqualifiers & _triggers(line))

    def unshown(line: ClosingLine) -> int:
        return len(_triggers(line) - wanted) if on_fit else 0

    def key(line: ClosingLine):
        return (
            -answers_disqualifier(line),
            unshown(line),
            -matches(line),
            0 if tone is None or line.tone == tone else 1,
            0 if line.source == "profile" else 1,
            line.id,
        )

    best = min(lines, key=key)
    n = matches(best)
    if n == 0:
        walk_away = "poor_fit" in implied

        def general(line: ClosingLine):
            line_triggers = _triggers(line)
            if walk_away:
                rank = 0 if _NO_MATCH_SITUATIONS & line_triggers else 1 if not line_triggers else 2
            else:  # a neutral line: one for a situation nobody recorded would tell them what they are not
                rank = 0 if not line_triggers else 1
            return (
                rank,
                0 if line.source == "profile" and not line_triggers else 1,  # the MSP's chosen default
                0 if tone is None or line.tone == tone else 1,
                0 if line.source == "profile" else 1,
                line.id,
            )

        best = min(lines, key=general)
        head = (
            "No recorded situation matches a line, so this is a default"
            if situations
            else "No situations recorded for this prospect, so this is a default"
        )
        head += ": confirm in discovery that it fits before you use it"
    else:
        line_triggers = _triggers(best)
        matched = [
            s + (f" (from {implied[s]})" if s in implied and s not in prospect.situations else "")
            for s in situations
            if s in line_triggers
        ]
        head = f"Matches the prospect's situations: {', '.join(matched)}"
    if best.source == "profile":
        head += "; one of your own lines"
    if tone is None:
        tail = f"tone {best.tone.value}"
    elif best.tone == tone:
        tail = f"tone {best.tone.value} as the profile prefers"
    else:
        tail = f"tone {best.tone.value}, as no {tone.value} line fits as well"
    return ClosingChoice(best, f"{head}; {tail}.", default=n == 0)
