"""Network-wide pages: the regional strategy, exchange rates, the regional roll-up of plans."""

from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import BadRequest, PermissionDenied
from django.db import IntegrityError, transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from relais.core.models import ExchangeRate
from relais.core.money import CURRENCY_CHOICES, XOF_PER_EUR
from relais.core.rates import MissingRate, RateTable
from relais.plans import selectors
from relais.plans.forms import AxisForm, ExchangeRateForm, StrategyForm
from relais.plans.models import StrategicAxis

# The currencies the roll-up can add the six countries' budgets up in; the first is the default.
COMMON_CURRENCIES = ("EUR", "XOF")


def _require(request, perm):
    if not request.user.has_perm(perm):
        raise PermissionDenied


# The regional strategy -----------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def strategy(request):
    _require(request, "plans.view_strategy")
    current = selectors.strategy_current()
    bound = {}
    if request.method == "POST":
        _require(request, "plans.change_strategy")
        done, bound = _strategy_post(request, current)
        if done:
            return redirect("plans:strategy")
    axes = list(current.axes.all()) if current else []
    can_edit = request.user.has_perm("plans.change_strategy")
    if request.user.has_perm("plans.view_regional") and axes:
        plans = [plan for country in selectors.regional_plans() for plan in country.current_plans]
        selectors.axis_objective_counts(axes=axes, plans=plans)
    context = {"strategy": current, "axes": axes}
    if can_edit:
        for axis in axes:
            axis.form = bound.get(axis.pk) or AxisForm(instance=axis, prefix=f"axis-{axis.pk}")
        next_position = max((axis.position for axis in axes), default=0) + 1
        context.update(
            strategy_form=bound.get("strategy")
            or StrategyForm(instance=current, prefix="strategy"),
            new_strategy_form=bound.get("new_strategy") or StrategyForm(prefix="new"),
            new_axis_form=bound.get("new_axis")
            or AxisForm(prefix="axis-new", initial={"position": next_position}),
        )
    return render(request, "plans/strategy.html", context)


def _strategy_post(request, current):
    """Carry out the posted action: (True, {}) once done, else (False, {slot: bound form})."""
    action = request.POST.get("action")
    if action == "new_strategy" or (action == "edit_strategy" and current is None):
        form = StrategyForm(request.POST, prefix="new")
        slot, saved = "new_strategy", _("The regional strategy has been created.")
    elif action == "edit_strategy":
        form = StrategyForm(request.POST, instance=current, prefix="strategy")
        slot, saved = "strategy", _("The regional strategy has been saved.")
    elif action == "add_axis" and current is not None:
        form = AxisForm(request.POST, instance=StrategicAxis(strategy=current), prefix="axis-new")
        slot, saved = "new_axis", _("The axis has been added.")
    elif action in {"edit_axis", "delete_axis"} and current is not None:
        axis = get_object_or_404(StrategicAxis, strategy=current, pk=request.POST.get("axis"))
        if action == "delete_axis":
            axis.delete()
            messages.success(request, _("The axis has been removed."))
            return True, {}
        form = AxisForm(request.POST, instance=axis, prefix=f"axis-{axis.pk}")
        slot, saved = axis.pk, _("The axis has been saved.")
    else:
        raise BadRequest(_("Unknown action."))
    if not form.is_valid():
        return False, {slot: form}
    with transaction.atomic():
        form.save()
    messages.success(request, saved)
    return True, {}


# Exchange rates ------------------------------------------------------------------------------


class RateEntryForm(ExchangeRateForm):
    """The model's one-rate-per-day constraint, said at the date rather than for the form."""

    def clean(self):
        cleaned = super().clean()
        currency, day = cleaned.get("currency"), cleaned.get("date")
        if currency and day and ExchangeRate.objects.filter(currency=currency, date=day).exists():
            self.add_duplicate_error(currency, day)
        return cleaned

    def add_duplicate_error(self, currency, day):
        self.add_error(
            "date",
            _(
                "A %(currency)s rate for %(date)s has already been entered. "
                "Enter a rate for another date."
            )
            % {"currency": currency, "date": day.isoformat()},
        )


@require_http_methods(["GET", "POST"])
def rates(request):
    _require(request, "plans.view_rates")
    form = None
    if request.user.has_perm("plans.change_rates"):
        form = RateEntryForm()
    if request.method == "POST":
        _require(request, "plans.change_rates")
        form = RateEntryForm(request.POST, instance=ExchangeRate(entered_by=request.user))
        if form.is_valid():
            try:
                with transaction.atomic():
                    rate = form.save()
            except IntegrityError:
                # Someone entered the same date between our check and our write.
                form.add_duplicate_error(form.cleaned_data["currency"], form.cleaned_data["date"])
            else:
                messages.success(
                    request,
                    _("The %(currency)s rate of %(date)s has been saved.")
                    % {"currency": rate.currency, "date": rate.date.isoformat()},
                )
                return redirect("plans:rates")
    labels = dict(CURRENCY_CHOICES)
    currencies = [(code, labels.get(code, code), rows) for code, rows in selectors.exchange_rates()]
    context = {"currencies": currencies, "form": form, "xof_per_eur": XOF_PER_EUR}
    return render(request, "plans/rates.html", context)


# The regional roll-up ------------------------------------------------------------------------


@require_GET
def rollup(request):
    _require(request, "plans.view_regional")
    target = request.GET.get("currency", "").upper()
    if target not in COMMON_CURRENCIES:
        target = COMMON_CURRENCIES[0]
    countries = selectors.regional_plans()
    plans = [plan for country in countries for plan in country.current_plans]
    table = RateTable.load()
    total, excluded = Decimal(0), []
    for plan in plans:
        # At the start of the plan's period: the budget was written in that period's money.
        try:
            plan.conversion = table.convert(plan.total, plan.currency, target, plan.period_start)
        except MissingRate as missing:
            plan.conversion = None
            plan.missing_rate = missing.message()
            excluded.append(plan)
        else:
            total += plan.conversion.amount
    current = selectors.strategy_current()
    axes, without_axis = selectors.objectives_by_axis(strategy=current, plans=plans)
    context = {
        "countries": countries,
        "target": target,
        "common_currencies": COMMON_CURRENCIES,
        "total": total,
        "excluded": excluded,
        "strategy": current,
        "axes": axes,
        "without_axis": without_axis,
    }
    return render(request, "plans/rollup.html", context)
