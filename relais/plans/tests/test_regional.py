from datetime import date
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.urls import reverse

from relais.core.models import ExchangeRate
from relais.core.money import XOF_PER_EUR
from relais.countries.tests.factories import CountryFactory
from relais.plans import services
from relais.plans.models import Plan, RegionalStrategy, StrategicAxis

pytestmark = pytest.mark.django_db

START = date(2018, 1, 1)
CENT = Decimal("0.01")


def exact(value, places=CENT):
    return value.quantize(places, rounding=ROUND_HALF_UP)


def make_plan(country, by, total, *, start=START, status=Plan.Status.DRAFT, title=None, axes=()):
    """A plan of `country` whose one activity (of one objective per axis given, or one
    objective without an axis) costs `total` in the country's currency, moved to `status`."""
    plan = services.plan_create(
        country=country,
        by=by,
        title=title or f"Plan {country.code} {start.year}",
        period_start=start,
        period_end=date(start.year + 1, 12, 31),
    )
    for index, axis in enumerate(axes or [None]):
        objective = services.objective_create(
            plan=plan, by=by, statement=f"Objective {index + 1} of {plan.title}", axis=axis
        )
        services.activity_create(
            objective=objective,
            by=by,
            title="Atelier",
            months=[f"{start.year}-{start.month:02d}"],
            unit_cost=Decimal(total) if index == 0 else Decimal(0),
        )
    steps = {
        Plan.Status.DRAFT: [],
        Plan.Status.SUBMITTED: ["submit"],
        Plan.Status.VALIDATED: ["submit", "validate"],
        Plan.Status.ADOPTED: ["submit", "validate", "adopt"],
        Plan.Status.CLOSED: ["submit", "validate", "adopt", "close"],
    }[status]
    for action in steps:
        services.plan_transition(plan=plan, action=action, by=by)
    plan.refresh_from_db()
    return plan


def rate(currency, day, units):
    return ExchangeRate.objects.create(currency=currency, date=day, units_per_euro=Decimal(units))


def rollup_row(response, plan):
    for country in response.context["countries"]:
        for shown in country.current_plans:
            if shown.pk == plan.pk:
                return shown
    raise AssertionError(f"{plan} is not on the roll-up")


@pytest.fixture
def regional(make_user, client):
    user = make_user("regional", language="en")
    client.force_login(user)
    return user


@pytest.fixture
def gambia(db):
    return CountryFactory(code="GM", name="Gambia")


@pytest.fixture
def guinea(db):
    return CountryFactory(code="GN", name="Guinée")


# The roll-up ---------------------------------------------------------------------------------


def test_rollup_converts_xof_at_the_fixed_parity(client, regional, mali):
    plan = make_plan(mali, regional, 206_850_000, status=Plan.Status.ADOPTED)
    response = client.get(reverse("plans:rollup"))
    assert response.status_code == 200
    expected = exact(Decimal(206_850_000) / XOF_PER_EUR)
    assert expected == Decimal("315340.79")
    conversion = rollup_row(response, plan).conversion
    assert conversion.amount == expected
    assert response.context["total"] == expected
    assert conversion.describe() == "1 EUR = 655.957 XOF (fixed parity)"
    assert conversion.describe() in response.content.decode()
    assert response.context["target"] == "EUR"


def test_rollup_uses_the_latest_rate_on_or_before_the_start_of_the_period(client, regional, gambia):
    plan = make_plan(gambia, regional, 1_000_000, status=Plan.Status.ADOPTED)
    rate("GMD", date(2017, 6, 1), "50")
    rate("GMD", date(2017, 12, 15), "55.5")
    rate("GMD", date(2018, 2, 1), "60")  # after the start: never used
    response = client.get(reverse("plans:rollup"), {"currency": "EUR"})
    conversion = rollup_row(response, plan).conversion
    assert conversion.amount == exact(Decimal(1_000_000) / Decimal("55.5"))
    assert conversion.describe() == "1 EUR = 55.5 GMD (rate of 2017-12-15)"
    assert conversion.describe() in response.content.decode()

    response = client.get(reverse("plans:rollup"), {"currency": "XOF"})
    conversion = rollup_row(response, plan).conversion
    assert conversion.amount == exact(Decimal(1_000_000) / Decimal("55.5") * XOF_PER_EUR, 1)
    assert "rate of 2017-12-15" in conversion.describe()
    assert "fixed parity" in conversion.describe()


def test_rollup_in_french_writes_rates_and_amounts_the_french_way(client, make_user, gambia):
    client.force_login(make_user("regional", language="fr"))
    plan = make_plan(gambia, None, 1_000_000, status=Plan.Status.ADOPTED)
    rate("GMD", date(2017, 12, 15), "55.5")
    response = client.get(reverse("plans:rollup"), {"currency": "XOF"})
    content = response.content.decode()
    row = content[content.index(f'id="rollup-plan-{plan.pk}"') :]
    row = row[: row.index("</tr>")]
    # 1 000 000 GMD ÷ 55,5 × 655,957, in French: narrow spaces group, a comma marks decimals.
    assert "11\u202f819\u202f045\xa0FCFA" in row
    assert "1 EUR = 55,5 GMD (taux du 2017-12-15); 1 EUR = 655,957 XOF (parité fixe)" in row
    assert "55.5" not in row
    assert "655.957" not in row


def test_rollup_says_a_missing_rate_and_leaves_the_plan_out_of_the_total(
    client, regional, mali, guinea
):
    in_xof = make_plan(mali, regional, 206_850_000, status=Plan.Status.ADOPTED)
    in_gnf = make_plan(guinea, regional, 500_000_000, status=Plan.Status.ADOPTED)
    rate("GNF", date(2018, 3, 1), "9800")  # after the start of the plan: not a guess
    response = client.get(reverse("plans:rollup"))
    content = response.content.decode()
    assert rollup_row(response, in_gnf).conversion is None
    assert "No exchange rate for GNF on or before 2018-01-01." in content
    assert response.context["total"] == rollup_row(response, in_xof).conversion.amount
    assert [plan.pk for plan in response.context["excluded"]] == [in_gnf.pk]
    assert 'id="rollup-excluded"' in content
    assert "Excludes one plan, which has no exchange rate." in content


def test_rollup_shows_adopted_plans_else_the_latest_in_progress(client, regional, mali, senegal):
    adopted = make_plan(mali, regional, 1000, status=Plan.Status.ADOPTED, start=date(2018, 1, 1))
    make_plan(mali, regional, 1000, start=date(2020, 1, 1))  # a newer draft: adopted wins
    make_plan(senegal, regional, 1000, start=date(2016, 1, 1), status=Plan.Status.CLOSED)
    make_plan(senegal, regional, 1000, start=date(2017, 1, 1))
    latest = make_plan(senegal, regional, 1000, start=date(2019, 1, 1), status="submitted")
    response = client.get(reverse("plans:rollup"))
    shown = {c.code: [p.pk for p in c.current_plans] for c in response.context["countries"]}
    assert shown == {"ML": [adopted.pk], "SN": [latest.pk]}
    content = response.content.decode()
    assert reverse("plans:list", args=["ML"]) in content
    assert reverse("plans:detail", args=[latest.pk]) in content
    assert "Submitted" in content


def test_rollup_groups_objectives_by_axis_and_lists_the_others_apart(
    client, regional, mali, senegal
):
    strategy = RegionalStrategy.objects.create(
        title="Stratégie régionale", period_start=START, period_end=date(2020, 12, 31)
    )
    law = StrategicAxis.objects.create(strategy=strategy, position=1, title="Legal framework")
    alliance = StrategicAxis.objects.create(strategy=strategy, position=2, title="Alliances")
    make_plan(mali, regional, 5000, axes=[law, alliance], status=Plan.Status.ADOPTED)
    make_plan(senegal, regional, 7000, axes=[law])
    make_plan(senegal, regional, 9000, start=date(2019, 1, 1), title="Plan SN sans axe")
    response = client.get(reverse("plans:rollup"))
    axes, without = response.context["axes"], response.context["without_axis"]
    assert [axis.pk for axis in axes] == [law.pk, alliance.pk]
    # Senegal's 2018 draft is not its latest: its objectives are not counted.
    assert [(o.plan.country.code, o.budget) for o in axes[0].grouped_objectives] == [
        ("ML", Decimal(5000))
    ]
    assert [o.plan.country.code for o in axes[1].grouped_objectives] == ["ML"]
    assert [o.plan.title for o in without] == ["Plan SN sans axe"]


@pytest.mark.parametrize("kind", ["coordinator", "contributor", "observer"])
def test_rollup_is_forbidden_to_country_roles(client, make_user, mali, kind):
    client.force_login(make_user(kind, mali))
    assert client.get(reverse("plans:rollup")).status_code == 403


def test_rollup_sends_anonymous_visitors_to_sign_in(client, db):
    response = client.get(reverse("plans:rollup"))
    assert response.status_code == 302


def test_rollup_query_count_is_constant(
    client, regional, mali, senegal, gambia, guinea, django_assert_max_num_queries
):
    strategy = RegionalStrategy.objects.create(
        title="Stratégie", period_start=START, period_end=date(2020, 12, 31)
    )
    axis = StrategicAxis.objects.create(strategy=strategy, title="Axe")
    rate("GMD", date(2017, 1, 1), "50")
    make_plan(mali, regional, 1000, axes=[axis], status=Plan.Status.ADOPTED)
    make_plan(gambia, regional, 1000, axes=[axis, axis])
    # session, user, roles, countries, plans, rates, strategy, axes, objectives
    with django_assert_max_num_queries(9):
        client.get(reverse("plans:rollup"))
    for country in (mali, senegal, gambia, guinea):
        make_plan(country, regional, 1000, axes=[axis, axis], status=Plan.Status.ADOPTED)
    mauritania = CountryFactory(code="MR", name="Mauritanie")
    make_plan(mauritania, regional, 1000, axes=[axis])
    with django_assert_max_num_queries(9):
        response = client.get(reverse("plans:rollup"))
    # Mali: two adopted; Gambia: its adopted plan, not its draft; one each for the others.
    assert sum(len(c.current_plans) for c in response.context["countries"]) == 6


# Exchange rates ------------------------------------------------------------------------------


def test_rates_page_lists_rates_newest_first_and_states_the_parity(client, make_user, mali):
    rate("GMD", date(2017, 1, 1), "50")
    rate("GMD", date(2018, 1, 1), "55")
    rate("MRU", date(2018, 1, 1), "42")
    client.force_login(make_user("observer", mali, language="en"))
    response = client.get(reverse("plans:rates"))
    assert response.status_code == 200
    currencies = {code: [r.date for r in rows] for code, _l, rows in response.context["currencies"]}
    assert currencies == {
        "GMD": [date(2018, 1, 1), date(2017, 1, 1)],
        "GNF": [],
        "MRU": [date(2018, 1, 1)],
        "USD": [],  # contributions may be pledged in dollars
    }
    content = response.content.decode()
    assert "1 EUR = 655.957 XOF" in content
    assert response.context["form"] is None
    assert 'name="units_per_euro"' not in content


@pytest.mark.parametrize("value", ["27,5", "27.50"])
def test_regional_coordinator_enters_a_rate(client, regional, value):
    response = client.post(
        reverse("plans:rates"),
        {"currency": "GMD", "date": "2018-01-01", "units_per_euro": value, "source": "BCEAO"},
    )
    assert response.status_code == 302
    saved = ExchangeRate.objects.get()
    assert (saved.currency, saved.date, saved.units_per_euro) == (
        "GMD",
        date(2018, 1, 1),
        Decimal("27.5"),
    )
    assert saved.entered_by == regional


def test_administrator_enters_a_rate(client, make_user):
    client.force_login(make_user("admin"))
    response = client.post(
        reverse("plans:rates"), {"currency": "MRU", "date": "2018-01-01", "units_per_euro": "42"}
    )
    assert response.status_code == 302
    assert ExchangeRate.objects.count() == 1


@pytest.mark.parametrize("kind", ["observer", "coordinator"])
def test_country_roles_cannot_enter_a_rate(client, make_user, mali, kind):
    client.force_login(make_user(kind, mali))
    response = client.post(
        reverse("plans:rates"), {"currency": "GMD", "date": "2018-01-01", "units_per_euro": "50"}
    )
    assert response.status_code == 403
    assert not ExchangeRate.objects.exists()


def test_a_second_rate_for_the_same_date_is_refused_at_the_date(client, regional):
    rate("GMD", date(2018, 1, 1), "50")
    response = client.post(
        reverse("plans:rates"), {"currency": "GMD", "date": "2018-01-01", "units_per_euro": "51"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["date"] == [
        "A GMD rate for 2018-01-01 has already been entered. Enter a rate for another date."
    ]
    assert ExchangeRate.objects.get().units_per_euro == Decimal(50)
    # Another currency may have a rate that day.
    response = client.post(
        reverse("plans:rates"), {"currency": "GNF", "date": "2018-01-01", "units_per_euro": "9800"}
    )
    assert response.status_code == 302


@pytest.mark.parametrize(
    "value, message",
    [
        ("0", "A rate is a positive number."),
        ("-3", "Enter a positive amount."),
        ("fifty", "Enter an amount, for example 4 250 000."),
    ],
)
def test_a_rate_that_is_not_a_positive_number_is_refused(client, regional, value, message):
    response = client.post(
        reverse("plans:rates"), {"currency": "GMD", "date": "2018-01-01", "units_per_euro": value}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["units_per_euro"] == [message]
    assert not ExchangeRate.objects.exists()


# The regional strategy -----------------------------------------------------------------------


@pytest.fixture
def strategy(db):
    strategy = RegionalStrategy.objects.create(
        title="Stratégie régionale de plaidoyer",
        period_start=START,
        period_end=date(2020, 12, 31),
        summary="Travail forcé à l'extérieur.",
    )
    StrategicAxis.objects.create(
        strategy=strategy, position=1, title="Cadre juridique", description="Lois et agences."
    )
    return strategy


def test_everyone_signed_in_reads_the_strategy_without_edit_controls(
    client, make_user, mali, strategy
):
    client.force_login(make_user("observer", mali, language="en"))
    response = client.get(reverse("plans:strategy"))
    assert response.status_code == 200
    content = response.content.decode()
    assert "Stratégie régionale de plaidoyer" in content
    assert "Axis 1: Cadre juridique" in content
    assert "Lois et agences." in content
    assert 'name="action"' not in content
    assert "objectives" not in content  # counts by country are for regional eyes


def test_country_roles_cannot_change_the_strategy(client, make_user, mali, strategy):
    client.force_login(make_user("coordinator", mali))
    axis = strategy.axes.get()
    for data in [
        {"action": "edit_strategy", "strategy-title": "Autre"},
        {"action": "add_axis", "axis-new-position": 2, "axis-new-title": "Alliances"},
        {"action": "delete_axis", "axis": axis.pk},
    ]:
        assert client.post(reverse("plans:strategy"), data).status_code == 403
    strategy.refresh_from_db()
    assert strategy.title == "Stratégie régionale de plaidoyer"
    assert list(strategy.axes.values_list("title", flat=True)) == ["Cadre juridique"]


def test_regional_coordinator_writes_the_strategy_and_its_axes(client, regional):
    url = reverse("plans:strategy")
    response = client.post(
        url,
        {
            "action": "new_strategy",
            "new-title": "Stratégie 2018-2020",
            "new-period_start": "2018-01-01",
            "new-period_end": "2020-12-31",
            "new-summary": "Plaidoyer commun.",
        },
    )
    assert response.status_code == 302
    strategy = RegionalStrategy.objects.get()
    data = {"action": "add_axis", "axis-new-position": 1, "axis-new-title": "Cadre juridique"}
    assert client.post(url, data).status_code == 302
    axis = strategy.axes.get()
    data = {
        "action": "edit_axis",
        "axis": axis.pk,
        f"axis-{axis.pk}-position": 1,
        f"axis-{axis.pk}-title": "Cadre juridique et institutionnel",
    }
    assert client.post(url, data).status_code == 302
    axis.refresh_from_db()
    assert axis.title == "Cadre juridique et institutionnel"
    data = {
        "action": "edit_strategy",
        "strategy-title": "Stratégie régionale 2018-2020",
        "strategy-period_start": "2018-01-01",
        "strategy-period_end": "2020-12-31",
    }
    assert client.post(url, data).status_code == 302
    strategy.refresh_from_db()
    assert strategy.title == "Stratégie régionale 2018-2020"
    assert client.post(url, {"action": "delete_axis", "axis": axis.pk}).status_code == 302
    assert not StrategicAxis.objects.exists()


def test_an_invalid_axis_is_shown_again_with_its_error(client, regional, strategy):
    response = client.post(
        reverse("plans:strategy"), {"action": "add_axis", "axis-new-position": 2}
    )
    assert response.status_code == 200
    assert "title" in response.context["new_axis_form"].errors
    assert strategy.axes.count() == 1


def test_regional_coordinator_sees_objectives_per_axis_by_country(
    client, regional, mali, senegal, strategy
):
    axis = strategy.axes.get()
    make_plan(mali, regional, 1000, axes=[axis, axis], status=Plan.Status.ADOPTED)
    make_plan(senegal, regional, 1000, axes=[axis])
    response = client.get(reverse("plans:strategy"))
    counts = [(c.code, n) for c, n in response.context["axes"][0].country_counts]
    assert counts == [("ML", 2), ("SN", 1)]
    content = response.content.decode()
    assert "Mali: 2 objectives" in content
    assert "Senegal: 1 objective" in content
