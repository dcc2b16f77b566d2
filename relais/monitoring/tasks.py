"""The weekly digest: each country's coordinators get one short plain-text email listing the
alerts of their country's adopted plans (relais.monitoring.alerts), in their own language,
with a link to each plan's monitoring page. No alert, no email.

django-tasks has no clock: the task, once it has run, enqueues itself again for the next
Monday at 07:00 in Bamako (UTC), with `run_after`; `manage.py schedule_digest` enqueues the
first one. Only a backend that can defer tasks (the database backend the worker reads) can
keep that appointment: with another (the immediate backend of the tests) nothing is
re-enqueued.
"""

from collections import defaultdict
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import ngettext
from django_tasks import task

from relais.countries.models import Role
from relais.monitoring.alerts import plan_alerts
from relais.plans.models import Plan

DIGEST_ZONE = ZoneInfo("Africa/Bamako")
DIGEST_WEEKDAY = 0  # Monday
DIGEST_HOUR = 7


def next_digest_time(now=None):
    """The first Monday 07:00 (Bamako) strictly after `now` (an aware datetime)."""
    local = (now or timezone.now()).astimezone(DIGEST_ZONE)
    days = (DIGEST_WEEKDAY - local.weekday()) % 7
    candidate = datetime.combine(
        local.date() + timedelta(days=days), datetime.min.time(), DIGEST_ZONE
    ).replace(hour=DIGEST_HOUR)
    if candidate <= local:
        candidate += timedelta(days=7)
    return candidate


def site_url(path):
    """An absolute address for `path` when the settings name the site (RELAIS_SITE_URL, e.g.
    "https://relais.example.org"); the path alone otherwise."""
    base = getattr(settings, "RELAIS_SITE_URL", "") or ""
    return base.rstrip("/") + path


def _coordinators():
    """{country id: [active coordinators]}: one query."""
    by_country = defaultdict(list)
    roles = Role.objects.filter(
        kind=Role.Kind.COORDINATOR, country__isnull=False, user__is_active=True
    ).select_related("user")
    for role in roles.order_by("country_id", "user__email"):
        by_country[role.country_id].append(role.user)
    return by_country


def digests(today=None):
    """[(user, subject, body)]: the digest each coordinator is to receive on `today`, in
    their language; none for a coordinator whose plans have no alert."""
    today = today or timezone.localdate()
    coordinators = _coordinators()
    plans = (
        Plan.objects.filter(status=Plan.Status.ADOPTED, country_id__in=list(coordinators))
        .select_related("country")
        .order_by("country__code", "-period_start", "title", "pk")
    )
    alerted = defaultdict(list)  # country id → [(plan, alerts)]
    for plan in plans:
        alerts = plan_alerts(plan, today)
        if alerts:
            alerted[plan.country_id].append((plan, alerts))
    messages = []
    for country_id, entries in alerted.items():
        for user in coordinators[country_id]:
            with translation.override(user.language or settings.LANGUAGE_CODE):
                count = sum(alerts.count for _plan, alerts in entries)
                subject = ngettext(
                    "Relais: %(count)s alert in the plans of %(country)s",
                    "Relais: %(count)s alerts in the plans of %(country)s",
                    count,
                ) % {"count": count, "country": entries[0][0].country.display_name}
                body = render_to_string(
                    "monitoring/digest.txt",
                    {
                        "user": user,
                        "today": today,
                        "entries": [
                            (
                                plan,
                                alerts,
                                site_url(reverse("monitoring:plan", args=[plan.pk])),
                            )
                            for plan, alerts in entries
                        ],
                    },
                )
            messages.append((user, subject, body))
    return messages


def send_digests(today=None):
    """Send the digests of `today`, one email per coordinator. Returns how many were sent."""
    sent = 0
    with get_connection() as connection:
        for user, subject, body in digests(today):
            email = EmailMessage(subject, body, None, [user.email], connection=connection)
            sent += email.send()
    return sent


def digest_pending():
    """Whether a digest waits in the database queue (one that has not started)."""
    from django_tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(
        task_path=send_weekly_digest.module_path, status=TaskResultStatus.READY
    ).exists()


def schedule_digest(now=None):
    """Enqueue the digest for the next Monday 07:00 unless one is already waiting. Returns
    the time it will run, or None when nothing was enqueued (one already waits, or the task
    backend cannot defer tasks)."""
    backend = send_weekly_digest.get_backend()
    if not backend.supports_defer:
        return None
    if digest_pending():
        return None
    when = next_digest_time(now)
    send_weekly_digest.using(run_after=when).enqueue()
    return when


@task()
def send_weekly_digest():
    """Email each country's coordinators their plans' alerts, then come back next Monday
    (even when sending failed: next week's digest should not be lost with this one)."""
    try:
        return send_digests()
    finally:
        schedule_digest()
