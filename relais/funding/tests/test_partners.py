"""The partner directory: who may read it, what it lists and finds, and each organisation's
history of contributions across plans and countries."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from relais.core.money import format_money
from relais.countries.models import Organisation
from relais.countries.tests.factories import ContactFactory, CountryFactory, OrganisationFactory
from relais.funding.models import Contribution, Disbursement
from relais.plans.models import Plan
from relais.plans.tests.factories import PlanFactory

pytestmark = pytest.mark.django_db

PARTNERS = reverse("funding:partners")


def partner_url(organisation):
    return reverse("funding:partner", args=[organisation.pk])


def contribute(plan, partner, amount="1000000", currency="XOF", **fields):
    return Contribution.objects.create(
        plan=plan, partner=partner, amount=Decimal(amount), currency=currency, **fields
    )


@pytest.fixture
def icmpd(db):
    return OrganisationFactory(
        name="International Centre for Migration Policy Development",
        acronym="ICMPD",
        kind=Organisation.Kind.PARTNER,
        country=None,
        interests="Migration\nLabour trafficking",
    )


@pytest.fixture
def oim(db):
    return OrganisationFactory(
        name="Organisation internationale pour les migrations",
        acronym="OIM",
        kind=Organisation.Kind.UN,
        country=None,
    )


@pytest.fixture
def unicef(db):
    return OrganisationFactory(
        name="Fonds des Nations unies pour l'enfance",
        acronym="UNICEF",
        kind=Organisation.Kind.UN,
        country=None,
    )


def listed(response):
    return [
        organisation.acronym or organisation.name
        for organisation in response.context["organisations"]
    ]


# The directory --------------------------------------------------------------------------------


def test_the_directory_lists_partners_and_contributors_not_other_organisations(
    client, make_user, mali, senegal, icmpd, oim
):
    enda = OrganisationFactory(name="Énergie et développement", acronym="ENDA", country=senegal)
    ministry = OrganisationFactory(
        name="Ministère de la Justice", kind=Organisation.Kind.MINISTRY, country=mali
    )
    ecowas = OrganisationFactory(
        name="Communauté économique des États de l'Afrique de l'Ouest",
        acronym="CEDEAO",
        kind=Organisation.Kind.REGIONAL,
        country=None,
    )
    contribute(PlanFactory(country=mali), enda)
    contribute(PlanFactory(country=mali), icmpd)
    contribute(PlanFactory(country=senegal), icmpd)
    client.force_login(make_user("coordinator", mali, language="en"))

    response = client.get(PARTNERS)

    assert response.status_code == 200
    assert sorted(listed(response)) == ["CEDEAO", "ENDA", "ICMPD", "OIM"]
    assert ministry.name not in response.content.decode()
    rows = {o.acronym: o for o in response.context["organisations"]}
    assert rows["ICMPD"].plan_count == 2
    assert [c.code for c in rows["ICMPD"].country_list] == ["ML", "SN"]
    assert rows["OIM"].plan_count == 0 and rows["OIM"].country_list == []
    html = response.content.decode()
    assert "regional / international" in html
    assert f'href="{partner_url(ecowas)}"' in html
    assert "Regional body" in html and "United Nations agency" in html


def test_the_directory_finds_by_name_or_acronym_ignoring_accents_and_case(
    client, make_user, mali, icmpd, oim, unicef
):
    client.force_login(make_user("regional"))

    assert listed(client.get(PARTNERS, {"q": "icmpd"})) == ["ICMPD"]
    assert listed(client.get(PARTNERS, {"q": "ENFANCE"})) == ["UNICEF"]
    assert listed(client.get(PARTNERS, {"q": "nations enfance"})) == ["UNICEF"]
    assert sorted(listed(client.get(PARTNERS, {"q": "migration"}))) == ["ICMPD", "OIM"]
    regional = OrganisationFactory(
        name="Réseau ouest-africain", acronym="", kind=Organisation.Kind.INGO, country=None
    )
    assert listed(client.get(PARTNERS, {"q": "reseau OUEST"})) == [regional.name]
    response = client.get(PARTNERS, {"q": "nothing like it"})
    assert listed(response) == []
    assert 'id="partner-table"' in response.content.decode()


def test_the_directory_narrows_to_a_country_its_organisations_and_its_plans_contributors(
    client, make_user, mali, senegal, icmpd, oim, unicef
):
    OrganisationFactory(
        name="Fondation malienne", acronym="FM", kind=Organisation.Kind.PARTNER, country=mali
    )
    contribute(PlanFactory(country=mali), icmpd)
    contribute(PlanFactory(country=senegal), oim)
    client.force_login(make_user("regional"))

    assert sorted(listed(client.get(PARTNERS, {"country": "ML"}))) == ["FM", "ICMPD"]
    assert sorted(listed(client.get(PARTNERS, {"country": "sn"}))) == ["OIM"]
    assert listed(client.get(PARTNERS, {"country": "ML", "q": "fondation"})) == ["FM"]


@pytest.mark.parametrize("kind", ["coordinator", "contributor", "observer", "regional", "admin"])
def test_members_of_the_network_read_the_directory_and_every_page(
    client, make_user, mali, icmpd, oim, kind
):
    user = make_user(kind, mali if kind in {"coordinator", "contributor", "observer"} else None)
    client.force_login(user)
    assert client.get(PARTNERS).status_code == 200
    assert client.get(partner_url(icmpd)).status_code == 200
    assert client.get(partner_url(oim)).status_code == 200


def test_a_partner_representative_reads_only_their_own_organisations_page(
    client, make_user, mali, icmpd, oim
):
    client.force_login(make_user("partner", icmpd))

    assert client.get(PARTNERS).status_code == 404
    assert client.get(partner_url(oim)).status_code == 404
    response = client.get(partner_url(icmpd))
    assert response.status_code == 200
    assert f'href="{PARTNERS}"' not in response.content.decode()  # no way back to the directory


def test_a_person_without_a_role_reads_neither_and_a_visitor_is_sent_to_sign_in(
    client, make_user, icmpd
):
    assert client.get(PARTNERS).status_code == 302
    client.force_login(make_user(None))
    assert client.get(PARTNERS).status_code == 404
    assert client.get(partner_url(icmpd)).status_code == 404
    assert client.get(reverse("funding:partner", args=[icmpd.pk + 999])).status_code == 404


# An organisation's page -----------------------------------------------------------------------


def test_the_page_shows_facts_interests_and_contacts_to_members(client, make_user, mali, icmpd):
    ContactFactory(
        organisation=icmpd,
        country=mali,
        full_name="Aïssata Traoré",
        function="Chargée de programme",
        email="a.traore@icmpd.example",
        phone="+223 76 00 00 00",
    )
    client.force_login(make_user("observer", mali, language="fr"))

    response = client.get(partner_url(icmpd))

    html = response.content.decode()
    assert "ICMPD" in html and "Labour trafficking" in html
    assert "Aïssata Traoré" in html and "Chargée de programme" in html
    assert "a.traore@icmpd.example" in html and "+223 76 00 00 00" in html


def test_a_partner_representative_sees_their_own_contacts(client, make_user, mali, icmpd):
    ContactFactory(organisation=icmpd, country=mali, full_name="Jean Dupont")
    client.force_login(make_user("partner", icmpd))
    assert "Jean Dupont" in client.get(partner_url(icmpd)).content.decode()


@pytest.fixture
def history(mali, senegal, icmpd):
    """ICMPD contributes to a Malian plan (in XOF and EUR) and to a Senegalese one."""
    mali_plan = PlanFactory(country=mali, title="Plan du Mali", status=Plan.Status.ADOPTED)
    senegal_plan = PlanFactory(country=senegal, title="Plan du Sénégal")
    first = contribute(
        mali_plan,
        icmpd,
        "2000000",
        announced_on=date(2018, 3, 1),
        status=Contribution.Status.CONFIRMED,
        confirmed_amount=Decimal("1500000"),
    )
    Disbursement.objects.create(contribution=first, paid_on=date(2018, 5, 1), amount=1000000)
    Disbursement.objects.create(contribution=first, paid_on=date(2018, 9, 1), amount=250000)
    contribute(mali_plan, icmpd, "12000.50", currency="EUR", announced_on=date(2018, 6, 1))
    contribute(
        mali_plan,
        icmpd,
        "900000",
        announced_on=date(2018, 7, 1),
        status=Contribution.Status.WITHDRAWN,
    )
    contribute(senegal_plan, icmpd, "3000000", announced_on=date(2019, 1, 15))
    # Another partner's contribution never shows on ICMPD's page.
    contribute(mali_plan, OrganisationFactory(kind=Organisation.Kind.PARTNER), "777")
    return mali_plan, senegal_plan


def test_the_regional_coordinator_sees_the_history_across_countries_newest_first(
    client, make_user, icmpd, history
):
    mali_plan, senegal_plan = history
    client.force_login(make_user("regional", language="fr"))

    response = client.get(partner_url(icmpd))

    contributions = response.context["contributions"]
    assert [(c.plan.country.code, c.announced_on) for c in contributions] == [
        ("SN", date(2019, 1, 15)),
        ("ML", date(2018, 7, 1)),
        ("ML", date(2018, 6, 1)),
        ("ML", date(2018, 3, 1)),
    ]
    assert contributions[-1].disbursed == Decimal("1250000")
    assert contributions[0].disbursed == 0
    html = response.content.decode()
    assert f'href="{mali_plan.get_absolute_url()}"' in html
    assert f'href="{senegal_plan.get_absolute_url()}"' in html
    table = html[html.index('id="contribution-table"') : html.index('id="totals"')]
    assert format_money(Decimal("1250000"), "XOF", "fr") in table  # disbursed so far
    assert format_money(Decimal("1500000"), "XOF", "fr") in table  # confirmed
    assert format_money(Decimal("12000.50"), "EUR", "fr") in table
    assert "777" not in html


def test_a_country_coordinator_sees_only_the_contributions_to_plans_they_may_read(
    client, make_user, mali, icmpd, history
):
    mali_plan, senegal_plan = history
    client.force_login(make_user("coordinator", mali))

    response = client.get(partner_url(icmpd))

    assert {c.plan_id for c in response.context["contributions"]} == {mali_plan.pk}
    assert len(response.context["contributions"]) == 3
    assert senegal_plan.title not in response.content.decode()


def test_a_partner_representative_sees_all_of_their_own_contributions(
    client, make_user, icmpd, history
):
    client.force_login(make_user("partner", icmpd))
    response = client.get(partner_url(icmpd))
    assert {c.plan.country.code for c in response.context["contributions"]} == {"ML", "SN"}
    assert len(response.context["contributions"]) == 4


def test_totals_are_per_currency_and_leave_withdrawn_contributions_out(
    client, make_user, icmpd, history
):
    client.force_login(make_user("regional"))

    totals = client.get(partner_url(icmpd)).context["totals"]

    assert [t.currency for t in totals] == ["EUR", "XOF"]
    eur, xof = totals
    assert (eur.announced, eur.confirmed, eur.disbursed) == (Decimal("12000.50"), 0, 0)
    # 2 000 000 + 3 000 000 announced (the withdrawn 900 000 not), 1 500 000 confirmed.
    assert (xof.announced, xof.confirmed, xof.disbursed) == (
        Decimal("5000000"),
        Decimal("1500000"),
        Decimal("1250000"),
    )


def test_totals_are_written_each_in_its_currency(client, make_user, icmpd, history):
    client.force_login(make_user("regional", language="fr"))
    html = client.get(partner_url(icmpd)).content.decode()
    totals = html[html.index('id="totals"') :]
    assert format_money(Decimal("12000.50"), "EUR", "fr") in totals
    assert format_money(Decimal("5000000"), "XOF", "fr") in totals
    # Never one figure adding euros to francs.
    assert format_money(Decimal("5012000.50"), "XOF", "fr") not in html
    assert format_money(Decimal("5012000.50"), "EUR", "fr") not in html


# Queries ---------------------------------------------------------------------------------------


def _contributions(n, partner, countries):
    for i in range(n):
        plan = PlanFactory(country=countries[i % len(countries)])
        contribution = contribute(plan, partner, "1000", currency="EUR" if i % 2 else "XOF")
        Disbursement.objects.create(contribution=contribution, paid_on=date(2019, 1, 1), amount=10)


@pytest.mark.parametrize("kind", ["regional", "coordinator", "partner"])
def test_the_page_reads_a_fixed_number_of_times(
    client, make_user, mali, senegal, icmpd, kind, django_assert_max_num_queries
):
    scope = {"regional": None, "coordinator": mali, "partner": icmpd}[kind]
    client.force_login(make_user(kind, scope))
    ContactFactory.create_batch(3, organisation=icmpd, country=mali)
    _contributions(2, icmpd, [mali, senegal])
    # session, user, roles, organisation, contributions (disbursed summed in), contacts
    with django_assert_max_num_queries(6):
        small = client.get(partner_url(icmpd))
    _contributions(20, icmpd, [mali, senegal])
    with django_assert_max_num_queries(6):
        large = client.get(partner_url(icmpd))
    assert len(large.context["contributions"]) > len(small.context["contributions"])


def test_the_directory_reads_a_fixed_number_of_times(
    client, make_user, mali, senegal, django_assert_max_num_queries
):
    client.force_login(make_user("regional"))
    partners = OrganisationFactory.create_batch(2, kind=Organisation.Kind.PARTNER, country=None)
    for partner in partners:
        _contributions(2, partner, [mali, senegal])
    # session, user, roles, organisations with counts, countries, their contributions' countries,
    # the countries to choose from
    with django_assert_max_num_queries(7):
        client.get(PARTNERS)
    more = OrganisationFactory.create_batch(10, kind=Organisation.Kind.UN, country=None)
    for partner in more:
        _contributions(3, partner, [mali, senegal, CountryFactory(code="GN")])
    with django_assert_max_num_queries(7):
        response = client.get(PARTNERS, {"q": "organisation"})
    assert len(response.context["organisations"]) == 12


# Areas of interest -----------------------------------------------------------------------------


def test_a_coordinator_records_an_organisations_areas_of_interest(client, make_user, mali):
    client.force_login(make_user("coordinator", mali))
    response = client.post(
        reverse("countries:organisation_create", args=["ML"]),
        {
            "name": "Fondation pour l'enfance",
            "kind": Organisation.Kind.PARTNER,
            "interests": "Protection de l'enfance\nMigration de travail",
        },
    )
    assert response.status_code == 302
    organisation = Organisation.objects.get(name="Fondation pour l'enfance")
    assert organisation.interests == "Protection de l'enfance\nMigration de travail"
