"""Reads for plans; each names what it preloads, so that pages run a fixed number of queries."""

from collections import defaultdict

from django.db.models import Count, DecimalField, OuterRef, Prefetch, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.http import Http404

from relais.core.models import ExchangeRate
from relais.countries.models import Country, Organisation
from relais.countries.rules import is_admin, is_regional, organisation_ids_of
from relais.plans.models import (
    Activity,
    FundingSource,
    Indicator,
    Objective,
    Plan,
    PlanEvent,
    RegionalStrategy,
    Result,
)
from relais.plans.totals import plan_totals, totals_of

MONEY = DecimalField(max_digits=20, decimal_places=2)


def _with_total(queryset):
    return queryset.annotate(
        total=Coalesce(Sum("objectives__activities__total"), Value(0), output_field=MONEY),
        activity_count=Count("objectives__activities"),
    )


def visible_plans(*, user):
    """Plans `user` may read: their countries', all for regional coordinators and
    administrators, and for a partner representative those their organisation is party to."""
    plans = Plan.objects.all()
    if is_regional(user) or is_admin(user):
        return plans
    from relais.countries.rules import COUNTRY_KINDS, country_ids_with

    condition = Q(country_id__in=country_ids_with(user, COUNTRY_KINDS))
    organisations = organisation_ids_of(user)
    if organisations:
        condition |= Q(pk__in=_plans_of_organisations(organisations))
    return plans.filter(condition)


# Other apps make organisations party to plans too (funding: a partner's contributions). Each
# entry is (plans_of, organisations_of): plans_of(organisation ids) gives a queryset of plan
# pks, organisations_of(plan) the ids of the organisations it makes party to that plan. Plans
# import nothing of those apps; they register here when they load.
PARTY_LOOKUPS = []


def _plans_of_organisations(organisations):
    condition = (
        Q(objectives__activities__funding_sources__organisation__in=organisations)
        | Q(objectives__activities__partners__in=organisations)
        | Q(objectives__activities__responsible__in=organisations)
    )
    for plans_of, _organisations_of in PARTY_LOOKUPS:
        condition |= Q(pk__in=plans_of(organisations))
    return Plan.objects.filter(condition).values("pk").distinct()


def plan_organisation_ids(*, plan):
    """Organisations party to `plan`: planned funders, partners, responsible structures, and
    whatever PARTY_LOOKUPS adds (contributors)."""
    cached = getattr(plan, "_organisation_ids", None)
    if cached is None:
        activities = Activity.objects.filter(objective__plan=plan)
        cached = set(
            FundingSource.objects.filter(
                activity__in=activities, organisation__isnull=False
            ).values_list("organisation_id", flat=True)
        )
        cached |= set(activities.exclude(responsible=None).values_list("responsible_id", flat=True))
        cached |= set(
            Activity.partners.through.objects.filter(activity__in=activities).values_list(
                "organisation_id", flat=True
            )
        )
        for _plans_of, organisations_of in PARTY_LOOKUPS:
            cached |= set(organisations_of(plan))
        plan._organisation_ids = cached
    return cached


def plan_list(*, user, country):
    """A country's plans with their total and number of activities, newest period first."""
    return _with_total(
        visible_plans(user=user).filter(country=country).select_related("country")
    ).order_by("-period_start", "title", "-version")


def plan_get(*, user, pk):
    """A plan `user` may read, with its country; 404 for a plan they may not see."""
    plan = (
        Plan.objects.select_related("country", "country__national_body", "strategy")
        .filter(pk=pk)
        .first()
    )
    if plan is None or not user.has_perm("plans.view_plan", plan):
        raise Http404
    return plan


def plan_tree(*, plan, detail=False):
    """The plan's objectives, each with results (and their indicators), indicators and
    activities (with responsible structure and planned sources and their organisations), plus
    the totals computed from them. With `detail`, activities also carry their description and
    partners (exports, print view, versions). Seven queries (eight with `detail`), whatever the
    plan's size."""
    objectives = plan_objectives(plan=plan)
    load_activities(plan=plan, objectives=objectives, detail=detail)
    return objectives, plan_totals(objectives, plan.currency)


def history_latest(model, **lookup):
    """A subquery: when a record of `model` matching `lookup` last changed, from its history
    (the pages' versions are read from it)."""
    rows = model.history.filter(**lookup).order_by("-history_date").values("history_date")
    return Subquery(rows[:1])


def plan_stamp(*, plan):
    """When the plan or anything it holds last changed, read from its history in one query:
    the plan's pages are revalidated against it, so that a reader coming back to an unchanged
    plan on a metered link downloads nothing again."""
    latest = history_latest
    plan_id = OuterRef("pk")
    stamps = Plan.objects.filter(pk=plan.pk).values_list(
        latest(Plan, id=plan_id),
        latest(Objective, plan_id=plan_id),
        latest(Result, objective__plan_id=plan_id),
        latest(Indicator, objective__plan_id=plan_id),
        latest(Indicator, result__objective__plan_id=plan_id),
        latest(Activity, objective__plan_id=plan_id),
        latest(FundingSource, activity__objective__plan_id=plan_id),
    )
    return max((stamp for stamp in stamps.get() if stamp is not None), default=None)


def plan_objectives(*, plan):
    """The plan's objectives with their results (and their indicators) and indicators, but no
    activity: three queries."""
    objectives = list(
        Objective.objects.filter(plan=plan)
        .select_related("axis")
        .prefetch_related(
            Prefetch("results", queryset=Result.objects.prefetch_related("indicators")),
            Prefetch("indicators", queryset=Indicator.objects.all()),
        )
    )
    for objective in objectives:
        objective.plan = plan  # codes and rules reach the plan without a query
        for result in objective.results.all():
            result.objective = objective
    return objectives


def plan_summary(*, plan, objectives):
    """The whole plan's totals (PlanTotals, with the number of activities per objective) from
    two flat queries, without loading its activities: 3 ms for 500."""
    lines = Activity.objects.filter(objective__plan=plan).values_list(
        "pk", "objective_id", "total", "months"
    )
    sources = list(
        FundingSource.objects.filter(activity__objective__plan=plan).values_list(
            "activity_id", "organisation_id", "amount"
        )
    )
    used = {organisation_id for _a, organisation_id, _amount in sources} - {None}
    organisations = Organisation.objects.in_bulk(used) if used else {}
    return totals_of([o.pk for o in objectives], lines, sources, organisations, plan.currency)


def load_activities(*, plan, objectives, only=None, detail=False):
    """Gives `objectives` their activities, with responsible structure and planned sources (and
    with `detail`, description and partners): those of every objective, or of the objective
    pks in `only` (the others get none). Three or four queries.

    Activities, sources and partners are fetched flat and attached by hand, as prefetch_related
    would: Django's prefetch builds a filtered queryset per instance, which cost 60 ms per
    relation for 500 activities; attaching the lists costs 2 ms."""
    scope = {"objective__plan": plan} if only is None else {"objective__in": only}
    activities = Activity.objects.filter(**scope)
    if not detail:
        activities = activities.defer("description")
    activities = list(activities)
    through = {f"activity__{key}": value for key, value in scope.items()}
    sources = list(FundingSource.objects.filter(**through))
    partners = (
        list(
            Activity.partners.through.objects.filter(**through)
            .order_by("pk")
            .values_list("activity_id", "organisation_id")
        )
        if detail
        else []
    )
    used = {a.responsible_id for a in activities} | {s.organisation_id for s in sources}
    used |= {organisation_id for _activity, organisation_id in partners}
    used.discard(None)
    organisations = Organisation.objects.in_bulk(used) if used else {}

    by_activity = defaultdict(list)
    for source in sources:
        FundingSource.organisation.field.set_cached_value(
            source, organisations.get(source.organisation_id)
        )
        by_activity[source.activity_id].append(source)
    partners_of = defaultdict(list)
    for activity_id, organisation_id in partners:
        partners_of[activity_id].append(organisations[organisation_id])
    by_objective = defaultdict(list)
    for activity in activities:
        Activity.responsible.field.set_cached_value(
            activity, organisations.get(activity.responsible_id)
        )
        for source in by_activity[activity.pk]:
            FundingSource.activity.field.set_cached_value(source, activity)
        _attach(activity, "funding_sources", FundingSource, by_activity[activity.pk])
        if detail:
            _attach(activity, "partners", Organisation, partners_of[activity.pk])
        by_objective[activity.objective_id].append(activity)
    for objective in objectives:
        _attach(objective, "activities", Activity, by_objective[objective.pk])
        for activity in by_objective[objective.pk]:
            activity.objective = objective
    return objectives


def _attach(instance, name, model, items):
    """What prefetch_related leaves behind: `instance.<name>.all()` answers `items` without a
    query. The models' default ordering is the queries' order, so `items` are in it."""
    queryset = model._default_manager.all()
    queryset._result_cache = items
    queryset._prefetch_done = True
    instance.__dict__.setdefault("_prefetched_objects_cache", {})[name] = queryset


def plan_events(*, plan):
    return PlanEvent.objects.filter(plan=plan).select_related("by")


def plan_versions(*, plan):
    """Every version of the plan's line, oldest first (following `previous`)."""
    versions = [plan]
    current = plan
    while current.previous_id:
        current = Plan.objects.get(pk=current.previous_id)
        versions.insert(0, current)
    following = Plan.objects.filter(previous=plan).order_by("version")
    while following:
        nxt = following[0]
        versions.append(nxt)
        following = Plan.objects.filter(previous=nxt).order_by("version")
    return versions


def activity_get(*, user, pk):
    activity = (
        Activity.objects.select_related("objective__plan__country", "responsible", "result")
        .filter(pk=pk)
        .first()
    )
    if activity is None or not user.has_perm("plans.view_plan", activity.objective.plan):
        raise Http404
    return activity


def objective_get(*, user, pk):
    objective = Objective.objects.select_related("plan__country").filter(pk=pk).first()
    if objective is None or not user.has_perm("plans.view_plan", objective.plan):
        raise Http404
    return objective


# Network-wide reads -------------------------------------------------------------------------

IN_PROGRESS = (Plan.Status.DRAFT, Plan.Status.SUBMITTED, Plan.Status.VALIDATED)


def strategy_current():
    """The regional strategy that starts last, with its axes (two queries), or None."""
    return RegionalStrategy.objects.prefetch_related("axes").first()


def regional_plans():
    """Every country, each with `current_plans`: its adopted plans, else its latest plan still
    in progress (draft, submitted, validated). Each plan carries `total` and `activity_count`
    and its country. Two queries, whatever the number of plans."""
    countries = list(Country.objects.order_by("code"))
    plans = _with_total(
        Plan.objects.filter(status__in=(Plan.Status.ADOPTED, *IN_PROGRESS)).select_related(
            "country"
        )
    ).order_by("-period_start", "-version", "-created_at", "-pk")
    by_country = defaultdict(list)
    for plan in plans:
        by_country[plan.country_id].append(plan)
    for country in countries:
        candidates = by_country[country.pk]
        adopted = [plan for plan in candidates if plan.status == Plan.Status.ADOPTED]
        country.current_plans = adopted or candidates[:1]
        for plan in country.current_plans:
            plan.country = country
    return countries


def objectives_by_axis(*, strategy, plans):
    """The objectives of `plans` grouped by the axes of `strategy`: (axes, without_axis).

    Each axis carries `grouped_objectives`; each objective its `budget` (in its plan's
    currency) and its plan with the plan's country. Objectives with no axis of `strategy`
    are in `without_axis`. One query, and one for the axes unless `strategy_current` has
    preloaded them."""
    axes = list(strategy.axes.all()) if strategy else []
    by_pk = {axis.pk: axis for axis in axes}
    for axis in axes:
        axis.grouped_objectives = []
    objectives = (
        Objective.objects.filter(plan__in=[plan.pk for plan in plans])
        .select_related("plan__country")
        .annotate(budget=Coalesce(Sum("activities__total"), Value(0), output_field=MONEY))
        .order_by("plan__country__code", "plan__period_start", "plan_id", "position", "pk")
    )
    without_axis = []
    for objective in objectives:
        axis = by_pk.get(objective.axis_id)
        if axis is None:
            without_axis.append(objective)
        else:
            objective.axis = axis
            axis.grouped_objectives.append(objective)
    return axes, without_axis


def axis_objective_counts(*, axes, plans):
    """Sets `country_counts` on each axis: [(country, number of objectives of `plans` under
    it)], countries in code order. One query."""
    countries = {plan.country_id: plan.country for plan in plans}
    rows = (
        Objective.objects.filter(axis__in=axes, plan__in=[plan.pk for plan in plans])
        .values("axis_id", "plan__country_id")
        .annotate(number=Count("pk"))
    )
    counts = defaultdict(dict)
    for row in rows:
        counts[row["axis_id"]][row["plan__country_id"]] = row["number"]
    for axis in axes:
        axis.country_counts = sorted(
            ((countries[country], number) for country, number in counts[axis.pk].items()),
            key=lambda pair: pair[0].code,
        )
    return axes


def exchange_rates():
    """[(currency, its rates newest first, each with who entered it)] for every floating
    currency, in the order of ExchangeRate's choices. One query."""
    rates = defaultdict(list)
    for rate in ExchangeRate.objects.select_related("entered_by").order_by("currency", "-date"):
        rates[rate.currency].append(rate)
    return [
        (code, rates[code]) for code, _label in ExchangeRate._meta.get_field("currency").choices
    ]
