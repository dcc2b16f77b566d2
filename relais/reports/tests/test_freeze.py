"""A submitted report keeps the figures it was sent with: new expenditures validated, new
instalments paid and new activity updates change the data, a draft and a new report of the
same period, but never the submitted report (its page, its documents' figures, its checksum);
its page says that the data have changed since, and what a new report would show."""

import copy
import hashlib
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from relais.core.money import format_money
from relais.countries.models import Organisation
from relais.countries.tests.factories import OrganisationFactory
from relais.funding.models import Contribution, Disbursement
from relais.monitoring.models import ActivityUpdate, Expenditure
from relais.plans.models import Plan
from relais.plans.tests.factories import plan_with_content
from relais.reports import services
from relais.reports.documents import figures_of
from relais.reports.figures import canonical_json, checksum, report_figures
from relais.reports.views.reports import dated

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def coordinator(make_user, mali):
    return make_user("coordinator", mali)


@pytest.fixture
def icmpd(db):
    return OrganisationFactory(acronym="ICMPD", kind=Organisation.Kind.PARTNER, country=None)


@pytest.fixture
def plan(mali, icmpd):
    return plan_with_content(mali, status=Plan.Status.ADOPTED, funder=icmpd)


@pytest.fixture
def activities(plan):
    first, second = plan.objectives.order_by("position")
    return [*first.activities.order_by("position"), *second.activities.order_by("position")]


@pytest.fixture
def contribution(plan, icmpd):
    return Contribution.objects.create(
        plan=plan,
        partner=icmpd,
        currency="XOF",
        amount=D(2_000_000),
        status=Contribution.Status.CONFIRMED,
        confirmed_amount=D(2_000_000),
        announced_on=date(2018, 1, 10),
        signed_on=date(2018, 2, 1),
    )


def spend(activity, by, amount, on, contribution=None):
    return Expenditure.objects.create(
        activity=activity,
        contribution=contribution,
        amount=D(amount),
        currency="XOF",
        spent_on=on,
        description="Salle et restauration",
        status=Expenditure.Status.VALIDATED,
        entered_by=by,
        validated_by=by,
    )


@pytest.fixture
def year_2018(plan, activities, coordinator, contribution):
    """What happened in 2018: activity 1.1 done, 600 000 FCFA spent, 1 000 000 paid by ICMPD."""
    ActivityUpdate.objects.create(
        activity=activities[0],
        status="done",
        percent_done=100,
        on=date(2018, 3, 30),
        by=coordinator,
    )
    spend(activities[0], coordinator, 600_000, date(2018, 3, 28), contribution)
    Disbursement.objects.create(
        contribution=contribution, paid_on=date(2018, 2, 15), amount=D(1_000_000)
    )


def change_the_data(activities, coordinator, contribution):
    """Later: another expenditure validated, an instalment and an update, all dated 2018."""
    spend(activities[1], coordinator, 250_000, date(2018, 6, 20))
    Disbursement.objects.create(
        contribution=contribution, paid_on=date(2018, 9, 1), amount=D(500_000)
    )
    ActivityUpdate.objects.create(
        activity=activities[1],
        status="done",
        percent_done=100,
        on=date(2018, 6, 30),
        by=coordinator,
    )


def test_a_submitted_report_does_not_move_when_the_data_do(
    client, plan, activities, coordinator, contribution, icmpd, year_2018
):
    report = services.report_create(
        plan=plan,
        by=coordinator,
        kind="progress",
        period_start=date(2018, 1, 1),
        period_end=date(2018, 12, 31),
    )
    draft = services.report_create(
        plan=plan,
        by=coordinator,
        kind="progress",
        period_start=date(2018, 1, 1),
        period_end=date(2018, 12, 31),
    )
    client.force_login(coordinator)
    client.post(reverse("reports:submit", args=[report.pk]), {"addressees": [icmpd.pk]})
    report.refresh_from_db()
    assert report.status == "submitted"
    frozen = copy.deepcopy(report.figures)
    sealed = report.checksum
    assert frozen["budget"]["total"]["spent"] == "600000.00"
    assert frozen["activities"]["counts"]["done"] == 1
    page = client.get(reverse("reports:detail", args=[report.pk]))
    shown = page.context["figures"]
    assert 'id="changes"' not in page.content.decode()

    change_the_data(activities, coordinator, contribution)

    # The data moved: a draft and a new report of the same period show it…
    now = report_figures(
        plan=plan, start=date(2018, 1, 1), end=date(2018, 12, 31), language=report.language
    )
    assert now["budget"]["total"]["spent"] == "850000.00"
    assert now["activities"]["counts"]["done"] == 2
    assert figures_of(draft)["budget"]["total"]["spent"] == "850000.00"
    # …the submitted report does not: stored, as its documents read it, on its page.
    report.refresh_from_db()
    assert report.figures == frozen
    assert report.checksum == sealed == checksum(frozen)
    assert hashlib.sha256(canonical_json(report.figures)).hexdigest() == report.checksum
    assert figures_of(report) == frozen
    page = client.get(reverse("reports:detail", args=[report.pk]))
    assert page.context["figures"] == shown == dated(frozen)
    html = page.content.decode()
    assert sealed in html
    # The page says the data have changed, and what a new report would show.
    assert 'id="changes"' in html
    with translation.override("en"):  # the labels, whatever language the request left active
        changes = {
            str(label): (then, now, changed)
            for label, _k, then, now, changed in page.context["changes"]
        }
    assert changes["Spent up to the end of the period"] == ("600000.00", "850000.00", True)
    assert changes["Activities done in the period"] == (1, 2, True)
    section = html[html.index('id="changes"') :]
    assert format_money(D(600_000), "XOF", "fr") in section
    assert format_money(D(850_000), "XOF", "fr") in section


def test_nothing_but_the_narrative_moves_a_draft_and_its_figures_follow_the_data(
    plan, activities, coordinator, contribution, year_2018
):
    draft = services.report_create(
        plan=plan,
        by=coordinator,
        kind="progress",
        period_start=date(2018, 1, 1),
        period_end=date(2018, 12, 31),
    )
    assert draft.figures is None and draft.checksum == ""
    before = figures_of(draft)
    change_the_data(activities, coordinator, contribution)
    after = figures_of(draft)
    assert before["budget"]["total"]["spent"] == "600000.00"
    assert after["budget"]["total"]["spent"] == "850000.00"
    draft.refresh_from_db()
    assert draft.figures is None
