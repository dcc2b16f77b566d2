"""Converting between currencies with the fixed XOF peg and dated rates against the euro.

Every converted figure carries the rate it used; a missing rate raises MissingRate, which the
pages say plainly. Nothing is guessed.
"""

import bisect
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.utils.translation import gettext as _

from relais.core.money import XOF_PER_EUR, format_rate, round_amount


class MissingRate(Exception):
    def __init__(self, currency, on):
        self.currency = currency
        self.on = on
        super().__init__(f"No {currency} rate on or before {on}")

    def message(self):
        return _("No exchange rate for %(currency)s on or before %(date)s.") % {
            "currency": self.currency,
            "date": self.on.isoformat(),
        }


@dataclass(frozen=True)
class Rate:
    currency: str
    units_per_euro: Decimal
    date: date | None  # None: a fixed rate (EUR itself, the XOF peg)

    @property
    def is_fixed(self):
        return self.date is None

    def describe(self):
        if self.currency == "EUR":
            return ""
        # The rate written as the page's language writes numbers: 655,957 in French.
        if self.is_fixed:
            return _("1 EUR = %(rate)s %(currency)s (fixed parity)") % {
                "rate": format_rate(self.units_per_euro),
                "currency": self.currency,
            }
        return _("1 EUR = %(rate)s %(currency)s (rate of %(date)s)") % {
            "rate": format_rate(self.units_per_euro),
            "currency": self.currency,
            "date": self.date.isoformat(),
        }


@dataclass(frozen=True)
class Conversion:
    original: Decimal
    from_currency: str
    amount: Decimal
    to_currency: str
    rates: tuple  # the Rate objects used, one or two

    def describe(self):
        return "; ".join(filter(None, (rate.describe() for rate in self.rates)))


class RateTable:
    """All dated rates, read once (one query), looked up by currency and date."""

    def __init__(self, rows):
        self._dates = {}
        self._values = {}
        for currency, day, units in sorted(rows):
            self._dates.setdefault(currency, []).append(day)
            self._values.setdefault(currency, []).append(units)

    @classmethod
    def load(cls):
        from relais.core.models import ExchangeRate

        return cls(ExchangeRate.objects.values_list("currency", "date", "units_per_euro"))

    def rate(self, currency, on):
        if currency == "EUR":
            return Rate("EUR", Decimal(1), None)
        if currency == "XOF":
            return Rate("XOF", XOF_PER_EUR, None)
        dates = self._dates.get(currency, [])
        index = bisect.bisect_right(dates, on) - 1
        if index < 0:
            raise MissingRate(currency, on)
        return Rate(currency, self._values[currency][index], dates[index])

    def convert(self, amount, from_currency, to_currency, on):
        amount = Decimal(amount)
        if from_currency == to_currency:
            return Conversion(amount, from_currency, amount, to_currency, ())
        source = self.rate(from_currency, on)
        target = self.rate(to_currency, on)
        converted = amount / source.units_per_euro * target.units_per_euro
        return Conversion(
            original=amount,
            from_currency=from_currency,
            amount=round_amount(converted, to_currency),
            to_currency=to_currency,
            rates=tuple(r for r in (source, target) if r.currency != "EUR"),
        )


def convert(amount, from_currency, to_currency, on):
    """One conversion; for many, load a RateTable once."""
    return RateTable.load().convert(amount, from_currency, to_currency, on)
