"""Signing in and out, passwords, languages, and the form kept across an ended session."""

import re

import pytest
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.core import mail
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from relais.accounts.middleware import REPLAY_KEY
from relais.accounts.models import User
from relais.accounts.tests.factories import PASSWORD, UserFactory
from relais.countries.models import Invitation

LOGIN_URL = "/accounts/login/"


@pytest.fixture(autouse=True)
def empty_cache():
    # The sign-in rate limits count failures in the cache: each test starts from none.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def person(db):
    return UserFactory(email="aminata@example.org", full_name="Aminata Traoré", language="en")


def sign_in(client, login, password, **extra):
    return client.post(
        LOGIN_URL, {"login": login, "password": password, **extra}, HTTP_ACCEPT_LANGUAGE="en"
    )


def signed_in_user_id(client):
    return client.session.get(SESSION_KEY)


def html_tag(response):
    return re.search(r"<html[^>]*>", response.content.decode()).group()


def test_login_url_is_the_allauth_sign_in_page(client, db):
    assert reverse("account_login") == LOGIN_URL
    response = client.get(LOGIN_URL)
    assert response.status_code == 200
    assert b'name="login"' in response.content and b'name="password"' in response.content


def test_sign_in_by_email_and_password(client, person):
    response = sign_in(client, "aminata@example.org", PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert signed_in_user_id(client) == str(person.pk)


def test_sign_in_ignores_the_case_of_the_address(client, person):
    response = sign_in(client, "Aminata@Example.ORG", PASSWORD)
    assert response.status_code == 302
    assert signed_in_user_id(client) == str(person.pk)


def test_wrong_password_is_refused_with_a_message(client, person):
    response = sign_in(client, "aminata@example.org", "not the password")
    assert response.status_code == 200
    assert signed_in_user_id(client) is None
    assert (
        "The email address and/or password you specified are not correct."
        in response.context["form"].non_field_errors()
    )
    assert "not correct" in response.content.decode()


def test_unknown_address_gets_the_same_message_as_a_wrong_password(client, person):
    response = sign_in(client, "nobody@example.org", PASSWORD)
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        "The email address and/or password you specified are not correct."
    ]


def test_inactive_person_cannot_sign_in(client, person):
    person.is_active = False
    person.save()
    sign_in(client, "aminata@example.org", PASSWORD)
    assert signed_in_user_id(client) is None


def test_sign_in_is_locked_after_five_failures_for_one_address(client, person):
    for _ in range(5):
        response = sign_in(client, "aminata@example.org", "guess")
        assert "not correct" in response.content.decode()

    # Even the right password is refused now.
    response = sign_in(client, "aminata@example.org", PASSWORD)

    assert response.status_code == 200
    assert signed_in_user_id(client) is None
    assert response.context["form"].non_field_errors() == [
        "Too many failed login attempts. Try again later."
    ]


def test_lock_of_one_address_leaves_the_others_open(client, person):
    other = UserFactory(email="moussa@example.org")
    for _ in range(5):
        sign_in(client, "aminata@example.org", "guess")
    sign_in(client, "moussa@example.org", PASSWORD)
    assert signed_in_user_id(client) == str(other.pk)


def test_four_failures_do_not_lock_the_address(client, person):
    for _ in range(4):
        sign_in(client, "aminata@example.org", "guess")
    sign_in(client, "aminata@example.org", PASSWORD)
    assert signed_in_user_id(client) == str(person.pk)


def test_password_reset_sends_an_email_with_a_link(client, person):
    response = client.post(
        reverse("account_reset_password"),
        {"email": "aminata@example.org"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 302
    (message,) = mail.outbox
    assert message.to == ["aminata@example.org"]
    link = re.search(r"http://testserver(/accounts/password/reset/key/\S+/)", message.body)
    assert link, message.body

    # The link leads to a form that sets a new password and signs the person in.
    page = client.get(link.group(1), follow=True)
    assert page.status_code == 200
    # allauth moves the key from the address into the session, then shows the form.
    (form_url, _status), *_ = page.redirect_chain
    new_password = "Une-autre-phrase-2019"
    response = client.post(form_url, {"password1": new_password, "password2": new_password})
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.check_password(new_password)


def test_sign_out_by_post(client, person):
    client.force_login(person)
    response = client.post(reverse("account_logout"))
    assert response.status_code == 302
    assert response["Location"] == LOGIN_URL
    assert signed_in_user_id(client) is None
    assert client.get(reverse("home")).status_code == 302


def test_sign_out_by_get_only_asks_for_confirmation(client, person):
    client.force_login(person)
    response = client.get(reverse("account_logout"))
    assert response.status_code == 200
    assert signed_in_user_id(client) == str(person.pk)


def test_no_public_sign_up(client, db):
    before = User.objects.count()
    client.post(
        reverse("account_signup"),
        {"email": "someone@example.org", "password1": PASSWORD, "password2": PASSWORD},
    )
    assert User.objects.count() == before


def test_profile_saves_the_language_and_the_interface_follows(client, person):
    client.force_login(person)
    assert html_tag(client.get(reverse("accounts:profile"))) == '<html lang="en" dir="ltr">'

    response = client.post(
        reverse("accounts:profile"),
        {"full_name": "Aminata Traoré", "phone": "+223 70 00 00 00", "language": "ar"},
    )

    assert response.status_code == 302
    person.refresh_from_db()
    assert person.language == "ar"
    assert person.phone == "+223 70 00 00 00"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "ar"
    assert html_tag(client.get(reverse("accounts:profile"))) == '<html lang="ar" dir="rtl">'
    assert html_tag(client.get(reverse("home"))) == '<html lang="ar" dir="rtl">'


def test_profile_language_wins_over_the_browser(client, person):
    person.language = "pt"
    person.save()
    client.force_login(person)
    response = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="ar")
    assert html_tag(response) == '<html lang="pt" dir="ltr">'


def test_profile_refuses_a_language_relais_does_not_speak(client, person):
    client.force_login(person)
    response = client.post(
        reverse("accounts:profile"), {"full_name": "Aminata Traoré", "language": "de"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["language"]
    person.refresh_from_db()
    assert person.language == "en"


def test_language_switch_saves_the_profile_of_a_signed_in_person(client, person):
    client.force_login(person)
    response = client.post(
        reverse("accounts:set_language"), {"language": "pt", "next": reverse("home")}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    person.refresh_from_db()
    assert person.language == "pt"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "pt"
    assert html_tag(client.get(reverse("home"))) == '<html lang="pt" dir="ltr">'


def test_language_switch_sets_the_cookie_for_a_signed_out_visitor(client, db):
    response = client.post(reverse("accounts:set_language"), {"language": "ar", "next": LOGIN_URL})
    assert response.status_code == 302
    assert response["Location"] == LOGIN_URL
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "ar"
    assert html_tag(client.get(LOGIN_URL)) == '<html lang="ar" dir="rtl">'


def test_language_switch_ignores_an_unknown_language(client, person):
    client.force_login(person)
    client.post(reverse("accounts:set_language"), {"language": "de", "next": "/"})
    person.refresh_from_db()
    assert person.language == "en"


def test_language_switch_does_not_redirect_to_another_site(client, db):
    response = client.post(
        reverse("accounts:set_language"), {"language": "en", "next": "https://evil.example/"}
    )
    assert response.status_code == 302
    assert "evil.example" not in response["Location"]


def csrf_token(response):
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', response.content.decode())[1]


def test_form_posted_after_the_session_ended_is_saved_once_signed_in(
    make_user, mali, django_capture_on_commit_callbacks
):
    # CSRF is checked here as in a browser: the replay must pass it without a token.
    client = Client(enforce_csrf_checks=True, headers={"accept-language": "en"})
    coordinator = make_user("coordinator", mali, language="en")
    members = reverse("countries:members", args=["ML"])
    client.force_login(coordinator)
    token = csrf_token(client.get(members))
    typed = {
        "csrfmiddlewaretoken": token,
        "email": "fatoumata@example.org",
        "full_name": "Fatoumata Sangaré",
        "kind": "observer",
        "language": "pt",
    }
    # The session ends while the form is being filled in.
    client.session.flush()
    client.cookies.pop(settings.SESSION_COOKIE_NAME)

    response = client.post(members, typed)

    assert response.status_code == 302
    assert response["Location"] == f"{LOGIN_URL}?next={members}"
    assert Invitation.objects.count() == 0
    assert client.session[REPLAY_KEY]["path"] == members
    assert "csrfmiddlewaretoken" not in dict(client.session[REPLAY_KEY]["data"])

    login_page = client.get(response["Location"])
    assert "what you sent will be saved" in login_page.content.decode()
    response = client.post(
        LOGIN_URL,
        {
            "csrfmiddlewaretoken": csrf_token(login_page),
            "login": coordinator.email,
            "password": PASSWORD,
            "next": members,
        },
    )
    assert response.status_code == 302
    assert response["Location"] == members

    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(members)

    # The replayed form did what the POST would have done: create, then redirect.
    assert response.status_code == 302
    assert response["Location"] == members
    invitation = Invitation.objects.get()
    assert (invitation.email, invitation.full_name, invitation.kind, invitation.language) == (
        "fatoumata@example.org",
        "Fatoumata Sangaré",
        "observer",
        "pt",
    )
    assert invitation.invited_by == coordinator
    assert len(mail.outbox) == 1
    assert REPLAY_KEY not in client.session

    # Only once: opening the page again shows it.
    assert client.get(members).status_code == 200
    assert Invitation.objects.count() == 1


def test_kept_form_is_not_replayed_on_another_page(client, make_user, mali):
    coordinator = make_user("coordinator", mali)
    members = reverse("countries:members", args=["ML"])
    client.post(members, {"email": "awa@example.org", "kind": "observer", "language": "fr"})
    sign_in(client, coordinator.email, PASSWORD)
    assert client.get(reverse("home")).status_code == 200
    assert Invitation.objects.count() == 0


def test_kept_form_is_checked_like_any_post(client, make_user, mali):
    """A replay is a POST by the person now signed in: a contributor is still refused."""
    contributor = make_user("contributor", mali)
    members = reverse("countries:members", args=["ML"])
    client.post(members, {"email": "awa@example.org", "kind": "observer", "language": "fr"})
    sign_in(client, contributor.email, PASSWORD, next=members)
    assert client.get(members).status_code == 403
    assert Invitation.objects.count() == 0


def test_htmx_post_after_the_session_ended_redirects_the_whole_window(client, db):
    members = reverse("countries:members", args=["ML"])
    response = client.post(members, {"email": "awa@example.org"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 204
    assert response["HX-Redirect"] == f"{LOGIN_URL}?next={members}"
