"""The predicates every app builds its permissions with: role × country."""

import pytest
from django.contrib.auth.models import AnonymousUser

from relais.countries.models import Organisation, Role
from relais.countries.rules import (
    forget_roles,
    is_admin,
    is_coordinator_of,
    is_member_of,
    is_network_member,
    is_regional,
    roles_of,
)
from relais.countries.tests.factories import (
    ContactFactory,
    InvitationFactory,
    OrganisationFactory,
    RoleFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def icmpd(db):
    return OrganisationFactory(name="ICMPD", kind=Organisation.Kind.PARTNER, country=None)


@pytest.mark.parametrize(
    ("kind", "coordinator", "member"),
    [
        ("coordinator", True, True),
        ("contributor", False, True),
        ("observer", False, True),
    ],
)
def test_country_role_applies_to_its_own_country_only(
    make_user, mali, senegal, kind, coordinator, member
):
    user = make_user(kind, mali)
    assert is_coordinator_of(user, mali) is coordinator
    assert is_member_of(user, mali) is member
    assert is_coordinator_of(user, senegal) is False
    assert is_member_of(user, senegal) is False


def test_predicates_follow_a_record_to_its_country(make_user, mali, senegal):
    user = make_user("coordinator", mali)
    for record in [
        OrganisationFactory(country=mali),
        ContactFactory(country=mali),
        InvitationFactory(country=mali),
        user.roles.get(),
    ]:
        assert is_coordinator_of(user, record), record
        assert is_member_of(user, record), record
    assert not is_member_of(user, ContactFactory(country=senegal))


def test_a_regional_record_belongs_to_no_country(make_user, mali, icmpd):
    user = make_user("coordinator", mali)
    assert not is_coordinator_of(user, icmpd)
    assert not is_member_of(user, icmpd)
    assert not is_member_of(user, None)


def test_country_roles_make_network_members(make_user, mali):
    for kind in ["coordinator", "contributor", "observer"]:
        user = make_user(kind, mali)
        assert is_network_member(user)
        assert not is_regional(user)
        assert not is_admin(user)


def test_regional_coordinator_is_regional_and_a_network_member_of_no_country(make_user, mali):
    user = make_user("regional")
    assert is_regional(user)
    assert is_network_member(user)
    assert not is_member_of(user, mali)
    assert not is_coordinator_of(user, mali)


def test_partner_representative_is_not_a_network_member(make_user, mali, icmpd):
    user = make_user("partner", icmpd)
    assert not is_network_member(user)
    assert not is_regional(user)
    assert not is_member_of(user, mali)


def test_administrator_is_an_active_superuser(make_user, mali):
    admin = make_user("admin")
    assert is_admin(admin)
    assert is_network_member(admin)
    # Administrators act through the permissions, not through a country role.
    assert not is_member_of(admin, mali)
    assert not is_admin(make_user(None, is_staff=True))
    assert not is_admin(make_user("admin", is_active=False))


def test_a_person_without_role_or_signed_out_holds_nothing(make_user, mali):
    for user in [make_user(None), AnonymousUser()]:
        assert roles_of(user) == ()
        assert not is_admin(user)
        assert not is_regional(user)
        assert not is_network_member(user)
        assert not is_member_of(user, mali)
        assert not is_coordinator_of(user, mali)


def test_several_roles_give_the_union_of_their_rights(make_user, mali, senegal, icmpd):
    user = make_user("coordinator", mali)
    RoleFactory(user=user, kind=Role.Kind.OBSERVER, country=senegal)
    RoleFactory(user=user, kind=Role.Kind.PARTNER, country=None, organisation=icmpd)
    RoleFactory(user=user, kind=Role.Kind.REGIONAL, country=None)

    assert is_coordinator_of(user, mali)
    assert not is_coordinator_of(user, senegal)
    assert is_member_of(user, mali) and is_member_of(user, senegal)
    assert is_regional(user) and is_network_member(user)
    assert user.has_perm("countries.invite", mali)
    assert not user.has_perm("countries.invite", senegal)
    assert user.has_perm("countries.view_members", senegal)
    assert user.has_perm("countries.compare_countries")


def test_permissions_of_several_roles_are_the_union_per_country(make_user, mali, senegal):
    user = make_user("contributor", mali)
    RoleFactory(user=user, kind=Role.Kind.COORDINATOR, country=senegal)
    assert not user.has_perm("countries.change_body", mali)
    assert user.has_perm("countries.view_members", mali)
    assert user.has_perm("countries.change_body", senegal)
    assert not user.has_perm("countries.compare_countries")


def test_roles_are_read_once_until_forgotten(make_user, mali, senegal, django_assert_num_queries):
    user = make_user("observer", mali)
    with django_assert_num_queries(1):
        is_member_of(user, mali)
        is_member_of(user, senegal)
        is_network_member(user)
    RoleFactory(user=user, kind=Role.Kind.COORDINATOR, country=senegal)
    # The cached roles predate the new one…
    assert not is_coordinator_of(user, senegal)
    forget_roles(user)
    # …and are read again once forgotten.
    assert is_coordinator_of(user, senegal)
