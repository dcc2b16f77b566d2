"""The demo command loads the six countries of the network, and a second run changes nothing."""

from collections import Counter
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command

from relais.countries.models import Country, Organisation, Role

pytestmark = pytest.mark.django_db

# As in the domain brief: the XOF of the UEMOA, and three floating currencies.
CURRENCIES = {"GM": "GMD", "GN": "GNF", "GW": "XOF", "ML": "XOF", "MR": "MRU", "SN": "XOF"}


def seed_demo():
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def counts():
    """Rows of every installed model, history tables included."""
    return {model._meta.label: model.objects.count() for model in apps.get_models()}


def test_seed_demo_twice_creates_nothing_the_second_time():
    seed_demo()
    first = counts()
    seed_demo()
    assert counts() == first
    assert first["countries.Country"] == 6


def test_six_countries_with_their_currencies():
    seed_demo()
    assert dict(Country.objects.values_list("code", "currency")) == CURRENCIES


def test_each_country_has_its_national_body_with_a_letterhead():
    seed_demo()
    for country in Country.objects.select_related("national_body"):
        body = country.national_body
        assert body is not None, country.code
        assert body.kind == Organisation.Kind.NATIONAL_BODY
        assert body.country_id == country.pk
        assert body.letterhead_lines
    assert Country.objects.get(code="GM").national_body.acronym == "NAATIP"


def test_each_country_has_one_coordinator_one_contributor_one_observer():
    seed_demo()
    roles = Counter(Role.objects.filter(country__isnull=False).values_list("country__code", "kind"))
    assert roles == Counter(
        {
            (code, kind): 1
            for code in CURRENCIES
            for kind in ["coordinator", "contributor", "observer"]
        }
    )


def test_demo_has_a_regional_coordinator_partners_and_an_administrator():
    seed_demo()
    assert Role.objects.filter(kind="regional").count() == 1
    partners = Role.objects.filter(kind="partner").select_related("organisation")
    assert {r.organisation.acronym for r in partners} == {"ICMPD", "UE"}
    User = apps.get_model("accounts", "User")
    assert User.objects.filter(is_superuser=True, email="admin@demo.relais.africa").exists()


def test_demo_prints_the_logins_and_their_password():
    output = seed_demo()
    assert "relais-demo" in output
    assert "coordinator.ml@demo.relais.africa" in output
    User = apps.get_model("accounts", "User")
    user = User.objects.get(email="coordinator.ml@demo.relais.africa")
    assert user.check_password("relais-demo")


def test_demo_people_read_their_countrys_language():
    seed_demo()
    User = apps.get_model("accounts", "User")
    languages = dict(
        User.objects.filter(email__startswith="coordinator.").values_list("email", "language")
    )
    assert languages["coordinator.gm@demo.relais.africa"] == "en"
    assert languages["coordinator.gw@demo.relais.africa"] == "pt"
    assert languages["coordinator.mr@demo.relais.africa"] == "ar"
    assert languages["coordinator.ml@demo.relais.africa"] == "fr"


def test_demo_leaves_what_an_administrator_edited():
    seed_demo()
    body = Organisation.objects.get(country__code="ML", kind="national_body")
    body.acronym = "ANLTP"
    body.save()
    seed_demo()
    body.refresh_from_db()
    assert body.acronym == "ANLTP"


def test_demo_keeps_a_national_body_an_administrator_renamed():
    seed_demo()
    mali = Country.objects.get(code="ML")
    body = mali.national_body
    body.name = "Agence nationale de lutte contre la traite des personnes"
    body.save()
    before = counts()

    seed_demo()

    mali.refresh_from_db()
    assert mali.national_body_id == body.pk
    assert mali.national_body.name == "Agence nationale de lutte contre la traite des personnes"
    assert counts() == before
