"""The forms of indicator values and advocacy milestones. They read what was typed; the rules
(periods within the plan, parts adding up, no future date) are the services'
(relais.monitoring.indicators), whose errors views put back at the fields."""

from django import forms
from django.utils.translation import gettext_lazy as _

from relais.core.amounts import AmountField
from relais.core.forms import DateInput
from relais.monitoring.evidence import ACCEPT
from relais.monitoring.forms import MultipleFileField
from relais.monitoring.models import Milestone

NUMBER_ERRORS = {"invalid": _("Enter a number, for example 120 or 12.5.")}


def _number(label, required=False):
    return AmountField(label=label, required=required, error_messages=NUMBER_ERRORS)


class IndicatorValueForm(forms.Form):
    period = forms.ChoiceField(label=_("Period"))
    value = _number(_("Value"), required=True)
    women = _number(_("of whom women"))
    men = _number(_("of whom men"))
    children = _number(_("of whom children"))
    adults = _number(_("of whom adults"))
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
    )

    def __init__(self, *args, cells, **kwargs):
        """`cells`: the indicator's periods within the plan (relais.monitoring.indicators.Cell),
        the choices of `period`."""
        super().__init__(*args, **kwargs)
        self.fields["period"].choices = [
            (cell.period.start.isoformat(), cell.label) for cell in cells
        ]
        self.fields["women"].help_text = _(
            "Optional. When both parts of a pair are given, they add up to the value."
        )


class MilestoneForm(forms.Form):
    objective = forms.TypedChoiceField(label=_("Objective"), coerce=int)
    step = forms.ChoiceField(label=_("Step reached"), choices=Milestone.Step.choices)
    reached_on = forms.DateField(label=_("Date"), widget=DateInput())
    description = forms.CharField(
        label=_("Description"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
    )
    files = MultipleFileField(label=_("Evidence (photos, PDF, attendance sheets)"), required=False)

    def __init__(self, *args, objectives, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["files"].widget.attrs["accept"] = ACCEPT
        self.objectives = {objective.pk: objective for objective in objectives}
        self.fields["objective"].choices = [
            (objective.pk, f"{objective.code} — {objective.statement[:80]}")
            for objective in objectives
        ]

    def clean_objective(self):
        return self.objectives[self.cleaned_data["objective"]]
