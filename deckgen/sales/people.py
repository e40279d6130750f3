"""Slides that do not single out the prospect's own people. Pure.

The prospect forwards the deck to partners: a pain point like "Patches wait until Sam has a free
weekend" must not put their employee on a slide. :func:`without_names` rewrites the names of the
people in the prospect's record (the contact, the decision makers, and named contacts among a CRM
row's extra columns) into a neutral role: their title ("your IT administrator"), else their role
("your IT person", "your decision maker", "a colleague"). The notes keep the original words
(:func:`named_pains_note`).

Names match as whole words, as written (first name, last name or both, with an honorific such as
"Dr." before them); names in scripts written without spaces (Chinese, Japanese, Korean) match
where they stand, and in such text the title itself stands in for the name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from deckgen.model import Person, Prospect
from deckgen.sales.locales import mostly_cjk

HONORIFICS = ("Dr", "Mr", "Mrs", "Ms", "Mx", "Miss", "Prof", "Sir", "Dame")
ROLE_WORDING: dict[str, str] = {
    "technical": "your IT person",
    "economic_buyer": "your decision maker",
    "influencer": "a colleague",
    "unknown": "a colleague",
}
# words a CRM's name field holds when it names a team, not a person: never matched on their own
GENERIC_NAME_WORDS = {
    "support", "team", "office", "department", "desk", "help", "admin", "accounts", "sales", "reception",
    "manager", "info", "contact", "services", "service", "the", "and", "group", "main",
}  # fmt: skip
MAX_TITLE_WORDS = 4  # a longer title reads as a sentence, not a role: the role wording stands in
_HONORIFIC = r"(?:(?:" + "|".join(HONORIFICS) + r")\.?\s+)?"
# kana, CJK ideographs, Hangul, compatibility ideographs (code points: a regular expression over these
# ranges takes ~2 ms to compile when deckgen starts)
_CJK = ((0x3040, 0x30FF), (0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xAC00, 0xD7AF), (0xF900, 0xFAFF))
_CONTACT_KEY = re.compile(r"contact|manager|administrator|admin\b|technician", re.IGNORECASE)
_NOT_A_NAME = re.compile(r"[@\d/:]")
_SENTENCE_START = re.compile(r"(?:^|[.!?:]\s+|[\"“(]\s*)$")


def _has_cjk(text: str) -> bool:
    """True when ``text`` has a Chinese, Japanese or Korean character (one of :data:`_CJK`)."""
    if not text or max(text) < "\u3040":
        return False
    return any(low <= ord(ch) <= high for ch in text for low, high in _CJK)


@dataclass(frozen=True)
class Named:
    """One person of the prospect's: the name as written, the neutral wording, and its title (or "")."""

    name: str
    wording: str
    title: str = ""


def neutral_wording(title: str, role: str = "unknown") -> str:
    """ "IT Administrator" → "your IT administrator"; "Head of IT, Finance" → "your head of IT";
    no usable title (empty, a sentence, another script) → the role's wording."""
    head = re.split(r"\s*[,;/(|]\s*|\s+[-–—]\s+", title.strip(), maxsplit=1)[0].strip()
    words = head.split()
    if not words or len(words) > MAX_TITLE_WORDS or _has_cjk(head) or not re.search(r"[A-Za-z]", head):
        return ROLE_WORDING.get(role, ROLE_WORDING["unknown"])
    return "your " + " ".join(w if (w.isupper() and len(w) > 1) or w[1:] != w[1:].lower() else w.lower() for w in words)


def _person(person: Person, role: str) -> Named | None:
    name = " ".join(person.name.split())
    if not name:
        return None
    return Named(name, neutral_wording(person.title, role), person.title.strip())


def named_people(prospect: Prospect) -> list[Named]:
    """The people in the prospect's record, decision makers first, each name once."""
    people: list[Named] = []
    for dm in prospect.decision_makers:
        people.append(_person(dm, dm.role))
    if prospect.contact is not None:
        people.append(_person(prospect.contact, "unknown"))
    for key, value in prospect.extra.items():  # a CRM column such as "IT Contact" holding a name
        value = " ".join(value.split())
        if _CONTACT_KEY.search(key) and value and not _NOT_A_NAME.search(value) and len(value.split()) <= 4:
            label = re.sub(r"[_\s]+", " ", key).strip()
            people.append(Named(value, neutral_wording(label), label))
    seen: set[str] = set()
    out = []
    for p in people:
        if p is not None and p.name.casefold() not in seen:
            seen.add(p.name.casefold())
            out.append(p)
    return out


def _tokens(name: str) -> list[str]:
    """The parts of a name: no honorifics, no initials."""
    honorifics = {h.casefold() for h in HONORIFICS}
    return [t for t in name.split() if len(t.rstrip(".")) > 1 and t.rstrip(".").casefold() not in honorifics]


def _alone(token: str) -> bool:
    """Whether a first or last name can be matched on its own: written like a name ("Sam", "O'Neil"),
    not an acronym or a word a CRM puts in a name field ("IT", "Support")."""
    return token[0].isupper() and any(c.islower() for c in token[1:]) and token.casefold() not in GENERIC_NAME_WORDS


def _name_parts(person: Named) -> list[str]:
    """What :func:`_patterns` looks for of ``person``, as written: the name's parts (the whole CJK name)."""
    if _has_cjk(person.name):
        return [person.name.replace(" ", "")]
    return _tokens(person.name)


@lru_cache(maxsize=256)  # compiled once for the few pain points of a deck, not once for each of them
def _patterns(people: tuple[Named, ...]) -> tuple[tuple[re.Pattern, Named], ...]:
    """Full names first (everyone's), then single first or last names, so "Sam Ortega" wins over "Sam"."""
    full, single = [], []
    for p in people:
        if _has_cjk(p.name):
            full.append((re.compile(re.escape(p.name.replace(" ", ""))), p))
            continue
        tokens = _tokens(p.name)
        if not tokens:
            continue
        full.append((re.compile(_HONORIFIC + r"(?<!\w)" + r"\s+".join(map(re.escape, tokens)) + r"(?!\w)"), p))
        if len(tokens) > 1:
            single.extend(
                (re.compile(_HONORIFIC + r"(?<!\w)" + re.escape(t) + r"(?!\w)"), p) for t in tokens if _alone(t)
            )
    return tuple(full + single)


def without_names(text: str, people: list[Named]) -> str:
    """``text`` with each person's name replaced by their neutral wording, capitalised at a sentence start."""
    if not text or not people:
        return text
    if not any(part in text for p in people for part in _name_parts(p)):
        return text  # every pattern needs one of these as written: none is there, so nothing would change
    cjk = mostly_cjk(text)
    for pattern, person in _patterns(tuple(people)):

        def swap(m: re.Match, person: Named = person) -> str:
            wording = person.title if cjk and person.title else person.wording
            if _SENTENCE_START.search(m.string[: m.start()]):
                wording = wording[:1].upper() + wording[1:]
            return wording

        text = pattern.sub(swap, text)
    return text


def neutral_pains(prospect: Prospect) -> list[str]:
    """The prospect's pain points as a slide may show them: no one of theirs named."""
    people = named_people(prospect)
    return [without_names(p, people) for p in prospect.pain_points]


def named_pains_note(prospect: Prospect) -> str:
    """For the notes: the pain points the slide words without a name, in the prospect's own words; or ""."""
    people = named_people(prospect)
    changed = [p for p in prospect.pain_points if without_names(p, people) != p]
    if not changed:
        return ""
    quoted = " ".join(f"“{p}”" for p in changed)
    return f"In their own words (the slide leaves their people's names out, as the deck may be forwarded): {quoted}"


# --------------------------------------------------------------------------- a situation is not a pain

# where they stand, not what hurts: a contract or renewal date, a tender, a move, a deadline
_SITUATION = re.compile(
    r"\b(?:contract|agreement|lease|licen[cs]es?|subscription)\b.*\b(?:renew\w*|expir\w*|ends?|ending|runs? out|up)\b"
    r"|\b(?:up for renewal|due for renewal|renewal (?:date|is)|out to tender|request for (?:proposal|quote)s?|RFP)\b"
    r"|\b(?:moving|relocating|move) (?:office|offices|premises|site)\b",
    re.IGNORECASE,
)


def is_situation(text: str) -> bool:
    """Whether a "pain point" states a situation (a contract up for renewal, a tender, an office move)
    rather than an IT problem: it belongs in the notes and the coaching, not under "IT problems"."""
    return _SITUATION.search(text) is not None


def pains_only(pains: list[str]) -> list[str]:
    """The pain points that are IT problems, in order (:func:`is_situation` ones left out)."""
    return [p for p in pains if not is_situation(p)]


# --------------------------------------------------------------------------- objection wording

_BOARD = re.compile(r"\b(?:board|trustees|governors|committee)\b", re.IGNORECASE)
_PARTNERS = re.compile(r"\b(?:partners?|LLP)\b", re.IGNORECASE)
_OWNERS = re.compile(r"\b(?:owners?|co-owners?|founders?)\b", re.IGNORECASE)
_IT_TEAM = re.compile(
    r"\b(?:IT|tech\w*|support)[- ](?:team|staff|department|people|crew)\b|\b(?:two|three|four|five|six|\d+)[- ]person\b"
    r"|\bIT-(?:Team|Abteilung)\b",
    re.IGNORECASE,
)
_IT_SOLO = {
    "it_staff": "an IT guy",
    "they": "he",
    "them": "him",
    "they_are": "he is",
    "handles": "handles",
    "it_people": "their IT person",
}
_IT_TEAM_WORDS = {
    "it_staff": "our own IT team",
    "they": "they",
    "them": "them",
    "they_are": "they are",
    "handles": "handle",
    "it_people": "their IT people",
}


def _said(prospect: Prospect) -> str:
    titles = [d.title for d in prospect.decision_makers] + [prospect.contact.title if prospect.contact else ""]
    return " ".join([prospect.notes, *prospect.pain_points, *titles, prospect.company])


def signers(prospect: Prospect) -> str:
    """Who else signs off, in the prospect's terms: "the board", "the partners", "the owners", the economic
    buyer's title ("the managing director") when the contact is someone else, else "the others who sign off"."""
    said = _said(prospect)
    if _BOARD.search(said):
        return "the board"
    if _PARTNERS.search(said):
        return "the partners"
    if _OWNERS.search(said):
        return "the owners"
    buyer = next((d for d in prospect.decision_makers if d.role == "economic_buyer"), None)
    contact = prospect.contact.name if prospect.contact else ""
    if buyer is not None and buyer.title and buyer.name != contact:
        wording = neutral_wording(buyer.title, "economic_buyer")
        if wording != ROLE_WORDING["economic_buyer"]:
            return "the " + wording.removeprefix("your ")
    return "the others who sign off"


def buyer_in_room(prospect: Prospect) -> str:
    """The economic buyer's name when they are the contact the deck is prepared for (the person who signs is
    already in the conversation), else ""."""
    buyer = next((d for d in prospect.decision_makers if d.role == "economic_buyer"), None)
    contact = prospect.contact.name if prospect.contact else ""
    if buyer is None or not buyer.name.strip() or not contact.strip():
        return ""
    return buyer.name if " ".join(buyer.name.split()).casefold() == " ".join(contact.split()).casefold() else ""


def it_team(prospect: Prospect) -> bool:
    """Whether their in-house IT is several people (an IT team, a two-person team, more than one
    technical decision maker), not one person."""
    technical = [d for d in prospect.decision_makers if d.role == "technical"]
    return len(technical) > 1 or _IT_TEAM.search(" ".join([prospect.notes, *prospect.pain_points])) is not None


def objection_words(prospect: Prospect) -> dict[str, str]:
    """The words an objection's ``{placeholders}`` take for this prospect: ``signers`` and the in-house IT
    wording (``it_staff``, ``they``, ``them``, ``they_are``, ``handles``, ``it_people``: one person or a team)."""
    return {"signers": signers(prospect), **(_IT_TEAM_WORDS if it_team(prospect) else _IT_SOLO)}


class _Keep(dict):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def fill_words(text: str, words: dict[str, str]) -> str:
    """``text`` with its ``{placeholders}`` filled from ``words``; ``{They}`` (a capital first letter) takes
    the word with a capital too, for the start of a sentence. Unknown placeholders stay as written."""
    if "{" not in text:
        return text
    table = _Keep(words)
    table.update({k[:1].upper() + k[1:]: v[:1].upper() + v[1:] for k, v in words.items()})
    try:
        return text.format_map(table)
    except (ValueError, IndexError):  # a lone brace, or "{0}": not ours to fill
        return text


__all__ = [
    "HONORIFICS",
    "MAX_TITLE_WORDS",
    "ROLE_WORDING",
    "Named",
    "buyer_in_room",
    "fill_words",
    "is_situation",
    "it_team",
    "named_pains_note",
    "objection_words",
    "pains_only",
    "named_people",
    "neutral_pains",
    "neutral_wording",
    "signers",
    "without_names",
]
