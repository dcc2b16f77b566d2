"""A plan's reports: the list and starting one for a period, a report's page (its narrative,
its figures, its documents), writing its narrative, submitting it and acknowledging it.

Whoever reads the plan's country's work reads its reports; the representative of a partner
reads the submitted reports addressed to their organisation; anyone else is told they do not
exist (404). The country's coordinator and contributors write drafts, its coordinator submits
them; a submitted report is frozen and never edited (403, with the reason). Every page works
without JavaScript.
"""

from datetime import date

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from relais.core.forms import add_errors
from relais.countries.rules import organisation_ids_of
from relais.plans.selectors import plan_get
from relais.reports import figures as report_figures_module
from relais.reports import services
from relais.reports.documents import figures_of
from relais.reports.forms import NarrativeForm, ReportForm, SubmitForm
from relais.reports.models import Acknowledgement, Report

# The totals a reader compares between a submitted report and the data now:
# (label, path in the figures, "amount" in the plan's currency or a "count").
MAIN_TOTALS = [
    (gettext_lazy("Activities done in the period"), ("activities", "counts", "done"), "count"),
    (gettext_lazy("Activities late"), ("activities", "counts", "late"), "count"),
    (gettext_lazy("Spent up to the end of the period"), ("budget", "total", "spent"), "amount"),
    (gettext_lazy("Spent in the period"), ("budget", "total", "spent_period"), "amount"),
    (gettext_lazy("Confirmed funding"), ("funding", "total", "confirmed"), "amount"),
    (gettext_lazy("Disbursed"), ("funding", "total", "disbursed"), "amount"),
    (gettext_lazy("Funding gap"), ("funding", "total", "gap"), "amount"),
    (gettext_lazy("People trained"), ("training", "people"), "count"),
]
# Keys whose values are ISO dates in the figures: shown as dates of the page's language.
DATE_KEYS = frozenset(
    {"period_start", "period_end", "start", "end", "planned", "on", "date", "starts_on", "ends_on"}
)


def live_figures(report):
    """The figures of the report's period as the data give them now."""
    return report_figures_module.report_figures(
        plan=report.plan,
        start=report.period_start,
        end=report.period_end,
        kind=report.kind,
        language=report.language,
    )


def dated(value, key=None):
    """The figures with their ISO dates as dates, for the `date` filter (a copy)."""
    if isinstance(value, dict):
        return {k: dated(v, k) for k, v in value.items()}
    if isinstance(value, list):
        return [dated(v, key) for v in value]
    if key in DATE_KEYS and isinstance(value, str) and len(value) == 10:
        try:
            return date.fromisoformat(value)
        except ValueError:
            return value
    return value


def _dig(figures, path):
    for key in path:
        figures = (figures or {}).get(key)
    return figures


def _plan_for(request, pk):
    """A plan whose reports `request.user` may read (404 otherwise)."""
    plan = plan_get(user=request.user, pk=pk)
    if not request.user.has_perm("reports.view_report", plan):
        raise Http404
    return plan


def _reports(plan):
    return (
        Report.objects.filter(plan=plan)
        .select_related("submitted_by")
        .prefetch_related(
            "addressees",
            Prefetch(
                "acknowledgements",
                queryset=Acknowledgement.objects.select_related("by", "organisation"),
            ),
        )
    )


def _report_for(request, pk):
    """A report `request.user` may read, with its plan, country and people (404 otherwise)."""
    report = (
        Report.objects.filter(pk=pk)
        .select_related("plan__country__national_body", "created_by", "submitted_by")
        .prefetch_related(
            "addressees",
            Prefetch(
                "acknowledgements",
                queryset=Acknowledgement.objects.select_related("by", "organisation"),
            ),
        )
        .first()
    )
    if report is None or not request.user.has_perm("reports.view_report", report):
        raise Http404
    return report


def _presets(plan):
    """The periods offered as links to start a report, each with its query string."""
    return [
        {
            "kind": kind,
            "label": label,
            "query": f"kind={kind}&period_start={start.isoformat()}&period_end={end.isoformat()}",
        }
        for kind, start, end, label in services.period_presets(plan)
    ]


@require_GET
def report_list(request, pk):
    plan = plan_get(user=request.user, pk=pk)
    if not request.user.has_perm("reports.view_report_list", plan):
        raise Http404
    reports = _reports(plan)
    if not request.user.has_perm("reports.view_report", plan):
        # A partner representative: only the submitted reports addressed to their organisation.
        reports = reports.filter(
            status=Report.Status.SUBMITTED, addressees__in=organisation_ids_of(request.user)
        ).distinct()
    can_add = request.user.has_perm("reports.add_report", plan)
    context = {
        "plan": plan,
        "country": plan.country,
        "reports": reports,
        "can_add": can_add,
        "form": ReportForm(plan=plan) if can_add else None,
        "presets": _presets(plan) if can_add else [],
    }
    return render(request, "reports/report_list.html", context)


@require_http_methods(["GET", "POST"])
def report_create(request, pk):
    plan = _plan_for(request, pk)
    if not request.user.has_perm("reports.add_report", plan):
        raise PermissionDenied
    if request.method == "POST":
        form = ReportForm(request.POST, plan=plan)
    else:
        # A preset period chosen from the list: the form comes filled in.
        fields = ("kind", "period_start", "period_end", "language", "title")
        form = ReportForm(plan=plan, initial={k: v for k, v in request.GET.items() if k in fields})
    if request.method == "POST" and form.is_valid():
        try:
            report = services.report_create(plan=plan, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The report has been started. Write its narrative."))
            return redirect("reports:edit", report.pk)
    context = {"plan": plan, "form": form, "presets": _presets(plan)}
    return render(request, "reports/report_form.html", context)


def _objectives(report):
    """The plan's objectives, each with the report's text on its results (`text`)."""
    objectives = list(report.plan.objectives.order_by("position", "pk"))
    for objective in objectives:
        objective.text = report.results.get(str(objective.key), "")
    return objectives


def _changes(report, frozen):
    """For a submitted report: None when the data still give its figures, else the main
    totals [(label, kind, then, now, changed)] as they were and as a new report would show."""
    if report.status != Report.Status.SUBMITTED or frozen is None:
        return None
    now = live_figures(report)
    if report_figures_module.checksum(now) == report.checksum:
        return None
    rows = []
    for label, path, kind in MAIN_TOTALS:
        then, current = _dig(frozen, path), _dig(now, path)
        rows.append((label, kind, then, current, str(then) != str(current)))
    return rows


def _detail(request, report, *, submit_form=None):
    user = request.user
    figures = figures_of(report)
    can_submit = user.has_perm("reports.submit_report", report)
    acknowledged = any(a.by_id == user.pk for a in report.acknowledgements.all())
    context = {
        "report": report,
        "plan": report.plan,
        "country": report.plan.country,
        "objectives": _objectives(report),
        "figures": dated(figures),
        "changes": _changes(report, report.figures),
        "can_change": user.has_perm("reports.change_report", report),
        "can_submit": can_submit,
        "submit_form": submit_form or (SubmitForm(plan=report.plan) if can_submit else None),
        "can_acknowledge": not acknowledged and user.has_perm("reports.acknowledge_report", report),
        "acknowledged": acknowledged,
        "can_see_history": user.has_perm("reports.view_history", report),
        "can_see_plan_reports": user.has_perm("reports.view_report", report.plan),
    }
    return render(request, "reports/report_detail.html", context)


@require_GET
def report_detail(request, pk):
    return _detail(request, _report_for(request, pk))


@require_http_methods(["GET", "POST"])
def report_edit(request, pk):
    report = _report_for(request, pk)
    if report.status == Report.Status.SUBMITTED:
        raise PermissionDenied(
            _("This report has been submitted: its text and figures can no longer change.")
        )
    if not request.user.has_perm("reports.change_report", report):
        raise PermissionDenied
    objectives = _objectives(report)
    form = NarrativeForm(request.POST or None, report=report, objectives=objectives)
    if request.method == "POST" and form.is_valid():
        try:
            services.report_update(report=report, by=request.user, **form.narrative())
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The report has been saved."))
            return redirect("reports:detail", report.pk)
    context = {"report": report, "plan": report.plan, "form": form}
    return render(request, "reports/report_edit.html", context)


@require_POST
def report_submit(request, pk):
    report = _report_for(request, pk)
    if report.status == Report.Status.SUBMITTED:
        raise PermissionDenied(_("This report has already been submitted."))
    if not request.user.has_perm("reports.submit_report", report):
        raise PermissionDenied
    form = SubmitForm(request.POST, plan=report.plan)
    if form.is_valid():
        try:
            services.report_submit(report=report, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(
                request, _("The report has been submitted: its figures are frozen as they are.")
            )
            return redirect("reports:detail", report.pk)
    return _detail(request, report, submit_form=form)


@require_POST
def report_acknowledge(request, pk):
    report = _report_for(request, pk)
    if not request.user.has_perm("reports.acknowledge_report", report):
        raise PermissionDenied
    try:
        services.report_acknowledge(
            report=report, by=request.user, comment=request.POST.get("comment", "")
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("You have acknowledged the report."))
    return redirect(reverse("reports:detail", args=[report.pk]) + "#acknowledgements")
