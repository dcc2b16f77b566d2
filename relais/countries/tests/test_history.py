"""The audit trail: who changed what and when, and who may read it."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from relais.countries.models import Organisation
from relais.countries.tests.factories import ContactFactory, OrganisationFactory

BODY_FORM = {
    "name": "Comité national de lutte contre la traite des personnes",
    "acronym": "CNLTP",
    "letterhead": "RÉPUBLIQUE DU MALI\nUn Peuple – Un But – Une Foi",
    "address": "",
    "phone": "",
    "email": "",
    "website": "",
}


@pytest.fixture
def coordinator(make_user, mali):
    return make_user("coordinator", mali, language="en", full_name="Aminata Traoré")


def history_url(record):
    return reverse("history", args=[record._meta.app_label, record._meta.model_name, record.pk])


def test_changing_the_body_through_its_page_records_who_when_and_what(client, coordinator, mali):
    client.force_login(coordinator)
    started = timezone.now()

    response = client.post(
        reverse("countries:body_edit", args=["ML"]),
        {**BODY_FORM, "acronym": "ANLTP", "phone": "+223 20 22 00 00"},
    )

    assert response.status_code == 302
    body = Organisation.objects.get(pk=mali.national_body_id)
    latest, previous = body.history.order_by("-history_date", "-history_id")[:2]
    assert latest.history_type == "~"
    assert latest.history_user == coordinator
    assert started <= latest.history_date <= timezone.now()
    delta = latest.diff_against(previous)
    assert {change.field: (change.old, change.new) for change in delta.changes} == {
        "acronym": ("CNLTP", "ANLTP"),
        "phone": ("", "+223 20 22 00 00"),
    }


def test_adding_an_organisation_records_its_author(client, coordinator, mali):
    client.force_login(coordinator)
    client.post(
        reverse("countries:organisation_create", args=["ML"]),
        {"name": "Association malienne des expulsés", "acronym": "AME", "kind": "cso"},
    )
    created = Organisation.objects.get(acronym="AME").history.get()
    assert created.history_type == "+"
    assert created.history_user == coordinator


def test_a_change_made_outside_a_request_has_no_author(mali):
    body = mali.national_body
    body.acronym = "ANLTP"
    body.save()
    assert body.history.latest("history_date").history_user is None


def test_history_page_shows_the_change_with_old_and_new_values_to_the_coordinator(
    client, coordinator, mali
):
    client.force_login(coordinator)
    client.post(reverse("countries:body_edit", args=["ML"]), {**BODY_FORM, "acronym": "ANLTP"})

    response = client.get(history_url(mali.national_body))

    assert response.status_code == 200
    html = response.content.decode()
    entries = re.findall(r'<li class="card">.*?</li>', html, re.S)
    # Newest first: the change, then the creation.
    assert len(entries) == 2
    change, creation = entries
    assert "Changed" in change and "Aminata Traoré" in change
    assert re.search(
        r"<th scope=\"row\">Acronym</th><td><del>CNLTP</del></td>"
        r"<td><ins>ANLTP</ins></td>",
        change,
    )
    assert "Created" in creation and "the system" in creation
    assert [e.kind for e in response.context["entries"]] == ["~", "+"]


def test_history_page_is_linked_from_the_country_page_for_the_coordinator_only(
    client, coordinator, make_user, mali
):
    link = history_url(mali.national_body)
    client.force_login(coordinator)
    assert link in client.get(reverse("countries:detail", args=["ML"])).content.decode()
    client.force_login(make_user("contributor", mali))
    assert link not in client.get(reverse("countries:detail", args=["ML"])).content.decode()


def test_history_is_forbidden_to_the_contributor_of_the_same_country(client, make_user, mali):
    client.force_login(make_user("contributor", mali))
    assert client.get(history_url(mali.national_body)).status_code == 403
    assert client.get(history_url(ContactFactory(country=mali))).status_code == 403
    assert client.get(history_url(mali.roles.get())).status_code == 403


def test_history_of_another_countrys_role_answers_404(client, make_user, mali, senegal):
    make_user("coordinator", senegal)
    client.force_login(make_user("coordinator", mali))
    assert client.get(history_url(senegal.roles.get())).status_code == 404


def test_history_of_another_countrys_contact_answers_404_to_who_cannot_see_contacts(
    client, make_user, mali, senegal
):
    contact = ContactFactory(country=senegal)
    partner = OrganisationFactory(kind=Organisation.Kind.PARTNER, country=None)
    client.force_login(make_user("partner", partner))
    assert client.get(history_url(contact)).status_code == 404


def test_history_of_another_countrys_contact_is_forbidden_to_a_network_member(
    client, make_user, mali, senegal
):
    # Contacts are shared across the network (Senegal's contacts are listed on its page to
    # Mali's coordinator): their existence is no secret, their history is.
    contact = ContactFactory(country=senegal)
    client.force_login(make_user("coordinator", mali))
    assert client.get(history_url(contact)).status_code == 403
    assert (
        contact.full_name in client.get(reverse("countries:detail", args=["SN"])).content.decode()
    )


def test_history_of_a_contact_shows_its_changes_to_its_coordinator(client, coordinator, mali):
    contact = ContactFactory(country=mali, phone="+223 20 00 00 00", is_focal_point=False)
    contact.is_focal_point = True
    contact._history_user = coordinator
    contact.save()
    client.force_login(coordinator)
    html = client.get(history_url(contact)).content.decode()
    assert "<del>no</del>" in html and "<ins>yes</ins>" in html


def test_history_of_a_model_without_history_answers_404(client, coordinator):
    client.force_login(coordinator)
    url = reverse("history", args=["sessions", "session", 1])
    assert client.get(url).status_code == 404


def test_history_of_a_deleted_record_answers_404(client, coordinator, mali):
    contact = ContactFactory(country=mali)
    url = history_url(contact)
    contact.delete()
    client.force_login(coordinator)
    assert client.get(url).status_code == 404


def test_history_entries_are_newest_first(client, coordinator, mali):
    body = mali.national_body
    for acronym in ["A1", "A2"]:
        body.acronym = acronym
        body.save()
    client.force_login(coordinator)
    entries = client.get(history_url(body)).context["entries"]
    dates = [e.record.history_date for e in entries]
    assert dates == sorted(dates, reverse=True)
    assert [c.new for c in entries[0].changes] == ["A2"]
    assert dates[0] - dates[-1] < timedelta(minutes=1)
