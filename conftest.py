"""Fixtures shared by every app's tests and the browser journeys in e2e/."""

import os

import pytest

from relais.accounts.tests.factories import UserFactory
from relais.countries.models import Organisation, Role
from relais.countries.tests.factories import CountryFactory, OrganisationFactory, RoleFactory

CHROMIUM = "/usr/bin/chromium"


@pytest.fixture
def mali(db):
    country = CountryFactory(code="ML", name="Mali", currency="XOF", languages=["fr", "bm"])
    country.national_body = OrganisationFactory(
        name="Comité national de lutte contre la traite des personnes",
        acronym="CNLTP",
        kind=Organisation.Kind.NATIONAL_BODY,
        country=country,
        letterhead="RÉPUBLIQUE DU MALI\nUn Peuple – Un But – Une Foi",
    )
    country.save()
    return country


@pytest.fixture
def senegal(db):
    country = CountryFactory(code="SN", name="Sénégal", currency="XOF")
    country.national_body = OrganisationFactory(
        name="Cellule nationale de lutte contre la traite des personnes",
        acronym="CNLTP",
        kind=Organisation.Kind.NATIONAL_BODY,
        country=country,
    )
    country.save()
    return country


@pytest.fixture
def make_user(db):
    """make_user("coordinator", mali) → a user holding that role; "regional", "admin",
    ("partner", organisation) and None (no role) too."""

    def make(kind=None, scope=None, **fields):
        if kind == "admin":
            return UserFactory(is_staff=True, is_superuser=True, **fields)
        user = UserFactory(**fields)
        if kind == "regional":
            RoleFactory(user=user, kind=Role.Kind.REGIONAL, country=None)
        elif kind == "partner":
            RoleFactory(user=user, kind=Role.Kind.PARTNER, country=None, organisation=scope)
        elif kind:
            RoleFactory(user=user, kind=kind, country=scope)
        return user

    return make


# Browser journeys: Debian's Chromium, never a downloaded browser.
@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--no-first-run",
            "--disable-sync",
            "--disable-quic",
        ],
    }


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)
    if os.environ.get("RELAIS_SKIP_E2E"):
        skip = pytest.mark.skip(reason="browser journeys run in the SQLite pass")
        for item in items:
            if "e2e" in item.keywords:
                item.add_marker(skip)
