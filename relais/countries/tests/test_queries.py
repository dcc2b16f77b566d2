"""The pages listing countries and people read the database a fixed number of times, however
many rows there are."""

import pytest
from django.urls import reverse
from django.utils import timezone

from relais.countries.models import Role
from relais.countries.tests.factories import (
    ContactFactory,
    CountryFactory,
    InvitationFactory,
    OrganisationFactory,
    RoleFactory,
)

pytestmark = pytest.mark.django_db


def populate(country, n, coordinator):
    """`n` of everything a country's pages list: members of each role, contacts (with their
    organisation), organisations, invitations (some accepted)."""
    organisations = OrganisationFactory.create_batch(n, country=country)
    for kind in [Role.Kind.COORDINATOR, Role.Kind.CONTRIBUTOR, Role.Kind.OBSERVER]:
        RoleFactory.create_batch(n, kind=kind, country=country)
    for organisation in organisations:
        ContactFactory(country=country, organisation=organisation)
    for invitation in InvitationFactory.create_batch(n, country=country, invited_by=coordinator):
        invitation.accepted_at = timezone.now()
        invitation.accepted_by = coordinator
        invitation.save()


@pytest.fixture
def six(mali, senegal):
    return [mali, senegal] + [CountryFactory(code=code) for code in ["GM", "GN", "GW", "MR"]]


def test_home_of_regional_coordinator_reads_a_fixed_number_of_times(
    client, make_user, six, django_assert_max_num_queries
):
    client.force_login(make_user("regional"))
    # session, user, roles, countries with member counts, their coordinators
    with django_assert_max_num_queries(5):
        response = client.get(reverse("home"))
    assert len(response.context["countries"]) == 6

    for country in six:
        populate(country, 8, make_user("coordinator", country))
    with django_assert_max_num_queries(5):
        response = client.get(reverse("home"))
    assert b'id="countries-compare"' in response.content
    assert [c.member_count for c in response.context["countries"]] == [25] * 6


def test_home_of_a_coordinator_reads_a_fixed_number_of_times(
    client, make_user, six, django_assert_max_num_queries
):
    coordinator = make_user("coordinator", six[0])
    client.force_login(coordinator)
    # session, user, roles, countries, their coordinators, represented organisations,
    # the user's own permissions and groups' (for the comparison, which a coordinator lacks)
    with django_assert_max_num_queries(7):
        client.get(reverse("home"))
    for country in six:
        populate(country, 8, coordinator)
    with django_assert_max_num_queries(7):
        response = client.get(reverse("home"))
    assert [c.code for c in response.context["countries"]] == ["ML"]


def test_country_page_reads_a_fixed_number_of_times(
    client, make_user, mali, django_assert_max_num_queries
):
    coordinator = make_user("coordinator", mali)
    client.force_login(coordinator)
    # session, user, country with body, coordinators, members, contacts with organisations,
    # organisations, roles
    with django_assert_max_num_queries(8):
        client.get(reverse("countries:detail", args=["ML"]))

    populate(mali, 20, coordinator)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("countries:detail", args=["ML"]))
    assert len(response.context["country"].contact_list) == 20
    assert len(response.context["country"].member_roles) == 61


def test_members_page_reads_a_fixed_number_of_times(
    client, make_user, mali, django_assert_max_num_queries
):
    coordinator = make_user("coordinator", mali)
    client.force_login(coordinator)
    # session, user, country, roles, country with body again, coordinators, members,
    # contacts, organisations, invitations with their authors
    with django_assert_max_num_queries(10):
        client.get(reverse("countries:members", args=["ML"]))

    populate(mali, 20, coordinator)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("countries:members", args=["ML"]))
    assert b'id="invitations"' in response.content
    assert len(response.context["invitations"]) == 20
