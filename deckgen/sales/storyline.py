"""The storyline a deck tells, chosen from the fit verdict, and the plain-words fit a prospect may see.

A storyline is a name the template's slide directives test (``{%slide if deck.storyline in [...] %}``):

=============  ==========================================================================
band           storyline
=============  ==========================================================================
A              ``pitch``: the full pitch, ending in a confident ask
B              ``buyer``: the pitch, aimed at getting the economic buyer into the room
C              ``nurture``: a short deck that keeps the door open; no price
qualify_first  ``discovery``: too little is known; the deck asks the questions
walk_away      ``walk_away``: what we heard, our standards, the line, a conditional next step;
               ``referral`` when the prospect is in a country the profile does not serve
               (``fit.unserved_country``): who we are, what we heard, the line, an introduction
               to a provider near them. Nothing to argue: our standards are not why we part.
anything else  ``discovery`` (an unknown band is never a walk-away)
=============  ==========================================================================

The customer never sees the score or the band: :func:`customer_fit` turns the criteria into
"where we fit" and "what we'd need from you" sentences. Pure: no file I/O.
"""

from __future__ import annotations

from dataclasses import dataclass

from deckgen.errors import InputError
from deckgen.model import ItModel, Profile, Prospect
from deckgen.sales.coaching import STORYLINE_SLIDES
from deckgen.sales.costs import exchange_rate
from deckgen.sales.people import buyer_in_room, named_people, pains_only, without_names
from deckgen.sales.taxonomy import classify, is_broad

STORYLINES: tuple[str, ...] = ("pitch", "buyer", "nurture", "discovery", "walk_away", "referral")
WALK_AWAYS: frozenset[str] = frozenset({"walk_away", "referral"})  # the storylines that part with the prospect
BAND_STORYLINE: dict[str, str] = {
    "A": "pitch",
    "B": "buyer",
    "C": "nurture",
    "qualify_first": "discovery",
    "walk_away": "walk_away",
}
STORYLINE_LABELS: dict[str, str] = {
    "pitch": "Full pitch with a confident ask",
    "buyer": "Pitch aimed at getting the economic buyer into the room",
    "nurture": "Short nurture deck: keep the door open, no price",
    "discovery": "Discovery deck: ask before you pitch",
    "walk_away": "Walk-away deck: what we heard, our standards, the line, a conditional next step",
    "referral": "Referral deck: who we are, why we are not the team where they are, an introduction to one who is",
}
# the storylines whose decks show prices (the investment slide): pitch and buyer
PRICED: frozenset[str] = frozenset(name for name, keys in STORYLINE_SLIDES.items() if "investment" in keys)
_ALIASES = {"a": "pitch", "b": "buyer", "c": "nurture", "qualify_first": "discovery", "walk-away": "walk_away"}
MAX_ITEMS = 3  # per column of the "where we fit" slide, and pain points on "what we heard": the glance test
PAIN_WORDS = 31  # "what we heard" shares its 40 words with its nine-word headline
FIT_SHOWN = 2  # "where we fit" shows the first two strengths and the first two needs (the template's [:2])
FIT_WORDS = 27  # ... within its 40 words, less the nine-word headline and the labels "We fit", "We need"


def storyline_for(band: str | None, override: str | None = None, *, referral: bool = False) -> str:
    """The storyline for a fit band, or the seller's ``override`` (a storyline name or a band).

    ``referral``: the prospect is in a country the profile does not serve (``fit.unserved_country``),
    so a walk-away band refers them instead of stating our standards."""
    if override:
        key = override.strip().lower().replace(" ", "_")
        key = _ALIASES.get(key, key)
        if key not in STORYLINES:
            raise InputError(
                f"unknown storyline '{override}'; choose one of {', '.join(STORYLINES)}", field="storyline"
            )
        return key
    storyline = BAND_STORYLINE.get(band or "", "discovery")
    return "referral" if referral and storyline == "walk_away" else storyline


def require_rate(storyline: str, currency: str, profile: Profile, country: str = "") -> None:
    """Refuse a deck that would show prices in ``currency`` when the profile cannot convert its prices into it.

    Without a rate the amounts would be the MSP's own figures under the prospect's currency sign, so
    the customer would read a wrong price; a deck without prices (nurture, discovery, walk-away) is fine.
    """
    if storyline not in PRICED or exchange_rate(profile, currency) is not None:
        return
    base = profile.msp.currency
    where = f" ({country})" if country else ""
    raise InputError(
        f"this {storyline} deck shows prices in {currency}{where}, but your profile's prices are in {base} "
        f"and it has no exchange rate for {currency}: add '{currency}: <{currency} per 1 {base}>' under "
        "exchange_rates in the profile, or give the prospect 'currency: "
        f"{base}', or build a deck without prices (--storyline nurture)",
        field=f"exchange_rates.{currency}",
        source="profile",
    )


# what the prospect is called in copy, by vertical: (one, many); anything else is a firm
_ORG_WORDS: dict[str, tuple[str, str]] = {
    "dental": ("practice", "practices"),
    "medical": ("practice", "practices"),
    "veterinary": ("practice", "practices"),
    "hospital": ("hospital", "hospitals"),
    "pharmacy": ("pharmacy", "pharmacies"),
    "healthcare": ("organisation", "organisations"),
    "education": ("school", "schools"),
    "nonprofit": ("organisation", "organisations"),
    "government": ("organisation", "organisations"),
    "manufacturing": ("business", "businesses"),
    "logistics": ("business", "businesses"),
    "wholesale": ("business", "businesses"),
    "retail": ("business", "businesses"),
    "hospitality": ("business", "businesses"),
    "construction": ("business", "businesses"),
    "energy": ("business", "businesses"),
    "agriculture": ("business", "businesses"),
}


def organisation_word(prospect: Prospect, *, plural: bool = False) -> str:
    """What copy calls the prospect's kind of organisation, from its industry: "practice" for a dental or
    medical one, "school", "organisation" for a non-profit, "business", else "firm"; an unknown industry is
    an "organisation". A broad or unknown industry ("Hospital & Health Care") is narrowed by the company's
    name when that names a kind of business ("Stone Oak Family Dentistry": a practice).
    US English (the locale, else the country) spells it "organization"."""
    key = classify(prospect.industry)[0] if prospect.industry else None
    if key is None or is_broad(key):  # "Hospital & Health Care": the name often says which ("… Dentistry")
        key = classify(prospect.company)[0] or key
    one, many = _ORG_WORDS.get(key, ("firm", "firms")) if key else ("organisation", "organisations")
    word = many if plural else one
    locale = (prospect.locale or "").replace("_", "-").lower()
    country = (prospect.location.country or "").strip().lower()
    if locale == "en-us" or (not locale and country in ("us", "usa", "united states", "united states of america")):
        word = word.replace("organis", "organiz")
    return word


WALK_AWAY_REASONS: tuple[str, ...] = ("too_small", "too_large", "industry", "standards", "fit")


def walk_away_reason(fit) -> str:
    """Why a walk-away deck parts with the prospect, as the deck may say it: ``standards`` (a situation the
    ICP disqualifies, such as refusing the security baseline), ``too_small`` / ``too_large`` (their size
    misses the range), ``industry`` (one we do not serve), else ``fit`` (a low score on several counts).
    The size and industry come from the fit's criteria, so a figure never reaches the slide."""
    if fit is None:
        return "fit"
    if getattr(fit, "disqualified_by", ()):
        return "standards"
    by_name = {c.name: c for c in getattr(fit, "criteria", ())}
    failed = [n for n in getattr(fit, "must_have_failures", ()) if n in by_name and by_name[n].known]
    failed += [n for n in ("size", "industry") if n in by_name and by_name[n].known and by_name[n].share == 0]
    for name in dict.fromkeys(failed):
        c = by_name[name]
        if name == "size" and " below " in f" {c.reason} ":
            return "too_small"
        if name == "size" and " above " in f" {c.reason} ":
            return "too_large"
        if name == "industry" and c.share == 0:
            return "industry"
    return "fit"


STANDARDS_TITLE = "Every client of ours accepts these standards"


def standards_title(storyline: str, reason: str, profile: Profile, prospect: Prospect) -> str:
    """The standards slide's headline: our standards, or in a walk-away for size or industry the kind of
    client we serve (said as fit: "We serve teams of 15–150 people, on these standards")."""
    if storyline != "walk_away" or reason not in ("too_small", "too_large", "industry"):
        return STANDARDS_TITLE
    icp = profile.icp
    if reason == "industry":  # the list, when it is short enough for a headline (the slide holds 40 words)
        names = [str(i) for i in icp.industries]
        if not names or len(names) > 4:
            return STANDARDS_TITLE
        listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
        return f"We serve {listed} clients"
    # "teams", not their own word: "hospitals of 15–150 people" would read as a kind of hospital we serve
    return f"We serve teams of {icp.size.min_users}–{icp.size.max_users} people, on these standards"


def storyline_next_steps(storyline: str, profile: Profile, prospect: Prospect, reason: str = "standards") -> list[str]:
    """The next steps the deck's last slide offers: the profile's own for a pitch, a fitting ask otherwise.

    ``reason`` is :func:`walk_away_reason` for a walk-away deck: its conditional step follows why we part."""
    buyer = next((d for d in prospect.decision_makers if d.role == "economic_buyer"), None)
    if storyline == "pitch":
        return list(profile.next_steps)
    if storyline == "buyer":  # the one meeting that matters, then the profile's first step
        if buyer_in_room(prospect):  # the deck is prepared for the person who signs: they are "you"
            return ["30 minutes with you to agree the scope.", *profile.next_steps[:1]]
        who = buyer.name if buyer else "whoever signs off on IT"
        return [f"30 minutes with {who} to agree the scope.", *profile.next_steps[:1]]
    if storyline == "nurture":
        return [
            f"A short quarterly note on what we see in {organisation_word(prospect, plural=True)} like yours.",
            "A free check-up call when your plans or your IT change.",
        ]
    if storyline == "discovery":
        return [
            "Your answers shape a proposal on your real numbers.",
            "Within a week, we walk you through it in 30 minutes.",
        ]
    if storyline == "referral":  # where they are is why we part, not our standards: help them choose well
        return [
            "We gladly introduce you to a local provider.",
            "Ask any provider for a tested restore and written response times.",
        ]
    many = organisation_word(prospect, plural=True)
    if reason == "too_small":
        return [
            f"When your team grows past {profile.icp.size.min_users} people, call us.",
            f"Until then, we gladly recommend a provider built for {many} your size.",
        ]
    if reason == "too_large":
        return [
            f"We gladly introduce you to a provider built for {many} your size.",
            "If your plans change, call us.",
        ]
    if reason == "industry":
        return [
            "We gladly introduce you to a provider who knows your sector well.",
            "If your plans change, call us.",
        ]
    if reason == "fit":
        return [
            "If your plans or your IT change, call us.",
            "Until then, we gladly recommend a provider who suits you well.",
        ]
    return [
        "When these standards work for you, call us: we start there.",
        "Until then, we gladly recommend a provider who works your way.",
    ]


def slide_pains(pains: list[str], prospect: Prospect | None = None) -> list[str]:
    """The pain points the "what we heard" slide shows: in their order, at most three, and no more
    than ``PAIN_WORDS`` words together (the first is always shown), situations left out
    (:func:`deckgen.sales.people.pains_only`). The notes list the rest.

    Given the ``prospect``, a pain point that names one of their people shows a neutral role
    instead ("your IT administrator"; :mod:`deckgen.sales.people`): the deck gets forwarded."""
    pains = pains_only(pains) or pains  # a contract renewal is a situation, not an IT problem in their way
    if prospect is not None:
        people = named_people(prospect)
        pains = [without_names(p, people) for p in pains]
    shown: list[str] = []
    words = 0
    for pain in pains[:MAX_ITEMS]:
        n = len(pain.split())
        if shown and words + n > PAIN_WORDS:
            break
        shown.append(pain)
        words += n
    return shown


@dataclass(frozen=True)
class CustomerFit:
    """What a prospect may read about fit: no score, no band, no tactic."""

    strengths: list[str]
    needs: list[str]

    def to_context(self) -> dict:
        return {"strengths": list(self.strengths), "needs": list(self.needs)}


_NEEDS = {
    "industry": "How your business runs day to day.",
    "size": "How many people and devices you have.",
    "it_model": "Who runs your IT today, and its cost.",
    "compliance": "The rules your data must meet, if any.",
    "geography": "Where your offices are.",
    "budget": "A rough IT budget per person.",
    "decision_maker": "Time with whoever signs off on IT.",
}


def _strength(name: str, prospect: Prospect, rule: str = "") -> str | None:
    """A plain sentence for a criterion the prospect meets in full."""
    if name == "industry":
        return f"We already serve {prospect.industry.lower()} clients like you." if prospect.industry else None
    if name == "size":
        return "Your size is where we work best."
    if name == "it_model":
        if prospect.it_model in (ItModel.in_house, ItModel.co_managed):
            return "We back up in-house IT teams like yours."
        return "You want IT run properly, not patched: so do we."
    if name == "compliance":
        frameworks = ", ".join(prospect.compliance[:2])
        return f"We already work to {frameworks} every day." if frameworks else None
    if name == "geography":
        return "Our engineers can come on site."
    if name == "budget":
        if rule == "spend":  # they named no budget: what they spend today is what met the floor
            return "Your IT spend covers security, not just support."
        return "Your budget covers security, not just support."
    return None  # decision maker: nothing to tell the prospect about themselves


def customer_fit(fit, prospect: Prospect, profile: Profile) -> CustomerFit:
    """Plain-words fit for the customer deck: up to three strengths and three things we'd need."""
    strengths: list[str] = []
    needs: list[str] = []
    for c in getattr(fit, "criteria", ()):
        if c.known and c.share >= 1:
            text = _strength(c.name, prospect, getattr(c, "rule", ""))
            if text:
                strengths.append(text)
        elif not c.known:
            needs.append(_NEEDS.get(c.name, f"A little more about your {c.label.lower()}."))
    if getattr(fit, "disqualified_by", ()) or getattr(fit, "must_have_failures", ()):
        needs.insert(0, "Agreement to our client standards.")
    if not needs and profile.icp.minimum_standards:
        needs.append("Agreement to our client standards.")
    return CustomerFit(*_within_fit_words(strengths[:MAX_ITEMS], needs[:MAX_ITEMS]))


def _within_fit_words(strengths: list[str], needs: list[str]) -> tuple[list[str], list[str]]:
    """The lists with later items dropped until what the slide shows (the first ``FIT_SHOWN`` of each) holds
    ``FIT_WORDS`` words: a second strength goes before a second need, the first of each always stays."""
    strengths, needs = list(strengths), list(needs)
    while sum(len(t.split()) for t in strengths[:FIT_SHOWN] + needs[:FIT_SHOWN]) > FIT_WORDS:
        if len(strengths) > 1:
            del strengths[1]
        elif len(needs) > 1:
            del needs[1]
        else:
            break
    return strengths, needs


__all__ = [
    "STORYLINES",
    "BAND_STORYLINE",
    "STORYLINE_LABELS",
    "WALK_AWAYS",
    "CustomerFit",
    "customer_fit",
    "slide_pains",
    "storyline_for",
    "storyline_next_steps",
    "organisation_word",
    "standards_title",
    "walk_away_reason",
    "WALK_AWAY_REASONS",
]
