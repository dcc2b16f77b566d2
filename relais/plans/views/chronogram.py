"""The chronogram (a Gantt by quarter or month) and the print view of a plan."""

from django.http import Http404
from django.shortcuts import render
from django.utils import translation
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from relais.core.money import CURRENCIES, decimals
from relais.plans import selectors
from relais.plans.chronogram import (
    BY_MONTH,
    chronogram_by,
    chronogram_columns,
    chronogram_mark,
    chronogram_years,
)
from relais.plans.views.plans import conditional, deferred_objectives


def _chronogram_context(request, plan, on, detail=False):
    """The plan's tree and totals and the chronogram's columns: plan_tree's queries, whatever
    the number of activities."""
    objectives, totals = selectors.plan_tree(plan=plan, detail=detail)
    by = chronogram_by(request.GET.get("by"))
    columns = chronogram_columns(plan=plan, totals=totals, by=by)
    chronogram_mark(objectives=objectives, columns=columns, by=by, on=on)
    return {
        "plan": plan,
        "objectives": objectives,
        "totals": totals,
        "by": by,
        "by_month": by == BY_MONTH,
        "columns": columns,
        "years": chronogram_years(columns),
    }


@require_GET
@conditional
def chronogram(request, plan):
    # Like the plan page, a long plan writes its first rows and leaves the later objectives to
    # load as they scroll into view: 500 rows of 24 months are 12 000 cells to lay out.
    shown = request.GET.get("objective", "")
    objectives = selectors.plan_objectives(plan=plan)
    totals = selectors.plan_summary(plan=plan, objectives=objectives)
    if request.htmx and shown:
        objectives = [o for o in objectives if str(o.pk) == shown]
        if not objectives:
            raise Http404
        deferred = set()
    else:
        deferred = deferred_objectives(objectives, totals.count_by_objective, shown)
    selectors.load_activities(
        plan=plan, objectives=objectives, only=[o.pk for o in objectives if o.pk not in deferred]
    )
    by = chronogram_by(request.GET.get("by"))
    columns = chronogram_columns(plan=plan, totals=totals, by=by)
    on = format_html('<td class="on"><span class="vh">{}</span></td>', _("planned"))
    chronogram_mark(
        objectives=[o for o in objectives if o.pk not in deferred], columns=columns, by=by, on=on
    )
    context = {
        "plan": plan,
        "objectives": objectives,
        "deferred": deferred,
        "totals": totals,
        "by": by,
        "by_month": by == BY_MONTH,
        "columns": columns,
        "years": chronogram_years(columns),
    }
    if request.htmx and shown:
        context["objective"] = objectives[0]
        return render(request, "plans/chronogram.html#objective-rows", context)
    return render(request, "plans/chronogram.html", context)


@require_GET
@conditional
def plan_print(request, plan):
    # The sheet is the plan's document, written in the plan's language like its Excel export,
    # whatever language the reader uses (a coordinator in French prints Gambia's in English).
    with translation.override(plan.language):
        context = _chronogram_context(request, plan, '<td class="x">X</td>', detail=True)
        context["places"] = decimals(plan.currency)
        context["currency_label"] = CURRENCIES.get(plan.currency, (2, plan.currency))[1]
        response = render(request, "plans/plan_print.html", context)
    response["Content-Language"] = plan.language
    return response
