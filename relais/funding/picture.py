"""The funding picture of a plan: for the plan, each objective and each activity, the budget
and what contributions announce, confirm and disburse, and the gap.

A contribution counts at the level it targets (an activity, an objective or the whole plan)
and rolls up from there, never down: a pledge to an objective narrows that objective's gap
and the plan's, not any one activity's. Its amounts are converted to the plan's currency at
its rate date (the agreement's, else the pledge's), with the peg or the dated rate that
relais.core.rates finds, and split over its targets in proportion to their shares, to the
currency's unit, so that the parts add up to the whole. Technical and in-kind contributions
count in money only when they were given a value. Over-funding is shown as a negative gap.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_FLOOR, Decimal

from relais.core.money import quantum
from relais.core.rates import MissingRate, RateTable
from relais.funding.models import Contribution, ContributionTarget, Disbursement

ZERO = Decimal(0)
MEASURES = ("announced", "confirmed", "disbursed")


@dataclass
class Figures:
    budget: Decimal = ZERO
    announced: Decimal = (
        ZERO  # what live contributions stand for: pledged, or agreed once confirmed
    )
    confirmed: Decimal = ZERO  # what agreements confirm
    disbursed: Decimal = ZERO  # what was paid
    expected: Decimal = ZERO  # planned funding sources whose funder has announced nothing yet

    @property
    def gap(self):
        """The budget no contribution stands for yet; negative when over-funded."""
        return self.budget - self.announced

    @property
    def over(self):
        return max(-self.gap, ZERO)

    def add(self, other):
        for name in ("budget", *MEASURES, "expected"):
            setattr(self, name, getattr(self, name) + getattr(other, name))

    def percent(self, name):
        """`name`'s share of the budget, 0 to 100, for the bars."""
        value = getattr(self, name)
        if self.budget <= 0:
            return 100 if value > 0 else 0
        return min(100, int(value * 100 / self.budget))


@dataclass
class Line:
    """One activity's row."""

    pk: int
    objective_id: int
    code: str
    title: str
    months: list
    figures: Figures


@dataclass
class ObjectiveFigures:
    pk: int
    code: str
    statement: str
    lines: list = field(default_factory=list)
    direct: Figures = field(default_factory=Figures)  # contributions to the objective itself
    total: Figures = field(default_factory=Figures)  # its activities' and its own, rolled up


@dataclass
class Valued:
    """A contribution with its figures in the plan's currency."""

    contribution: Contribution
    announced: Decimal | None
    confirmed: Decimal | None
    disbursed: Decimal
    disbursed_own: Decimal  # in its own currency
    conversion: object = None  # relais.core.rates.Conversion, None when in the plan's currency
    problem: str = ""
    # The pledge as it was announced (at a round table, say), in the plan's currency, whatever
    # the agreement later confirmed or a withdrawal undid.
    pledged: Decimal | None = None

    @property
    def over_disbursed(self):
        limit = self.contribution.confirmed_amount or ZERO
        return self.disbursed_own > limit


@dataclass
class Picture:
    plan: object
    objectives: list
    direct: Figures  # contributions to the whole plan
    total: Figures
    contributions: list  # Valued, in the order they were announced
    unfunded: list  # Lines with no confirmed funding, those that start soonest first

    @property
    def by_objective(self):
        return {o.pk: o for o in self.objectives}


def split(amount, shares, currency):
    """`amount` split in proportion to `shares`, to the currency's unit, adding up exactly:
    each part is rounded down and the units left go to the largest remainders."""
    if not shares:
        return []
    unit = quantum(currency)
    whole = sum(shares, ZERO)
    if whole <= 0:
        return [ZERO for _ in shares]
    exact = [amount * share / whole for share in shares]
    parts = [(value / unit).to_integral_value(ROUND_FLOOR) * unit for value in exact]
    left = int((amount - sum(parts, ZERO)) / unit)
    order = sorted(range(len(shares)), key=lambda i: (exact[i] - parts[i], -i), reverse=True)
    for index in order[:left]:
        parts[index] += unit
    return parts


def _value(contribution, disbursed_own, rates, currency):
    """The contribution's figures in the plan's currency (Valued)."""
    announced = contribution.committed
    confirmed = (
        contribution.confirmed_amount
        if contribution.status == Contribution.Status.CONFIRMED
        else None
    )
    valued = Valued(contribution, announced, confirmed, disbursed_own, disbursed_own)
    valued.pledged = contribution.amount
    if contribution.currency == currency:
        return valued
    try:
        if contribution.amount is not None:
            valued.pledged = rates.convert(
                contribution.amount, contribution.currency, currency, contribution.announced_on
            ).amount
        on = contribution.rate_date
        if announced is not None:
            valued.conversion = rates.convert(announced, contribution.currency, currency, on)
            valued.announced = valued.conversion.amount
        if confirmed is not None:
            valued.confirmed = rates.convert(confirmed, contribution.currency, currency, on).amount
        valued.disbursed = rates.convert(disbursed_own, contribution.currency, currency, on).amount
        if valued.conversion is None and disbursed_own:
            valued.conversion = rates.convert(disbursed_own, contribution.currency, currency, on)
    except MissingRate as missing:
        valued.announced = valued.confirmed = valued.pledged = None
        valued.disbursed = ZERO
        valued.problem = missing.message()
    return valued


def _activity_rows(plan):
    from relais.plans.models import Activity, FundingSource, Objective

    objectives = list(
        Objective.objects.filter(plan=plan).values_list("pk", "position", "statement")
    )
    activities = list(
        Activity.objects.filter(objective__plan=plan)
        .order_by("objective__position", "position", "pk")
        .values_list("pk", "objective_id", "position", "title", "total", "months")
    )
    sources = list(
        FundingSource.objects.filter(activity__objective__plan=plan).values_list(
            "activity_id", "organisation_id", "amount"
        )
    )
    return objectives, activities, sources


def _valued(plan, partners, status):
    """([Valued], the RateTable): three queries."""
    contributions = list(Contribution.objects.filter(plan=plan).select_related("partner", "event"))
    if partners is not None:
        contributions = [c for c in contributions if c.partner_id in partners]
    if status:
        contributions = [c for c in contributions if c.status == status]
    paid = defaultdict(lambda: ZERO)
    for contribution_id, amount in Disbursement.objects.filter(contribution__plan=plan).values_list(
        "contribution_id", "amount"
    ):
        paid[contribution_id] += amount
    rates = RateTable.load()
    return [_value(c, paid[c.pk], rates, plan.currency) for c in contributions], rates


def valued_contributions(*, plan, partners=None, status=None):
    """The plan's contributions (Valued, in the order they were announced), as in its funding
    picture but without the figures of its objectives and activities: what a list of
    contributions needs. `partners` and `status` as for funding_picture. Three queries."""
    return _valued(plan, partners, status)[0]


def funding_picture(*, plan, partners=None, status=None):
    """The Picture of `plan`. `partners`: only the contributions of these organisation ids
    (None stands for the state budget); `status`: only those in this status. Seven queries,
    whatever the number of activities and contributions."""
    currency = plan.currency
    objective_rows, activity_rows, sources = _activity_rows(plan)
    valued, rates = _valued(plan, partners, status)
    wanted = {v.contribution.pk for v in valued}
    targets = defaultdict(list)  # contribution pk → [(objective pk, activity pk, share)]
    rows = ContributionTarget.objects.filter(contribution__plan=plan).order_by("pk")
    for contribution_id, *target in rows.values_list(
        "contribution_id", "objective_id", "activity_id", "share"
    ):
        if contribution_id in wanted:
            targets[contribution_id].append(target)

    objectives = {
        pk: ObjectiveFigures(pk, f"OS{position}", statement)
        for pk, position, statement in sorted(objective_rows, key=lambda r: (r[1], r[0]))
    }
    lines = {}
    for pk, objective_id, position, title, total, months in activity_rows:
        objective = objectives[objective_id]
        line = Line(pk, objective_id, f"{objective.code[2:]}.{position}", title, months, Figures())
        line.figures.budget = total
        lines[pk] = line
        objective.lines.append(line)

    direct = Figures()
    announcing = set()  # funders (None: the state) with a live contribution
    for figures in valued:
        contribution = figures.contribution
        if contribution.is_live:
            announcing.add(contribution.partner_id)
        if figures.problem or (status is None and not contribution.is_live):
            continue
        measures = {
            "announced": figures.announced
            if contribution.is_live
            else _withdrawn_value(contribution, rates, currency),
            "confirmed": figures.confirmed,
            "disbursed": figures.disbursed,
        }
        own = targets.get(contribution.pk, [])
        shares = [share for _objective, _activity, share in own]
        places = [
            lines[activity_id].figures if activity_id else objectives[objective_id].direct
            for objective_id, activity_id, _share in own
        ] or [direct]
        for name, amount in measures.items():
            if not amount:
                continue
            parts = split(amount, shares, currency) if own else [amount]
            for place, part in zip(places, parts, strict=True):
                setattr(place, name, getattr(place, name) + part)

    if partners is None and status is None:
        for activity_id, organisation_id, amount in sources:
            if organisation_id not in announcing:
                lines[activity_id].figures.expected += amount

    total = Figures()
    for objective in objectives.values():
        for line in objective.lines:
            objective.total.add(line.figures)
        objective.total.add(objective.direct)
        total.add(objective.total)
    total.add(direct)

    unfunded = sorted(
        (line for line in lines.values() if not line.figures.confirmed),
        key=lambda line: (min(line.months) if line.months else "9999", line.code),
    )
    return Picture(plan, list(objectives.values()), direct, total, valued, unfunded)


def _withdrawn_value(contribution, rates, currency):
    """What a withdrawn contribution had announced, in the plan's currency (filter "withdrawn")."""
    if contribution.amount is None:
        return None
    if contribution.currency == currency:
        return contribution.amount
    return rates.convert(
        contribution.amount, contribution.currency, currency, contribution.rate_date
    ).amount
