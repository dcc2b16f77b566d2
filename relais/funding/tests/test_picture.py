"""The gap arithmetic: where a contribution counts, how it rolls up, how it is split and
converted, and that over-funding shows."""

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from relais.core.models import ExchangeRate
from relais.funding import services
from relais.funding.models import Contribution
from relais.funding.picture import funding_picture, split
from relais.plans.tests.factories import FundingSourceFactory, PlanFactory

pytestmark = pytest.mark.django_db
D = Decimal


def pledge(plan, coordinator, partner, amount, currency="XOF", **targets):
    return services.contribution_create(
        plan=plan, by=coordinator, partner=partner, currency=currency, amount=D(amount), **targets
    )


def test_a_contribution_to_an_activity_counts_there_and_rolls_up(plan, tree, coordinator, icmpd):
    first, second, a, b, c = tree
    pledge(plan, coordinator, icmpd, "600000", activities=[(a, D("600000"))])
    picture = funding_picture(plan=plan)
    objective = picture.by_objective[first.pk]
    line = next(line for line in objective.lines if line.pk == a.pk)
    assert (line.figures.budget, line.figures.announced, line.figures.gap) == (
        D(1_000_000),
        D(600_000),
        D(400_000),
    )
    assert objective.total.announced == D(600_000) and objective.total.gap == D(3_400_000)
    assert picture.total.budget == D(6_000_000) and picture.total.gap == D(5_400_000)


def test_a_contribution_to_an_objective_never_rolls_down(plan, tree, coordinator, icmpd):
    first, second, a, b, c = tree
    pledge(plan, coordinator, icmpd, "2500000", objective=first)
    picture = funding_picture(plan=plan)
    objective = picture.by_objective[first.pk]
    assert all(line.figures.announced == 0 for line in objective.lines)
    assert objective.direct.announced == D(2_500_000)
    assert objective.total.gap == D(1_500_000)
    assert picture.total.gap == D(3_500_000)


def test_a_contribution_to_the_whole_plan_counts_only_in_the_plans_total(
    plan, tree, coordinator, icmpd
):
    pledge(plan, coordinator, icmpd, "1000000")
    picture = funding_picture(plan=plan)
    assert picture.direct.announced == D(1_000_000)
    assert all(o.total.announced == 0 for o in picture.objectives)
    assert picture.total.gap == D(5_000_000)


def test_a_split_over_activities_adds_up_to_the_franc(plan, tree, coordinator, icmpd):
    first, second, a, b, c = tree
    pledge(plan, coordinator, icmpd, "1000001", activities=[(a, D("333334")), (c, D("666667"))])
    picture = funding_picture(plan=plan)
    lines = {line.pk: line for o in picture.objectives for line in o.lines}
    assert lines[a.pk].figures.announced + lines[c.pk].figures.announced == D(1_000_001)
    assert picture.total.announced == D(1_000_001)


def test_over_funding_is_shown_not_hidden(plan, tree, coordinator, icmpd, eu):
    first, second, a, b, c = tree
    pledge(plan, coordinator, icmpd, "800000", activities=[(a, D("800000"))])
    pledge(plan, coordinator, eu, "700000", activities=[(a, D("700000"))])
    picture = funding_picture(plan=plan)
    line = next(line for line in picture.by_objective[first.pk].lines if line.pk == a.pk)
    assert line.figures.gap == D(-500_000) and line.figures.over == D(500_000)
    assert line.figures.percent("announced") == 100


def test_a_euro_pledge_to_a_franc_plan_uses_the_peg_and_says_so(plan, tree, coordinator, eu):
    pledge(plan, coordinator, eu, "10000", currency="EUR")
    picture = funding_picture(plan=plan)
    (valued,) = picture.contributions
    assert valued.announced == D(6_559_570)  # 10 000 × 655.957, exact
    assert "655.957" in valued.conversion.describe() or "655,957" in valued.conversion.describe()
    assert picture.total.announced == D(6_559_570)


def test_a_dated_rate_converts_a_euro_pledge_to_a_dalasi_plan(gambia, make_user, eu):
    plan = PlanFactory(country=gambia, currency="GMD")
    ExchangeRate.objects.create(currency="GMD", date=date(2018, 1, 1), units_per_euro=D("55.5"))
    ExchangeRate.objects.create(currency="GMD", date=date(2018, 6, 1), units_per_euro=D("60"))
    coordinator = make_user("coordinator", gambia)
    services.contribution_create(
        plan=plan,
        by=coordinator,
        partner=eu,
        currency="EUR",
        amount=D("1000.01"),
        announced_on=date(2018, 3, 15),
    )
    (valued,) = funding_picture(plan=plan).contributions
    assert valued.announced == D("55500.56")  # 1000.01 × 55.5 = 55 500.555, rounded half up
    assert "2018-01-01" in valued.conversion.describe()


def test_confirmed_and_disbursed_count_at_the_agreements_figures(plan, tree, coordinator, icmpd):
    first, second, a, b, c = tree
    contribution = pledge(plan, coordinator, icmpd, "1000000", activities=[(b, D("1000000"))])
    services.contribution_confirm(
        contribution=contribution, by=coordinator, amount=D("900000"), signed_on=date(2018, 2, 1)
    )
    services.disbursement_create(
        contribution=contribution, by=coordinator, paid_on=date(2018, 3, 1), amount=D("400000")
    )
    line = next(line for line in funding_picture(plan=plan).objectives[0].lines if line.pk == b.pk)
    assert (line.figures.announced, line.figures.confirmed, line.figures.disbursed) == (
        D(900_000),
        D(900_000),
        D(400_000),
    )


def test_in_kind_counts_in_money_only_with_a_value(plan, tree, coordinator, icmpd, eu):
    services.contribution_create(
        plan=plan, by=coordinator, partner=icmpd, currency="XOF", kind="technical"
    )
    services.contribution_create(
        plan=plan, by=coordinator, partner=eu, currency="XOF", kind="in_kind", amount=D(250000)
    )
    assert funding_picture(plan=plan).total.announced == D(250_000)


def test_a_withdrawn_contribution_counts_no_more(plan, tree, coordinator, icmpd):
    contribution = pledge(plan, coordinator, icmpd, "1000000")
    services.contribution_withdraw(contribution=contribution, by=coordinator, reason="Budget cut")
    assert funding_picture(plan=plan).total.announced == 0
    only_withdrawn = funding_picture(plan=plan, status=Contribution.Status.WITHDRAWN)
    assert only_withdrawn.total.announced == D(1_000_000)


def test_filter_by_partner(plan, tree, coordinator, icmpd, eu):
    pledge(plan, coordinator, icmpd, "1000000")
    pledge(plan, coordinator, eu, "250000")
    assert funding_picture(plan=plan, partners={eu.pk}).total.announced == D(250_000)
    assert funding_picture(plan=plan, partners={None}).total.announced == 0


def test_planned_sources_show_as_expected_until_their_funder_announces(
    plan, tree, coordinator, icmpd
):
    first, second, a, b, c = tree
    FundingSourceFactory(activity=a, organisation=icmpd, amount=D(700000))
    FundingSourceFactory(activity=c, organisation=None, amount=D(500000))
    assert funding_picture(plan=plan).total.expected == D(1_200_000)
    pledge(plan, coordinator, icmpd, "700000", activities=[(a, D(700000))])
    assert funding_picture(plan=plan).total.expected == D(500_000)


def test_what_starts_soonest_without_confirmed_funding_comes_first(plan, tree, coordinator, icmpd):
    first, second, a, b, c = tree  # a in April, b in February, c in July
    contribution = pledge(plan, coordinator, icmpd, "100000", activities=[(b, D(100000))])
    assert [line.pk for line in funding_picture(plan=plan).unfunded] == [b.pk, a.pk, c.pk]
    services.contribution_confirm(
        contribution=contribution, by=coordinator, amount=D(100000), signed_on=date(2018, 1, 5)
    )
    assert [line.pk for line in funding_picture(plan=plan).unfunded] == [a.pk, c.pk]


@given(
    amount=st.integers(1, 10**12),
    shares=st.lists(st.integers(1, 10**9), min_size=1, max_size=12),
)
def test_split_always_adds_up_and_stays_in_proportion(amount, shares):
    parts = split(D(amount), [D(s) for s in shares], "XOF")
    assert sum(parts) == amount
    exact = [D(amount) * s / sum(shares) for s in shares]
    assert all(abs(part - value) < 1 for part, value in zip(parts, exact, strict=True))
