"""Alerts at their boundaries (the last day of a quarter, the first day of the next), and the
plan's monitoring page: alerts first, where each activity stands, who may see it, and its
cost as the plan grows."""

import time
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from relais.countries.models import Organisation
from relais.countries.tests.factories import OrganisationFactory
from relais.funding import services as funding
from relais.monitoring import indicators
from relais.monitoring.alerts import activity_standing, plan_alerts
from relais.monitoring.models import ActivityUpdate
from relais.plans.models import Activity, Indicator, Plan
from relais.plans.tests.factories import (
    ActivityFactory,
    IndicatorFactory,
    ObjectiveFactory,
    plan_with_content,
)

pytestmark = pytest.mark.django_db
D = Decimal
Status = ActivityUpdate.Status
THIS_MONTH = f"{timezone.localdate():%Y-%m}"


@pytest.fixture
def plan(mali):
    """Adopted, 2018-01-01 to 2019-12-31; its two yearly indicators get values for 2018."""
    plan = plan_with_content(mali, status=Plan.Status.ADOPTED, title="Plan 2018-2019")
    return plan


@pytest.fixture
def coordinator(make_user, mali):
    return make_user("coordinator", mali, language="en")


@pytest.fixture
def march(plan):
    """An activity planned in February and March 2019."""
    return ActivityFactory(
        objective=plan.objectives.get(position=2), title="Plaidoyer", months=["2019-02", "2019-03"]
    )


@pytest.fixture
def april(plan):
    """An activity that starts in April 2019 (the second quarter) and ends in May."""
    return ActivityFactory(
        objective=plan.objectives.get(position=2),
        title="Caravane",
        months=["2019-05", "2019-04"],
        unit_cost=D(300_000),
    )


@pytest.fixture
def icmpd(db):
    return OrganisationFactory(
        name="ICMPD", acronym="ICMPD", kind=Organisation.Kind.PARTNER, country=None
    )


def update(activity, status, on, by, percent=50):
    return ActivityUpdate.objects.create(
        activity=activity, status=status, percent_done=percent, on=on, by=by
    )


def values_for_2018(plan, by):
    for indicator in Indicator.objects.filter(objective__plan=plan) | Indicator.objects.filter(
        result__objective__plan=plan
    ):
        indicators.indicator_value_set(
            indicator=indicator, by=by, period_start=date(2018, 1, 1), value=D(1)
        )


def codes(activities):
    return [activity.title for activity in activities]


# Late activities ------------------------------------------------------------------------------


def test_an_activity_planned_until_march_is_late_from_april_first(plan, march):
    assert march not in plan_alerts(plan, date(2019, 3, 31)).late
    assert "Plaidoyer" in codes(plan_alerts(plan, date(2019, 4, 1)).late)


def test_done_or_cancelled_is_not_late_but_the_latest_update_decides(plan, march, coordinator):
    april_first = date(2019, 4, 1)
    update(march, Status.DONE, date(2019, 3, 20), coordinator, 100)
    assert "Plaidoyer" not in codes(plan_alerts(plan, april_first).late)
    # A later update reopens it.
    update(march, Status.ONGOING, date(2019, 3, 25), coordinator, 80)
    assert "Plaidoyer" in codes(plan_alerts(plan, april_first).late)
    update(march, Status.CANCELLED, date(2019, 3, 28), coordinator, 80)
    assert "Plaidoyer" not in codes(plan_alerts(plan, april_first).late)
    update(march, Status.POSTPONED, date(2019, 3, 29), coordinator, 80)
    late = plan_alerts(plan, april_first).late
    [found] = [a for a in late if a.title == "Plaidoyer"]
    assert found.planned_end == date(2019, 3, 31) and found.latest_status == Status.POSTPONED


def test_activities_without_chronogram_are_never_late(plan):
    ActivityFactory(objective=plan.objectives.first(), title="Sans date", months=[])
    alerts = plan_alerts(plan, date(2030, 1, 1))
    assert "Sans date" not in codes(alerts.late) + codes(alerts.unfunded)


# Activities due to start with no confirmed funding --------------------------------------------


def test_an_activity_starting_in_april_is_due_from_the_first_day_of_the_quarter(plan, april):
    assert "Caravane" not in codes(plan_alerts(plan, date(2019, 3, 31)).unfunded)
    alerts = plan_alerts(plan, date(2019, 4, 1))
    assert "Caravane" in codes(alerts.unfunded)
    assert alerts.quarter == (date(2019, 4, 1), date(2019, 6, 30))
    [found] = alerts.unfunded
    assert found.budget == D(300_000)
    # Still due on the quarter's last day, no longer the day after.
    assert "Caravane" in codes(plan_alerts(plan, date(2019, 6, 30)).unfunded)
    assert "Caravane" not in codes(plan_alerts(plan, date(2019, 7, 1)).unfunded)


def test_only_confirmed_funding_silences_the_alert(plan, april, coordinator, icmpd):
    pledge = funding.contribution_create(
        plan=plan,
        by=coordinator,
        partner=icmpd,
        currency="XOF",
        amount=D(300_000),
        activities=[(april, D(300_000))],
    )
    assert "Caravane" in codes(plan_alerts(plan, date(2019, 4, 1)).unfunded)  # announced only
    funding.contribution_confirm(
        contribution=pledge, by=coordinator, amount=D(100_000), signed_on=date(2019, 3, 1)
    )
    assert "Caravane" not in codes(plan_alerts(plan, date(2019, 4, 1)).unfunded)


def test_a_cancelled_activity_needs_no_funding(plan, april, coordinator):
    update(april, Status.CANCELLED, date(2019, 3, 1), coordinator, 0)
    assert not plan_alerts(plan, date(2019, 4, 1)).unfunded


# Indicators with no value for the last closed period ------------------------------------------


def test_an_indicator_is_asked_for_the_quarter_just_closed(plan, coordinator):
    values_for_2018(plan, coordinator)  # the two yearly indicators are up to date
    quarterly = IndicatorFactory(
        objective=plan.objectives.first(), name="Trimestriel", frequency="quarterly"
    )
    on_last_day = plan_alerts(plan, date(2019, 3, 31)).missing
    assert [(m.indicator, m.period.start) for m in on_last_day] == [(quarterly, date(2018, 10, 1))]
    [missing] = plan_alerts(plan, date(2019, 4, 1)).missing
    assert missing.period == (date(2019, 1, 1), date(2019, 3, 31))
    indicators.indicator_value_set(
        indicator=quarterly, by=coordinator, period_start=date(2019, 1, 1), value=D(4)
    )
    assert not plan_alerts(plan, date(2019, 4, 1)).missing


def test_yearly_indicators_and_a_plan_that_has_ended(plan, coordinator):
    # Before the first year has closed, nothing is due.
    assert not plan_alerts(plan, date(2018, 12, 31)).missing
    assert len(plan_alerts(plan, date(2019, 1, 1)).missing) == 2
    values_for_2018(plan, coordinator)
    assert not plan_alerts(plan, date(2019, 12, 31)).missing
    # Long after the plan: its last period is asked for.
    missing = plan_alerts(plan, date(2026, 5, 1)).missing
    assert {m.period.start for m in missing} == {date(2019, 1, 1)}


def test_alerts_cost_the_same_queries_whatever_the_plans_size(
    plan, coordinator, django_assert_num_queries
):
    def grow(count):
        objective = ObjectiveFactory(plan=plan)
        for _n in range(count):
            activity = ActivityFactory(objective=objective, months=["2019-04", "2019-05"])
            update(activity, Status.ONGOING, date(2019, 4, 2), coordinator)
            IndicatorFactory(objective=objective, frequency="quarterly")

    grow(5)
    with django_assert_num_queries(10):
        small = plan_alerts(plan, date(2019, 6, 1))
    grow(45)
    with django_assert_num_queries(10):
        large = plan_alerts(plan, date(2019, 6, 1))
    assert len(large.unfunded) > len(small.unfunded)


# The plan's monitoring page -------------------------------------------------------------------


def test_the_monitoring_page_shows_alerts_first_then_each_activity(
    client, plan, march, april, coordinator
):
    first = plan.objectives.get(position=1).activities.get(position=1)
    update(first, Status.ONGOING, date(2018, 4, 1), coordinator, 20)
    update(first, Status.DONE, date(2018, 5, 1), coordinator, 100)
    client.force_login(coordinator)
    response = client.get(reverse("monitoring:plan", args=[plan.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    # Today is long after the plan: every activity not done is late.
    alerts = response.context["alerts"]
    assert "Plaidoyer" in codes(alerts.late) and first not in alerts.late
    assert html.index('id="alerts"') < html.index('id="status-counts"')
    assert reverse("monitoring:activity", args=[march.pk]) in html
    assert reverse("monitoring:activity", args=[first.pk]) in html
    counts = {key: count for key, _label, count in response.context["counts"]}
    assert counts["done"] == 1 and counts[""] == 4
    [standing] = [a for o in response.context["objectives"] for a in o.standing if a == first]
    assert (standing.latest_status, standing.latest_percent) == ("done", 100)
    assert "100 %" in html
    assert html.count('<tr class="late">') == len(alerts.late)


def test_a_plan_not_adopted_raises_no_alert(client, mali, coordinator):
    draft = plan_with_content(mali)
    client.force_login(coordinator)
    response = client.get(reverse("monitoring:plan", args=[draft.pk]))
    assert response.status_code == 200 and response.context["alerts"] is None
    assert "once the plan is adopted" in response.content.decode()


def test_who_reads_the_monitoring_page(client, plan, make_user, mali, senegal):
    url = reverse("monitoring:plan", args=[plan.pk])
    for user in (make_user("observer", mali), make_user("regional")):
        client.force_login(user)
        assert client.get(url).status_code == 200
    client.force_login(make_user("coordinator", senegal))
    assert client.get(url).status_code == 404
    client.force_login(make_user("partner", OrganisationFactory(country=None)))
    assert client.get(url).status_code == 404


def test_the_monitoring_page_is_revalidated(client, plan, coordinator):
    client.force_login(coordinator)
    url = reverse("monitoring:plan", args=[plan.pk])
    client.get(url)  # the first page of a session sets its CSRF secret, part of the version
    first = client.get(url)
    assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    update(plan.objectives.first().activities.first(), Status.DONE, date(2019, 1, 1), coordinator)
    assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 200


def response_alerts(client, url):
    return client.get(url).context["alerts"]


def test_the_monitoring_page_queries_do_not_grow(
    client, plan, coordinator, django_assert_num_queries, django_assert_max_num_queries
):
    def grow(count):
        objective = ObjectiveFactory(plan=plan)
        for _n in range(count):
            # Due to start this quarter: the funding picture is read too.
            activity = ActivityFactory(objective=objective, months=[THIS_MONTH])
            update(activity, Status.ONGOING, date(2019, 4, 2), coordinator)
            IndicatorFactory(objective=objective, frequency="quarterly")

    client.force_login(coordinator)
    url = reverse("monitoring:plan", args=[plan.pk])
    grow(5)
    client.get(url)
    with django_assert_max_num_queries(25) as few:
        assert client.get(url).status_code == 200
    # Read now: the log of queries is a bounded deque, which growing the plan rolls over.
    expected = len(few.captured_queries)
    assert response_alerts(client, url).unfunded
    grow(45)
    with django_assert_num_queries(expected):
        assert client.get(url).status_code == 200


def test_a_500_activity_plan_is_served_in_under_100_ms(client, plan, coordinator):
    objectives = [ObjectiveFactory(plan=plan) for _ in range(5)]
    Activity.objects.bulk_create(
        Activity(
            objective=objectives[n % 5],
            position=n // 5 + 1,
            title=f"Activité {n}",
            months=[THIS_MONTH if n % 3 == 0 else f"2019-{n % 12 + 1:02d}"],
            unit_cost=D(1000),
            total=D(1000),
        )
        for n in range(500)
    )
    ActivityUpdate.objects.bulk_create(
        ActivityUpdate(
            activity=a, status="ongoing", percent_done=40, on=date(2019, 1, 2), by=coordinator
        )
        for a in Activity.objects.filter(objective__plan=plan)
    )
    client.force_login(coordinator)
    url = reverse("monitoring:plan", args=[plan.pk])
    client.get(url)
    timings = []
    for _ in range(3):
        start = time.perf_counter()
        response = client.get(url)
        timings.append(time.perf_counter() - start)
    assert response.status_code == 200
    assert len(activity_standing(plan=plan)) == 503
    # The budget is 100 ms; the bound leaves room for a machine busy with other tests.
    assert min(timings) < 0.2, timings


def test_a_long_plans_later_objectives_come_when_asked_for(client, plan, coordinator):
    """Past the first rows, an objective's activities are sent when scrolled to (htmx) or when
    its link is followed without script."""
    objectives = [ObjectiveFactory(plan=plan) for _ in range(3)]
    Activity.objects.bulk_create(
        Activity(
            objective=objectives[n % 3],
            position=n // 3 + 1,
            title=f"Activité {n}",
            months=["2019-02"],
            unit_cost=D(1000),
            total=D(1000),
        )
        for n in range(150)
    )
    client.force_login(coordinator)
    url = reverse("monitoring:plan", args=[plan.pk])
    html = client.get(url).content.decode()
    last = objectives[-1]
    assert f'hx-get="?objective={last.pk}"' in html
    assert "Activité 149" not in html and "Activité 0" in html
    # Scrolled to: that objective's section only.
    fragment = client.get(url, {"objective": last.pk}, headers={"HX-Request": "true"})
    text = fragment.content.decode()
    assert "Activité 149" in text and "<html" not in text
    assert "HX-Request" in fragment["Vary"]
    # Without script: the whole page, that objective shown.
    page = client.get(url, {"objective": last.pk}).content.decode()
    assert "<html" in page and "Activité 149" in page
