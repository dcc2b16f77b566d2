"""Contributions of a plan: the list, one contribution with its agreement and instalments, and
the forms that record them. Every write goes through relais.funding.services."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from relais.core.forms import add_errors
from relais.core.http import not_modified, with_etag
from relais.countries.rules import can_see_country_work, organisation_ids_of
from relais.funding import services
from relais.funding.forms import (
    ACTIVITIES,
    ONE_OBJECTIVE,
    WHOLE_PLAN,
    ConfirmForm,
    ContributionForm,
    CorrectionForm,
    DisbursementForm,
    WithdrawForm,
)
from relais.funding.models import Contribution, ContributionTarget, Disbursement
from relais.funding.picture import valued_contributions
from relais.funding.views.funding import funding_etag
from relais.plans.selectors import plan_get


def _plan_to_change(request, pk):
    plan = plan_get(user=request.user, pk=pk)
    if not request.user.has_perm("funding.change_funding", plan):
        raise PermissionDenied
    return plan


def _contribution(request, pk, change=False):
    """The contribution, if the person may read it (404 otherwise); with `change`, 403 for
    who reads it but may not record funding."""
    contribution = (
        Contribution.objects.select_related("plan__country", "partner", "event")
        .filter(pk=pk)
        .first()
    )
    if contribution is None or not request.user.has_perm("funding.view_contribution", contribution):
        raise Http404
    if change and not request.user.has_perm("funding.change_funding", contribution.plan):
        raise PermissionDenied
    return contribution


def _targets_texts(plan):
    """{contribution pk: what it funds}: "OS2", or "1.3, 1.7" (the codes of Objective and
    Activity); a contribution to the whole plan has none. One query, however many targets."""
    codes = {}
    rows = ContributionTarget.objects.filter(contribution__plan=plan).order_by("pk")
    for contribution_id, objective, activity_objective, activity in rows.values_list(
        "contribution_id", "objective__position", "activity__objective__position",
        "activity__position",
    ):  # fmt: skip
        code = f"OS{objective}" if objective is not None else f"{activity_objective}.{activity}"
        codes.setdefault(contribution_id, []).append(code)
    return {pk: ", ".join(names) for pk, names in codes.items()}


@require_GET
def contribution_list(request, pk):
    plan = plan_get(user=request.user, pk=pk)
    own = None if can_see_country_work(request.user, plan) else organisation_ids_of(request.user)
    etag = funding_etag(request, plan)
    if (unchanged := not_modified(request, etag)) is not None:
        return unchanged
    texts = _targets_texts(plan)
    whole_plan = _("the whole plan")
    rows = [
        (v, texts.get(v.contribution.pk, whole_plan))
        for v in valued_contributions(plan=plan, partners=own)
    ]
    context = {
        "plan": plan,
        "rows": rows,
        "own_only": own is not None,
        "can_change": request.user.has_perm("funding.change_funding", plan),
    }
    return with_etag(render(request, "funding/contribution_list.html", context), etag)


@require_GET
def contribution_detail(request, pk):
    contribution = _contribution(request, pk)
    plan = contribution.plan
    valued = next(
        v
        for v in valued_contributions(plan=plan, partners={contribution.partner_id})
        if v.contribution.pk == contribution.pk
    )
    targets = list(
        contribution.targets.select_related("objective", "activity__objective").order_by("pk")
    )
    can_change = request.user.has_perm("funding.change_funding", plan)
    context = {
        "plan": plan,
        "contribution": contribution,
        "valued": valued,
        "targets": targets,
        "disbursements": list(contribution.disbursements.all()),
        "can_change": can_change,
        "can_see_history": request.user.has_perm("funding.view_history", contribution),
    }
    if can_change:
        if contribution.status == Contribution.Status.ANNOUNCED:
            context["confirm_form"] = ConfirmForm(initial={"confirmed_amount": contribution.amount})
        if contribution.status == Contribution.Status.CONFIRMED:
            context["disbursement_form"] = DisbursementForm()
        if contribution.is_live and not context["disbursements"]:
            context["withdraw_form"] = WithdrawForm()
    return render(request, "funding/contribution_detail.html", context)


def _initial(contribution):
    targets = list(contribution.targets.select_related("activity__objective").order_by("pk"))
    initial = {
        "partner": contribution.partner_id,
        "kind": contribution.kind,
        "amount": contribution.amount,
        "currency": contribution.currency,
        "announced_on": contribution.announced_on,
        "event": contribution.event_id,
        "description": contribution.description,
        "target": WHOLE_PLAN,
    }
    if targets and targets[0].objective_id:
        initial.update(target=ONE_OBJECTIVE, objective=targets[0].objective_id)
    elif targets:
        initial.update(target=ACTIVITIES, lines=[(t.activity, t.share) for t in targets])
    return initial


def _save(request, form, plan, contribution=None):
    """Check and write the form's contribution; None (and the errors in the form) if not."""
    if not form.is_valid():
        return None
    objective, lines = form.targets()
    if not form.is_valid():
        return None
    data = form.cleaned_data
    fields = {
        "partner": data["partner"],
        "kind": data["kind"],
        "amount": data["amount"],
        "currency": data["currency"],
        "announced_on": data["announced_on"],
        "event": data["event"],
        "description": data["description"],
        "objective": objective,
        "activities": lines,
    }
    try:
        if contribution is None:
            return services.contribution_create(plan=plan, by=request.user, **fields)
        return services.contribution_update(
            contribution=contribution,
            by=request.user,
            revision=request.POST.get("revision"),
            **fields,
        )
    except ValidationError as error:
        add_errors(form, error)
        return None


@require_http_methods(["GET", "POST"])
def contribution_create(request, pk):
    plan = _plan_to_change(request, pk)
    initial = {"currency": plan.currency, "target": WHOLE_PLAN}
    event = request.GET.get("event", "")
    if event.isdigit():
        initial["event"] = int(event)
    form = ContributionForm(request.POST or None, plan=plan, initial=initial)
    if request.method == "POST":
        contribution = _save(request, form, plan)
        if contribution is not None:
            messages.success(request, _("The contribution has been recorded."))
            return redirect(contribution)
    context = {"plan": plan, "form": form, "title": _("Record a contribution")}
    return render(request, "funding/contribution_form.html", context)


@require_http_methods(["GET", "POST"])
def contribution_edit(request, pk):
    contribution = _contribution(request, pk, change=True)
    plan = contribution.plan
    if not contribution.is_live:
        raise PermissionDenied(_("A withdrawn contribution cannot change."))
    form = ContributionForm(request.POST or None, plan=plan, initial=_initial(contribution))
    if request.method == "POST":
        saved = _save(request, form, plan, contribution)
        if saved is not None:
            messages.success(request, _("The contribution has been saved."))
            return redirect(saved)
    context = {
        "plan": plan,
        "form": form,
        "contribution": contribution,
        "title": _("Change the contribution"),
    }
    return render(request, "funding/contribution_form.html", context)


def _small_form(request, contribution, form, title, action):
    """A one-purpose form (confirm, withdraw, disburse, correct) on its own page."""
    context = {"plan": contribution.plan, "contribution": contribution, "form": form}
    context.update(title=title, action=action)
    return render(request, "funding/contribution_action.html", context)


@require_http_methods(["GET", "POST"])
def contribution_confirm(request, pk):
    contribution = _contribution(request, pk, change=True)
    form = ConfirmForm(
        request.POST or None,
        request.FILES or None,
        initial={"confirmed_amount": contribution.amount},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.contribution_confirm(
                contribution=contribution,
                by=request.user,
                amount=data["confirmed_amount"],
                signed_on=data["signed_on"],
                reference=data["agreement_reference"],
                document=data["agreement"],
                revision=request.POST.get("revision"),
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The agreement has been recorded."))
            return redirect(contribution)
    return _small_form(request, contribution, form, _("Confirm by an agreement"), "confirm")


@require_http_methods(["GET", "POST"])
def contribution_withdraw(request, pk):
    contribution = _contribution(request, pk, change=True)
    form = WithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.contribution_withdraw(
                contribution=contribution,
                by=request.user,
                reason=form.cleaned_data["reason"],
                revision=request.POST.get("revision"),
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The contribution is recorded as withdrawn."))
            return redirect(contribution)
    return _small_form(request, contribution, form, _("Withdraw the contribution"), "withdraw")


@require_http_methods(["GET", "POST"])
def disbursement_create(request, pk):
    contribution = _contribution(request, pk, change=True)
    form = DisbursementForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.disbursement_create(
                contribution=contribution, by=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The instalment has been recorded."))
            return redirect(contribution)
    return _small_form(request, contribution, form, _("Record an instalment"), "disburse")


@require_http_methods(["GET", "POST"])
def disbursement_correct(request, pk):
    disbursement = Disbursement.objects.select_related("contribution").filter(pk=pk).first()
    if disbursement is None:
        raise Http404
    contribution = _contribution(request, disbursement.contribution_id, change=True)
    form = CorrectionForm(
        request.POST or None,
        initial={
            "paid_on": disbursement.paid_on,
            "amount": disbursement.amount,
            "reference": disbursement.reference,
            "override_reason": disbursement.override_reason,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.disbursement_correct(
                disbursement=disbursement,
                by=request.user,
                paid_on=data["paid_on"],
                amount=data["amount"],
                reference=data["reference"],
                override_reason=data["override_reason"],
                reason=data["correction_reason"],
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The instalment has been corrected."))
            return redirect(contribution)
    context_title = _("Correct an instalment")
    return _small_form(request, contribution, form, context_title, "correct")
