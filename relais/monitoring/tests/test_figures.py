"""The dashboards' arithmetic: completion weighted by cost (no update 0 %, cancelled left out),
validated spending only (drafts and corrected expenditures left out), converted to the plan's
currency, execution by objective and source, indicator progress, milestones, people trained,
the regional figures in a common currency with their rates, and queries that do not grow."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from relais.core.models import ExchangeRate
from relais.countries.models import Organisation
from relais.countries.tests.factories import CountryFactory, OrganisationFactory
from relais.events.models import Event
from relais.funding.models import Contribution, Disbursement
from relais.monitoring.figures import plan_figures, regional_figures
from relais.monitoring.models import ActivityUpdate, Expenditure, IndicatorValue, Milestone
from relais.plans.models import Plan
from relais.plans.tests.factories import (
    ActivityFactory,
    IndicatorFactory,
    ObjectiveFactory,
    PlanFactory,
)
from relais.workshops.models import Participant, Participation

pytestmark = pytest.mark.django_db
D = Decimal
Status = ActivityUpdate.Status
TODAY = date(2019, 6, 15)


def update(activity, by, status, percent, on):
    return ActivityUpdate.objects.create(
        activity=activity, status=status, percent_done=percent, on=on, by=by
    )


def spend(activity, by, amount, currency="XOF", status=Expenditure.Status.VALIDATED, **fields):
    fields.setdefault("spent_on", date(2018, 5, 2))
    return Expenditure.objects.create(
        activity=activity,
        amount=D(amount),
        currency=currency,
        description="Location de salle et restauration",
        status=status,
        entered_by=by,
        **fields,
    )


@pytest.fixture
def coordinator(make_user, mali):
    return make_user("coordinator", mali)


@pytest.fixture
def plan(mali):
    return PlanFactory(country=mali, currency="XOF", status=Plan.Status.ADOPTED)


@pytest.fixture
def tree(plan):
    """OS1: a (1 000 000) and b (3 000 000); OS2: c (2 000 000) and d (4 000 000)."""
    first, second = ObjectiveFactory(plan=plan), ObjectiveFactory(plan=plan)
    a = ActivityFactory(objective=first, unit_cost=1_000_000)
    b = ActivityFactory(objective=first, unit_cost=3_000_000)
    c = ActivityFactory(objective=second, unit_cost=2_000_000)
    d = ActivityFactory(objective=second, unit_cost=4_000_000)
    return a, b, c, d


@pytest.fixture
def icmpd(db):
    return OrganisationFactory(acronym="ICMPD", kind=Organisation.Kind.PARTNER, country=None)


def test_completion_is_weighted_by_cost_with_no_update_at_zero_and_cancelled_left_out(
    plan, tree, coordinator
):
    a, b, c, d = tree
    update(a, coordinator, Status.ONGOING, 90, date(2018, 3, 1))
    update(a, coordinator, Status.ONGOING, 50, date(2018, 4, 1))  # the latest counts
    update(b, coordinator, Status.DONE, 80, date(2018, 4, 1))  # done counts 100 %
    update(d, coordinator, Status.ONGOING, 60, date(2018, 2, 1))
    update(d, coordinator, Status.CANCELLED, 60, date(2018, 6, 1))
    # c has no update: 0 %.

    figures = plan_figures(plan)
    first, second = figures.objectives

    # (1 000 000 × 50 + 3 000 000 × 100) / 4 000 000
    assert first.progress.completion == D("87.5")
    assert (first.progress.done, first.progress.counted) == (1, 2)
    assert second.progress.completion == D(0)  # c alone: d is cancelled
    assert (second.progress.counted, second.progress.cancelled) == (1, 1)
    # (50 000 000 + 300 000 000 + 0) / 6 000 000 = 58.33…
    assert figures.total.completion == D("58.3")
    assert figures.total.budget == D(10_000_000)  # the budget keeps the cancelled activity


def test_activities_without_cost_weigh_the_same(plan, coordinator):
    objective = ObjectiveFactory(plan=plan)
    free = ActivityFactory(objective=objective, unit_cost=0)
    ActivityFactory(objective=objective, unit_cost=0)
    update(free, coordinator, Status.ONGOING, 40, date(2018, 3, 1))
    assert plan_figures(plan).total.completion == D(20)


def test_execution_counts_validated_spending_converted_to_the_plans_currency(
    plan, tree, coordinator
):
    a, b, c, d = tree
    spend(a, coordinator, 500_000)
    spend(a, coordinator, 1_000_000, status=Expenditure.Status.DRAFT)  # not validated yet
    wrong = spend(c, coordinator, 200_000, status=Expenditure.Status.CORRECTED)
    spend(c, coordinator, 150_000, corrects=wrong, correction_reason="Facture refaite")
    spend(b, coordinator, 1000, currency="EUR", spent_on=date(2018, 9, 3))  # 655 957 FCFA

    figures = plan_figures(plan)
    first, second = figures.objectives

    assert first.progress.spent == D(500_000) + D(655_957)
    assert first.progress.execution == D("28.9")  # 1 155 957 / 4 000 000
    assert second.progress.spent == D(150_000)
    assert figures.total.spent == D(1_305_957)
    assert figures.total.execution == D("13.1")
    assert figures.problems == []


def test_spending_in_a_currency_without_a_rate_is_left_out_and_said(plan, tree, coordinator):
    a, *_ = tree
    spend(a, coordinator, 100_000)
    spend(a, coordinator, 5000, currency="GMD", spent_on=date(2018, 5, 2))
    with translation.override("en"):
        figures = plan_figures(plan)
    assert figures.total.spent == D(100_000)
    assert figures.problems == ["No exchange rate for GMD on or before 2018-05-02."]


def test_spending_by_source_against_what_it_disbursed(plan, tree, coordinator, icmpd):
    a, b, *_ = tree
    icmpd_money = Contribution.objects.create(
        plan=plan,
        partner=icmpd,
        currency="EUR",
        amount=D(2000),
        status=Contribution.Status.CONFIRMED,
        confirmed_amount=D(2000),
        announced_on=date(2018, 2, 1),
        signed_on=date(2018, 3, 1),
    )
    Disbursement.objects.create(contribution=icmpd_money, paid_on=date(2018, 4, 1), amount=D(1000))
    state = Contribution.objects.create(
        plan=plan, partner=None, currency="XOF", amount=D(3_000_000), announced_on=date(2018, 1, 5)
    )
    Disbursement.objects.create(contribution=state, paid_on=date(2018, 2, 1), amount=D(1_000_000))
    spend(a, coordinator, 327_979, contribution=icmpd_money)
    spend(b, coordinator, 250_000, contribution=state)
    spend(b, coordinator, 50_000)  # the state's own budget, no contribution

    with translation.override("en"):
        figures = plan_figures(plan)
    sources = {s.name: s for s in figures.sources}

    assert figures.sources[0].name == "State budget"
    assert sources["State budget"].disbursed == D(1_000_000)
    assert sources["State budget"].spent == D(300_000)
    assert sources["State budget"].rate == D(30)
    assert sources["ICMPD"].disbursed == D(655_957)  # 1 000 EUR at the peg
    assert sources["ICMPD"].spent == D(327_979)
    assert sources["ICMPD"].rate == D(50)
    # The gap is the funding picture's: 10 000 000 - 1 311 914 (2 000 EUR) - 3 000 000.
    assert figures.funding.gap == D(10_000_000) - D(1_311_914) - D(3_000_000)


def test_indicator_progress_milestones_and_people_trained(plan, tree, coordinator, mali):
    first = plan.objectives.order_by("position")[0]
    counted = IndicatorFactory(objective=first, baseline=D(10), target=D(30), position=1)
    falling = IndicatorFactory(objective=first, baseline=D(40), target=D(20), position=2)
    IndicatorFactory(objective=first, target=None, position=3)
    for start, value in ((date(2018, 1, 1), 15), (date(2018, 4, 1), 20)):
        IndicatorValue.objects.create(
            indicator=counted, period_start=start, period_end=date(start.year, start.month + 2, 28),
            value=D(value),
        )  # fmt: skip
    IndicatorValue.objects.create(
        indicator=falling, period_start=date(2018, 1, 1), period_end=date(2018, 3, 31), value=D(35)
    )
    Milestone.objects.create(
        objective=first, step=Milestone.Step.TEXT_DRAFTED, reached_on=date(2018, 6, 1),
        by=coordinator,
    )  # fmt: skip
    adopted = Milestone.objects.create(
        objective=first, step=Milestone.Step.TEXT_ADOPTED, reached_on=date(2019, 2, 1),
        by=coordinator,
    )  # fmt: skip
    workshop = Event.objects.create(
        kind=Event.Kind.TRAINING, country=mali, title="Atelier", starts_on=date(2018, 5, 2)
    )
    elsewhere = Event.objects.create(
        kind=Event.Kind.TRAINING, country=mali, title="Avant", starts_on=date(2017, 5, 2)
    )
    awa = Participant.objects.create(full_name="Awa Traoré", sex="F")
    moussa = Participant.objects.create(full_name="Moussa Keïta", sex="M")
    for event, person in ((workshop, awa), (workshop, moussa), (elsewhere, moussa)):
        Participation.objects.create(event=event, participant=person)

    figures = plan_figures(plan)

    lines = {line.indicator.pk: line for line in figures.indicators}
    assert lines[counted.pk].value == D(20)
    assert lines[counted.pk].progress == D(50)  # (20 - 10) / (30 - 10)
    assert lines[falling.pk].progress == D(25)  # (35 - 40) / (20 - 40)
    assert [line.progress for line in figures.indicators][2] is None
    assert figures.milestones == 2 and figures.latest_milestone == adopted
    assert figures.objectives[0].milestones == 2
    assert figures.trained == {"people": 2, "women": 1, "men": 1}


def test_regional_figures_in_euros_with_the_rates_used(mali, coordinator, make_user):
    gambia = CountryFactory(code="GM", name="Gambia", currency="GMD")
    ExchangeRate.objects.create(currency="GMD", date=date(2017, 12, 1), units_per_euro=D("55.5"))
    mali_plan = PlanFactory(country=mali, currency="XOF", status=Plan.Status.ADOPTED)
    done = ActivityFactory(objective=ObjectiveFactory(plan=mali_plan), unit_cost=6_559_570)
    ActivityFactory(objective=done.objective, unit_cost=0)
    update(done, coordinator, Status.DONE, 100, date(2018, 5, 1))
    spend(done, coordinator, 655_957)
    spend(done, coordinator, 500, currency="EUR")  # 327 979 FCFA (327 978.5 rounded up)
    gambia_plan = PlanFactory(country=gambia, currency="GMD", status=Plan.Status.ADOPTED)
    ActivityFactory(objective=ObjectiveFactory(plan=gambia_plan), unit_cost=555_000)
    Contribution.objects.create(
        plan=gambia_plan, currency="GMD", amount=D(111_000), announced_on=date(2018, 1, 3)
    )

    with translation.override("en"):
        regional = regional_figures(today=TODAY, currency="EUR")
        described = [conversion.describe() for _c, _p, conversion in regional.conversions]
    lines = {line.country.code: line for line in regional.countries}

    assert lines["ML"].budget == D(10_000)
    assert lines["ML"].spent == D("1500.00")  # 983 936 FCFA at the peg
    assert lines["ML"].execution == D(15)
    assert (lines["ML"].done, lines["ML"].activities) == (1, 2)
    assert lines["GM"].budget == D(10_000)
    assert lines["GM"].gap == D(8000)  # (555 000 - 111 000) GMD
    assert regional.total["budget"] == D(20_000)
    assert "1 EUR = 55.5 GMD (rate of 2017-12-01)" in described
    assert "1 EUR = 655.957 XOF (fixed parity)" in described
    in_xof = regional_figures(today=TODAY, currency="XOF")
    assert {line.country.code: line.budget for line in in_xof.countries}["ML"] == D(6_559_570)


def test_a_country_without_a_rate_is_said_not_counted(mali):
    gambia = CountryFactory(code="GM", name="Gambia", currency="GMD")
    plan = PlanFactory(country=gambia, currency="GMD", status=Plan.Status.ADOPTED)
    ActivityFactory(objective=ObjectiveFactory(plan=plan), unit_cost=1000)
    with translation.override("en"):
        regional = regional_figures(today=TODAY)
    line = {line.country.code: line for line in regional.countries}["GM"]
    assert line.problems == ["No exchange rate for GMD on or before 2018-01-01."]
    assert regional.total["budget"] == D(0)


def grow(plan, coordinator, activities, per_activity):
    objectives = [ObjectiveFactory(plan=plan) for _ in range(3)]
    for n in range(activities):
        activity = ActivityFactory(objective=objectives[n % 3], unit_cost=100_000)
        for k in range(per_activity):
            update(activity, coordinator, Status.ONGOING, 10 * k, date(2018, 2, 1 + k))
            spend(activity, coordinator, 1000 + k, currency="EUR" if k % 2 else "XOF")
        IndicatorFactory(objective=activity.objective, baseline=0, target=10)
        Milestone.objects.create(
            objective=activity.objective, step="other", reached_on=date(2018, 3, 1), by=coordinator
        )


def queries_of(function, *args, **kwargs):
    with CaptureQueriesContext(connection) as captured:
        function(*args, **kwargs)
    return len(captured)


def test_the_queries_do_not_grow_with_the_plan(mali, senegal, coordinator):
    small = PlanFactory(country=mali, status=Plan.Status.ADOPTED)
    big = PlanFactory(country=senegal, status=Plan.Status.ADOPTED)
    grow(small, coordinator, 5, 1)
    grow(big, coordinator, 50, 3)
    small_plan, small_regional = queries_of(plan_figures, small), None
    assert queries_of(plan_figures, big) == small_plan
    small_regional = queries_of(regional_figures, today=TODAY)
    grow(PlanFactory(country=mali, status=Plan.Status.ADOPTED), coordinator, 30, 2)
    assert queries_of(regional_figures, today=TODAY) == small_regional
