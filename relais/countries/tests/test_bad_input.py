"""The foundation's bad input (issue 3), read in French, the default language: each is told
plainly, in French, where it went wrong (at the field, or by a 403/404 page), and nothing is
saved, no email leaves."""

import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from relais.countries.models import Invitation, Role
from relais.countries.tests.factories import InvitationFactory
from relais.countries.tests.test_invitations import counts, invite

pytestmark = pytest.mark.django_db


def french(msgid, **params):
    """The French of `msgid`, checked to be a translation rather than the English fallback."""
    with translation.override("fr"):
        text = gettext(msgid)
    assert text != msgid, f"{msgid!r} has no French translation"
    return text % params if params else text


def field_error(response, name):
    """The text of the error shown at the field `name` (the element its input points to)."""
    html = response.content.decode()
    input_tag = re.search(rf'<(?:input|select|textarea)[^>]*name="{name}"[^>]*>', html).group()
    assert 'aria-invalid="true"' in input_tag
    described = re.search(r'aria-describedby="([^"]*)"', input_tag).group(1).split()
    error_id = next(i for i in described if i.endswith("_error"))
    block = re.search(rf'<div id="{error_id}"[^>]*>(.*?)</div>', html, re.S)
    assert block, f"no element {error_id!r} for the field {name!r}"
    return re.sub(r"<[^>]+>", " ", block.group(1))


@pytest.fixture
def coordinator(client, make_user, mali):
    user = make_user("coordinator", mali, language="fr", full_name="Aminata Traoré")
    client.force_login(user)
    return user


@pytest.mark.parametrize("email", ["pas-une-adresse", "awa@", "awa @example.org"])
def test_an_invalid_email_is_refused_in_french_at_the_field(
    client, coordinator, email, django_capture_on_commit_callbacks
):
    before = counts()
    with django_capture_on_commit_callbacks(execute=True):
        response = invite(client, email=email)
    assert response.status_code == 200
    assert french("Enter a valid email address.") in field_error(response, "email")
    assert counts() == before
    assert mail.outbox == []


def test_an_empty_email_is_refused_in_french_at_the_field(client, coordinator):
    before = counts()
    response = invite(client, email="")
    assert french("This field is required.") in field_error(response, "email")
    assert counts() == before


def test_a_duplicate_invitation_is_refused_in_french_at_the_field(
    client, coordinator, mali, django_capture_on_commit_callbacks
):
    InvitationFactory(country=mali, email="awa@example.org")
    before = counts()
    with django_capture_on_commit_callbacks(execute=True):
        response = invite(client, email="Awa@Example.org")
    assert response.status_code == 200
    expected = french(
        "An invitation to %(email)s is already waiting for an answer.", email="awa@example.org"
    )
    assert expected in field_error(response, "email")
    assert counts() == before
    assert Invitation.objects.pending().count() == 1
    assert mail.outbox == []


@pytest.mark.parametrize("code", ["XX", "FR", "12", "mli"])
def test_an_unknown_country_code_answers_404_in_french_and_saves_nothing(client, coordinator, code):
    before = counts()
    for response in (
        client.get(reverse("countries:detail", args=[code])),
        client.get(reverse("plans:list", args=[code])),
        invite(client, code=code, email="awa@example.org"),
    ):
        assert response.status_code == 404
        assert french("This page does not exist, or it is not shared with you.") in (
            response.content.decode()
        )
    assert counts() == before
    assert mail.outbox == []


@pytest.mark.parametrize("kind", ["contributor", "observer"])
def test_a_contributor_posting_to_a_coordinator_form_is_refused_in_french(
    client, make_user, mali, kind, django_capture_on_commit_callbacks
):
    client.force_login(make_user(kind, mali, language="fr"))
    body = mali.national_body
    before = (counts(), body.name, Role.objects.count())
    refused = "Your role does not allow this. Ask your country's coordinator if you need it."
    with django_capture_on_commit_callbacks(execute=True):
        responses = [
            invite(client, email="awa@example.org", kind="coordinator"),
            client.post(
                reverse("countries:body_edit", args=["ML"]),
                {"name": "Un autre nom", "acronym": "X"},
            ),
            client.post(
                reverse("countries:organisation_create", args=["ML"]),
                {"name": "ONG nouvelle", "kind": "cso"},
            ),
        ]
    for response in responses:
        assert response.status_code == 403
        assert french(refused) in response.content.decode()
    body.refresh_from_db()
    assert (counts(), body.name, Role.objects.count()) == before
    assert mail.outbox == []


def _body_form(body, **files):
    fields = {"name": body.name, "acronym": body.acronym, "letterhead": body.letterhead}
    return {**fields, **files}


def _noise_png(side):
    """A real PNG that does not compress: random pixels."""
    import io
    import random

    from PIL import Image

    rng = random.Random(7)
    image = Image.frombytes(
        "RGB", (side, side), bytes(rng.getrandbits(8) for _ in range(side * side * 3))
    )
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


@pytest.mark.parametrize(
    "name, data, says",
    [
        # A text file named .png: Django's image check refuses it, in French.
        ("logo.png", b"RAPPORT DU COMITE\n" * 20, "image"),
        # A real PNG over the 1 MB a letterhead's logo may weigh: named, with its size.
        ("grand-logo.png", None, "grand-logo.png"),
    ],
    ids=["not-an-image", "too-large"],
)
def test_a_logo_that_is_not_an_image_or_too_large_is_refused(
    client, coordinator, mali, settings, tmp_path, name, data, says
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    data = data or _noise_png(700)
    assert name.endswith(".png") and (len(data) > 1024 * 1024 or data.startswith(b"RAPPORT"))
    body = mali.national_body
    before = (body.logo.name, body.history.count())
    response = client.post(
        reverse("countries:body_edit", args=["ML"]),
        _body_form(body, logo=SimpleUploadedFile(name, data, content_type="image/png")),
    )
    assert response.status_code == 200
    assert says in field_error(response, "logo")
    body.refresh_from_db()
    assert (body.logo.name, body.history.count()) == before
    assert not any(tmp_path.rglob("*.png"))
