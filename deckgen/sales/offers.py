"""Which compliance offers apply to a prospect, and what the MSP does not cover for them. Pure.

An add-on (an ``optional`` service) is a *compliance offer* when its name or description speaks of
compliance, audits or regulation, or names a framework (HIPAA, GDPR, …); a tier is one when its own
words do, or it includes such an add-on. The plan's own services are never left out: they are the
plan. An offer promises the frameworks it names, else the
ones the ICP covers (``icp.compliance``). It applies to a prospect when:

* their compliance needs are not recorded (it may apply; discovery asks), or
* they need at least one framework it promises (or it promises none in particular and the ICP
  lists none either).

It does not apply when they need no framework at all (``compliance: [none]`` or ``[]``) or only frameworks
it does not promise: the deck then leaves it out (tier and add-on). When they need a framework the
ICP does not cover, :func:`compliance_objection` gives the brief and the notes the question they
will ask, the honest answer, and what the deck left out, so the seller does not over-promise.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from deckgen.model import Icp, Profile, Prospect, Service, Tier
from deckgen.sales.matching import framework_key, framework_name

COMPLIANCE_WORDS = re.compile(r"\b(?:complian\w*|audit\w*|regulat\w*)", re.IGNORECASE)
_NO_FRAMEWORK = {"none", "no", "na"}
_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class ComplianceNeeds:
    """The prospect's frameworks against the ICP: needed (as written), covered and not covered."""

    recorded: bool  # anything recorded at all, ``none`` included
    needed: tuple[str, ...]  # framework names, ``none`` left out
    covered: tuple[str, ...]
    missing: tuple[str, ...]


def compliance_needs(prospect: Prospect, icp: Icp) -> ComplianceNeeds:
    """What the prospect needs, and which of it the MSP's profile covers."""
    recorded = [c for c in prospect.compliance if c]
    needed = [c for c in recorded if framework_key(c) not in _NO_FRAMEWORK]
    stated = bool(recorded) or "compliance" in prospect.model_fields_set  # ``compliance: []`` says none
    covered_keys = {framework_key(c) for c in icp.compliance}
    names = [framework_name(c, icp) for c in needed]
    covered = tuple(n for c, n in zip(needed, names) if framework_key(c) in covered_keys)
    missing = tuple(n for c, n in zip(needed, names) if framework_key(c) not in covered_keys)
    return ComplianceNeeds(stated, tuple(names), covered, missing)


def frameworks_in(text: str, candidates: list[str]) -> set[str]:
    """The framework keys among ``candidates`` that ``text`` names ("SOC 2" also as "SOC-2", "soc2")."""
    found = set()
    for name in candidates:
        if _names(text, name):
            found.add(framework_key(name))
    return found - _NO_FRAMEWORK


@lru_cache(maxsize=4096)  # the profile's offer texts against the few framework spellings: the same deck after deck
def _names(text: str, name: str) -> bool:
    """Whether ``text`` names the framework ``name``, its words apart, joined or hyphenated."""
    words = _WORD.findall(name)
    return bool(words) and _name_pattern(tuple(words)).search(text) is not None


@lru_cache(maxsize=1024)
def _name_pattern(words: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile(r"(?<!\w)" + r"[\s-]*".join(map(re.escape, words)) + r"(?!\w)", re.IGNORECASE)


def _text(item: Service | Tier) -> str:
    return f"{item.name} {item.description}"


def _promises(text: str, candidates: list[str]) -> tuple[bool, set[str]]:
    named = frameworks_in(text, candidates)
    return bool(named) or COMPLIANCE_WORDS.search(text) is not None, named


def offer_applies(
    frameworks: set[str], is_compliance: bool, prospect: Prospect, icp: Icp, needs: ComplianceNeeds | None = None
) -> bool:
    """Whether an offer promising ``frameworks`` (keys; empty = the ICP's) applies to the prospect.

    ``needs`` is :func:`compliance_needs` of the prospect and ``icp``, when the caller has it already.
    """
    if not is_compliance:
        return True
    if needs is None:
        needs = compliance_needs(prospect, icp)
    if not needs.recorded:
        return True
    if not needs.needed:
        return False  # they need no framework: a compliance promise is not for them
    promised = frameworks or {framework_key(c) for c in icp.compliance}
    if not promised:
        return True  # it promises compliance work in general, and the profile names no frameworks
    return any(framework_key(n) in promised for n in prospect.compliance if n)


@dataclass(frozen=True)
class Offers:
    """The profile's tiers and add-ons fitted to one prospect, and what was left out."""

    tiers: tuple[Tier, ...]
    addons: tuple[Service, ...]
    left_out: tuple[str, ...]  # names of the tiers and add-ons whose promise does not apply


def fitted_offers(profile: Profile, prospect: Prospect) -> Offers:
    """The tiers and optional services whose promise applies to ``prospect``; the recommended mark
    moves to the fullest remaining tier when the recommended one is left out. An optional service that
    an offered tier includes is not an add-on too (the deck would sell it twice)."""
    icp = profile.icp
    needs = compliance_needs(prospect, icp)  # the same for every offer
    candidates = list(dict.fromkeys([*icp.compliance, *prospect.compliance]))
    by_name = {s.name: s for s in profile.services}
    service_promise = {
        s.name: _promises(_text(s), candidates) if s.optional else (False, set()) for s in profile.services
    }

    def applies_service(s: Service) -> bool:
        is_compliance, named = service_promise[s.name]
        return offer_applies(named, is_compliance, prospect, icp, needs)

    left_out: list[str] = []
    tiers: list[Tier] = []
    for tier in profile.tiers:
        is_compliance, named = _promises(_text(tier), candidates)
        members = [by_name[n] for n in tier.services if n in by_name]
        for s in members:
            s_compliance, s_named = service_promise[s.name]
            is_compliance, named = is_compliance or s_compliance, named | s_named
        if offer_applies(named, is_compliance, prospect, icp, needs) and all(applies_service(s) for s in members):
            tiers.append(tier)
        else:
            left_out.append(tier.name)
    if profile.tiers and tiers and not any(t.recommended for t in tiers) and any(t.recommended for t in profile.tiers):
        fullest = max(range(len(tiers)), key=lambda i: (len(tiers[i].services), -i))
        tiers[fullest] = tiers[fullest].model_copy(update={"recommended": True})
    addons = []
    in_a_tier = {n for t in tiers for n in t.services}  # bought through that tier: never offered twice
    for s in profile.services:
        if not s.optional or s.name in in_a_tier:
            continue
        if applies_service(s):
            addons.append(s)
        else:
            left_out.append(s.name)
    return Offers(tuple(tiers), tuple(addons), tuple(left_out))


def _and(items: list[str] | tuple[str, ...], word: str = "and") -> str:
    items = list(items)
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + f" {word} " + items[-1]


def compliance_objection(prospect: Prospect, profile: Profile, offers: Offers | None = None) -> dict | None:
    """The question a prospect with frameworks the MSP does not cover will ask, with the honest answer,
    shaped like :func:`deckgen.sales.coaching.rank_objections`' items; None when there is no gap.

    ``offers`` is :func:`fitted_offers` of the prospect, when the caller has it already."""
    needs = compliance_needs(prospect, profile.icp)
    if not needs.missing:
        return None
    missing = _and(needs.missing)
    if profile.icp.compliance:
        covered = f"Our compliance work covers {_and(profile.icp.compliance)}, not {missing}."
    else:
        covered = f"We do not run {missing} programmes."
    left_out = (offers if offers is not None else fitted_offers(profile, prospect)).left_out
    its = "its promise does" if len(left_out) == 1 else "their promise does"
    dropped = f" The deck leaves out {_and(left_out)}: {its} not apply to them." if left_out else ""
    return {
        "id": "compliance-gap",
        "says": f"Can you get us through {missing} as well?",
        "answer": f"{covered} Say so plainly: keep their own adviser or auditor for it, and show how our security "
        "standards give that work solid ground.",
        "avoid": f"Do not promise {_and(needs.missing, 'or')} work or sell a compliance add-on for it.{dropped}",
        "slides": ["fit", "promise", "investment"],
        "why": f"they need {_and(needs.needed)} (from their compliance needs), "
        + ("none of which you cover" if not needs.covered else f"and you do not cover {missing}"),
        "note": "",
    }


__all__ = [
    "COMPLIANCE_WORDS",
    "ComplianceNeeds",
    "Offers",
    "compliance_needs",
    "compliance_objection",
    "fitted_offers",
    "frameworks_in",
    "offer_applies",
]
