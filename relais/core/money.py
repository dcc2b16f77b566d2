"""Money: exact Decimal amounts, each with its currency, written as each language writes them.

The one place that knows how many decimals a currency has, how amounts are rounded and how
they are written: `206 850 000 FCFA` (fr), `206,850,000 FCFA` (en, ar), `206.850.000 FCFA` (pt).
Digits are always Latin, also in Arabic. Babel gives the separators; the currency's short name
follows the number in every language, as the committees write it.
"""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import cache

from babel.numbers import get_decimal_symbol, get_group_symbol
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

# ISO code → (decimals, the short name written after amounts)
CURRENCIES = {
    "XOF": (0, "FCFA"),
    "GNF": (0, "GNF"),
    "GMD": (2, "GMD"),
    "MRU": (2, "MRU"),
    "EUR": (2, "EUR"),
    "USD": (2, "USD"),
}
CURRENCY_CHOICES = [
    ("XOF", _("West African CFA franc (XOF)")),
    ("GNF", _("Guinean franc (GNF)")),
    ("GMD", _("Gambian dalasi (GMD)")),
    ("MRU", _("Mauritanian ouguiya (MRU)")),
    ("EUR", _("Euro (EUR)")),
    ("USD", _("US dollar (USD)")),
]
# Exact and fixed since 1999.
XOF_PER_EUR = Decimal("655.957")

# Babel's locales for the interface languages; Arabic keeps Latin digits.
_BABEL_LOCALES = {"fr": "fr", "en": "en", "pt": "pt", "ar": "ar"}


def _locale(lang=None):
    lang = (lang or get_language() or "fr").split("-")[0]
    return _BABEL_LOCALES.get(lang, "fr")


def separators(lang):
    """The (thousands, decimal) separators of a language, for Django's number formats too."""
    return _separators(_locale(lang))


@cache
def _separators(loc):
    return (
        get_group_symbol(loc, numbering_system="latn"),
        get_decimal_symbol(loc, numbering_system="latn"),
    )


def decimals(currency):
    return CURRENCIES[currency][0]


def quantum(currency):
    return Decimal(1).scaleb(-decimals(currency))


def round_amount(value, currency):
    """Round once, half up, to the currency's unit (1 FCFA, 0.01 GMD).

    `value` is a Decimal, an int or a numeric string; a float is refused with a TypeError,
    since it is not the amount that was written (0.1 is not one tenth)."""
    if isinstance(value, float):
        raise TypeError(
            f"round_amount() takes a Decimal, an int or a numeric string, not the float "
            f"{value!r}: money is never a float."
        )
    return Decimal(value).quantize(quantum(currency), rounding=ROUND_HALF_UP)


def to_decimal(value):
    """A Decimal from a Decimal, int or numeric string; floats are refused (they are not exact)."""
    if isinstance(value, float):
        raise TypeError("Money is never a float; pass a Decimal or a string.")
    try:
        return Decimal(value)
    except (InvalidOperation, TypeError, ValueError) as exc:
        raise ValueError(f"Not an amount: {value!r}") from exc


def format_number(value, places=0, lang=None):
    """A number with the language's separators and Latin digits, `places` decimals.

    Writes what Babel's `#,##0.00` pattern writes (a test holds them equal), from Babel's
    separators, without parsing a pattern per call: a 500-activity plan prints 1 500 numbers,
    and format_decimal takes 100 µs each."""
    value = Decimal(value).quantize(
        _QUANTA.get(places) or Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP
    )
    if not value:
        value = abs(value)  # no "-0"
    group, point = _separators(_locale(lang))
    return f"{value:,.{places}f}".translate({44: group, 46: point})  # "," and "."


_QUANTA = {places: Decimal(1).scaleb(-places) for places in range(10)}


def format_rate(value, lang=None):
    """A rate or a quantity with only the decimals it has: 655.957 → "655,957", 55.500000 →
    "55,5", 9800.000000 → "9 800" (in French)."""
    places = max(0, -Decimal(value).normalize().as_tuple().exponent)
    return format_number(value, places, lang)


def format_money(value, currency, lang=None):
    """`206 850 000 FCFA`: the amount rounded to its currency's unit, then its short name."""
    if value is None:
        return ""
    places, label = CURRENCIES.get(currency, (2, currency))
    return f"{format_number(value, places, lang)}\N{NO-BREAK SPACE}{label}"
