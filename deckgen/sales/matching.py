"""Tolerant matching of the words in a prospect against the ICP: industries, places, compliance frameworks.

Matching works on normalised, stemmed words, never on raw strings, so "Dental practice" matches "dental"
and "Greater London" matches "London".
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from deckgen.model import Icp

_GENERIC = {
    "and",
    "of",
    "the",
    "for",
    "services",
    "service",
    "practice",
    "practices",
    "firm",
    "firms",
    "office",
    "offices",
    "company",
    "companies",
    "group",
    "business",
    "businesses",
    "sector",
    "industry",
    "provider",
    "providers",
    "co",
    "ltd",
    "inc",
    "llc",
    "llp",
    "plc",
}
_SUFFIXES = ("ists", "ist", "ants", "ant", "ing", "ics", "ic", "als", "al", "ry", "ies", "es", "s")
_MIN_STEM = 4
_NON_WORD = re.compile(r"[\W_]+")
# scripts written without spaces between words: kana, CJK ideographs, Hangul, compatibility ideographs
# (code points: a regular expression over these ranges takes ~10 ms to compile when deckgen starts)
_NO_SPACE_SCRIPT = ((0x3040, 0x30FF), (0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xAC00, 0xD7AF), (0xF900, 0xFAFF))


def _no_space_script(text: str) -> bool:
    """True when ``text`` has a character of a script written without spaces between words."""
    if not text or max(text) < "\u3040":
        return False
    return any(low <= ord(ch) <= high for ch in text for low, high in _NO_SPACE_SCRIPT)


def _stem(word: str) -> str:
    changed = True
    while changed:
        changed = False
        for suffix in _SUFFIXES:
            if word.endswith(suffix) and not word.endswith("ss") and len(word) - len(suffix) >= _MIN_STEM:
                word = word[: -len(suffix)] + ("y" if suffix == "ies" else "")
                changed = True
                break
    return word


def _words(text: str) -> set[str]:
    text = unicodedata.normalize("NFKC", text or "").casefold()
    words = [w for w in _NON_WORD.split(text) if w]
    significant = [w for w in words if w not in _GENERIC] or words
    return {_stem(w) for w in significant}


@lru_cache(maxsize=4096)  # pure; the profile's terms and the prospects' few values recur deck after deck
def compact(text: str) -> str:
    """Return ``text`` case-folded without spaces or punctuation, for exact comparisons."""
    return _NON_WORD.sub("", unicodedata.normalize("NFKC", text or "").casefold())


@lru_cache(maxsize=4096)  # pure, and asked about the same few industries for every deck
def industry_matches(prospect_industry: str, term: str) -> bool:
    """Return whether a prospect's industry matches one ICP industry term, tolerantly.

    True when every significant (stemmed) word of the term is among the prospect's words,
    or the other way round ("Dental practice" ~ "dental", "Dentistry" ~ "dental",
    "Accountants" ~ "accounting", "non-profit" ~ "nonprofit"). Text in scripts written
    without spaces (Chinese, Japanese, Korean) matches by containment.
    """
    a, b = compact(prospect_industry), compact(term)
    if not a or not b:
        return False
    if a == b:
        return True
    if _no_space_script(a) or _no_space_script(b):
        return a in b or b in a
    pw, tw = _words(prospect_industry), _words(term)
    return bool(pw and tw) and (tw <= pw or pw <= tw)


_PLACE_GENERIC = {"metro", "metropolitan", "area", "greater", "county", "city", "region", "district", "of"}


def place_matches(place: str, term: str) -> bool:
    """True when a city or region names the same place as ``term`` ("Greater London" ~ "London")."""
    if not place or not term:
        return False
    if compact(place) == compact(term):
        return True
    norm = lambda t: {w for w in _NON_WORD.split(unicodedata.normalize("NFKC", t).casefold()) if w}  # noqa: E731
    pw, tw = norm(place), norm(term)
    tw = (tw - _PLACE_GENERIC) or tw
    pw = (pw - _PLACE_GENERIC) or pw
    return bool(tw) and (tw <= pw or pw <= tw)


_FRAMEWORK_ALIASES = {"pci": "pcidss", "soc2type2": "soc2", "soc2typeii": "soc2", "hipaahitech": "hipaa"}


_FRAMEWORK_NAMES = {
    "hipaa": "HIPAA",
    "pcidss": "PCI DSS",
    "soc2": "SOC 2",
    "gdpr": "GDPR",
    "ukgdpr": "UK GDPR",
    "cyberessentials": "Cyber Essentials",
    "cyberessentialsplus": "Cyber Essentials Plus",
    "iso27001": "ISO 27001",
    "pdpo": "PDPO",
    "cmmc": "CMMC",
    "glba": "GLBA",
    "ferpa": "FERPA",
    "sox": "SOX",
    "nist80053": "NIST 800-53",
    "nist800171": "NIST 800-171",
    "nis2": "NIS2",
}


@lru_cache(maxsize=1024)  # pure, and asked about the same few spellings for every offer of every deck
def framework_key(name: str) -> str:
    """Return a compliance framework's comparison key: "PCI", "pci-dss" and "PCI DSS" all give ``pcidss``."""
    key = compact(name)
    return _FRAMEWORK_ALIASES.get(key, key)


def framework_name(name: str, icp: Icp) -> str:
    """Return how to write a framework in a sentence: the ICP's spelling, a known one, or a tidy guess."""
    key = framework_key(name)
    for own in icp.compliance:
        if framework_key(own) == key:
            return own
    if key in _FRAMEWORK_NAMES:
        return _FRAMEWORK_NAMES[key]
    words = name.replace("_", " ").split()
    return " ".join(w.upper() if len(w) <= 5 and len(words) == 1 else w.capitalize() for w in words)
