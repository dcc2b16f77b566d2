"""A country's plans, one plan's page, its workflow, versions and copies."""

from functools import wraps

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import quote_etag
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from relais.core.http import not_modified, reader_etag, with_etag
from relais.countries.selectors import country_get
from relais.plans import selectors, services
from relais.plans.diff import plan_diff
from relais.plans.forms import CopyPlanForm, PlanForm, TransitionForm


def _country(request, code):
    country = country_get(code=code)
    if not request.user.has_perm("countries.view_members", country):
        raise Http404
    return country


def _can_edit(user, plan):
    # has_perm lets a superuser through whatever the rules say; adoption freezes for everyone.
    return plan.is_editable and user.has_perm("plans.change_plan", plan)


def _etag(request, plan):
    """The version of a plan's page: the plan's last change, its status and version."""
    return reader_etag(request, selectors.plan_stamp(plan=plan), plan.status, plan.version)


def conditional(view):
    """Serves a plan's page (`view(request, plan, ...)`) with an ETag, and answers 304 Not
    Modified when the reader already has this version: a return to an unchanged plan of 500
    activities costs a few hundred bytes instead of 15 kB."""

    @wraps(view)
    def wrapper(request, pk, *args, **kwargs):
        plan = selectors.plan_get(user=request.user, pk=pk)
        etag = None if request.htmx else _etag(request, plan)
        etag = quote_etag(etag) if etag else None
        if (unchanged := not_modified(request, etag)) is not None:
            return unchanged
        return with_etag(view(request, plan, *args, **kwargs), etag)

    return wrapper


def _require(request, perm, plan):
    if perm == "plans.change_plan" and not plan.is_editable:
        raise PermissionDenied(services.FrozenPlan(plan).messages[0])
    if not request.user.has_perm(perm, plan):
        raise PermissionDenied


@require_GET
def plan_list(request, code):
    # A partner representative reads the list too, reduced to the plans their organisation
    # is party to; who sees the country's work sees them all.
    country = country_get(code=code)
    if not request.user.has_perm("plans.view_plan_list", country):
        raise Http404
    plans = selectors.plan_list(user=request.user, country=country)
    context = {
        "country": country,
        "plans": plans,
        "sees_every_plan": request.user.has_perm("countries.view_members", country),
    }
    return render(request, "plans/plan_list.html", context)


@require_http_methods(["GET", "POST"])
def plan_create(request, code):
    country = _country(request, code)
    if not request.user.has_perm("plans.add_plan", country):
        raise PermissionDenied
    main_language = next((c for c in country.languages if c in {"fr", "en", "pt", "ar"}), "fr")
    form = PlanForm(
        request.POST or None, initial={"currency": country.currency, "language": main_language}
    )
    if request.method == "POST" and form.is_valid():
        plan = services.plan_create(country=country, by=request.user, **form.cleaned_data)
        messages.success(request, _("The plan has been created. Add its first objective."))
        return redirect(plan)
    return render(request, "plans/plan_form.html", {"country": country, "form": form})


@require_http_methods(["GET", "POST"])
def plan_edit(request, pk):
    plan = selectors.plan_get(user=request.user, pk=pk)
    _require(request, "plans.change_plan", plan)
    form = PlanForm(request.POST or None, instance=plan)
    if request.method == "POST" and form.is_valid():
        try:
            services.plan_update(plan=plan, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The plan has been saved."))
            return redirect(plan)
    return render(
        request, "plans/plan_form.html", {"country": plan.country, "form": form, "plan": plan}
    )


# Pages that later apps add to a plan's (funding; monitoring and reports after it):
# (label, URL name taking the plan's pk, permission on the plan). Plans link to them without
# knowing them; each app appends its own when it loads.
PLAN_LINKS = []


def plan_links(user, plan):
    return [
        (label, reverse(name, args=[plan.pk]))
        for label, name, perm in PLAN_LINKS
        if user.has_perm(perm, plan)
    ]


# A plan page writes this many activity rows at most; the objectives beyond load as they scroll
# into view (htmx), or from a link without JavaScript. 500 rows are 30 kB on a metered link.
ROWS_IN_PAGE = 60


def deferred_objectives(objectives, counts, shown):
    """The objectives whose rows the page leaves out: those past the first ROWS_IN_PAGE rows,
    but for `shown` (the one a reader asked for; "all" for every one)."""
    if shown == "all":
        return set()
    deferred, rows = set(), 0
    for objective in objectives:
        count = counts[objective.pk]
        if rows and rows + count > ROWS_IN_PAGE and str(objective.pk) != shown:
            deferred.add(objective.pk)
        else:
            rows += count
    return deferred


@require_GET
@conditional
def plan_detail(request, plan):
    shown = request.GET.get("objective", "")
    objectives = selectors.plan_objectives(plan=plan)
    context = {"plan": plan, "objectives": objectives, "can_edit": _can_edit(request.user, plan)}
    if request.htmx and shown:
        # An objective scrolled into view: its rows only.
        objective = next((o for o in objectives if str(o.pk) == shown), None)
        if objective is None:
            raise Http404
        selectors.load_activities(plan=plan, objectives=[objective], only=[objective.pk])
        return render(
            request,
            "plans/plan_detail.html#objective-activities",
            {**context, "objective": objective},
        )
    totals = selectors.plan_summary(plan=plan, objectives=objectives)
    deferred = deferred_objectives(objectives, totals.count_by_objective, shown)
    selectors.load_activities(
        plan=plan, objectives=objectives, only=[o.pk for o in objectives if o.pk not in deferred]
    )
    context.update(
        totals=totals,
        deferred=deferred,
        can_move=request.user.has_perm("plans.move_plan", plan),
        actions=services.allowed_actions(plan),
        events=selectors.plan_events(plan=plan),
        links=plan_links(request.user, plan),
    )
    return render(request, "plans/plan_detail.html", context)


@require_POST
def plan_transition(request, pk):
    plan = selectors.plan_get(user=request.user, pk=pk)
    _require(request, "plans.move_plan", plan)
    form = TransitionForm(request.POST)
    if form.is_valid():
        try:
            services.plan_transition(
                plan=plan,
                action=form.cleaned_data["action"],
                reason=form.cleaned_data["reason"],
                by=request.user,
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            plan.refresh_from_db()
            messages.success(
                request,
                _("The plan is now %(status)s.") % {"status": plan.get_status_display().lower()},
            )
    return redirect(plan)


@require_POST
def plan_revise(request, pk):
    plan = selectors.plan_get(user=request.user, pk=pk)
    _require(request, "plans.revise_plan", plan)
    try:
        revision = services.plan_revise(plan=plan, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(plan)
    messages.success(
        request,
        _("Version %(version)s has been started as a draft.") % {"version": revision.version},
    )
    return redirect(revision)


@require_http_methods(["GET", "POST"])
def plan_copy(request, pk):
    plan = selectors.plan_get(user=request.user, pk=pk)
    if not request.user.has_perm("plans.add_plan", plan.country):
        raise PermissionDenied
    years = plan.period_end.year - plan.period_start.year + 1
    form = CopyPlanForm(
        request.POST or None,
        initial={
            "title": plan.title,
            "period_start": plan.period_start.replace(year=plan.period_start.year + years),
            "period_end": plan.period_end.replace(year=plan.period_end.year + years),
        },
    )
    if request.method == "POST" and form.is_valid():
        copy = services.plan_copy(plan=plan, by=request.user, **form.cleaned_data)
        messages.success(request, _("The copy has been created as a draft."))
        if copy.adjusted_activities:
            codes = [activity.code for activity in copy.adjusted_activities]
            messages.warning(
                request,
                ngettext(
                    "The chronogram of activity %(codes)s did not fit in the new period and "
                    "has been adjusted: check it.",
                    "The chronograms of activities %(codes)s did not fit in the new period and "
                    "have been adjusted: check them.",
                    len(codes),
                )
                % {"codes": ", ".join(codes)},
            )
        return redirect(copy)
    return render(request, "plans/plan_copy.html", {"plan": plan, "form": form})


@require_GET
def plan_diff_view(request, pk):
    plan = selectors.plan_get(user=request.user, pk=pk)
    # Only the versions the person may read: a partner may be party to one and not another.
    versions = [
        v
        for v in selectors.plan_versions(plan=plan)
        if v.pk == plan.pk or request.user.has_perm("plans.view_plan", v)
    ]
    against = request.GET.get("against")
    others = [v for v in versions if v.pk != plan.pk]
    if against:
        other = next((v for v in others if str(v.pk) == against), None)
        if other is None:
            raise Http404
    elif plan.previous_id and any(v.pk == plan.previous_id for v in others):
        other = next(v for v in others if v.pk == plan.previous_id)
    else:
        other = others[-1] if others else None
    diff = None
    if other is not None:
        old, new = (other, plan) if other.version < plan.version else (plan, other)
        old_tree, _totals = selectors.plan_tree(plan=old, detail=True)
        new_tree, _totals = selectors.plan_tree(plan=new, detail=True)
        diff = plan_diff(old_tree, new_tree, old_plan=old, new_plan=new)
    return render(
        request,
        "plans/plan_diff.html",
        {"plan": plan, "versions": versions, "diff": diff, "other": other},
    )
