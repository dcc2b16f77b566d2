"""Who may do what with countries, organisations, people and invitations.

The predicates here are the vocabulary every later app builds its own rules with: a record
belongs to a country (its `country` attribute, or itself for a Country), and a person's roles
say what they may do there. Views call `has_perm`, templates `{% has_perm %}`; neither
re-implements these checks.

The roles of a person are read once per request and kept on the user object.
"""

import rules

ROLES_CACHE = "_relais_roles"
COUNTRY_KINDS = frozenset({"coordinator", "contributor", "observer"})


def roles_of(user):
    """[(kind, country_id, organisation_id), …] for `user`, read once and cached on it."""
    if not user or not user.is_authenticated:
        return ()
    cached = getattr(user, ROLES_CACHE, None)
    if cached is None:
        cached = tuple(user.roles.values_list("kind", "country_id", "organisation_id"))
        setattr(user, ROLES_CACHE, cached)
    return cached


def forget_roles(user):
    if hasattr(user, ROLES_CACHE):
        delattr(user, ROLES_CACHE)


def country_id_of(obj):
    """The country a record belongs to: itself, its `country_id`, or None (regional)."""
    if obj is None:
        return None
    from relais.countries.models import Country

    if isinstance(obj, Country):
        return obj.pk
    return getattr(obj, "country_id", None)


def country_ids_with(user, kinds):
    return {country for kind, country, _org in roles_of(user) if kind in kinds and country}


def organisation_ids_of(user):
    """The organisations a person represents as a partner."""
    return {org for kind, _country, org in roles_of(user) if kind == "partner"}


@rules.predicate
def is_admin(user):
    return bool(user and user.is_active and user.is_superuser)


@rules.predicate
def is_regional(user):
    return any(kind == "regional" for kind, _c, _o in roles_of(user))


@rules.predicate
def is_network_member(user):
    """Members of the network: a country role, a regional coordinator or an administrator.

    Partner representatives are not: they read only what their organisation is party to.
    """
    return bool(
        is_admin(user)
        or any(kind in COUNTRY_KINDS | {"regional"} for kind, _c, _o in roles_of(user))
    )


@rules.predicate
def is_coordinator_of(user, obj):
    country = country_id_of(obj)
    return country is not None and country in country_ids_with(user, {"coordinator"})


@rules.predicate
def is_contributor_of(user, obj):
    country = country_id_of(obj)
    return country is not None and country in country_ids_with(user, {"contributor"})


@rules.predicate
def is_member_of(user, obj):
    """Holds any country role (coordinator, contributor, observer) in the record's country."""
    country = country_id_of(obj)
    return country is not None and country in country_ids_with(user, COUNTRY_KINDS)


# Reads a country's work: its own members, regional coordinators, administrators. Anyone else
# is told the record does not exist (404), not that it is forbidden.
can_see_country_work = is_member_of | is_regional | is_admin
can_manage_country = is_coordinator_of | is_admin

rules.add_perm("countries.view_country", rules.is_authenticated)
rules.add_perm("countries.view_contacts", is_network_member)
rules.add_perm("countries.view_members", can_see_country_work)
rules.add_perm("countries.change_body", can_manage_country)
rules.add_perm("countries.invite", can_manage_country)
rules.add_perm("countries.add_contact", can_manage_country)
rules.add_perm("countries.add_organisation", can_manage_country)
rules.add_perm("countries.view_history", can_manage_country)
rules.add_perm("countries.compare_countries", is_regional | is_admin)

# Seeing a record at all (404 otherwise), used by the shared history page among others.
rules.add_perm("countries.view_organisation", rules.is_authenticated)
rules.add_perm("countries.view_contact", is_network_member)
rules.add_perm("countries.view_role", can_see_country_work)
rules.add_perm("countries.view_invitation", can_see_country_work)
