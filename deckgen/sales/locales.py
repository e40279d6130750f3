"""Which locale and currency a deck speaks, and the Jinja2 filters that use them.

:func:`resolve_locale` picks the deck's locale id (BCP 47, e.g. ``en-GB``) and
ISO 4217 currency for one prospect:

1. locale: the prospect's own ``locale`` if set; otherwise the one usual for
   ``location.country`` (names, ISO codes and a few native spellings are
   understood; Hong Kong prospects whose company name is mostly written in CJK
   characters get ``zh-Hant-HK``, Canadian prospects in Quebec ``fr-CA``);
   otherwise the MSP's ``msp.locale``.
2. currency: the prospect's ``currency`` if set; otherwise the country's;
   otherwise the territory of the prospect's explicit locale; otherwise the
   MSP's ``msp.currency``.

:func:`make_filters` returns the locale-aware template filters ``money``,
``number``, ``percent`` and ``date``. Every filter renders ``None`` as an em
dash, rounds half up (not Babel's default half-even) and never guesses: a value
that is not a number is a :class:`~deckgen.errors.RenderError`.

Note: amounts are never converted between currencies. Prices in the profile are
in the MSP's currency; a deck in another currency shows them as they are (see
``deckgen.sales.costs`` which warns about it).
"""

from __future__ import annotations

import copy
import datetime as _dt
import re
import unicodedata
from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import lru_cache

from babel import Locale, UnknownLocaleError
from babel.core import get_global
from babel.dates import format_date as _babel_format_date
from babel.numbers import NumberPattern, get_territory_currencies, parse_pattern

from deckgen.errors import InputError, RenderError

EMPTY = "—"
DECK_LANGUAGE = "en"  # the language the bundled templates are written in; dates follow it

# ISO 3166 alpha-2 → (locale usual for a business deck there, currency, aliases).
# Aliases are compared after :func:`_norm_country` (case-folded, dots removed).
_COUNTRIES: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "US": ("en-US", "USD", ("usa", "us", "united states", "united states of america", "america")),
    "GB": (
        "en-GB",
        "GBP",
        (
            "gb",
            "gbr",
            "uk",
            "united kingdom",
            "great britain",
            "britain",
            "england",
            "scotland",
            "wales",
            "northern ireland",
        ),
    ),
    "HK": (
        "en-HK",
        "HKD",
        (
            "hk",
            "hkg",
            "hong kong",
            "hongkong",
            "hong kong sar",
            "hong kong sar china",
            "香港",
            "香港特別行政區",
            "香港特别行政区",
        ),
    ),
    "DE": ("de-DE", "EUR", ("de", "deu", "germany", "deutschland")),
    "FR": ("fr-FR", "EUR", ("fr", "fra", "france")),
    "CA": ("en-CA", "CAD", ("ca", "can", "canada")),
    "AU": ("en-AU", "AUD", ("au", "aus", "australia")),
    "SG": ("en-SG", "SGD", ("sg", "sgp", "singapore", "新加坡")),
    "JP": ("ja-JP", "JPY", ("jp", "jpn", "japan", "日本")),
    "CN": (
        "zh-CN",
        "CNY",
        ("cn", "chn", "china", "prc", "mainland china", "people's republic of china", "中国", "中國"),
    ),
    "TW": ("zh-TW", "TWD", ("tw", "twn", "taiwan", "台灣", "臺灣", "台湾")),
    "IE": ("en-IE", "EUR", ("ie", "irl", "ireland", "éire")),
    "NZ": ("en-NZ", "NZD", ("nz", "nzl", "new zealand", "aotearoa")),
    "IN": ("en-IN", "INR", ("in", "ind", "india")),
    "NL": ("nl-NL", "EUR", ("nl", "nld", "netherlands", "the netherlands", "holland", "nederland")),
    "ES": ("es-ES", "EUR", ("es", "esp", "spain", "españa")),
    "IT": ("it-IT", "EUR", ("it", "ita", "italy", "italia")),
    "CH": ("de-CH", "CHF", ("ch", "che", "switzerland", "schweiz", "suisse", "svizzera")),
    "AT": ("de-AT", "EUR", ("at", "aut", "austria", "österreich")),
    "MX": ("es-MX", "MXN", ("mx", "mex", "mexico", "méxico")),
    "AE": ("en-AE", "AED", ("ae", "are", "uae", "united arab emirates")),
    "ZA": ("en-ZA", "ZAR", ("za", "zaf", "south africa")),
}
_QUEBEC = {"quebec", "québec", "qc"}


def _norm_country(text: str) -> str:
    text = unicodedata.normalize("NFC", text).casefold().replace(".", "").strip()
    text = re.sub(r"\s+", " ", text)
    return text[4:] if text.startswith("the ") else text


@lru_cache(maxsize=1)
def _own_index() -> dict[str, str]:
    """deckgen's own names and codes of the countries in :data:`_COUNTRIES` (they win over Babel's)."""
    return {_norm_country(alias): code for code, (_, _, aliases) in _COUNTRIES.items() for alias in aliases}


@lru_cache(maxsize=1)
def _country_index() -> dict[str, str]:
    """Every name :func:`country_code` knows; Babel's English territory names cover the rest of the world.

    Built only for a name the own table lacks: reading Babel's territory names costs ~50 ms.
    """
    index: dict[str, str] = {}
    for code, name in Locale("en").territories.items():
        if len(code) == 2 and code.isalpha():
            index.setdefault(_norm_country(name), code)
            index.setdefault(code.casefold(), code)
    index.update(_own_index())
    return index


@lru_cache(maxsize=1024)  # pure, and asked about the same few countries for every deck
def country_code(text: str | None) -> str | None:
    """Return the ISO 3166 alpha-2 code for a country name or code, or None if unknown.

    >>> country_code("United Kingdom"), country_code("usa"), country_code("香港")
    ('GB', 'US', 'HK')
    """
    if not text or not text.strip():
        return None
    key = _norm_country(text)
    return _own_index().get(key) or _country_index().get(key)


def normalise_locale(tag: str) -> str:
    """``en_gb`` / ``EN-GB`` → ``en-GB``; raise InputError for a locale Babel does not know."""
    return _to_tag(_parse_locale(tag))


@lru_cache(maxsize=256)  # the same few locales deck after deck (a Locale is only read from)
def _parse_locale(tag: str) -> Locale:
    raw = (tag or "").strip().replace("_", "-")
    try:
        return Locale.parse(raw, sep="-")
    except (UnknownLocaleError, ValueError, TypeError):
        raise InputError(
            f"unknown locale '{tag}'; use a language-COUNTRY id such as en-US, en-GB or zh-Hant-HK", field="locale"
        ) from None


def _to_tag(loc: Locale) -> str:
    return "-".join(p for p in (loc.language, loc.script, loc.territory, loc.variant) if p)


def _country_locale(code: str, prospect) -> tuple[str, str]:
    if code in _COUNTRIES:
        locale, currency, _ = _COUNTRIES[code]
        if code == "HK" and mostly_cjk(getattr(prospect, "company", "")):
            locale = "zh-Hant-HK"
        elif code == "CA" and _norm_country(getattr(prospect.location, "region", "") or "") in _QUEBEC:
            locale = "fr-CA"
        return locale, currency
    # Not in our table: Babel's likely-subtags data ("und_BR" → "pt_Latn_BR").
    likely = get_global("likely_subtags").get(f"und_{code}")
    locale = None
    if likely:
        try:
            loc = Locale.parse(likely)
            locale = _to_tag(Locale(loc.language, territory=code, script=loc.script if loc.language == "zh" else None))
            Locale.parse(locale, sep="-")
        except (UnknownLocaleError, ValueError):
            locale = None
    currencies = get_territory_currencies(code)
    return locale or "", currencies[0] if currencies else ""


# kana, CJK ideographs, Hangul, compatibility ideographs and the supplementary ideographic plane (code points:
# a regular expression over these ranges takes ~10 ms to compile when deckgen starts)
_CJK = ((0x3040, 0x30FF), (0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xAC00, 0xD7AF), (0xF900, 0xFAFF), (0x20000, 0x2FFFF))


def _is_cjk(ch: str) -> bool:
    point = ord(ch)
    return point >= 0x3040 and any(low <= point <= high for low, high in _CJK)


def mostly_cjk(text: str) -> bool:
    """True when more than half of the letters in ``text`` are Chinese, Japanese or Korean."""
    if not text or max(text) < "\u3040":  # nothing from the first CJK block up: no CJK letter at all
        return False
    letters = [c for c in text or "" if c.isalpha()]
    if not letters:
        return False
    return sum(1 for c in letters if _is_cjk(c)) * 2 > len(letters)


def resolve_locale(prospect, profile=None) -> tuple[str, str]:
    """Return ``(locale id, ISO currency)`` for the deck of ``prospect``.

    ``profile`` may be None (then ``en-US``/``USD`` are the last resort).
    Raises InputError when the prospect's or the MSP's locale is not a real one.
    """
    msp = getattr(profile, "msp", None)
    code = country_code(prospect.location.country) if prospect is not None else None
    country_locale, country_currency = _country_locale(code, prospect) if code else ("", "")

    explicit = None
    if prospect is not None and prospect.locale:
        explicit = _parse_locale(prospect.locale)
        locale = _to_tag(explicit)
    elif country_locale:
        locale = country_locale
    elif msp is not None and msp.locale:
        try:
            locale = normalise_locale(msp.locale)
        except InputError as exc:
            exc.field, exc.source = "msp.locale", "profile"
            raise
    else:
        locale = "en-US"

    if prospect is not None and prospect.currency:
        currency = prospect.currency
    elif country_currency:
        currency = country_currency
    elif explicit is not None and explicit.territory and get_territory_currencies(explicit.territory):
        currency = get_territory_currencies(explicit.territory)[0]
    elif msp is not None:
        currency = msp.currency
    else:
        currency = "USD"
    return locale, currency


# --------------------------------------------------------------------------- filters


_CURRENCY_CODE = re.compile(r"[A-Z]{3}")


def _decimal(value, what: str) -> Decimal | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise RenderError(f"{what}: expected a number, got {value!r}")
    try:
        number = Decimal(str(value).strip()) if not isinstance(value, Decimal) else value
    except (InvalidOperation, ValueError):
        raise RenderError(f"{what}: expected a number, got {str(value)[:40]!r}") from None
    if not number.is_finite():
        raise RenderError(f"{what}: expected a finite number, got {value!r}")
    return number


def _digits(digits, what: str) -> int:
    try:
        d = int(digits)
    except (TypeError, ValueError):
        raise RenderError(f"{what}: digits must be a whole number, got {digits!r}") from None
    if not 0 <= d <= 6:
        raise RenderError(f"{what}: digits must be between 0 and 6, got {d}")
    return d


def _with_digits(pattern: NumberPattern, digits: int) -> NumberPattern:
    pat = copy.copy(pattern)
    pat.frac_prec = (digits, digits)
    return pat


_QUANTA = tuple(Decimal(1).scaleb(-d) for d in range(9))  # 1, 0.1 … 1E-8: what _round quantizes to


def _round(number: Decimal, digits: int) -> Decimal:
    quantum = _QUANTA[digits] if 0 <= digits < len(_QUANTA) else Decimal(1).scaleb(-digits)
    return number.quantize(quantum, rounding=ROUND_HALF_UP)


def _remember(written: dict, key: tuple, text: str, limit: int = 1024) -> str:
    """Keep ``text`` (a filter's: applying a pattern costs ~0.1 ms, and the same figures recur deck after deck)."""
    if len(written) >= limit:  # bounded: start again
        written.clear()
    written[key] = text
    return text


def date_locale(loc: Locale, language: str = DECK_LANGUAGE) -> Locale:
    """The locale dates are written in: the deck's language with the locale's territory (zh-Hant-HK → en-HK).

    A deck whose text is English gets an English date even when the prospect's locale is Chinese;
    the territory keeps the local order (25 November 2026 in Hong Kong, November 25, 2026 in the US).
    """
    if loc.language == language:
        return loc
    for candidate in (f"{language}_{loc.territory}" if loc.territory else "", language):
        if not candidate:
            continue
        try:
            return Locale.parse(candidate)
        except (UnknownLocaleError, ValueError):
            continue
    return loc


def make_filters(locale: str, currency: str, language: str = DECK_LANGUAGE) -> dict[str, Callable]:
    """Return the Jinja2 filters ``money``, ``number``, ``percent`` and ``date`` for a locale.

    Money follows ``locale`` (the prospect's currency conventions: ``12.345 €`` in de-DE); numbers and
    percentages sit inside the deck's sentences, so they follow ``language`` (the deck's, English for
    the bundled templates: ``60%`` and ``1,234.5``, not the German ``60 %`` and ``1.234,5``), keeping the
    locale's own conventions when it speaks that language (en-IN ``12,34,567``); dates are written in
    ``language`` with the locale's territory, see :func:`date_locale`.

    ``money(12345, digits=0)`` → ``$12,345`` (en-US/USD), ``£12,345`` (en-GB/GBP),
    ``HK$12,345`` (any locale/HKD); ``percent(0.25)`` → ``25%``; ``date(d)`` →
    ``25 November 2026`` (en-GB) or ``November 25, 2026`` (en-US). ``None`` → ``—``.
    """
    loc = _parse_locale(locale)
    default_currency = (currency or "").strip().upper()
    if not _CURRENCY_CODE.fullmatch(default_currency):
        raise InputError(f"unknown currency '{currency}'; use an ISO code such as USD, GBP or HKD", field="currency")
    currency_pattern = parse_pattern(loc.currency_formats["standard"])
    text_loc = loc if loc.language == language else _parse_locale(language)
    decimal_pattern = parse_pattern(text_loc.decimal_formats[None])
    percent_pattern = parse_pattern(text_loc.percent_formats[None])
    date_loc = date_locale(loc, language)
    # each pattern with 0…6 decimals, made once (applying a pattern only reads it)
    currency_patterns = [_with_digits(currency_pattern, d) for d in range(7)]
    decimal_patterns = [_with_digits(decimal_pattern, d) for d in range(7)]
    percent_patterns = [_with_digits(percent_pattern, d) for d in range(7)]

    written: dict[tuple, str] = {}  # texts by the rounded number's text (its sign, digits, exponent: "-0" ≠ "0")

    def money(value, currency: str | None = None, digits: int = 0) -> str:
        number = _decimal(value, "money")
        if number is None:
            return EMPTY
        d = _digits(digits, "money")
        code = (currency or default_currency).strip().upper()
        if code != default_currency and not _CURRENCY_CODE.fullmatch(code):
            raise RenderError(f"money: unknown currency {currency!r}")
        rounded = _round(number, d)
        if (text := written.get(key := (code, d, str(rounded)))) is None:
            text = currency_patterns[d].apply(rounded, loc, currency=code, currency_digits=False)
            if code == "HKD" and "HK$" not in text and "HKD" not in text:
                text = text.replace("$", "HK$", 1)  # never a bare "$" for Hong Kong dollars
            text = _remember(written, key, text)
        return text

    def number(value, digits: int = 0) -> str:
        num = _decimal(value, "number")
        if num is None:
            return EMPTY
        rounded = _round(num, d := _digits(digits, "number"))
        if (text := written.get(key := ("number", d, str(rounded)))) is None:
            text = _remember(written, key, decimal_patterns[d].apply(rounded, text_loc))
        return text

    def percent(value, digits: int = 0) -> str:
        num = _decimal(value, "percent")
        if num is None:
            return EMPTY
        rounded = _round(num, (d := _digits(digits, "percent")) + 2)
        if (text := written.get(key := ("percent", d, str(rounded)))) is None:
            text = _remember(written, key, percent_patterns[d].apply(rounded, text_loc))
        return text

    def date(value, format: str = "long") -> str:  # noqa: A002 - the filter's public argument name
        if value is None or (isinstance(value, str) and not value.strip()):
            return EMPTY
        if isinstance(value, str):
            try:
                value = _dt.date.fromisoformat(value.strip()[:10])
            except ValueError:
                raise RenderError(f"date: expected a date like 2026-11-25, got {value[:40]!r}") from None
        elif isinstance(value, _dt.datetime):
            value = value.date()
        elif not isinstance(value, _dt.date):
            raise RenderError(f"date: expected a date, got {type(value).__name__}")
        try:
            return _babel_format_date(value, format=format, locale=date_loc)
        except (ValueError, KeyError, AttributeError):
            raise RenderError(f"date: unknown format {format!r}; use short, medium, long or full") from None

    return {"money": money, "number": number, "percent": percent, "date": date}
