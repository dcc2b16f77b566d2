"""What was spent on a plan: the list with its totals and what each contribution has left, one
expenditure with its evidence and corrections, and the forms that enter, validate and correct
them. Every write goes through relais.monitoring.expenditures.

Who reads the plan reads its expenditures (404 otherwise; a partner representative, those paid
from their organisation's contributions); the coordinator, or a contributor assigned to the
activity, enters them; the coordinator validates (403 otherwise). A validated expenditure is
never edited: the edit page refuses it, and a correction replaces it once validated.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import OuterRef
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from relais.core.forms import add_errors
from relais.core.http import versioned, with_etag
from relais.core.models import ExchangeRate
from relais.countries.models import Organisation
from relais.countries.rules import can_see_country_work, organisation_ids_of
from relais.funding.models import Contribution, Disbursement
from relais.monitoring import expenditures as services
from relais.monitoring.expenditure_forms import (
    CorrectionForm,
    ExpenditureFilter,
    ExpenditureForm,
    initial_of,
)
from relais.monitoring.models import Evidence, Expenditure
from relais.plans.models import Activity, Objective, Plan
from relais.plans.selectors import history_latest, plan_get, plan_stamp

Status = Expenditure.Status
PER_PAGE = 50


def _plan(request, pk):
    """The plan, if `request.user` reads its monitoring (404 otherwise)."""
    plan = plan_get(user=request.user, pk=pk)
    if not request.user.has_perm("monitoring.view_monitoring", plan):
        raise Http404
    return plan


def _own(user, plan):
    """None for who sees the country's work; a partner representative's organisations
    otherwise: they read the expenditures paid from those organisations' contributions."""
    return None if can_see_country_work(user, plan) else organisation_ids_of(user)


def _expenditure(request, pk):
    """The expenditure with what its page shows (one query), if `request.user` may read it."""
    expenditure = (
        Expenditure.objects.select_related(
            "activity__objective__plan__country",
            "contribution__partner",
            "entered_by",
            "validated_by",
            "overrun_confirmed_by",
            "corrects",
            "correction",
        )
        .filter(pk=pk)
        .first()
    )
    if expenditure is None or not request.user.has_perm("monitoring.view_expenditure", expenditure):
        raise Http404
    return expenditure


def _reporting_activities(user, plan):
    """The plan's activities `user` may enter expenditures on: all for its coordinator, those
    assigned to them for a contributor (two queries at most)."""
    activities = (
        Activity.objects.filter(objective__plan=plan)
        .select_related("objective")
        .order_by("objective__position", "position", "pk")
    )
    if user.has_perm("monitoring.add_expenditure", plan):
        return activities
    allowed = []
    for activity in activities.filter(assignees=user):
        activity.objective.plan = plan
        if user.has_perm("monitoring.add_expenditure", activity):
            allowed.append(activity.pk)
    return activities.filter(pk__in=allowed)


def _refuse_unassigned(request, plan, activities):
    """403 for a POST naming an activity of the plan that `request.user` may not report on:
    the form offers only theirs, and a crafted request is refused as such, not as a typo."""
    asked = request.POST.get("activity", "")
    if not asked.isdigit() or activities.filter(pk=asked).exists():
        return
    if Activity.objects.filter(pk=asked, objective__plan=plan).exists():
        raise PermissionDenied


def _refuse_closed(plan):
    reason = services.closed_reason(plan)
    if reason:
        raise PermissionDenied(reason)


def _stamp(plan):
    """When anything the expenditure pages of `plan` show last changed, from the histories
    (two queries): the plan and its content, its expenditures and their evidence, its
    contributions and instalments, the rates and the partners' names."""
    latest = history_latest
    plan_id = OuterRef("pk")
    stamps = Plan.objects.filter(pk=plan.pk).values_list(
        latest(Expenditure, activity__objective__plan_id=plan_id),
        latest(Evidence, expenditure__activity__objective__plan_id=plan_id),
        latest(Contribution, plan_id=plan_id),
        latest(Disbursement, contribution__plan_id=plan_id),
        latest(ExchangeRate),
        latest(Organisation),
    )
    found = [plan_stamp(plan=plan), *stamps.get()]
    return max((stamp for stamp in found if stamp is not None), default=None)


def _versioned(request, plan):
    """(etag, 304 response or None) for a GET of an expenditure page: a reader coming back to
    unchanged figures on a metered link downloads a few hundred bytes, not the page."""
    return versioned(request, _stamp(plan), plan.status, request.get_full_path())


def _totals(rows):
    """What the rows shown add up to in the plan's currency: validated, to validate (a
    corrected expenditure counts in neither), and how many could not be converted."""
    totals = {Status.VALIDATED: services.ZERO, Status.DRAFT: services.ZERO}
    for row in rows:
        if row.counts:
            totals[row.status] += row.in_plan
    return {
        "validated": totals[Status.VALIDATED],
        "pending": totals[Status.DRAFT],
        "problems": sum(1 for row in rows if row.problem),
    }


@require_GET
def expenditure_list(request, pk):
    plan = _plan(request, pk)
    etag, unchanged = _versioned(request, plan)
    if unchanged is not None:
        return unchanged
    own = _own(request.user, plan)
    rows, balances = services.plan_expenditures(plan=plan, partners=own)
    objectives = Objective.objects.filter(plan=plan).order_by("position", "pk")
    contributions = [b.contribution for b in balances if b.contribution is not None]
    filters = ExpenditureFilter(
        request.GET or None, objectives=objectives, contributions=contributions
    )
    shown = filters.apply(rows)
    page = Paginator(shown, PER_PAGE).get_page(request.GET.get("page"))
    services.attach_page(page.object_list)
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "plan": plan,
        "page": page,
        "totals": _totals(shown),
        "balances": balances,
        "filter": filters,
        "filtered": any(request.GET.get(n) for n in ("status", "objective", "source")),
        "query": query.urlencode(),
        "own_only": own is not None,
        "can_add": own is None
        and not services.closed_reason(plan)
        and _reporting_activities(request.user, plan).exists(),
    }
    return with_etag(render(request, "monitoring/expenditure_list.html", context), etag)


def _save(request, form, write, **arguments):
    """Run `write` with the form's fields; the saved expenditure, or None with the errors
    (an overrun among them) put on the form."""
    if not form.is_valid():
        return None
    try:
        return write(by=request.user, **arguments, **form.fields_for_service())
    except ValidationError as error:
        add_errors(form, error)
        return None


@require_http_methods(["GET", "POST"])
def expenditure_create(request, pk):
    plan = _plan(request, pk)
    activities = _reporting_activities(request.user, plan)
    if _own(request.user, plan) is not None or not activities.exists():
        raise PermissionDenied
    _refuse_closed(plan)
    if request.method == "POST":
        _refuse_unassigned(request, plan, activities)
    form = ExpenditureForm(
        request.POST or None,
        request.FILES or None,
        activities=activities,
        contributions=services.contributions_of(plan),
        initial={"activity": request.GET.get("activity"), "spent_on": None},
    )
    if request.method == "POST":
        expenditure = _save(request, form, services.expenditure_create)
        if expenditure is not None:
            messages.success(request, _("The expenditure has been recorded; it awaits validation."))
            return redirect("monitoring:expenditure", expenditure.pk)
    context = {"plan": plan, "form": form, "title": _("Record an expenditure")}
    return render(request, "monitoring/expenditure_form.html", context)


@require_GET
def expenditure_detail(request, pk):
    expenditure = _expenditure(request, pk)
    plan = expenditure.activity.objective.plan
    etag, unchanged = _versioned(request, plan)
    if unchanged is not None:
        return unchanged
    user = request.user
    row = services.expenditure_row(expenditure=expenditure, plan=plan)
    open_plan = not services.closed_reason(plan)
    reports = open_plan and user.has_perm("monitoring.add_expenditure", expenditure)
    correction = getattr(expenditure, "correction", None)
    context = {
        "plan": plan,
        "expenditure": expenditure,
        "row": row,
        "correction": correction,
        "evidence": list(expenditure.evidence.all()),
        "can_edit": reports and expenditure.status == Status.DRAFT,
        "can_validate": open_plan
        and expenditure.status == Status.DRAFT
        and user.has_perm("monitoring.validate_expenditure", expenditure),
        "can_correct": reports and expenditure.status == Status.VALIDATED and correction is None,
    }
    if user.has_perm("monitoring.view_history", expenditure):
        context["history"] = list(
            expenditure.history.select_related("history_user").order_by("history_date")
        )
    return with_etag(render(request, "monitoring/expenditure_detail.html", context), etag)


@require_http_methods(["GET", "POST"])
def expenditure_edit(request, pk):
    expenditure = _expenditure(request, pk)
    plan = expenditure.activity.objective.plan
    if not request.user.has_perm("monitoring.add_expenditure", expenditure):
        raise PermissionDenied
    if expenditure.status != Status.DRAFT:
        raise PermissionDenied(
            _(
                "A validated expenditure is never changed. Correct it instead: the correction "
                "keeps the reason and replaces it once validated."
            )
        )
    _refuse_closed(plan)
    activities = _reporting_activities(request.user, plan)
    if request.method == "POST":
        _refuse_unassigned(request, plan, activities)
    form = ExpenditureForm(
        request.POST or None,
        request.FILES or None,
        activities=activities,
        contributions=services.contributions_of(plan, current=expenditure.contribution_id),
        initial=initial_of(expenditure),
    )
    if request.method == "POST":
        saved = _save(request, form, services.expenditure_update, expenditure=expenditure)
        if saved is not None:
            messages.success(request, _("The expenditure has been saved."))
            return redirect("monitoring:expenditure", saved.pk)
    context = {
        "plan": plan,
        "form": form,
        "expenditure": expenditure,
        "title": _("Edit the expenditure"),
    }
    return render(request, "monitoring/expenditure_form.html", context)


@require_POST
def expenditure_validate(request, pk):
    expenditure = _expenditure(request, pk)
    if not request.user.has_perm("monitoring.validate_expenditure", expenditure):
        raise PermissionDenied
    try:
        services.expenditure_validate(expenditure=expenditure, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if expenditure.corrects_id:
            messages.success(
                request, _("The correction is validated; it replaces the expenditure it corrects.")
            )
        else:
            messages.success(request, _("The expenditure is validated."))
    return redirect("monitoring:expenditure", expenditure.pk)


@require_http_methods(["GET", "POST"])
def expenditure_correct(request, pk):
    expenditure = _expenditure(request, pk)
    plan = expenditure.activity.objective.plan
    if not request.user.has_perm("monitoring.add_expenditure", expenditure):
        raise PermissionDenied
    if expenditure.status == Status.DRAFT:
        # Not validated yet: it is edited, not corrected.
        return redirect("monitoring:expenditure_edit", expenditure.pk)
    correction = getattr(expenditure, "correction", None)
    if correction is not None:
        messages.info(request, _("This expenditure already has a correction."))
        return redirect("monitoring:expenditure", correction.pk)
    _refuse_closed(plan)
    activities = _reporting_activities(request.user, plan)
    if request.method == "POST":
        _refuse_unassigned(request, plan, activities)
    form = CorrectionForm(
        request.POST or None,
        request.FILES or None,
        activities=activities,
        contributions=services.contributions_of(plan, current=expenditure.contribution_id),
        initial=initial_of(expenditure),
    )
    if request.method == "POST":
        saved = _save(request, form, services.expenditure_correct, expenditure=expenditure)
        if saved is not None:
            messages.success(
                request,
                _("The correction has been recorded; it replaces the expenditure once validated."),
            )
            return redirect("monitoring:expenditure", saved.pk)
    context = {
        "plan": plan,
        "form": form,
        "expenditure": expenditure,
        "correcting": True,
        "title": _("Correct the expenditure"),
        "cancel": reverse("monitoring:expenditure", args=[expenditure.pk]),
    }
    return render(request, "monitoring/expenditure_form.html", context)
