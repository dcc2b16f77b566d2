"""Money: exact Decimal amounts, each with its currency, written as each language writes them.

The one place that knows how many decimals a currency has, how amounts are rounded and how
they are written: `206 850 000 FCFA` (fr), `206,850,000 FCFA` (en, ar), `206.850.000 FCFA` (pt).
Digits are always Latin, also in Arabic. Babel gives the separators; the currency's short name
follows the number in every language, as the committees write it.
"""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from babel.numbers import format_decimal, get_decimal_symbol, get_group_symbol
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

# ISO code → (decimals, the short name written after amounts)
CURRENCIES = {
    "XOF": (0, "FCFA"),
    "GNF": (0, "GNF"),
    "GMD": (2, "GMD"),
    "MRU": (2, "MRU"),
    "EUR": (2, "EUR"),
}
CURRENCY_CHOICES = [
    ("XOF", _("West African CFA franc (XOF)")),
    ("GNF", _("Guinean franc (GNF)")),
    ("GMD", _("Gambian dalasi (GMD)")),
    ("MRU", _("Mauritanian ouguiya (MRU)")),
    ("EUR", _("Euro (EUR)")),
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
    loc = _locale(lang)
    return (
        get_group_symbol(loc, numbering_system="latn"),
        get_decimal_symbol(loc, numbering_system="latn"),
    )


def decimals(currency):
    return CURRENCIES[currency][0]


def quantum(currency):
    return Decimal(1).scaleb(-decimals(currency))


def round_amount(value, currency):
    """Round once, half up, to the currency's unit (1 FCFA, 0.01 GMD)."""
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
    """A number with the language's separators and Latin digits, `places` decimals."""
    value = Decimal(value).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    pattern = "#,##0" + ("." + "0" * places if places else "")
    return format_decimal(
        value, format=pattern, locale=_locale(lang), numbering_system="latn", group_separator=True
    )


def format_money(value, currency, lang=None):
    """`206 850 000 FCFA`: the amount rounded to its currency's unit, then its short name."""
    if value is None:
        return ""
    places, label = CURRENCIES.get(currency, (2, currency))
    return f"{format_number(value, places, lang)}\N{NO-BREAK SPACE}{label}"
