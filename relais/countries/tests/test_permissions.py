"""The permission matrix: every role × every page of countries, home, invitations, history and
accounts, for GET and for POST where the page takes a POST.

The records are Mali's unless a row says otherwise. A person who cannot see Mali's work is told
the record does not exist (404); a member whose role does not allow the action is refused (403);
a signed-out person is sent to the sign-in page. A refused POST changes nothing.
"""

from types import SimpleNamespace

import pytest
from django.urls import reverse

from relais.accounts.models import User
from relais.countries.models import Contact, Invitation, Organisation, Role
from relais.countries.tests.factories import ContactFactory, InvitationFactory, OrganisationFactory

ROLES = [
    "anonymous",
    "coordinator_ml",
    "contributor_ml",
    "observer_ml",
    "coordinator_sn",
    "partner",
    "regional",
    "admin",
    "no_role",
]
LOGIN = "login"  # 302 to the sign-in page, nothing changed
DONE = "done"  # 302 onwards, and the change was made
MOVED = "moved"  # 302 onwards, nothing to change in the database (a cookie, say)

# fmt: off
# role (ROLES):                       anon   coord  contr  obs    coord  partn  region admin  none
# page, method                               ML     ML     ML     SN
MATRIX = {
    ("home", "GET"):                 (LOGIN, 200,   200,   200,   200,   200,   200,   200,   200),
    ("country", "GET"):              (LOGIN, 200,   200,   200,   200,   200,   200,   200,   200),
    ("country_sn", "GET"):           (LOGIN, 200,   200,   200,   200,   200,   200,   200,   200),
    ("country_unknown", "GET"):      (LOGIN, 404,   404,   404,   404,   404,   404,   404,   404),
    ("body_edit", "GET"):            (LOGIN, 200,   403,   403,   404,   404,   403,   200,   404),
    ("body_edit", "POST"):           (LOGIN, DONE,  403,   403,   404,   404,   403,   DONE,  404),
    ("members", "GET"):              (LOGIN, 200,   200,   200,   404,   404,   200,   200,   404),
    ("members", "POST"):             (LOGIN, DONE,  403,   403,   404,   404,   403,   DONE,  404),
    ("members_sn", "GET"):           (LOGIN, 404,   404,   404,   200,   404,   200,   200,   404),
    ("members_sn", "POST"):          (LOGIN, 404,   404,   404,   DONE,  404,   403,   DONE,  404),
    ("revoke", "GET"):               (LOGIN, 405,   405,   405,   405,   405,   405,   405,   405),
    ("revoke", "POST"):              (LOGIN, DONE,  403,   403,   404,   404,   403,   DONE,  404),
    # A Senegal invitation through Mali's address is not found, even by those who may revoke.
    ("revoke_sn_via_ml", "POST"):    (LOGIN, 404,   403,   403,   404,   404,   403,   404,   404),
    ("organisation_create", "GET"):  (LOGIN, 200,   403,   403,   404,   404,   403,   200,   404),
    ("organisation_create", "POST"): (LOGIN, DONE,  403,   403,   404,   404,   403,   DONE,  404),
    ("contact_create", "GET"):       (LOGIN, 200,   403,   403,   404,   404,   403,   200,   404),
    ("contact_create", "POST"):      (LOGIN, DONE,  403,   403,   404,   404,   403,   DONE,  404),
    # The link is the credential: anyone may open it; only its addressee may accept, and
    # people signed in under another address are shown why not (200, nothing changes).
    ("invitation_accept", "GET"):    (200,   200,   200,   200,   200,   200,   200,   200,   200),
    ("invitation_accept", "POST"):   (DONE,  200,   200,   200,   200,   200,   200,   200,   200),
    # Organisations are visible to every signed-in person: their history is forbidden, not
    # hidden. Contacts are shared across the network (countries.view_contacts), so the
    # coordinator of Senegal is refused (403), while a partner, who may not see them, is not
    # told they exist (404). Roles are seen by their country, regional coordinators, admins.
    ("history_body", "GET"):         (LOGIN, 200,   403,   403,   403,   403,   403,   200,   403),
    ("history_contact", "GET"):      (LOGIN, 200,   403,   403,   403,   404,   403,   200,   404),
    ("history_role", "GET"):         (LOGIN, 200,   403,   403,   404,   404,   403,   200,   404),
    ("history_role_sn", "GET"):      (LOGIN, 404,   404,   404,   200,   404,   403,   200,   404),
    ("history_unknown", "GET"):      (LOGIN, 404,   404,   404,   404,   404,   404,   404,   404),
    ("profile", "GET"):              (LOGIN, 200,   200,   200,   200,   200,   200,   200,   200),
    ("profile", "POST"):             (LOGIN, DONE,  DONE,  DONE,  DONE,  DONE,  DONE,  DONE,  DONE),
    ("set_language", "GET"):         (405,   405,   405,   405,   405,   405,   405,   405,   405),
    ("set_language", "POST"):        (MOVED, DONE,  DONE,  DONE,  DONE,  DONE,  DONE,  DONE,  DONE),
}
# fmt: on

URLS = {
    "home": lambda w: reverse("home"),
    "country": lambda w: reverse("countries:detail", args=["ML"]),
    "country_sn": lambda w: reverse("countries:detail", args=["SN"]),
    "country_unknown": lambda w: reverse("countries:detail", args=["XX"]),
    "body_edit": lambda w: reverse("countries:body_edit", args=["ML"]),
    "members": lambda w: reverse("countries:members", args=["ML"]),
    "members_sn": lambda w: reverse("countries:members", args=["SN"]),
    "revoke": lambda w: reverse("countries:invitation_revoke", args=["ML", w.invitation_ml.pk]),
    "revoke_sn_via_ml": lambda w: reverse(
        "countries:invitation_revoke", args=["ML", w.invitation_sn.pk]
    ),
    "organisation_create": lambda w: reverse("countries:organisation_create", args=["ML"]),
    "contact_create": lambda w: reverse("countries:contact_create", args=["ML"]),
    "invitation_accept": lambda w: reverse("invitation_accept", args=[w.invitation_new.token]),
    "history_body": lambda w: reverse(
        "history", args=["countries", "organisation", w.mali.national_body_id]
    ),
    "history_contact": lambda w: reverse("history", args=["countries", "contact", w.contact.pk]),
    "history_role": lambda w: reverse("history", args=["countries", "role", w.role_ml.pk]),
    "history_role_sn": lambda w: reverse("history", args=["countries", "role", w.role_sn.pk]),
    "history_unknown": lambda w: reverse("history", args=["countries", "nothing", 1]),
    "profile": lambda w: reverse("accounts:profile"),
    "set_language": lambda w: reverse("accounts:set_language"),
}

# What each POST sends: what a person allowed to act would type.
POSTS = {
    "body_edit": {
        "name": "Agence nationale de lutte contre la traite des personnes",
        "acronym": "ANLTP",
        "letterhead": "RÉPUBLIQUE DU MALI",
        "address": "Bamako",
        "phone": "+223 20 22 00 00",
        "email": "anltp@example.org",
        "website": "https://anltp.example.org",
    },
    "members": {
        "email": "new.member@example.org",
        "full_name": "Nouveau Membre",
        "kind": "contributor",
        "language": "fr",
    },
    "revoke": {},
    "organisation_create": {"name": "Association malienne des expulsés", "kind": "cso"},
    "contact_create": {"full_name": "Awa Diarra", "function": "Point focal", "phone": "+223"},
    "invitation_accept": {
        "full_name": "Fatoumata Sangaré",
        "password1": "Traite-forcee-2019",
        "password2": "Traite-forcee-2019",
    },
    "profile": {"full_name": "Nom modifié", "phone": "+223 70 00 00 00", "language": "en"},
    "set_language": {"language": "pt", "next": "/"},
}
POSTS["members_sn"] = POSTS["members"]
POSTS["revoke_sn_via_ml"] = POSTS["revoke"]

CASES = [
    pytest.param(page, method, role, expected, id=f"{page}-{method}-{role}-{expected}")
    for (page, method), row in MATRIX.items()
    for role, expected in zip(ROLES, row, strict=True)
]


@pytest.fixture
def world(make_user, mali, senegal):
    icmpd = OrganisationFactory(
        name="International Centre for Migration Policy Development",
        acronym="ICMPD",
        kind=Organisation.Kind.PARTNER,
        country=None,
    )
    users = {
        "anonymous": None,
        "coordinator_ml": make_user("coordinator", mali),
        "contributor_ml": make_user("contributor", mali),
        "observer_ml": make_user("observer", mali),
        "coordinator_sn": make_user("coordinator", senegal),
        "partner": make_user("partner", icmpd),
        "regional": make_user("regional"),
        "admin": make_user("admin"),
        "no_role": make_user(None),
    }
    return SimpleNamespace(
        mali=mali,
        senegal=senegal,
        users=users,
        contact=ContactFactory(country=mali, organisation=mali.national_body),
        role_ml=users["coordinator_ml"].roles.get(),
        role_sn=users["coordinator_sn"].roles.get(),
        invitation_ml=InvitationFactory(country=mali, email="waiting.ml@example.org"),
        invitation_sn=InvitationFactory(country=senegal, email="waiting.sn@example.org"),
        invitation_new=InvitationFactory(
            country=mali, email="fatoumata@example.org", kind=Role.Kind.CONTRIBUTOR
        ),
    )


def snapshot(world):
    """Everything a POST of this matrix could change."""
    return {
        "invitations": list(
            Invitation.objects.order_by("pk").values_list(
                "pk", "email", "kind", "accepted_at", "revoked_at"
            )
        ),
        "organisations": Organisation.objects.count(),
        "contacts": Contact.objects.count(),
        "roles": Role.objects.count(),
        "users": list(
            User.objects.order_by("pk").values_list("pk", "email", "full_name", "phone", "language")
        ),
        "body": Organisation.objects.filter(pk=world.mali.national_body_id).values().get(),
    }


@pytest.mark.parametrize(("page", "method", "role", "expected"), CASES)
def test_permission_matrix(client, world, page, method, role, expected):
    user = world.users[role]
    if user is not None:
        client.force_login(user)
    url = URLS[page](world)
    before = snapshot(world)

    if method == "GET":
        response = client.get(url)
    else:
        response = client.post(url, POSTS[page])

    if expected == LOGIN:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login") + "?next=")
    elif expected in (DONE, MOVED):
        assert response.status_code == 302
        assert not response["Location"].startswith(reverse("account_login"))
    else:
        assert response.status_code == expected

    after = snapshot(world)
    if expected == DONE:
        assert after != before
    else:
        # Reading, refusing or sending to the sign-in page changes nothing.
        assert after == before


def test_matrix_covers_every_page_of_the_foundation():
    """A page added to these URL files without a row in the matrix fails here."""
    from relais.accounts import urls as account_urls
    from relais.countries import urls as country_urls

    names = {f"countries:{p.name}" for p in country_urls.urlpatterns}
    names |= {f"accounts:{p.name}" for p in account_urls.urlpatterns}
    names |= {"home", "invitation_accept", "history"}
    covered = {
        "countries:detail": "country",
        "countries:body_edit": "body_edit",
        "countries:members": "members",
        "countries:invitation_revoke": "revoke",
        "countries:organisation_create": "organisation_create",
        "countries:contact_create": "contact_create",
        "accounts:profile": "profile",
        "accounts:set_language": "set_language",
        "home": "home",
        "invitation_accept": "invitation_accept",
        "history": "history_body",
    }
    assert names == set(covered)
    pages = {page for page, _method in MATRIX}
    assert set(covered.values()) <= pages
