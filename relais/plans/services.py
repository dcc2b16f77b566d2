"""Writes for plans: one function per action, each in one transaction.

Every content write checks that the plan is still a draft (adoption freezes the content) and,
for records two people may edit at once, that the record has not changed since the form was
opened (`revision`): the second person is told, nothing is silently overwritten.
"""

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, ProtectedError
from django.utils.translation import gettext as _

from relais.core.money import to_decimal
from relais.plans.models import (
    Activity,
    FundingSource,
    Indicator,
    Objective,
    Plan,
    PlanEvent,
    Result,
    months_between,
)
from relais.plans.signals import plan_superseded


class FrozenPlan(ValidationError):
    def __init__(self, plan):
        super().__init__(
            _(
                "This plan is %(status)s: its content can no longer change. "
                "Start a revision to change it."
            )
            % {"status": plan.get_status_display().lower()},
            code="frozen",
        )


class StaleEdit(ValidationError):
    def __init__(self, record):
        super().__init__(
            _(
                "Someone else changed this since you opened it, so your changes were not "
                "saved. Their version is shown here and what you typed is still in the form: "
                "save again to replace theirs."
            ),
            code="stale",
        )
        self.record = record


def _ensure_draft(plan):
    if not plan.is_editable:
        raise FrozenPlan(plan)


def _next_position(queryset):
    return (queryset.aggregate(top=Max("position"))["top"] or 0) + 1


def validate_months(months, plan):
    """The chronogram: at least one month, each inside the plan's period."""
    period = set(plan.months)
    if not months:
        raise ValidationError({"months": _("Choose at least one month in the chronogram.")})
    outside = sorted(set(months) - period)
    if outside:
        raise ValidationError(
            {
                "months": _("%(months)s is outside the plan's period (%(start)s – %(end)s).")
                % {"months": ", ".join(outside), "start": plan.months[0], "end": plan.months[-1]}
            }
        )
    return sorted(set(months))


# Plans ---------------------------------------------------------------------------------------


@transaction.atomic
def plan_create(*, country, by, title, period_start, period_end, **fields):
    fields.setdefault("currency", country.currency)
    plan = Plan.objects.create(
        country=country,
        title=title,
        period_start=period_start,
        period_end=period_end,
        created_by=by,
        **fields,
    )
    PlanEvent.objects.create(
        plan=plan, action=PlanEvent.Action.CREATE, to_status=plan.status, by=by
    )
    return plan


@transaction.atomic
def plan_update(*, plan, by, **fields):
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    _ensure_draft(plan)
    new_start = fields.get("period_start", plan.period_start)
    new_end = fields.get("period_end", plan.period_end)
    allowed = set(months_between(new_start, new_end))
    used = set()
    for months in Activity.objects.filter(objective__plan=plan).values_list("months", flat=True):
        used.update(months)
    if used - allowed:
        raise ValidationError(
            {
                "period_end": _(
                    "Activities take place in %(months)s, outside the new period: "
                    "change their chronogram first."
                )
                % {"months": ", ".join(sorted(used - allowed))}
            }
        )
    for name, value in fields.items():
        setattr(plan, name, value)
    plan.save()
    return plan


# The workflow: action → (statuses it may start from, status it leads to).
TRANSITIONS = {
    "submit": ({Plan.Status.DRAFT}, Plan.Status.SUBMITTED),
    "validate": ({Plan.Status.SUBMITTED}, Plan.Status.VALIDATED),
    "adopt": ({Plan.Status.VALIDATED}, Plan.Status.ADOPTED),
    "return": ({Plan.Status.SUBMITTED, Plan.Status.VALIDATED}, Plan.Status.DRAFT),
    "close": ({Plan.Status.ADOPTED}, Plan.Status.CLOSED),
}


def allowed_actions(plan):
    return [action for action, (sources, _target) in TRANSITIONS.items() if plan.status in sources]


@transaction.atomic
def plan_transition(*, plan, action, by, reason=""):
    """Move a plan along draft → submitted → validated → adopted → closed.

    Returning to draft needs a reason. Adopting a revision supersedes the version it revises.
    """
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    if action not in TRANSITIONS:
        raise ValidationError(_("Unknown action."))
    sources, target = TRANSITIONS[action]
    if plan.status not in sources:
        raise ValidationError(
            _("A plan that is %(status)s cannot be %(action)s.")
            % {
                "status": plan.get_status_display().lower(),
                "action": PlanEvent.Action(action).label,
            },
            code="transition",
        )
    reason = reason.strip()
    if action == "return" and not reason:
        raise ValidationError({"reason": _("Say why the plan goes back to draft.")})
    if action == "submit" and not Activity.objects.filter(objective__plan=plan).exists():
        raise ValidationError(_("A plan needs at least one activity before it is submitted."))
    from_status = plan.status
    plan.status = target
    plan.save(update_fields=["status"])
    PlanEvent.objects.create(
        plan=plan, action=action, from_status=from_status, to_status=target, reason=reason, by=by
    )
    if action == "adopt" and plan.previous_id:
        previous = Plan.objects.select_for_update().get(pk=plan.previous_id)
        if previous.status in {Plan.Status.ADOPTED, Plan.Status.CLOSED}:
            old = previous.status
            previous.status = Plan.Status.SUPERSEDED
            previous.save(update_fields=["status"])
            PlanEvent.objects.create(
                plan=previous,
                action=PlanEvent.Action.SUPERSEDE,
                from_status=old,
                to_status=previous.status,
                reason=_("Replaced by version %(version)s.") % {"version": plan.version},
                by=by,
            )
            plan_superseded.send(sender=Plan, old=previous, new=plan, by=by)
    return plan


def _copy_content(*, source, target, month_shift=0):
    """Copy objectives, results, indicators, activities (with partners, assignees and planned
    sources) from `source` into `target`. With `month_shift`, chronograms move by that many
    months and months falling outside the target's period are dropped; an activity left with
    none keeps its months' places in the period (`_months_in_period`), never an empty
    chronogram. Keys are kept only for a revision (month_shift None) so that versions can be
    compared. Returns the new activities whose chronogram did not simply move."""
    keep_keys = month_shift is None
    shift = month_shift or 0
    adjusted = []
    objectives = list(
        Objective.objects.filter(plan=source).prefetch_related(
            "results__indicators",
            "indicators",
            "activities__funding_sources",
            "activities__partners",
            "activities__assignees",
        )
    )
    for objective in objectives:
        results = list(objective.results.all())
        indicators = list(objective.indicators.all())
        activities = list(objective.activities.all())
        new_objective = Objective.objects.create(
            plan=target,
            position=objective.position,
            statement=objective.statement,
            deadline=_shift_date(objective.deadline, shift),
            change_kind=objective.change_kind,
            change_sought=objective.change_sought,
            targets=objective.targets,
            axis=objective.axis,
            **({"key": objective.key} if keep_keys else {}),
        )
        new_results = {}
        for result in results:
            new_results[result.pk] = Result.objects.create(
                objective=new_objective, position=result.position, statement=result.statement
            )
            for indicator in result.indicators.all():
                _copy_indicator(indicator, result=new_results[result.pk], shift=shift)
        for indicator in indicators:
            _copy_indicator(indicator, objective=new_objective, shift=shift)
        for activity in activities:
            shifted = [_shift_month(m, shift) for m in activity.months]
            months = _months_in_period(shifted, target.months)
            new_activity = Activity.objects.create(
                objective=new_objective,
                position=activity.position,
                title=activity.title,
                description=activity.description,
                responsible_id=activity.responsible_id,
                months=months,
                unit_cost=activity.unit_cost,
                quantity=activity.quantity,
                unit=activity.unit,
                total=activity.total,
                result=new_results.get(activity.result_id),
                **({"key": activity.key} if keep_keys else {}),
            )
            if months != sorted(set(shifted)):
                adjusted.append(new_activity)
            new_activity.partners.set(activity.partners.all())
            new_activity.assignees.set(activity.assignees.all())
            FundingSource.objects.bulk_create(
                FundingSource(
                    activity=new_activity, organisation_id=s.organisation_id, amount=s.amount
                )
                for s in activity.funding_sources.all()
            )
    return adjusted


def _months_in_period(months, period):
    """`months` (already shifted) within `period` (a plan's months, in order), sorted.

    Those inside are kept and the others dropped. If none is inside, each is wrapped into the
    period by its distance from the period's start, modulo the period's length: with a period
    of whole years an activity keeps its calendar months (2021-01 in a copy for 2020 becomes
    2020-01). An activity never ends up without a month."""
    inside = sorted(set(months) & set(period))
    if inside or not months or not period:
        return inside
    start = _month_index(period[0])
    return sorted({period[(_month_index(m) - start) % len(period)] for m in months})


def _month_index(month):
    return int(month[:4]) * 12 + int(month[5:7]) - 1


def _copy_indicator(indicator, *, shift, objective=None, result=None):
    Indicator.objects.create(
        objective=objective,
        result=result,
        position=indicator.position,
        name=indicator.name,
        unit=indicator.unit,
        baseline=indicator.baseline,
        target=indicator.target,
        target_date=_shift_date(indicator.target_date, shift),
        means_of_verification=indicator.means_of_verification,
        frequency=indicator.frequency,
    )


def _shift_month(month, shift):
    index = int(month[:4]) * 12 + int(month[5:7]) - 1 + shift
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def _shift_date(value, shift):
    if value is None or not shift:
        return value
    month = _shift_month(f"{value.year:04d}-{value.month:02d}", shift)
    year, mon = int(month[:4]), int(month[5:])
    day = min(value.day, 28 if mon == 2 else 30 if mon in (4, 6, 9, 11) else 31)
    return date(year, mon, day)


@transaction.atomic
def plan_revise(*, plan, by):
    """Start a revision of an adopted plan: a new draft, version + 1, with the same content."""
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    if plan.status != Plan.Status.ADOPTED:
        raise ValidationError(_("Only an adopted plan can be revised."))
    if Plan.objects.filter(previous=plan).exclude(status=Plan.Status.SUPERSEDED).exists():
        raise ValidationError(_("A revision of this plan is already under way."))
    revision = Plan.objects.create(
        country=plan.country,
        title=plan.title,
        period_start=plan.period_start,
        period_end=plan.period_end,
        currency=plan.currency,
        language=plan.language,
        general_objective=plan.general_objective,
        strategy=plan.strategy,
        version=plan.version + 1,
        previous=plan,
        created_by=by,
    )
    _copy_content(source=plan, target=revision, month_shift=None)
    PlanEvent.objects.create(
        plan=revision,
        action=PlanEvent.Action.REVISE,
        to_status=revision.status,
        reason=_("Revision of version %(version)s.") % {"version": plan.version},
        by=by,
    )
    return revision


@transaction.atomic
def plan_copy(*, plan, by, title, period_start, period_end):
    """Start the next period's plan from any plan: a new draft, chronograms moved by the
    number of months between the two periods' starts. The copy's `adjusted_activities` are
    those whose chronogram did not simply move (months dropped, or wrapped into the period):
    the person is asked to check them."""
    shift = (period_start.year - plan.period_start.year) * 12 + (
        period_start.month - plan.period_start.month
    )
    copy = Plan.objects.create(
        country=plan.country,
        title=title,
        period_start=period_start,
        period_end=period_end,
        currency=plan.currency,
        language=plan.language,
        general_objective=plan.general_objective,
        strategy=plan.strategy,
        created_by=by,
    )
    copy.adjusted_activities = _copy_content(source=plan, target=copy, month_shift=shift)
    PlanEvent.objects.create(
        plan=copy,
        action=PlanEvent.Action.COPY,
        to_status=copy.status,
        reason=str(plan),
        by=by,
    )
    return copy


# Objectives, results, indicators -------------------------------------------------------------


@transaction.atomic
def objective_create(*, plan, by, **fields):
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    _ensure_draft(plan)
    fields.setdefault("position", _next_position(Objective.objects.filter(plan=plan)))
    return Objective.objects.create(plan=plan, **fields)


@transaction.atomic
def objective_update(*, objective, by, revision, **fields):
    current = Objective.objects.select_for_update().select_related("plan").get(pk=objective.pk)
    _ensure_draft(current.plan)
    if revision is not None and int(revision) != current.revision:
        raise StaleEdit(current)
    for name, value in fields.items():
        setattr(current, name, value)
    current.revision += 1
    current.save()
    return current


@transaction.atomic
def objective_delete(*, objective, by):
    current = Objective.objects.select_for_update().select_related("plan").get(pk=objective.pk)
    _ensure_draft(current.plan)
    plan = current.plan
    _delete(current)
    _renumber(Objective.objects.filter(plan=plan))


@transaction.atomic
def objective_move(*, objective, by, direction):
    current = Objective.objects.select_related("plan").get(pk=objective.pk)
    _ensure_draft(current.plan)
    _move(current, Objective.objects.filter(plan=current.plan), direction)


@transaction.atomic
def result_create(*, objective, by, **fields):
    _ensure_draft(objective.plan)
    fields.setdefault("position", _next_position(Result.objects.filter(objective=objective)))
    return Result.objects.create(objective=objective, **fields)


@transaction.atomic
def result_update(*, result, by, **fields):
    _ensure_draft(result.objective.plan)
    for name, value in fields.items():
        setattr(result, name, value)
    result.save()
    return result


@transaction.atomic
def result_delete(*, result, by):
    _ensure_draft(result.objective.plan)
    objective = result.objective
    result.delete()
    _renumber(Result.objects.filter(objective=objective))


@transaction.atomic
def indicator_create(*, plan, by, objective=None, result=None, **fields):
    _ensure_draft(plan)
    siblings = Indicator.objects.filter(objective=objective, result=result)
    fields.setdefault("position", _next_position(siblings))
    return Indicator.objects.create(objective=objective, result=result, **fields)


@transaction.atomic
def indicator_update(*, indicator, plan, by, **fields):
    _ensure_draft(plan)
    for name, value in fields.items():
        setattr(indicator, name, value)
    indicator.save()
    return indicator


@transaction.atomic
def indicator_delete(*, indicator, plan, by):
    _ensure_draft(plan)
    indicator.delete()


# Activities ----------------------------------------------------------------------------------


def _funding(activity, sources, currency):
    """Replace the planned sources of `activity` with `sources`: [(organisation|None, amount)].

    Each part is positive, one part per source, and together they do not exceed the cost.
    """
    parts = []
    seen = set()
    for organisation, amount in sources:
        amount = to_decimal(amount)
        if amount <= 0:
            raise ValidationError({"funding": _("Each planned source carries a positive amount.")})
        key = organisation.pk if organisation else None
        if key in seen:
            raise ValidationError({"funding": _("Name each source once.")})
        seen.add(key)
        parts.append((organisation, amount))
    carried = sum((amount for _org, amount in parts), Decimal(0))
    if carried > activity.total:
        raise ValidationError(
            {"funding": _("The planned sources carry more than the activity costs.")}
        )
    activity.funding_sources.all().delete()
    FundingSource.objects.bulk_create(
        FundingSource(activity=activity, organisation=org, amount=amount) for org, amount in parts
    )


def _check_amounts(unit_cost, quantity):
    # to_decimal refuses floats: 1.21 × 2.5 as floats is 3.0249…, which would round to 3.02.
    errors = {}
    if unit_cost is None or to_decimal(unit_cost) < 0:
        errors["unit_cost"] = _("The unit cost is a positive amount.")
    if quantity is None or to_decimal(quantity) <= 0:
        errors["quantity"] = _("The quantity is a positive number.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def activity_create(
    *,
    objective,
    by,
    title,
    months,
    unit_cost,
    quantity=Decimal(1),
    partners=(),
    assignees=(),
    funding=(),
    **fields,
):
    plan = Plan.objects.select_for_update().get(pk=objective.plan_id)
    _ensure_draft(plan)
    _check_amounts(unit_cost, quantity)
    months = validate_months(months, plan)
    activity = Activity(
        objective=objective,
        title=title,
        months=months,
        unit_cost=unit_cost,
        quantity=quantity,
        position=fields.pop("position", None)
        or _next_position(Activity.objects.filter(objective=objective)),
        **fields,
    )
    activity.total = activity.compute_total(plan.currency)
    activity.save()
    activity.partners.set(partners)
    activity.assignees.set(assignees)
    _funding(activity, funding, plan.currency)
    return activity


@transaction.atomic
def activity_update(
    *, activity, by, revision, partners=None, assignees=None, funding=None, **fields
):
    current = (
        Activity.objects.select_for_update().select_related("objective__plan").get(pk=activity.pk)
    )
    plan = current.objective.plan
    _ensure_draft(plan)
    if revision is not None and int(revision) != current.revision:
        raise StaleEdit(current)
    for name, value in fields.items():
        setattr(current, name, value)
    _check_amounts(current.unit_cost, current.quantity)
    current.months = validate_months(current.months, plan)
    current.total = current.compute_total(plan.currency)
    current.revision += 1
    current.save()
    if partners is not None:
        current.partners.set(partners)
    if assignees is not None:
        current.assignees.set(assignees)
    if funding is not None:
        _funding(current, funding, plan.currency)
    return current


@transaction.atomic
def activity_delete(*, activity, by):
    current = Activity.objects.select_related("objective__plan").get(pk=activity.pk)
    _ensure_draft(current.objective.plan)
    objective = current.objective
    _delete(current)
    _renumber(Activity.objects.filter(objective=objective))


@transaction.atomic
def activity_move(*, activity, by, direction):
    current = Activity.objects.select_related("objective__plan").get(pk=activity.pk)
    _ensure_draft(current.objective.plan)
    _move(current, Activity.objects.filter(objective=current.objective), direction)


def _delete(record):
    """Delete, or say why not: records of later apps (a contribution that funds this
    activity) protect what they point at."""
    try:
        record.delete()
    except ProtectedError:
        raise ValidationError(
            _(
                "Contributions or other records point at this: it cannot be deleted. "
                "Change them first."
            ),
            code="protected",
        ) from None


# Ordering ------------------------------------------------------------------------------------


def _renumber(queryset):
    for position, record in enumerate(queryset.order_by("position", "pk"), start=1):
        if record.position != position:
            record.position = position
            record.save(update_fields=["position"])


def _move(record, siblings, direction):
    """Swap `record` with its neighbour above ("up") or below ("down")."""
    ordered = list(siblings.order_by("position", "pk"))
    index = next(i for i, r in enumerate(ordered) if r.pk == record.pk)
    other = index - 1 if direction == "up" else index + 1
    if direction not in {"up", "down"} or not 0 <= other < len(ordered):
        return
    ordered[index], ordered[other] = ordered[other], ordered[index]
    for position, item in enumerate(ordered, start=1):
        if item.position != position:
            item.position = position
            item.save(update_fields=["position"])


# Import ----------------------------------------------------------------------------------------


@transaction.atomic
def plan_import(*, parsed, country, by, organisations, title=None):
    """Create a draft plan from a parsed workbook (plans.importing), all or nothing.

    `organisations` maps each name the sheet uses to an Organisation, or None for one to
    create. Records are inserted in bulk, with their history.
    """
    from simple_history.utils import bulk_create_with_history

    from relais.countries.models import Organisation

    if parsed.errors:
        raise ValidationError(_("The workbook has errors: nothing was imported."))
    created = {}
    for name, organisation in organisations.items():
        if organisation is None:
            key = name.strip()[:255]
            organisation = Organisation.objects.filter(name=key, country=country).first()
            if organisation is None:
                organisation = Organisation(
                    name=key, country=country, kind=Organisation.Kind.PARTNER
                )
                organisation._history_user = by
                organisation.save()
            created[name] = organisation
    resolved = {**organisations, **created}
    plan = Plan(
        country=country,
        title=(title or parsed.title or _("Imported plan"))[:500],
        period_start=parsed.period_start,
        period_end=parsed.period_end,
        currency=parsed.currency or country.currency,
        # The workbook's own language (a French plan in Mauritania stays French), else the
        # country's first.
        language=parsed.language
        or next((c for c in country.languages if c in {"fr", "en", "pt", "ar"}), "fr"),
        created_by=by,
    )
    plan._history_user = by  # also from the command line, where no request names the author
    plan.save()
    objectives = bulk_create_with_history(
        [
            Objective(plan=plan, position=index, statement=objective.statement or "—")
            for index, objective in enumerate(parsed.objectives, start=1)
        ],
        Objective,
        default_user=by,
    )
    activities, partners, sources = [], [], []
    for objective, parsed_objective in zip(objectives, parsed.objectives, strict=True):
        for position, item in enumerate(parsed_objective.activities, start=1):
            activities.append(
                Activity(
                    objective=objective,
                    position=position,
                    title=item.title,
                    description=item.description,
                    responsible=resolved.get(item.responsible) if item.responsible else None,
                    months=item.months,
                    unit_cost=item.unit_cost,
                    quantity=item.quantity,
                    unit=item.unit,
                    total=item.total,
                )
            )
            partners.append([resolved[name] for name in item.partners if resolved.get(name)])
            sources.append(item.sources)
    activities = bulk_create_with_history(activities, Activity, default_user=by)
    Through = Activity.partners.through
    links = Through.objects.bulk_create(
        Through(activity_id=activity.pk, organisation_id=organisation.pk)
        for activity, organisations_of in zip(activities, partners, strict=True)
        for organisation in {o.pk: o for o in organisations_of}.values()
    )
    if links:
        # The activities' first historical records list their partners, as an edit's would.
        history_ids = dict(
            Activity.history.filter(
                id__in={link.activity_id for link in links}, history_type="+"
            ).values_list("id", "history_id")
        )
        PartnersHistory = Activity.history.model.partners.model
        PartnersHistory.objects.bulk_create(
            PartnersHistory(
                history_id=history_ids[link.activity_id],
                id=link.pk,
                activity_id=link.activity_id,
                organisation_id=link.organisation_id,
            )
            for link in links
        )
    bulk_create_with_history(
        [
            FundingSource(
                activity=activity,
                organisation=resolved.get(name) if name else None,
                amount=amount,
            )
            for activity, parts in zip(activities, sources, strict=True)
            for name, amount in parts
        ],
        FundingSource,
        default_user=by,
    )
    PlanEvent.objects.create(
        plan=plan,
        action=PlanEvent.Action.IMPORT,
        to_status=plan.status,
        reason=parsed.sheet,
        by=by,
    )
    return plan
