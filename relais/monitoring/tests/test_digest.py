"""The weekly digest: one short plain-text email per coordinator listing their country's
adopted plans' alerts, in their language, with links; nothing when nothing needs attention;
the task enqueued again for next Monday 07:00."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from relais.monitoring import indicators
from relais.monitoring.models import ActivityUpdate
from relais.monitoring.tasks import (
    digests,
    next_digest_time,
    send_digests,
    send_weekly_digest,
)
from relais.plans.models import Activity, Indicator, Plan
from relais.plans.tests.factories import IndicatorFactory, ObjectiveFactory, plan_with_content

pytestmark = pytest.mark.django_db
D = Decimal
DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
TODAY = date(2020, 2, 3)  # a Monday, after the plan's end


@pytest.fixture
def plan(mali):
    """Adopted, 2018-2019: on TODAY its three activities are late (no update) and its
    indicators have no value for their last period."""
    plan = plan_with_content(mali, status=Plan.Status.ADOPTED, title="Plan de plaidoyer 2018-2019")
    IndicatorFactory(objective=plan.objectives.first(), name="Lois adoptées", frequency="quarterly")
    return plan


@pytest.fixture
def coordinators(make_user, mali):
    return (
        make_user("coordinator", mali, language="en", email="awa@example.org"),
        make_user("coordinator", mali, language="fr", email="moussa@example.org"),
    )


@pytest.fixture
def others(make_user, mali, senegal):
    """Who never receives Mali's digest: an observer, a contributor, Senegal's coordinator,
    a coordinator whose account is closed."""
    plan_with_content(senegal, status=Plan.Status.DRAFT)  # a draft: no alert
    return [
        make_user("observer", mali),
        make_user("contributor", mali),
        make_user("coordinator", senegal),
        make_user("coordinator", mali, is_active=False),
    ]


def test_one_email_per_coordinator_in_their_language(plan, coordinators, others):
    sent = send_digests(TODAY)
    assert sent == 2
    by_address = {email.to[0]: email for email in mail.outbox}
    assert set(by_address) == {"awa@example.org", "moussa@example.org"}

    english = by_address["awa@example.org"]
    assert english.subject == "Relais: 6 alerts in the plans of Mali"
    body = english.body
    assert "Plan de plaidoyer 2018-2019" in body
    assert "3 activities are late" in body and "Atelier de validation" in body
    assert "3 indicators have no value for their last period" in body
    assert "Lois adoptées (Q4 2019)" in body
    assert "Indicateur" in body and "(2019)" in body
    assert reverse("monitoring:plan", args=[plan.pk]) in body
    assert "planned to end on Nov. 30, 2019" in body

    french = by_address["moussa@example.org"].body
    assert "Lois adoptées (T4 2019)" in french
    assert "30 novembre 2019" in french


def test_the_email_is_short_plain_text(plan, coordinators):
    send_digests(TODAY)
    for email in mail.outbox:
        assert email.content_subtype == "plain"
        assert not getattr(email, "alternatives", None) and not email.attachments
        assert "<" not in email.body
        assert len(email.message().as_bytes()) < 8 * 1024


def test_a_large_plan_stays_a_few_kilobytes(plan, coordinators):
    objective = ObjectiveFactory(plan=plan)
    Activity.objects.bulk_create(
        Activity(
            objective=objective,
            position=n + 1,
            title=f"Activité de sensibilisation des communautés frontalières numéro {n}" * 2,
            months=["2019-06"],
            unit_cost=D(1000),
            total=D(1000),
        )
        for n in range(300)
    )
    send_digests(TODAY)
    english = next(e for e in mail.outbox if e.to == ["awa@example.org"])
    assert "303 activities are late" in english.body and "and 293 more" in english.body
    assert len(english.message().as_bytes()) < 8 * 1024


def test_links_are_absolute_when_the_site_is_named(plan, coordinators):
    with override_settings(RELAIS_SITE_URL="https://relais.example.org/"):
        send_digests(TODAY)
    path = reverse("monitoring:plan", args=[plan.pk])
    assert all(f"https://relais.example.org{path}" in email.body for email in mail.outbox)


def test_no_email_when_nothing_needs_attention(plan, coordinators):
    [awa, _moussa] = coordinators
    for activity in Activity.objects.filter(objective__plan=plan):
        ActivityUpdate.objects.create(
            activity=activity, status="done", percent_done=100, on=date(2019, 12, 1), by=awa
        )
    for indicator in Indicator.objects.filter(objective__plan=plan) | Indicator.objects.filter(
        result__objective__plan=plan
    ):
        start = date(2019, 10, 1) if indicator.frequency == "quarterly" else date(2019, 1, 1)
        indicators.indicator_value_set(indicator=indicator, by=awa, period_start=start, value=D(1))
    assert digests(TODAY) == []
    assert send_digests(TODAY) == 0 and mail.outbox == []


def test_plans_not_adopted_raise_nothing(mali, coordinators):
    plan_with_content(mali, status=Plan.Status.VALIDATED)
    assert send_digests(TODAY) == 0 and mail.outbox == []


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (datetime(2026, 11, 30, 6, 59, tzinfo=UTC), datetime(2026, 11, 30, 7, 0, tzinfo=UTC)),
        (datetime(2026, 11, 30, 7, 0, tzinfo=UTC), datetime(2026, 12, 7, 7, 0, tzinfo=UTC)),
        (datetime(2026, 11, 30, 7, 0, 5, tzinfo=UTC), datetime(2026, 12, 7, 7, 0, tzinfo=UTC)),
        (datetime(2026, 12, 6, 23, 0, tzinfo=UTC), datetime(2026, 12, 7, 7, 0, tzinfo=UTC)),
        (datetime(2026, 12, 2, 12, 0, tzinfo=UTC), datetime(2026, 12, 7, 7, 0, tzinfo=UTC)),
    ],
)
def test_the_next_digest_is_next_monday_at_seven(now, expected):
    assert next_digest_time(now) == expected


def pending():
    return list(
        DBTaskResult.objects.filter(
            task_path=send_weekly_digest.module_path, status=TaskResultStatus.READY
        ).values_list("run_after", flat=True)
    )


def test_the_task_sends_then_comes_back_next_monday(plan, coordinators):
    with override_settings(TASKS=DATABASE_QUEUE):
        assert send_weekly_digest.call() == 2
        [run_after] = pending()
        assert run_after.weekday() == 0 and (run_after.hour, run_after.minute) == (7, 0)
        assert run_after == next_digest_time()
        # Run again (by hand, say): still one digest waiting, not two.
        send_weekly_digest.call()
        assert len(pending()) == 1
    assert len(mail.outbox) == 4


def test_the_command_schedules_the_first_digest_once(capsys):
    with override_settings(TASKS=DATABASE_QUEUE):
        call_command("schedule_digest")
        call_command("schedule_digest")
        assert pending() == [next_digest_time()]
    out = capsys.readouterr().out
    assert "scheduled for" in out and "already scheduled" in out


def test_with_a_backend_that_cannot_defer_nothing_is_enqueued(plan, coordinators, capsys):
    # The tests' immediate backend runs the task at once and cannot keep an appointment.
    result = send_weekly_digest.enqueue()
    assert result.status == TaskResultStatus.SUCCESSFUL and result.return_value == 2
    assert pending() == []
    call_command("schedule_digest")
    assert "cannot defer" in capsys.readouterr().out
