"""The chronogram of a plan: its columns (quarters or months) and, per activity, the columns in
which it takes place. Reads only what selectors.plan_tree has loaded: no query.

Sheets skip periods (an activity in T1 and T3 but not T2), so each activity gets exactly the
set of its months or quarters, never a bar from its first month to its last.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.utils.safestring import mark_safe

from relais.plans.forms import month_name
from relais.plans.totals import quarter_of

BY_QUARTER = "quarter"
BY_MONTH = "month"


@dataclass(frozen=True)
class Column:
    key: object  # (2018, 1) for a quarter, "2018-02" for a month
    # Strings, so that templates do not group the year's digits ("2 018") when they print it.
    year: str
    quarter: str  # "1" to "4"; empty for a month
    label: str  # a month's name ("févr. 2018"); quarters are labelled by the templates
    total: Decimal


def chronogram_by(value):
    """The layout asked for in `?by=`: months if "month", else quarters."""
    return BY_MONTH if value == BY_MONTH else BY_QUARTER


def chronogram_columns(*, plan, totals, by=BY_QUARTER):
    """One column per quarter (or month) of the plan's period, in order, with its total."""
    if by == BY_MONTH:
        return [
            Column(month, month[:4], "", month_name(month), totals.by_month.get(month, Decimal(0)))
            for month in plan.months
        ]
    quarters = dict.fromkeys(quarter_of(month) for month in plan.months)
    return [
        Column(key, str(key[0]), str(key[1]), "", totals.by_quarter.get(key, Decimal(0)))
        for key in quarters
    ]


def chronogram_years(columns):
    """[(year, number of its columns)]: the header row above the quarters or months."""
    spans = {}
    for column in columns:
        spans[column.year] = spans.get(column.year, 0) + 1
    return list(spans.items())


def chronogram_mark(*, objectives, columns, by=BY_QUARTER, on, off="<td></td>"):
    """Sets `cells` on each activity: its row's cells, one per column, `on` (markup) where it
    takes place and `off` elsewhere. Joined here rather than looped over in the template: 24
    months of 500 activities are 12 000 cells, 200 ms through the template engine."""
    for objective in objectives:
        for activity in objective.activities.all():
            if by == BY_MONTH:
                keys = set(activity.months)
            else:
                keys = {quarter_of(month) for month in activity.months}
            activity.cells = mark_safe("".join(on if c.key in keys else off for c in columns))
    return objectives
