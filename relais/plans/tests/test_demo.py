from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Sum

from relais.countries.models import Country
from relais.plans.models import (
    Activity,
    FundingSource,
    Indicator,
    Objective,
    Plan,
    PlanEvent,
    RegionalStrategy,
    Result,
    StrategicAxis,
)

pytestmark = pytest.mark.django_db

MALI_TITLE = (
    "Plan d'action de plaidoyer pour la lutte contre la traite des personnes à des fins de "
    "travail forcé à l'extérieur (2018-2019)"
)
COUNTED = [
    RegionalStrategy,
    StrategicAxis,
    Plan,
    PlanEvent,
    Objective,
    Result,
    Indicator,
    Activity,
    FundingSource,
]


def _seed_demo():
    call_command("seed_demo", stdout=StringIO())


def _counts():
    return {model.__name__: model.objects.count() for model in COUNTED}


def test_seed_demo_twice_creates_nothing_the_second_time():
    _seed_demo()
    first = _counts()
    _seed_demo()
    assert _counts() == first
    assert first["Plan"] == 6
    assert first["RegionalStrategy"] == 1


def test_mali_plan_is_adopted_with_five_objectives_and_totals_206_850_000():
    _seed_demo()
    plan = Plan.objects.get(country__code="ML", title=MALI_TITLE, version=1)
    assert plan.status == Plan.Status.ADOPTED
    assert plan.currency == "XOF"
    assert plan.strategy is not None
    total = Activity.objects.filter(objective__plan=plan).aggregate(total=Sum("total"))["total"]
    assert total == Decimal("206850000")
    objectives = list(plan.objectives.all())
    assert [o.position for o in objectives] == [1, 2, 3, 4, 5]
    assert all(o.axis_id and o.change_kind and o.targets for o in objectives)
    activities = Activity.objects.filter(objective__plan=plan)
    assert all(a.description.startswith("(Illustratif) ") for a in activities)
    assert activities.filter(assignees__email="contributor.ml@demo.relais.africa").exists()
    # Planned sources never carry more than an activity costs.
    funded = FundingSource.objects.filter(activity__objective__plan=plan).aggregate(
        total=Sum("amount")
    )["total"]
    assert 0 < funded <= total


def test_every_country_has_a_plan_in_its_currency():
    _seed_demo()
    for country in Country.objects.all():
        plan = Plan.objects.get(country=country)
        assert plan.currency == country.currency
        assert Activity.objects.filter(objective__plan=plan).count() >= 5
    assert Plan.objects.get(country__code="MR").language == "ar"
    assert Plan.objects.get(country__code="SN").status == Plan.Status.VALIDATED
    assert Plan.objects.get(country__code="GN").status == Plan.Status.SUBMITTED
