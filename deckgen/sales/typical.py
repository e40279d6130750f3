"""The objections a seller prepares when nothing in the prospect's data points to one. Pure.

A brief with no likely objection leaves the seller with nothing to rehearse, yet every meeting of a
storyline hears the same few pushbacks: "we already have someone", "what does it cost", "not now".
:func:`typical_objections` tops the brief's list up with them, from the objection library, in the
order the storyline meets them; the one about who runs their IT today follows their IT model. A
walk-away or a referral sells nothing, so it gets none.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from deckgen.model import ItModel, Objection, Prospect
from deckgen.sales.people import fill_words, objection_words

TYPICAL_COUNT = 3  # the brief shows this many when the data points to fewer than TOP_UP_BELOW
TOP_UP_BELOW = 2
TYPICAL_LABEL = "Typical objections (none in their data yet)"  # the brief's heading when only these show
CURRENT = "current"  # stands for the objection about who runs their IT today (see CURRENT_BY_MODEL)
TYPICAL: dict[str, tuple[str, ...]] = {
    "pitch": (CURRENT, "price-too-high", "not-the-right-time"),
    "buyer": ("need-to-ask-the-partners", CURRENT, "price-too-high"),
    "nurture": ("not-the-right-time", CURRENT, "what-does-it-cost"),
    "discovery": (CURRENT, "what-does-it-cost", "not-the-right-time"),
}
CURRENT_BY_MODEL: dict[ItModel, str] = {
    ItModel.in_house: "we-have-an-it-guy",
    ItModel.co_managed: "we-have-an-it-guy",
    ItModel.break_fix: "only-call-when-broken",
}
CURRENT_DEFAULT = "already-have-someone"  # another provider, none, or not known yet
WHO: dict[str, str] = {
    "pitch": "a pitch",
    "buyer": "a meeting before the person who signs is in it",
    "nurture": "a prospect who is not ready to buy",
    "discovery": "a first meeting",
}


def typical_objections(
    prospect: Prospect,
    storyline: str,
    library: Iterable[Objection],
    taken: Iterable[Mapping],
    situations: Mapping[str, str],
) -> list[dict]:
    """The storyline's typical objections to add after ``taken`` (the brief's objections so far), shaped like
    :func:`deckgen.sales.coaching.rank_objections`' items, ``why`` saying nothing in their data points to
    them; [] when ``taken`` holds ``TOP_UP_BELOW`` or more, or the storyline sells nothing.

    ``situations`` are :func:`deckgen.sales.coaching.situation_sources` (outside the on-site area, the
    answers speak of written response times, not visits)."""
    taken = list(taken)
    if len(taken) >= TOP_UP_BELOW or storyline not in TYPICAL:
        return []
    by_id = {o.id: o for o in library}
    have = {str(o.get("id", "")) for o in taken}
    words = objection_words(prospect)
    words["support"] = "written response times" if "remote_only" in situations else "on-site time"
    current = CURRENT_BY_MODEL.get(prospect.it_model, CURRENT_DEFAULT)
    why = f"typical of {WHO[storyline]}; nothing in their data points to it yet"
    out: list[dict] = []
    for key in TYPICAL[storyline]:
        obj = by_id.get(current if key == CURRENT else key)
        if obj is None or obj.id in have or len(taken) + len(out) >= TYPICAL_COUNT:
            continue
        have.add(obj.id)
        out.append(
            {
                "id": obj.id,
                "says": fill_words(obj.says, words),
                "answer": fill_words(obj.answer, words),
                "avoid": fill_words(obj.avoid, words),
                "slides": list(obj.slides),
                "why": why,
                "note": "",
            }
        )
    return out


__all__ = ["TYPICAL", "TYPICAL_COUNT", "TYPICAL_LABEL", "typical_objections"]
