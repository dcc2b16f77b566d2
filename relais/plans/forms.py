from datetime import date

from babel.dates import format_skeleton
from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from relais.core.amounts import AmountField
from relais.core.forms import DateInput
from relais.core.models import ExchangeRate
from relais.countries.models import Organisation, Role
from relais.plans.models import (
    Activity,
    Indicator,
    Objective,
    Plan,
    RegionalStrategy,
    Result,
    StrategicAxis,
)

STATE_BUDGET = "state"


def month_label(month, lang=None):
    """ "2018-04" → "avr. 2018" (fr), "Apr 2018" (en)… Latin digits in every language."""
    year, number = int(month[:4]), int(month[5:7])
    locale = (lang or get_language() or "fr").split("-")[0]
    return format_skeleton("yMMM", date(year, number, 1), locale=locale)


def month_name(month, lang=None):
    """ "2018-04" → "avr." (fr), "Apr" (en): a month under its year, as a chronogram heads it."""
    locale = (lang or get_language() or "fr").split("-")[0]
    return format_skeleton("MMM", date(int(month[:4]), int(month[5:7]), 1), locale=locale)


def organisations_for(country):
    """The organisations a plan of `country` may name: the country's and the regional ones."""
    return Organisation.objects.filter(Q(country=country) | Q(country__isnull=True)).order_by(
        "name"
    )


class PlanForm(forms.ModelForm):
    class Meta:
        model = Plan
        fields = [
            "title",
            "period_start",
            "period_end",
            "currency",
            "language",
            "general_objective",
            "strategy",
        ]
        widgets = {
            "period_start": DateInput(),
            "period_end": DateInput(),
            "general_objective": forms.Textarea(attrs={"rows": 3}),
        }

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("period_start"), cleaned.get("period_end")
        if start and end:
            if end < start:
                self.add_error("period_end", _("The period ends before it starts."))
            elif (end.year - start.year) > 10:
                self.add_error("period_end", _("A plan covers at most ten years."))
        return cleaned


class CopyPlanForm(forms.Form):
    title = forms.CharField(label=_("Title of the new plan"), max_length=500)
    period_start = forms.DateField(label=_("Start of the period"), widget=DateInput())
    period_end = forms.DateField(label=_("End of the period"), widget=DateInput())

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("period_start"), cleaned.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", _("The period ends before it starts."))
        return cleaned


class TransitionForm(forms.Form):
    action = forms.ChoiceField(
        choices=[(a, a) for a in ("submit", "validate", "adopt", "return", "close")]
    )
    reason = forms.CharField(
        label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class RevisionMixin(forms.Form):
    """Carries the record's revision so that a stale edit is caught (services.StaleEdit)."""

    revision = forms.IntegerField(widget=forms.HiddenInput, required=False)


class ObjectiveForm(RevisionMixin, forms.ModelForm):
    class Meta:
        model = Objective
        fields = ["statement", "deadline", "change_kind", "change_sought", "targets", "axis"]
        widgets = {
            "statement": forms.Textarea(attrs={"rows": 2}),
            "deadline": DateInput(),
            "change_sought": forms.Textarea(attrs={"rows": 2}),
            "targets": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["revision"] = self.instance.revision
        axes = StrategicAxis.objects.none()
        if plan.strategy_id:
            axes = StrategicAxis.objects.filter(strategy_id=plan.strategy_id)
        self.fields["axis"].queryset = axes
        if not plan.strategy_id:
            del self.fields["axis"]

    def clean_statement(self):
        statement = self.cleaned_data["statement"].strip()
        if not statement:
            raise forms.ValidationError(_("Write the objective's statement."))
        return statement


class ResultForm(forms.ModelForm):
    class Meta:
        model = Result
        fields = ["statement"]
        widgets = {"statement": forms.Textarea(attrs={"rows": 2})}


class IndicatorForm(forms.ModelForm):
    baseline = AmountField(label=_("Baseline"), required=False)
    target = AmountField(label=_("Target"), required=False)

    class Meta:
        model = Indicator
        fields = [
            "name",
            "unit",
            "baseline",
            "target",
            "target_date",
            "means_of_verification",
            "frequency",
        ]
        widgets = {
            "target_date": DateInput(),
            "means_of_verification": forms.Textarea(attrs={"rows": 2}),
        }


class MonthsWidget(forms.CheckboxSelectMultiple):
    template_name = "plans/widgets/months.html"

    def get_context(self, name, value, attrs):
        # Django points a fieldset's description at its errors only in its own field
        # template; the months' fieldset does it here (the error's id is Django's).
        context = super().get_context(name, value, attrs)
        widget_attrs = context["widget"]["attrs"]
        if widget_attrs.get("aria-invalid") and widget_attrs.get("id"):
            context["widget"]["error_id"] = f"{widget_attrs['id']}_error"
        return context


class ActivityForm(RevisionMixin, forms.ModelForm):
    """An activity with its chronogram, cost and planned funding sources.

    Funding is entered as up to `FUNDING_ROWS` pairs (source, amount): the state budget or a
    partner organisation.
    """

    FUNDING_ROWS = 3

    months = forms.MultipleChoiceField(label=_("Chronogram"), widget=MonthsWidget, required=False)
    unit_cost = AmountField(label=_("Unit cost"))
    quantity = AmountField(label=_("Quantity"), max_digits=12, initial=1)

    class Meta:
        model = Activity
        fields = [
            "title",
            "description",
            "responsible",
            "partners",
            "assignees",
            "months",
            "unit_cost",
            "quantity",
            "unit",
            "result",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 2}),
            "partners": forms.SelectMultiple(attrs={"size": 4}),
            "assignees": forms.SelectMultiple(attrs={"size": 3}),
        }

    def __init__(self, *args, plan, objective, **kwargs):
        super().__init__(*args, **kwargs)
        self.plan = plan
        organisations = organisations_for(plan.country)
        self.fields["responsible"].queryset = organisations
        self.fields["partners"].queryset = organisations
        self.fields["assignees"].queryset = (
            get_user_model()
            .objects.filter(
                roles__country=plan.country,
                roles__kind__in=[Role.Kind.COORDINATOR, Role.Kind.CONTRIBUTOR],
            )
            .distinct()
        )
        self.fields["result"].queryset = Result.objects.filter(objective=objective)
        self.fields["months"].choices = [(m, month_label(m)) for m in plan.months]
        if plan.months:
            # A month the form does not offer is outside the period: say so, as the service
            # does, rather than Django's "Select a valid choice" (%(value)s is the month).
            self.fields["months"].error_messages["invalid_choice"] = _(
                "%(months)s is outside the plan's period (%(start)s – %(end)s)."
            ) % {"months": "%(value)s", "start": plan.months[0], "end": plan.months[-1]}
        source_choices = [("", "—"), (STATE_BUDGET, _("State budget"))] + [
            (str(o.pk), str(o)) for o in organisations
        ]
        existing = list(self.instance.funding_sources.all()) if self.instance.pk else []
        for index in range(self.FUNDING_ROWS):
            initial = existing[index] if index < len(existing) else None
            self.fields[f"source_{index}"] = forms.ChoiceField(
                label=_("Funding source %(number)s") % {"number": index + 1},
                choices=source_choices,
                required=False,
                initial=(
                    (str(initial.organisation_id) if initial.organisation_id else STATE_BUDGET)
                    if initial
                    else ""
                ),
            )
            self.fields[f"amount_{index}"] = AmountField(
                label=_("Amount %(number)s") % {"number": index + 1},
                required=False,
                initial=initial.amount if initial else None,
            )
        if self.instance.pk and not self.is_bound:
            self.initial["revision"] = self.instance.revision

    def clean_title(self):
        title = self.cleaned_data["title"].strip()
        if not title:
            raise forms.ValidationError(_("Give the activity a title."))
        return title

    def clean_months(self):
        months = self.cleaned_data["months"]
        if not months:
            raise forms.ValidationError(_("Choose at least one month in the chronogram."))
        return sorted(months)

    def clean_quantity(self):
        quantity = self.cleaned_data["quantity"]
        if quantity is not None and quantity <= 0:
            raise forms.ValidationError(_("The quantity is a positive number."))
        return quantity

    def funding(self):
        """[(organisation or None, amount)] from the source rows that were filled."""
        organisations = {str(o.pk): o for o in self.fields["responsible"].queryset}
        parts = []
        for index in range(self.FUNDING_ROWS):
            source = self.cleaned_data.get(f"source_{index}")
            amount = self.cleaned_data.get(f"amount_{index}")
            if not source and amount is None:
                continue
            if not source:
                self.add_error(f"source_{index}", _("Choose who carries this amount."))
                continue
            if amount is None or amount <= 0:
                self.add_error(f"amount_{index}", _("Enter a positive amount."))
                continue
            parts.append((None if source == STATE_BUDGET else organisations[source], amount))
        return parts

    def funding_rows(self):
        return [(self[f"source_{i}"], self[f"amount_{i}"]) for i in range(self.FUNDING_ROWS)]


class StrategyForm(forms.ModelForm):
    class Meta:
        model = RegionalStrategy
        fields = ["title", "period_start", "period_end", "summary"]
        widgets = {
            "period_start": DateInput(),
            "period_end": DateInput(),
            "summary": forms.Textarea(attrs={"rows": 3}),
        }


class AxisForm(forms.ModelForm):
    class Meta:
        model = StrategicAxis
        fields = ["position", "title", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}


class ExchangeRateForm(forms.ModelForm):
    units_per_euro = AmountField(label=_("Units for one euro"), max_digits=18, decimal_places=6)

    class Meta:
        model = ExchangeRate
        fields = ["currency", "date", "units_per_euro", "source"]
        widgets = {"date": DateInput()}

    def clean_units_per_euro(self):
        value = self.cleaned_data["units_per_euro"]
        if value is not None and value <= 0:
            raise forms.ValidationError(_("A rate is a positive number."))
        return value
