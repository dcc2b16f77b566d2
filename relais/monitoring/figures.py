"""The arithmetic of the dashboards: where a plan stands (completion, spending, funding,
indicators, milestones, people trained) and the six countries side by side.

Rules, written once here and said on the pages:

- Completion is the average of the activities' percentages done, weighted by their cost: an
  activity of 10 000 000 FCFA half done weighs ten times one of 1 000 000 FCFA half done. Each
  activity counts at its latest update (by date, then by when it was recorded); one with no
  update counts 0 %, one whose latest update says "done" counts 100 %, and a cancelled one
  leaves the sum altogether. When none of the activities counted has a cost, they weigh the
  same.
- Spent is what validated expenditures add up to: drafts are not counted yet, and a corrected
  expenditure is replaced by its correction (itself validated). An expenditure in another
  currency is converted to the plan's at the rate of its contribution's date (the agreement's,
  else the pledge's: as relais.funding converts what the contribution disbursed), or of its own
  date when the state's budget paid it (relais.core.rates: the XOF peg, else the latest rate on
  or before that date), each expenditure on its own, rounded once to
  the currency's unit. An expenditure whose currency has no rate on that date is left out and
  said.
- The execution rate is spent over budget; a source's rate is its spending over what it
  disbursed.
- The funding figures (budget, announced, confirmed, disbursed, gap) are the plan's funding
  picture (relais.funding.picture).
- An indicator's progress is how far its latest value went from the baseline (0 when none) to
  the target: (value - baseline) / (target - baseline); it works the same for a target below
  the baseline. No target, no progress.
- People trained are counted as the indicators counted from workshops count them
  (relais.workshops.trained.plan_workshops): each person once, over the training and
  validation workshops of the plan's country in its period and those carrying out its
  activities.

Regionally, each country's figures are those of its current plans (its adopted ones, else its
latest plan in progress, as relais.plans.selectors.regional_plans says), computed in each
plan's currency as its dashboard computes them, then converted to the common currency at the
start of the plan's period, as the regional roll-up of plans converts budgets: one rate per
plan, shown with its date, so that a country's execution rate is the same on both dashboards.

Every function here runs a fixed number of queries, whatever the size of the plans.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Max, OuterRef, Q, Subquery, Sum
from django.utils.translation import gettext as _

from relais.core.rates import MissingRate, RateTable
from relais.events.models import Event
from relais.funding.models import Contribution
from relais.funding.picture import funding_picture
from relais.monitoring.models import ActivityUpdate, Expenditure, IndicatorValue, Milestone
from relais.plans.models import Activity, Indicator
from relais.workshops.models import Participation
from relais.workshops.trained import MAN, TRAINING_KINDS, WOMAN, plan_workshops

ZERO = Decimal(0)
HUNDRED = Decimal(100)
TENTH = Decimal("0.1")
COMMON_CURRENCIES = ("EUR", "XOF")
DONE = ActivityUpdate.Status.DONE
CANCELLED = ActivityUpdate.Status.CANCELLED


def percent(part, whole):
    """part / whole in percent, to a tenth (Decimal); None when `whole` is nothing."""
    if not whole:
        return None
    return (Decimal(part) * HUNDRED / Decimal(whole)).quantize(TENTH, ROUND_HALF_UP)


def bar_width(value):
    """A percentage as a bar's length, 0 to 100."""
    if value is None:
        return 0
    return max(ZERO, min(HUNDRED, value))


@dataclass
class Progress:
    """Completion and spending of a set of activities (an objective's, a plan's)."""

    budget: Decimal = ZERO
    spent: Decimal = ZERO
    activities: int = 0
    done: int = 0
    cancelled: int = 0
    updated: int = 0  # activities with at least one update
    _weighted: Decimal = ZERO  # Σ cost × % of the activities counted
    _weight: Decimal = ZERO  # Σ cost of the activities counted
    _percents: int = 0  # Σ % of the activities counted (when none has a cost)

    def count(self, total, status, percent_done):
        self.activities += 1
        self.budget += total
        if status is not None:
            self.updated += 1
        if status == CANCELLED:
            self.cancelled += 1
            return
        if status == DONE:
            self.done += 1
            percent_done = 100
        percent_done = percent_done or 0
        self._weighted += total * percent_done
        self._weight += total
        self._percents += percent_done

    @property
    def counted(self):
        """Activities that count in the completion: all but the cancelled ones."""
        return self.activities - self.cancelled

    @property
    def completion(self):
        """Percentage done, weighted by cost (see the module's rules); None with nothing to
        count."""
        if self._weight:
            return (self._weighted / self._weight).quantize(TENTH, ROUND_HALF_UP)
        if self.counted:
            return percent(self._percents, self.counted * 100)
        return None

    @property
    def execution(self):
        return percent(self.spent, self.budget)

    @property
    def completion_bar(self):
        return bar_width(self.completion)

    @property
    def execution_bar(self):
        return bar_width(self.execution)


@dataclass
class ObjectiveLine:
    pk: int
    code: str
    statement: str
    progress: Progress = field(default_factory=Progress)
    milestones: int = 0
    latest_milestone: object = None  # Milestone


@dataclass
class SourceLine:
    """A funder (None: the state budget): what its contributions disbursed and what was
    spent from them, in the plan's currency."""

    partner_id: int | None
    name: str
    disbursed: Decimal = ZERO
    spent: Decimal = ZERO

    @property
    def rate(self):
        return percent(self.spent, self.disbursed)


@dataclass
class IndicatorLine:
    indicator: object
    code: str  # OS1, R1.2
    value: Decimal | None = None
    period_end: object = None

    @property
    def progress(self):
        indicator = self.indicator
        if self.value is None or indicator.target is None:
            return None
        baseline = indicator.baseline or ZERO
        if indicator.target == baseline:
            return HUNDRED if self.value == baseline else ZERO
        return percent(self.value - baseline, indicator.target - baseline)

    @property
    def bar(self):
        return bar_width(self.progress)


@dataclass
class PlanFigures:
    plan: object
    objectives: list  # ObjectiveLine
    total: Progress
    sources: list  # SourceLine, the state budget first, then by spending
    indicators: list  # IndicatorLine
    milestones: int
    latest_milestone: object  # Milestone or None
    trained: dict  # people, women, men
    funding: object  # relais.funding.picture.Figures of the whole plan
    problems: list = field(default_factory=list)  # what could not be converted

    @property
    def gap_bar(self):
        """The funding gauge: disbursed, confirmed and announced as shares of the budget."""
        funding = self.funding
        return {name: funding.percent(name) for name in ("announced", "confirmed", "disbursed")}


# Queries shared by both dashboards -----------------------------------------------------------


def _latest_updates(activities):
    """(pk, objective pk, plan pk, total, latest status, latest %) of `activities`: one query,
    the latest update read by a subquery per row."""
    latest = ActivityUpdate.objects.filter(activity=OuterRef("pk")).order_by("-on", "-at", "-pk")
    return activities.annotate(
        last_status=Subquery(latest.values("status")[:1]),
        last_percent=Subquery(latest.values("percent_done")[:1]),
    ).values_list(
        "pk", "objective_id", "objective__plan_id", "total", "last_status", "last_percent"
    )


def _convert(rates, amount, currency, to, on, problems):
    """`amount` in `to` (rounded to its unit), or None with the reason added to `problems`."""
    if currency == to:
        return amount
    try:
        return rates.convert(amount, currency, to, on).amount
    except MissingRate as missing:
        problems.append(missing.message())
        return None


# What an expenditure is converted at: its contribution's rate date (the agreement's, else the
# pledge's), as relais.funding and relais.monitoring.expenditures convert it, so that what a
# source disbursed, spent and has left add up; its own date when the state's budget paid it.
RATE_DATES = (
    "spent_on",
    "contribution_id",
    "contribution__signed_on",
    "contribution__announced_on",
)


def _rate_date(spent_on, contribution_id, signed_on, announced_on):
    return (signed_on or announced_on) if contribution_id else spent_on


def _validated(**lookup):
    return Expenditure.objects.filter(status=Expenditure.Status.VALIDATED, **lookup).order_by()


# One plan ------------------------------------------------------------------------------------


def plan_figures(plan):
    """The PlanFigures of `plan`, in its currency. Fourteen queries, whatever its size: the
    funding picture's seven, the rates, the activities with their latest update, two for
    expenditures (in the plan's currency, summed by the database; in others, one by one),
    milestones, indicators with their latest value, people trained."""
    currency = plan.currency
    picture = funding_picture(plan=plan)
    rates = RateTable.load()
    problems = []

    objectives = {
        o.pk: ObjectiveLine(o.pk, o.code, o.statement) for o in picture.objectives
    }  # in the plan's order
    total = Progress()
    by_activity = {}
    rows = _latest_updates(Activity.objects.filter(objective__plan=plan))
    for pk, objective_id, _plan_id, cost, status, percent_done in rows:
        objectives[objective_id].progress.count(cost, status, percent_done)
        total.count(cost, status, percent_done)
        by_activity[pk] = objective_id

    # Spending, by objective and by funder (contribution's partner; None: the state budget).
    spent = defaultdict(lambda: ZERO)  # (objective pk, partner pk) → amount
    expenditures = _validated(activity__objective__plan=plan)
    same = (
        expenditures.filter(currency=currency)
        .values_list("activity_id", "contribution__partner_id")
        .annotate(amount=Sum("amount"))
    )
    for activity_id, partner_id, amount in same:
        spent[by_activity[activity_id], partner_id] += amount
    foreign = expenditures.exclude(currency=currency).values_list(
        "activity_id", "contribution__partner_id", "amount", "currency", *RATE_DATES
    )
    for activity_id, partner_id, amount, from_currency, *dates in foreign:
        converted = _convert(rates, amount, from_currency, currency, _rate_date(*dates), problems)
        if converted is not None:
            spent[by_activity[activity_id], partner_id] += converted
    sources = {}
    state = _("State budget")
    for valued in picture.contributions:
        contribution = valued.contribution
        if valued.problem:
            problems.append(valued.problem)
            continue
        line = sources.get(contribution.partner_id)
        if line is None:
            name = contribution.partner.short_name if contribution.partner_id else state
            line = sources[contribution.partner_id] = SourceLine(contribution.partner_id, name)
        line.disbursed += valued.disbursed or ZERO
    for (objective_id, partner_id), amount in spent.items():
        objectives[objective_id].progress.spent += amount
        total.spent += amount
        if partner_id not in sources:
            sources[partner_id] = SourceLine(partner_id, state if partner_id is None else "?")
        sources[partner_id].spent += amount

    # Advocacy milestones: how many each objective reached, and the latest.
    milestones = list(Milestone.objects.filter(objective__plan=plan).order_by("reached_on", "pk"))
    for milestone in milestones:
        line = objectives[milestone.objective_id]
        line.milestones += 1
        line.latest_milestone = milestone

    return PlanFigures(
        plan=plan,
        objectives=list(objectives.values()),
        total=total,
        sources=sorted(
            sources.values(), key=lambda s: (s.partner_id is not None, -s.spent, s.name)
        ),
        indicators=plan_indicator_lines(plan),
        milestones=len(milestones),
        latest_milestone=milestones[-1] if milestones else None,
        trained=people_trained(plan),
        funding=picture.total,
        problems=sorted(set(problems)),
    )


def plan_indicator_lines(plan):
    """[IndicatorLine] of the plan's indicators (on objectives and on results), each with its
    latest value (by period). One query."""
    latest = IndicatorValue.objects.filter(indicator=OuterRef("pk")).order_by("-period_start")
    indicators = (
        Indicator.objects.filter(Q(objective__plan=plan) | Q(result__objective__plan=plan))
        .select_related("objective", "result__objective")
        .annotate(
            last_value=Subquery(latest.values("value")[:1]),
            last_end=Subquery(latest.values("period_end")[:1]),
        )
    )
    lines = []
    for indicator in indicators:
        if indicator.result_id:
            objective, code = indicator.result.objective, indicator.result.code
        else:
            objective, code = indicator.objective, indicator.objective.code
        line = IndicatorLine(indicator, code, indicator.last_value, indicator.last_end)
        line.order = (objective.position, indicator.result_id is not None, code, indicator.position)
        lines.append(line)
    lines.sort(key=lambda line: line.order)
    return lines


def people_trained(plan):
    """{people, women, men}: each person once, over the plan's workshops. One query."""
    participations = Participation.objects.filter(event__in=plan_workshops(plan)).order_by()
    return participations.aggregate(
        people=Count("participant", distinct=True),
        women=Count("participant", distinct=True, filter=Q(participant__sex=WOMAN)),
        men=Count("participant", distinct=True, filter=Q(participant__sex=MAN)),
    )


# The six countries ---------------------------------------------------------------------------


@dataclass
class PlanLine:
    """One current plan of a country, its figures in its currency and in the common one."""

    plan: object
    budget: Decimal = ZERO
    spent: Decimal = ZERO
    announced: Decimal = ZERO
    activities: int = 0
    done: int = 0
    cancelled: int = 0
    milestones: int = 0
    conversion: object = None  # the budget's relais.core.rates.Conversion
    problem: str = ""  # no rate to the common currency
    common: dict = field(default_factory=dict)  # budget, spent, gap in the common currency

    @property
    def gap(self):
        return self.budget - self.announced


@dataclass
class CountryLine:
    country: object
    plans: list = field(default_factory=list)  # PlanLine
    url: str = ""  # the dashboard of its first current plan, else the country's page
    people: int = 0
    women: int = 0
    men: int = 0

    def _sum(self, name):
        return sum((line.common.get(name, ZERO) for line in self.plans), ZERO)

    def _count(self, name):
        return sum(getattr(line, name) for line in self.plans)

    @property
    def adopted(self):
        return sum(1 for line in self.plans if line.plan.status == line.plan.Status.ADOPTED)

    @property
    def budget(self):
        return self._sum("budget")

    @property
    def spent(self):
        return self._sum("spent")

    @property
    def gap(self):
        return self._sum("gap")

    @property
    def execution(self):
        return percent(self.spent, self.budget)

    @property
    def execution_bar(self):
        return bar_width(self.execution)

    @property
    def activities(self):
        """Activities that count: those not cancelled."""
        return self._count("activities") - self._count("cancelled")

    @property
    def done(self):
        return self._count("done")

    @property
    def done_share(self):
        return percent(self.done, self.activities)

    @property
    def done_bar(self):
        return bar_width(self.done_share)

    @property
    def milestones(self):
        return self._count("milestones")

    @property
    def problems(self):
        return [line.problem for line in self.plans if line.problem]


@dataclass
class RegionalFigures:
    currency: str
    today: object
    countries: list  # CountryLine, by code
    total: dict  # budget, spent, gap, people, women, men, activities, done, milestones

    @property
    def execution(self):
        return percent(self.total["spent"], self.total["budget"])

    @property
    def conversions(self):
        """[(country, plan, Conversion)] of the plans converted, for the rates shown."""
        return [
            (country.country, line.plan, line.conversion)
            for country in self.countries
            for line in country.plans
            if line.conversion is not None
        ]


def regional_figures(*, today, currency="EUR"):
    """The RegionalFigures of the six countries in `currency` (EUR or XOF; EUR otherwise), as
    of `today`. Nine queries, whatever the number of activities, expenditures and people: the
    countries and their current plans (two), the rates, activities done, two for
    expenditures, contributions, milestones and people trained."""
    from django.urls import reverse

    from relais.plans.selectors import regional_plans

    if currency not in COMMON_CURRENCIES:
        currency = COMMON_CURRENCIES[0]
    countries = regional_plans()
    lines = {}
    result = []
    for country in countries:
        line = CountryLine(country)
        for plan in country.current_plans:
            lines[plan.pk] = PlanLine(plan, budget=plan.total)
            line.plans.append(lines[plan.pk])
        if line.plans:
            line.url = reverse("monitoring:dashboard", args=[line.plans[0].plan.pk])
        else:
            line.url = reverse("countries:detail", args=[country.code])
        result.append(line)
    plans = [line.plan for line in lines.values()]
    rates = RateTable.load()
    if plans:
        _regional_activities(plans, lines)
        _regional_spending(plans, lines, rates)
        _regional_announced(plans, lines, rates)
        _regional_milestones(plans, lines)
        _regional_trained(plans, result)

    for line in lines.values():
        plan = line.plan
        try:
            line.conversion = rates.convert(line.budget, plan.currency, currency, plan.period_start)
            line.common = {
                name: rates.convert(
                    getattr(line, name), plan.currency, currency, plan.period_start
                ).amount
                for name in ("budget", "spent", "gap")
            }
        except MissingRate as missing:
            line.conversion, line.common = None, {}
            line.problem = missing.message()

    total = {
        name: sum((getattr(c, name) for c in result), ZERO) for name in ("budget", "spent", "gap")
    }
    for name in ("people", "women", "men", "activities", "done", "milestones"):
        total[name] = sum(getattr(c, name) for c in result)
    return RegionalFigures(currency, today, result, total)


def _regional_activities(plans, lines):
    """Activities, those done and those cancelled (at their latest update), per plan: grouped
    by the latest status, so that the database reads it once per activity."""
    latest = ActivityUpdate.objects.filter(activity=OuterRef("pk")).order_by("-on", "-at", "-pk")
    rows = (
        Activity.objects.filter(objective__plan__in=plans)
        .annotate(last_status=Subquery(latest.values("status")[:1]))
        .order_by()
        .values_list("objective__plan_id", "last_status")
        .annotate(number=Count("pk"))
    )
    for plan_id, status, number in rows:
        line = lines[plan_id]
        line.activities += number
        if status == DONE:
            line.done += number
        elif status == CANCELLED:
            line.cancelled += number


def _regional_spending(plans, lines, rates):
    """Validated spending per plan, in its currency, converted as plan_figures converts it."""
    expenditures = _validated(activity__objective__plan__in=plans)
    by_currency = defaultdict(list)
    for plan in plans:
        by_currency[plan.currency].append(plan.pk)
    # In its plan's currency: the plans of each currency, without reading the plans' table.
    own = Q()
    for currency, pks in by_currency.items():
        own |= Q(currency=currency, activity__objective__plan__in=pks)
    same = expenditures.filter(own).values_list("activity__objective__plan_id")
    for plan_id, amount in same.annotate(amount=Sum("amount")):
        lines[plan_id].spent += amount
    foreign = expenditures.exclude(own).values_list(
        "activity__objective__plan_id", "amount", "currency", *RATE_DATES
    )
    for plan_id, amount, from_currency, *dates in foreign:
        line = lines[plan_id]
        converted = _convert(
            rates, amount, from_currency, line.plan.currency, _rate_date(*dates), []
        )
        if converted is not None:
            line.spent += converted


def _regional_announced(plans, lines, rates):
    """What live contributions stand for, per plan, in its currency: the funding picture's
    `announced` (a contribution whose rate is missing counts nothing there either)."""
    contributions = Contribution.objects.filter(plan__in=plans).exclude(
        status=Contribution.Status.WITHDRAWN
    )
    for contribution in contributions.order_by():
        line = lines[contribution.plan_id]
        committed = contribution.committed
        if not committed:
            continue
        currency = line.plan.currency
        if contribution.currency != currency:
            try:
                # The picture leaves out a contribution whose pledge cannot be converted too.
                if contribution.amount is not None:
                    rates.convert(1, contribution.currency, currency, contribution.announced_on)
                committed = rates.convert(
                    committed, contribution.currency, currency, contribution.rate_date
                ).amount
            except MissingRate:
                continue
        line.announced += committed


def _regional_milestones(plans, lines):
    rows = (
        Milestone.objects.filter(objective__plan__in=plans)
        .order_by()
        .values("objective__plan_id")
        .annotate(number=Count("pk"), latest=Max("reached_on"))
    )
    for row in rows:
        lines[row["objective__plan_id"]].milestones = row["number"]


def _regional_trained(plans, countries):
    """People trained per country, each once, over the workshops of its current plans (as
    relais.workshops.trained.plan_workshops chooses them for one plan)."""
    condition = Q()
    for plan in plans:
        condition |= Q(country_id=plan.country_id) & (
            Q(starts_on__range=(plan.period_start, plan.period_end))
            | Q(activity__objective__plan=plan)
            | Q(plan=plan)
        )
    events = Event.objects.filter(kind__in=TRAINING_KINDS).filter(condition).values("pk")
    rows = (
        Participation.objects.filter(event__in=events)
        .order_by()
        .values("event__country_id")
        .annotate(
            people=Count("participant", distinct=True),
            women=Count("participant", distinct=True, filter=Q(participant__sex=WOMAN)),
            men=Count("participant", distinct=True, filter=Q(participant__sex=MAN)),
        )
    )
    by_country = {line.country.pk: line for line in countries}
    for row in rows:
        line = by_country.get(row["event__country_id"])
        if line is not None:
            line.people, line.women, line.men = row["people"], row["women"], row["men"]
