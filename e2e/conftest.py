"""Fixtures for the browser journeys: the demo data behind a live server, and signing in.

Each journey runs against pytest-django's `live_server` on a database emptied after every
test (`transactional_db`), so the demo data is loaded again for each one.
"""

import os
from io import StringIO

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from relais.countries.demo import DEMO_PASSWORD

# Playwright's sync API keeps an event loop running in the test's thread, so Django takes the
# test's own database work (loading the demo, flushing) for async code and refuses it unless
# told it is safe. `python3 dev.py test` exports it too; this lets a bare `pytest e2e` run.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def base_url(live_server):
    # page.goto("/countries/ML/") then reaches the live server.
    return live_server.url


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    # The demo's people read French; a desktop size that the README's screenshots share.
    return {
        **browser_context_args,
        "locale": "fr-FR",
        "viewport": {"width": 1280, "height": 800},
    }


@pytest.fixture
def demo(transactional_db, live_server):
    """The demo's six countries, organisations and people (password: relais-demo)."""
    call_command("seed_demo", stdout=StringIO())


@pytest.fixture
def signed_in(demo):
    """signed_in(page, email): sign in through the real sign-in form, wait until done."""

    def sign_in(page, email, password=DEMO_PASSWORD):
        page.goto("/accounts/login/")
        form = page.locator("main form").filter(has=page.locator("input[name=login]"))
        form.locator("input[name=login]").fill(email)
        form.locator("input[name=password]").fill(password)
        form.locator("button[type=submit]").click()
        # The header's sign-out button shows only to a signed-in person.
        expect(page.locator(".bar .me button")).to_be_visible()
        return page

    return sign_in
