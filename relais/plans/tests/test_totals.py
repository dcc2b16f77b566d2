"""A plan's money: each line rounded once, totals that add up exactly whichever way they are cut
(objective, funding source, year, quarter, month), and never a float."""

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from relais.core.money import quantum, to_decimal
from relais.countries.models import Organisation
from relais.countries.tests.factories import CountryFactory, OrganisationFactory
from relais.plans import services
from relais.plans.forms import ActivityForm
from relais.plans.models import Activity, months_between
from relais.plans.selectors import plan_tree
from relais.plans.totals import quarter_of, spread


@pytest.fixture
def coordinator(make_user, mali):
    return make_user("coordinator", mali)


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
def gambia_plan(db, make_user):
    gambia = CountryFactory(code="GM", name="Gambia", currency="GMD")
    coordinator = make_user("coordinator", gambia)
    return services.plan_create(
        country=gambia,
        by=coordinator,
        title="Advocacy action plan 2018-2019",
        period_start=date(2018, 1, 1),
        period_end=date(2019, 12, 31),
    )


def add_activity(plan, *, unit_cost, quantity="1", months=("2018-03",), funding=(), objective=None):
    objective = objective or services.objective_create(
        plan=plan, by=None, statement="Renforcer le cadre juridique"
    )
    return services.activity_create(
        objective=objective,
        by=None,
        title="Atelier",
        months=list(months),
        unit_cost=Decimal(unit_cost),
        quantity=Decimal(quantity),
        funding=funding,
    )


# Lines -----------------------------------------------------------------------------------------


def test_a_line_is_rounded_half_up_to_the_franc(plan):
    activity = add_activity(plan, unit_cost="333.50")
    assert activity.total == Decimal("334")
    activity.refresh_from_db()
    assert activity.total == Decimal("334")


def test_a_line_is_rounded_half_up_to_the_cent_in_dalasi(gambia_plan):
    # 0.15 × 66.70 = 10.005 exactly: half up gives 10.01 (banker's rounding would give 10.00).
    activity = add_activity(gambia_plan, unit_cost="0.15", quantity="66.70")
    assert activity.total == Decimal("10.01")
    activity.refresh_from_db()
    assert activity.total == Decimal("10.01")


def test_a_half_franc_below_the_middle_rounds_down(plan):
    assert add_activity(plan, unit_cost="333.49").total == Decimal("333")


def test_editing_a_line_rounds_it_again_once(plan):
    activity = add_activity(plan, unit_cost="100")
    updated = services.activity_update(
        activity=activity,
        by=None,
        revision=activity.revision,
        quantity=Decimal("2.5"),
        unit_cost=Decimal("0.30"),
    )
    assert updated.total == Decimal("1")  # 0.75 → 1


def test_totals_add_the_rounded_lines(plan):
    objective = services.objective_create(plan=plan, by=None, statement="OS1")
    for _ in range(3):
        add_activity(plan, unit_cost="333.33", objective=objective)
    objectives, totals = plan_tree(plan=plan)
    # Each line is 333 FCFA: the plan totals 999, not the 1 000 that rounding 999.99 would give.
    assert [a.total for a in objectives[0].activities.all()] == [Decimal(333)] * 3
    assert totals.grand == Decimal(999)
    assert totals.by_objective[objective.pk] == Decimal(999)


def test_totals_per_objective(plan):
    first = services.objective_create(plan=plan, by=None, statement="OS1")
    second = services.objective_create(plan=plan, by=None, statement="OS2")
    empty = services.objective_create(plan=plan, by=None, statement="OS3")
    add_activity(plan, unit_cost="4250000", objective=first)
    add_activity(plan, unit_cost="1500000", quantity="3", objective=first)
    add_activity(plan, unit_cost="5500", quantity="12", objective=second)

    objectives, totals = plan_tree(plan=plan)

    assert totals.by_objective == {
        first.pk: Decimal("8750000"),
        second.pk: Decimal("66000"),
        empty.pk: Decimal(0),
    }
    assert totals.grand == Decimal("8816000")
    assert sum(totals.by_objective.values()) == totals.grand
    assert [o.pk for o in objectives] == [first.pk, second.pk, empty.pk]


def test_totals_per_funding_source_with_the_part_not_yet_assigned(plan, mali):
    icmpd = OrganisationFactory(
        name="ICMPD", acronym="ICMPD", kind=Organisation.Kind.PARTNER, country=None
    )
    eu = OrganisationFactory(
        name="Union européenne", acronym="UE", kind=Organisation.Kind.PARTNER, country=None
    )
    add_activity(
        plan,
        unit_cost="1000000",
        funding=[(None, Decimal("400000")), (icmpd, Decimal("500000"))],
    )
    add_activity(plan, unit_cost="300000", funding=[(eu, Decimal("300000"))])
    add_activity(plan, unit_cost="200000")
    add_activity(plan, unit_cost="50000", funding=[(icmpd, Decimal("50000"))])

    _objectives, totals = plan_tree(plan=plan)

    assert totals.by_source[None].amount == Decimal("400000")
    assert totals.by_source[icmpd.pk].amount == Decimal("550000")
    assert totals.by_source[eu.pk].amount == Decimal("300000")
    # 100 000 of the first activity and all of the third.
    assert totals.unassigned == Decimal("300000")
    carried = sum((s.amount for s in totals.sources), Decimal(0))
    assert carried + totals.unassigned == totals.grand == Decimal("1550000")
    # The state budget first, then partners by amount.
    assert [s.organisation for s in totals.sources] == [None, icmpd, eu]


def test_spread_of_an_awkward_total_is_exact():
    shares = spread(Decimal("1000001"), ["2018-04", "2018-03", "2019-01"], "XOF")
    # The remainder goes to the earliest months.
    assert shares == {
        "2018-03": Decimal("333334"),
        "2018-04": Decimal("333334"),
        "2019-01": Decimal("333333"),
    }
    assert sum(shares.values()) == Decimal("1000001")


def test_spread_of_dalasi_keeps_the_cents():
    shares = spread(Decimal("100.01"), ["2018-01", "2018-02", "2018-03"], "GMD")
    assert list(shares.values()) == [Decimal("33.34"), Decimal("33.34"), Decimal("33.33")]
    assert sum(shares.values()) == Decimal("100.01")


def test_spread_over_no_month_is_empty():
    assert spread(Decimal("1000"), [], "XOF") == {}


def test_totals_per_year_quarter_and_month_add_up_to_the_grand_total(plan):
    add_activity(plan, unit_cost="1000001", months=["2018-03", "2018-04", "2019-01"])
    add_activity(plan, unit_cost="10", months=["2018-12", "2019-12", "2019-11"])

    _objectives, totals = plan_tree(plan=plan)

    assert totals.by_month == {
        "2018-03": Decimal("333334"),
        "2018-04": Decimal("333334"),
        "2018-12": Decimal("4"),
        "2019-01": Decimal("333333"),
        "2019-11": Decimal("3"),
        "2019-12": Decimal("3"),
    }
    assert totals.by_quarter == {
        (2018, 1): Decimal("333334"),
        (2018, 2): Decimal("333334"),
        (2018, 4): Decimal("4"),
        (2019, 1): Decimal("333333"),
        (2019, 4): Decimal("6"),
    }
    assert totals.by_year == {2018: Decimal("666672"), 2019: Decimal("333339")}
    assert totals.grand == Decimal("1000011")
    for cut in (totals.by_month, totals.by_quarter, totals.by_year):
        assert sum(cut.values()) == totals.grand
        assert all(type(amount) is Decimal for amount in cut.values())
    assert type(totals.grand) is Decimal


def test_dalasi_totals_per_month_add_up(gambia_plan):
    add_activity(gambia_plan, unit_cost="100.01", months=["2018-01", "2018-02", "2018-03"])
    _objectives, totals = plan_tree(plan=gambia_plan)
    assert list(totals.by_month.values()) == [Decimal("33.34"), Decimal("33.34"), Decimal("33.33")]
    assert totals.by_quarter == {(2018, 1): Decimal("100.01")}
    assert totals.by_year == {2018: Decimal("100.01")}


def test_quarter_of_a_month():
    assert quarter_of("2018-01") == (2018, 1)
    assert quarter_of("2018-03") == (2018, 1)
    assert quarter_of("2018-04") == (2018, 2)
    assert quarter_of("2019-12") == (2019, 4)


PERIOD = months_between(date(2018, 1, 1), date(2020, 12, 31))


@given(
    currency=st.sampled_from(["XOF", "GMD", "GNF"]),
    units=st.integers(min_value=0, max_value=10**15),
    months=st.sets(st.sampled_from(PERIOD), min_size=1, max_size=len(PERIOD)),
)
def test_spread_is_exact_and_even_for_any_total(currency, units, months):
    # A total is always a rounded line (or a sum of them): a whole number of the currency's unit.
    unit = quantum(currency)
    total = units * unit
    shares = spread(total, months, currency)
    assert set(shares) == months
    assert sum(shares.values()) == total
    assert max(shares.values()) - min(shares.values()) <= unit
    for share in shares.values():
        assert isinstance(share, Decimal)
        assert share == share.quantize(unit)


# No floats -------------------------------------------------------------------------------------


def test_to_decimal_refuses_a_float_unit_cost():
    with pytest.raises(TypeError):
        to_decimal(0.15)
    assert to_decimal("0.15") == Decimal("0.15")
    assert to_decimal(Decimal("0.15")) == Decimal("0.15")
    assert to_decimal(3) == Decimal(3)


def test_activity_services_refuse_a_float_unit_cost(gambia_plan):
    # 1.21 × 2.5 = 3.025 exactly, which rounds to 3.03; as floats it is 3.0249…, rounded to 3.02.
    objective = services.objective_create(plan=gambia_plan, by=None, statement="OS1")
    with pytest.raises(TypeError):
        services.activity_create(
            objective=objective,
            by=None,
            title="Atelier",
            months=["2018-03"],
            unit_cost=1.21,
            quantity=2.5,
        )
    assert not Activity.objects.exists()
    activity = add_activity(gambia_plan, unit_cost="1.21", quantity="2.5", objective=objective)
    assert activity.total == Decimal("3.03")
    with pytest.raises(TypeError):
        services.activity_update(
            activity=activity, by=None, revision=activity.revision, unit_cost=1.21
        )
    with pytest.raises(TypeError):
        services.activity_update(
            activity=activity, by=None, revision=activity.revision, funding=[(None, 1.5)]
        )
    activity.refresh_from_db()
    assert activity.unit_cost == Decimal("1.21")
    assert activity.total == Decimal("3.03")
    assert activity.revision == 1
    assert not activity.funding_sources.exists()


def test_the_activity_form_reads_amounts_as_decimals(plan):
    objective = services.objective_create(plan=plan, by=None, statement="OS1")
    form = ActivityForm(
        {"title": "Atelier", "months": ["2018-03"], "unit_cost": "333,5", "quantity": "1"},
        plan=plan,
        objective=objective,
    )
    assert form.is_valid(), form.errors
    assert type(form.cleaned_data["unit_cost"]) is Decimal
    assert type(form.cleaned_data["quantity"]) is Decimal
    assert form.cleaned_data["unit_cost"] == Decimal("333.5")
