"""What needs a coordinator's attention in a plan, on a given day:

- activities whose planned end (the last day of the last month of their chronogram) has
  passed and whose latest update does not say done or cancelled (none at all counts as not
  done): an activity planned until March is late from April 1st, not on March 31st;
- activities due to start this quarter (their first planned month falls in the calendar
  quarter of the day) with no confirmed funding in the plan's funding picture
  (relais.funding.picture), unless already done or cancelled, or with no budget;
- indicators with no value for the last period of their frequency that has closed, within
  the plan (a plan that has ended is asked for its last period).

Also where each activity stands (its latest update), which the plan's monitoring page lists.
Every read here is a fixed number of queries, whatever the plan's size.
"""

from calendar import monthrange
from dataclasses import dataclass, field
from datetime import date

from django.db.models import OuterRef, Q, Subquery
from django.utils import timezone

from relais.monitoring.models import ActivityUpdate, Expenditure, IndicatorValue
from relais.monitoring.periods import (
    QUARTERLY,
    last_closed_period,
    period_label,
    period_of,
)
from relais.plans.models import Activity, Indicator, Plan

Status = ActivityUpdate.Status
FINISHED = (Status.DONE, Status.CANCELLED)


def month_end(month):
    """ "2019-03" → date(2019, 3, 31)."""
    year, number = int(month[:4]), int(month[5:7])
    return date(year, number, monthrange(year, number)[1])


def month_start(month):
    return date(int(month[:4]), int(month[5:7]), 1)


def planned_end(activity):
    """The last day of the activity's last planned month, None without a chronogram."""
    return month_end(max(activity.months)) if activity.months else None


def activity_standing(*, plan):
    """The plan's activities, by objective and number, each with its latest update's
    `latest_status` (None before any update), `latest_percent` and `latest_on`. One query:
    the latest update is read by subqueries, not per activity."""
    latest = ActivityUpdate.objects.filter(activity=OuterRef("pk")).order_by("-on", "-at", "-pk")
    return list(
        Activity.objects.filter(objective__plan=plan)
        .defer("description")
        .annotate(
            latest_status=Subquery(latest.values("status")[:1]),
            latest_percent=Subquery(latest.values("percent_done")[:1]),
            latest_on=Subquery(latest.values("on")[:1]),
        )
        .order_by("objective__position", "objective_id", "position", "pk")
    )


@dataclass
class MissingValue:
    indicator: Indicator
    period: object  # Period

    @property
    def label(self):
        """The period in words, in the language active when it is read (a digest is written
        in each reader's)."""
        return period_label(self.period, self.indicator.frequency)


@dataclass
class Alerts:
    today: date
    quarter: object  # the Period of today's quarter
    late: list = field(default_factory=list)  # activities, with `planned_end`, `status_label`
    unfunded: list = field(default_factory=list)  # activities, with `budget`
    missing: list = field(default_factory=list)  # MissingValue

    @property
    def count(self):
        return len(self.late) + len(self.unfunded) + len(self.missing)

    def __bool__(self):
        return bool(self.count)

    @property
    def quarter_label(self):
        return period_label(self.quarter, QUARTERLY)


def plan_alerts(plan, today=None, *, activities=None):
    """The Alerts of `plan` on `today` (the local date by default). `activities`: the plan's
    activities as activity_standing gives them, if already read. Twelve queries at most,
    whatever the number of activities and indicators: activities (1), the funding picture (7),
    indicators (1) and their values (1)."""
    from relais.funding.picture import funding_picture

    today = today or timezone.localdate()
    quarter = period_of(today, QUARTERLY)
    if activities is None:
        activities = activity_standing(plan=plan)
    alerts = Alerts(today=today, quarter=quarter)

    starting = []
    for activity in activities:
        if not activity.months or activity.latest_status in FINISHED:
            continue
        activity.planned_end = planned_end(activity)
        if activity.planned_end < today:
            activity.status_label = (
                Status(activity.latest_status).label if activity.latest_status else None
            )
            alerts.late.append(activity)
        if quarter.start <= month_start(min(activity.months)) <= quarter.end:
            starting.append(activity)
    if starting:
        lines = {
            line.pk: line
            for objective in funding_picture(plan=plan).objectives
            for line in objective.lines
        }
        for activity in starting:
            line = lines.get(activity.pk)
            if line is not None and line.figures.budget > 0 and not line.figures.confirmed:
                activity.budget = line.figures.budget
                alerts.unfunded.append(activity)

    alerts.missing = missing_values(plan=plan, today=today)
    return alerts


def due_period(indicator, plan, today):
    """The period of `indicator` that should have a value by `today`: the last closed one,
    brought back within the plan's span; None while none has closed."""
    span = (plan.period_start, plan.period_end)
    period = last_closed_period(today, indicator.frequency, span)
    if period is None or period.end < plan.period_start:
        return None
    if period.start > plan.period_end:
        period = period_of(plan.period_end, indicator.frequency, span)
    return period


def missing_values(*, plan, today):
    """[MissingValue] for the plan's indicators with no value for their due period. Two
    queries."""
    indicators = list(
        Indicator.objects.filter(Q(objective__plan=plan) | Q(result__objective__plan=plan))
        .select_related("objective", "result__objective")
        .order_by("position", "pk")
    )
    due = {}
    for indicator in indicators:
        period = due_period(indicator, plan, today)
        if period is not None:
            due[indicator.pk] = period
    if not due:
        return []
    have = set(
        IndicatorValue.objects.filter(indicator__in=list(due)).values_list(
            "indicator_id", "period_start"
        )
    )

    def order(indicator):
        objective = indicator.objective if indicator.objective_id else indicator.result.objective
        result = indicator.result.position if indicator.result_id else 0
        return (objective.position, result, indicator.position, indicator.pk)

    missing = []
    for indicator in sorted(indicators, key=order):
        period = due.get(indicator.pk)
        if period is not None and (indicator.pk, period.start) not in have:
            missing.append(MissingValue(indicator, period))
    return missing


def status_counts(activities):
    """[(status value or "", label, count)] of the activities' latest statuses, in the order
    of ActivityUpdate.Status, those with no update first (key "")."""
    from django.utils.translation import gettext as _

    counts = {}
    for activity in activities:
        key = activity.latest_status or ""
        counts[key] = counts.get(key, 0) + 1
    rows = [("", _("No update yet"), counts.get("", 0))]
    rows += [(status.value, status.label, counts.get(status.value, 0)) for status in Status]
    return rows


def monitoring_stamp(*, plan):
    """When anything the plan's monitoring page shows last changed, from the histories in two
    queries: the plan and its content (relais.plans.selectors.plan_stamp), the updates of its
    activities, its indicator values, and its contributions (the alerts read their confirmed
    funding) with their targets, the expenditures (each activity's execution) and the exchange
    rates."""
    from relais.core.models import ExchangeRate
    from relais.funding.models import Contribution, ContributionTarget
    from relais.plans.selectors import history_latest, plan_stamp

    latest = history_latest
    plan_id = OuterRef("pk")
    stamps = Plan.objects.filter(pk=plan.pk).values_list(
        latest(ActivityUpdate, activity__objective__plan_id=plan_id),
        latest(Expenditure, activity__objective__plan_id=plan_id),
        latest(IndicatorValue, indicator__objective__plan_id=plan_id),
        latest(IndicatorValue, indicator__result__objective__plan_id=plan_id),
        latest(Contribution, plan_id=plan_id),
        latest(ContributionTarget, contribution__plan_id=plan_id),
        latest(ExchangeRate),
    )
    found = [plan_stamp(plan=plan), *stamps.get()]
    return max((stamp for stamp in found if stamp is not None), default=None)
