"""Workshops, missions and campaign events, end to end: recording one and its agenda, who may,
bad input said at the field, the history of who changed what, and the pages' cost."""

import re
from datetime import date, time
from html import unescape

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from relais.countries.models import Organisation
from relais.countries.tests.factories import OrganisationFactory
from relais.events.models import Event, Session
from relais.funding import services as funding_services
from relais.plans.tests.factories import plan_with_content
from relais.workshops import services

pytestmark = pytest.mark.django_db


def french(msgid):
    with translation.override("fr"):
        return gettext(msgid)


def field_error(response, name):
    """The text of the error shown at the field `name`: the element its input points to with
    aria-describedby."""
    html = response.content.decode()
    error_id = f"id_{name}_error"
    tags = re.findall(rf'<(?:input|select|textarea)[^>]*name="{name}"[^>]*>', html)
    assert tags and all(error_id in t for t in tags), (name, tags)
    block = re.search(rf'<div id="{error_id}"[^>]*>(.*?)</div>', html, re.S)
    assert block, f"no element {error_id!r} for the field {name!r}"
    return unescape(block.group(1))


def state():
    """What a refused or failed request must leave as it was."""
    return {
        "events": list(
            Event.objects.order_by("pk").values_list(
                "pk", "kind", "title", "starts_on", "ends_on", "city", "activity_id"
            )
        ),
        "sessions": list(
            Session.objects.order_by("pk").values_list("pk", "day", "title", "starts_at")
        ),
        "history": Event.history.count() + Session.history.count(),
    }


@pytest.fixture
def coordinator(make_user, mali):
    return make_user("coordinator", mali)


@pytest.fixture
def plan(mali):
    return plan_with_content(mali, title="Plan d'action de plaidoyer 2018-2019")


@pytest.fixture
def activity(plan):
    return plan.objectives.get(position=1).activities.get(position=1)


@pytest.fixture
def icmpd(db):
    return OrganisationFactory(
        name="International Centre for Migration Policy Development",
        acronym="ICMPD",
        kind=Organisation.Kind.PARTNER,
        country=None,
    )


@pytest.fixture
def workshop(mali, coordinator, activity, icmpd):
    return services.workshop_create(
        country=mali,
        by=coordinator,
        kind=Event.Kind.TRAINING,
        title="Formation des magistrats sur la loi de 2012",
        starts_on=date(2018, 5, 14),
        ends_on=date(2018, 5, 16),
        city="Ségou",
        venue="Centre Djoliba",
        funder=icmpd,
        project="FMM West Africa",
        objectives="Connaître la loi n° 2012-023",
        activity=activity,
    )


def form_data(**overrides):
    data = {
        "kind": "validation",
        "title": "Atelier de validation du plan",
        "starts_on": "2018-06-05",
        "ends_on": "2018-06-06",
        "venue": "Hôtel Salam",
        "city": "Bamako",
        "organiser": "",
        "funder": "",
        "project": "FMM West Africa",
        "facilitators": "Awa Traoré",
        "objectives": "Valider le plan",
        "activity": "",
    }
    data.update(overrides)
    return data


def session_data(**overrides):
    data = {
        "day": "2018-05-15",
        "starts_at": "09:00",
        "ends_at": "10:30",
        "title": "La loi n° 2012-023",
        "facilitator": "Maître Keïta",
    }
    data.update(overrides)
    return data


# Recording ------------------------------------------------------------------------------------


def test_a_coordinator_records_a_workshop(client, mali, coordinator, activity, icmpd):
    client.force_login(coordinator)
    assert client.get(reverse("workshops:create", args=["ml"])).status_code == 200
    response = client.post(
        reverse("workshops:create", args=["ML"]),
        form_data(activity=activity.pk, funder=icmpd.pk),
    )
    event = Event.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("workshops:detail", args=[event.pk])
    assert event.kind == Event.Kind.VALIDATION
    assert event.country == mali
    assert (event.activity, event.plan, event.funder) == (activity, activity.objective.plan, icmpd)
    assert (event.starts_on, event.ends_on) == (date(2018, 6, 5), date(2018, 6, 6))

    page = client.get(response["Location"])
    html = page.content.decode()
    assert "Atelier de validation du plan" in html
    assert activity.title in html
    assert reverse("plans:detail", args=[activity.objective.plan.pk]) in html
    assert 'id="add-session"' in html


def test_a_coordinator_edits_a_workshop(client, coordinator, workshop):
    client.force_login(coordinator)
    url = reverse("workshops:edit", args=[workshop.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        form_data(
            kind="mission",
            title="Mission de suivi",
            starts_on="2018-05-14",
            ends_on="",
            activity="",
        ),
    )
    assert response.status_code == 302
    workshop.refresh_from_db()
    assert (workshop.kind, workshop.title, workshop.ends_on) == (
        "mission",
        "Mission de suivi",
        None,
    )
    assert workshop.activity is None and workshop.plan is None


def test_the_agenda_by_day(client, coordinator, workshop):
    client.force_login(coordinator)
    url = reverse("workshops:session_create", args=[workshop.pk])
    assert client.get(url).status_code == 200
    for data in (
        session_data(),
        session_data(day="2018-05-14", title="Ouverture", starts_at="08:30", ends_at=""),
        session_data(
            day="2018-05-15", title="La traite et le trafic", starts_at="11:00", ends_at="12:30"
        ),
    ):
        response = client.post(url, data)
        assert response.status_code == 302, response.context["form"].errors
    assert response["Location"] == reverse("workshops:detail", args=[workshop.pk]) + "#agenda"

    page = client.get(reverse("workshops:detail", args=[workshop.pk]))
    agenda = page.context["agenda"]
    assert [day for day, _sessions in agenda] == [date(2018, 5, 14), date(2018, 5, 15)]
    assert [s.title for s in agenda[1][1]] == ["La loi n° 2012-023", "La traite et le trafic"]

    session = Session.objects.get(title="Ouverture")
    edit = reverse("workshops:session_edit", args=[session.pk])
    assert client.get(edit).status_code == 200
    response = client.post(
        edit, session_data(day="2018-05-16", title="Clôture", starts_at="16:00", ends_at="17:00")
    )
    assert response.status_code == 302
    session.refresh_from_db()
    assert (session.day, session.title, session.starts_at) == (
        date(2018, 5, 16),
        "Clôture",
        time(16, 0),
    )

    delete = reverse("workshops:session_delete", args=[session.pk])
    assert client.get(delete).status_code == 200  # asks to confirm
    assert Session.objects.filter(pk=session.pk).exists()
    assert client.post(delete).status_code == 302
    assert not Session.objects.filter(pk=session.pk).exists()


# Bad input ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"title": "  "}, "title", "Give the event a title."),
        ({"ends_on": "2018-06-01"}, "ends_on", "The last day comes before the first."),
        (
            {"kind": "round_table"},
            "kind",
            "Select a valid choice. %(value)s is not one of the available choices.",
        ),
    ],
)
def test_bad_input_is_said_at_the_field(client, coordinator, overrides, field, message, mali):
    client.force_login(coordinator)
    before = state()
    response = client.post(reverse("workshops:create", args=["ML"]), form_data(**overrides))
    assert response.status_code == 200
    assert french(message).split(" %")[0] in field_error(response, field)
    assert state() == before


def test_an_activity_of_another_countrys_plan_is_refused(client, coordinator, workshop, senegal):
    foreign = plan_with_content(senegal).objectives.get(position=1).activities.first()
    client.force_login(coordinator)
    before = state()
    for url in (
        reverse("workshops:create", args=["ML"]),
        reverse("workshops:edit", args=[workshop.pk]),
    ):
        response = client.post(url, form_data(activity=foreign.pk))
        assert response.status_code == 200
        assert field_error(response, "activity")  # not among the choices
    assert state() == before
    # The service says it too, whoever calls it.
    with pytest.raises(ValidationError) as refused:
        services.workshop_update(
            event=workshop,
            by=coordinator,
            kind="training",
            title="T",
            starts_on=date(2018, 5, 14),
            activity=foreign,
        )
    assert "activity" in refused.value.message_dict
    assert state() == before


def test_a_session_day_outside_the_workshops_dates(client, coordinator, workshop):
    client.force_login(coordinator)
    services.session_save(event=workshop, by=coordinator, day=date(2018, 5, 16), title="Clôture")
    before = state()
    url = reverse("workshops:session_create", args=[workshop.pk])
    response = client.post(url, session_data(day="2018-05-17"))
    assert response.status_code == 200
    between = french("The event runs from %(first)s to %(last)s: choose a day between them.")
    assert between.split(":")[-1].strip() in field_error(response, "day")
    response = client.post(url, session_data(title=""))
    assert french("Say what the session is about.") in field_error(response, "title")
    response = client.post(url, session_data(starts_at="11:00", ends_at="10:00"))
    assert french("The session ends before it starts.") in field_error(response, "ends_at")
    # Nor may the workshop be shortened past a session of its agenda.
    response = client.post(
        reverse("workshops:edit", args=[workshop.pk]),
        form_data(kind="training", starts_on="2018-05-14", ends_on="2018-05-15"),
    )
    assert response.status_code == 200
    outside = french(
        "A session of the agenda is on %(day)s, outside these dates: move or delete it first."
    )
    assert outside.split("%(day)s")[1].split(":")[0].strip(", \xa0") in field_error(
        response, "ends_on"
    )
    assert state() == before


# Who may --------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["observer", "contributor"])
def test_other_members_of_the_country_read_but_may_not_change(
    client, make_user, mali, workshop, kind
):
    session = services.session_save(
        event=workshop, by=None, day=date(2018, 5, 14), title="Ouverture"
    )
    client.force_login(make_user(kind, mali))
    page = client.get(reverse("workshops:detail", args=[workshop.pk]))
    assert page.status_code == 200
    assert 'id="add-session"' not in page.content.decode()
    assert client.get(reverse("workshops:list", args=["ML"])).status_code == 200
    before = state()
    posts = [
        (reverse("workshops:create", args=["ML"]), form_data()),
        (reverse("workshops:edit", args=[workshop.pk]), form_data(kind="training")),
        (reverse("workshops:session_create", args=[workshop.pk]), session_data()),
        (reverse("workshops:session_edit", args=[session.pk]), session_data()),
        (reverse("workshops:session_delete", args=[session.pk]), {}),
    ]
    for url, data in posts:
        assert client.post(url, data).status_code == 403, url
    assert state() == before


def test_another_country_is_told_nothing_exists(client, make_user, senegal, workshop):
    session = services.session_save(
        event=workshop, by=None, day=date(2018, 5, 14), title="Ouverture"
    )
    client.force_login(make_user("coordinator", senegal))
    before = state()
    pages = [
        reverse("workshops:list", args=["ML"]),
        reverse("workshops:create", args=["ML"]),
        reverse("workshops:detail", args=[workshop.pk]),
    ]
    forms = [
        reverse("workshops:edit", args=[workshop.pk]),
        reverse("workshops:session_create", args=[workshop.pk]),
        reverse("workshops:session_edit", args=[session.pk]),
        reverse("workshops:session_delete", args=[session.pk]),
    ]
    for url in pages + forms:
        assert client.get(url).status_code == 404, url
    for url in forms:
        assert client.post(url, session_data()).status_code == 404, url
    assert client.post(reverse("workshops:create", args=["ML"]), form_data()).status_code == 404
    assert state() == before


def test_an_unknown_country_code_is_not_found(client, coordinator):
    client.force_login(coordinator)
    assert client.get(reverse("workshops:list", args=["XX"])).status_code == 404
    assert client.get(reverse("workshops:create", args=["XX"])).status_code == 404


def test_a_regional_coordinator_reads_every_countrys(client, make_user, workshop):
    client.force_login(make_user("regional"))
    page = client.get(reverse("workshops:detail", args=[workshop.pk]))
    assert page.status_code == 200
    assert not page.context["can_change"]
    assert client.get(reverse("workshops:list", args=["ML"])).status_code == 200
    assert client.get(reverse("workshops:edit", args=[workshop.pk])).status_code == 403


def test_a_round_table_is_not_a_workshop(client, coordinator, plan, workshop):
    table = funding_services.round_table_create(
        plan=plan, by=coordinator, title="Table ronde des PTF", starts_on=date(2018, 3, 15)
    )
    client.force_login(coordinator)
    response = client.get(reverse("workshops:list", args=["ML"]))
    assert list(response.context["events"]) == [workshop]
    assert "Table ronde des PTF" not in response.content.decode()
    assert client.get(reverse("workshops:detail", args=[table.pk])).status_code == 404
    assert client.get(reverse("workshops:edit", args=[table.pk])).status_code == 404


# History --------------------------------------------------------------------------------------


def test_the_history_records_who_changed_what(client, make_user, mali, coordinator, workshop):
    other = make_user("coordinator", mali)
    client.force_login(other)
    client.post(
        reverse("workshops:edit", args=[workshop.pk]),
        form_data(kind="training", starts_on="2018-05-14", ends_on="2018-05-16"),
    )
    client.post(reverse("workshops:session_create", args=[workshop.pk]), session_data())
    session = Session.objects.get()
    client.post(reverse("workshops:session_delete", args=[session.pk]))
    records = list(workshop.history.order_by("history_id"))
    assert [(r.history_type, r.history_user) for r in records] == [
        ("+", coordinator),
        ("~", other),
    ]
    assert records[-1].title == "Atelier de validation du plan"
    assert [(r.history_type, r.history_user) for r in Session.history.order_by("history_id")] == [
        ("+", other),
        ("-", other),
    ]
    page = client.get(reverse("history", args=["events", "event", workshop.pk]))
    assert page.status_code == 200


# The pages' cost ------------------------------------------------------------------------------


def _sessions(workshop, count):
    Session.objects.bulk_create(
        Session(event=workshop, day=date(2018, 5, 14 + i % 3), title=f"Session {i}")
        for i in range(count)
    )


def test_the_pages_read_the_database_a_fixed_number_of_times(
    client, coordinator, mali, workshop, django_assert_max_num_queries
):
    client.force_login(coordinator)
    urls = [
        reverse("workshops:detail", args=[workshop.pk]),
        reverse("workshops:list", args=["ML"]),
        reverse("workshops:edit", args=[workshop.pk]),
    ]
    for url in urls:
        client.get(url)  # warm up (session, content types…)
    _sessions(workshop, 2)
    counts = {}
    for url in urls:
        with CaptureQueriesContext(connection) as few:
            assert client.get(url).status_code == 200
        counts[url] = len(few)
    _sessions(workshop, 18)
    for url in urls:
        with django_assert_max_num_queries(counts[url]):
            response = client.get(url)
        assert response.status_code == 200
    page = client.get(urls[0])
    assert sum(len(sessions) for _day, sessions in page.context["agenda"]) == 20
    assert client.get(urls[1]).context["events"][0].session_count == 20
