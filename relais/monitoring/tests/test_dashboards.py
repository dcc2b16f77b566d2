"""The plan dashboard and the regional dashboard as each role meets them: who may read them
(another country's plan is 404, the regional one is 403 to a country's coordinator), what they
show (figures, charts mirrored right to left, the rates used), revalidation, and queries that
do not grow with the plans."""

import re
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from relais.core.money import format_money
from relais.countries.models import Organisation
from relais.countries.tests.factories import OrganisationFactory
from relais.monitoring.models import ActivityUpdate, Expenditure
from relais.monitoring.tests.test_figures import grow, spend, update
from relais.plans.models import Plan
from relais.plans.tests.factories import (
    ActivityFactory,
    FundingSourceFactory,
    ObjectiveFactory,
    PlanFactory,
)

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def coordinator(make_user, mali):
    return make_user("coordinator", mali)


@pytest.fixture
def plan(mali, coordinator):
    """Adopted; OS1: 1 000 000 (done) and 3 000 000 FCFA, of which 1 000 000 spent."""
    plan = PlanFactory(country=mali, currency="XOF", status=Plan.Status.ADOPTED)
    objective = ObjectiveFactory(plan=plan)
    done = ActivityFactory(objective=objective, unit_cost=1_000_000)
    ActivityFactory(objective=objective, unit_cost=3_000_000)
    update(done, coordinator, ActivityUpdate.Status.DONE, 100, date(2018, 4, 2))
    spend(done, coordinator, 1_000_000)
    return plan


def dashboard(plan):
    return reverse("monitoring:dashboard", args=[plan.pk])


REGIONAL = reverse("monitoring:regional")


def test_the_plan_dashboard_shows_the_figures_and_charts(client, plan, coordinator):
    client.force_login(coordinator)
    response = client.get(dashboard(plan))
    html = response.content.decode()
    assert response.status_code == 200
    figures = response.context["figures"]
    assert figures.total.completion == D(25) and figures.total.execution == D(25)
    assert html.count('<svg class="chart') == 3  # completion, execution, funding
    assert "25,0\N{NO-BREAK SPACE}%" in html  # French numbers
    assert 'id="by-objective"' in html and 'id="indicators"' in html
    assert reverse("monitoring:expenditures", args=[plan.pk]) in html  # the tabs
    assert "<script>" not in html and "style=" not in html


def test_every_reader_of_the_plan_sees_its_dashboard(client, plan, make_user, mali):
    for user in (make_user("observer", mali), make_user("regional"), make_user("admin")):
        client.force_login(user)
        assert client.get(dashboard(plan)).status_code == 200


def test_another_countrys_plan_dashboard_is_not_found(client, plan, make_user, senegal):
    for user in (make_user("coordinator", senegal), make_user("partner", OrganisationFactory())):
        client.force_login(user)
        assert client.get(dashboard(plan)).status_code == 404


def test_the_regional_dashboard_is_refused_to_a_countrys_coordinator(client, coordinator):
    client.force_login(coordinator)
    assert client.get(REGIONAL).status_code == 403


def test_the_regional_dashboard_shows_the_countries_in_a_common_currency(
    client, plan, make_user, senegal
):
    client.force_login(make_user("regional"))
    response = client.get(REGIONAL)
    html = response.content.decode()
    assert response.status_code == 200
    lines = {line.country.code: line for line in response.context["regional"].countries}
    assert lines["ML"].budget == D("6097.96")  # 4 000 000 FCFA at the peg
    assert lines["ML"].url == dashboard(plan)
    assert lines["SN"].url == reverse("countries:detail", args=["SN"])
    assert f'href="{dashboard(plan)}#execution"' in html
    assert "655,957" in html  # the rate shown, as French writes it
    assert html.count('<svg class="chart"') == 2

    in_xof = client.get(REGIONAL + "?currency=XOF")
    assert in_xof.context["regional"].currency == "XOF"
    assert format_money(D(4_000_000), "XOF", "fr") in in_xof.content.decode()
    assert client.get(REGIONAL + "?currency=USD").context["regional"].currency == "EUR"


def test_an_administrator_reads_the_regional_dashboard(client, make_user):
    client.force_login(make_user("admin"))
    assert client.get(REGIONAL).status_code == 200


def test_the_charts_are_drawn_from_the_right_in_arabic(client, plan, coordinator):
    coordinator.language = "ar"
    coordinator.save()
    client.force_login(coordinator)
    html = client.get(dashboard(plan)).content.decode()
    assert 'dir="rtl"' in html
    chart = re.search(r'<svg class="chart".*?</svg>', html).group(0)
    # The label at the right edge, the bar growing leftwards from it, the value at the left.
    assert '<text x="320" y="13" text-anchor="end">OS1</text>' in chart
    assert 'text-anchor="start">25.0' in chart
    assert 'class="f" x="188.0"' in chart  # 320 - 92 - 40 (25 % of 160)
    assert "scaleX" not in chart


def test_an_unchanged_dashboard_is_not_sent_again(client, plan, coordinator, make_user):
    client.force_login(coordinator)
    client.get(dashboard(plan))  # the first visit sets the CSRF cookie, part of the version
    first = client.get(dashboard(plan))
    again = client.get(dashboard(plan), HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    Expenditure.objects.filter(activity__objective__plan=plan).get().delete()
    assert client.get(dashboard(plan), HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 200

    client.force_login(make_user("regional"))
    client.get(REGIONAL)
    first = client.get(REGIONAL)
    assert client.get(REGIONAL, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    xof = client.get(REGIONAL + "?currency=XOF", HTTP_IF_NONE_MATCH=first["ETag"])
    assert xof.status_code == 200


def test_the_dashboards_queries_do_not_grow(
    client, mali, senegal, coordinator, make_user, django_assert_num_queries
):
    small = PlanFactory(country=mali, status=Plan.Status.ADOPTED)
    big = PlanFactory(country=mali, status=Plan.Status.ADOPTED)
    grow(small, coordinator, 5, 1)
    client.force_login(coordinator)
    client.get(dashboard(small))
    with CaptureQueriesContext(connection) as counted:
        assert client.get(dashboard(small)).status_code == 200
    grow(big, coordinator, 50, 3)
    # The session, the user, their roles, the plan, the page's version (two) and the
    # figures (fourteen), for 50 activities with 150 updates and expenditures as for 5.
    with django_assert_num_queries(len(counted)):
        client.get(dashboard(big))

    client.force_login(make_user("regional"))
    with CaptureQueriesContext(connection) as counted:
        assert client.get(REGIONAL).status_code == 200
    grow(PlanFactory(country=senegal, status=Plan.Status.ADOPTED), coordinator, 40, 2)
    with django_assert_num_queries(len(counted)):
        client.get(REGIONAL)


def test_a_partner_party_to_the_plan_reads_its_dashboard(client, plan, make_user):
    funder = OrganisationFactory(kind=Organisation.Kind.PARTNER, country=None)
    activity = plan.objectives.get().activities.first()
    FundingSourceFactory(activity=activity, organisation=funder)
    client.force_login(make_user("partner", funder))
    assert client.get(dashboard(plan)).status_code == 200
