"""Indicator values and advocacy milestones: the reads their pages show and the writes that
record them.

A value belongs to one reporting period of its indicator (relais.monitoring.periods), within
its plan's span, and may say how it splits between women and men, children and adults. Values
counted from the workshops are cumulative: the value of a period is what the workshops of the
plan held up to its last day (or up to today for the period under way) add up to, as
relais.workshops.trained counts them; so the latest value is the one to compare with the
target.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Prefetch, Q
from django.http import Http404
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from relais.core.money import format_rate
from relais.monitoring import evidence as evidence_files
from relais.monitoring.models import Evidence, IndicatorValue, Milestone
from relais.monitoring.periods import Period, period_label, periods_between
from relais.plans.models import Indicator, Objective, Result

ZERO = Decimal(0)
HUNDRED = Decimal(100)
# The pairs a value may be split into; each pair's parts add up to the value.
PAIRS = (("women", "men"), ("children", "adults"))
PARTS = tuple(part for pair in PAIRS for part in pair)


def indicator_plan(indicator):
    """The plan of an indicator on an objective or on a result (no query once
    `indicator_get` has loaded it)."""
    objective = indicator.objective if indicator.objective_id else indicator.result.objective
    return objective.plan


def plan_span(plan):
    return (plan.period_start, plan.period_end)


def indicator_periods(*, indicator, plan):
    """The Periods of `indicator` (by its frequency) within its plan's span."""
    return periods_between(plan.period_start, plan.period_end, indicator.frequency)


def progress(latest, baseline, target):
    """How far `latest` has gone from the baseline toward the target, in percent (Decimal, to
    the unit; may exceed 100 or fall below 0): (latest − baseline) / (target − baseline). A
    missing baseline counts as 0. None when there is no value or no target, or when the target
    is the baseline."""
    if latest is None or target is None:
        return None
    baseline = baseline if baseline is not None else ZERO
    if target == baseline:
        return None
    share = (latest - baseline) * HUNDRED / (target - baseline)
    return share.quantize(Decimal(1), rounding=ROUND_HALF_UP)


# Reads ----------------------------------------------------------------------------------------


@dataclass
class Cell:
    period: Period
    label: str
    value: object = None  # IndicatorValue or None


@dataclass
class IndicatorLine:
    indicator: Indicator
    cells: list = field(default_factory=list)
    source: object = None  # relais.workshops IndicatorSource, or None

    @property
    def values(self):
        return [cell.value for cell in self.cells if cell.value is not None]

    @property
    def latest(self):
        """The Cell of the latest period with a value, or None."""
        return next((cell for cell in reversed(self.cells) if cell.value is not None), None)

    @property
    def progress(self):
        latest = self.latest
        return progress(
            latest.value.value if latest else None, self.indicator.baseline, self.indicator.target
        )

    @property
    def bar(self):
        """The progress clamped to 0–100, for a bar."""
        share = self.progress
        return None if share is None else int(min(max(share, ZERO), HUNDRED))

    @property
    def from_workshops(self):
        return self.source is not None


def indicator_lines(*, plan, indicators):
    """[IndicatorLine] for `indicators` of `plan` (with `workshop_source` selected), each with a
    Cell per period of the plan's span and the value recorded for it. One query."""
    values = defaultdict(dict)
    for value in IndicatorValue.objects.filter(indicator__in=[i.pk for i in indicators]):
        values[value.indicator_id][value.period_start] = value
    labels = {}
    lines = []
    for indicator in indicators:
        cells = []
        for period in indicator_periods(indicator=indicator, plan=plan):
            key = (period, indicator.frequency)
            if key not in labels:
                labels[key] = period_label(period, indicator.frequency)
            cells.append(Cell(period, labels[key], values[indicator.pk].get(period.start)))
        source = getattr(indicator, "workshop_source", None)
        lines.append(IndicatorLine(indicator, cells, source))
    return lines


def plan_indicators(*, plan):
    """The plan's objectives, in order, each with `indicator_lines` (its own indicators) and
    `result_groups`: [(result, [IndicatorLine])] for its results that have indicators. Four
    queries: objectives, results, indicators with their workshop source, values."""
    objectives = list(Objective.objects.filter(plan=plan))
    results = list(Result.objects.filter(objective__plan=plan))
    indicators = list(
        Indicator.objects.filter(Q(objective__plan=plan) | Q(result__objective__plan=plan))
        .select_related("workshop_source")
        .order_by("position", "pk")
    )
    by_objective = {objective.pk: objective for objective in objectives}
    for objective in objectives:
        objective.plan = plan
        objective.indicator_lines = []
        objective.result_groups = []
    by_result = {}
    for result in results:
        result.objective = by_objective[result.objective_id]
        by_result[result.pk] = (result, [])
    for line in indicator_lines(plan=plan, indicators=indicators):
        indicator = line.indicator
        if indicator.result_id:
            indicator.result = by_result[indicator.result_id][0]
            by_result[indicator.result_id][1].append(line)
        else:
            indicator.objective = by_objective[indicator.objective_id]
            indicator.objective.indicator_lines.append(line)
    for result, lines in by_result.values():
        if lines:
            result.objective.result_groups.append((result, lines))
    return objectives


def indicator_get(*, user, pk):
    """An indicator `user` may read the monitoring of, with its objective or result, its plan
    and country, and its workshop source (one query); 404 otherwise."""
    indicator = (
        Indicator.objects.select_related(
            "objective__plan__country", "result__objective__plan__country", "workshop_source"
        )
        .filter(pk=pk)
        .first()
    )
    if indicator is None or not user.has_perm(
        "monitoring.view_monitoring", indicator_plan(indicator)
    ):
        raise Http404
    return indicator


def indicator_history(*, indicator):
    """Every recorded version of the indicator's values, newest first, with who recorded it:
    one query."""
    return (
        IndicatorValue.history.filter(indicator_id=indicator.pk)
        .select_related("history_user")
        .order_by("-history_date", "-history_id")
    )


def plan_milestones(*, plan):
    """The plan's objectives, in order, each with `reached`: its milestones by date, each with
    its evidence. Three queries."""
    objectives = list(
        Objective.objects.filter(plan=plan).prefetch_related(
            Prefetch(
                "milestones",
                queryset=Milestone.objects.order_by("reached_on", "pk").prefetch_related(
                    Prefetch("evidence", queryset=Evidence.objects.order_by("at", "pk"))
                ),
                to_attr="reached",
            )
        )
    )
    for objective in objectives:
        objective.plan = plan
    return objectives


# Writes ---------------------------------------------------------------------------------------


def _json_number(value):
    """A Decimal as JSON holds it without loss: an integer when whole, else its text."""
    return int(value) if value == value.to_integral_value() else str(value.normalize())


def disaggregation_of(value):
    """{"women": Decimal, …} of an IndicatorValue's disaggregation."""
    return {key: Decimal(str(part)) for key, part in (value.disaggregation or {}).items()}


def _check_parts(value, parts):
    """{field: message} for parts that are negative, exceed the value, or whose pair does not
    add up to the value."""
    errors = {}
    for name, part in parts.items():
        if part is None:
            continue
        if part < 0:
            errors[name] = _("A part cannot be negative.")
        elif part > value:
            errors[name] = _("This part (%(part)s) is larger than the value (%(value)s).") % {
                "part": format_rate(part),
                "value": format_rate(value),
            }
    messages = {
        "women": _(
            "Women and men add up to %(sum)s, but the value is %(value)s: both parts "
            "together must equal the value."
        ),
        "children": _(
            "Children and adults add up to %(sum)s, but the value is %(value)s: both parts "
            "together must equal the value."
        ),
    }
    for first, second in PAIRS:
        a, b = parts.get(first), parts.get(second)
        if a is None or b is None or first in errors or second in errors:
            continue
        if a + b != value:
            errors[second] = messages[first] % {
                "sum": format_rate(a + b),
                "value": format_rate(value),
            }
    return errors


@transaction.atomic
def indicator_value_set(*, indicator, by, period_start, value, comment="", **parts):
    """Record (or change) the value of `indicator` for the period starting on `period_start`,
    split as `parts` says (women, men, children, adults; None where not given). A typed value
    replaces one counted from the workshops. Returns the IndicatorValue; its history keeps the
    former values and who recorded each."""
    plan = indicator_plan(indicator)
    unknown = set(parts) - set(PARTS)
    if unknown:
        raise TypeError(f"Unknown parts: {sorted(unknown)}")
    period = next(
        (p for p in indicator_periods(indicator=indicator, plan=plan) if p.start == period_start),
        None,
    )
    if period is None:
        raise ValidationError(
            {
                "period": _(
                    "Choose one of the indicator's periods within the plan (%(start)s to %(end)s)."
                )
                % {
                    "start": date_format(plan.period_start, "DATE_FORMAT"),
                    "end": date_format(plan.period_end, "DATE_FORMAT"),
                }
            }
        )
    if value is None:
        raise ValidationError({"value": _("Enter the value.")})
    errors = _check_parts(value, parts)
    if errors:
        raise ValidationError(errors)
    disaggregation = {name: _json_number(part) for name, part in parts.items() if part is not None}
    record = (
        IndicatorValue.objects.select_for_update()
        .filter(indicator=indicator, period_start=period.start)
        .first()
    ) or IndicatorValue(indicator=indicator, period_start=period.start)
    record.period_end = period.end
    record.value = value
    record.disaggregation = disaggregation
    record.comment = comment
    record.from_workshops = False
    record.by = by
    record.at = timezone.now()
    record._history_user = by
    record.save()
    return record


@dataclass
class WorkshopCount:
    """What `values_from_workshops` did, period by period (Periods)."""

    recorded: list = field(default_factory=list)  # no value before
    updated: list = field(default_factory=list)  # a counted value that changed
    unchanged: list = field(default_factory=list)
    kept: list = field(default_factory=list)  # a typed value, left as it was


def workshop_counts(*, indicator, plan, periods, today):
    """{period start: (value, {"women": …, "men": …} or {})}: the indicator's measure over the
    workshops of the plan held up to the end of each period, or up to today for the one under
    way and for the plan's last (relais.workshops.trained.plan_workshops, measures as in
    plan_figures; a workshop not yet held counts for nothing). One query."""
    from relais.workshops.models import IndicatorSource
    from relais.workshops.trained import MAN, WOMAN, participations_of, plan_workshops

    measure = indicator.workshop_source.measure
    events = plan_workshops(plan)
    # The plan's last period also counts the workshops of its activities held after its end,
    # as trained.indicator_value does: its value is then the plan's whole count.
    ends = [
        today if period.end >= plan.period_end else min(period.end, today) for period in periods
    ]
    Measure = IndicatorSource.Measure
    if measure == Measure.WORKSHOPS:
        aggregates = {
            f"p{i}": Count("pk", distinct=True, filter=Q(starts_on__lte=end))
            for i, end in enumerate(ends)
        }
        figures = events.order_by().aggregate(**aggregates) if aggregates else {}
        return {p.start: (Decimal(figures[f"p{i}"]), {}) for i, p in enumerate(periods)}
    aggregates = {}
    for i, end in enumerate(ends):
        held = Q(event__starts_on__lte=end)
        if measure == Measure.PARTICIPATIONS:
            aggregates[f"p{i}"] = Count("pk", filter=held)
            continue
        sexes = {Measure.WOMEN: Q(participant__sex=WOMAN), Measure.MEN: Q(participant__sex=MAN)}
        aggregates[f"p{i}"] = Count(
            "participant", distinct=True, filter=held & sexes.get(measure, Q())
        )
        if measure == Measure.PEOPLE:
            aggregates[f"w{i}"] = Count(
                "participant", distinct=True, filter=held & Q(participant__sex=WOMAN)
            )
            aggregates[f"m{i}"] = Count(
                "participant", distinct=True, filter=held & Q(participant__sex=MAN)
            )
    figures = participations_of(events).order_by().aggregate(**aggregates) if aggregates else {}
    counts = {}
    for i, period in enumerate(periods):
        value = figures[f"p{i}"]
        parts = {}
        # The split by sex is kept only when every person's sex is known: parts must add up.
        if measure == Measure.PEOPLE and figures[f"w{i}"] + figures[f"m{i}"] == value:
            parts = {"women": figures[f"w{i}"], "men": figures[f"m{i}"]}
        counts[period.start] = (Decimal(value), parts)
    return counts


@transaction.atomic
def values_from_workshops(*, indicator, by, today=None):
    """Count the values of an indicator counted from the workshops (it has a
    `workshop_source`) for each of its periods that has begun (by `today`), and record them
    with `from_workshops`. Run again, it updates the values it counted before. A value typed
    by a person is never replaced: it is kept and reported in `kept`, for the coordinator to
    decide (typing the count over it, or leaving it). Returns a WorkshopCount."""
    if getattr(indicator, "workshop_source", None) is None:
        raise ValidationError(_("This indicator is not counted from the workshops."))
    today = today or timezone.localdate()
    plan = indicator_plan(indicator)
    periods = [
        period
        for period in indicator_periods(indicator=indicator, plan=plan)
        if period.start <= today
    ]
    done = WorkshopCount()
    if not periods:
        return done
    counts = workshop_counts(indicator=indicator, plan=plan, periods=periods, today=today)
    existing = {
        value.period_start: value
        for value in IndicatorValue.objects.select_for_update().filter(indicator=indicator)
    }
    for period in periods:
        value, parts = counts[period.start]
        record = existing.get(period.start)
        if record is not None and not record.from_workshops:
            done.kept.append(period)
            continue
        if record is not None and record.value == value and record.disaggregation == parts:
            done.unchanged.append(period)
            continue
        (done.updated if record is not None else done.recorded).append(period)
        record = record or IndicatorValue(indicator=indicator, period_start=period.start)
        record.period_end = period.end
        record.value = value
        record.disaggregation = parts
        record.from_workshops = True
        record.by = by
        record.at = timezone.now()
        record._history_user = by
        record.save()
    return done


@transaction.atomic
def milestone_create(*, objective, by, step, reached_on, description="", files=(), today=None):
    """Record that `objective`'s change sought reached `step` on `reached_on` (not in the
    future), with `files` as its evidence (checked by their content, as an update's are).
    Returns the Milestone, recorded in its history with `by`. All or nothing."""
    today = today or timezone.localdate()
    errors = {}
    if step not in Milestone.Step.values:
        errors["step"] = _("Choose the step reached.")
    if reached_on is None:
        errors["reached_on"] = _("Enter the date the step was reached.")
    elif reached_on > today:
        errors["reached_on"] = _(
            "The date is in the future (after %(today)s): record a step once it is reached."
        ) % {"today": date_format(today, "DATE_FORMAT")}
    try:
        prepared = evidence_files.prepare(files)
    except ValidationError as error:
        errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    milestone = Milestone(
        objective=objective, step=step, reached_on=reached_on, description=description, by=by
    )
    milestone._history_user = by
    milestone.full_clean()
    written = []
    try:
        with transaction.atomic():
            milestone.save()
            evidence_files.store(prepared, by=by, written=written, milestone=milestone)
    except BaseException:
        evidence_files.discard(written)
        raise
    return milestone
