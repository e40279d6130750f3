"""Coaching for the speaker notes, slide by slide: what this prospect is likely to say there, and how to answer.

Three steps, each pure (the objection library is passed in):

1. :func:`situation_sources`: the prospect's situations, each with where it came from: stated in
   their data, implied by it (IT model, decision makers, compliance, budget, fit band; see
   :func:`deckgen.sales.closings.implied_situations`), or inferred here: ``in_house_it``,
   ``never_hacked`` (their IT works, they say), ``other_msp`` and ``remote_only`` (outside the
   on-site area).
2. :func:`rank_objections`: each objection in the library scored for this prospect. A situation it
   answers counts 3 when stated and 2 when implied; one of its ``cues`` in the prospect's ``notes``
   counts 3 (their own words), in a pain point 1. An objection needs 2 to count as likely; the
   likeliest come first (ties in library order), each with why it was picked and the sentences of
   the notes that point to it.
3. :func:`coach_slides`: the likely objections placed on the slides of the storyline, likeliest
   first, each on the first of its ``slides`` that is shown and still free (one a slide, each
   once), with guidance for the storyline on every slide, the prospect's notes where they bear on
   the objection, and the bridge into the close.

Slide keys (the bundled customer template's slides; ``deck.coach.<key>`` in the context):
title, heard, cost, promise, proof, fit, questions, standards, investment, close, next, rates.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping

from deckgen.model import ItModel, Objection, Profile, Prospect
from deckgen.sales.closings import implied_situations
from deckgen.sales.criteria import MoneyView
from deckgen.sales.fitted import in_service_area
from deckgen.sales.parting import FIT_REASONS, parting_ask, parting_guidance
from deckgen.sales.people import fill_words, objection_words

SLIDES: tuple[str, ...] = (
    "title",
    "heard",
    "cost",
    "promise",
    "proof",
    "fit",
    "questions",
    "standards",
    "investment",
    "close",
    "next",
    "rates",
)
STORYLINE_SLIDES: dict[str, tuple[str, ...]] = {
    "pitch": ("title", "heard", "cost", "promise", "proof", "fit", "standards", "investment", "next", "rates"),
    "buyer": ("title", "heard", "cost", "promise", "proof", "fit", "standards", "investment", "close", "next", "rates"),
    "nurture": ("title", "heard", "promise", "proof", "fit", "next"),
    "discovery": ("title", "heard", "promise", "questions", "next"),
    "walk_away": ("title", "heard", "standards", "close", "next"),
    "referral": ("title", "heard", "promise", "close", "next"),  # who we are, then the introduction
}
LIKELY = 2  # the least score an objection needs to be worth preparing for
_STATED, _IMPLIED, _IN_NOTES, _IN_PAINS = 3, 2, 3, 1

SITUATION_WORDS: dict[str, str] = {
    "break_fix": "they call for help only when something breaks",
    "outdated_systems": "they run systems past their supported life",
    "refuses_security": "they refuse part of the security baseline",
    "price_shopper": "they are shopping on price",
    "wants_cheapest": "their budget is below our floor",
    "wants_break_fix_only": "they want break-fix only",
    "no_decision_maker": "the person who signs is not in the conversation",
    "scope_creep": "the scope keeps growing",
    "diy_it": "they run IT themselves",
    "compliance_risk": "they hold regulated data without managed IT",
    "slow_decision": "the decision keeps slipping",
    "happy_with_current": "they say today's support works",
    "poor_fit": "the fit is poor",
    "in_house_it": "they have in-house IT",
    "never_hacked": "they see no problem with their IT",
    "other_msp": "another provider runs their IT today",
    "remote_only": "they are outside our on-site area",
    "outside_service_area": "they are in a country we do not serve",
    "wants_vendor": "they want a supplier to direct, not a team to rely on",
}

GUIDANCE: dict[str, dict[str, str]] = {
    "title": {
        "pitch": "Say at the start that you will ask for a decision at the end, so nobody is surprised.",
        "buyer": "Find out in the first minutes who else signs off; aim the whole meeting at meeting them.",
        "nurture": "Say early that you are not here to sell today; keep it short and useful.",
        "discovery": "Say you are here to ask, not to pitch; a proposal comes once you know their numbers.",
        "walk_away": "Set a calm, honest tone: you will share what you heard and how you work, then they decide.",
        "referral": "Say early and plainly that you do not work where they are, so nothing is being sold today.",
    },
    "heard": {
        "pitch": "Confirm each pain in their words and ask which costs the most: that is the one the plan must fix.",
        "buyer": "Ask which of these the person who signs off feels most: that is the story for the next meeting.",
        "nurture": "Listen more than you talk; note which pain could grow into a reason to call us later.",
        "discovery": "Treat each point as a question: is it right, how often, and what does it cost them?",
        "walk_away": "Play back what you heard, accurately and without judgement: this is about fit, not effort.",
        "referral": "Play back what you heard so they can hand it to a provider near them; do not diagnose or sell.",
    },
    "cost": {
        "pitch": "Lead with the expected figure and their own inputs; give the range only if they question it.",
        "buyer": "Give them the figure to carry to whoever signs off, and offer to walk that person through it.",
    },
    "promise": {
        "pitch": "One sentence on the promise, then tie it to the pain they ranked first.",
        "buyer": "Put the promise in the decision maker's terms: risk, cost and time.",
        "nurture": "Leave them with the promise, not a pitch, so they think of us when things change.",
        "discovery": "Keep it brief: the promise matters only once you know it fits them.",
        "referral": "Say who we are and that we stay close to our clients, so where they are is the only reason.",
    },
    "proof": {
        "pitch": "Tell the one proof story closest to their biggest pain and skip the rest.",
        "buyer": "Offer a reference call in their industry for the person who signs off.",
        "nurture": "Offer a reference or a short case study they can read later, with no follow-up pressure.",
    },
    "fit": {
        "pitch": "Name the one thing you still need from them and agree when they will send it.",
        "buyer": "If time with the decision maker is among what we need, ask for that meeting here.",
        "nurture": "Be open about what is missing: it is the reason to talk again later.",
    },
    "questions": {
        "discovery": "Ask every question, write the answers down and let silences run; rebuild the deck with them.",
    },
    "standards": {
        "pitch": "State the standards as settled, then ask if any is a problem: better to hear it before the price.",
        "buyer": "Check the decision maker will accept these; a standard refused later costs the deal.",
        "walk_away": "The decision rests on this slide: state each standard plainly and let them react.",
    },
    "investment": {
        "pitch": "Say the recommended figure once, then stop talking and let them look at the options.",
        "buyer": "Present the recommended option as the one to take to the decision maker, with its figure.",
    },
    "close": {
        "buyer": "Use the line only if the person who signs still will not join; otherwise skip this slide.",
        "walk_away": "Deliver the line once, calmly, and stop. Their silence is an answer too.",
        "referral": "Say the line once, warmly, and offer the introduction. Do not debate where you work.",
    },
    "next": {
        "pitch": "Ask for the start date before you leave the room.",
        "buyer": "Leave with a date for the meeting with the person who signs off.",
        "nurture": "Agree how and when you will check in, and no more than that.",
        "discovery": "Agree when they will see the proposal and who will read it; send your notes the same day.",
        "walk_away": "Offer the conditional next step or a referral, then end the meeting warmly.",
        "referral": "Offer the introduction, agree who receives it, then end the call warmly.",
    },
    "rates": {
        "pitch": "An appendix: open it only when they ask how a figure is made up.",
        "buyer": "An appendix: open it only when they ask how a figure is made up.",
    },
}

BRIDGE = "Before we talk about next steps, I want to be straight with you about how we work."
BRIDGES: dict[str, str] = {
    "refuses_security": "You've been clear that some security changes are off the table. Let me be just as clear "
    "about where we stand.",
    "price_shopper": "Price matters to you, which is sensible. Let me be straight about what ours buys, and what "
    "it doesn't.",
    "wants_cheapest": "You have a budget in mind, and I respect that. Let me be straight about what we can do for it.",
    "break_fix": "You've told us the same problems keep coming back. Before we talk about next steps, let me be "
    "straight about how we work.",
    "outdated_systems": "Some of your systems are past their supported life. Let me be straight about what that "
    "means for working together.",
    "no_decision_maker": "We've had good conversations. Before we plan another, let me be straight about how we "
    "decide to go ahead.",
    "slow_decision": "We've had good conversations. Before we plan another, let me be straight about how we "
    "decide to go ahead.",
    "diy_it": "You've kept IT running yourselves, and that's no small thing. Let me be straight about when we're "
    "worth it.",
    "compliance_risk": "You hold data a regulator cares about. Let me be straight about the standard we'd hold it to.",
    "happy_with_current": "You've said today's support mostly works. Let me be straight about when changing makes "
    "sense.",
    "scope_creep": "The list of what you'd like has grown. Before it grows further, let me be straight about how "
    "we work.",
    "poor_fit": "I'd rather be honest with you than polite, so let me say plainly where we stand.",
    "outside_service_area": "Before you spend more time with us, I want to be upfront about where we work.",
}
# a bridge for when their own words say more than the situation does (cue words in notes or pain points)
QUOTES_BRIDGE = (
    "You're comparing quotes, which is sensible. Before you do, let me be straight about what ours is and isn't."
)
_QUOTES = re.compile(r"\b(?:quotes?|quotations?|tenders?|bids?|compar\w*)\b", re.IGNORECASE)
ASKS: dict[str, str] = {
    "pitch": "You've seen what we'd do and what it costs. Shall we find a start date?",
    "buyer": "The one thing left is time with {who}. When could the three of us meet?",
    "nurture": "Would a short note from us each quarter be useful?",
    "discovery": "With these answers I can price it properly. Shall I bring the proposal to you and {who} next week?",
    "walk_away": "If anything changes on your side, call me; we'll start from the standards.",
    "referral": "Shall I send you the name of a provider near you this week?",
}
# a B deck prepared for the person who signs: nobody else to bring in, so the aims and the ask are theirs
IN_ROOM_GUIDANCE: dict[str, str] = {
    "title": "You are talking to the person who signs: find out in the first minutes what would stop a yes.",
    "heard": "Ask which of these costs them most: that is the gap the plan must close for a yes.",
    "fit": "Name what we still need from them and agree when they will send it.",
    "investment": "Say the recommended figure once, then ask what would stop them choosing it.",
    "close": "Use the line only if they stall on the scope or ask for less than our standards; else skip this slide.",
    "next": "Leave with the scope meeting booked, and a date they will decide by.",
}
IN_ROOM_ASK = "Shall we book 30 minutes to agree the scope, and a date you'll decide by?"


def situation_sources(
    prospect: Prospect, profile: Profile | None = None, fit=None, money: MoneyView | None = None
) -> dict[str, str]:
    """The prospect's situations, each with where it came from, stated ones first (``money``: as for
    :func:`deckgen.sales.closings.implied_situations`)."""
    out = {s: "in their data" for s in prospect.situations if s}
    for s, where in implied_situations(prospect, profile, fit, money).items():
        out.setdefault(s, f"from {where}")
    if prospect.it_model in (ItModel.in_house, ItModel.co_managed):
        out.setdefault("in_house_it", "from their IT model")
    if prospect.it_model == ItModel.other_msp:
        out.setdefault("other_msp", "from their IT model")
    if prospect.it_pain is False:
        out.setdefault("never_hacked", "from what they told us")
    loc = prospect.location
    known = any(part.strip() for part in (loc.city, loc.region, loc.country))  # unknown: a question, not remote
    if (
        known
        and profile is not None
        and profile.icp.geography.onsite_regions
        and not in_service_area(prospect, profile)
    ):
        out.setdefault("remote_only", "from their location")
    return out


_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


def _sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE_END.split(text.strip()) if s.strip()]


@functools.lru_cache(maxsize=1024)  # one pattern an objection: the same library deck after deck
def _cues_pattern(cues: tuple[str, ...]) -> re.Pattern[str] | None:
    """One pattern that finds any of ``cues`` in case-folded text, as a whole word start (never inside
    a word or after a hyphen); None for no cues."""
    if not cues:
        return None
    return re.compile(r"(?<![\w-])(?:" + "|".join(re.escape(c.casefold()) for c in cues) + ")")


def _cued(cues: tuple[str, ...], folded: list[str], texts: list[str]) -> list[str]:
    """The ``texts`` in which any of ``cues`` stands (``folded``: the same texts, case-folded)."""
    pattern = _cues_pattern(cues)
    if pattern is None:
        return []
    return [text for text, low in zip(texts, folded) if pattern.search(low) is not None]


def rank_objections(prospect: Prospect, situations: Mapping[str, str], library: Iterable[Objection]) -> list[dict]:
    """The library's objections likely for this prospect, likeliest first, as plain data.

    Each: ``id``, ``says``, ``answer``, ``avoid`` (their ``{placeholders}`` filled in the prospect's own
    terms, :func:`deckgen.sales.people.objection_words`), ``slides``, ``why`` (what in their data points to
    it) and ``note`` (the sentences of their ``notes`` that do, or "").
    """
    notes = _sentences(prospect.notes)
    notes_folded = [n.casefold() for n in notes]
    pains_folded = [p.casefold() for p in prospect.pain_points]
    scored = []
    for i, obj in enumerate(library):
        score, why = 0, []
        for s in obj.situations:
            if s in situations:
                stated = situations[s] == "in their data"
                score += _STATED if stated else _IMPLIED
                why.append(f"{SITUATION_WORDS.get(s, s.replace('_', ' '))} ({situations[s]})")
        cues = tuple(obj.cues)
        noted = _cued(cues, notes_folded, notes)
        if noted:
            score += _IN_NOTES
            why.append("your notes point to it")
        pains = _cued(cues, pains_folded, prospect.pain_points)
        if pains:
            score += _IN_PAINS
            why.append(f"their pain point “{pains[0]}”")
        if score >= LIKELY:
            scored.append((-score, i, obj, why, " ".join(noted)))
    words = objection_words(prospect)
    words["support"] = "written response times" if "remote_only" in situations else "on-site time"
    return [
        {
            "id": obj.id,
            "says": fill_words(obj.says, words),
            "answer": fill_words(obj.answer, words),
            "avoid": fill_words(obj.avoid, words),
            "slides": list(obj.slides),
            "why": "; ".join(why),
            "note": note,
        }
        for _, _, obj, why, note in sorted(scored, key=lambda t: (t[0], t[1]))
    ]


def bridge_line(closing_triggers: Iterable[str], situations: Iterable[str], prospect: Prospect | None = None) -> str:
    """The sentence that leads into the closing line: about the situation the line answers, else general.

    "You're comparing quotes" only when the prospect's notes or pain points say they are."""
    triggers = set(closing_triggers)
    for s in situations:
        if s in triggers and s in BRIDGES:
            if s == "price_shopper" and prospect is not None and mentions_quotes(prospect):
                return QUOTES_BRIDGE
            return BRIDGES[s]
    return BRIDGE


def mentions_quotes(prospect: Prospect) -> bool:
    """Whether their notes or pain points say they are comparing quotes (quotes, tenders, bids, compare)."""
    return _QUOTES.search(" ".join([prospect.notes, *prospect.pain_points])) is not None


def _empty(guidance: str) -> dict:
    return {"guidance": guidance, "says": "", "answer": "", "avoid": "", "why": "", "note": "", "bridge": ""}


# slides that carry no objection in a storyline: a walk-away deck's line and farewell are said, not debated
QUIET_SLIDES: dict[str, tuple[str, ...]] = {
    "walk_away": ("close", "next"),
    "referral": ("title", "heard", "promise", "next"),  # a referral debates nothing; the close answers one question
}


def coach_slides(
    *,
    storyline: str,
    objections: Iterable[Mapping],
    fallback: str,
    bridge: str,
    hidden: Iterable[str] = (),
    who: str = "",
    notes: Mapping[str, str] | None = None,
    parting: str = "",
    min_users: int | None = None,
    buyer_present: bool = False,
) -> dict[str, dict]:
    """The coaching for each slide key: ``guidance``, ``says``, ``answer``, ``avoid``, ``why``, ``note``, ``bridge``.

    ``objections`` come from :func:`rank_objections` (likeliest first); ``fallback`` is the
    storyline's guidance, for a slide the table has none for; ``bridge`` leads into the closing
    line (on ``close``); on ``next`` the bridge is the storyline's ask, the close of every deck;
    ``hidden`` are slides this deck drops for want of data (no pain points, no saving, …): no
    objection is placed there; ``who`` is the economic buyer's name, when known; ``notes`` adds
    text for the seller to a slide's ``note`` (e.g. ``heard``: the pain points in their own words,
    :func:`deckgen.sales.people.named_pains_note`). Every key of :data:`SLIDES` is present.

    ``parting`` is why a walk-away deck parts (:func:`deckgen.sales.storyline.walk_away_reason`): for size
    or industry the standards slide carries only the parting's own objection and no debate on a standard,
    and the aims and last words speak of fit (:mod:`deckgen.sales.parting`; ``min_users`` is the ICP's).
    ``buyer_present``: the deck is prepared for the economic buyer (:func:`deckgen.sales.people.buyer_in_room`),
    so a buyer deck aims at their yes, not at a meeting with them.
    """
    parting = parting if storyline == "walk_away" else ""
    in_room = IN_ROOM_GUIDANCE if storyline == "buyer" and buyer_present else {}
    out = {
        key: _empty(parting_guidance(key, parting) or in_room.get(key) or GUIDANCE[key].get(storyline, fallback))
        for key in SLIDES
    }
    quiet = set(QUIET_SLIDES.get(storyline, ()))
    shown = [k for k in STORYLINE_SLIDES.get(storyline, SLIDES) if k not in set(hidden)]
    for obj in objections:
        places = [k for k in obj.get("slides", ()) if k in shown]
        if parting in FIT_REASONS and not str(obj.get("id", "")).startswith("parting-"):
            places = [k for k in places if k != "standards"]  # nobody refused a standard: no debate on one
        if places and places[0] in quiet:
            continue  # it would come up where this deck debates nothing: not coached here
        free = [k for k in places if k not in quiet and not out[k]["says"]]
        if free:
            out[free[0]].update({f: obj[f] for f in ("says", "answer", "avoid", "why", "note")})
    for key, text in (notes or {}).items():
        if text and key in out:
            out[key]["note"] = f"{out[key]['note']} {text}".strip()
    out["close"]["bridge"] = bridge
    ask = parting_ask(parting, min_users) if parting else (IN_ROOM_ASK if in_room else None)
    out["next"]["bridge"] = ask or ASKS.get(storyline, "").format(who=who or "the person who signs off")
    return out


__all__ = [
    "BRIDGE",
    "GUIDANCE",
    "SLIDES",
    "STORYLINE_SLIDES",
    "bridge_line",
    "coach_slides",
    "mentions_quotes",
    "rank_objections",
    "situation_sources",
]
