"""Reads for countries and people; each names what it preloads."""

from django.db.models import Count, Prefetch, Q
from django.shortcuts import get_object_or_404

from relais.countries.models import Contact, Country, Invitation, Organisation, Role
from relais.countries.rules import COUNTRY_KINDS, country_ids_with, is_admin, is_regional, roles_of


def _coordinators():
    return Prefetch(
        "roles",
        queryset=Role.objects.filter(kind=Role.Kind.COORDINATOR).select_related("user"),
        to_attr="coordinator_roles",
    )


def country_overview(*, user):
    """The countries shown on a person's home page, with body, coordinators and member count.

    Regional coordinators and administrators see the six; others the countries of their roles
    and of the organisations they represent. Preloads national_body and coordinator_roles.
    """
    countries = Country.objects.select_related("national_body").annotate(
        member_count=Count("roles__user", filter=Q(roles__kind__in=COUNTRY_KINDS), distinct=True)
    )
    if not (is_regional(user) or is_admin(user)):
        mine = country_ids_with(user, COUNTRY_KINDS)
        represented = {org for kind, _c, org in roles_of(user) if kind == "partner"}
        countries = countries.filter(
            Q(pk__in=mine) | Q(organisations__pk__in=represented)
        ).distinct()
    return countries.prefetch_related(_coordinators()).order_by("code")


def represented_organisations(*, user):
    ids = {org for kind, _c, org in roles_of(user) if kind == "partner"}
    return Organisation.objects.filter(pk__in=ids).select_related("country")


def country_get(*, code):
    """A country by its code, any case; 404 for a code that is not one of the network's."""
    return get_object_or_404(Country.objects.select_related("national_body"), code=code.upper())


def country_page(*, code):
    """A country with what its page shows: body, coordinators, members, contacts, organisations.

    Preloads national_body, coordinator_roles, member_roles (with users), contact_list (with
    organisations) and organisation_list.
    """
    queryset = Country.objects.select_related("national_body").prefetch_related(
        _coordinators(),
        Prefetch(
            "roles",
            queryset=Role.objects.filter(kind__in=COUNTRY_KINDS)
            .select_related("user")
            .order_by("user__full_name", "kind"),
            to_attr="member_roles",
        ),
        Prefetch(
            "contacts",
            queryset=Contact.objects.select_related("organisation"),
            to_attr="contact_list",
        ),
        Prefetch(
            "organisations",
            queryset=Organisation.objects.order_by("kind", "name"),
            to_attr="organisation_list",
        ),
    )
    return get_object_or_404(queryset, code=code.upper())


def invitation_list(*, country):
    return Invitation.objects.filter(country=country).select_related("invited_by", "accepted_by")
