"""What the seller says in a walk-away that parts for fit (size or industry), not over a standard. Pure.

A walk-away over a refused standard (:func:`deckgen.sales.storyline.walk_away_reason` ``standards``)
rests on the standards slide: state them, read the pushback, say the line. One that parts because the
prospect is too small, too large or in an industry the MSP does not serve must not: the standards were
never refused, so inviting a debate on them (or leaving "we'll start from the standards") coaches the
seller into the wrong conversation. These are the storyline's coaching and brief wording for such a
parting, and the one objection the prospect is likely to raise about it.
"""

from __future__ import annotations

FIT_REASONS: tuple[str, ...] = ("too_small", "too_large", "industry")

_WHAT = {"too_small": "their size", "too_large": "their size", "industry": "their industry"}

# deck.coach.<slide>.guidance for a walk-away that parts for fit
GUIDANCE: dict[str, str] = {
    "title": "Set a calm, honest tone: you will share what you heard and who we serve best; this is about fit.",
    "standards": "Show these as how we work with every client, not as the reason we part: that is fit. "
    "Do not let them become a negotiation.",
    "close": "Say the line once, calmly: it is about {what}, not about them. Then stop and offer the introduction.",
}

# deck.coach.next.bridge: the last words, the door left open on what would change, never on the standards
ASKS: dict[str, str] = {
    "too_small": "When you pass {min_users} people, call me: I'd be glad to start then.",
    "too_large": "If one team or site of yours ever wants a partner our size, call me.",
    "industry": "If your plans change, call me; until then I'm glad to introduce you to a provider who knows "
    "your sector.",
    "fit": "If your plans or your IT change, call me, and we'll look at it fresh.",
}

# the seller brief, for a walk-away that parts for fit
BRIEF_GUIDANCE: dict[str, str] = {
    "too_small": "Poor fit on size: say what we heard, show who we serve best, deliver the line, offer the "
    "introduction, then stop. Do not debate the standards: nobody refused them.",
    "too_large": "Poor fit on size: say what we heard, show who we serve best, deliver the line, offer the "
    "introduction, then stop. Do not debate the standards: nobody refused them.",
    "industry": "Poor fit on industry: say what we heard, show who we serve best, deliver the line, offer the "
    "introduction, then stop. Do not debate the standards: nobody refused them.",
}
CLOSING_WHEN: dict[str, str] = {
    reason: "On the closing slide, after the slide on who we serve: once." for reason in FIT_REASONS
}
QUESTIONS: dict[str, str] = {
    "too_small": "How many people do you expect to be in two years' time?",
    "too_large": "What would you want most from the provider we introduce you to?",
    "industry": "What would you want most from the provider we introduce you to?",
    "standards": "Which of our standards is a firm no for you, and why?",
}

# what they are likely to say when we part for fit, shaped like the ranked objections (brief and notes)
_OBJECTIONS: dict[str, tuple[str, str]] = {
    "too_small": (
        "We're small, but we'd be an easy client. Couldn't you take us on anyway?",
        "Thank them, and say why size matters: our service is built and priced for teams of {min_users} to "
        "{max_users} people, so below that they would pay for more than they use. Offer the introduction to a "
        "provider built for their size, and the call when they grow.",
    ),
    "too_large": (
        "Couldn't you just add more people to cover us?",
        "Thank them, and say why size matters: our service is built for teams of {min_users} to {max_users} "
        "people, and at their size they need more depth than that. Offer the introduction to a provider "
        "built for their size.",
    ),
    "industry": (
        "IT is IT. Why does our industry matter?",
        "Say what our focus buys our clients: systems, rules and proof we know inside out. In their sector "
        "we would be learning on their time. Offer the introduction to a provider who knows it.",
    ),
}
_AVOID = "Do not make an exception to keep the deal, do not quote a price and do not debate the standards."


def parting_objection(reason: str, min_users: int | None, max_users: int | None) -> dict | None:
    """The objection a walk-away for ``reason`` (size or industry) is likely to meet, placed on the standards
    slide (whose headline says who we serve), or None for any other reason."""
    if reason not in _OBJECTIONS:
        return None
    says, answer = _OBJECTIONS[reason]
    return {
        "id": f"parting-{reason.replace('_', '-')}",
        "says": says,
        "answer": answer.format(min_users=min_users, max_users=max_users),
        "avoid": _AVOID,
        "slides": ["standards"],
        "why": f"we part over {_WHAT[reason]}, not over a standard they refused",
        "note": "",
    }


def parting_guidance(slide: str, reason: str) -> str | None:
    """The coaching aim on ``slide`` for a walk-away that parts for ``reason``, or None to keep the storyline's."""
    if reason not in FIT_REASONS or slide not in GUIDANCE:
        return None
    return GUIDANCE[slide].format(what=_WHAT[reason])


def parting_ask(reason: str, min_users: int | None) -> str | None:
    """The walk-away's last words for ``reason``, or None for a parting over the standards."""
    if reason not in ASKS:
        return None
    return ASKS[reason].format(min_users=min_users)


__all__ = [
    "BRIEF_GUIDANCE",
    "CLOSING_WHEN",
    "FIT_REASONS",
    "QUESTIONS",
    "parting_ask",
    "parting_guidance",
    "parting_objection",
]
