"""Reading amounts as people write them: `4 250 000`, `15.000.000 F CFA`, `D 150,000.00`.

The rule, for any language: a separator (space, dot, comma, apostrophe) followed by exactly
three digits groups thousands; any other dot or comma is the decimal mark. Currency names and
symbols around the number are ignored. Used by forms and by the workbook importer alike.
"""

import re
from decimal import Decimal, InvalidOperation

from django import forms
from django.core.validators import MinValueValidator
from django.utils.translation import gettext_lazy as _

SPACES = "\u0020\u00a0\u202f\u2007\u2009\u200a\u2008"
# Currency words and symbols that may stand before or after the figures.
_CURRENCY = re.compile(
    r"(?i)(f\s*cfa|fcfa|cfa|xof|gmd|gnf|mru|eur|euros?|francs?|dalasis?|ouguiyas?|um|fg|"
    r"[€$£]|\bd(?=\b|\d)|\bf\b)"  # "D 150,000.00" and "D150,000.00" (dalasis)
)


def parse_amount(text):
    """A Decimal from a written amount; ValueError if it is not one."""
    if isinstance(text, Decimal):
        return text
    if isinstance(text, int):
        return Decimal(text)
    if isinstance(text, float):
        # Spreadsheet readers hand numbers as floats: their shortest repr is the written value.
        return Decimal(repr(text))
    raw = str(text or "").strip()
    if not raw:
        raise ValueError("empty")
    negative = (
        raw.startswith("-") or raw.startswith("−") or (raw.startswith("(") and raw.endswith(")"))
    )
    cleaned = _CURRENCY.sub("", raw.strip("()-−+ "))
    for space in SPACES:
        cleaned = cleaned.replace(space, " ")
    cleaned = cleaned.strip().replace("’", "'")
    if not cleaned or not re.fullmatch(r"[\d.,' ]+", cleaned) or not re.search(r"\d", cleaned):
        raise ValueError(f"not an amount: {raw!r}")
    # Spaces and apostrophes only ever group digits.
    number = _normalise(cleaned)
    try:
        value = Decimal(number)
    except InvalidOperation as exc:
        raise ValueError(f"not an amount: {raw!r}") from exc
    return -value if negative else value


def _normalise(cleaned):
    """Digits with at most one '.' as the decimal mark, by the rule in the module docstring."""
    parts = re.split(r"([.,' ])", cleaned)
    digits, separators = parts[0::2], parts[1::2]
    if any(not d for d in digits):
        raise ValueError(f"not an amount: {cleaned!r}")
    out = digits[0]
    for index, separator in enumerate(separators):
        following = digits[index + 1]
        if len(following) == 3 or separator in {" ", "'"}:
            if len(following) != 3:
                raise ValueError(f"not an amount: {cleaned!r}")
            out += following
        elif index == len(separators) - 1:
            out += "." + following
        else:
            raise ValueError(f"not an amount: {cleaned!r}")
    return out


class AmountField(forms.DecimalField):
    """A DecimalField that reads `4 250 000`, `4.250.000` or `4,250,000.50` and refuses
    negatives with a message that says so."""

    default_error_messages = {
        "invalid": _("Enter an amount, for example 4 250 000."),
    }

    def __init__(self, *, max_digits=18, decimal_places=2, **kwargs):
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "decimal"}))
        super().__init__(max_digits=max_digits, decimal_places=decimal_places, **kwargs)
        self.validators.append(MinValueValidator(0, message=_("Enter a positive amount.")))

    def to_python(self, value):
        if value in self.empty_values:
            return None
        try:
            return parse_amount(value)
        except ValueError as exc:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from exc

    def prepare_value(self, value):
        if isinstance(value, Decimal):
            return f"{value.normalize():f}" if value == value.to_integral() else f"{value:f}"
        return value
