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
    count_by_objective: dict = field(default_factory=dict)  # objective id → its activities
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
    lines, sources, organisations = [], [], {}
    for objective in objectives:
        for activity in objective.activities.all():
            lines.append((activity.pk, objective.pk, activity.total, activity.months))
            for source in activity.funding_sources.all():
                sources.append((activity.pk, source.organisation_id, source.amount))
                organisations[source.organisation_id] = source.organisation
    return totals_of([o.pk for o in objectives], lines, sources, organisations, currency)


def totals_of(objective_ids, lines, sources, organisations, currency):
    """Totals from flat rows: `lines` (activity id, objective id, total, months), `sources`
    (activity id, organisation id or None, amount), `organisations` {id: Organisation}. The
    plan page reads them so, without loading 500 activities to show 100."""
    totals = PlanTotals(currency=currency)
    carried = defaultdict(lambda: ZERO)
    for activity_id, organisation_id, amount in sources:
        entry = totals.by_source.get(organisation_id)
        if entry is None:
            entry = totals.by_source[organisation_id] = SourceTotal(
                organisations.get(organisation_id)
            )
        entry.amount += amount
        carried[activity_id] += amount
    for objective_id in objective_ids:
        totals.by_objective[objective_id] = ZERO
        totals.count_by_objective[objective_id] = 0
    for activity_id, objective_id, total, months in lines:
        totals.by_objective[objective_id] += total
        totals.count_by_objective[objective_id] += 1
        totals.grand += total
        for month, share in spread(total, months, currency).items():
            totals.by_month[month] += share
            totals.by_quarter[quarter_of(month)] += share
            totals.by_year[int(month[:4])] += share
        totals.unassigned += max(total - carried[activity_id], ZERO)
    # Chronological order for the pages and exports.
    totals.by_month = dict(sorted(totals.by_month.items()))
    totals.by_quarter = dict(sorted(totals.by_quarter.items()))
    totals.by_year = dict(sorted(totals.by_year.items()))
    return totals
