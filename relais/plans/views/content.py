"""Editing a draft plan's content: objectives and activities in place (htmx), results and
indicators on their own small pages. Every form also works without JavaScript: a full page
that redirects back to the plan.

An htmx request gets back the fragment of the plan page that changed (a row, an objective, the
list of objectives) and the totals panel, swapped out of band, so totals update at once.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import reswap, retarget

from relais.core.forms import add_errors
from relais.plans import selectors, services
from relais.plans.forms import ActivityForm, IndicatorForm, ObjectiveForm, ResultForm
from relais.plans.models import Indicator, Result
from relais.plans.views.plans import _can_edit, _require

PAGE = "plans/plan_detail.html"


def _fragments(request, plan, *partials, **extra):
    """Render partials of the plan page, with the totals panel out of band."""
    objectives, totals = selectors.plan_tree(plan=plan)
    context = {
        "plan": plan,
        "objectives": objectives,
        "totals": totals,
        "can_edit": True,
        "oob": True,
        **extra,
    }
    by_pk = {o.pk: o for o in objectives}
    html = []
    for name, objective_pk in partials:
        if objective_pk is not None:
            context["objective"] = by_pk[objective_pk]
        if name == "activity-row":
            context["activity"] = next(
                a for a in context["objective"].activities.all() if a.pk == extra["activity_pk"]
            )
            html.append(render_to_string(f"{PAGE}#activity-row", context, request))
            html.append(render_to_string(f"{PAGE}#objective-subtotal", context, request))
        else:
            context["oob"] = False
            html.append(render_to_string(f"{PAGE}#{name}", context, request))
            context["oob"] = True
    html.append(render_to_string(f"{PAGE}#totals", {**context, "oob": True}, request))
    return HttpResponse("".join(html))


def _done(request, plan, anchor, *partials, **extra):
    if request.htmx:
        return _fragments(request, plan, *partials, **extra)
    return redirect(f"{plan.get_absolute_url()}#{anchor}")


def _refused(request, plan, error, anchor):
    """A write the services refused outside a form (a delete): the plan page says why."""
    messages.error(request, " ".join(error.messages))
    if request.htmx:
        response = HttpResponse(status=204)
        response["HX-Refresh"] = "true"
        return response
    return redirect(f"{plan.get_absolute_url()}#{anchor}")


def _form_page(request, template, partial, context, target=None):
    """The form: a fragment for htmx (re-targeted where it was opened), a page otherwise."""
    if request.htmx:
        response = render(request, f"{template}#{partial}", context)
        if target and request.method == "POST":
            response = reswap(retarget(response, target), "outerHTML")
        return response
    return render(request, template, context)


# Objectives ----------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def objective_create(request, plan_pk):
    plan = selectors.plan_get(user=request.user, pk=plan_pk)
    _require(request, "plans.change_plan", plan)
    form = ObjectiveForm(request.POST or None, plan=plan)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "revision"}
        try:
            objective = services.objective_create(plan=plan, by=request.user, **data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            response = _done(request, plan, f"objective-{objective.pk}", ("objectives", None))
            if request.htmx:
                response = reswap(retarget(response, "#objectives"), "outerHTML")
            return response
    context = {"plan": plan, "form": form, "objective": None}
    return _form_page(
        request, "plans/objective_form.html", "objective-form", context, "#new-objective-form"
    )


@require_http_methods(["GET", "POST"])
def objective_edit(request, pk):
    objective = selectors.objective_get(user=request.user, pk=pk)
    plan = objective.plan
    _require(request, "plans.change_plan", plan)
    form = ObjectiveForm(request.POST or None, instance=objective, plan=plan)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        revision = data.pop("revision", None)
        try:
            services.objective_update(
                objective=objective, by=request.user, revision=revision, **data
            )
        except services.StaleEdit as error:
            form.data = form.data.copy()
            form.data["revision"] = error.record.revision
            form.add_error(None, error)
        except ValidationError as error:
            add_errors(form, error)
        else:
            response = _done(request, plan, f"objective-{pk}", ("objective", pk))
            if request.htmx:
                response = reswap(retarget(response, f"#objective-{pk}"), "outerHTML")
            return response
    context = {"plan": plan, "form": form, "objective": objective}
    return _form_page(
        request, "plans/objective_form.html", "objective-form", context, f"#objective-{pk}-form"
    )


@require_POST
def objective_delete(request, pk):
    objective = selectors.objective_get(user=request.user, pk=pk)
    plan = objective.plan
    _require(request, "plans.change_plan", plan)
    try:
        services.objective_delete(objective=objective, by=request.user)
    except ValidationError as error:
        return _refused(request, plan, error, "objectives")
    messages.success(request, _("The objective and its activities have been deleted."))
    response = _done(request, plan, "objectives", ("objectives", None))
    if request.htmx:
        response = reswap(retarget(response, "#objectives"), "outerHTML")
    return response


@require_POST
def objective_move(request, pk):
    objective = selectors.objective_get(user=request.user, pk=pk)
    plan = objective.plan
    _require(request, "plans.change_plan", plan)
    services.objective_move(
        objective=objective, by=request.user, direction=request.POST.get("direction")
    )
    response = _done(request, plan, f"objective-{pk}", ("objectives", None))
    if request.htmx:
        response = reswap(retarget(response, "#objectives"), "outerHTML")
    return response


# Activities ----------------------------------------------------------------------------------


def _activity_data(form):
    data = dict(form.cleaned_data)
    for name in list(data):
        if name.startswith(("source_", "amount_")):
            del data[name]
    return data


@require_http_methods(["GET", "POST"])
def activity_create(request, objective_pk):
    objective = selectors.objective_get(user=request.user, pk=objective_pk)
    plan = objective.plan
    _require(request, "plans.change_plan", plan)
    form = ActivityForm(request.POST or None, plan=plan, objective=objective)
    if request.method == "POST" and form.is_valid():
        funding = form.funding()
        if form.is_valid():
            data = _activity_data(form)
            data.pop("revision", None)
            try:
                activity = services.activity_create(
                    objective=objective, by=request.user, funding=funding, **data
                )
            except ValidationError as error:
                add_errors(form, error)
            else:
                response = _done(
                    request, plan, f"activity-{activity.pk}", ("objective", objective.pk)
                )
                if request.htmx:
                    response = reswap(retarget(response, f"#objective-{objective.pk}"), "outerHTML")
                return response
    context = {"plan": plan, "objective": objective, "form": form, "activity": None}
    return _form_page(
        request,
        "plans/activity_form.html",
        "activity-form",
        context,
        f"#new-activity-{objective.pk}-form",
    )


@require_http_methods(["GET", "POST"])
def activity_edit(request, pk):
    activity = selectors.activity_get(user=request.user, pk=pk)
    objective = activity.objective
    plan = objective.plan
    _require(request, "plans.change_plan", plan)
    form = ActivityForm(request.POST or None, instance=activity, plan=plan, objective=objective)
    stale = None
    if request.method == "POST" and form.is_valid():
        funding = form.funding()
        if form.is_valid():
            data = _activity_data(form)
            revision = data.pop("revision", None)
            try:
                services.activity_update(
                    activity=activity, by=request.user, revision=revision, funding=funding, **data
                )
            except services.StaleEdit as error:
                # Keep what this person typed, show what the other saved, and let them decide.
                stale = selectors.activity_get(user=request.user, pk=pk)
                form.data = form.data.copy()
                form.data["revision"] = error.record.revision
                form.add_error(None, error)
            except ValidationError as error:
                add_errors(form, error)
            else:
                if request.htmx:
                    return _fragments(
                        request, plan, ("activity-row", objective.pk), activity_pk=activity.pk
                    )
                return redirect(f"{plan.get_absolute_url()}#activity-{pk}")
    context = {
        "plan": plan,
        "objective": objective,
        "form": form,
        "activity": activity,
        "stale": stale,
    }
    return _form_page(
        request, "plans/activity_form.html", "activity-form", context, f"#activity-{pk}"
    )


@require_GET
def activity_row(request, pk):
    """The activity's row as the plan page shows it (cancelling an edit in place)."""
    activity = selectors.activity_get(user=request.user, pk=pk)
    plan = activity.objective.plan
    objectives, totals = selectors.plan_tree(plan=plan)
    objective = next(o for o in objectives if o.pk == activity.objective_id)
    activity = next(a for a in objective.activities.all() if a.pk == pk)
    context = {
        "plan": plan,
        "objective": objective,
        "activity": activity,
        "can_edit": _can_edit(request.user, plan),
    }
    return render(request, f"{PAGE}#activity-row", context)


@require_POST
def activity_delete(request, pk):
    activity = selectors.activity_get(user=request.user, pk=pk)
    objective = activity.objective
    plan = objective.plan
    _require(request, "plans.change_plan", plan)
    try:
        services.activity_delete(activity=activity, by=request.user)
    except ValidationError as error:
        return _refused(request, plan, error, f"activity-{activity.pk}")
    response = _done(request, plan, f"objective-{objective.pk}", ("objective", objective.pk))
    if request.htmx:
        response = reswap(retarget(response, f"#objective-{objective.pk}"), "outerHTML")
    return response


@require_POST
def activity_move(request, pk):
    activity = selectors.activity_get(user=request.user, pk=pk)
    objective = activity.objective
    plan = objective.plan
    _require(request, "plans.change_plan", plan)
    services.activity_move(
        activity=activity, by=request.user, direction=request.POST.get("direction")
    )
    response = _done(request, plan, f"activity-{pk}", ("objective", objective.pk))
    if request.htmx:
        response = reswap(retarget(response, f"#objective-{objective.pk}"), "outerHTML")
    return response


# Results and indicators: small forms on their own page ---------------------------------------


@require_http_methods(["GET", "POST"])
def result_create(request, objective_pk):
    objective = selectors.objective_get(user=request.user, pk=objective_pk)
    _require(request, "plans.change_plan", objective.plan)
    form = ResultForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.result_create(objective=objective, by=request.user, **form.cleaned_data)
        return redirect(f"{objective.plan.get_absolute_url()}#objective-{objective.pk}")
    return render(
        request,
        "plans/small_form.html",
        {"plan": objective.plan, "form": form, "title": _("Add an expected result")},
    )


@require_http_methods(["GET", "POST"])
def result_edit(request, pk):
    result = get_object_or_404(Result.objects.select_related("objective__plan__country"), pk=pk)
    plan = result.objective.plan
    selectors.plan_get(user=request.user, pk=plan.pk)
    _require(request, "plans.change_plan", plan)
    form = ResultForm(request.POST or None, instance=result)
    if request.method == "POST":
        if request.POST.get("delete"):
            services.result_delete(result=result, by=request.user)
            return redirect(f"{plan.get_absolute_url()}#objective-{result.objective_id}")
        if form.is_valid():
            services.result_update(result=result, by=request.user, **form.cleaned_data)
            return redirect(f"{plan.get_absolute_url()}#objective-{result.objective_id}")
    return render(
        request,
        "plans/small_form.html",
        {"plan": plan, "form": form, "title": _("Expected result"), "deletable": True},
    )


@require_http_methods(["GET", "POST"])
def indicator_create(request, objective_pk):
    objective = selectors.objective_get(user=request.user, pk=objective_pk)
    plan = objective.plan
    _require(request, "plans.change_plan", plan)
    result = None
    if request.GET.get("result") or request.POST.get("result"):
        result = get_object_or_404(
            Result, pk=request.GET.get("result") or request.POST.get("result"), objective=objective
        )
    form = IndicatorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.indicator_create(
            plan=plan,
            by=request.user,
            objective=None if result else objective,
            result=result,
            **form.cleaned_data,
        )
        return redirect(f"{plan.get_absolute_url()}#objective-{objective.pk}")
    return render(
        request,
        "plans/small_form.html",
        {"plan": plan, "form": form, "title": _("Add an indicator"), "result": result},
    )


@require_http_methods(["GET", "POST"])
def indicator_edit(request, pk):
    indicator = get_object_or_404(
        Indicator.objects.select_related("objective__plan", "result__objective__plan"), pk=pk
    )
    objective = indicator.objective or indicator.result.objective
    plan = selectors.plan_get(user=request.user, pk=objective.plan_id)
    _require(request, "plans.change_plan", plan)
    form = IndicatorForm(request.POST or None, instance=indicator)
    if request.method == "POST":
        if request.POST.get("delete"):
            services.indicator_delete(indicator=indicator, plan=plan, by=request.user)
            return redirect(f"{plan.get_absolute_url()}#objective-{objective.pk}")
        if form.is_valid():
            services.indicator_update(
                indicator=indicator, plan=plan, by=request.user, **form.cleaned_data
            )
            return redirect(f"{plan.get_absolute_url()}#objective-{objective.pk}")
    return render(
        request,
        "plans/small_form.html",
        {"plan": plan, "form": form, "title": _("Indicator"), "deletable": True},
    )
