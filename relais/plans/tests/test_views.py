"""Writing a plan through its pages, with and without JavaScript (htmx), and what a person is
told when what they typed cannot be saved."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from relais.countries.models import Organisation
from relais.countries.tests.factories import OrganisationFactory
from relais.plans import services
from relais.plans.models import Activity, FundingSource, Objective, Plan, PlanEvent
from relais.plans.tests.factories import (
    ActivityFactory,
    FundingSourceFactory,
    IndicatorFactory,
    ObjectiveFactory,
    PlanFactory,
    ResultFactory,
    snapshot,
)

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
NBSP = "\xa0"


@pytest.fixture
def coordinator(make_user, mali, client):
    user = make_user("coordinator", mali, language="en")
    client.force_login(user)
    return user


@pytest.fixture
def icmpd(db):
    return OrganisationFactory(
        name="International Centre for Migration Policy Development",
        acronym="ICMPD",
        kind=Organisation.Kind.PARTNER,
        country=None,
    )


@pytest.fixture
def plan(mali, coordinator):
    return services.plan_create(
        country=mali,
        by=coordinator,
        title="Plan d'action de plaidoyer 2018-2019",
        period_start=date(2018, 1, 1),
        period_end=date(2019, 12, 31),
    )


@pytest.fixture
def objective(plan, coordinator):
    return services.objective_create(
        plan=plan, by=coordinator, statement="Renforcer le cadre juridique d'ici 2019"
    )


def activity_data(**overrides):
    data = {
        "title": "Atelier de validation",
        "months": ["2018-03", "2018-04"],
        "unit_cost": "4 250 000",
        "quantity": "1",
        "unit": "atelier",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def fcfa(amount):
    """How an amount is written for a person reading in English."""
    return f"{amount:,}{NBSP}FCFA"


# Creating a plan and its content -------------------------------------------------------------


def test_a_coordinator_creates_a_plan_with_the_form(client, coordinator, mali):
    response = client.get(reverse("plans:create", args=["ML"]))
    assert response.status_code == 200
    assert response.context["form"].initial["currency"] == "XOF"

    response = client.post(
        reverse("plans:create", args=["ml"]),
        {
            "title": "Plan d'action de plaidoyer 2018-2019",
            "period_start": "2018-01-01",
            "period_end": "2019-12-31",
            "currency": "XOF",
            "language": "fr",
            "general_objective": "Lutter contre la traite à des fins de travail forcé.",
        },
    )

    plan = Plan.objects.get()
    assert response.status_code == 302
    assert response["Location"] == plan.get_absolute_url()
    assert (plan.country, plan.status, plan.version, plan.created_by) == (
        mali,
        Plan.Status.DRAFT,
        1,
        coordinator,
    )
    assert plan.months[0] == "2018-01" and plan.months[-1] == "2019-12"
    assert plan.events.get().action == PlanEvent.Action.CREATE
    response = client.get(response["Location"])
    assert "The plan has been created. Add its first objective." in response.content.decode()


def test_a_plan_whose_period_ends_before_it_starts_is_not_created(client, coordinator):
    response = client.post(
        reverse("plans:create", args=["ML"]),
        {
            "title": "Plan",
            "period_start": "2019-01-01",
            "period_end": "2018-12-31",
            "currency": "XOF",
            "language": "fr",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["period_end"] == ["The period ends before it starts."]
    assert not Plan.objects.exists()


def test_objective_and_activities_without_javascript(client, plan, icmpd):
    response = client.post(
        reverse("plans:objective_create", args=[plan.pk]),
        {"statement": "Renforcer le cadre juridique d'ici 2019"},
    )
    objective = Objective.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"{plan.get_absolute_url()}#objective-{objective.pk}"
    assert (objective.plan, objective.position) == (plan, 1)

    url = reverse("plans:activity_create", args=[objective.pk])
    response = client.post(
        url,
        activity_data(
            source_0="state", amount_0="1 000 000", source_1=str(icmpd.pk), amount_1="3.000.000"
        ),
    )
    first = Activity.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"{plan.get_absolute_url()}#activity-{first.pk}"
    response = client.post(
        url,
        activity_data(
            title="Plaidoyer auprès des députés",
            months=["2019-02"],
            unit_cost="150 000",
            quantity="12",
        ),
    )
    assert response.status_code == 302
    second = Activity.objects.get(title="Plaidoyer auprès des députés")

    assert (first.position, first.months, first.unit_cost, first.total) == (
        1,
        ["2018-03", "2018-04"],
        Decimal("4250000"),
        Decimal("4250000"),
    )
    assert set(first.funding_sources.values_list("organisation_id", "amount")) == {
        (None, Decimal("1000000")),
        (icmpd.pk, Decimal("3000000")),
    }
    assert (second.position, second.total) == (2, Decimal("1800000"))

    page = client.get(plan.get_absolute_url())
    html = page.content.decode()
    assert page.context["totals"].grand == Decimal("6050000")
    assert fcfa(6050000) in html
    assert "Not yet assigned" in html
    assert fcfa(2050000) in html  # 250 000 of the first activity and all of the second


def test_objective_and_activities_with_htmx(client, plan, icmpd):
    response = client.post(
        reverse("plans:objective_create", args=[plan.pk]),
        {"statement": "Renforcer le cadre juridique d'ici 2019"},
        **HTMX,
    )
    objective = Objective.objects.get()
    html = response.content.decode()
    assert response.status_code == 200
    assert response["HX-Retarget"] == "#objectives"
    assert response["HX-Reswap"] == "outerHTML"
    assert '<div id="objectives">' in html
    assert f'id="objective-{objective.pk}"' in html
    assert '<aside class="card totals" id="totals" hx-swap-oob="true"' in html
    assert "<html" not in html  # a fragment, not a page

    url = reverse("plans:activity_create", args=[objective.pk])
    response = client.post(url, activity_data(source_0="state", amount_0="1 000 000"), **HTMX)
    html = response.content.decode()
    assert response.status_code == 200
    assert response["HX-Retarget"] == f"#objective-{objective.pk}"
    assert f'<section class="objective card" id="objective-{objective.pk}">' in html
    assert "Atelier de validation" in html
    assert 'id="totals" hx-swap-oob="true"' in html
    assert f'<strong class="num" id="grand-total">{fcfa(4250000)}</strong>' in html

    response = client.post(
        url,
        activity_data(title="Campagne radio", months=["2019-01"], unit_cost="5.500 F CFA"),
        **HTMX,
    )
    html = response.content.decode()
    assert "Atelier de validation" in html and "Campagne radio" in html
    assert f'<strong class="num" id="grand-total">{fcfa(4255500)}</strong>' in html
    # The subtotal inside the objective is swapped with it, not out of band.
    assert f'id="objective-{objective.pk}-subtotal">{fcfa(4255500)}' in html
    assert Activity.objects.count() == 2


def test_the_activity_form_opens_in_place_with_htmx(client, objective):
    response = client.get(reverse("plans:activity_create", args=[objective.pk]), **HTMX)
    html = response.content.decode()
    assert f'<div id="new-activity-{objective.pk}-form">' in html
    assert "<html" not in html
    response = client.get(reverse("plans:activity_create", args=[objective.pk]))
    assert "<html" in response.content.decode()


def test_an_activity_is_edited_in_place(client, objective, icmpd):
    activity = services.activity_create(
        objective=objective,
        by=None,
        title="Atelier de validation",
        months=["2018-03"],
        unit_cost=Decimal("4250000"),
        funding=[(icmpd, Decimal("4000000"))],
    )
    services.activity_create(
        objective=objective, by=None, title="Étude", months=["2018-05"], unit_cost=Decimal(750000)
    )
    url = reverse("plans:activity_edit", args=[activity.pk])

    response = client.get(url, **HTMX)
    html = response.content.decode()
    assert f'<tr id="activity-{activity.pk}" class="editing">' in html
    assert 'name="revision" value="1"' in html
    assert response.context["form"]["source_0"].value() == str(icmpd.pk)

    response = client.post(
        url,
        activity_data(
            title="Atelier national de validation",
            months=["2018-03", "2018-04"],
            unit_cost="2 500 000",
            quantity="2",
            revision="1",
            source_0=str(icmpd.pk),
            amount_0="4 000 000",
            source_1="state",
            amount_1="500 000",
        ),
        **HTMX,
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert f'<tr id="activity-{activity.pk}">' in html
    assert "Atelier national de validation" in html
    assert "Q1 2018, Q2 2018" in html
    assert (
        f'<strong class="num subtotal" id="objective-{objective.pk}-subtotal" '
        f'hx-swap-oob="true">{fcfa(5750000)}</strong>'
    ) in html
    assert f'<strong class="num" id="grand-total">{fcfa(5750000)}</strong>' in html
    assert 'id="totals" hx-swap-oob="true"' in html
    activity.refresh_from_db()
    assert (activity.title, activity.total, activity.revision) == (
        "Atelier national de validation",
        Decimal("5000000"),
        2,
    )
    assert set(activity.funding_sources.values_list("organisation_id", "amount")) == {
        (None, Decimal("500000")),
        (icmpd.pk, Decimal("4000000")),
    }

    # Cancelling an edit puts the saved row back.
    response = client.get(reverse("plans:activity_row", args=[activity.pk]), **HTMX)
    assert f'<tr id="activity-{activity.pk}">' in response.content.decode()


def test_an_activity_is_edited_without_javascript(client, objective):
    activity = ActivityFactory(objective=objective)
    response = client.post(
        reverse("plans:activity_edit", args=[activity.pk]),
        activity_data(title="Atelier régional", revision=str(activity.revision)),
    )
    assert response.status_code == 302
    assert response["Location"].endswith(f"#activity-{activity.pk}")
    activity.refresh_from_db()
    assert activity.title == "Atelier régional"


@pytest.mark.parametrize("htmx", [False, True], ids=["page", "htmx"])
def test_a_stale_edit_is_refused_and_the_first_is_kept(client, objective, htmx):
    activity = services.activity_create(
        objective=objective, by=None, title="Atelier", months=["2018-03"], unit_cost=Decimal(1000)
    )
    url = reverse("plans:activity_edit", args=[activity.pk])
    headers = HTMX if htmx else {}
    # Two people opened the form at revision 1; the first saves.
    first = client.post(
        url, activity_data(title="Atelier de Awa", unit_cost="2 000", revision="1"), **headers
    )
    assert first.status_code == 200 if htmx else 302

    second = client.post(
        url, activity_data(title="Atelier de Moussa", unit_cost="3 000", revision="1"), **headers
    )

    html = second.content.decode()
    assert second.status_code == 200
    assert "Someone else changed this since you opened it, so your changes were not saved." in html
    # What the second person typed is still in the form; the first person's version is shown.
    assert 'value="Atelier de Moussa"' in html
    assert "Atelier de Awa" in html
    assert 'name="revision" value="2"' in html
    if htmx:
        assert second["HX-Retarget"] == f"#activity-{activity.pk}"
    activity.refresh_from_db()
    assert (activity.title, activity.unit_cost, activity.revision) == (
        "Atelier de Awa",
        Decimal(2000),
        2,
    )

    # Saving again, now knowingly, replaces the first person's version.
    third = client.post(
        url, activity_data(title="Atelier de Moussa", unit_cost="3 000", revision="2"), **headers
    )
    assert third.status_code == 200 if htmx else 302
    activity.refresh_from_db()
    assert (activity.title, activity.revision) == ("Atelier de Moussa", 3)


def test_a_stale_objective_edit_is_refused(client, objective):
    url = reverse("plans:objective_edit", args=[objective.pk])
    client.post(url, {"statement": "Version d'Awa", "revision": "1"})
    response = client.post(url, {"statement": "Version de Moussa", "revision": "1"})
    assert response.status_code == 200
    assert "Someone else changed this since you opened it" in response.content.decode()
    objective.refresh_from_db()
    assert objective.statement == "Version d'Awa"


# Bad input -----------------------------------------------------------------------------------

BAD_ACTIVITIES = {
    "negative unit cost": (
        {"unit_cost": "-250 000"},
        "unit_cost",
        "Enter a positive amount.",
    ),
    "non-numeric quantity": (
        {"quantity": "deux"},
        "quantity",
        "Enter an amount, for example 4 250 000.",
    ),
    "zero quantity": ({"quantity": "0"}, "quantity", "The quantity is a positive number."),
    "non-numeric unit cost": (
        {"unit_cost": "quatre millions"},
        "unit_cost",
        "Enter an amount, for example 4 250 000.",
    ),
    "no month": ({"months": []}, "months", "Choose at least one month in the chronogram."),
    "a month outside the period": (
        {"months": ["2018-03", "2025-01"]},
        "months",
        "2025-01 is outside the plan's period (2018-01 – 2019-12).",
    ),
    "no title": ({"title": "  "}, "title", "This field is required."),
    "a source without an amount": (
        {"source_0": "state", "amount_0": ""},
        "amount_0",
        "Enter a positive amount.",
    ),
    "an amount without a source": (
        {"amount_0": "1 000 000"},
        "source_0",
        "Choose who carries this amount.",
    ),
    "a negative funding amount": (
        {"source_0": "state", "amount_0": "-5"},
        "amount_0",
        "Enter a positive amount.",
    ),
    "sources carrying more than the cost": (
        {
            "unit_cost": "1 000 000",
            "source_0": "state",
            "amount_0": "600 000",
            "source_1": "ICMPD",
            "amount_1": "500 000",
        },
        None,  # the sources together: said above the form
        "The planned sources carry more than the activity costs.",
    ),
    "the same source twice": (
        {"source_0": "state", "amount_0": "1 000", "source_1": "state", "amount_1": "2 000"},
        None,
        "Name each source once.",
    ),
}


@pytest.mark.parametrize("htmx", [False, True], ids=["page", "htmx"])
@pytest.mark.parametrize("mode", ["create", "edit"])
@pytest.mark.parametrize("case", BAD_ACTIVITIES)
def test_bad_activity_input_is_refused_with_a_message(client, objective, icmpd, case, mode, htmx):
    overrides, field, message = BAD_ACTIVITIES[case]
    overrides = {k: (str(icmpd.pk) if v == "ICMPD" else v) for k, v in overrides.items()}
    existing = ActivityFactory(objective=objective, title="Atelier", unit_cost=Decimal(1000))
    FundingSourceFactory(activity=existing, amount=Decimal(500))
    if mode == "create":
        url = reverse("plans:activity_create", args=[objective.pk])
    else:
        url = reverse("plans:activity_edit", args=[existing.pk])
        overrides.setdefault("revision", str(existing.revision))
    before = snapshot()

    response = client.post(url, activity_data(**overrides), **(HTMX if htmx else {}))

    assert response.status_code == 200
    form = response.context["form"]
    if field is None:
        assert form.non_field_errors() == [message]
    else:
        assert form.errors[field] == [message]
    assert escape(message) in response.content.decode()
    assert snapshot() == before


def test_the_service_refuses_a_month_outside_the_period(objective):
    with translation.override("en"):
        with pytest.raises(ValidationError) as caught:
            services.activity_create(
                objective=objective,
                by=None,
                title="Atelier",
                months=["2018-03", "2025-01"],
                unit_cost=Decimal(1000),
            )
    assert caught.value.message_dict == {
        "months": ["2025-01 is outside the plan's period (2018-01 – 2019-12)."]
    }
    assert not Activity.objects.exists()


def test_the_service_refuses_an_update_to_a_month_outside_the_period(objective):
    activity = ActivityFactory(objective=objective)
    with pytest.raises(ValidationError) as caught:
        services.activity_update(
            activity=activity, by=None, revision=activity.revision, months=["2025-01"]
        )
    assert "months" in caught.value.message_dict
    activity.refresh_from_db()
    assert activity.months == ["2018-03", "2018-04"]
    assert activity.revision == 1


@pytest.mark.parametrize("htmx", [False, True], ids=["page", "htmx"])
@pytest.mark.parametrize("statement", ["", "   \n  "])
def test_an_objective_needs_a_statement(client, plan, statement, htmx):
    response = client.post(
        reverse("plans:objective_create", args=[plan.pk]),
        {"statement": statement},
        **(HTMX if htmx else {}),
    )
    assert response.status_code == 200
    assert response.context["form"].errors["statement"] == ["This field is required."]
    assert "This field is required." in response.content.decode()
    if htmx:
        assert response["HX-Retarget"] == "#new-objective-form"
    assert not Objective.objects.exists()


def test_an_objective_edit_keeps_its_statement(client, objective):
    response = client.post(
        reverse("plans:objective_edit", args=[objective.pk]), {"statement": " ", "revision": "1"}
    )
    assert response.context["form"].errors["statement"] == ["This field is required."]
    objective.refresh_from_db()
    assert objective.statement == "Renforcer le cadre juridique d'ici 2019"


def test_a_plan_period_cannot_shrink_under_its_activities(client, plan, objective):
    ActivityFactory(objective=objective, months=["2019-11"])
    response = client.post(
        reverse("plans:edit", args=[plan.pk]),
        {
            "title": plan.title,
            "period_start": "2018-01-01",
            "period_end": "2019-06-30",
            "currency": "XOF",
            "language": "fr",
        },
    )
    assert response.status_code == 200
    assert "2019-11" in response.content.decode()
    plan.refresh_from_db()
    assert plan.period_end == date(2019, 12, 31)


# Moving and deleting -------------------------------------------------------------------------


def test_moving_and_deleting_renumber_the_activities(client, objective):
    first, second, third = (ActivityFactory(objective=objective) for _ in range(3))
    client.post(reverse("plans:activity_move", args=[third.pk]), {"direction": "up"})
    assert list(objective.activities.order_by("position").values_list("pk", flat=True)) == [
        first.pk,
        third.pk,
        second.pk,
    ]
    response = client.post(reverse("plans:activity_delete", args=[first.pk]), **HTMX)
    assert response.status_code == 200
    assert list(objective.activities.order_by("position").values_list("pk", "position")) == [
        (third.pk, 1),
        (second.pk, 2),
    ]


def test_moving_an_objective_with_htmx_returns_the_list(client, plan, objective):
    other = services.objective_create(plan=plan, by=None, statement="Créer une agence")
    response = client.post(
        reverse("plans:objective_move", args=[other.pk]), {"direction": "up"}, **HTMX
    )
    assert response["HX-Retarget"] == "#objectives"
    html = response.content.decode()
    assert html.index(f'id="objective-{other.pk}"') < html.index(f'id="objective-{objective.pk}"')
    other.refresh_from_db()
    assert other.position == 1


# Queries ---------------------------------------------------------------------------------------


def populate(plan, count, *, organisations, people):
    """`count` activities over two objectives, each with everything the page shows: a
    responsible structure, partners, an assignee, a result, two funding sources; and results
    and indicators on the objectives."""
    objectives = [ObjectiveFactory(plan=plan) for _ in range(2)]
    for objective in objectives:
        result = ResultFactory(objective=objective)
        IndicatorFactory(objective=objective)
        IndicatorFactory(objective=None, result=result)
    for index in range(count):
        objective = objectives[index % 2]
        activity = ActivityFactory(
            objective=objective,
            responsible=organisations[index % len(organisations)],
            result=objective.results.first(),
            months=plan.months[index % 24 : index % 24 + 2],
        )
        activity.partners.set(organisations[:2])
        activity.assignees.set(people[:1])
        FundingSourceFactory(activity=activity, amount=Decimal(1000))
        FundingSourceFactory(
            activity=activity, organisation=organisations[index % 3], amount=Decimal(2000)
        )
    return Activity.objects.filter(objective__plan=plan).order_by("pk").first()


# session, user, plan (with country, body, strategy), roles; objectives, their results, the
# results' indicators, the objectives' indicators; the totals' flat lines, sources and their
# organisations; the activities shown, their sources and organisations; events; the plan's last
# change (the page's version, for conditional requests).
PLAN_PAGE_QUERIES = 16
# Reading: session, user, activity, roles; the form's choices (people, organisations checked
# for the responsible structure, the partners and the funding rows, results), the activity's
# funding sources.
# Writing, in one savepoint: the activity locked, updated and its history row; partners and
# assignees set, each with a history row of the activity and of its links; funding sources
# replaced, with their history.
# Then the plan's tree (objectives and six prefetches) for the row, subtotal and totals.
HTMX_EDIT_QUERIES = 49


@pytest.fixture
def world(mali, make_user, icmpd):
    organisations = [icmpd] + OrganisationFactory.create_batch(3, country=mali)
    people = [make_user("contributor", mali) for _ in range(2)]
    return organisations, people


@pytest.mark.parametrize("count", [5, 60])
def test_the_plan_page_reads_a_fixed_number_of_times(
    client, plan, world, count, django_assert_max_num_queries
):
    populate(plan, count, organisations=world[0], people=world[1])
    with django_assert_max_num_queries(PLAN_PAGE_QUERIES):
        response = client.get(plan.get_absolute_url())
    assert response.status_code == 200
    assert sum(len(o.activities.all()) for o in response.context["objectives"]) == count


@pytest.mark.parametrize("count", [5, 60])
def test_an_htmx_activity_edit_reads_a_fixed_number_of_times(
    client, plan, world, count, django_assert_max_num_queries
):
    organisations, people = world
    activity = populate(plan, count, organisations=organisations, people=people)
    data = activity_data(
        title="Atelier modifié",
        months=["2018-05"],
        revision=str(activity.revision),
        responsible=str(organisations[1].pk),
        partners=[str(organisations[0].pk)],
        assignees=[str(people[0].pk)],
        source_0="state",
        amount_0="1 000",
        source_1=str(organisations[0].pk),
        amount_1="2 000",
    )
    with django_assert_max_num_queries(HTMX_EDIT_QUERIES):
        response = client.post(reverse("plans:activity_edit", args=[activity.pk]), data, **HTMX)
    assert response.status_code == 200
    assert f'<tr id="activity-{activity.pk}">' in response.content.decode()
    assert FundingSource.objects.filter(activity=activity).count() == 2


def test_query_counts_do_not_grow_with_the_plan(client, plan, world):
    """The same number of queries, exactly, for a small and a large plan."""
    organisations, people = world
    counts = []
    for count in (5, 55):
        populate(plan, count, organisations=organisations, people=people)
        with CaptureQueriesContext(connection) as page:
            client.get(plan.get_absolute_url())
        counts.append(len(page.captured_queries))
    assert counts[0] == counts[1]


def test_an_empty_draft_shows_how_to_start(client, mali, coordinator):
    plan = PlanFactory(country=mali)
    response = client.get(plan.get_absolute_url())
    html = response.content.decode()
    assert "This plan has no objective yet." in html
    assert reverse("plans:objective_create", args=[plan.pk]) in html


@pytest.fixture
def long_plan(plan, monkeypatch):
    """Three objectives of 4 activities, on a page that writes at most 6 rows."""
    monkeypatch.setattr("relais.plans.views.plans.ROWS_IN_PAGE", 6)
    objectives = [ObjectiveFactory(plan=plan) for _ in range(3)]
    for objective in objectives:
        for _ in range(4):
            ActivityFactory(objective=objective, months=["2018-02"])
    return objectives


def rows_of(html, objective):
    return [a.pk for a in objective.activities.all() if f'id="activity-{a.pk}"' in html]


def test_a_long_plan_leaves_the_later_objectives_rows_to_load_as_they_scroll(
    client, plan, long_plan
):
    first, second, third = long_plan
    html = client.get(plan.get_absolute_url()).content.decode()
    assert len(rows_of(html, first)) == 4
    assert rows_of(html, second) == rows_of(html, third) == []
    # Each deferred objective loads itself when revealed, and links to itself without JS.
    for objective in (second, third):
        assert f'hx-get="?objective={objective.pk}" hx-trigger="revealed"' in html
        assert f'href="?objective={objective.pk}#objective-{objective.pk}"' in html
    assert "Show its 4 activities" in html
    # The totals are the whole plan's, rows shown or not.
    total = sum(a.total for o in long_plan for a in o.activities.all())
    assert client.get(plan.get_absolute_url()).context["totals"].grand == total


def test_a_deferred_objective_comes_alone_to_htmx_and_in_the_page_without_javascript(
    client, plan, long_plan
):
    _first, _second, third = long_plan
    url = f"{plan.get_absolute_url()}?objective={third.pk}"
    fragment = client.get(url, **HTMX).content.decode()
    assert len(rows_of(fragment, third)) == 4
    assert "<html" not in fragment and "Budget" not in fragment
    page = client.get(url).content.decode()
    assert len(rows_of(page, third)) == 4 and "<html" in page
    everything = client.get(f"{plan.get_absolute_url()}?objective=all").content.decode()
    assert all(len(rows_of(everything, o)) == 4 for o in long_plan)


def test_an_objective_of_another_plan_is_not_found_in_htmx(client, plan, long_plan):
    other = ObjectiveFactory(plan=PlanFactory(country=plan.country))
    response = client.get(f"{plan.get_absolute_url()}?objective={other.pk}", **HTMX)
    assert response.status_code == 404


@pytest.mark.parametrize("name", ["plans:detail", "plans:chronogram", "plans:print"])
def test_a_reader_back_on_an_unchanged_plan_downloads_nothing_again(client, plan, name):
    url = reverse(name, args=[plan.pk])
    client.get(url)  # the first page of a session sets its CSRF secret, part of the version
    first = client.get(url)
    assert first.status_code == 200 and "no-cache" in first["Cache-Control"]
    again = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304 and again.content == b""
    # Any change to the plan's content gives its pages a new version.
    services.objective_create(plan=plan, by=plan.created_by, statement="Un nouvel objectif")
    changed = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert changed.status_code == 200 and changed["ETag"] != first["ETag"]


def test_another_reader_or_language_gets_its_own_version(client, plan, make_user, mali):
    url = plan.get_absolute_url()
    client.get(url)
    etag = client.get(url)["ETag"]
    client.force_login(make_user("observer", mali))
    assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 200


def test_an_htmx_fragment_is_never_answered_from_the_pages_version(client, plan, long_plan):
    url = f"{plan.get_absolute_url()}?objective={long_plan[2].pk}"
    etag = client.get(url)["ETag"]
    response = client.get(url, HTTP_IF_NONE_MATCH=etag, **HTMX)
    assert response.status_code == 200 and "HX-Request" in response["Vary"]


def test_ids_past_999_are_written_whole_in_anchors_and_htmx_targets(client, plan):
    """Integers in templates are not grouped: "objective-1 849" would break every link to it."""
    objective = ObjectiveFactory(plan=plan, pk=12345)
    activity = ActivityFactory(objective=objective, pk=67890, months=["2018-02"])
    with translation.override("fr"):
        html = client.get(plan.get_absolute_url()).content.decode()
    assert 'id="objective-12345"' in html
    assert 'id="activity-67890"' in html
    fragment = client.get(reverse("plans:activity_edit", args=[activity.pk]), **HTMX)
    assert 'id="activity-67890"' in fragment.content.decode()
