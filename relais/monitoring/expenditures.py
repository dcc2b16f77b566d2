"""Expenditures: what was spent on a plan's activities and from which contribution, entered as
drafts, validated by a coordinator, and corrected (never edited) once validated.

Writes (`expenditure_create`, `expenditure_update`, `expenditure_validate`,
`expenditure_correct`) each run in one transaction and raise ValidationError by field, saving
nothing, when the input is wrong. Reads give the list page its rows and what each contribution
has left (`plan_expenditures`), and the dashboards what was spent by activity and by source
(`spent_by_activity`, `spent_by_source`).

Conversion rule. An expenditure paid from a contribution is converted at that contribution's
rate date (its agreement's, else its pledge's), as relais.funding.picture converts the
contribution itself: what was disbursed, what was spent and what is left then add up in the
plan's currency. An expenditure the state's budget paid without a contribution is converted at
its own date. Each figure is rounded once, to the unit of the currency it is converted to.

What counts. Only validated expenditures count as spent. A correction is a new draft pointing
at the expenditure it corrects; once validated, the old one becomes CORRECTED and leaves every
total, so that a correction never counts twice.
"""

from collections import defaultdict
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from relais.core.money import CURRENCIES, decimals, format_money, round_amount, to_decimal
from relais.core.rates import MissingRate, RateTable
from relais.core.uploads import DOCUMENTS, check_upload
from relais.funding.models import Contribution, Disbursement
from relais.funding.picture import ZERO, valued_contributions
from relais.monitoring import evidence as evidence_files
from relais.monitoring.models import EVIDENCE_MAX_BYTES, Expenditure
from relais.plans.models import Plan

Status = Expenditure.Status


class Overrun(ValidationError):
    """More would be spent from a contribution than it has disbursed. Said with the figures
    (in the contribution's currency) at the confirmation box; saved once someone confirms."""

    def __init__(self, *, contribution, disbursed, spent, amount):
        self.contribution = contribution
        self.disbursed = disbursed
        self.spent = spent
        self.amount = amount
        currency = contribution.currency
        message = _(
            "%(source)s has disbursed %(disbursed)s; %(spent)s is already spent from it "
            "(validated or to validate); this expenditure of %(amount)s brings it to "
            "%(total)s, %(over)s more than was disbursed. Tick the box below to confirm it "
            "anyway: your confirmation is recorded."
        ) % {
            "source": contribution.partner_name,
            "disbursed": format_money(disbursed, currency),
            "spent": format_money(spent, currency),
            "amount": format_money(amount, currency),
            "total": format_money(spent + amount, currency),
            "over": format_money(spent + amount - disbursed, currency),
        }
        super().__init__({"confirm_overrun": message})


def closed_reason(plan):
    """Why no expenditure can be written on `plan` now, or None when it can: only an adopted
    plan is being carried out (a closed plan's record is final; a revision takes over from the
    version it replaced, with its expenditures)."""
    if plan.status == Plan.Status.ADOPTED:
        return None
    if plan.status == Plan.Status.CLOSED:
        return _("This plan is closed: its expenditures are kept as they were.")
    if plan.status == Plan.Status.SUPERSEDED:
        return _("This plan has been replaced by a revision: record expenditures on it.")
    return _(
        "Expenditures are recorded once the plan is adopted; this plan is still at the "
        "“%(status)s” stage."
    ) % {"status": plan.get_status_display()}


def rate_date(contribution, spent_on):
    """The date an expenditure is converted at (see the module's docstring)."""
    return contribution.rate_date if contribution is not None else spent_on


# Writes --------------------------------------------------------------------------------------


def _require(by, perm, record):
    if not by.has_perm(perm, record):
        raise PermissionDenied


def _check_plan(plan):
    reason = closed_reason(plan)
    if reason:
        raise ValidationError(reason, code="plan_not_adopted")


def _checked(*, plan, activity, contribution, spent_on, amount, currency, description):
    """The fields as they will be written (currency resolved, amount exact), or a
    ValidationError naming each field that is wrong."""
    errors = {}
    if activity.objective.plan_id != plan.pk:
        errors["activity"] = _("This activity is not in this plan.")
    if contribution is not None and contribution.plan_id != plan.pk:
        errors["contribution"] = _("This contribution is not one of this plan's.")
    currency = currency or (contribution.currency if contribution is not None else plan.currency)
    if currency not in CURRENCIES:
        errors["currency"] = _("Unknown currency: %(code)s.") % {"code": currency}
    today = timezone.localdate()
    if spent_on is None:
        errors["spent_on"] = _("Enter the date of the expenditure.")
    elif spent_on > today:
        errors["spent_on"] = _(
            "%(date)s is in the future: record an expenditure once it is made (today is %(today)s)."
        ) % {
            "date": date_format(spent_on, "DATE_FORMAT"),
            "today": date_format(today, "DATE_FORMAT"),
        }
    elif spent_on < plan.period_start:
        errors["spent_on"] = _(
            "The plan starts on %(start)s: an expenditure cannot come before."
        ) % {"start": date_format(plan.period_start, "DATE_FORMAT")}
    try:
        amount = to_decimal(amount) if amount not in (None, "") else None
    except (TypeError, ValueError):
        amount = None
        errors["amount"] = _("Enter an amount in figures.")
    if "amount" not in errors:
        if amount is None or not amount.is_finite() or amount <= 0:
            errors["amount"] = _("The amount must be more than zero.")
        elif "currency" not in errors and amount != round_amount(amount, currency):
            errors["amount"] = _("Amounts in %(currency)s have at most %(places)s decimals.") % {
                "currency": currency,
                "places": decimals(currency),
            }
    if not (description or "").strip():
        errors["description"] = _("Say what was paid for.")
    if errors:
        raise ValidationError(errors)
    # It must convert to the plan's currency, and to its contribution's for what is left.
    targets = {plan.currency} | ({contribution.currency} if contribution is not None else set())
    rates = RateTable.load()
    for target in targets - {currency}:
        try:
            rates.convert(amount, currency, target, rate_date(contribution, spent_on))
        except MissingRate as missing:
            raise ValidationError({"currency": missing.message()}) from None
    return {
        "activity": activity,
        "contribution": contribution,
        "spent_on": spent_on,
        "amount": amount,
        "currency": currency,
        "description": description.strip(),
    }, rates


def _document(document):
    """The supporting document checked by its content (a PDF named .jpg is refused), with a
    thumbnail when it is a photo; [] without one."""
    if not document:
        return []
    try:
        check_upload(document, DOCUMENTS, max_bytes=EVIDENCE_MAX_BYTES)
        return evidence_files.prepare([document])
    except ValidationError as error:
        raise ValidationError({"document": error.messages}) from None


def _spent_from(contribution, rates, excluding=()):
    """What is already spent from `contribution`, validated or to validate, in its currency:
    a validated expenditure whose correction awaits validation counts once, as that
    correction."""
    rows = (
        Expenditure.objects.filter(contribution=contribution)
        .filter(Q(status=Status.DRAFT) | Q(status=Status.VALIDATED))
        .exclude(pk__in=[pk for pk in excluding if pk])
        .values_list("pk", "amount", "currency", "corrects_id", "status")
    )
    rows = list(rows)
    # A draft correction stands in for the validated expenditure it corrects.
    replaced = {
        corrects for _pk, _a, _c, corrects, status in rows if corrects and status == "draft"
    }
    total = ZERO
    on = contribution.rate_date
    for pk, amount, currency, _corrects, _status in rows:
        if pk in replaced:
            continue
        total += rates.convert(amount, currency, contribution.currency, on).amount
    return total


def _check_overrun(fields, rates, confirmed, excluding=()):
    """Raise Overrun when the expenditure would take its contribution beyond what it has
    disbursed and nobody confirmed it; True when it does and was confirmed."""
    contribution = fields["contribution"]
    if contribution is None:
        return False
    own = rates.convert(
        fields["amount"], fields["currency"], contribution.currency, contribution.rate_date
    ).amount
    disbursed = (
        Disbursement.objects.filter(contribution=contribution).aggregate(total=Sum("amount"))[
            "total"
        ]
        or ZERO
    )
    spent = _spent_from(contribution, rates, excluding)
    if spent + own <= disbursed:
        return False
    if not confirmed:
        raise Overrun(contribution=contribution, disbursed=disbursed, spent=spent, amount=own)
    return True


def _save(expenditure, by, reason=""):
    expenditure._history_user = by
    if reason:
        expenditure._change_reason = reason
    expenditure.save()


def _write(expenditure, fields, *, by, overrun, prepared):
    for name, value in fields.items():
        setattr(expenditure, name, value)
    if overrun:
        expenditure.overrun_confirmed_by = by
        expenditure.overrun_confirmed_at = timezone.now()
    else:
        expenditure.overrun_confirmed_by = None
        expenditure.overrun_confirmed_at = None
    written = []
    try:
        with transaction.atomic():
            _save(expenditure, by)
            evidence_files.store(prepared, by=by, written=written, expenditure=expenditure)
    except BaseException:
        evidence_files.discard(written)
        raise
    return expenditure


def expenditure_create(
    *,
    activity,
    by,
    spent_on,
    amount,
    description,
    contribution=None,
    currency=None,
    document=None,
    confirm_overrun=False,
):
    """Record a draft expenditure on `activity`, paid from `contribution` (None: the state's
    budget), in `currency` (None: the contribution's, else the plan's), with an optional
    supporting `document`. Raises PermissionDenied unless `by` reports on the activity,
    ValidationError by field on bad input, Overrun when it would spend more than the
    contribution disbursed and `confirm_overrun` is not set; nothing is saved then."""
    _require(by, "monitoring.add_expenditure", activity)
    plan = activity.objective.plan
    _check_plan(plan)
    fields, rates = _checked(
        plan=plan,
        activity=activity,
        contribution=contribution,
        spent_on=spent_on,
        amount=amount,
        currency=currency,
        description=description,
    )
    prepared = _document(document)
    with transaction.atomic():
        overrun = _check_overrun(fields, rates, confirm_overrun)
        expenditure = Expenditure(entered_by=by)
        return _write(expenditure, fields, by=by, overrun=overrun, prepared=prepared)


def expenditure_update(
    *,
    expenditure,
    by,
    activity,
    spent_on,
    amount,
    description,
    contribution=None,
    currency=None,
    document=None,
    confirm_overrun=False,
):
    """Change a draft (as expenditure_create checks it). A validated or corrected expenditure
    is never changed: ValidationError, nothing written; it is corrected instead."""
    _require(by, "monitoring.add_expenditure", expenditure)
    _require(by, "monitoring.add_expenditure", activity)
    plan = expenditure.activity.objective.plan
    _check_plan(plan)
    fields, rates = _checked(
        plan=plan,
        activity=activity,
        contribution=contribution,
        spent_on=spent_on,
        amount=amount,
        currency=currency,
        description=description,
    )
    prepared = _document(document)
    with transaction.atomic():
        current = Expenditure.objects.select_for_update().get(pk=expenditure.pk)
        if current.status != Status.DRAFT:
            raise ValidationError(
                _("A validated expenditure is never changed: correct it, saying why."),
                code="validated",
            )
        excluding = (current.pk, current.corrects_id)
        overrun = _check_overrun(fields, rates, confirm_overrun, excluding)
        return _write(current, fields, by=by, overrun=overrun, prepared=prepared)


def expenditure_correct(
    *,
    expenditure,
    by,
    correction_reason,
    activity,
    spent_on,
    amount,
    description,
    contribution=None,
    currency=None,
    document=None,
    confirm_overrun=False,
):
    """Propose a correction of a validated expenditure: a new draft pointing at it
    (`corrects`), with the reason. The validated one stays as it is, and counts, until a
    coordinator validates the correction (expenditure_validate)."""
    _require(by, "monitoring.add_expenditure", expenditure)
    _require(by, "monitoring.add_expenditure", activity)
    plan = expenditure.activity.objective.plan
    _check_plan(plan)
    errors = {}
    if not (correction_reason or "").strip():
        errors["correction_reason"] = _("Say why the expenditure is corrected.")
    try:
        fields, rates = _checked(
            plan=plan,
            activity=activity,
            contribution=contribution,
            spent_on=spent_on,
            amount=amount,
            currency=currency,
            description=description,
        )
    except ValidationError as error:
        raise ValidationError({**error.message_dict, **errors}) from None
    if errors:
        raise ValidationError(errors)
    prepared = _document(document)
    with transaction.atomic():
        old = Expenditure.objects.select_for_update().get(pk=expenditure.pk)
        if old.status != Status.VALIDATED:
            raise ValidationError(
                _("Only a validated expenditure is corrected; a draft is edited."),
                code="not_validated",
            )
        if Expenditure.objects.filter(corrects=old).exists():
            raise ValidationError(
                _("A correction of this expenditure already awaits validation."),
                code="pending_correction",
            )
        overrun = _check_overrun(fields, rates, confirm_overrun, excluding=(old.pk,))
        correction = Expenditure(
            entered_by=by, corrects=old, correction_reason=correction_reason.strip()
        )
        return _write(correction, fields, by=by, overrun=overrun, prepared=prepared)


def expenditure_validate(*, expenditure, by):
    """A coordinator validates a draft; when it corrects another, that one becomes CORRECTED
    and leaves every total."""
    _require(by, "monitoring.validate_expenditure", expenditure)
    _check_plan(expenditure.activity.objective.plan)
    with transaction.atomic():
        current = Expenditure.objects.select_for_update().get(pk=expenditure.pk)
        if current.status != Status.DRAFT:
            raise ValidationError(_("This expenditure is already validated."), code="validated")
        current.status = Status.VALIDATED
        current.validated_by = by
        current.validated_at = timezone.now()
        _save(current, by)
        if current.corrects_id:
            old = Expenditure.objects.select_for_update().get(pk=current.corrects_id)
            if old.status != Status.VALIDATED:
                raise ValidationError(
                    _("The expenditure this one corrects is no longer validated."),
                    code="stale_correction",
                )
            old.status = Status.CORRECTED
            _save(old, by, reason=current.correction_reason[:100])
    return current


# Reads ---------------------------------------------------------------------------------------


@dataclass
class Row:
    """An expenditure with its amount in the plan's currency and the conversion used (None
    when it is in the plan's currency); `problem` says why it could not be converted."""

    expenditure: Expenditure
    in_plan: object = None
    conversion: object = None
    problem: str = ""

    @property
    def counts(self):
        return not self.problem and self.expenditure.status != Status.CORRECTED


@dataclass
class Balance:
    """One source of the plan: a contribution (its Valued from relais.funding.picture), or the
    state's budget without a contribution (`valued` None). Amounts `_own` are in the
    contribution's currency, the others in the plan's."""

    valued: object
    currency: str
    disbursed_own: object = ZERO
    spent_own: object = ZERO
    pending_own: object = ZERO
    disbursed: object = ZERO
    spent: object = ZERO
    pending: object = ZERO
    count: int = 0

    @property
    def contribution(self):
        return self.valued.contribution if self.valued is not None else None

    @property
    def left_own(self):
        return self.disbursed_own - self.spent_own

    @property
    def left(self):
        return self.disbursed - self.spent

    @property
    def overrun(self):
        return self.valued is not None and self.spent_own + self.pending_own > self.disbursed_own


def _convert(rates, amount, currency, to, on):
    """(amount, Conversion or None) in `to`."""
    if currency == to:
        return amount, None
    conversion = rates.convert(amount, currency, to, on)
    return conversion.amount, conversion


def _row(expenditure, plan, rates):
    row = Row(expenditure)
    on = rate_date(expenditure.contribution, expenditure.spent_on)
    try:
        row.in_plan, row.conversion = _convert(
            rates, expenditure.amount, expenditure.currency, plan.currency, on
        )
    except MissingRate as missing:
        row.problem = missing.message()
    return row


def expenditure_row(*, expenditure, plan):
    """One expenditure as a Row (its amount in the plan's currency): one query, the rates."""
    return _row(expenditure, plan, RateTable.load())


@dataclass
class Line:
    """An expenditure as the list reads all of them: enough to filter, total and balance
    thousands without building a model for each. `expenditure` is set (with its activity,
    objective, contribution and partner) for the rows of the page shown: `attach_page`."""

    pk: int
    status: str
    contribution_id: int | None
    objective_id: int
    in_plan: object = None
    conversion: object = None
    problem: str = ""
    expenditure: object = None

    @property
    def counts(self):
        return not self.problem and self.status != Status.CORRECTED


def plan_expenditures(*, plan, partners=None):
    """(lines, balances) for the plan's expenditures page.

    lines: every expenditure of the plan as a Line (its amount in the plan's currency), newest
    first. balances: one Balance per contribution that disbursed or paid something (in the
    order relais.funding.picture.valued_contributions gives them), then the state's budget
    without a contribution if it paid something, with what was disbursed, spent (validated)
    and is to validate. `partners`: only the contributions of these organisation ids (a
    partner representative's own); None for all. A few queries, and plain values rather than
    models: a plan has thousands of expenditures. `attach_page` gives the rows shown their
    records."""
    valued = valued_contributions(plan=plan)
    if partners is not None:
        valued = [v for v in valued if v.contribution.partner_id in partners]
    contributions = {v.contribution.pk: v.contribution for v in valued}
    values = (
        Expenditure.objects.filter(activity__objective__plan=plan)
        .order_by("-spent_on", "-pk")
        .values_list(
            "pk",
            "status",
            "amount",
            "currency",
            "spent_on",
            "contribution_id",
            "activity__objective_id",
            "contribution__signed_on",
            "contribution__announced_on",
        )
    )
    rates = RateTable.load()
    balances = {
        v.contribution.pk: Balance(
            v, v.contribution.currency, v.disbursed_own, disbursed=v.disbursed or ZERO
        )
        for v in valued
    }
    if partners is None:
        balances[None] = Balance(None, plan.currency)
    lines = []
    for pk, status, amount, currency, spent_on, contribution_id, objective_id, *dates in values:
        if partners is not None and contribution_id not in contributions:
            continue
        line = Line(pk, status, contribution_id, objective_id)
        lines.append(line)
        on = (dates[0] or dates[1]) if contribution_id else spent_on  # rate_date
        try:
            line.in_plan, line.conversion = _convert(rates, amount, currency, plan.currency, on)
        except MissingRate as missing:
            line.problem = missing.message()
        balance = balances.get(contribution_id)
        if line.problem or balance is None or status == Status.CORRECTED:
            continue
        try:
            own, _conversion = _convert(rates, amount, currency, balance.currency, on)
        except MissingRate as missing:
            line.in_plan, line.problem = None, missing.message()
            continue
        balance.count += 1
        if status == Status.VALIDATED:
            balance.spent_own += own
            balance.spent += line.in_plan
        else:
            balance.pending_own += own
            balance.pending += line.in_plan
    if None in balances:
        state = balances[None]
        state.spent_own, state.pending_own = state.spent, state.pending
    # A source that has neither disbursed nor paid anything has nothing to say here.
    return lines, [b for b in balances.values() if b.count or b.disbursed_own]


def attach_page(lines):
    """Give `lines` (a page of them) their expenditures, with activity, objective,
    contribution and partner: one query."""
    records = Expenditure.objects.select_related(
        "activity__objective", "contribution__partner"
    ).in_bulk([line.pk for line in lines])
    for line in lines:
        line.expenditure = records[line.pk]
    return lines


def _validated_in_plan_currency(plan, *columns):
    """[(columns…, amount in the plan's currency)] of the plan's validated expenditures that
    count (not corrected); those with no rate are left out. Two queries."""
    rows = Expenditure.objects.filter(
        activity__objective__plan=plan, status=Status.VALIDATED
    ).values_list(
        *columns,
        "amount",
        "currency",
        "spent_on",
        "contribution_id",
        "contribution__signed_on",
        "contribution__announced_on",
    )
    rates = RateTable.load()
    out = []
    for *keys, amount, currency, spent_on, contribution_id, signed_on, announced_on in rows:
        on = (signed_on or announced_on) if contribution_id else spent_on
        try:
            converted, _conversion = _convert(rates, amount, currency, plan.currency, on)
        except MissingRate:
            continue
        out.append((*keys, converted))
    return out


def spent_by_activity(plan):
    """{activity id: what was spent on it, in the plan's currency}: the validated expenditures
    that count (status VALIDATED; a corrected one is replaced by its correction), converted as
    the module's docstring says; activities with nothing spent are absent. Two queries (the
    expenditures, the exchange rates). For the dashboards: add them up by objective or plan."""
    spent = defaultdict(lambda: ZERO)
    for activity_id, amount in _validated_in_plan_currency(plan, "activity_id"):
        spent[activity_id] += amount
    return dict(spent)


def spent_by_source(plan):
    """{contribution id, or None for the state's budget without a contribution: what was spent
    from it, in the plan's currency}, counted as spent_by_activity counts. Two queries."""
    spent = defaultdict(lambda: ZERO)
    for contribution_id, amount in _validated_in_plan_currency(plan, "contribution_id"):
        spent[contribution_id] += amount
    return dict(spent)


def contributions_of(plan, current=None):
    """The plan's contributions one may pay from: all but the withdrawn (and `current`, the
    one an expenditure already names, whatever its status), with their partners."""
    condition = ~Q(status=Contribution.Status.WITHDRAWN)
    if current is not None:
        condition |= Q(pk=current)
    return (
        Contribution.objects.filter(plan=plan)
        .filter(condition)
        .select_related("partner")
        .order_by("announced_on", "pk")
    )
