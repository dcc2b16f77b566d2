"""Writes for contributions, disbursements and round tables: one function per action, each in
one transaction, each checking what a person could get wrong and saying where."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from relais.core.money import CURRENCIES, format_money, round_amount, to_decimal
from relais.core.rates import MissingRate, RateTable
from relais.events.models import Event
from relais.events.services import check_title_and_dates
from relais.funding.models import Contribution, ContributionTarget, Disbursement
from relais.plans.models import Activity, Objective, Plan

Status = Contribution.Status


class StaleContribution(ValidationError):
    def __init__(self):
        super().__init__(
            _(
                "Someone else changed this contribution since you opened it, so your changes "
                "were not saved. Reload it to see theirs."
            ),
            code="stale",
        )


def _amount(value, field, currency, *, required=True):
    """A positive amount rounded to the currency's unit, or a ValidationError at `field`."""
    if value in (None, ""):
        if required:
            raise ValidationError({field: _("Enter an amount.")})
        return None
    try:
        amount = to_decimal(value)
    except (TypeError, ValueError):
        raise ValidationError({field: _("Enter an amount in figures.")}) from None
    if not amount.is_finite() or amount <= 0:
        raise ValidationError({field: _("The amount must be more than zero.")})
    return round_amount(amount, currency)


def _check_currency(currency, plan, on, field="currency"):
    """The currency must be known, and convertible to the plan's on the date in question."""
    if currency not in CURRENCIES:
        raise ValidationError({field: _("Unknown currency: %(code)s.") % {"code": currency}})
    if currency == plan.currency:
        return
    try:
        rates = RateTable.load()
        rates.rate(currency, on)
        rates.rate(plan.currency, on)
    except MissingRate as missing:
        raise ValidationError({field: missing.message()}) from None


def _check_plan(plan):
    if plan.status == Plan.Status.SUPERSEDED:
        raise ValidationError(
            _("This version was replaced by a revision: record contributions on the new one.")
        )


def _targets(plan, amount, currency, objective=None, activities=()):
    """[(objective or activity, share)] checked: they belong to `plan`, shares are positive
    and, when the contribution has a value, add up to it. Without one (technical or in kind,
    not valued), shares are equal."""
    if objective is not None and activities:
        raise ValidationError(
            {"objective": _("Target either one objective or activities, not both.")}
        )
    if objective is not None:
        if objective.plan_id != plan.pk:
            raise ValidationError({"objective": _("This objective is not in this plan.")})
        return [(objective, amount or Decimal(1))]
    checked, seen = [], set()
    for activity, share in activities:
        if activity.objective.plan_id != plan.pk:
            raise ValidationError(
                {"targets": _("Activity %(code)s is not in this plan.") % {"code": activity.code}}
            )
        if activity.pk in seen:
            raise ValidationError(
                {"targets": _("Activity %(code)s is named twice.") % {"code": activity.code}}
            )
        seen.add(activity.pk)
        if amount is None:
            checked.append((activity, Decimal(1)))
            continue
        checked.append((activity, _amount(share, "targets", currency)))
    if amount is not None and checked:
        total = sum((share for _a, share in checked), Decimal(0))
        if total != amount:
            raise ValidationError(
                {
                    "targets": _(
                        "The activities' shares add up to %(shares)s, not to the amount "
                        "announced, %(amount)s."
                    )
                    % {
                        "shares": format_money(total, currency),
                        "amount": format_money(amount, currency),
                    }
                }
            )
    return checked


def _write_targets(contribution, targets):
    contribution.targets.all().delete()
    for target, share in targets:
        record = ContributionTarget(contribution=contribution, share=share)
        if isinstance(target, Objective):
            record.objective = target
        elif isinstance(target, Activity):
            record.activity = target
        record.save()


def _prepare(plan, kind, amount, currency, announced_on):
    _check_plan(plan)
    needs_value = kind == Contribution.Kind.FINANCIAL
    amount = _amount(amount, "amount", currency if currency in CURRENCIES else "EUR",
                     required=needs_value)  # fmt: skip
    _check_currency(currency, plan, announced_on)
    return amount


@transaction.atomic
def contribution_create(
    *,
    plan,
    by,
    partner,
    currency,
    amount=None,
    kind=Contribution.Kind.FINANCIAL,
    announced_on=None,
    event=None,
    description="",
    objective=None,
    activities=(),
):
    """A pledge: announced, to the whole plan, to `objective`, or to `activities`
    ([(activity, share)])."""
    announced_on = announced_on or timezone.localdate()
    amount = _prepare(plan, kind, amount, currency, announced_on)
    if event is not None and event.plan_id != plan.pk:
        raise ValidationError({"event": _("This round table was held for another plan.")})
    targets = _targets(plan, amount, currency, objective, activities)
    contribution = Contribution(
        plan=plan,
        partner=partner,
        kind=kind,
        amount=amount,
        currency=currency,
        announced_on=announced_on,
        event=event,
        description=description,
        created_by=by,
    )
    contribution._history_user = by
    contribution.save()
    _write_targets(contribution, targets)
    return contribution


def _locked(contribution, revision=None):
    current = (
        Contribution.objects.select_for_update().select_related("plan").get(pk=contribution.pk)
    )
    if revision is not None and int(revision) != current.revision:
        raise StaleContribution()
    return current


@transaction.atomic
def contribution_update(
    *,
    contribution,
    by,
    revision=None,
    partner,
    currency,
    amount=None,
    kind=Contribution.Kind.FINANCIAL,
    announced_on,
    event=None,
    description="",
    objective=None,
    activities=(),
):
    current = _locked(contribution, revision)
    if current.status == Status.WITHDRAWN:
        raise ValidationError(_("A withdrawn contribution cannot change."))
    if current.status == Status.CONFIRMED and currency != current.currency:
        raise ValidationError(
            {"currency": _("The agreement is signed in %(code)s.") % {"code": current.currency}}
        )
    amount = _prepare(current.plan, kind, amount, currency, announced_on)
    if event is not None and event.plan_id != current.plan_id:
        raise ValidationError({"event": _("This round table was held for another plan.")})
    targets = _targets(current.plan, amount, currency, objective, activities)
    current.partner, current.kind, current.amount = partner, kind, amount
    current.currency, current.announced_on, current.event = currency, announced_on, event
    current.description = description
    current.revision += 1
    current._history_user = by
    current.save()
    _write_targets(current, targets)
    return current


@transaction.atomic
def contribution_confirm(
    *, contribution, by, amount, signed_on, reference="", document=None, revision=None
):
    """The agreement: announced → confirmed, with the amount it says (which may differ from
    the pledge), its reference, date and document."""
    current = _locked(contribution, revision)
    if current.status != Status.ANNOUNCED:
        raise ValidationError(_("Only an announced contribution can be confirmed."))
    amount = _amount(amount, "confirmed_amount", current.currency)
    if signed_on is None:
        raise ValidationError({"signed_on": _("Enter the date the agreement was signed.")})
    _check_currency(current.currency, current.plan, signed_on, field="signed_on")
    current.status = Status.CONFIRMED
    current.confirmed_amount = amount
    current.signed_on = signed_on
    current.agreement_reference = reference
    if document:
        current.agreement = document
    if current.amount is None:
        current.amount = amount  # a technical contribution valued by its agreement
    current.revision += 1
    current._history_user = by
    current.save()
    return current


@transaction.atomic
def contribution_withdraw(*, contribution, by, reason, on=None, revision=None):
    current = _locked(contribution, revision)
    if current.status == Status.WITHDRAWN:
        raise ValidationError(_("This contribution is already withdrawn."))
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Say why the contribution is withdrawn.")})
    if current.disbursements.exists():
        raise ValidationError(
            _(
                "Part of this contribution was paid: it cannot be withdrawn. Record what "
                "was paid as the confirmed amount instead."
            )
        )
    current.status = Status.WITHDRAWN
    current.withdrawn_on = on or timezone.localdate()
    current.withdrawal_reason = reason.strip()
    current.revision += 1
    current._history_user = by
    current.save()
    return current


def _check_ceiling(contribution, amount, override_reason, excluding=None):
    """Paying more than the agreement confirms needs a reason, which is kept."""
    paid = sum(
        (
            d.amount
            for d in contribution.disbursements.all()
            if excluding is None or d.pk != excluding.pk
        ),
        Decimal(0),
    )
    limit = contribution.confirmed_amount or Decimal(0)
    if paid + amount > limit and not (override_reason or "").strip():
        raise ValidationError(
            {
                "amount": _(
                    "With this instalment %(paid)s would be paid, more than the %(limit)s "
                    "confirmed. Say why in “Why more than the confirmed amount” to record it "
                    "anyway."
                )
                % {
                    "paid": format_money(paid + amount, contribution.currency),
                    "limit": format_money(limit, contribution.currency),
                }
            }
        )


@transaction.atomic
def disbursement_create(*, contribution, by, paid_on, amount, reference="", override_reason=""):
    current = _locked(contribution)
    if current.status != Status.CONFIRMED:
        raise ValidationError(_("Only a confirmed contribution is disbursed."))
    amount = _amount(amount, "amount", current.currency)
    if paid_on is None:
        raise ValidationError({"paid_on": _("Enter the date it was paid.")})
    _check_ceiling(current, amount, override_reason)
    disbursement = Disbursement(
        contribution=current,
        paid_on=paid_on,
        amount=amount,
        reference=reference,
        override_reason=(override_reason or "").strip(),
        recorded_by=by,
    )
    disbursement._history_user = by
    disbursement.save()
    return disbursement


@transaction.atomic
def disbursement_correct(
    *, disbursement, by, paid_on, amount, reason, reference="", override_reason=""
):
    """A correction, with its reason: the history keeps what it said before. An instalment
    recorded by mistake is corrected to zero; none is deleted."""
    if not (reason or "").strip():
        raise ValidationError({"correction_reason": _("Say why the instalment is corrected.")})
    current = Disbursement.objects.select_for_update().get(pk=disbursement.pk)
    contribution = _locked(current.contribution)
    if amount in (None, ""):
        raise ValidationError({"amount": _("Enter an amount.")})
    try:
        value = to_decimal(amount)
    except (TypeError, ValueError):
        raise ValidationError({"amount": _("Enter an amount in figures.")}) from None
    if not value.is_finite() or value < 0:
        raise ValidationError({"amount": _("The amount cannot be negative.")})
    value = round_amount(value, contribution.currency)
    if paid_on is None:
        raise ValidationError({"paid_on": _("Enter the date it was paid.")})
    _check_ceiling(contribution, value, override_reason or current.override_reason, current)
    current.paid_on, current.amount, current.reference = paid_on, value, reference
    if override_reason:
        current.override_reason = override_reason.strip()
    current.correction_reason = reason.strip()
    current._history_user = by
    current.save()
    return current


# Round tables ----------------------------------------------------------------------------------


def _event_fields(title, starts_on, ends_on):
    check_title_and_dates(title, starts_on, ends_on, no_title=_("Give the round table a title."))


@transaction.atomic
def round_table_create(
    *,
    plan,
    by,
    title,
    starts_on,
    ends_on=None,
    invited=(),
    present=(),
    invited_people=(),
    participants=(),
    **fields,
):
    _event_fields(title, starts_on, ends_on)
    event = Event(
        kind=Event.Kind.ROUND_TABLE,
        country=plan.country,
        plan=plan,
        title=title.strip(),
        starts_on=starts_on,
        ends_on=ends_on,
        **fields,
    )
    event._history_user = by
    event.save()
    event.invited.set(invited)
    event.present.set(present)
    event.invited_people.set(invited_people)
    event.participants.set(participants)
    return event


@transaction.atomic
def round_table_update(
    *,
    event,
    by,
    title,
    starts_on,
    ends_on=None,
    invited=(),
    present=(),
    invited_people=(),
    participants=(),
    **fields,
):
    _event_fields(title, starts_on, ends_on)
    event.title, event.starts_on, event.ends_on = title.strip(), starts_on, ends_on
    for name, value in fields.items():
        if name == "minutes" and not value:
            continue  # no new file: keep the one there is
        setattr(event, name, value)
    event._history_user = by
    event.save()
    event.invited.set(invited)
    event.present.set(present)
    event.invited_people.set(invited_people)
    event.participants.set(participants)
    return event
