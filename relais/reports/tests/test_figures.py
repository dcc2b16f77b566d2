"""The figures of a report for a period: what counts at the period's boundaries (first and last
day in, the day before and after out), late activities at the month boundary, totals that are
the exact sums of their rows and the same as the plan's pages, stable canonical JSON, an empty
period said, Arabic labels, and queries that do not grow with the plan."""

import hashlib
import json
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from django.utils.translation import gettext

from relais.countries.models import Organisation
from relais.countries.tests.factories import OrganisationFactory
from relais.events.models import Event
from relais.funding.models import Contribution, ContributionTarget, Disbursement
from relais.funding.picture import funding_picture
from relais.monitoring.figures import plan_figures
from relais.monitoring.models import ActivityUpdate, Expenditure, IndicatorValue, Milestone
from relais.plans.models import Plan
from relais.plans.tests.factories import (
    ActivityFactory,
    IndicatorFactory,
    ObjectiveFactory,
    PlanFactory,
)
from relais.reports.figures import canonical_json, checksum, report_figures
from relais.workshops.models import Participant, Participation

pytestmark = pytest.mark.django_db
D = Decimal
Status = ActivityUpdate.Status
START, END = date(2018, 4, 1), date(2018, 6, 30)  # the second quarter of 2018
BEFORE, AFTER = date(2018, 3, 31), date(2018, 7, 1)


def figures_of(plan, start=START, end=END, **options):
    options.setdefault("language", "en")
    return report_figures(plan=plan, start=start, end=end, **options)


def update(activity, by, status, on, percent=50):
    return ActivityUpdate.objects.create(
        activity=activity, status=status, percent_done=percent, on=on, by=by
    )


def spend(activity, by, amount, on, currency="XOF", status=Expenditure.Status.VALIDATED, **fields):
    return Expenditure.objects.create(
        activity=activity,
        amount=D(amount),
        currency=currency,
        spent_on=on,
        description="Location de salle et restauration",
        status=status,
        entered_by=by,
        **fields,
    )


def workshop(country, on, people=(), title="Atelier", **fields):
    event = Event.objects.create(
        kind=Event.Kind.TRAINING, country=country, title=title, starts_on=on, **fields
    )
    for person in people:
        Participation.objects.create(event=event, participant=person)
    return event


def codes(rows):
    return [row["code"] for row in rows]


def amount(value):
    return D(value) if value is not None else D(0)


def total_of(rows, name):
    return sum((amount(row[name]) for row in rows), D(0))


@pytest.fixture
def coordinator(make_user, mali):
    return make_user("coordinator", mali)


@pytest.fixture
def plan(mali):
    return PlanFactory(country=mali, currency="XOF", status=Plan.Status.ADOPTED)


@pytest.fixture
def tree(plan):
    """OS1: 1.1 (1 000 000, planned Jan–Mar 2018) and 1.2 (3 000 000, May–Jun 2018); OS2: 2.1
    (2 000 000, May 2018) and 2.2 (4 000 000, Jan 2019)."""
    first, second = ObjectiveFactory(plan=plan), ObjectiveFactory(plan=plan)
    a = ActivityFactory(objective=first, unit_cost=1_000_000, months=["2018-01", "2018-03"])
    b = ActivityFactory(objective=first, unit_cost=3_000_000, months=["2018-05", "2018-06"])
    c = ActivityFactory(objective=second, unit_cost=2_000_000, months=["2018-05"])
    d = ActivityFactory(objective=second, unit_cost=4_000_000, months=["2019-01"])
    return a, b, c, d


@pytest.fixture
def icmpd(db):
    return OrganisationFactory(acronym="ICMPD", kind=Organisation.Kind.PARTNER, country=None)


@pytest.fixture
def people(db):
    return [
        Participant.objects.create(full_name="Awa Traoré", sex="F", organisation_kind="cso"),
        Participant.objects.create(full_name="Moussa Keïta", sex="M", organisation_kind="cso"),
        Participant.objects.create(full_name="Fatou Diallo", sex="F", organisation_kind="ministry"),
        Participant.objects.create(full_name="Sans Sexe", sex="", organisation_kind="cso"),
    ]


@pytest.fixture
def funded(plan, tree, coordinator, icmpd):
    """A confirmed contribution of ICMPD in euros (half to activity 1.2, half to the plan), a
    pledge of the state in FCFA, and instalments paid on both sides of each boundary."""
    a, b, c, d = tree
    euros = Contribution.objects.create(
        plan=plan,
        partner=icmpd,
        currency="EUR",
        amount=D(3000),
        status=Contribution.Status.CONFIRMED,
        confirmed_amount=D(2000),
        announced_on=date(2018, 1, 10),
        signed_on=date(2018, 2, 1),
    )
    ContributionTarget.objects.create(contribution=euros, activity=b, share=D(1000))
    state = Contribution.objects.create(
        plan=plan, partner=None, currency="XOF", amount=D(2_500_000), announced_on=date(2018, 1, 5)
    )
    withdrawn = Contribution.objects.create(
        plan=plan,
        partner=icmpd,
        currency="XOF",
        amount=D(900_000),
        status=Contribution.Status.WITHDRAWN,
        announced_on=date(2018, 1, 5),
        withdrawn_on=date(2018, 2, 5),
    )
    for contribution, on, paid in (
        (euros, BEFORE, 100),
        (euros, START, "200.55"),
        (euros, END, 300),
        (euros, AFTER, 400),
        (state, START, 500_000),
        (withdrawn, START, 10_000),  # outside the picture's figures, as on the funding page
    ):
        Disbursement.objects.create(contribution=contribution, paid_on=on, amount=D(paid))
    return euros, state


# Activities ----------------------------------------------------------------------------------


def test_an_update_on_the_first_or_last_day_counts_the_day_before_or_after_does_not(
    plan, tree, coordinator
):
    a, b, c, d = tree
    update(a, coordinator, Status.DONE, START)
    update(b, coordinator, Status.DONE, END)
    update(c, coordinator, Status.DONE, BEFORE)
    update(d, coordinator, Status.ONGOING, BEFORE)
    update(d, coordinator, Status.DONE, AFTER)  # after the period: d is still ongoing then

    figures = figures_of(plan)
    activities = figures["activities"]

    assert codes(activities["done"]) == ["1.1", "1.2"]
    assert codes(activities["ongoing"]) == ["2.2"]
    assert activities["ongoing"][0]["on"] == "2018-03-31"
    assert activities["done"][0] == {
        "code": "1.1",
        "title": a.title,
        "objective": "OS1",
        "status": "done",
        "status_label": "Done",
        "percent": 100,
        "planned": "2018-03-31",
        "on": "2018-04-01",
    }
    counts = activities["counts"]
    assert (counts["done"], counts["done_before"], counts["ongoing"]) == (2, 1, 1)
    assert counts["total"] == 4
    assert figures["empty"] is False


def test_an_update_outside_the_period_alone_leaves_it_empty(plan, tree, coordinator):
    a, b, c, d = tree
    update(a, coordinator, Status.ONGOING, BEFORE)
    update(b, coordinator, Status.ONGOING, AFTER)
    assert figures_of(plan)["empty"] is True
    update(c, coordinator, Status.ONGOING, END)
    assert figures_of(plan)["empty"] is False


def test_an_activity_planned_to_end_in_the_periods_last_month_is_not_late_yet(plan, coordinator):
    objective = ObjectiveFactory(plan=plan)
    on_time = ActivityFactory(objective=objective, months=["2018-06"])  # the last month
    late = ActivityFactory(objective=objective, months=["2018-04", "2018-05"])  # the one before
    ongoing = ActivityFactory(objective=objective, months=["2018-02"])
    cancelled = ActivityFactory(objective=objective, months=["2018-02"])
    done = ActivityFactory(objective=objective, months=["2018-02"])
    ActivityFactory(objective=objective, months=[])  # no chronogram: never late
    update(ongoing, coordinator, Status.ONGOING, START)
    update(cancelled, coordinator, Status.CANCELLED, START)
    update(done, coordinator, Status.DONE, BEFORE)
    update(on_time, coordinator, Status.POSTPONED, START)

    activities = figures_of(plan)["activities"]

    assert codes(activities["late"]) == [late.code, ongoing.code]
    assert activities["late"][0]["status"] == "not_started"
    assert activities["late"][0]["planned"] == "2018-05-31"
    assert codes(activities["ongoing"]) == [ongoing.code]  # late and ongoing both
    counts = activities["counts"]
    assert counts["late"] == 2
    assert (counts["not_started"], counts["postponed"], counts["cancelled"]) == (2, 1, 1)
    assert counts["total"] == sum(
        counts[name]
        for name in ("done", "done_before", "ongoing", "not_started", "postponed", "cancelled")
    )
    # The month after: the one planned for June is late now, unless it is done.
    assert on_time.code in codes(figures_of(plan, end=date(2018, 7, 31))["activities"]["late"])


# Budget and execution ------------------------------------------------------------------------


def test_completion_by_objective_is_the_dashboards_at_the_periods_end(plan, tree, coordinator):
    """Weighted by cost, from each activity's latest update by the period's end; a cancelled
    activity leaves the count; an update after the period does not count."""
    a, b, c, d = tree  # OS1: 1 000 000 and 3 000 000; OS2: 2 000 000 and 4 000 000
    update(a, coordinator, Status.DONE, START, percent=100)
    update(b, coordinator, Status.ONGOING, END, percent=40)
    update(b, coordinator, Status.DONE, AFTER, percent=100)  # after the period
    update(c, coordinator, Status.CANCELLED, START, percent=0)
    update(d, coordinator, Status.ONGOING, START, percent=50)
    budget = figures_of(plan)["budget"]
    first, second = budget["objectives"]
    assert first["completion"] == "55.0"  # (1 000 000 × 100 + 3 000 000 × 40) / 4 000 000
    assert second["completion"] == "50.0"  # 2.1 cancelled: 2.2 alone
    assert budget["total"]["completion"] == "52.5"  # (100 + 120 + 200) / 8 × 100 %
    whole = figures_of(plan, start=plan.period_start, end=plan.period_end)
    assert whole["budget"]["total"]["completion"] == str(plan_figures(plan).total.completion)


def test_expenditures_count_on_the_first_and_last_day_validated_only(plan, tree, coordinator):
    a, b, c, d = tree
    spend(a, coordinator, 100_000, BEFORE)  # spent by the end, not in the period
    spend(a, coordinator, 200_000, START)
    spend(b, coordinator, 1000, END, currency="EUR")  # 655 957 FCFA at the peg
    spend(c, coordinator, 400_000, AFTER)  # after the period: not at all
    spend(c, coordinator, 800_000, START, status=Expenditure.Status.DRAFT)  # not validated
    wrong = spend(d, coordinator, 90_000, END, status=Expenditure.Status.CORRECTED)
    spend(d, coordinator, 60_000, END, corrects=wrong, correction_reason="Facture refaite")

    budget = figures_of(plan)["budget"]
    first, second = budget["objectives"]

    assert first == {
        "code": "OS1",
        "statement": a.objective.statement,
        "budget": "4000000.00",
        "spent_period": "855957.00",
        "spent": "955957.00",
        "execution": "23.9",
        "completion": "0.0",  # no activity updated
    }
    assert (second["spent_period"], second["spent"], second["execution"]) == (
        "60000.00",
        "60000.00",
        "1.0",
    )
    assert budget["total"] == {
        "budget": "10000000.00",
        "spent_period": "915957.00",
        "spent": "1015957.00",
        "execution": "10.2",
        "completion": "0.0",
    }


def test_the_funding_figures_are_the_funding_pictures_with_the_periods_disbursements(
    plan, tree, coordinator, funded, icmpd
):
    a, b, c, d = tree
    euros, state = funded
    spend(b, coordinator, 327_979, START, contribution=euros)
    spend(a, coordinator, 50_000, END, contribution=state)
    spend(a, coordinator, 25_000, END)  # the state's own budget, no contribution

    figures = figures_of(plan)
    funding = figures["funding"]
    picture = funding_picture(plan=plan).total

    assert [(row["date"], row["partner"], row["amount"], row["amount_plan"]) for row in
            funding["disbursements"]] == [
        ("2018-04-01", "ICMPD", "200.55", "131552.00"),  # 200.55 × 655.957 = 131 552.16
        ("2018-04-01", "State budget", "500000.00", "500000.00"),
        ("2018-06-30", "ICMPD", "300.00", "196787.00"),
    ]  # fmt: skip
    total = funding["total"]
    assert D(total["budget"]) == picture.budget == D(10_000_000)
    assert D(total["announced"]) == picture.announced == D(1_311_914) + D(2_500_000)
    assert D(total["confirmed"]) == picture.confirmed == D(1_311_914)
    # 1 000.55 EUR paid in all (at the peg: 656 317.78) and 500 000 FCFA.
    assert D(total["disbursed"]) == picture.disbursed == D(656_318) + D(500_000)
    assert D(total["gap"]) == picture.gap
    assert D(total["disbursed_period"]) == D(131_552 + 500_000 + 196_787)
    state_row, icmpd_row = funding["contributions"]  # in the order they were announced
    assert icmpd_row == {
        "partner": "ICMPD",
        "kind_label": "Financial",
        "status_label": "Confirmed",
        "currency": "EUR",
        "amount": "2000.00",
        "amount_plan": "1311914.00",
        "confirmed_plan": "1311914.00",
        "disbursed_plan": "656318.00",
        "disbursed_period_plan": "328339.00",
    }
    assert state_row["confirmed_plan"] is None and state_row["status_label"] == "Announced"

    sources = {row["name"]: row for row in figures["budget"]["sources"]}
    assert [row["name"] for row in figures["budget"]["sources"]] == ["State budget", "ICMPD"]
    assert sources["State budget"] == {
        "name": "State budget",
        "currency": "XOF",
        "disbursed": "500000.00",
        "spent": "75000.00",
        "execution": "15.0",
    }
    assert (sources["ICMPD"]["disbursed"], sources["ICMPD"]["spent"]) == (
        "656318.00",
        "327979.00",
    )
    assert sources["ICMPD"]["execution"] == "50.0"


def test_every_total_is_the_sum_of_its_rows_and_the_plans_pages_total(
    plan, tree, coordinator, funded, people, mali
):
    a, b, c, d = tree
    euros, state = funded
    spend(a, coordinator, 100_000, date(2018, 2, 1))
    spend(b, coordinator, 333, START, currency="EUR", contribution=euros)
    spend(c, coordinator, 12_345, END, contribution=state)
    spend(d, coordinator, 7, date(2019, 12, 31), currency="EUR")
    workshop(mali, START, people[:3])
    workshop(mali, END, people[1:])

    whole = figures_of(plan, start=plan.period_start, end=plan.period_end)
    for figures in (figures_of(plan), whole):
        budget, funding = figures["budget"], figures["funding"]
        for name in ("budget", "spent_period", "spent"):
            assert D(budget["total"][name]) == total_of(budget["objectives"], name)
        assert D(budget["total"]["spent"]) == total_of(budget["sources"], "spent")
        assert D(funding["total"]["disbursed"]) == total_of(budget["sources"], "disbursed")
        contributions = funding["contributions"]
        for total, column in (
            ("announced", "amount_plan"),
            ("confirmed", "confirmed_plan"),
            ("disbursed", "disbursed_plan"),
            ("disbursed_period", "disbursed_period_plan"),
        ):
            assert D(funding["total"][total]) == total_of(contributions, column)
        assert D(funding["total"]["disbursed_period"]) == total_of(
            funding["disbursements"], "amount_plan"
        )
        assert D(funding["total"]["gap"]) == D(funding["total"]["budget"]) - D(
            funding["total"]["announced"]
        )
        training = figures["training"]
        by_kind = training["by_organisation_type"]
        for name in ("women", "men", "not_stated"):
            assert training[name] == sum(row[name] for row in by_kind)
        assert training["people"] == sum(row["total"] for row in by_kind)
        assert training["participations"] == sum(w["participants"] for w in training["workshops"])

    # Over the whole plan, the totals are those of the plan's pages.
    dashboard = plan_figures(plan)
    assert D(whole["budget"]["total"]["budget"]) == dashboard.total.budget == D(10_000_000)
    assert D(whole["budget"]["total"]["spent"]) == dashboard.total.spent
    assert whole["budget"]["total"]["execution"] == str(dashboard.total.execution)
    assert D(whole["funding"]["total"]["gap"]) == dashboard.funding.gap
    assert whole["training"]["people"] == dashboard.trained["people"] == 4


# Indicators, milestones, workshops -----------------------------------------------------------


def test_indicator_values_milestones_and_workshops_count_within_the_period(
    plan, tree, coordinator, people, mali
):
    first = plan.objectives.order_by("position")[0]
    indicator = IndicatorFactory(objective=first, baseline=D(10), target=D(30), unit="people")
    stale = IndicatorFactory(objective=first, baseline=None, target=None)
    for start, end, value in (
        (date(2018, 1, 1), BEFORE, 15),
        (START, END, 20),
        (AFTER, date(2018, 9, 30), 29),
    ):
        IndicatorValue.objects.create(
            indicator=indicator, period_start=start, period_end=end, value=D(value)
        )
    IndicatorValue.objects.create(
        indicator=stale, period_start=date(2018, 1, 1), period_end=BEFORE, value=D(4)
    )
    for on, step in ((BEFORE, "target_met"), (START, "commitment"), (END, "text_drafted")):
        Milestone.objects.create(objective=first, step=step, reached_on=on, by=coordinator)
    Milestone.objects.create(objective=first, step="text_adopted", reached_on=AFTER, by=coordinator)
    awa, moussa, fatou, unknown = people
    workshop(mali, BEFORE, [awa], title="Avant")
    workshop(mali, START, [awa, moussa], title="Premier jour", city="Kayes")
    workshop(mali, END, [awa, fatou, unknown], title="Dernier jour", ends_on=AFTER)
    workshop(mali, AFTER, [moussa], title="Après")

    figures = figures_of(plan)

    assert figures["indicators"] == [
        {
            "code": "OS1",
            "name": indicator.name,
            "unit": "people",
            "baseline": "10.00",
            "target": "30.00",
            "value": "20.00",
            "value_period": "20.00",
            "progress": "50.0",
            "from_workshops": False,
        },
        {
            "code": "OS1",
            "name": stale.name,
            "unit": "",
            "baseline": None,
            "target": None,
            "value": "4.00",
            "value_period": None,  # measured before the period
            "progress": None,
            "from_workshops": False,
        },
    ]
    assert [(m["date"], m["step"], m["step_label"]) for m in figures["milestones"]] == [
        ("2018-04-01", "commitment", "Public commitment obtained"),
        ("2018-06-30", "text_drafted", "Text drafted"),
    ]
    training = figures["training"]
    assert [w["title"] for w in training["workshops"]] == ["Premier jour", "Dernier jour"]
    assert training["workshops"][1] == {
        "title": "Dernier jour",
        "kind_label": "Training workshop",
        "starts_on": "2018-06-30",
        "ends_on": "2018-07-01",
        "city": "",
        "participants": 3,
        "women": 2,
        "men": 0,
    }
    assert (training["people"], training["participations"]) == (4, 5)
    assert (training["women"], training["men"], training["not_stated"]) == (2, 1, 1)
    by_kind = {row["label"]: row for row in training["by_organisation_type"]}
    with translation.override("en"):
        ngo = by_kind[str(Organisation.Kind("cso").label)]
    assert (ngo["women"], ngo["men"], ngo["not_stated"], ngo["total"]) == (1, 1, 1, 3)
    assert figures["empty"] is False


@pytest.mark.parametrize(
    "happening",
    ["update", "expenditure", "disbursement", "indicator", "milestone", "workshop"],
)
def test_one_thing_dated_in_the_period_is_enough_for_it_not_to_be_empty(
    plan, tree, coordinator, mali, happening
):
    a = tree[0]
    assert figures_of(plan)["empty"] is True
    if happening == "update":
        update(a, coordinator, Status.ONGOING, END)
    elif happening == "expenditure":
        spend(a, coordinator, 1000, START)
    elif happening == "disbursement":
        contribution = Contribution.objects.create(
            plan=plan, currency="XOF", amount=D(5000), announced_on=date(2018, 1, 1)
        )
        Disbursement.objects.create(contribution=contribution, paid_on=END, amount=D(5000))
    elif happening == "indicator":
        IndicatorValue.objects.create(
            indicator=IndicatorFactory(objective=a.objective),
            period_start=START,
            period_end=END,
            value=D(1),
        )
    elif happening == "milestone":
        Milestone.objects.create(
            objective=a.objective, step="other", reached_on=START, by=coordinator
        )
    else:
        workshop(mali, START)
    assert figures_of(plan)["empty"] is False


def test_an_empty_period_says_so_with_every_key_present(plan, tree):
    figures = figures_of(plan, start=date(2019, 7, 1), end=date(2019, 9, 30))
    assert figures["empty"] is True
    assert figures["activities"]["done"] == [] and figures["funding"]["disbursements"] == []
    assert figures["milestones"] == [] and figures["training"]["workshops"] == []
    assert set(figures) >= {
        "version",
        "plan",
        "period",
        "activities",
        "budget",
        "funding",
        "indicators",
        "milestones",
        "training",
        "empty",
    }
    assert figures["period"] == {
        "start": "2019-07-01",
        "end": "2019-09-30",
        "label": "From July 1, 2019 to Sept. 30, 2019",
        "kind": "progress",
    }
    assert figures["plan"]["country"] == "Mali" and figures["plan"]["currency"] == "XOF"
    assert figures["plan"]["body"] == "Comité national de lutte contre la traite des personnes"


# JSON, checksum, languages -------------------------------------------------------------------


def reordered(value):
    """The same figures with every dict's keys inserted in the reverse order."""
    if isinstance(value, dict):
        return {key: reordered(value[key]) for key in reversed(list(value))}
    if isinstance(value, list):
        return [reordered(item) for item in value]
    return value


def test_figures_are_json_and_their_canonical_form_is_stable(
    plan, tree, coordinator, funded, people, mali
):
    update(tree[0], coordinator, Status.DONE, START)
    spend(tree[1], coordinator, "1234.56", END, currency="EUR")
    workshop(mali, START, people)

    figures = figures_of(plan, kind="final")

    assert json.loads(json.dumps(figures)) == figures  # plain JSON types only
    again = canonical_json(figures_of(plan, kind="final"))
    assert canonical_json(figures) == again
    assert canonical_json(reordered(figures)) == again
    assert (
        again
        == json.dumps(figures, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()
    )
    assert again.decode("utf-8").startswith('{"activities":')
    assert "Keïta" not in again.decode() and "é" in again.decode()  # UTF-8, not \u escapes
    assert checksum(figures) == hashlib.sha256(again).hexdigest()
    assert len(checksum(figures)) == 64
    assert figures["period"]["kind"] == "final"
    with pytest.raises(TypeError):
        canonical_json({"amount": D(1)})  # a Decimal never slips into frozen figures


def test_labels_come_out_in_the_reports_language(plan, tree, coordinator, funded):
    update(tree[0], coordinator, Status.DONE, START)

    arabic = figures_of(plan, language="ar")
    french = figures_of(plan, language="fr")

    with translation.override("ar"):
        done, state = gettext("Done"), gettext("State budget")
    label = arabic["activities"]["done"][0]["status_label"]
    assert label == done and label != "Done"
    assert any("\u0600" <= char <= "\u06ff" for char in label)
    assert arabic["budget"]["sources"][0]["name"] == state
    assert arabic["language"] == "ar" and arabic["plan"]["country"] != "Mali"
    with translation.override("fr"):
        assert french["activities"]["done"][0]["status_label"] == gettext("Done")
    assert french["plan"]["country"] == "Mali"
    # The figures themselves do not change with the language.
    assert arabic["budget"]["total"] == french["budget"]["total"]


# Queries -------------------------------------------------------------------------------------


def grow(plan, coordinator, activities, icmpd):
    """A plan with `activities` activities, each updated, spent on (in FCFA and in euros),
    measured, with milestones, contributions, instalments and a workshop."""
    objectives = [ObjectiveFactory(plan=plan) for _ in range(3)]
    euros = Contribution.objects.create(
        plan=plan,
        partner=icmpd,
        currency="EUR",
        amount=D(5000),
        announced_on=date(2018, 1, 10),
    )
    for n in range(activities):
        activity = ActivityFactory(objective=objectives[n % 3], unit_cost=100_000)
        update(activity, coordinator, Status.ONGOING, date(2018, 4, 1 + n % 28))
        spend(activity, coordinator, 1000 + n, START)
        spend(activity, coordinator, 10 + n, END, currency="EUR", contribution=euros)
        indicator = IndicatorFactory(objective=activity.objective, baseline=0, target=10)
        IndicatorValue.objects.create(
            indicator=indicator, period_start=START, period_end=END, value=D(n % 10)
        )
        Milestone.objects.create(
            objective=activity.objective, step="other", reached_on=START, by=coordinator
        )
        Disbursement.objects.create(contribution=euros, paid_on=END, amount=D(10))
    people = [Participant.objects.create(full_name=f"P {n}", sex="F") for n in range(activities)]
    workshop(plan.country, START, people)


def test_the_queries_do_not_grow_with_the_plan(
    mali, senegal, coordinator, icmpd, django_assert_max_num_queries
):
    small = PlanFactory(country=mali, status=Plan.Status.ADOPTED)
    big = PlanFactory(country=senegal, status=Plan.Status.ADOPTED)
    grow(small, coordinator, 5, icmpd)
    grow(big, coordinator, 50, icmpd)

    with CaptureQueriesContext(connection) as captured:
        small_figures = figures_of(small)
    assert len(small_figures["activities"]["ongoing"]) == 5
    with django_assert_max_num_queries(len(captured)):
        big_figures = figures_of(big)
    assert len(big_figures["activities"]["ongoing"]) == 50
    assert len(big_figures["funding"]["disbursements"]) == 50
    assert big_figures["training"]["people"] == 50
    # The plan; the funding picture's seven; the activities with their latest update; the
    # expenditures and their rates; the period's instalments and theirs; indicators; milestones;
    # the workshops and the people they trained (three).
    assert len(captured) == 18
