"""Indicator values: reporting periods, the plan's indicators page, a value entered and changed
by the coordinator (with its split, its history), bad input refused with nothing saved, who
may, and values counted from the workshops."""

import re
from datetime import date, timedelta
from decimal import Decimal
from html import unescape

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from relais.events.models import Event
from relais.monitoring import indicators as services
from relais.monitoring.models import IndicatorValue
from relais.monitoring.periods import (
    Period,
    last_closed_period,
    parse_period,
    period_label,
    period_of,
    periods_between,
)
from relais.plans.models import Indicator, Plan
from relais.plans.tests.factories import IndicatorFactory, ObjectiveFactory, plan_with_content
from relais.workshops import trained
from relais.workshops.models import IndicatorSource, Participant, Participation

pytestmark = pytest.mark.django_db
D = Decimal
Q = Indicator.Frequency.QUARTERLY


def field_error(response, name):
    """The text of the error shown at the field `name` (the element aria-describedby names)."""
    html = response.content.decode()
    block = re.search(rf'<div id="id_{name}_error"[^>]*>(.*?)</div>', html, re.S)
    assert block, f"no error shown at {name!r}"
    return unescape(block.group(1))


def state():
    """What a refused or failed request must leave as it was."""
    return {
        "values": list(
            IndicatorValue.objects.order_by("pk").values_list(
                "pk", "indicator_id", "period_start", "value", "disaggregation", "comment"
            )
        ),
        "history": IndicatorValue.history.count(),
    }


@pytest.fixture
def plan(mali):
    """Adopted, 2018-01-01 to 2019-12-31."""
    return plan_with_content(mali, status=Plan.Status.ADOPTED, title="Plan 2018-2019")


@pytest.fixture
def indicator(plan):
    """Quarterly, from 10 toward 110."""
    return IndicatorFactory(
        objective=plan.objectives.get(position=1),
        name="Nombre d'acteurs clés formés",
        frequency=Q,
        baseline=D(10),
        target=D(110),
    )


@pytest.fixture
def coordinator(make_user, mali):
    return make_user("coordinator", mali, language="en")


def value_data(**overrides):
    data = {
        "period": "2018-04-01",
        "value": "40",
        "women": "",
        "men": "",
        "children": "",
        "adults": "",
        "comment": "",
    }
    data.update(overrides)
    return data


# Periods --------------------------------------------------------------------------------------


def test_the_period_a_day_falls_in():
    assert period_of(date(2019, 3, 31)) == (date(2019, 1, 1), date(2019, 3, 31))
    assert period_of(date(2019, 4, 1)) == (date(2019, 4, 1), date(2019, 6, 30))
    assert period_of(date(2020, 2, 29), "monthly") == (date(2020, 2, 1), date(2020, 2, 29))
    assert period_of(date(2019, 7, 1), "half_yearly") == (date(2019, 7, 1), date(2019, 12, 31))
    assert period_of(date(2019, 7, 1), "yearly") == (date(2019, 1, 1), date(2019, 12, 31))
    span = (date(2018, 2, 1), date(2019, 11, 30))
    assert period_of(date(2019, 7, 1), "once", span) == span


def test_the_periods_between_two_dates_and_the_last_closed_one():
    quarters = periods_between(date(2018, 2, 15), date(2019, 1, 1))
    assert [p.start for p in quarters] == [
        date(2018, 1, 1),
        date(2018, 4, 1),
        date(2018, 7, 1),
        date(2018, 10, 1),
        date(2019, 1, 1),
    ]
    assert len(periods_between(date(2018, 1, 1), date(2019, 12, 31), "monthly")) == 24
    assert periods_between(date(2018, 1, 1), date(2019, 12, 31), "once") == [
        Period(date(2018, 1, 1), date(2019, 12, 31))
    ]
    # The last day of a quarter still belongs to it: the previous one is the last closed.
    assert last_closed_period(date(2019, 3, 31)) == (date(2018, 10, 1), date(2018, 12, 31))
    assert last_closed_period(date(2019, 4, 1)) == (date(2019, 1, 1), date(2019, 3, 31))
    assert last_closed_period(date(2019, 1, 1), "yearly") == (date(2018, 1, 1), date(2018, 12, 31))
    span = (date(2018, 1, 1), date(2019, 12, 31))
    assert last_closed_period(date(2019, 12, 31), "once", span) is None
    assert last_closed_period(date(2020, 1, 1), "once", span) == span
    assert parse_period("2019-04-01") == (date(2019, 4, 1), date(2019, 6, 30))
    assert parse_period("2019-04-02") is None and parse_period("avril") is None


def test_period_labels_follow_the_language():
    quarter = period_of(date(2019, 2, 1))
    with translation.override("en"):
        assert period_label(quarter) == "Q1 2019"
        assert period_label(period_of(date(2019, 8, 1), "half_yearly"), "half_yearly") == "H2 2019"
        assert period_label(period_of(date(2019, 8, 1), "yearly"), "yearly") == "2019"
        assert period_label(period_of(date(2019, 8, 1), "monthly"), "monthly") == "August 2019"
    with translation.override("fr"):
        assert period_label(quarter) == "T1 2019"
        assert period_label(period_of(date(2019, 8, 1), "monthly"), "monthly") == "août 2019"


def test_progress_toward_the_target():
    assert services.progress(D(60), D(10), D(110)) == 50
    assert services.progress(D(60), None, D(120)) == 50  # no baseline: from 0
    assert services.progress(D(200), D(10), D(110)) == 190  # beyond: said, the bar clamps
    assert services.progress(None, D(10), D(110)) is None
    assert services.progress(D(5), D(10), None) is None
    assert services.progress(D(5), D(10), D(10)) is None
    # A target below the baseline (fewer victims): going down is progress.
    assert services.progress(D(30), D(50), D(10)) == 50


# The plan's indicators ------------------------------------------------------------------------


def test_the_indicators_page_shows_values_latest_and_progress(client, plan, indicator, coordinator):
    services.indicator_value_set(
        indicator=indicator, by=coordinator, period_start=date(2018, 1, 1), value=D(20)
    )
    services.indicator_value_set(
        indicator=indicator, by=coordinator, period_start=date(2018, 4, 1), value=D(60)
    )
    IndicatorSource.objects.create(indicator=indicator, measure="people")
    client.force_login(coordinator)
    response = client.get(reverse("monitoring:indicators", args=[plan.pk]))
    assert response.status_code == 200
    [line] = response.context["objectives"][0].indicator_lines[-1:]
    assert line.indicator == indicator
    assert len(line.cells) == 8  # the plan's eight quarters
    assert line.latest.label == "Q2 2018" and line.latest.value.value == D(60)
    assert line.progress == 50 and line.bar == 50
    html = response.content.decode()
    assert "Nombre d&#x27;acteurs clés formés" in html
    assert "from the workshops" in html
    assert reverse("monitoring:indicator_values", args=[indicator.pk]) in html
    # The result's indicator is listed under its result.
    [(result, lines)] = response.context["objectives"][0].result_groups
    assert lines[0].indicator.result_id == result.pk


def test_the_indicators_page_is_revalidated(client, plan, indicator, coordinator):
    client.force_login(coordinator)
    url = reverse("monitoring:indicators", args=[plan.pk])
    client.get(url)  # the first page of a session sets its CSRF secret, part of the version
    first = client.get(url)
    again = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    services.indicator_value_set(
        indicator=indicator, by=coordinator, period_start=date(2018, 1, 1), value=D(20)
    )
    assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 200


def test_the_indicators_page_queries_do_not_grow(
    client, plan, indicator, coordinator, django_assert_max_num_queries
):
    client.force_login(coordinator)
    url = reverse("monitoring:indicators", args=[plan.pk])
    client.get(url)
    with django_assert_max_num_queries(14) as few:
        assert client.get(url).status_code == 200
    # Read now: the log of queries is a bounded deque, which growing the plan rolls over.
    expected = len(few.captured_queries)
    for _ in range(3):
        objective = ObjectiveFactory(plan=plan)
        for _ in range(5):
            more = IndicatorFactory(objective=objective, frequency=Q, target=D(10))
            IndicatorSource.objects.create(indicator=more, measure="women")
            services.indicator_value_set(
                indicator=more, by=coordinator, period_start=date(2018, 7, 1), value=D(3)
            )
    with django_assert_max_num_queries(expected):
        assert client.get(url).status_code == 200


# Entering values ------------------------------------------------------------------------------


def test_a_coordinator_enters_then_changes_a_value_and_the_history_keeps_both(
    client, plan, indicator, coordinator
):
    client.force_login(coordinator)
    url = reverse("monitoring:indicator_values", args=[indicator.pk])
    page = client.get(url + "?period=2018-04-01")
    assert page.status_code == 200 and 'id="value-form"' in page.content.decode()
    assert page.context["form"].initial["period"] == "2018-04-01"

    response = client.post(url, value_data(value="40", women="15", men="25", comment="Rapport"))
    assert response.status_code == 302 and response["Location"] == url
    value = IndicatorValue.objects.get()
    assert (value.period_start, value.period_end) == (date(2018, 4, 1), date(2018, 6, 30))
    assert value.value == D(40) and value.disaggregation == {"women": 15, "men": 25}
    assert value.by == coordinator and not value.from_workshops

    response = client.post(url, value_data(value="45", children="5", adults="40"))
    assert response.status_code == 302
    value.refresh_from_db()
    assert value.value == D(45) and value.disaggregation == {"children": 5, "adults": 40}
    history = list(value.history.order_by("history_id").values_list("value", "history_user"))
    assert history == [(D(40), coordinator.pk), (D(45), coordinator.pk)]

    page = client.get(url)
    html = page.content.decode()
    assert 'id="value-history"' in html and "Q2 2018" in html
    assert client.get(url + "?period=2018-04-01").context["form"].initial["value"] == D(45)


def test_a_single_part_may_be_given_but_not_more_than_the_value(plan, indicator, coordinator):
    value = services.indicator_value_set(
        indicator=indicator, by=coordinator, period_start=date(2018, 1, 1), value=D(12), women=D(5)
    )
    assert value.disaggregation == {"women": 5}
    before = state()
    with translation.override("en"), pytest.raises(ValidationError) as error:
        services.indicator_value_set(
            indicator=indicator,
            by=coordinator,
            period_start=date(2018, 1, 1),
            value=D(12),
            women=D("12.5"),
        )
    assert "larger than the value" in error.value.message_dict["women"][0]
    assert state() == before


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        (
            {"value": "40", "women": "15", "men": "20"},
            "men",
            "Women and men add up to 35, but the value is 40",
        ),
        (
            {"value": "40", "children": "30", "adults": "30"},
            "adults",
            "Children and adults add up to 60, but the value is 40",
        ),
        ({"period": "2020-01-01"}, "period", "Select a valid choice"),
        ({"period": "2018-04-02"}, "period", "Select a valid choice"),
        ({"value": "quarante"}, "value", "Enter a number"),
        ({"value": ""}, "value", "This field is required"),
        ({"value": "-3"}, "value", "Enter a positive amount"),
    ],
)
def test_bad_input_is_said_at_the_field_and_nothing_is_saved(
    client, plan, indicator, coordinator, overrides, field, message
):
    services.indicator_value_set(
        indicator=indicator, by=coordinator, period_start=date(2018, 4, 1), value=D(30)
    )
    before = state()
    client.force_login(coordinator)
    url = reverse("monitoring:indicator_values", args=[indicator.pk])
    response = client.post(url, value_data(**overrides))
    assert response.status_code == 200
    assert message in field_error(response, field)
    assert state() == before


def test_the_service_refuses_a_period_outside_the_plan(plan, indicator, coordinator):
    before = state()
    with translation.override("en"), pytest.raises(ValidationError) as error:
        services.indicator_value_set(
            indicator=indicator, by=coordinator, period_start=date(2020, 1, 1), value=D(1)
        )
    assert "within the plan" in error.value.message_dict["period"][0]
    assert state() == before


def test_an_observer_reads_the_values_but_may_not_enter_any(
    client, plan, indicator, make_user, mali
):
    observer = make_user("observer", mali)
    client.force_login(observer)
    url = reverse("monitoring:indicator_values", args=[indicator.pk])
    page = client.get(url)
    assert page.status_code == 200 and page.context["form"] is None
    assert 'id="value-form"' not in page.content.decode()
    before = state()
    assert client.post(url, value_data()).status_code == 403
    assert client.post(url, {"action": "count"}).status_code == 403
    assert state() == before


@pytest.mark.parametrize("kind", ["contributor", "observer"])
def test_only_the_coordinator_enters_values(client, plan, indicator, make_user, mali, kind):
    client.force_login(make_user(kind, mali))
    before = state()
    url = reverse("monitoring:indicator_values", args=[indicator.pk])
    assert client.post(url, value_data()).status_code == 403
    assert state() == before


def test_another_countrys_coordinator_gets_404(client, plan, indicator, make_user, senegal):
    client.force_login(make_user("coordinator", senegal))
    before = state()
    assert client.get(reverse("monitoring:indicators", args=[plan.pk])).status_code == 404
    url = reverse("monitoring:indicator_values", args=[indicator.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, value_data()).status_code == 404
    assert client.post(url, {"action": "count"}).status_code == 404
    assert state() == before


# Values counted from the workshops ------------------------------------------------------------


def workshop(country, starts_on, **fields):
    fields.setdefault("title", f"Atelier du {starts_on.isoformat()}")
    fields.setdefault("kind", Event.Kind.TRAINING)
    return Event.objects.create(country=country, starts_on=starts_on, **fields)


def attend(event, *people):
    for someone in people:
        Participation.objects.create(event=event, participant=someone)


def person(name, sex=""):
    return Participant.objects.create(full_name=name, sex=sex)


@pytest.fixture
def trainings(mali, plan):
    """Awa and Moussa in Q2 2018, Awa again and Fatou in Q4 2018, someone of unknown sex in
    Q1 2019; a workshop of an activity of the plan held after its end (2020)."""
    awa, fatou, moussa, someone = (
        person("Awa", "F"),
        person("Fatou", "F"),
        person("Moussa", "M"),
        person("Quelqu'un"),
    )
    attend(workshop(mali, date(2018, 5, 14)), awa, moussa)
    attend(workshop(mali, date(2018, 11, 2)), awa, fatou)
    attend(workshop(mali, date(2019, 2, 20)), someone)
    activity = plan.objectives.get(position=1).activities.first()
    attend(workshop(mali, date(2020, 3, 2), activity=activity), person("Binta", "F"))


def test_values_counted_from_the_workshops_per_period(plan, indicator, coordinator, trainings):
    IndicatorSource.objects.create(indicator=indicator, measure="people")
    indicator = services.indicator_get(user=coordinator, pk=indicator.pk)
    done = services.values_from_workshops(indicator=indicator, by=coordinator)
    assert len(done.recorded) == 8 and not done.kept
    values = {v.period_start: v for v in IndicatorValue.objects.filter(indicator=indicator)}
    # Cumulative: what the plan's workshops held up to each period's end add up to.
    assert [values[p.start].value for p in done.recorded] == [0, 2, 2, 3, 4, 4, 4, 5]
    assert all(v.from_workshops and v.by == coordinator for v in values.values())
    assert values[date(2018, 10, 1)].disaggregation == {"women": 2, "men": 1}
    assert values[date(2019, 1, 1)].disaggregation == {}  # one person's sex is not known
    # The plan's last period counts what trained.indicator_value counts for the plan.
    source = indicator.workshop_source
    assert values[date(2019, 10, 1)].value == trained.indicator_value(source)


@pytest.mark.parametrize(
    ("measure", "expected"),
    [
        ("women", [0, 1, 1, 2, 2, 2, 2, 3]),
        ("men", [0, 1, 1, 1, 1, 1, 1, 1]),
        ("participations", [0, 2, 2, 4, 5, 5, 5, 6]),
        ("workshops", [0, 1, 1, 2, 3, 3, 3, 4]),
    ],
)
def test_each_measure_per_period(plan, indicator, coordinator, trainings, measure, expected):
    IndicatorSource.objects.create(indicator=indicator, measure=measure)
    indicator = services.indicator_get(user=coordinator, pk=indicator.pk)
    services.values_from_workshops(indicator=indicator, by=coordinator)
    values = IndicatorValue.objects.filter(indicator=indicator).order_by("period_start")
    assert [v.value for v in values] == expected


def test_counting_again_updates_counted_values_and_keeps_typed_ones(
    mali, plan, indicator, coordinator, trainings
):
    IndicatorSource.objects.create(indicator=indicator, measure="people")
    indicator = services.indicator_get(user=coordinator, pk=indicator.pk)
    services.values_from_workshops(indicator=indicator, by=coordinator)
    services.indicator_value_set(
        indicator=indicator, by=coordinator, period_start=date(2018, 4, 1), value=D(7)
    )
    attend(workshop(mali, date(2018, 6, 1)), person("Kadi", "F"))
    done = services.values_from_workshops(indicator=indicator, by=coordinator)
    assert done.kept == [Period(date(2018, 4, 1), date(2018, 6, 30))]
    assert len(done.updated) == 6 and len(done.unchanged) == 1  # Q1 2018 stays 0
    kept = IndicatorValue.objects.get(indicator=indicator, period_start=date(2018, 4, 1))
    assert kept.value == D(7) and not kept.from_workshops
    assert IndicatorValue.objects.get(
        indicator=indicator, period_start=date(2018, 7, 1)
    ).value == D(3)
    history_before = IndicatorValue.history.count()
    again = services.values_from_workshops(indicator=indicator, by=coordinator)
    assert len(again.unchanged) == 7 and IndicatorValue.history.count() == history_before


def test_periods_not_begun_are_not_counted(plan, indicator, coordinator, trainings):
    IndicatorSource.objects.create(indicator=indicator, measure="people")
    indicator = services.indicator_get(user=coordinator, pk=indicator.pk)
    done = services.values_from_workshops(
        indicator=indicator, by=coordinator, today=date(2018, 11, 15)
    )
    assert [p.start for p in done.recorded] == [
        date(2018, 1, 1),
        date(2018, 4, 1),
        date(2018, 7, 1),
        date(2018, 10, 1),
    ]
    current = IndicatorValue.objects.get(indicator=indicator, period_start=date(2018, 10, 1))
    assert current.value == 3  # up to today, 15 November


def test_the_count_button_for_coordinators(client, plan, indicator, coordinator, trainings):
    client.force_login(coordinator)
    url = reverse("monitoring:indicator_values", args=[indicator.pk])
    assert 'id="count-form"' not in client.get(url).content.decode()
    response = client.post(url, {"action": "count"})
    assert response.status_code == 302 and not IndicatorValue.objects.exists()
    messages = [str(m) for m in response.wsgi_request._messages]
    assert "not counted from the workshops" in messages[0]

    IndicatorSource.objects.create(indicator=indicator, measure="people")
    assert 'id="count-form"' in client.get(url).content.decode()
    services.indicator_value_set(
        indicator=indicator, by=coordinator, period_start=date(2018, 4, 1), value=D(7)
    )
    response = client.post(url, {"action": "count"}, follow=True)
    html = response.content.decode()
    assert "7 values recorded or updated" in html
    assert "keep the value typed in" in html and "Q2 2018" in html
    assert IndicatorValue.objects.filter(indicator=indicator, from_workshops=True).count() == 7


def test_an_indicator_on_a_result_is_counted_too(plan, coordinator, trainings):
    on_result = Indicator.objects.get(result__objective__plan=plan)  # yearly
    IndicatorSource.objects.create(indicator=on_result, measure="women")
    on_result = services.indicator_get(user=coordinator, pk=on_result.pk)
    services.values_from_workshops(indicator=on_result, by=coordinator)
    values = IndicatorValue.objects.filter(indicator=on_result).order_by("period_start")
    assert [(v.period_start, v.value) for v in values] == [
        (date(2018, 1, 1), 2),
        (date(2019, 1, 1), 3),
    ]


def test_future_dates_are_never_counted(mali, plan, indicator, coordinator):
    IndicatorSource.objects.create(indicator=indicator, measure="workshops")
    indicator = services.indicator_get(user=coordinator, pk=indicator.pk)
    soon = date(2019, 6, 1)
    workshop(mali, soon + timedelta(days=10))
    done = services.values_from_workshops(indicator=indicator, by=coordinator, today=soon)
    assert all(IndicatorValue.objects.get(period_start=p.start).value == 0 for p in done.recorded)
