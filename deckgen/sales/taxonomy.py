"""Industries as CRMs write them, mapped to a small set of MSP verticals. Pure data and matching.

CRMs do not agree on industry names: HubSpot and LinkedIn say "Law Practice" and "Hospital &
Health Care", Salesforce's picklist says "Healthcare" and "Finance", Dynamics 365 says "Doctor's
Offices and Clinics", Zoho and Pipedrive have their own lists, and some exports carry NAICS codes.
:func:`classify` turns any of these (and plain words such as "dental practice") into one
:class:`Vertical`; :func:`match_industry` compares a prospect's industry with the verticals a
profile names in plain words and says which rule matched:

- ``exact``: the prospect's industry names the profile's vertical itself ("Dental" for dental);
- ``synonym``: a CRM value, alias or NAICS code for that vertical, or a narrower kind of it
  ("Law Practice" for legal, "621210" for dental, "dental" for healthcare);
- ``adjacent``: a vertical next to it (dental and medical, bookkeeping and accounting), the
  broader category a CRM uses for it ("Healthcare" for dental, "Finance" for accounting), or one
  of the profile's own adjacent industries;
- ``none``: none of these.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

__all__ = ["VERTICALS", "IndustryMatch", "Vertical", "classify", "is_broad", "is_unknown_industry", "match_industry"]


@dataclass(frozen=True)
class Vertical:
    """One MSP vertical: its key, how to say it, its broader vertical, names, NAICS prefixes, neighbours."""

    key: str
    label: str
    parent: str | None = None
    synonyms: tuple[str, ...] = ()
    naics: tuple[str, ...] = ()
    adjacent: tuple[str, ...] = ()


def _v(key, label, parent=None, synonyms="", naics="", adjacent="") -> Vertical:
    split = lambda text: tuple(s.strip() for s in text.split("|") if s.strip())  # noqa: E731
    return Vertical(key, label, parent, split(synonyms), tuple(naics.split()), tuple(adjacent.split()))


# Order matters only for ties: when free text names two verticals equally well, the earlier one wins.
# Synonyms are written as the CRMs write them (HubSpot/LinkedIn, Salesforce, Dynamics 365, Zoho,
# Pipedrive) and as people do; case, accents, "&"/"and" and punctuation do not matter.
# fmt: off
VERTICALS: tuple[Vertical, ...] = (
    _v("dental", "dental practices", "healthcare",
       "dental | dentist | dentists | dentistry | dental practice | dental office | dental clinic | "
       "dental surgery | orthodontics | orthodontist | orthodontists | endodontics | periodontics | "
       "oral surgery | dental lab | dental laboratory | family dentistry | cosmetic dentistry",
       "6212 339116", "medical"),
    _v("veterinary", "veterinary practices", None,
       "veterinary | veterinarian | veterinarians | vet clinic | veterinary clinic | veterinary practice | "
       "veterinary services | animal hospital | animal health",
       "54194", "medical dental"),
    _v("medical", "medical practices", "healthcare",
       "medical | medical practice | medical practices | medical office | medical clinic | clinic | clinics | "
       "doctor's offices and clinics | doctors offices and clinics | doctors office | physician | physicians | "
       "physician practice | family practice | primary care | general practice | gp surgery | "
       "urgent care | outpatient care | chiropractor | chiropractors | chiropractic | optometry | optometrist | "
       "optometrists | ophthalmology | dermatology | physical therapy | physiotherapy | "
       "physical, occupational and speech therapists | speech therapy | mental health care | "
       "mental health practice | behavioral health | psychiatry | psychology practice | counseling | "
       "alternative medicine | medical and diagnostic laboratories | diagnostic imaging | radiology | "
       "podiatry | audiology | home health care | home health care services | ambulatory health care",
       "6211 6213 6214 6215 6216 6219", "dental veterinary hospital pharmacy"),
    _v("hospital", "hospitals and care homes", "healthcare",
       "hospital | hospitals | medical center | health system | nursing home | nursing homes | care home | "
       "senior living | assisted living | nursing homes and residential care facilities | residential care | "
       "hospice",
       "622 623", "medical"),
    _v("pharmacy", "pharmacies", "healthcare",
       "pharmacy | pharmacies | drugstore | chemist | pharmacist",
       "44611 456110", "medical"),
    _v("healthcare", "healthcare", None,
       "healthcare | health care | hospital & health care | hospital and health care | hospitals and health care | "
       "health, wellness and fitness | health wellness and fitness | health services | health | medical services | "
       "life sciences | medical devices | medical equipment manufacturing | biotechnology | pharmaceuticals | "
       "pharmaceutical manufacturing",
       "62", "veterinary pharmacy"),
    _v("legal", "legal practices", None,
       "legal | law | law practice | law practices | law firm | law firms | law office | lawyer | lawyers | "
       "attorney | attorneys | solicitor | solicitors | barrister | barristers | chambers | legal services | "
       "legal practice | legal firm | notary | notaries | paralegal | alternative dispute resolution | "
       "litigation | conveyancing",
       "5411", "accounting consulting"),
    _v("accounting", "accounting practices", None,
       "accounting | accountancy | accountant | accountants | accounting firm | accounting practice | "
       "chartered accountants | certified public accountants | cpa | cpa firm | cpas | tax | tax preparation | "
       "tax services | tax advisory | tax advisor | tax advisors | auditing | audit | audit firm | "
       "accounting services | steuerberater | steuerberatung | wirtschaftsprüfer | expert-comptable | "
       "expertise comptable",
       "5412", "bookkeeping financial_advisory financial_services legal"),
    _v("bookkeeping", "bookkeeping and payroll services", None,
       "bookkeeping | bookkeeper | bookkeepers | bookkeeping services | payroll | payroll services | "
       "billing services",
       "541214 541219", "accounting"),
    _v("financial_advisory", "financial advisers", "financial_services",
       "financial advisory | financial advisor | financial advisors | financial adviser | financial advisers | "
       "financial planning | financial planner | wealth management | investment management | "
       "investment advisory | asset management | investment adviser | family office | brokers | brokerage | "
       "stockbroker | venture capital & private equity | venture capital and private equity principals | "
       "private equity | hedge fund | capital markets | investment banking",
       "5239 5231 5232", "accounting insurance"),
    _v("banking", "banks and credit unions", "financial_services",
       "banking | bank | banks | credit union | credit unions | savings institutions | mortgage | lending",
       "5221 5222", "financial_advisory insurance"),
    _v("insurance", "insurance", None,
       "insurance | insurance agency | insurance broker | insurance brokers | insurance agent | underwriting | "
       "claims adjusting",
       "524", "financial_services financial_advisory"),
    _v("financial_services", "financial services", None,
       "financial services | finance | financial | fintech | financial institution | investment | investments",
       "52", "accounting insurance"),
    _v("real_estate", "real estate", None,
       "real estate | realtor | realtors | estate agent | estate agents | property management | "
       "commercial real estate | leasing real estate | specialty realty | real estate agents and brokers | "
       "equipment rental and leasing",
       "53", "construction architecture"),
    _v("architecture", "architecture and design practices", None,
       "architecture | architecture & planning | architecture and planning | architect | architects | "
       "architectural services | design | design services | interior design | landscape architecture | "
       "urban planning | surveying",
       "54131 54132 54134 54137 54141", "engineering construction"),
    _v("engineering", "engineering firms", None,
       "engineering | engineering services | civil engineering | engineers | mechanical or industrial engineering | "
       "structural engineering | environmental services | environmental",
       "54133 54136 54138", "architecture construction manufacturing"),
    _v("construction", "construction", None,
       "construction | builder | builders | building construction | general contractor | contractor | "
       "contractors | special outbound trade contractors | building materials | building supply retail | "
       "plumbing | electrical contractor | hvac | roofing",
       "23", "architecture engineering real_estate"),
    _v("manufacturing", "manufacturing", None,
       "manufacturing | manufacturer | industrial | machinery | electronics | chemicals | apparel | "
       "apparel & fashion | textiles | durable manufacturing | food and tobacco processing | "
       "inbound capital intensive processing | food production | plastics | automotive | aviation & aerospace | "
       "electrical/electronic manufacturing | industrial automation | printing | packaging and containers",
       "31 32 33", "engineering logistics wholesale"),
    _v("logistics", "logistics and transport", None,
       "logistics | logistics and supply chain | transportation | transportation/trucking/railroad | "
       "transportation, logistics, supply chain and storage | shipping | freight | trucking | "
       "truck transportation | warehousing | warehousing and storage | courier | package/freight delivery | "
       "maritime | airlines/aviation | dispatchers and processors | import and export",
       "48 49", "wholesale manufacturing retail"),
    _v("wholesale", "wholesale and distribution", None,
       "wholesale | wholesaler | distribution | distributor | distributors | wholesale trade",
       "42", "logistics retail manufacturing"),
    _v("retail", "retail", None,
       "retail | retailer | shop | store | stores | e-commerce | ecommerce | consumer goods | luxury goods & jewelry | "
       "supermarkets | non-durable merchandise retail | entertainment retail | service retail | vehicle retail | "
       "sporting goods | consumer electronics",
       "44 45", "wholesale hospitality"),
    _v("hospitality", "hospitality", None,
       "hospitality | hotel | hotels | restaurant | restaurants | food & beverages | food and beverage | "
       "food & beverage | eating and drinking places | leisure, travel & tourism | travel | tourism | "
       "catering | leisure | recreation | recreational facilities and services | gambling & casinos | "
       "events services | wine and spirits",
       "72 71", "retail"),
    _v("education", "education", None,
       "education | education management | school | schools | primary/secondary education | "
       "primary and secondary education | higher education | university | college | e-learning | "
       "education administration programs | training | academy",
       "61", "nonprofit government"),
    _v("nonprofit", "non-profits", None,
       "non-profit | nonprofit | not for profit | not-for-profit | non-profit organization management | "
       "non-profit organizations | charity | charities | ngo | foundation | religious institutions | church | "
       "civic & social organization | civic and social organizations | social services | philanthropy | "
       "fund-raising | sig affiliations | association | membership organization",
       "813 624", "education government"),
    _v("government", "public sector", None,
       "government | government administration | government relations | public sector | "
       "government/military | military | public safety | law enforcement | municipality | local government | "
       "public policy | defense & space | judiciary",
       "92", "education nonprofit"),
    _v("technology", "technology companies", None,
       "technology | information technology | information technology & services | it services | "
       "it services and it consulting | computer software | software | software development | internet | "
       "computer & network security | computer hardware | computer networking | semiconductors | "
       "telecommunications | telecom | communications | wireless | asp | erp | msp | "
       "systems integrator | data/telecom oem | managementisv | non-management isv | network equipment enterprise | "
       "optical networking | storage equipment | storage service provider | wireless industry | saas",
       "51 5415", "consulting media"),
    _v("media", "media and marketing", None,
       "media | marketing | marketing & advertising | marketing and advertising | advertising | "
       "advertising services | marketing services | public relations | public relations and communications | "
       "publishing | broadcasting printing and publishing | broadcast media | entertainment | "
       "media production | online media | newspapers | graphic design | photography | music | motion pictures & film",
       "5418 5111 512 515", "technology consulting"),
    _v("consulting", "consulting and business services", None,
       "consulting | management consulting | business consulting and services | business services | "
       "professional services | staffing & recruiting | staffing and recruiting | human resources | "
       "human resources services | outsourcing/offshoring | consumer services | outbound consumer service | "
       "inbound repair and services | executive office | design, direction and creative management | "
       "research | market research | translation and localization",
       "5416 5417 5419 5611 5613 5614", "legal accounting technology"),
    _v("energy", "energy and utilities", None,
       "energy | utilities | utility | oil & energy | oil and gas | petrochemical extraction and distribution | "
       "renewables & environment | renewable energy | mining | mining & metals | "
       "utility creation and distribution | power generation",
       "21 22", "manufacturing engineering"),
    _v("agriculture", "agriculture", None,
       "agriculture | farming | farm | ranching | fishery | dairy | forestry | "
       "agriculture and non-petrol natural resource extraction",
       "11", "manufacturing"),
)
# fmt: on
_BY_KEY: dict[str, Vertical] = {v.key: v for v in VERTICALS}

# Values that say the industry is not known (treated as missing data, not as a mismatch).
_UNKNOWN = {
    "",
    "n",  # "N/A" and "n.a." once "a" is dropped as a filler word
    "other",
    "others",
    "unknown",
    "n a",
    "na",
    "none",
    "not specified",
    "unspecified",
    "not known",
    "tbd",
    "misc",
    "miscellaneous",
    "select",
    "select one",
    "please select",
    "no industry",
    "other industry",
}
_DROP = {"and", "the", "of", "for", "a", "an", "&"}
_GENERIC_WORDS = {
    "practice",
    "practices",
    "firm",
    "firms",
    "office",
    "offices",
    "services",
    "service",
    "company",
    "companies",
    "business",
    "businesses",
    "sector",
    "industry",
    "industries",
    "group",
}
_NAICS = re.compile(r"^(?:naics\s*)?(\d{2,6})(?:\s|$|[-:–])")


def _norm(text: str) -> str:
    """Words without case, accents, punctuation, '&' or 'and': 'Hospital & Health Care' -> 'hospital health care'."""
    text = text or ""
    if not text.isascii():  # (ASCII text has no accents to take off: most names skip the work)
        text = unicodedata.normalize("NFKD", text)
        text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = text.casefold()
    text = text.replace("\u2019", "").replace("'", "")
    return " ".join(w for w in re.split(r"[\W_]+", text) if w and w not in _DROP)


_STEM_SUFFIXES = ("ists", "ist", "ies", "es", "s")


def _stem(word: str) -> str:
    for suffix in _STEM_SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 4 and not word.endswith("ss"):
            return word[: -len(suffix)] + ("y" if suffix == "ies" else "")
    return word


def _build_index() -> tuple[dict[str, str], list[tuple[frozenset[str], int, str]]]:
    phrases: dict[str, str] = {}
    word_sets: list[tuple[frozenset[str], int, str]] = []
    for order, v in enumerate(VERTICALS):
        for name in (v.key.replace("_", " "), v.label, *v.synonyms):
            key = _norm(name)
            if key and key not in phrases:
                phrases[key] = v.key
                word_sets.append((frozenset(_stem(w) for w in key.split()), order, v.key))
    return phrases, word_sets


_PHRASES, _WORD_SETS = _build_index()
_NAME_PHRASES = {_norm(v.key.replace("_", " ")): v.key for v in VERTICALS}


def is_unknown_industry(text: str) -> bool:
    """Whether an industry value says nothing: empty, "Other", "Unknown", "N/A", "-"."""
    return _norm(text) in _UNKNOWN


def _naics(code: str) -> str | None:
    best = None
    for v in VERTICALS:
        for prefix in v.naics:
            if code.startswith(prefix) and (best is None or len(prefix) > best[0]):
                best = (len(prefix), v.key)
    return best[1] if best else None


@lru_cache(maxsize=4096)
def classify(text: str) -> tuple[str | None, str]:
    """The vertical an industry value names and how: (key, "name" | "synonym" | "naics" | "words"), or (None, "")."""
    key = _norm(text)
    if not key or key in _UNKNOWN:
        return None, ""
    m = _NAICS.match(key)
    if m:
        found = _naics(m.group(1))
        if found:
            return found, "naics"
        rest = key[m.end() :].strip()
        if not rest:
            return None, ""
        key = rest
    bare = " ".join(w for w in key.split() if w not in _GENERIC_WORDS)
    if bare in _NAME_PHRASES:
        return _NAME_PHRASES[bare], "name"
    if key in _PHRASES:
        return _PHRASES[key], "synonym"
    stemmed = " ".join(_stem(w) for w in key.split())
    if stemmed in _NAME_PHRASES:
        return _NAME_PHRASES[stemmed], "name"
    words = frozenset(stemmed.split())
    best = None
    for phrase_words, order, vkey in _WORD_SETS:  # the longest known phrase inside the text
        if phrase_words <= words:
            rank = (-len(phrase_words), order)
            if best is None or rank < best[0]:
                best = (rank, vkey)
    return (best[1], "words") if best else (None, "")


def is_broad(key: str) -> bool:
    """Whether a vertical is a broad CRM category with narrower ones under it (healthcare, financial services)."""
    return any(v.parent == key for v in VERTICALS)


def _ancestors(key: str) -> list[str]:
    out = []
    parent = _BY_KEY[key].parent
    while parent is not None and parent not in out:
        out.append(parent)
        parent = _BY_KEY[parent].parent
    return out


def _adjacent(a: str, b: str) -> bool:
    """Next to each other: listed neighbours (either way), siblings, or one the broader category of the other."""
    va, vb = _BY_KEY[a], _BY_KEY[b]
    if b in va.adjacent or a in vb.adjacent:
        return True
    if va.parent is not None and va.parent == vb.parent:
        return True
    return a in _ancestors(b) or b in _ancestors(a)


@dataclass(frozen=True)
class IndustryMatch:
    """How a prospect's industry met the profile: the rule, the profile term it met and the vertical it read as."""

    rule: str  # "exact", "synonym", "adjacent", "none"
    term: str = ""  # the profile's own word that matched
    vertical: str = ""  # the label of the prospect's vertical ("" when the taxonomy does not know it)
    via: str = ""  # how the adjacency came about: "your list", "neighbour", "broader"


def _label(key: str | None) -> str:
    return _BY_KEY[key].label if key else ""


def match_industry(
    industry: str, targets: list[str] | tuple[str, ...], adjacent: list[str] | tuple[str, ...], words_match=None
) -> IndustryMatch:
    """Compare a prospect's industry (a CRM value, plain words or a NAICS code) with the profile's verticals.

    ``words_match(industry, term)`` is the word-by-word fallback for terms the taxonomy does not know.
    """
    pv, how = classify(industry)
    for term in targets:
        tv, _ = classify(term)
        if tv is None or pv is None:
            if words_match is not None and words_match(industry, term):
                return IndustryMatch("exact", term, _label(pv))
            continue
        if pv == tv:
            return IndustryMatch("exact" if how == "name" else "synonym", term, _label(pv))
        if tv in _ancestors(pv):
            return IndustryMatch("synonym", term, _label(pv))
    for term in adjacent:
        tv, _ = classify(term)
        if (pv is not None and tv is not None and (pv == tv or tv in _ancestors(pv))) or (
            (pv is None or tv is None) and words_match is not None and words_match(industry, term)
        ):
            return IndustryMatch("adjacent", term, _label(pv), "your list")
    if pv is not None:
        for term in targets:
            tv, _ = classify(term)
            if tv is not None and _adjacent(pv, tv):
                via = "broader" if pv in _ancestors(tv) else "neighbour"
                return IndustryMatch("adjacent", term, _label(pv), via)
    return IndustryMatch("none", "", _label(pv))
