"""Participants' personal data: who sees their phones and emails, who may export them, and the
record every export leaves."""

import io
from datetime import date
from html import unescape

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from python_calamine import CalamineWorkbook

from relais.countries.models import Organisation
from relais.countries.tests.factories import OrganisationFactory
from relais.events.models import Event
from relais.workshops import participants, services
from relais.workshops.models import PersonalDataExport

pytestmark = pytest.mark.django_db

PHONE, EMAIL = "+223 76 12 34 56", "f.diarra@justice.gov.ml"


@pytest.fixture
def icmpd(db):
    return OrganisationFactory(name="ICMPD", kind=Organisation.Kind.PARTNER, country=None)


@pytest.fixture
def workshop(mali, icmpd):
    event = services.workshop_create(
        country=mali,
        by=None,
        kind=Event.Kind.TRAINING,
        title="Formation des magistrats",
        starts_on=date(2018, 5, 14),
        funder=icmpd,
    )
    participants.participant_add(
        event=event,
        by=None,
        full_name="Fatoumata Diarra",
        sex="F",
        organisation="Ministère de la Justice",
        organisation_kind="ministry",
        function="Juge",
        country=mali,
        phone=PHONE,
        email=EMAIL,
    )
    participants.participant_add(
        event=event, by=None, full_name="Moussa Keïta", sex="M", phone="66 00 11 22"
    )
    return event


def rows_of(response):
    content = b"".join(response.streaming_content) if response.streaming else response.content
    book = CalamineWorkbook.from_filelike(io.BytesIO(content))
    return book.get_sheet_by_index(0).to_python()


# Who sees the contacts --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "sees"),
    [
        ("coordinator", True),
        ("contributor", True),
        ("observer", True),
        ("regional", True),
        ("admin", True),
        ("partner", False),
    ],
)
def test_contacts_are_shown_to_the_countrys_members_and_regional_coordinators(
    client, make_user, mali, icmpd, workshop, who, sees
):
    scope = {"partner": icmpd, "regional": None, "admin": None}.get(who, mali)
    client.force_login(make_user(who, scope))
    page = client.get(reverse("workshops:participants", args=[workshop.pk]))
    assert page.status_code == 200
    html = unescape(page.content.decode())
    assert "Fatoumata Diarra" in html
    assert (PHONE in html, EMAIL in html, "66 00 11 22" in html) == (sees, sees, sees)


def test_another_country_sees_nothing(client, make_user, senegal, workshop):
    client.force_login(make_user("coordinator", senegal))
    assert client.get(reverse("workshops:participants", args=[workshop.pk])).status_code == 404


# Exports ----------------------------------------------------------------------------------------


def test_a_coordinator_exports_the_list_and_the_export_is_recorded(
    client, make_user, mali, workshop
):
    coordinator = make_user("coordinator", mali, language="en")
    client.force_login(coordinator)
    page = client.get(reverse("workshops:participants", args=[workshop.pk]))
    url = reverse("workshops:participants_export", args=[workshop.pk])
    assert url in page.content.decode()
    assert "The list has not been exported yet." in unescape(page.content.decode())

    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    assert response["Cache-Control"] == "no-store"
    rows = rows_of(response)
    assert rows[0] == [
        "No.",
        "Full name",
        "Sex",
        "Organisation",
        "Type of organisation",
        "Function",
        "Country",
        "Phone",
        "Email",
    ]
    assert rows[1] == [
        1.0,
        "Fatoumata Diarra",
        "Woman",
        "Ministère de la Justice",
        "Ministry",
        "Juge",
        "Mali",
        PHONE,
        EMAIL,
    ]
    assert rows[2][1:3] == ["Moussa Keïta", "Man"] and rows[2][7] == "66 00 11 22"

    export = PersonalDataExport.objects.get()
    assert (export.country, export.event, export.rows, export.by) == (
        mali,
        workshop,
        2,
        coordinator,
    )
    assert "Formation des magistrats" in export.what
    page = client.get(reverse("workshops:participants", args=[workshop.pk]))
    assert list(page.context["exports"]) == [export]
    assert f"{coordinator.full_name} exported 2 people." in unescape(page.content.decode())


def test_the_file_is_in_the_users_language(client, make_user, mali, senegal, workshop):
    participants.participant_add(
        event=workshop, by=None, full_name="Awa Ndiaye", sex="F", country=senegal
    )
    client.force_login(make_user("coordinator", mali, language="fr"))
    rows = rows_of(client.get(reverse("workshops:participants_export", args=[workshop.pk])))
    with translation.override("fr"):
        assert rows[0] == participants.export_columns()
        assert rows[1][1:3] == ["Awa Ndiaye", gettext("Woman")]
    assert rows[1][6] == "Sénégal"


def test_an_administrator_exports(client, make_user, workshop):
    admin = make_user("admin")
    client.force_login(admin)
    response = client.get(reverse("workshops:participants_export", args=[workshop.pk]))
    assert response.status_code == 200
    assert PersonalDataExport.objects.get().by == admin


@pytest.mark.parametrize("who", ["observer", "contributor", "regional", "partner"])
def test_others_who_read_the_workshop_may_not_export(client, make_user, mali, icmpd, workshop, who):
    scope = {"partner": icmpd, "regional": None}.get(who, mali)
    client.force_login(make_user(who, scope))
    page = client.get(reverse("workshops:participants", args=[workshop.pk]))
    url = reverse("workshops:participants_export", args=[workshop.pk])
    assert url not in page.content.decode()
    assert page.context["exports"] == ()
    assert client.get(url).status_code == 403
    assert not PersonalDataExport.objects.exists()


def test_another_country_and_other_partners_are_told_nothing_exists(
    client, make_user, senegal, workshop
):
    url = reverse("workshops:participants_export", args=[workshop.pk])
    for user in (
        make_user("coordinator", senegal),
        make_user("partner", OrganisationFactory(country=None)),
        make_user(None),
    ):
        client.force_login(user)
        assert client.get(url).status_code == 404
    assert not PersonalDataExport.objects.exists()
