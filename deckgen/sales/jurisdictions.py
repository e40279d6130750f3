"""Which country's law a compliance framework is: so a deck never presents another country's rules as theirs. Pure.

HIPAA is a US law: a Canadian clinic whose compliance needs are not recorded should not read "HIPAA
risk assessments kept current" as proof meant for them. Frameworks that are not one country's law
(SOC 2, PCI DSS, ISO 27001) apply anywhere and are not listed. A framework the prospect records as
needed is theirs, wherever it comes from (a Canadian clinic billing US patients may need HIPAA):
the table only speaks while their needs are unknown.
"""

from __future__ import annotations

from collections.abc import Iterable

from deckgen.sales.locales import country_code
from deckgen.sales.matching import framework_key

_EU = frozenset(
    "AT BE BG HR CY CZ DK EE FI FR DE GR HU IE IT LV LT LU MT NL PL PT RO SK SI ES SE".split()
)  # the EU's 27 members
_EEA = _EU | {"IS", "LI", "NO"}

# framework key (deckgen.sales.matching.framework_key) -> the countries (ISO alpha-2) whose law it is
FRAMEWORK_COUNTRIES: dict[str, frozenset[str]] = {
    "hipaa": frozenset({"US"}),
    "sox": frozenset({"US"}),
    "glba": frozenset({"US"}),
    "cmmc": frozenset({"US"}),
    "ferpa": frozenset({"US"}),
    "ccpa": frozenset({"US"}),
    "nist800171": frozenset({"US"}),
    "gdpr": _EEA | {"GB"},  # the UK kept it as UK GDPR
    "ukgdpr": frozenset({"GB"}),
    "nis2": _EU,
    "dora": _EU,
    "cyberessentials": frozenset({"GB"}),
    "cyberessentialsplus": frozenset({"GB"}),
    "pipeda": frozenset({"CA"}),
    "phipa": frozenset({"CA"}),
    "pdpo": frozenset({"HK"}),
    "essentialeight": frozenset({"AU"}),
    "lgpd": frozenset({"BR"}),
    "popia": frozenset({"ZA"}),
}


def is_foreign(framework: str, country: str | None) -> bool:
    """True when ``framework`` is the law of other countries than ``country`` (a name or a code).

    An unknown country, or a framework that is no country's law, is never foreign.
    """
    code = country_code(country)
    where = FRAMEWORK_COUNTRIES.get(framework_key(framework))
    return bool(code and where) and code not in where


def foreign_frameworks(frameworks: Iterable[str], country: str | None) -> set[str]:
    """The keys of those ``frameworks`` that are another country's law (see :func:`is_foreign`)."""
    return {framework_key(f) for f in frameworks if is_foreign(f, country)}


__all__ = ["FRAMEWORK_COUNTRIES", "foreign_frameworks", "is_foreign"]
