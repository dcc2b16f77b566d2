"""Writes for a plan's reports: starting one for a period, writing its narrative, submitting it
(its figures frozen as they were, with their checksum) and acknowledging it. One function per
action, each in one transaction, each saying what is wrong and where; bad input changes
nothing. Who may do what is checked by the views (relais.reports.rules)."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from relais.countries.models import Organisation
from relais.countries.rules import organisation_ids_of
from relais.plans.selectors import plan_organisation_ids
from relais.reports import figures as report_figures_module
from relais.reports.models import LANGUAGES, Acknowledgement, Report

NARRATIVE = ("summary", "difficulties", "lessons", "next_steps", "recommendations")
QUARTERS = ((1, 3), (4, 6), (7, 9), (10, 12))
HALVES = ((1, 6), (7, 12))


def _month_end(year, month):
    return date.fromordinal(date(year + month // 12, month % 12 + 1, 1).toordinal() - 1)


def period_label(plan, start, end):
    """“Q2 2019”, “H1 2019”, “2019”, “2018–2019” (the whole plan) or the two dates, in the
    active language."""
    if (start, end) == (plan.period_start, plan.period_end) and start.year != end.year:
        return f"{start.year}–{end.year}"
    if start.year == end.year and start.day == 1 and end == _month_end(end.year, end.month):
        months = (start.month, end.month)
        if months == (1, 12):
            return str(start.year)
        if months in QUARTERS:
            return _("Q%(quarter)s %(year)s") % {
                "quarter": QUARTERS.index(months) + 1,
                "year": start.year,
            }
        if months in HALVES:
            return _("H%(half)s %(year)s") % {"half": HALVES.index(months) + 1, "year": start.year}
    return f"{date_format(start, 'DATE_FORMAT')} – {date_format(end, 'DATE_FORMAT')}"


def default_title(plan, kind, start, end, language):
    """“Rapport d'étape — T2 2019”: the report's kind and period, in the report's language."""
    with translation.override(language):
        period = period_label(plan, start, end)
        if kind == Report.Kind.FINAL:
            return _("Final report — %(period)s") % {"period": period}
        return _("Progress report — %(period)s") % {"period": period}


def period_presets(plan):
    """[(kind, start, end, label), …]: each quarter, half-year and year that lies within the
    plan, then the whole plan (for a final report)."""
    presets = []
    for year in plan.years:
        spans = [*QUARTERS, *HALVES, (1, 12)]
        for first, last in spans:
            start, end = date(year, first, 1), _month_end(year, last)
            if plan.period_start <= start and end <= plan.period_end:
                presets.append((Report.Kind.PROGRESS, start, end, period_label(plan, start, end)))
    presets.append(
        (
            Report.Kind.FINAL,
            plan.period_start,
            plan.period_end,
            period_label(plan, plan.period_start, plan.period_end),
        )
    )
    return presets


def addressee_choices(plan):
    """Whom a report of `plan` may be addressed to: the country's ministries and state bodies,
    and the organisations party to the plan (funders, partners), but not the committee that
    writes it."""
    condition = Q(
        country=plan.country, kind__in=[Organisation.Kind.MINISTRY, Organisation.Kind.STATE]
    )
    condition |= Q(pk__in=plan_organisation_ids(plan=plan))
    choices = Organisation.objects.filter(condition)
    if plan.country.national_body_id:
        choices = choices.exclude(pk=plan.country.national_body_id)
    return choices.order_by("kind", "name")


def _check_period(plan, kind, start, end):
    first, last = plan.period_start, plan.period_end
    within = _("The plan runs from %(first)s to %(last)s: choose a date within it.") % {
        "first": date_format(first, "DATE_FORMAT"),
        "last": date_format(last, "DATE_FORMAT"),
    }
    errors = {}
    if start is None:
        errors["period_start"] = _("Enter the first day of the period.")
    elif not first <= start <= last:
        errors["period_start"] = within
    if end is None:
        errors["period_end"] = _("Enter the last day of the period.")
    elif not first <= end <= last:
        errors["period_end"] = within
    elif start is not None and end < start:
        errors["period_end"] = _("The period ends before it starts.")
    if not errors and kind == Report.Kind.FINAL and (start, end) != (first, last):
        field = "period_start" if start != first else "period_end"
        errors[field] = _("A final report covers the whole plan, from %(first)s to %(last)s.") % {
            "first": date_format(first, "DATE_FORMAT"),
            "last": date_format(last, "DATE_FORMAT"),
        }
    if errors:
        raise ValidationError(errors)


def _save(report, by, reason):
    report._history_user = by
    report._change_reason = reason
    report.save()


@transaction.atomic
def report_create(*, plan, by, kind, period_start, period_end, language=None, title=""):
    """A draft report of `plan` for the period; without a title, “Rapport d'étape — T2 2019”
    in its language (the plan's by default)."""
    if kind not in Report.Kind.values:
        raise ValidationError({"kind": _("Choose a progress report or a final report.")})
    language = language or plan.language
    if language not in dict(LANGUAGES):
        raise ValidationError({"language": _("Choose the language the report is written in.")})
    _check_period(plan, kind, period_start, period_end)
    title = (title or "").strip() or default_title(plan, kind, period_start, period_end, language)
    report = Report(
        plan=plan,
        kind=kind,
        title=title,
        period_start=period_start,
        period_end=period_end,
        language=language,
        created_by=by,
    )
    _save(report, by, "create")
    return report


def _locked_draft(report):
    current = Report.objects.select_for_update().get(pk=report.pk)
    if current.status != Report.Status.DRAFT:
        raise ValidationError(
            _("This report has been submitted: its text and figures can no longer change.")
        )
    return current


@transaction.atomic
def report_update(*, report, by, results=None, **narrative):
    """The narrative of a draft: its summary, one text per objective (`results`, keyed by the
    objective's key as a string; keys of other plans' objectives are refused), difficulties,
    lessons learned, next steps and recommendations. Sections not given stay as they were."""
    unknown = set(narrative) - set(NARRATIVE)
    if unknown:
        raise TypeError(f"Unexpected fields: {', '.join(sorted(unknown))}")
    current = _locked_draft(report)
    for name, text in narrative.items():
        setattr(current, name, (text or "").strip())
    if results is not None:
        keys = {str(key) for key in current.plan.objectives.values_list("key", flat=True)}
        strange = set(results) - keys
        if strange:
            raise ValidationError({"results": _("An objective is not one of this plan's.")})
        current.results = {
            key: text.strip() for key, text in results.items() if text and text.strip()
        }
    _save(current, by, "update")
    return current


@transaction.atomic
def report_submit(*, report, by, addressees):
    """Submit a draft to `addressees`: its figures, as the data give them now, are frozen in
    the report with the SHA-256 of their canonical JSON; later changes to the data never alter
    it. A submitted report is never submitted again."""
    current = _locked_draft(report)
    addressees = list(addressees)
    if not addressees:
        raise ValidationError(
            {"addressees": _("Choose whom the report is addressed to: a ministry, a partner…")}
        )
    allowed = set(addressee_choices(current.plan).values_list("pk", flat=True))
    if any(organisation.pk not in allowed for organisation in addressees):
        raise ValidationError(
            {"addressees": _("A report is addressed to the country's ministries and state "
                             "bodies and to the partners of its plan only.")}
        )  # fmt: skip
    frozen = report_figures_module.report_figures(
        plan=current.plan,
        start=current.period_start,
        end=current.period_end,
        kind=current.kind,
        language=current.language,
    )
    current.figures = frozen
    current.checksum = report_figures_module.checksum(frozen)
    current.status = Report.Status.SUBMITTED
    current.submitted_by = by
    current.submitted_at = timezone.now()
    current.addressees.set(addressees)
    _save(current, by, "submit")
    return current


@transaction.atomic
def report_acknowledge(*, report, by, comment=""):
    """`by` acknowledges a submitted report, once, for the addressee they represent (or as a
    regional coordinator)."""
    current = Report.objects.select_for_update().get(pk=report.pk)
    if current.status != Report.Status.SUBMITTED:
        raise ValidationError(_("Only a submitted report can be acknowledged."))
    if Acknowledgement.objects.filter(report=current, by=by).exists():
        raise ValidationError(_("You have already acknowledged this report."))
    organisation = (
        current.addressees.filter(pk__in=organisation_ids_of(by)).order_by("name").first()
    )
    return Acknowledgement.objects.create(
        report=current, by=by, organisation=organisation, comment=(comment or "").strip()
    )
