"""The chronogram (a Gantt by quarter or month) and the print view of a plan."""

from django.shortcuts import render
from django.views.decorators.http import require_GET

from relais.plans import selectors


@require_GET
def chronogram(request, pk):
    plan = selectors.plan_get(user=request.user, pk=pk)
    objectives, totals = selectors.plan_tree(plan=plan)
    return render(
        request,
        "plans/chronogram.html",
        {"plan": plan, "objectives": objectives, "totals": totals},
    )


@require_GET
def plan_print(request, pk):
    plan = selectors.plan_get(user=request.user, pk=pk)
    objectives, totals = selectors.plan_tree(plan=plan)
    return render(
        request, "plans/plan_print.html", {"plan": plan, "objectives": objectives, "totals": totals}
    )
