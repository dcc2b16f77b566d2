"""Who took part in a workshop: adding people one by one, recognising someone trained before,
changing and removing them, who may, and the cost of the list."""

from datetime import date
from html import unescape

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from relais.countries.models import Organisation
from relais.countries.tests.factories import OrganisationFactory
from relais.events.models import Event
from relais.workshops import participants, services
from relais.workshops.models import Attendance, Participant, Participation
from relais.workshops.tests.test_workshops import field_error, french

pytestmark = pytest.mark.django_db


def shown(response):
    return unescape(response.content.decode())


def state():
    """What a refused or failed request must leave as it was."""
    return {
        "participants": list(
            Participant.objects.order_by("pk").values_list(
                "pk", "full_name", "sex", "organisation", "phone", "email", "merged_into_id"
            )
        ),
        "participations": list(
            Participation.objects.order_by("pk").values_list("pk", "event_id", "participant_id")
        ),
        "history": Participant.history.count() + Participation.history.count(),
    }


@pytest.fixture
def coordinator(make_user, mali):
    return make_user("coordinator", mali)


@pytest.fixture
def icmpd(db):
    return OrganisationFactory(
        name="International Centre for Migration Policy Development",
        acronym="ICMPD",
        kind=Organisation.Kind.PARTNER,
        country=None,
    )


def make_workshop(country, title="Formation des magistrats", day=date(2018, 5, 14), **fields):
    return services.workshop_create(
        country=country,
        by=None,
        kind=Event.Kind.TRAINING,
        title=title,
        starts_on=day,
        ends_on=None,
        **fields,
    )


@pytest.fixture
def workshop(mali, icmpd):
    return make_workshop(mali, funder=icmpd, city="Ségou")


def person(**overrides):
    data = {
        "full_name": "Fatoumata Diarra",
        "sex": "F",
        "organisation": "Ministère de la Justice",
        "organisation_kind": "ministry",
        "function": "Magistrate",
        "country": "",
        "phone": "+223 76 12 34 56",
        "email": "f.diarra@justice.gov.ml",
    }
    data.update(overrides)
    return data


def add(event, **overrides):
    data = person(**overrides)
    data["country"] = event.country if data["country"] == "" else data["country"]
    participation, _known = participants.participant_add(event=event, by=None, **data)
    return participation


# Adding ---------------------------------------------------------------------------------------


def test_a_coordinator_adds_people_and_sees_the_counts(client, coordinator, workshop, mali):
    client.force_login(coordinator)
    url = reverse("workshops:participants", args=[workshop.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert 'id="add-participant"' in page.content.decode()
    assert page.context["form"].initial["country"] == mali.pk

    response = client.post(url, person(country=mali.pk))
    assert response.status_code == 302
    assert response["Location"] == url + "#participants"
    client.post(
        url,
        person(
            full_name="Moussa Keïta",
            sex="M",
            organisation="Association des juristes",
            organisation_kind="cso",
            phone="66 00 11 22",
            email="",
            country=mali.pk,
        ),
    )
    fatoumata = Participant.objects.get(full_name="Fatoumata Diarra")
    assert (fatoumata.sex, fatoumata.country, fatoumata.phone_key) == ("F", mali, "76123456")
    assert fatoumata.organisation_kind == "ministry"
    assert fatoumata.history.get().history_user == coordinator

    page = client.get(url)
    assert page.context["counts"] == {"people": 2, "women": 1, "men": 1}
    html = shown(page)
    assert "Moussa Keïta" in html and "Association des juristes" in html
    assert "+223 76 12 34 56" in html and "f.diarra@justice.gov.ml" in html
    for participation in Participation.objects.filter(event=workshop):
        # The name leads to the person's form, which leads to removing them.
        edit = reverse("workshops:participation_edit", args=[participation.pk])
        assert edit in html
        remove = reverse("workshops:participation_remove", args=[participation.pk])
        assert remove in shown(client.get(edit))


def test_a_participant_with_no_name_is_refused_at_the_field(client, coordinator, workshop):
    client.force_login(coordinator)
    before = state()
    response = client.post(
        reverse("workshops:participants", args=[workshop.pk]), person(full_name="   ")
    )
    assert response.status_code == 200
    assert french("Give the participant's name.") in field_error(response, "full_name")
    assert state() == before
    # The service says it too, whoever calls it.
    with pytest.raises(ValidationError) as refused:
        participants.participant_add(event=workshop, by=coordinator, full_name=" ")
    assert "full_name" in refused.value.message_dict
    assert state() == before


def test_a_bad_email_is_refused_at_the_field(client, coordinator, workshop):
    client.force_login(coordinator)
    before = state()
    response = client.post(
        reverse("workshops:participants", args=[workshop.pk]), person(email="f.diarra@")
    )
    assert response.status_code == 200
    assert field_error(response, "email")
    assert state() == before


def test_someone_already_on_the_list_is_refused(client, coordinator, workshop):
    add(workshop)
    client.force_login(coordinator)
    before = state()
    response = client.post(
        reverse("workshops:participants", args=[workshop.pk]),
        person(full_name="DIARRA  Fatoumata", phone="", email="", organisation=""),
    )
    assert response.status_code == 200
    expected = french("%(name)s is already on this workshop's list.") % {"name": "Fatoumata Diarra"}
    assert expected in field_error(response, "full_name")
    assert state() == before


# Recognising someone trained before -----------------------------------------------------------


@pytest.mark.parametrize(
    "overrides",
    [
        # The same phone written otherwise, nothing else.
        {"phone": "76123456", "email": "", "organisation": "Tribunal de Kayes"},
        # The same email, another phone.
        {"phone": "+223 66 99 99 99", "email": "F.Diarra@justice.gov.ml", "organisation": ""},
        # The same organisation, accents and case aside, no contacts.
        {"phone": "", "email": "", "organisation": "MINISTERE DE LA  JUSTICE"},
    ],
    ids=["phone", "email", "organisation"],
)
def test_someone_trained_before_is_recognised_at_entry(
    client, coordinator, mali, workshop, overrides
):
    first = add(workshop, sex="", function="")
    later = make_workshop(mali, title="Atelier de validation", day=date(2019, 3, 5))
    client.force_login(coordinator)
    response = client.post(
        reverse("workshops:participants", args=[later.pk]),
        person(full_name="DIARRA Fatoumata", country=mali.pk, **overrides),
        follow=True,
    )
    assert response.status_code == 200
    assert Participant.objects.count() == 1
    participation = Participation.objects.get(event=later)
    assert participation.participant == first.participant
    html = shown(response)
    recognised = french("Recognised: %(name)s was already trained at %(workshops)s.")
    assert recognised.split("%(workshops)s")[0] % {"name": "Fatoumata Diarra"} in html
    assert "Formation des magistrats" in html
    # Blank fields of the record are filled; what it had stays.
    first.participant.refresh_from_db()
    assert (first.participant.sex, first.participant.function) == ("F", "Magistrate")
    assert first.participant.full_name == "Fatoumata Diarra"


def test_the_same_name_alone_is_a_new_record(coordinator, mali, workshop):
    add(workshop)
    later = make_workshop(mali, title="Atelier de validation", day=date(2019, 3, 5))
    participation, known = participants.participant_add(
        event=later,
        by=coordinator,
        full_name="Fatoumata Diarra",
        organisation="Plan International",
        phone="+223 90 00 00 01",
    )
    assert known is None
    assert Participant.objects.count() == 2
    assert participation.participant.merged_into is None


def test_a_merged_record_is_not_recognised(coordinator, mali, workshop):
    old = add(workshop).participant
    kept = Participant.objects.create(full_name="Fatoumata B. Diarra")
    old.merged_into = kept
    old.save()
    later = make_workshop(mali, title="Atelier de validation", day=date(2019, 3, 5))
    _participation, known = participants.participant_add(
        event=later, by=coordinator, full_name="Fatoumata Diarra", phone="76123456"
    )
    assert known is None


def test_a_person_trained_three_times_counts_once(coordinator, mali, workshop):
    events = [
        workshop,
        make_workshop(mali, title="Atelier 2", day=date(2018, 9, 1)),
        make_workshop(mali, title="Atelier 3", day=date(2019, 2, 1)),
    ]
    add(events[0])
    add(events[1], full_name="fatoumata DIARRA", phone="76 12 34 56", email="")
    add(events[2], full_name="Diarra Fatoumata", phone="", email="f.diarra@justice.gov.ml")
    add(events[2], full_name="Awa Traoré", phone="", email="", organisation="")
    mine = Participation.objects.filter(event__country=mali)
    assert mine.count() == 4
    assert mine.values("participant_id").distinct().count() == 2
    fatoumata = Participant.objects.get(full_name="Fatoumata Diarra")
    assert fatoumata.participations.count() == 3


# Changing and removing ------------------------------------------------------------------------


def test_a_coordinator_edits_a_participant(client, coordinator, mali, workshop):
    participation = add(workshop)
    client.force_login(coordinator)
    url = reverse("workshops:participation_edit", args=[participation.pk])
    page = client.get(url)
    assert page.status_code == 200
    response = client.post(
        url, person(full_name="Fatoumata B. Diarra", phone="+223 70 00 00 00", country=mali.pk)
    )
    assert response.status_code == 302
    participation.participant.refresh_from_db()
    assert participation.participant.full_name == "Fatoumata B. Diarra"
    assert participation.participant.name_key == "b diarra fatoumata"
    assert participation.participant.phone_key == "70000000"
    before = state()
    response = client.post(url, person(full_name=""))
    assert french("Give the participant's name.") in field_error(response, "full_name")
    assert state() == before


def test_removing_keeps_a_person_trained_elsewhere(client, coordinator, mali, workshop):
    first = add(workshop)
    later = make_workshop(mali, title="Atelier 2", day=date(2018, 9, 1))
    second = add(later)
    Attendance.objects.create(participation=second, day=later.starts_on)
    alone = add(later, full_name="Awa Traoré", phone="", email="", organisation="")
    client.force_login(coordinator)

    url = reverse("workshops:participation_remove", args=[second.pk])
    page = client.get(url)
    assert page.status_code == 200  # asks to confirm
    assert Participation.objects.filter(pk=second.pk).exists()
    assert client.post(url).status_code == 302
    assert not Participation.objects.filter(pk=second.pk).exists()
    assert not Attendance.objects.exists()
    assert Participant.objects.filter(pk=first.participant_id).exists()

    client.post(reverse("workshops:participation_remove", args=[alone.pk]))
    assert not Participant.objects.filter(full_name="Awa Traoré").exists()
    records = Participation.history.filter(id=alone.pk).order_by("history_id")
    assert [(r.history_type, r.history_user) for r in records] == [("+", None), ("-", coordinator)]


# Who may --------------------------------------------------------------------------------------


def _posts(workshop, participation):
    return [
        (reverse("workshops:participants", args=[workshop.pk]), person(full_name="Awa Traoré")),
        (reverse("workshops:participation_edit", args=[participation.pk]), person()),
        (reverse("workshops:participation_remove", args=[participation.pk]), {}),
        (reverse("workshops:participants_import", args=[workshop.pk]), {"text": "Nom\tSexe"}),
    ]


@pytest.mark.parametrize("kind", ["observer", "contributor"])
def test_other_members_of_the_country_read_but_may_not_change(
    client, make_user, mali, workshop, kind
):
    participation = add(workshop)
    client.force_login(make_user(kind, mali))
    page = client.get(reverse("workshops:participants", args=[workshop.pk]))
    assert page.status_code == 200
    html = shown(page)
    assert "Fatoumata Diarra" in html and "+223 76 12 34 56" in html  # members see contacts
    assert 'id="add-participant"' not in html
    assert reverse("workshops:participation_edit", args=[participation.pk]) not in html
    before = state()
    for url, data in _posts(workshop, participation):
        assert client.post(url, data).status_code == 403, url
    for url in (
        reverse("workshops:participation_edit", args=[participation.pk]),
        reverse("workshops:participation_remove", args=[participation.pk]),
        reverse("workshops:participants_import", args=[workshop.pk]),
    ):
        assert client.get(url).status_code == 403, url
    assert state() == before


def test_another_country_is_told_nothing_exists(client, make_user, senegal, workshop):
    participation = add(workshop)
    client.force_login(make_user("coordinator", senegal))
    before = state()
    assert client.get(reverse("workshops:participants", args=[workshop.pk])).status_code == 404
    for url, data in _posts(workshop, participation):
        assert client.get(url).status_code == 404, url
        assert client.post(url, data).status_code == 404, url
    assert state() == before


def test_the_funders_representative_sees_the_list_without_contacts(
    client, make_user, workshop, icmpd
):
    participation = add(workshop)
    client.force_login(make_user("partner", icmpd))
    page = client.get(reverse("workshops:participants", args=[workshop.pk]))
    assert page.status_code == 200
    html = shown(page)
    assert "Fatoumata Diarra" in html and "Ministère de la Justice" in html
    assert "76 12 34 56" not in html and "f.diarra@justice.gov.ml" not in html
    assert not page.context["contacts"]
    before = state()
    for url, data in _posts(workshop, participation):
        assert client.post(url, data).status_code == 403, url
    assert state() == before


def test_another_partners_representative_is_told_nothing_exists(client, make_user, workshop):
    add(workshop)
    client.force_login(make_user("partner", OrganisationFactory(country=None)))
    assert client.get(reverse("workshops:participants", args=[workshop.pk])).status_code == 404


def test_a_regional_coordinator_reads_with_contacts(client, make_user, workshop):
    participation = add(workshop)
    client.force_login(make_user("regional"))
    page = client.get(reverse("workshops:participants", args=[workshop.pk]))
    assert page.status_code == 200
    assert "f.diarra@justice.gov.ml" in shown(page)
    assert page.context["form"] is None
    before = state()
    for url, data in _posts(workshop, participation):
        assert client.post(url, data).status_code == 403, url
    assert state() == before


def test_a_round_table_has_no_participants_page(client, coordinator, mali):
    from relais.funding import services as funding_services
    from relais.plans.tests.factories import plan_with_content

    plan = plan_with_content(mali)
    table = funding_services.round_table_create(
        plan=plan, by=coordinator, title="Table ronde", starts_on=date(2018, 3, 15)
    )
    client.force_login(coordinator)
    assert client.get(reverse("workshops:participants", args=[table.pk])).status_code == 404


# The page's cost ------------------------------------------------------------------------------


def _people(event, start, count):
    for index in range(start, start + count):
        person_ = Participant.objects.create(
            full_name=f"Personne {index}",
            sex="F" if index % 2 else "M",
            organisation=f"Structure {index % 7}",
            organisation_kind="cso",
            country=event.country,
            phone=f"+223 76 00 {index:04d}",
            email=f"p{index}@example.ml",
        )
        Participation.objects.create(event=event, participant=person_)


def test_the_list_reads_the_database_a_fixed_number_of_times(
    client, coordinator, workshop, django_assert_max_num_queries
):
    client.force_login(coordinator)
    url = reverse("workshops:participants", args=[workshop.pk])
    client.get(url)  # warm up (session, content types…)
    _people(workshop, 0, 3)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    _people(workshop, 3, 27)
    with django_assert_max_num_queries(len(few)):
        response = client.get(url)
    assert response.context["counts"] == {"people": 30, "women": 15, "men": 15}
    # session, user, roles, workshop, participations, past exports, countries of the form
    assert len(few) <= 8, [q["sql"] for q in few.captured_queries]
