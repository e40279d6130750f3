"""The seller brief: what the seller needs before the meeting, never shown to the prospect.

:func:`seller_brief` returns the plain data templates see as ``brief`` (docs/context.md): the one
goal of the meeting, the verdict in the seller's words, what is unknown and the questions that
find it out, the likely objections with answers (from the objection library, ranked for this
prospect by :mod:`deckgen.sales.coaching`; first, when the prospect needs frameworks the MSP does
not cover, the question they will ask about it, from :mod:`deckgen.sales.offers`), and the
closing line with when and how to deliver it and the bridge into it. Pure: the library is passed in.
"""

from __future__ import annotations

from collections.abc import Iterable

from deckgen.model import Objection, Profile, Prospect
from deckgen.sales.coaching import bridge_line, rank_objections, situation_sources
from deckgen.sales.offers import compliance_objection
from deckgen.sales.storyline import STORYLINE_LABELS

MAX_QUESTIONS = 5
MAX_OBJECTIONS = 4

OPENING_QUESTION = "What would make this meeting worth your time?"
QUESTIONS: dict[str, str] = {
    "industry": "What does a normal working day look like, and which systems stop it when they fail?",
    "size": "How many people and devices use your IT, and across how many sites?",
    "it_model": "Who looks after your IT today, and what did it cost you last year?",
    "compliance": "Which regulations or client contracts set rules for your data?",
    "geography": "Where do your people work: one office, several sites, from home?",
    "budget": "What do you spend on IT a month today, all in?",
    "decision_maker": "Who else signs off on a decision like this, and when do they meet?",
}
SPEND_QUESTION = "What do you spend on IT a month today, all in?"
BUDGET_CHECK_QUESTION = (
    "The budget we have for you looks off: is it per month or per year, per user or for the whole company, "
    "and in which currency?"
)
# the same questions as the discovery slide asks them: ten words or fewer, so three fit the glance test
SLIDE_QUESTIONS: dict[str, str] = {
    "industry": "Which systems stop your working day when they fail?",
    "size": "How many people, devices and sites rely on your IT?",
    "it_model": "Who runs your IT today, and what does it cost?",
    "compliance": "Which rules or client contracts govern your data?",
    "geography": "Where do your people work: one office, several, home?",
    "budget": "What do you spend on IT a month, all in?",
    "decision_maker": "Who else signs off, and when do they meet?",
    "spend": "What do you spend on IT a month, all in?",
    "discovery": "What made you take this meeting now?",
}
SLIDE_QUESTION_COUNT = 3
STORYLINE_QUESTIONS: dict[str, str] = {
    "pitch": "If we agree on scope today, what would stop you starting next month?",
    "buyer": "What would the person who signs off need to see to say yes?",
    "nurture": "What would have to change for this to become a priority?",
    "discovery": "What made you take this meeting now?",
    "walk_away": "Is there any flexibility on the standards we talked about?",
}
GUIDANCE: dict[str, str] = {
    "pitch": "Strong fit: pitch with confidence and ask for the start date. Hold the closing line in reserve.",
    "buyer": "Good fit, but the economic buyer is missing or not convinced: aim every slide at the next meeting "
    "with them.",
    "nurture": "Not ready yet: keep it short, give them something useful, and do not quote a price.",
    "discovery": "Too little is known to judge the fit: ask more than you tell, and do not quote a price.",
    "walk_away": "Poor fit on the evidence: say what we heard, state our standards, deliver the line, then stop.",
}
CLOSING_WHEN: dict[str, str] = {
    "pitch": "Only if they ask for less than our standards; otherwise end with the ask on the last slide.",
    "buyer": "After the price, once the question of who signs off is on the table.",
    "nurture": "Not in this meeting unless they ask for break-fix only.",
    "discovery": "Not before the open questions are answered.",
    "walk_away": "On the closing slide, after the standards: once.",
}
CLOSING_HOW = "Calm and even, once, in your own words. Then stop talking and let the silence work: they speak first."


def _goal(storyline: str, prospect: Prospect) -> str:
    buyer = next((d for d in prospect.decision_makers if d.role == "economic_buyer"), None)
    if storyline == "pitch":
        return "Leave with a start date, or a booked onboarding call, agreed by the person who signs."
    if storyline == "buyer":
        who = buyer.name if buyer else "the person who signs off on IT"
        return f"Get {who} into the next meeting, with a date in the calendar."
    if storyline == "nurture":
        return "Earn a follow-up in about three months; do not send a price."
    if storyline == "discovery":
        return "Answer the open questions below before anyone talks about price."
    return "Part on good terms: say the line, offer the conditional next step or a referral, log a qualified no."


def brief_situations(prospect: Prospect, profile: Profile | None = None, fit=None) -> list[str]:
    """The prospect's situations, stated, implied and inferred (:func:`deckgen.sales.coaching.situation_sources`)."""
    return list(situation_sources(prospect, profile, fit))


def pick_objections(situations: Iterable[str], library: Iterable[Objection]) -> list[Objection]:
    """The library's objections for these situations, in the order the situations are listed."""
    order = list(situations)
    picked: list[tuple[int, int, Objection]] = []
    for i, obj in enumerate(library):
        hits = [order.index(s) for s in obj.situations if s in order]
        if hits:
            picked.append((min(hits), i, obj))
    return [obj for _, _, obj in sorted(picked, key=lambda t: (t[0], t[1]))][:MAX_OBJECTIONS]


def _budget_rule(fit) -> str:
    for c in getattr(fit, "criteria", ()):
        if c.name == "budget":
            return getattr(c, "rule", "")
    return ""


def _worth_asking(c, prospect: Prospect) -> bool:
    """An unknown criterion is worth a question; the budget not when their IT spend is already known
    (what is missing then is the users, or an exchange rate: the size question and the reason say so)."""
    if c.known:
        return False
    return not (c.name == "budget" and prospect.numbers.it_spend_per_month is not None)


def questions(fit, prospect: Prospect, storyline: str) -> list[str]:
    """Discovery questions: a check of a budget that looks like a unit mistake, one per unknown
    criterion, the spend when unknown, and one for the storyline."""
    out = [OPENING_QUESTION]
    check = _budget_rule(fit) == "implausible"
    if check:
        out.append(BUDGET_CHECK_QUESTION)  # it stands in for the budget question
    for c in getattr(fit, "criteria", ()):
        if _worth_asking(c, prospect) and c.name in QUESTIONS and not (check and c.name == "budget"):
            out.append(QUESTIONS[c.name])
    if prospect.numbers.it_spend_per_month is None and SPEND_QUESTION not in out:
        out.append(SPEND_QUESTION)
    out.append(STORYLINE_QUESTIONS[storyline])
    return out[:MAX_QUESTIONS]


def slide_questions(fit, prospect: Prospect) -> list[str]:
    """Up to three short questions for the discovery slide: the unknowns first, then the spend and why now.

    The same questions as :func:`questions` asks in the brief, in fewer words; the notes hold the full ones.
    """
    keys = [c.name for c in getattr(fit, "criteria", ()) if _worth_asking(c, prospect) and c.name in SLIDE_QUESTIONS]
    if prospect.numbers.it_spend_per_month is None and "budget" not in keys:
        keys.append("spend")
    keys.append("discovery")
    return [SLIDE_QUESTIONS[k] for k in keys[:SLIDE_QUESTION_COUNT]]


def seller_brief(
    *,
    profile: Profile,
    prospect: Prospect,
    fit,
    closing,
    storyline: str,
    objections: Iterable[Objection] = (),
) -> dict:
    """The ``brief`` context: goal, guidance, unknowns, questions, objections and how to close."""
    unknowns = [c.label for c in getattr(fit, "criteria", ()) if not c.known]
    sources = situation_sources(prospect, profile, fit)
    situations = list(sources)
    close = closing.to_context() if closing is not None else None
    ranked = rank_objections(prospect, sources, objections)
    gap = compliance_objection(prospect, profile)
    if gap is not None:  # what we do not cover comes first (the seller must not over-promise it), except
        # when we walk away: nothing is sold, and the reasons to part matter more
        ranked.insert(len(ranked) if storyline == "walk_away" else 0, gap)
    return {
        "storyline": storyline,
        "storyline_label": STORYLINE_LABELS[storyline],
        "goal": _goal(storyline, prospect),
        "guidance": GUIDANCE[storyline],
        "unknowns": unknowns,
        "questions": questions(fit, prospect, storyline),
        "objections": ranked[:MAX_OBJECTIONS],
        "situations": situations,
        "prospect_notes": prospect.notes,
        "closing_when": CLOSING_WHEN[storyline],
        "closing_how": CLOSING_HOW,
        "bridge": bridge_line(close["triggers"] if close else (), situations),
        "closing_text": close["text"] if close else "",
    }


__all__ = ["GUIDANCE", "brief_situations", "pick_objections", "questions", "seller_brief", "slide_questions"]
