"""Numbers as CRMs and people write them, read in linear time.

``$2M``, ``€1.2m``, ``2 Mio.``, ``1.234,5``, ``1 234``, ``(1,234)``, ``5.0E7``, ranges (``10-50M``,
``1,000-5,000``, ``51 to 200``: the middle, with a note), bounds (``50+``, ``>100``, ``up to 20``: the
bound, with a note). Text that looks like a date (``12/31/2025``, ``2025-12-31``), a time (``12:30``)
or a fraction (``3/4``) is refused with the reason: read as digits it would be a silent misread.

No regular expression here can backtrack: every pattern is anchored and has no nested or
adjacent unbounded repeats, and cells longer than :data:`MAX_NUMBER_TEXT` are refused before
any parsing (and before Unicode normalisation, which can make one character 18), so a 30 KB or
100,000-digit cell costs microseconds and a 1 MiB one a millisecond.
"""

from __future__ import annotations

import math
import re
import unicodedata

__all__ = ["MAX_NUMBER_TEXT", "NotANumber", "parse_number", "show_number", "written_currency"]

MAX_NUMBER_TEXT = 64
_MAX_RAW_TEXT = 2 * MAX_NUMBER_TEXT  # room for accents typed as two characters ("salariés" from a Mac)

_CURRENCY_CODES = frozenset(
    "usd eur gbp chf cad aud nzd jpy cny rmb hkd sgd inr sek nok dkk pln czk huf zar brl mxn aed sar krw twd ils "
    "try ron bgn isk".split()
)
_CURRENCY_PREFIXES = ("us$", "hk$", "nz$", "a$", "c$", "s$", "r$", "au$", "ca$", "sg$", "nt$")
_PREFIX_CODES = {
    "us$": "USD", "hk$": "HKD", "nz$": "NZD", "a$": "AUD", "au$": "AUD", "c$": "CAD", "ca$": "CAD", "s$": "SGD",
    "sg$": "SGD", "r$": "BRL", "nt$": "TWD",
}  # fmt: skip
# symbols that name one currency; "$" and "¥" name a family ("$": USD, CAD, AUD ...), said as they are
_SYMBOL_CODES = {"€": "EUR", "£": "GBP", "₹": "INR", "₩": "KRW", "₪": "ILS", "₺": "TRY", "₱": "PHP", "₫": "VND"}
_MULTIPLIERS = {
    "k": 1e3, "thousand": 1e3, "tsd": 1e3, "tsd.": 1e3, "t": 1e3, "m": 1e6, "mm": 1e6, "mn": 1e6, "mio": 1e6,
    "million": 1e6, "millions": 1e6, "mil": 1e6, "b": 1e9, "bn": 1e9, "billion": 1e9, "billions": 1e9,
    "mrd": 1e9, "md": 1e9, "lakh": 1e5, "lakhs": 1e5, "crore": 1e7, "crores": 1e7,
}  # fmt: skip
_UNITS = frozenset(
    "employees employee users user staff people persons seats fte ftes heads mitarbeiter ma mitarbeitende "
    "salariés salaries employés empleados devices endpoints pcs computers sites locations offices".split()
)
_DATE = re.compile(r"\d{1,4}[/.\-]\d{1,2}[/.\-]\d{1,4}(?:[ t]\d{1,2}:\d{2}(?::\d{2})?)?")
_TIME = re.compile(r"\d{1,2}:\d{2}(?::\d{2})?(?: ?[ap]\.?m\.?)?")
_FRACTION = re.compile(r"\d{1,9} ?/ ?\d{1,9}")
_ISO_MONTH = re.compile(r"(?:19|20)\d\d-(?:0[1-9]|1[0-2])")
_CORE = re.compile(r"[0-9][0-9.,]*|[.,][0-9][0-9.,]*")
_LOWER = ("<", "≤", "under ", "less than ", "up to ", "below ", "max ", "max. ", "bis ")
_UPPER = (">", "≥", "over ", "more than ", "above ", "at least ", "min ", "min. ", "ab ", "plus de ")
_RANGE_WORDS = (" to ", " bis ", " à ", " a ", " till ", " until ")
# "about 40" in the languages of the CRMs' users; longest first, each ends where the number may start
_APPROX_BEFORE = (
    "approximately", "approx.", "approx", "appr.", "about", "around", "roughly", "circa", "ca.", "ca", "c.", "c",
    "~", "≈", "environ", "env.", "etwa", "ungefähr", "rund", "ongeveer", "aproximadamente", "aprox.", "est.",
)  # fmt: skip
_APPROX_AFTER = ("(approx.)", "(approx)", "approx.", "approx", "-ish", "ish", "-odd", "odd", "or so", "~", "ca.")


class NotANumber(ValueError):
    """Text that is not a number; ``reason`` says why in words ("looks like a date")."""

    def __init__(self, text: str, reason: str = "") -> None:
        super().__init__(text)
        self.reason = reason


def show_number(value: float) -> str:
    """A number the way a reader checks it: ``3000000`` -> ``3,000,000``, ``2.5`` -> ``2.5``."""
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def parse_number(text: str) -> tuple[float, str | None]:
    """Read a number; returns (value, note) where note explains a range or a bound. Raises NotANumber."""
    raw = text.strip()
    if len(raw) > _MAX_RAW_TEXT:  # before NFKC, which turns one character into as many as 18
        raise NotANumber(text, f"is not a number (longer than {MAX_NUMBER_TEXT} characters)")
    s = unicodedata.normalize("NFKC", raw).strip().casefold()
    if len(s) > MAX_NUMBER_TEXT:
        raise NotANumber(text, f"is not a number (longer than {MAX_NUMBER_TEXT} characters)")
    s = s.replace("\u2212", "-").replace("\u2013", "-").replace("\u2014", "-")
    _refuse_dates(text, s)
    try:
        return _plain(s), None
    except NotANumber:
        pass
    shown = text.strip()
    rest = _without_approximation(s)
    if rest is not None:
        value, _ = parse_number(rest)
        return value, f"'{shown}' read as {show_number(value)} (approximate)"
    for words, kind in ((_UPPER, "at least"), (_LOWER, "at most")):
        for word in words:
            if s.startswith(word):
                value = _plain(s[len(word) :].strip())
                return value, f"'{shown}' read as {show_number(value)} ({kind})"
    if s.endswith("+") or s.endswith(" plus"):
        value = _plain(s.removesuffix("+").removesuffix(" plus").strip())
        return value, f"'{shown}' read as {show_number(value)} (at least)"
    low, high = _split_range(s)
    if low is not None:
        lo_mult, hi_mult = _multiplier_of(low), _multiplier_of(high)
        if lo_mult is None and hi_mult is not None:
            low = low + " " + hi_mult  # "10-50M": both ends in millions
        lo, hi = _plain(low), _plain(high)
        if hi >= lo:
            mid = (lo + hi) / 2
            return mid, f"'{shown}' is a range; used the middle, {show_number(mid)}"
    raise NotANumber(text)


def _without_approximation(s: str) -> str | None:
    """The number in 'approx. 40', '~40', 'ca. 40', '40-ish' without the approximation, or None."""
    for word in _APPROX_BEFORE:
        if s.startswith(word):
            rest = s[len(word) :]
            if rest[:1].isdigit() or (rest[:1] in " .$€£" and rest.strip(" .")):
                return rest.strip(" .")
    for word in _APPROX_AFTER:
        if s.endswith(word):
            rest = s[: -len(word)].rstrip(" -")
            if rest[-1:].isdigit() or rest[-1:].isalpha():
                return rest
    return None


def _refuse_dates(text: str, s: str) -> None:
    bare = s.strip("() ")
    if _DATE.fullmatch(bare) or _ISO_MONTH.fullmatch(bare):
        raise NotANumber(text, "looks like a date, not a number")
    if _TIME.fullmatch(bare):
        raise NotANumber(text, "looks like a time, not a number")
    if _FRACTION.fullmatch(bare):
        raise NotANumber(text, "looks like a fraction or a date, not a number (write a decimal like 0.75)")
    if ":" in bare or "/" in bare:
        raise NotANumber(text, "has a ':' or '/' a number does not have")


def _split_range(s: str) -> tuple[str | None, str]:
    for word in _RANGE_WORDS:
        i = s.find(word)
        if i > 0:
            return s[:i].strip(), s[i + len(word) :].strip()
    i = s.find("-", 1)  # a leading '-' is a sign
    while i > 0:
        before = s[:i].rstrip()
        if before and (before[-1].isdigit() or before[-1].isalpha() or before[-1] == "."):
            return before, s[i + 1 :].strip()
        i = s.find("-", i + 1)
    return None, ""


def _trailing_word(s: str) -> tuple[str, str]:
    """(text before, the letters (and a dot) it ends with): '1.5 mio.' -> ('1.5', 'mio.')."""
    end = len(s)
    i = end
    while i > 0 and (s[i - 1].isalpha() or (s[i - 1] == "." and i == end)):
        i -= 1
    return s[:i].rstrip(), s[i:end]


def _multiplier_of(s: str) -> str | None:
    _, word = _trailing_word(s.strip())
    return word if word.rstrip(".") in _MULTIPLIERS else None


def written_currency(text: str) -> str | None:
    """The currency an amount names: 'GBP 800,000' -> 'GBP', '€1.2M' -> 'EUR', 'US$ 5' -> 'USD', '$5' -> '$',
    '¥500' -> '¥'; None when it names none (or two different ones)."""
    s = unicodedata.normalize("NFKC", text[:_MAX_RAW_TEXT]).strip().casefold()
    found: set[str] = set()
    for prefix, code in _PREFIX_CODES.items():
        if s.startswith(prefix) or s.startswith("(" + prefix):
            found.add(code)
    for m in re.finditer(r"[a-z]+", s):
        word = m.group()
        if word in _CURRENCY_CODES and len(word) == 3:
            found.add("CNY" if word == "rmb" else word.upper())
    for ch in s:
        if unicodedata.category(ch) == "Sc":
            if ch in _SYMBOL_CODES:
                found.add(_SYMBOL_CODES[ch])
            elif ch in "$¥" and not found:
                found.add(ch)
    if len(found) > 1 and "$" in found:
        found.discard("$")
    return found.pop() if len(found) == 1 else None


def _strip_currency(s: str) -> str:
    for prefix in _CURRENCY_PREFIXES:
        if s.startswith(prefix):
            s = s[len(prefix) :].lstrip()
            break
    for _ in range(2):
        if s[:3] in _CURRENCY_CODES and (len(s) == 3 or not s[3].isalpha()):
            s = s[3:].lstrip(" .")
        if s[-3:] in _CURRENCY_CODES and (len(s) == 3 or not s[-4].isalpha()):
            s = s[:-3].rstrip(" .")
    return "".join(ch for ch in s if unicodedata.category(ch) != "Sc").strip()


def _plain(s: str) -> float:
    """One number with its sign, currency, separators and multiplier; NotANumber if it is not one."""
    original = s
    negative = False
    if s.startswith("(") and s.endswith(")"):
        negative, s = True, s[1:-1].strip()
    s = _strip_currency(s)
    if s and s[0] in "+-":
        negative ^= s[0] == "-"
        s = _strip_currency(s[1:].strip())
    s, word = _trailing_word(s)
    if word.rstrip(".") in _UNITS:  # "50 employees", "120 Mitarbeiter"
        s, word = _trailing_word(s)
    mult = 1.0
    if word:
        key = word.rstrip(".")
        if key not in _MULTIPLIERS:
            if not (key.startswith("e") or key == ""):
                raise NotANumber(original)
            s += word
        else:
            mult = _MULTIPLIERS[key]
    # thousands separators: space, apostrophe, Swiss Windows' typographic apostrophe (U+2019), narrow NBSP
    s = s.strip().replace(" ", "").replace("'", "").replace("\u2019", "").replace("_", "").replace("\u202f", "")
    exponent = ""
    e = s.find("e")
    if e > 0:
        s, exponent = s[:e], s[e + 1 :]
        if not (exponent.lstrip("+-").isdigit() and len(exponent) <= 4):
            raise NotANumber(original)
    if not s or not _CORE.fullmatch(s):
        raise NotANumber(original)
    value = float(_decimal_point(s) + (f"e{exponent}" if exponent else "")) * mult
    if not math.isfinite(value):
        raise NotANumber(original)
    return -value if negative else value


def _decimal_point(digits: str) -> str:
    """'1,234.5' / '1.234,5' / '1 234' / '1.500' -> a plain decimal number."""
    has_comma, has_dot = "," in digits, "." in digits
    if has_comma and has_dot:
        if digits.rfind(",") > digits.rfind("."):
            digits = digits.replace(".", "").replace(",", ".")
        else:
            digits = digits.replace(",", "")
        if digits.count(".") > 1:
            raise NotANumber(digits)
        return digits
    sep = "," if has_comma else "." if has_dot else None
    if sep is None:
        return digits
    parts = digits.split(sep)
    if len(parts) > 2:  # 1,234,567 or 1.234.567 (or Indian 1,23,456)
        if any(not p or len(p) > 3 for p in parts[1:]) or len(parts[-1]) != 3 or not parts[0]:
            raise NotANumber(digits)
        return "".join(parts)
    head, tail = parts
    if not tail:
        return head or "0"
    if len(tail) == 3 and 1 <= len(head) <= 3 and head != "0":
        return head + tail  # a thousands separator: 1,500 or 1.500
    return (head or "0") + "." + tail
