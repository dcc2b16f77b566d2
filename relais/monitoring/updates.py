"""Updates on an activity: where it stands, said by its assigned contributor or the country's
coordinator, with the photos and documents that show it. Each update is kept; the activity's
page lists them newest first.

Updates are posted on adopted plans only: a draft, submitted or validated plan has not started
(its content may still change), a closed plan's record is final, and a plan replaced by a
revision hands its updates to the revision (relais.monitoring.hooks), where the next ones go.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import OuterRef, Prefetch
from django.http import Http404
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from relais.monitoring import evidence as evidence_files
from relais.monitoring.models import ActivityUpdate, Evidence
from relais.plans.models import Activity, Plan
from relais.plans.selectors import history_latest

Status = ActivityUpdate.Status


def plan_closed_reason(plan):
    """Why no update can be posted on `plan` now, or None when it can."""
    if plan.status == Plan.Status.ADOPTED:
        return None
    if plan.status == Plan.Status.CLOSED:
        return _("This plan is closed: its monitoring is kept as it was and takes no new update.")
    if plan.status == Plan.Status.SUPERSEDED:
        return _("This plan has been replaced by a revision: post updates on its current version.")
    return _(
        "Updates are posted once the plan is adopted; this plan is still at the “%(status)s” stage."
    ) % {"status": plan.get_status_display()}


def _check(activity, status, percent_done, on):
    plan = activity.objective.plan
    reason = plan_closed_reason(plan)
    if reason:
        raise ValidationError(reason, code="plan_not_adopted")
    errors = {}
    if status not in Status.values:
        errors["status"] = _("Choose where the activity stands.")
    if percent_done is None or not 0 <= percent_done <= 100:
        errors["percent_done"] = _("The percentage done is a number between 0 and 100.")
    elif status == Status.DONE and percent_done != 100:
        errors["percent_done"] = _(
            "An activity marked done is done in full: enter 100, or choose another status."
        )
    elif status == Status.NOT_STARTED and percent_done != 0:
        errors["percent_done"] = _(
            "An activity not started has nothing done yet: enter 0, or choose another status."
        )
    today = timezone.localdate()
    if on is None:
        errors["on"] = _("Enter the date of the update.")
    elif on > today:
        errors["on"] = _(
            "%(date)s is in the future: an update says what has already happened (today is "
            "%(today)s)."
        ) % {"date": date_format(on, "DATE_FORMAT"), "today": date_format(today, "DATE_FORMAT")}
    elif on < plan.period_start:
        errors["on"] = _("The plan starts on %(start)s: an update cannot come before.") % {
            "start": date_format(plan.period_start, "DATE_FORMAT")
        }
    if errors:
        raise ValidationError(errors)


def update_create(*, activity, by, status, percent_done, on, narrative="", files=()):
    """Record where `activity` stands, with `files` (uploads, at most five) as evidence.

    Every file is checked by its content first (relais.core.uploads; a .jpg that is text is
    refused, naming it) and photos get a thumbnail; then the update and its evidence are saved
    in one transaction. Bad input raises ValidationError (by field: status, percent_done, on,
    files; or the plan's status) and saves nothing."""
    _check(activity, status, percent_done, on)
    prepared = evidence_files.prepare(files)
    written = []
    try:
        with transaction.atomic():
            update = ActivityUpdate(
                activity=activity,
                status=status,
                percent_done=percent_done,
                on=on,
                narrative=(narrative or "").strip(),
                by=by,
            )
            update._history_user = by
            update.save()
            evidence_files.store(prepared, by=by, written=written, update=update)
    except BaseException:
        evidence_files.discard(written)
        raise
    return update


# Reads ---------------------------------------------------------------------------------------


def activity_get(*, user, pk):
    """An activity whose plan `user` may read, with its objective, plan, country, responsible
    structure and assignees (two queries); 404 otherwise."""
    activity = (
        Activity.objects.filter(pk=pk)
        .select_related("objective__plan__country", "responsible")
        .prefetch_related("assignees")
        .first()
    )
    if activity is None or not user.has_perm("monitoring.view_monitoring", activity):
        raise Http404
    return activity


def update_list(*, activity):
    """The activity's updates, newest first, each with who posted it and its evidence
    (`evidence_list`): two queries, however many there are."""
    return list(
        ActivityUpdate.objects.filter(activity=activity)
        .select_related("by")
        .prefetch_related(
            Prefetch(
                "evidence",
                queryset=Evidence.objects.only(
                    "pk", "update_id", "original_name", "size", "kind", "thumbnail"
                ),
                to_attr="evidence_list",
            )
        )
    )


def activity_stamp(*, activity):
    """When the activity's updates or their evidence last changed (one query), None before
    the first."""
    stamps = Activity.objects.filter(pk=activity.pk).values_list(
        history_latest(ActivityUpdate, activity_id=OuterRef("pk")),
        history_latest(Evidence, update__activity_id=OuterRef("pk")),
    )
    return max((stamp for stamp in stamps.get() if stamp is not None), default=None)
