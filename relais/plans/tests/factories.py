from datetime import date
from decimal import Decimal

import factory

from relais.core.money import round_amount
from relais.countries.tests.factories import CountryFactory
from relais.plans.models import (
    Activity,
    FundingSource,
    Indicator,
    Objective,
    Plan,
    PlanEvent,
    Result,
)


class PlanFactory(factory.django.DjangoModelFactory):
    """A plan of 2018-2019 in its country's currency (a draft unless `status` says otherwise)."""

    class Meta:
        model = Plan

    country = factory.SubFactory(CountryFactory)
    title = factory.Sequence(lambda n: f"Plan d'action de plaidoyer {n}")
    period_start = date(2018, 1, 1)
    period_end = date(2019, 12, 31)
    currency = factory.LazyAttribute(lambda o: o.country.currency)


class ObjectiveFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Objective

    plan = factory.SubFactory(PlanFactory)
    position = factory.LazyAttribute(lambda o: o.plan.objectives.count() + 1)
    statement = factory.Sequence(lambda n: f"Renforcer le cadre juridique {n}")


class ResultFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Result

    objective = factory.SubFactory(ObjectiveFactory)
    position = factory.LazyAttribute(lambda o: o.objective.results.count() + 1)
    statement = factory.Sequence(lambda n: f"Résultat {n}")


class IndicatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Indicator

    objective = factory.SubFactory(ObjectiveFactory)
    name = factory.Sequence(lambda n: f"Indicateur {n}")
    frequency = Indicator.Frequency.YEARLY


class ActivityFactory(factory.django.DjangoModelFactory):
    """An activity whose total is computed as the services compute it (rounded once)."""

    class Meta:
        model = Activity

    objective = factory.SubFactory(ObjectiveFactory)
    position = factory.LazyAttribute(lambda o: o.objective.activities.count() + 1)
    title = factory.Sequence(lambda n: f"Atelier de validation {n}")
    months = factory.LazyAttribute(lambda o: o.objective.plan.months[2:4])
    unit_cost = Decimal("250000")
    quantity = Decimal(1)
    total = factory.LazyAttribute(
        lambda o: round_amount(o.unit_cost * o.quantity, o.objective.plan.currency)
    )


class FundingSourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FundingSource

    activity = factory.SubFactory(ActivityFactory)
    organisation = None  # the state budget
    amount = Decimal("100000")


def plan_with_content(country, *, status=Plan.Status.DRAFT, funder=None, **fields):
    """A plan of `country` at `status`: OS1 (a result, an indicator, activities 1.1 and 1.2,
    1.1 partly funded by the state budget and, if given, by `funder`) and OS2 (activity 2.1).

    Made with factories, not services, so that any status can be set directly."""
    plan = PlanFactory(country=country, status=status, **fields)
    first = ObjectiveFactory(plan=plan, deadline=date(2019, 6, 30))
    second = ObjectiveFactory(plan=plan)
    result = ResultFactory(objective=first)
    IndicatorFactory(objective=first, target_date=date(2019, 12, 31), target=Decimal(2))
    IndicatorFactory(objective=None, result=result)
    activity = ActivityFactory(
        objective=first,
        result=result,
        months=["2018-03", "2019-11"],
        unit_cost=Decimal("1500000"),
        quantity=Decimal(2),
    )
    FundingSourceFactory(activity=activity, amount=Decimal("1000000"))
    if funder is not None:
        FundingSourceFactory(activity=activity, organisation=funder, amount=Decimal("1500000"))
    ActivityFactory(objective=first, months=["2018-06"], unit_cost=Decimal("750000"))
    ActivityFactory(objective=second, months=["2019-01", "2019-02"], unit_cost=Decimal("425000"))
    return plan


def snapshot():
    """Everything a plan's pages could change, to show that a refused request changed nothing."""
    return {
        "plans": list(
            Plan.objects.order_by("pk").values_list(
                "pk", "status", "title", "period_start", "period_end", "version", "previous_id"
            )
        ),
        "events": list(PlanEvent.objects.order_by("pk").values_list("pk", "action")),
        "objectives": list(
            Objective.objects.order_by("pk").values_list(
                "pk", "plan_id", "position", "statement", "revision"
            )
        ),
        "results": list(Result.objects.order_by("pk").values_list("pk", "position", "statement")),
        "indicators": list(
            Indicator.objects.order_by("pk").values_list("pk", "position", "name", "target")
        ),
        "activities": list(
            Activity.objects.order_by("pk").values_list(
                "pk",
                "objective_id",
                "position",
                "title",
                "months",
                "unit_cost",
                "quantity",
                "total",
                "revision",
            )
        ),
        "funding": list(
            FundingSource.objects.order_by("pk").values_list(
                "pk", "activity_id", "organisation_id", "amount"
            )
        ),
    }
