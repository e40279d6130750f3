"""Which proof a prospect reads: chosen by relevance, never claiming an industry that is not theirs. Pure.

The profile's ``industry_proof`` entries are ranked for the prospect: an entry for their own industry
(one of its industries is theirs, a CRM synonym of it, or the broader category it belongs to), then
entries for a neighbouring industry (a taxonomy neighbour, or the profile's adjacent list), then the
USP's general ``proof_points``. From each, in that order, a point is kept only when

* an industry it names is the prospect's (or the broader category of theirs): "at 40 dental and
  medical practices" is proof for a dental practice, not for a veterinary group, nor for a prospect
  whose industry is unknown; the industries looked for are the profile's own words (ICP, adjacent list, proof entries,
  metrics) and the taxonomy verticals behind them, with their broader categories ("healthcare");
* a compliance framework it names is one they need, once their needs are recorded: a HIPAA
  claim means nothing to a non-profit that needs none; while their needs are unknown, it is not
  another country's law (:mod:`deckgen.sales.jurisdictions`): HIPAA is not a Canadian clinic's;
* it does not repeat a point already kept ("Every practice restore-tested…" and "Every client
  restore-tested…" are one point).

As many points are shown as the most relevant source has (an entry's list, else the USP's), so the
slide and notes keep their shape; fewer when too few points pass.
"""

from __future__ import annotations

from difflib import SequenceMatcher
from functools import lru_cache

from deckgen.model import IndustryProof, Profile, Prospect
from deckgen.sales.jurisdictions import FRAMEWORK_COUNTRIES, foreign_frameworks
from deckgen.sales.matching import framework_key, industry_matches
from deckgen.sales.offers import compliance_needs, frameworks_in
from deckgen.sales.taxonomy import VERTICALS, classify, is_unknown_industry, match_industry

_SAME = 0.8  # two points this similar (difflib ratio) say the same thing
_OWN = ("exact", "synonym")
_PARENTS = {v.key: v.parent for v in VERTICALS}


def _relevance(entry: IndustryProof, industry: str) -> int:
    """0 for an entry about the prospect's own industry, 1 for a neighbour's, 2 for neither."""
    if not industry:
        return 2
    m = match_industry(industry, entry.industries, (), industry_matches)
    if m.rule in _OWN:
        return 0
    return 1 if m.rule == "adjacent" else 2


def ranked_proof(profile: Profile, prospect: Prospect) -> list[tuple[int, IndustryProof]]:
    """The profile's proof entries with their relevance (0 own industry, 1 neighbour), most relevant first."""
    industry = "" if is_unknown_industry(prospect.industry) else prospect.industry
    ranked = [(_relevance(e, industry), i, e) for i, e in enumerate(profile.industry_proof)]
    return [(r, e) for r, _, e in sorted(ranked, key=lambda t: t[:2]) if r < 2]


def industry_terms(profile: Profile) -> tuple[str, ...]:
    """The words that name an industry in the profile's proof: its own terms, their verticals and broader ones."""
    icp = profile.icp
    own = [*icp.industries, *icp.adjacent_industries]
    own += [t for e in profile.industry_proof for t in e.industries]
    own += [t for m in profile.metrics for t in m.industries]
    terms = dict.fromkeys(t for t in own if t.strip())
    for term in list(terms):
        key, _ = classify(term)
        while key is not None:
            terms.setdefault(key.replace("_", " "))
            key = _PARENTS.get(key)
    return tuple(terms)


def claims_other_industry(point: str, industry: str, terms: tuple[str, ...]) -> bool:
    """True when ``point`` names industries (among ``terms``) and ``industry`` is none of them, nor a kind of one.

    "40 dental and medical practices" is proof for a dental practice (it names theirs), not for a vet.
    """
    named = [term for term in terms if industry_matches(point, term)]
    if not named:
        return False
    return not industry or match_industry(industry, named, (), industry_matches).rule not in _OWN


def unneeded_framework(point: str, prospect: Prospect, profile: Profile) -> bool:
    """True when ``point`` names a framework the prospect does not need, or another country's law."""
    needs = compliance_needs(prospect, profile.icp)
    if not needs.recorded:  # unknown needs: the framework may well matter (discovery asks), unless it is
        # another country's law: HIPAA is not a Canadian clinic's
        named = frameworks_in(point, [*profile.icp.compliance, *FRAMEWORK_COUNTRIES])
        return bool(foreign_frameworks(named, prospect.location.country))
    named = frameworks_in(point, [*profile.icp.compliance, *prospect.compliance])
    return bool(named) and not named & {framework_key(n) for n in needs.needed}


@lru_cache(maxsize=4096)  # the profile's points, compared deck after deck
def _alike(a: str, b: str) -> bool:
    matcher = SequenceMatcher(None, a.casefold(), b.casefold())
    # the quick ratios are upper bounds of ratio(): most pairs of points fail them, without matching blocks
    return matcher.real_quick_ratio() >= _SAME and matcher.quick_ratio() >= _SAME and matcher.ratio() >= _SAME


def _repeats(point: str, kept: list[str]) -> bool:
    return any(_alike(point, k) for k in kept)


def fitted_proof_points(profile: Profile, prospect: Prospect) -> list[str]:
    """The proof points this prospect reads, most relevant first (see the module docstring)."""
    industry = "" if is_unknown_industry(prospect.industry) else prospect.industry
    ranked = ranked_proof(profile, prospect)
    sources = [e.proof_points for _, e in ranked if e.proof_points] + [profile.usp.proof_points]
    wanted = len(ranked[0][1].proof_points) if ranked and ranked[0][0] == 0 and ranked[0][1].proof_points else 0
    wanted = wanted or len(profile.usp.proof_points)
    terms = industry_terms(profile)
    kept: list[str] = []
    for points in sources:
        for point in points:
            if len(kept) >= wanted:
                return kept
            if claims_other_industry(point, industry, terms) or unneeded_framework(point, prospect, profile):
                continue
            if not _repeats(point, kept):
                kept.append(point)
    return kept


__all__ = ["claims_other_industry", "fitted_proof_points", "industry_terms", "ranked_proof", "unneeded_framework"]
