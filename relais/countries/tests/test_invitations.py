"""A coordinator invites a person; the person follows the emailed link and joins."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth import SESSION_KEY
from django.core import mail
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext

from relais.accounts.models import User
from relais.accounts.tests.factories import UserFactory
from relais.countries.models import Contact, Invitation, Organisation, Role
from relais.countries.tests.factories import InvitationFactory

NEW_PASSWORD = "Traite-forcee-2019"


@pytest.fixture
def coordinator(make_user, mali):
    # Reads Relais in English, so that the messages below are the msgids.
    return make_user("coordinator", mali, language="en", full_name="Aminata Traoré")


@pytest.fixture
def signed_in(client, coordinator):
    client.force_login(coordinator)
    return client


def invite(client, *, code="ML", **fields):
    data = {"email": "", "full_name": "", "kind": "contributor", "language": "fr", **fields}
    return client.post(reverse("countries:members", args=[code]), data)


def counts():
    return {
        "invitations": Invitation.objects.count(),
        "pending": Invitation.objects.pending().count(),
        "roles": Role.objects.count(),
        "users": User.objects.count(),
        "organisations": Organisation.objects.count(),
        "contacts": Contact.objects.count(),
    }


def accept_link(message):
    return re.search(r"http://testserver(/invitations/[^/\s]+/)", message.body).group(1)


def test_coordinator_invites_and_the_email_leaves_in_the_invitees_language(
    signed_in, senegal, django_capture_on_commit_callbacks
):
    # The coordinator reads English; the person invited reads Portuguese.
    with django_capture_on_commit_callbacks(execute=True):
        response = invite(
            signed_in, email="Domingos.Mendes@Example.org", full_name="Domingos", language="pt"
        )

    assert response.status_code == 302
    assert response["Location"] == reverse("countries:members", args=["ML"])
    invitation = Invitation.objects.get()
    assert invitation.email == "domingos.mendes@example.org"
    assert invitation.kind == Role.Kind.CONTRIBUTOR
    assert invitation.invited_by.full_name == "Aminata Traoré"
    assert invitation.is_pending

    (message,) = mail.outbox
    assert message.to == ["domingos.mendes@example.org"]
    assert accept_link(message) == reverse("invitation_accept", args=[invitation.token])
    with translation.override("pt"):
        assert gettext("To accept, open this link:") in message.body
        # The expiry date is written the Portuguese way, month name included.
        assert date_format(invitation.expires_at, "DATE_FORMAT") in message.body
    with translation.override("en"):
        assert date_format(invitation.expires_at, "DATE_FORMAT") not in message.body
    assert "Aminata Traoré" in message.body

    page = signed_in.get(response["Location"])
    assert "An invitation has been sent to domingos.mendes@example.org." in page.content.decode()
    assert "domingos.mendes@example.org" in page.content.decode()


def test_country_name_in_the_email_is_in_the_invitees_language(
    client, make_user, senegal, django_capture_on_commit_callbacks
):
    client.force_login(make_user("coordinator", senegal, language="fr"))
    with django_capture_on_commit_callbacks(execute=True):
        invite(client, code="SN", email="mariem@example.org", language="ar")
    (message,) = mail.outbox
    assert "السنغال" in message.subject
    assert "Sénégal" not in message.subject


def test_duplicate_open_invitation_is_refused_at_the_email_field(
    signed_in, mali, django_capture_on_commit_callbacks
):
    InvitationFactory(country=mali, email="awa@example.org")
    before = counts()

    with django_capture_on_commit_callbacks(execute=True):
        # Same address, other case: still the same person.
        response = invite(signed_in, email="AWA@example.org")

    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["email"] == [
        "An invitation to awa@example.org is already waiting for an answer."
    ]
    assert not form.non_field_errors()
    html = response.content.decode()
    # The message shows beside the address, in the field's own block.
    field = re.search(r'<div class="field invalid">\s*<label for="id_email">.*?</div>', html, re.S)
    assert "already waiting for an answer." in field.group()
    assert counts() == before
    assert mail.outbox == []


def test_an_email_that_is_already_a_member_is_refused(signed_in, make_user, mali):
    make_user("observer", mali, email="oumar@example.org")
    before = counts()
    response = invite(signed_in, email="Oumar@example.org", kind="coordinator")
    assert response.status_code == 200
    assert response.context["form"].errors["email"] == [
        "oumar@example.org is already a member of this country."
    ]
    assert counts() == before


def test_a_member_of_another_country_can_be_invited(signed_in, make_user, senegal):
    make_user("coordinator", senegal, email="awa.ndiaye@example.org")
    response = invite(signed_in, email="awa.ndiaye@example.org", kind="observer")
    assert response.status_code == 302
    assert Invitation.objects.get().email == "awa.ndiaye@example.org"


@pytest.mark.parametrize("email", ["not-an-email", "awa@", ""])
def test_invalid_email_is_refused(signed_in, email):
    before = counts()
    response = invite(signed_in, email=email)
    assert response.status_code == 200
    assert response.context["form"].errors["email"]
    assert counts() == before


def test_only_country_roles_can_be_given(signed_in):
    before = counts()
    response = invite(signed_in, email="lamine@example.org", kind="regional")
    assert response.status_code == 200
    assert response.context["form"].errors["kind"]
    assert counts() == before


def test_expired_invitation_can_be_sent_again(signed_in, mali, django_capture_on_commit_callbacks):
    old = InvitationFactory(
        country=mali, email="awa@example.org", expires_at=timezone.now() - timedelta(days=1)
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = invite(signed_in, email="awa@example.org")

    assert response.status_code == 302
    old.refresh_from_db()
    assert old.revoked_at is not None
    new = Invitation.objects.pending().get()
    assert new.pk != old.pk and new.email == "awa@example.org"
    (message,) = mail.outbox
    assert accept_link(message) == reverse("invitation_accept", args=[new.token])
    # The old link no longer works.
    assert signed_in.get(old.get_absolute_url()).status_code == 410


def test_new_person_accepts_sets_name_and_password_and_gets_the_role(
    client, signed_in, mali, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invite(signed_in, email="fatoumata@example.org", full_name="Fatoumata", language="en")
    signed_in.logout()
    link = accept_link(mail.outbox[0])

    page = client.get(link)
    assert page.status_code == 200
    assert page.context["form"]["full_name"].value() == "Fatoumata"

    response = client.post(
        link,
        {"full_name": "Fatoumata Sangaré", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("countries:detail", args=["ML"])
    user = User.objects.get(email="fatoumata@example.org")
    assert user.full_name == "Fatoumata Sangaré"
    assert user.language == "en"
    assert user.check_password(NEW_PASSWORD)
    assert client.session[SESSION_KEY] == str(user.pk)
    assert list(user.roles.values_list("kind", "country__code")) == [("contributor", "ML")]
    invitation = Invitation.objects.get()
    assert invitation.accepted_by == user and invitation.accepted_at is not None
    # The link was used: it no longer works.
    assert client.get(link).status_code == 410


def test_new_person_must_choose_matching_passwords(client, mali):
    invitation = InvitationFactory(country=mali, email="fatoumata@example.org")
    before = counts()
    response = client.post(
        invitation.get_absolute_url(),
        {"full_name": "Fatoumata", "password1": NEW_PASSWORD, "password2": "something else"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["password2"]
    assert counts() == before


def test_existing_user_accepts_while_signed_in(client, make_user, mali, senegal):
    user = make_user("coordinator", senegal, email="awa@example.org")
    invitation = InvitationFactory(country=mali, email="awa@example.org", kind="observer")
    client.force_login(user)

    page = client.get(invitation.get_absolute_url())
    assert page.status_code == 200
    assert page.context["form"] is None

    response = client.post(invitation.get_absolute_url())
    assert response.status_code == 302
    assert response["Location"] == reverse("countries:detail", args=["ML"])
    assert set(user.roles.values_list("kind", "country__code")) == {
        ("coordinator", "SN"),
        ("observer", "ML"),
    }
    invitation.refresh_from_db()
    assert invitation.accepted_by == user
    # The role counts at once: Mali's members page opens.
    assert client.get(reverse("countries:members", args=["ML"])).status_code == 200


def test_existing_user_must_sign_in_to_accept(client, mali):
    UserFactory(email="awa@example.org")
    invitation = InvitationFactory(country=mali, email="awa@example.org")
    before = counts()
    response = client.post(
        invitation.get_absolute_url(),
        {"full_name": "Awa", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200
    assert "An account already uses this address: sign in to accept." in response.content.decode()
    assert counts() == before
    assert SESSION_KEY not in client.session


def test_signed_in_as_someone_else_is_refused(client, make_user, mali):
    other = make_user("observer", mali, email="oumar@example.org", language="en")
    invitation = InvitationFactory(country=mali, email="awa@example.org")
    client.force_login(other)
    before = counts()

    response = client.post(invitation.get_absolute_url())

    assert response.status_code == 200
    assert (
        "This invitation was sent to awa@example.org; sign in with that address to accept it."
        in response.content.decode()
    )
    assert counts() == before
    invitation.refresh_from_db()
    assert invitation.is_pending
    assert list(other.roles.values_list("kind", flat=True)) == ["observer"]


@pytest.mark.parametrize(
    "state",
    [
        {"revoked_at": timezone.now()},
        {"accepted_at": timezone.now()},
        {"expires_at": timezone.now() - timedelta(minutes=1)},
    ],
    ids=["withdrawn", "accepted", "expired"],
)
def test_closed_invitation_answers_410(client, mali, state):
    invitation = InvitationFactory(country=mali, email="awa@example.org", **state)
    before = counts()
    assert client.get(invitation.get_absolute_url()).status_code == 410
    response = client.post(
        invitation.get_absolute_url(),
        {"full_name": "Awa", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert response.status_code == 410
    assert counts() == before


def test_unknown_invitation_token_answers_404(client, db):
    assert client.get(reverse("invitation_accept", args=["no-such-token"])).status_code == 404


def test_coordinator_withdraws_an_invitation_and_its_link_closes(signed_in, mali):
    invitation = InvitationFactory(country=mali, email="awa@example.org")
    response = signed_in.post(reverse("countries:invitation_revoke", args=["ML", invitation.pk]))
    assert response.status_code == 302
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None
    assert signed_in.get(invitation.get_absolute_url()).status_code == 410
    # Once withdrawn, the address can be invited again.
    assert invite(signed_in, email="awa@example.org").status_code == 302


def test_contributor_cannot_invite(client, make_user, mali, django_capture_on_commit_callbacks):
    client.force_login(make_user("contributor", mali))
    before = counts()
    with django_capture_on_commit_callbacks(execute=True):
        response = invite(client, email="awa@example.org")
    assert response.status_code == 403
    assert counts() == before
    assert mail.outbox == []


def test_contributor_sees_members_without_the_invite_form(client, make_user, mali):
    client.force_login(make_user("contributor", mali))
    response = client.get(reverse("countries:members", args=["ML"]))
    assert response.status_code == 200
    assert b'id="member-table"' in response.content
    assert b'id="invite"' not in response.content


@pytest.mark.parametrize("code", ["XX", "FR", "12"])
def test_unknown_country_code_answers_404(signed_in, code):
    assert signed_in.get(reverse("countries:members", args=[code])).status_code == 404
    assert invite(signed_in, code=code, email="awa@example.org").status_code == 404
    assert signed_in.get(reverse("countries:detail", args=[code])).status_code == 404


def test_country_code_is_read_in_any_case(signed_in):
    assert signed_in.get(reverse("countries:members", args=["ml"])).status_code == 200


def test_invitee_signs_in_with_the_password_chosen(client, mali):
    invitation = InvitationFactory(country=mali, email="fatoumata@example.org")
    client.post(
        invitation.get_absolute_url(),
        {"full_name": "Fatoumata", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    client.logout()
    response = client.post(
        reverse("account_login"), {"login": "fatoumata@example.org", "password": NEW_PASSWORD}
    )
    assert response.status_code == 302
    assert SESSION_KEY in client.session
