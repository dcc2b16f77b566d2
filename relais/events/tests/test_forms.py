"""The round-table form: what it offers, what it refuses, and what it hands the services."""

from datetime import date

import pytest
from django.contrib import admin
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from relais.countries.models import Organisation
from relais.countries.tests.factories import ContactFactory, OrganisationFactory
from relais.events.forms import RoundTableForm
from relais.events.models import Event
from relais.plans.tests.factories import PlanFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(mali):
    return PlanFactory(country=mali)


@pytest.fixture
def organisations(mali, senegal):
    return {
        "mali": OrganisationFactory(name="Association malienne", country=mali),
        "regional": OrganisationFactory(
            name="CEDEAO", acronym="CEDEAO", kind=Organisation.Kind.REGIONAL, country=None
        ),
        "senegal": OrganisationFactory(name="Association sénégalaise", country=senegal),
    }


def data(**overrides):
    return {"title": "Table ronde", "starts_on": "2018-03-15", **overrides}


def test_it_offers_the_plans_country_and_the_regional_organisations(mali, plan, organisations):
    form = RoundTableForm(plan=plan)
    offered = set(form.fields["present"].queryset)
    assert offered == set(form.fields["invited"].queryset)
    assert organisations["mali"] in offered and organisations["regional"] in offered
    assert organisations["senegal"] not in offered


def test_it_offers_the_countrys_contacts_with_their_organisation(
    mali, senegal, plan, organisations
):
    awa = ContactFactory(full_name="Awa Traoré", country=mali, organisation=organisations["mali"])
    ContactFactory(full_name="Moussa Diop", country=senegal)
    form = RoundTableForm(plan=plan)
    labels = [label for _value, label in form.fields["participants"].choices]
    assert labels == ["Awa Traoré (Association malienne)"]
    assert list(form.fields["participants"].queryset) == [awa]


def test_another_countrys_organisation_is_refused(plan, organisations):
    form = RoundTableForm(data(present=[organisations["senegal"].pk]), plan=plan)
    assert not form.is_valid()
    assert "present" in form.errors


@pytest.mark.parametrize(
    "overrides, field, message",
    [
        ({"title": "  "}, "title", "Give the round table a title."),
        ({"starts_on": ""}, "starts_on", "Enter the date."),
        ({"ends_on": "2018-03-14"}, "ends_on", "The last day comes before the first."),
    ],
)
def test_bad_input_is_told_at_its_field(plan, overrides, field, message):
    with translation.override("en"):
        form = RoundTableForm(data(**overrides), plan=plan)
        assert not form.is_valid()
        assert form.errors[field] == [message]
        assert not form.non_field_errors()  # not the model constraint's own words


def test_it_hands_the_services_what_they_take(plan, organisations):
    form = RoundTableForm(
        data(title="  Table ronde  ", present=[organisations["regional"].pk]), plan=plan
    )
    assert form.is_valid(), form.errors
    fields = form.service_fields()
    assert fields["title"] == "Table ronde"
    assert fields["starts_on"] == date(2018, 3, 15)
    assert list(fields["present"]) == [organisations["regional"]]
    assert "minutes" not in fields  # no new file: the service keeps the old one

    upload = SimpleUploadedFile("pv.pdf", b"%PDF-1.4\n%%EOF\n")
    form = RoundTableForm(data(), {"minutes": upload}, plan=plan)
    assert form.is_valid(), form.errors
    assert form.service_fields()["minutes"] is upload


def test_events_are_in_the_administration(client, make_user, plan):
    assert admin.site.is_registered(Event)
    Event.objects.create(
        kind=Event.Kind.ROUND_TABLE,
        country=plan.country,
        plan=plan,
        title="Table ronde",
        starts_on=date(2018, 3, 15),
    )
    client.force_login(make_user("admin"))
    for name in ("admin:events_event_changelist", "admin:events_event_add"):
        assert client.get(reverse(name)).status_code == 200, name
