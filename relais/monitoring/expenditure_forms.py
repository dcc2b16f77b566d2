"""Forms of the expenditure pages. They read what was typed; relais.monitoring.expenditures
decides what may be written (dates, amounts, overruns)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from relais.core.amounts import AmountField
from relais.core.forms import DateInput
from relais.core.money import CURRENCY_CHOICES, format_money
from relais.monitoring.evidence import ACCEPT
from relais.monitoring.models import Expenditure


class ActivityChoice(forms.ModelChoiceField):
    def label_from_instance(self, activity):
        return f"{activity.code} {activity.title[:90]}"


def contribution_label(contribution):
    """ "ICMPD — ICMPD/FMM-WA/2018/014 — 60,000.00 EUR": two contributions of one partner (or
    of the state) are told apart by their agreement or description and their amount."""
    what = contribution.agreement_reference or contribution.description[:40]
    amount = contribution.committed
    figures = format_money(amount, contribution.currency) if amount else contribution.currency
    return " — ".join(str(part) for part in (contribution.partner_name, what, figures) if part)


class ContributionChoice(forms.ModelChoiceField):
    def label_from_instance(self, contribution):
        return contribution_label(contribution)


class ExpenditureForm(forms.Form):
    activity = ActivityChoice(label=_("Activity"), queryset=None)
    contribution = ContributionChoice(
        label=_("Paid from"),
        queryset=None,
        required=False,
        empty_label=_("State budget, without a contribution"),
    )
    spent_on = forms.DateField(label=_("Date"), widget=DateInput())
    amount = AmountField(label=_("Amount"), help_text=_("For example 1 500 000 or 1500000,50."))
    currency = forms.ChoiceField(
        label=_("Currency"),
        required=False,
        choices=[("", _("The currency of what paid it")), *CURRENCY_CHOICES],
        help_text=_("Left empty: the contribution's currency, or the plan's for the state budget."),
    )
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}))
    document = forms.FileField(
        label=_("Supporting document"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
        help_text=_("An invoice or a receipt: PDF, Word, a spreadsheet or a photo, 10 MB at most."),
    )
    # Shown only once an overrun was found (relais.monitoring.expenditures.Overrun).
    confirm_overrun = forms.BooleanField(
        label=_("I confirm this expenditure exceeds what was disbursed"), required=False
    )

    def __init__(self, *args, activities, contributions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["activity"].queryset = activities
        self.fields["contribution"].queryset = contributions

    @property
    def main_fields(self):
        return [self[name] for name in self.fields if name != "confirm_overrun"]

    @property
    def overrun(self):
        return bool(self.errors.get("confirm_overrun"))

    def fields_for_service(self):
        data = self.cleaned_data
        return {
            "activity": data["activity"],
            "contribution": data["contribution"],
            "spent_on": data["spent_on"],
            "amount": data["amount"],
            "currency": data["currency"] or None,
            "description": data["description"],
            "document": data.get("document") or None,
            "confirm_overrun": data.get("confirm_overrun", False),
        }


class CorrectionForm(ExpenditureForm):
    correction_reason = forms.CharField(
        label=_("Reason for the correction"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Kept with both expenditures; the coordinator reads it before validating."),
    )

    def fields_for_service(self):
        return {**super().fields_for_service(), "correction_reason": self.cleaned_data[
            "correction_reason"
        ]}  # fmt: skip


def initial_of(expenditure):
    return {
        "activity": expenditure.activity_id,
        "contribution": expenditure.contribution_id,
        "spent_on": expenditure.spent_on,
        "amount": expenditure.amount,
        "currency": expenditure.currency,
        "description": expenditure.description,
    }


class ExpenditureFilter(forms.Form):
    status = forms.ChoiceField(label=_("Status"), required=False)
    objective = forms.ChoiceField(label=_("Objective"), required=False)
    source = forms.ChoiceField(label=_("Paid from"), required=False)

    def __init__(self, *args, objectives, contributions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", _("All")), *Expenditure.Status.choices]
        self.fields["objective"].choices = [
            ("", _("All objectives")),
            *[(str(o.pk), f"{o.code} {o.statement[:60]}") for o in objectives],
        ]
        self.fields["source"].choices = [
            ("", _("All sources")),
            ("state", _("State budget, without a contribution")),
            *[(str(c.pk), contribution_label(c)) for c in contributions],
        ]

    def apply(self, rows):
        """The rows the filters keep (all when the filters are not valid)."""
        if not self.is_valid():
            return rows
        status, objective, source = (
            self.cleaned_data[n] for n in ("status", "objective", "source")
        )
        if status:
            rows = [r for r in rows if r.status == status]
        if objective:
            rows = [r for r in rows if str(r.objective_id) == objective]
        if source == "state":
            rows = [r for r in rows if r.contribution_id is None]
        elif source:
            rows = [r for r in rows if str(r.contribution_id) == source]
        return rows
