"""The forms of a plan's reports: starting one, writing its narrative, choosing whom it is
addressed to. They save nothing: the views hand what they cleaned to relais.reports.services,
which checks the period against the plan and says where it is wrong."""

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from relais.core.forms import DateInput
from relais.reports.models import LANGUAGES, Report
from relais.reports.services import addressee_choices

TEXT = {"rows": 6, "cols": 80}


class ReportForm(forms.Form):
    kind = forms.ChoiceField(label=capfirst(_("kind")), choices=Report.Kind.choices)
    period_start = forms.DateField(
        label=capfirst(_("start of the period")),
        widget=DateInput(),
        error_messages={"required": _("Enter the first day of the period.")},
    )
    period_end = forms.DateField(
        label=capfirst(_("end of the period")),
        widget=DateInput(),
        error_messages={"required": _("Enter the last day of the period.")},
    )
    language = forms.ChoiceField(label=capfirst(_("language")), choices=LANGUAGES)
    title = forms.CharField(
        label=capfirst(_("title")),
        max_length=300,
        required=False,
        help_text=_("Leave it empty for the usual title, e.g. “Progress report — Q2 2019”."),
    )

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"].initial = (
            plan.language if plan.language in dict(LANGUAGES) else "fr"
        )
        self.fields["kind"].initial = Report.Kind.PROGRESS


class NarrativeForm(forms.Form):
    """The sections the committee writes: a summary, one text per objective of the plan
    (fields `result-<objective key>`), difficulties, lessons, next steps, recommendations."""

    summary = forms.CharField(
        label=capfirst(_("summary")), required=False, widget=forms.Textarea(attrs=TEXT)
    )
    difficulties = forms.CharField(
        label=capfirst(_("difficulties")), required=False, widget=forms.Textarea(attrs=TEXT)
    )
    lessons = forms.CharField(
        label=capfirst(_("lessons learned")), required=False, widget=forms.Textarea(attrs=TEXT)
    )
    next_steps = forms.CharField(
        label=capfirst(_("next steps")), required=False, widget=forms.Textarea(attrs=TEXT)
    )
    recommendations = forms.CharField(
        label=capfirst(_("recommendations")), required=False, widget=forms.Textarea(attrs=TEXT)
    )

    def __init__(self, *args, report, objectives, **kwargs):
        initial = {name: getattr(report, name) for name in self.base_fields}
        for objective in objectives:
            initial[f"result-{objective.key}"] = report.results.get(str(objective.key), "")
        super().__init__(*args, initial=initial, **kwargs)
        self.objectives = list(objectives)
        # The objectives' texts come after the summary, as the report prints them.
        fields = {"summary": self.fields.pop("summary")}
        for objective in self.objectives:
            fields[f"result-{objective.key}"] = forms.CharField(
                label=_("Results — %(code)s") % {"code": objective.code},
                help_text=objective.statement,
                required=False,
                widget=forms.Textarea(attrs={"rows": 4, "cols": 80}),
            )
        fields.update(self.fields)
        self.fields = fields

    def narrative(self):
        """What the services take: the sections and `results` keyed by objective key."""
        data = self.cleaned_data
        results = {
            str(objective.key): data.get(f"result-{objective.key}", "")
            for objective in self.objectives
        }
        sections = {
            name: data[name]
            for name in ("summary", "difficulties", "lessons", "next_steps", "recommendations")
        }
        return {**sections, "results": results}


class AddresseeChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, organisation):
        return str(organisation)


class SubmitForm(forms.Form):
    addressees = AddresseeChoiceField(
        label=capfirst(_("addressed to")),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _("Choose whom the report is addressed to: a ministry, a partner…")
        },
        help_text=_(
            "The figures are frozen when you submit: later changes to the data will not "
            "alter this report."
        ),
    )

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["addressees"].queryset = addressee_choices(plan)
