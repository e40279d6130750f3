"""The seller brief: what the seller needs before the meeting, never shown to the prospect.

:func:`seller_brief` returns the plain data templates see as ``brief`` (docs/context.md): the one
goal of the meeting, the verdict in the seller's words, what is unknown and the questions that
find it out, the likely objections with answers (from the objection library, ranked for this
prospect by :mod:`deckgen.sales.coaching`; first, when the prospect needs frameworks the MSP does
not cover, the question they will ask about it, from :mod:`deckgen.sales.offers`; when the data points
to fewer than two, the storyline's typical ones, :mod:`deckgen.sales.typical`), and the
closing line with when and how to deliver it and the bridge into it. Pure: the library is passed in.
"""

from __future__ import annotations

from collections.abc import Iterable
from fractions import Fraction
from functools import lru_cache
from itertools import repeat

from deckgen.errors import DeckgenError
from deckgen.model import Objection, Profile, Prospect
from deckgen.sales import parting as _parting
from deckgen.sales.amounts import given_as_notes
from deckgen.sales.budget import budget_basis, price_objection
from deckgen.sales.coaching import STORYLINE_SLIDES, bridge_line, mentions_quotes, rank_objections, situation_sources
from deckgen.sales.criteria import MoneyView
from deckgen.sales.fit import money_view
from deckgen.sales.locales import resolve_locale
from deckgen.sales.offers import Offers, compliance_objection
from deckgen.sales.people import buyer_in_room
from deckgen.sales.pricing import price_point
from deckgen.sales.storyline import PRICED, STORYLINE_LABELS, walk_away_reason
from deckgen.sales.typical import TYPICAL_LABEL, typical_objections

MAX_QUESTIONS = 5
MAX_OBJECTIONS = 4  # the likeliest; those that do not fit page 2 stay in the speaker notes only

# The objections box on page 2 (tools/make_brief_template.py draws it; a test checks the two agree):
# width and height in points. Its type is designed a point larger and the
# engine shrinks it to fit, down to the template's min_font_size (12): the budget is made at that
# smallest size, so whatever it lets through fits, and looks larger when there is room.
OBJECTION_BOX_W = 7.2 * 72
OBJECTION_BOX_H = (6.6 - 2.1) * 72
SAYS_PT, ANSWER_PT, AVOID_PT = 13.0, 12.0, 12.0  # the quote, the answer, what to avoid: fully shrunk
OBJECTION_GAP_PT = 2.0 + 9.0  # space before "Avoid" and after each objection
_EM_LATIN = 0.49  # an average advance of a Latin character, in ems (Calibri/Carlito ~0.47, Arial ~0.5)
_LINE = 1.2  # single line spacing, in ems
_FILL = 0.97  # leave some room: the brand's font may run a little wider than this estimate

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
    "walk_away": "What would have to change on your side for us to be the right fit?",
    "referral": "Would an introduction to a provider near you help?",
}
GUIDANCE: dict[str, str] = {
    "pitch": "Strong fit: pitch with confidence and ask for the start date. Hold the closing line in reserve.",
    "buyer": "Good fit, but the economic buyer is missing or not convinced: aim every slide at the next meeting "
    "with them.",
    "nurture": "Not ready yet: keep it short, give them something useful, and do not quote a price.",
    "discovery": "Too little is known to judge the fit: ask more than you tell, and do not quote a price.",
    "walk_away": "Poor fit on the evidence: say what we heard, state our standards, deliver the line, then stop.",
    "referral": "We do not work where they are: say so early, be useful, offer an introduction to a provider "
    "there, and part warmly. Nothing to argue, nothing to sell.",
}
CLOSING_WHEN: dict[str, str] = {
    "pitch": "Only if they ask for less than our standards; otherwise end with the ask on the last slide.",
    "buyer": "After the price, once the question of who signs off is on the table.",
    "nurture": "Not in this meeting unless they ask for break-fix only.",
    "discovery": "Not before the open questions are answered.",
    "walk_away": "On the closing slide, after the standards: once.",
    "referral": "Once, warmly, as soon as they know who we are: nothing is being sold, so do not keep them waiting.",
}
CLOSING_HOW = "Calm and even, once, in your own words. Then stop talking and let the silence work: they speak first."
REFERRAL_HOW = "Warmly, once, in your own words. Then offer the introduction straight away: nothing needs a silence."


REFERRAL_QUESTIONS = (
    "Do you have offices or staff where we work?",
    "What matters most in a provider: response, security or price?",
)


def _remote_objection(prospect: Prospect) -> dict:
    """What a prospect we refer for where they are is likely to ask, shaped like the ranked objections."""
    where = prospect.location.country or "their country"
    return {
        "id": "remote-from-abroad",
        "says": "Couldn't you just support us remotely?",
        "answer": "We could log in from anywhere, but we would not be there when it counts: on site, in your "
        "business hours, under your local rules. A provider near you will serve you better, and I'm glad to "
        "introduce one.",
        "avoid": "Do not offer a remote-only exception to keep the deal, and do not argue: thank them, offer the "
        "introduction, move on.",
        "slides": ["close"],
        "why": f"they are in {where}, a country your profile does not serve",
        "note": "",
    }


# a buyer deck prepared for the person who signs (deckgen.sales.people.buyer_in_room): nobody else to bring in
IN_ROOM: dict[str, str] = {
    "guidance": "Good fit with gaps, and the person who signs is the one you meet: close the gaps they name, then "
    "ask for the date they will decide by.",
    "closing_when": "After the price, if they stall on the scope or ask for less than our standards.",
    "question": "What would you need to see to say yes?",
    "storyline_label": "Pitch to the person who signs, with the takeaway close ready",
}


def _goal(storyline: str, prospect: Prospect) -> str:
    buyer = next((d for d in prospect.decision_makers if d.role == "economic_buyer"), None)
    if storyline == "pitch":
        return "Leave with a start date, or a booked onboarding call, agreed by the person who signs."
    if storyline == "buyer":
        if buyer_in_room(prospect):  # the person who signs is the one we meet: no one else to bring in
            return f"Leave with {buyer.name}'s agreement on the scope and a date to decide; close the gaps first."
        who = buyer.name if buyer else "the person who signs off on IT"
        return f"Get {who} into the next meeting, with a date in the calendar."
    if storyline == "nurture":
        return "Earn a follow-up in about three months; do not send a price."
    if storyline == "discovery":
        return "Get the open questions answered before anyone talks about price."
    if storyline == "referral":
        where = prospect.location.country or "their country"
        return f"Say plainly we do not work in {where}, offer an introduction, log a referred no. Do not debate it."
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


def _wide(ch: str) -> bool:
    return ord(ch) >= 0x1100 and not 0x2000 <= ord(ch) <= 0x206F


@lru_cache(maxsize=1024)  # pure: the library's answers come back deck after deck, a few words changed
def text_height(text: str, size_pt: float, width_pt: float) -> float:
    """The height, in points, that ``text`` needs at ``size_pt`` wrapped in ``width_pt``: greedy word
    wrap on an estimated advance per character (generous for Latin, one em for CJK)."""
    lines, used = 1, 0.0
    space = _EM_LATIN * size_pt
    for word in text.split():
        if max(word) < "\u1100":  # no wide character: the same sum of the same advances, summed in C
            w = sum(repeat(space, len(word)))
        else:
            w = sum(size_pt if _wide(ch) else _EM_LATIN * size_pt for ch in word)
        while w > width_pt:  # a word longer than the line (CJK text has no spaces) breaks anywhere
            lines, w = lines + (1 if used else 0), w - width_pt
            used = width_pt
        if used and used + space + w > width_pt:
            lines, used = lines + 1, w
        else:
            used = used + (space if used else 0) + w
    return lines * _LINE * size_pt


def objection_height(o: dict, width_pt: float = OBJECTION_BOX_W) -> float:
    """Points one objection takes in the brief's objections box (the quote, the answer, what to avoid)."""
    return (
        text_height(f"“{o['says']}”", SAYS_PT, width_pt)
        + text_height(o["answer"], ANSWER_PT, width_pt)
        + text_height(f"Avoid: {o['avoid']}", AVOID_PT, width_pt)
        + OBJECTION_GAP_PT
    )


def paginate_objections(objections: list[dict]) -> list[dict]:
    """The objections, each with ``in_brief``: True while they fit page 2's box, in order (the likeliest
    first), False after: the brief stays two pages, and the speaker notes still coach every one."""
    out, room = [], OBJECTION_BOX_H * _FILL
    for o in objections:
        need = objection_height(o)
        fits = need <= room and (not out or out[-1]["in_brief"])
        out.append({**o, "in_brief": fits})
        room -= need if fits else 0
    return out


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


def questions(fit, prospect: Prospect, storyline: str, parting: str = "", last: str = "") -> list[str]:
    """Discovery questions: a check of a budget that looks like a unit mistake, one per unknown
    criterion, the spend when unknown, and one for the storyline (for a walk-away, one for why we part:
    ``parting``, :func:`deckgen.sales.storyline.walk_away_reason`; ``last`` when given)."""
    out = [OPENING_QUESTION]
    check = _budget_rule(fit) == "implausible"
    if check:
        out.append(BUDGET_CHECK_QUESTION)  # it stands in for the budget question
    for c in getattr(fit, "criteria", ()):
        if _worth_asking(c, prospect) and c.name in QUESTIONS and not (check and c.name == "budget"):
            out.append(QUESTIONS[c.name])
    if prospect.numbers.it_spend_per_month is None and SPEND_QUESTION not in out:
        out.append(SPEND_QUESTION)
    if QUESTIONS["it_model"] in out:  # it asks what their IT costs already: the spend question would repeat it
        out = [q for q in out if q != SPEND_QUESTION]
    if storyline == "referral":  # nothing to qualify: ask what helps them choose a provider near them
        out = [OPENING_QUESTION, *REFERRAL_QUESTIONS]
    if storyline == "walk_away":
        last = _parting.QUESTIONS.get(parting, last)
    out.append(last or STORYLINE_QUESTIONS[storyline])
    return out[:MAX_QUESTIONS]


def slide_questions(fit, prospect: Prospect) -> list[str]:
    """Up to three short questions for the discovery slide: the unknowns first, then the spend and why now.

    The same questions as :func:`questions` asks in the brief, in fewer words; the notes hold the full ones.
    """
    keys = [c.name for c in getattr(fit, "criteria", ()) if _worth_asking(c, prospect) and c.name in SLIDE_QUESTIONS]
    if prospect.numbers.it_spend_per_month is None and "budget" not in keys:
        keys.append("spend")
    if "it_model" in keys:  # it asks what their IT costs already: the spend question would repeat it
        keys = [k for k in keys if k not in ("budget", "spend")]
    keys.append("discovery")
    return [SLIDE_QUESTIONS[k] for k in keys[:SLIDE_QUESTION_COUNT]]


def _price_gap(prospect: Prospect, profile: Profile, money: MoneyView | None = None) -> dict | None:
    """The price objection when the recommended plan costs more per user than their budget or spend."""
    if money is None:
        money = money_view(prospect, profile)
    if money.rate is None:
        return None  # no exchange rate: the figures cannot be compared (the budget criterion says so)
    floor = profile.icp.budget_floor_per_user_month
    floor_f = None
    if floor is not None:
        floor_f = Fraction(str(floor))
        if money.rate != 1:
            floor_f = price_point(floor_f * Fraction(str(money.rate)))
    return price_objection(budget_basis(prospect), money.plan, money.currency or money.base, floor_f, money.locale)


DEFAULT_LINE = (
    " The line is a default (no recorded situation matched a sharper one): confirm in discovery that it fits,"
    " or pick another with --closing."
)


def seller_brief(
    *,
    profile: Profile,
    prospect: Prospect,
    fit,
    closing,
    storyline: str,
    objections: Iterable[Objection] = (),
    money: MoneyView | None = None,
    offers: Offers | None = None,
) -> dict:
    """The ``brief`` context: goal, guidance, unknowns, questions, objections and how to close.

    ``money`` (:func:`deckgen.sales.fit.money_view`) and ``offers`` (:func:`deckgen.sales.offers.fitted_offers`)
    are the prospect's, when the caller has them already; else they are worked out here.
    """
    unknowns = [c.label for c in getattr(fit, "criteria", ()) if not c.known]
    parting = walk_away_reason(fit) if storyline == "walk_away" else ""
    in_room = IN_ROOM if storyline == "buyer" and buyer_in_room(prospect) else {}
    sources = situation_sources(prospect, profile, fit, money)
    situations = list(sources)
    close = closing.to_context() if closing is not None else None
    objections = list(objections)
    ranked = rank_objections(prospect, sources, objections)
    if parting in _parting.FIT_REASONS:  # nothing is sold: coach what they raised themselves, not a sales debate
        raised = {o.id for o in objections if any(sources.get(s) == "in their data" for s in o.situations)}
        ranked = [o for o in ranked if o["id"] in raised or o["note"]]
    implausible = _budget_rule(fit) == "implausible"  # a typo: check it first
    # the plan's price against their budget: only where the deck shows a price (a walk-away or a nurture deck
    # quotes none, so coaching the seller to offer a cheaper option there would open a negotiation)
    price = _price_gap(prospect, profile, money) if not implausible and storyline in PRICED else None
    if price is not None:  # the numbers predict it: the seller prepares the answer before the price slide
        if not mentions_quotes(prospect):  # the general "others charge less" adds nothing to it then
            ranked = [o for o in ranked if o["id"] != "price-too-high"]
        ranked.insert(0, price)
    if storyline == "referral":  # where they are decides it: the one pushback to expect, and no debate
        ranked = [_remote_objection(prospect)]
    gap = compliance_objection(prospect, profile, offers) if storyline != "referral" else None
    if gap is not None:  # what we do not cover comes first (the seller must not over-promise it), except
        # when we walk away: nothing is sold, and the reasons to part matter more
        ranked.insert(len(ranked) if storyline == "walk_away" else 0, gap)
    size = profile.icp.size
    own = _parting.parting_objection(parting, size.min_users, size.max_users)
    if own is not None:  # why we part is what they will push back on, before anything in the library
        ranked.insert(0, own)
    typical = typical_objections(prospect, storyline, objections, ranked, sources)  # when the data says little
    ranked += typical
    return {
        "storyline": storyline,
        "storyline_label": in_room.get("storyline_label") or STORYLINE_LABELS[storyline],
        "goal": _goal(storyline, prospect),
        "guidance": _parting.BRIEF_GUIDANCE.get(parting) or in_room.get("guidance") or GUIDANCE[storyline],
        "unknowns": unknowns,
        "questions": questions(fit, prospect, storyline, parting, in_room.get("question", "")),
        "objections": paginate_objections(ranked[:MAX_OBJECTIONS]),
        "objections_label": TYPICAL_LABEL if typical and len(typical) == len(ranked) else "Likely objections",
        "situations": situations,
        "prospect_notes": " ".join([prospect.notes, *_given_as(prospect, profile)]).strip(),
        "closing_when": (_parting.CLOSING_WHEN.get(parting) or in_room.get("closing_when") or CLOSING_WHEN[storyline])
        + (DEFAULT_LINE if close and close.get("default") else ""),
        "closing_how": REFERRAL_HOW if storyline == "referral" else CLOSING_HOW,
        "bridge": bridge_line(close["triggers"] if close else (), situations, prospect),
        "closing_text": closing_words(close, storyline),
        "closing_full": close["text"] if close else "",
    }


def _given_as(prospect: Prospect, profile: Profile) -> list[str]:
    """What the list gave in another currency and the loader converted (see :func:`given_as_notes`)."""
    if not prospect.given_as:
        return []
    try:
        locale, currency = resolve_locale(prospect, profile)
    except DeckgenError:
        return []
    return given_as_notes(prospect, profile, currency, locale)


def closing_words(close: dict | None, storyline: str) -> str:
    """The closing line as the seller rehearses it: the slide's words when the deck shows the closing slide
    (the prospect reads them as the seller speaks), else the full line; "" for none."""
    if not close:
        return ""
    return close["short"] if "close" in STORYLINE_SLIDES.get(storyline, ()) else close["text"]


__all__ = [
    "GUIDANCE",
    "brief_situations",
    "closing_words",
    "objection_height",
    "paginate_objections",
    "pick_objections",
    "questions",
    "seller_brief",
    "slide_questions",
    "text_height",
]
