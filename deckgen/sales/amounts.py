"""Amounts a prospect list writes in another currency than the prospect's deck: converted, or unknown.

A CRM row for a US company may say "GBP 800,000.00" (a UK parent's revenue, a figure copied from a
British filing), a UK row "€1.2M". Read as the deck's currency such a figure is off by the exchange
rate, and every cost and budget built on it with it. :class:`AmountCurrencies` is what the loader
asks about each amount that names a currency (see ``deckgen.load.crm.rows``): one in the deck's
currency stays; one in another currency is converted with the profile's ``exchange_rates`` (each
rate is units of that currency per unit of ``msp.currency``) and the row says so; without a rate
for both currencies, or for a bare "$" or "¥" in a deck of another currency, the figure is left
unknown with a warning, rather than silently read at the wrong scale.
"""

from __future__ import annotations

from fractions import Fraction

from deckgen.errors import DeckgenError
from deckgen.model import Profile, Prospect
from deckgen.sales.costs import exchange_rate
from deckgen.sales.locales import make_filters, resolve_locale

__all__ = ["AmountCurrencies", "given_as_notes"]

# the currencies a bare symbol may mean
_FAMILIES = {
    "$": ("USD", "CAD", "AUD", "NZD", "HKD", "SGD", "TWD", "MXN", "BRL"),
    "¥": ("JPY", "CNY"),
}


class AmountCurrencies:
    """For a prospect's amounts that name a currency: the value each takes in the deck's currency."""

    def __init__(self, profile: Profile) -> None:
        self.profile = profile

    def __call__(self, prospect: Prospect, amounts: list[tuple[str, str, str, float]]):
        """For each ``(field path, currency written, text, value)``: ``(field path, value or None, why)`` where
        the value changes (converted, or None for unknown); amounts already in the deck's currency are left out."""
        try:
            _, deck = resolve_locale(prospect, self.profile)
        except DeckgenError:
            deck = prospect.currency or self.profile.msp.currency
        out = []
        for path, code, text, value in amounts:
            if code == deck or deck in _FAMILIES.get(code, ()):
                continue
            shown = f"'{text}'"
            if code in _FAMILIES:
                out.append(
                    (
                        path,
                        None,
                        f"{shown} does not say which {code} it is, and this prospect's figures are in {deck}: left "
                        f"as unknown rather than read as {deck} (write the currency code, e.g. USD {_plain(value)})",
                    )
                )
                continue
            src, dst = exchange_rate(self.profile, code), exchange_rate(self.profile, deck)
            if src is None or dst is None:
                missing = " and ".join(c for c, r in ((code, src), (deck, dst)) if r is None)
                out.append(
                    (
                        path,
                        None,
                        f"{shown} is in {code} but this prospect's figures are in {deck}, and your profile has no "
                        f"exchange rate for {missing}: left as unknown rather than read as {deck} {_plain(value)} "
                        f"(add {missing} to exchange_rates in the profile, or write the amount in {deck})",
                    )
                )
                continue
            cross = dst / src  # units of the deck's currency per unit of the written one
            exact = float(Fraction(str(value)) * cross)
            converted = float(round(exact)) if exact >= 1000 else round(exact, 2)  # revenue in whole units
            out.append(
                (
                    path,
                    converted,
                    f"{shown} is in {code}; converted to {deck} {_plain(converted)} at your profile's exchange "
                    f"rates (1 {code} = {float(cross):.4g} {deck})",
                )
            )
        return out


def _plain(value: float) -> str:
    return f"{int(value):,}" if float(value).is_integer() else f"{value:,.2f}"


_GIVEN_LABELS = {
    "budget_per_user_month": "budget",
    "numbers.annual_revenue": "annual revenue",
    "numbers.hourly_wage": "hourly wage",
    "numbers.it_spend_per_month": "IT spend",
}


def given_as_notes(prospect: Prospect, profile: Profile, currency: str, locale: str = "") -> list[str]:
    """For the seller: each amount the list gave in another currency and the loader converted (``given_as``),
    what it was and at what rate ("Their budget was given as USD 150; at 0.79 that is £118.50."), so a figure on
    the deck or in the coaching can be traced and checked with the prospect."""
    out = []
    for path, (code, amount) in prospect.given_as.items():
        node = prospect
        for part in path.split("."):
            node = getattr(node, part, None)
        src, dst = exchange_rate(profile, code), exchange_rate(profile, currency)
        if not isinstance(node, int | float) or src is None or dst is None:
            continue
        # to the cent, as converted (money_text drops the cents of sums over 100: "£119" would not add up)
        now = make_filters(locale or "en", currency)["money"](node, digits=0 if float(node).is_integer() else 2)
        label = _GIVEN_LABELS.get(path, path)
        out.append(
            f"Their {label} was given as {code} {_plain(amount)}; at {float(dst / src):.4g} that is {now} "
            "(exchange_rates in your profile)."
        )
    return out
