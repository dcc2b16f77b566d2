"""Demo: dated exchange rates for the floating currencies of the network (the franc CFA is
pegged to the euro and needs none), so that the regional pages can put the six countries in
one currency. Illustrative values, not official ones."""

from datetime import date
from decimal import Decimal

from relais.core.models import ExchangeRate

SOURCE = "Taux indicatifs de démonstration"
# Units for one euro, from 1 January of each year.
RATES = {
    "GMD": {2018: "56.50", 2019: "57.20"},
    "GNF": {2018: "10800", 2019: "10350"},
    "MRU": {2018: "42.00", 2019: "41.50"},
    "USD": {2018: "1.20", 2019: "1.12"},
}


def seed():
    for currency, years in RATES.items():
        for year, value in years.items():
            ExchangeRate.objects.get_or_create(
                currency=currency,
                date=date(year, 1, 1),
                defaults={"units_per_euro": Decimal(value), "source": SOURCE},
            )
    return []
