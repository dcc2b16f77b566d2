"""A plan's indicators with their values per period, one indicator's values (entered by the
coordinator, or counted from the workshops), and the advocacy milestones of its objectives."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import OuterRef
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext
from django.views.decorators.http import require_GET, require_http_methods

from relais.core.forms import add_errors
from relais.core.http import versioned, with_etag
from relais.monitoring import indicators as services
from relais.monitoring.indicator_forms import IndicatorValueForm, MilestoneForm
from relais.monitoring.models import IndicatorValue
from relais.monitoring.periods import period_label
from relais.monitoring.views.monitoring import monitored_plan
from relais.plans.models import Plan
from relais.plans.selectors import history_latest, plan_stamp


def _indicators_stamp(plan):
    """When the plan, its indicators' values or their workshop sources last changed (two
    queries)."""
    from relais.workshops.models import IndicatorSource

    plan_id = OuterRef("pk")
    stamps = Plan.objects.filter(pk=plan.pk).values_list(
        history_latest(IndicatorValue, indicator__objective__plan_id=plan_id),
        history_latest(IndicatorValue, indicator__result__objective__plan_id=plan_id),
        history_latest(IndicatorSource, indicator__objective__plan_id=plan_id),
        history_latest(IndicatorSource, indicator__result__objective__plan_id=plan_id),
    )
    found = [plan_stamp(plan=plan), *stamps.get()]
    return max((stamp for stamp in found if stamp is not None), default=None)


@require_GET
def indicator_list(request, pk):
    plan = monitored_plan(request, pk)
    etag, unchanged = versioned(
        request, _indicators_stamp(plan), plan.status, plan.version, request.get_full_path()
    )
    if unchanged is not None:
        return unchanged
    context = {"plan": plan, "objectives": services.plan_indicators(plan=plan)}
    return with_etag(render(request, "monitoring/indicator_list.html", context), etag)


def _count_message(request, done, indicator):
    changed = len(done.recorded) + len(done.updated)
    if changed:
        messages.success(
            request,
            ngettext(
                "Counted from the workshops: %(count)s value recorded or updated.",
                "Counted from the workshops: %(count)s values recorded or updated.",
                changed,
            )
            % {"count": changed},
        )
    else:
        messages.success(request, _("Counted from the workshops: no value changed."))
    if done.kept:
        messages.warning(
            request,
            _(
                "These periods keep the value typed in, which the count did not replace: "
                "%(periods)s. To use the count, type it over them."
            )
            % {
                "periods": pgettext("list separator", ", ").join(
                    period_label(period, indicator.frequency) for period in done.kept
                )
            },
        )


@require_http_methods(["GET", "POST"])
def indicator_values(request, pk):
    indicator = services.indicator_get(user=request.user, pk=pk)
    plan = services.indicator_plan(indicator)
    can_change = request.user.has_perm("monitoring.change_indicator_values", indicator)
    if request.method == "POST" and not can_change:
        raise PermissionDenied
    [line] = services.indicator_lines(plan=plan, indicators=[indicator])
    here = reverse("monitoring:indicator_values", args=[indicator.pk])

    if request.method == "POST" and request.POST.get("action") == "count":
        try:
            done = services.values_from_workshops(indicator=indicator, by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            _count_message(request, done, indicator)
        return redirect(here)

    form = None
    if can_change:
        asked = request.GET.get("period", "")
        cell = next((c for c in line.cells if c.period.start.isoformat() == asked), None)
        if cell is None:
            # The period under way, else the plan's last.
            today = timezone.localdate()
            cell = next((c for c in line.cells if c.period.end >= today), line.cells[-1])
        initial = {"period": cell.period.start.isoformat()}
        if cell.value is not None:
            initial.update(value=cell.value.value, comment=cell.value.comment)
            initial.update(services.disaggregation_of(cell.value))
        form = IndicatorValueForm(request.POST or None, cells=line.cells, initial=initial)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            chosen = next(c for c in line.cells if c.period.start.isoformat() == data["period"])
            try:
                services.indicator_value_set(
                    indicator=indicator,
                    by=request.user,
                    period_start=chosen.period.start,
                    value=data["value"],
                    comment=data["comment"],
                    **{name: data[name] for name in services.PARTS},
                )
            except ValidationError as error:
                add_errors(form, error)
            else:
                messages.success(
                    request,
                    _("The value for %(period)s has been saved.") % {"period": chosen.label},
                )
                return redirect(here)

    context = {
        "plan": plan,
        "indicator": indicator,
        "line": line,
        "form": form,
        "can_change": can_change,
        "history": (
            services.indicator_history(indicator=indicator)[:50]
            if request.user.has_perm("monitoring.view_history", indicator)
            else None
        ),
    }
    return render(request, "monitoring/indicator_values.html", context)


@require_http_methods(["GET", "POST"])
def milestones(request, pk):
    plan = monitored_plan(request, pk)
    can_change = request.user.has_perm("monitoring.change_milestones", plan)
    if request.method == "POST" and not can_change:
        raise PermissionDenied
    objectives = services.plan_milestones(plan=plan)
    form = None
    if can_change:
        form = MilestoneForm(request.POST or None, request.FILES or None, objectives=objectives)
        if request.method == "POST" and form.is_valid():
            try:
                services.milestone_create(by=request.user, **form.cleaned_data)
            except ValidationError as error:
                add_errors(form, error)
            else:
                messages.success(request, _("The milestone has been recorded."))
                return redirect(reverse("monitoring:milestones", args=[plan.pk]) + "#reached")
    context = {
        "plan": plan,
        "objectives": objectives,
        "form": form,
    }
    return render(request, "monitoring/milestones.html", context)
