"""A coordinator invites a contributor; the invited person follows the emailed link and joins."""

import re

from django.core import mail
from playwright.sync_api import expect

NEWCOMER = "Fatoumata Sangaré"
NEWCOMER_EMAIL = "fatoumata.sangare@example.org"


def test_invited_person_joins_mali_from_the_emailed_link(page, signed_in, new_context):
    signed_in(page, "coordinator.ml@demo.relais.africa")
    page.goto("/countries/ML/")
    page.locator(".page-head .actions a[href$='/members/']").click()
    expect(page).to_have_url(re.compile(r"/countries/ML/members/$"))

    invite = page.locator("#invite form")
    invite.locator("[name=email]").fill(NEWCOMER_EMAIL)
    invite.locator("[name=full_name]").fill(NEWCOMER)
    invite.locator("[name=kind]").select_option("contributor")
    invite.locator("button[type=submit]").click()
    expect(page.locator(".msg-success")).to_contain_text(NEWCOMER_EMAIL)
    expect(page.locator("#invitations tbody")).to_contain_text(NEWCOMER_EMAIL)

    # Tests send task emails at once (immediate backend) into Django's test outbox.
    (email,) = mail.outbox
    assert email.to == [NEWCOMER_EMAIL]
    link = re.search(r"https?://\S+/invitations/\S+/", email.body).group()

    # Someone else, in another browser: no session, no cookies.
    newcomer = new_context().new_page()
    newcomer.goto(link)
    accept = newcomer.locator("main form")
    expect(accept.locator("[name=full_name]")).to_have_value(NEWCOMER)
    accept.locator("[name=password1]").fill("Traite-forcee-2019")
    accept.locator("[name=password2]").fill("Traite-forcee-2019")
    accept.locator("button[type=submit]").click()

    expect(newcomer).to_have_url(re.compile(r"/countries/ML/$"))
    expect(newcomer.locator("h1")).to_have_text("Mali")
    expect(newcomer.locator(".bar .me a")).to_have_text(NEWCOMER)
    expect(newcomer.locator(".msg-success")).to_be_visible()

    page.reload()
    expect(page.locator("#member-table")).to_contain_text(NEWCOMER)
