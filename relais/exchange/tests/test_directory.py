"""The network's directory: who may read it, what it shows of each country, the search that
ignores accents, case and Arabic letter forms, and the page's cost."""

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from relais.countries.models import Organisation
from relais.countries.tests.factories import ContactFactory, CountryFactory, OrganisationFactory
from relais.funding.models import Contribution
from relais.plans.tests.factories import plan_with_content

pytestmark = pytest.mark.django_db

URL = reverse("exchange:directory")


def french(msgid):
    with translation.override("fr"):
        return gettext(msgid)


@pytest.fixture
def directory(mali, senegal):
    """Mali: a focal point, another contact and a funder of its plan; Senegal: one contact; a
    partner with a contribution to Senegal's plan, and one whose contribution was withdrawn."""
    mali.national_body.address = "Hamdallaye ACI 2000, Bamako"
    mali.national_body.phone = "+223 20 22 33 44"
    mali.national_body.email = "cnltp@example.ml"
    mali.national_body.website = "https://cnltp.example.ml"
    mali.national_body.save()
    unicef = OrganisationFactory(
        name="Fonds des Nations unies pour l'enfance",
        acronym="UNICEF",
        kind=Organisation.Kind.UN,
        country=None,
    )
    plan_with_content(mali, funder=unicef)
    ContactFactory(
        country=mali,
        full_name="Zeinab Traoré",
        function="Chargée de suivi",
        is_focal_point=False,
        email="zeinab@example.ml",
        phone="+223 70 11 22 33",
    )
    ContactFactory(
        country=mali,
        full_name="Aminata Keïta",
        function="Point focal national",
        is_focal_point=True,
        organisation=mali.national_body,
    )
    ContactFactory(country=senegal, full_name="Ousmane Diop", function="Magistrat")
    giz = OrganisationFactory(
        name="Coopération allemande", acronym="GIZ", kind=Organisation.Kind.PARTNER, country=None
    )
    gone = OrganisationFactory(name="Fondation partie", kind=Organisation.Kind.INGO, country=None)
    senegal_plan = plan_with_content(senegal)
    Contribution.objects.create(
        plan=senegal_plan, partner=giz, currency="XOF", kind=Contribution.Kind.TECHNICAL
    )
    Contribution.objects.create(
        plan=senegal_plan, partner=gone, currency="XOF", status=Contribution.Status.WITHDRAWN
    )
    return {"unicef": unicef, "giz": giz, "gone": gone}


def section(html, code):
    start = html.index(f'id="country-{code}"')
    end = html.find("<section", start)
    return html[start : end if end != -1 else None]


@pytest.mark.parametrize("kind", ["coordinator", "contributor", "observer", "regional"])
def test_members_of_the_network_read_the_directory(
    client, make_user, mali, senegal, directory, kind
):
    client.force_login(make_user(kind, None if kind == "regional" else senegal))
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    mali_part = section(html, "ML")
    assert "Comité national de lutte contre la traite des personnes" in mali_part
    for text in (
        "Hamdallaye ACI 2000, Bamako",
        'href="mailto:cnltp@example.ml"',
        'href="tel:+22320223344"',
        'href="https://cnltp.example.ml"',
    ):
        assert text in mali_part
    # the focal point first, then the other contacts, with mailto and tel links
    assert mali_part.index("Aminata Keïta") < mali_part.index("Zeinab Traoré")
    assert "Chargée de suivi" in mali_part and "Point focal national" in mali_part
    assert 'href="mailto:zeinab@example.ml"' in mali_part
    assert 'href="tel:+22370112233"' in mali_part
    assert "UNICEF" in mali_part and "GIZ" not in mali_part
    senegal_part = section(html, "SN")
    assert "Ousmane Diop" in senegal_part and "Magistrat" in senegal_part
    assert "GIZ" in senegal_part and "UNICEF" not in senegal_part
    assert "Fondation partie" not in html  # its only contribution was withdrawn
    assert URL in html  # the nav links to it


@pytest.mark.parametrize("kind", ["partner", None])
def test_others_are_told_it_does_not_exist(client, make_user, directory, kind):
    user = make_user(kind, directory["giz"] if kind else None)
    client.force_login(user)
    assert client.get(URL).status_code == 404
    assert f'href="{URL}"' not in client.get(reverse("home")).content.decode()


def test_anonymous_people_are_sent_to_sign_in(client, directory):
    assert client.get(URL).status_code == 302


def test_only_get(client, make_user, mali, directory):
    client.force_login(make_user("coordinator", mali))
    assert client.post(URL).status_code == 405


def search(client, q):
    response = client.get(URL, {"q": q})
    assert response.status_code == 200
    return response.content.decode()


def test_search_ignores_accents_and_case(client, make_user, mali, directory):
    client.force_login(make_user("observer", mali))
    html = search(client, "KEITA")
    assert "Aminata Keïta" in html
    assert "Zeinab Traoré" not in html and "Ousmane Diop" not in html
    assert 'id="country-SN"' not in html
    assert 'value="KEITA"' in html


def test_search_by_function_and_organisation(client, make_user, mali, directory):
    client.force_login(make_user("observer", mali))
    html = search(client, "magistrat")
    assert "Ousmane Diop" in html and "Keïta" not in html
    html = search(client, "unicef")
    assert "UNICEF" in html and "Ousmane Diop" not in html and "Keïta" not in html
    html = search(client, "cnltp")  # the national bodies and the focal point working there
    assert "Aminata Keïta" in html and "Zeinab" not in html
    assert 'id="country-SN"' in html and "Ousmane Diop" not in html


def test_search_unifies_arabic_letter_forms(client, make_user, mali, directory):
    mauritania = CountryFactory(code="MR", name="Mauritanie")
    ContactFactory(country=mauritania, full_name="أحمد ولد محمد", function="منسق")
    client.force_login(make_user("regional"))
    html = search(client, "احمد")  # a bare alef for the hamza one
    assert "أحمد ولد محمد" in html
    assert "Keïta" not in html


def test_a_search_that_finds_nothing_says_so(client, make_user, mali, directory):
    client.force_login(make_user("coordinator", mali))
    html = search(client, "personne introuvable")
    assert french("Nobody and no organisation matches this search.") in html


def test_queries_do_not_grow_with_contacts(
    client, make_user, directory, django_assert_max_num_queries
):
    countries = [CountryFactory(code=code) for code in ("ML", "SN", "GN", "GM", "GW", "MR")]
    client.force_login(make_user("regional"))

    def add_contacts(count):
        for country in countries:
            for _ in range(count):
                organisation = OrganisationFactory(country=country)
                ContactFactory(
                    country=country, organisation=organisation, is_focal_point=_ % 3 == 0
                )
            plan_with_content(country, funder=OrganisationFactory(country=None))

    add_contacts(2)
    with django_assert_max_num_queries(12) as few:
        client.get(URL)
    add_contacts(8)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(URL, {"q": "a"})
    assert response.status_code == 200
