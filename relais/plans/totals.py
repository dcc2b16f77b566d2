"""A plan's totals: per objective, per funding source, per year, quarter and month.

Every line is rounded once to the currency's unit when it is saved (Activity.total); totals add
those rounded lines, so they are exact. An activity's cost is spread over its months in equal
shares to the unit, the remainder going to its earliest months, so that months, quarters and
years add up exactly to the grand total as well.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from relais.core.money import quantum

ZERO = Decimal(0)


def spread(total, months, currency):
    """{month: share} for `total` over `months`: equal shares, exact to the unit."""
    months = sorted(months)
    if not months:
        return {}
    unit = quantum(currency)
    units = int(Decimal(total) / unit)
    base, remainder = divmod(units, len(months))
    return {
        month: (base + (1 if index < remainder else 0)) * unit for index, month in enumerate(months)
    }


def quarter_of(month):
    """ "2018-05" → (2018, 2)."""
    return int(month[:4]), (int(month[5:7]) - 1) // 3 + 1


@dataclass
class SourceTotal:
    organisation: object  # an Organisation, or None for the state budget
    amount: Decimal = ZERO


@dataclass
class PlanTotals:
    currency: str
    grand: Decimal = ZERO
    by_objective: dict = field(default_factory=lambda: defaultdict(lambda: ZERO))
    by_month: dict = field(default_factory=lambda: defaultdict(lambda: ZERO))
    by_quarter: dict = field(default_factory=lambda: defaultdict(lambda: ZERO))
    by_year: dict = field(default_factory=lambda: defaultdict(lambda: ZERO))
    by_source: dict = field(default_factory=dict)  # organisation id or None → SourceTotal
    unassigned: Decimal = ZERO  # the part of the budget no planned source carries

    @property
    def sources(self):
        """State budget first, then partners by amount."""
        return sorted(
            self.by_source.values(),
            key=lambda s: (s.organisation is not None, -s.amount, str(s.organisation or "")),
        )


def plan_totals(objectives, currency):
    """Totals of a plan whose objectives come with `activities` and their `funding_sources`.

    Reads only what is already loaded (see selectors.plan_tree): no query.
    """
    totals = PlanTotals(currency=currency)
    for objective in objectives:
        subtotal = ZERO
        for activity in objective.activities.all():
            subtotal += activity.total
            for month, share in spread(activity.total, activity.months, currency).items():
                totals.by_month[month] += share
                totals.by_quarter[quarter_of(month)] += share
                totals.by_year[int(month[:4])] += share
            carried = ZERO
            for source in activity.funding_sources.all():
                entry = totals.by_source.setdefault(
                    source.organisation_id, SourceTotal(source.organisation)
                )
                entry.amount += source.amount
                carried += source.amount
            totals.unassigned += max(activity.total - carried, ZERO)
        totals.by_objective[objective.pk] = subtotal
        totals.grand += subtotal
    # Chronological order for the pages and exports.
    totals.by_month = dict(sorted(totals.by_month.items()))
    totals.by_quarter = dict(sorted(totals.by_quarter.items()))
    totals.by_year = dict(sorted(totals.by_year.items()))
    return totals
