"""A plan's monitoring: what needs attention first (alerts), then where each activity stands."""

from html import escape

from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import dateformat, timezone
from django.utils.formats import get_format
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from relais.core.http import versioned, with_etag
from relais.monitoring.alerts import (
    activity_standing,
    monitoring_stamp,
    plan_alerts,
    status_counts,
)
from relais.monitoring.charts import percent_text
from relais.monitoring.expenditures import spent_by_activity
from relais.monitoring.models import ActivityUpdate
from relais.plans.models import Objective, Plan
from relais.plans.selectors import plan_get
from relais.plans.templatetags.plans import quarters
from relais.plans.views.plans import deferred_objectives

# Alerts are raised for plans being carried out; a draft's activities are not late.
MONITORED = (Plan.Status.ADOPTED,)


def monitored_plan(request, pk):
    """A plan whose monitoring `request.user` may read (404 otherwise, as if it did not
    exist), with its country."""
    plan = plan_get(user=request.user, pk=pk)
    if not request.user.has_perm("monitoring.view_monitoring", plan):
        raise Http404
    return plan


# Each kind of alert lists this many activities at most; the table below marks every late one.
ALERTS_SHOWN = 20


def standing_rows(activities, late, spent=None):
    """The table rows of `activities` (as activity_standing reads them), those in `late`
    marked. Written here rather than in the template: a 500-activity plan has 500 rows, which
    the template engine took 350 ms over; this takes a few. Rows carry no classes but the
    late ones' (slow links)."""
    url = reverse("monitoring:activity", args=[0])
    labels = dict(ActivityUpdate.Status.choices)
    short_date = get_format("SHORT_DATE_FORMAT")
    late_label = escape(_("late"))
    none = escape(_("no update yet"))
    planned = {}  # chronogram → its quarters in words: activities share a few
    dates = {}
    rows = []
    for activity in activities:
        months = tuple(activity.months)
        if months not in planned:
            planned[months] = quarters(months)
        status = activity.latest_status
        cell = escape(labels.get(status, status)) if status else none
        marker = ""
        if activity.pk in late:
            cell += f" · <strong>{late_label}</strong>"
            marker = ' class="late"'
        percent = "" if activity.latest_percent is None else f"{activity.latest_percent} %"
        on = ""
        if activity.latest_on:
            on = dates.get(activity.latest_on) or dates.setdefault(
                activity.latest_on, dateformat.format(activity.latest_on, short_date)
            )
        href = url.replace("/0/", f"/{activity.pk}/")
        # Budget execution: validated expenditures over the activity's cost.
        used = (spent or {}).get(activity.pk)
        execution = percent_text(used * 100 / activity.total) if used and activity.total else ""
        rows.append(
            f"<tr{marker}><td>{activity.code}</td>"
            f'<td><a href="{href}">{escape(activity.title)}</a></td>'
            f"<td>{planned[months]}</td><td>{cell}</td>"
            f'<td class="num">{percent}</td><td class="num">{execution}</td><td>{on}</td></tr>'
        )
    return mark_safe("\n".join(rows))  # noqa: S308 -- every value above is escaped


@require_GET
def plan_monitoring(request, pk):
    plan = monitored_plan(request, pk)
    today = timezone.localdate()
    # The alerts change with the day as well as with the records.
    etag, unchanged = versioned(
        request,
        monitoring_stamp(plan=plan),
        plan.status,
        plan.version,
        today,
        request.get_full_path(),
    )
    if unchanged is not None:
        return unchanged
    objectives = list(Objective.objects.filter(plan=plan))
    activities = activity_standing(plan=plan)
    by_objective = {objective.pk: objective for objective in objectives}
    for objective in objectives:
        objective.plan = plan
        objective.standing = []
    for activity in activities:
        activity.objective = by_objective[activity.objective_id]
        activity.objective.standing.append(activity)
    monitored = plan.status in MONITORED
    alerts = plan_alerts(plan, today, activities=activities) if monitored else None
    late = {activity.pk for activity in alerts.late} if alerts else set()
    spent = spent_by_activity(plan)
    # A long plan's later objectives are sent when asked for (scrolled to, or their link).
    shown = request.GET.get("objective", "")
    counts = {objective.pk: len(objective.standing) for objective in objectives}
    deferred = deferred_objectives(objectives, counts, shown)
    for objective in objectives:
        if objective.pk not in deferred:
            objective.rows = standing_rows(objective.standing, late, spent)
    if request.htmx and shown:
        objective = next((o for o in objectives if str(o.pk) == shown), None)
        if objective is None:
            raise Http404
        context = {"plan": plan, "objective": objective, "deferred": set()}
        template = "monitoring/plan_monitoring.html#objective-standing"
        return with_etag(render(request, template, context), etag)
    context = {
        "plan": plan,
        "objectives": objectives,
        "counts": status_counts(activities),
        "total": len(activities),
        "monitored": monitored,
        "alerts": alerts,
        "shown": ALERTS_SHOWN,
        "deferred": deferred,
    }
    return with_etag(render(request, "monitoring/plan_monitoring.html", context), etag)
