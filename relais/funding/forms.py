"""Forms of the funding pages. They read and check what was typed; the services decide what
may be written (relais.funding.services)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from relais.core.amounts import AmountField
from relais.core.forms import DateInput
from relais.core.money import CURRENCY_CHOICES
from relais.core.uploads import DOCUMENTS, UploadValidator
from relais.events.models import Event
from relais.funding.models import Contribution
from relais.plans.forms import organisations_for
from relais.plans.models import Activity, Objective

WHOLE_PLAN, ONE_OBJECTIVE, ACTIVITIES = "plan", "objective", "activities"
TARGET_LINES = 5  # activity lines offered without JavaScript; editing again offers five more


class ContributionForm(forms.Form):
    partner = forms.ModelChoiceField(
        label=_("Partner"),
        queryset=None,
        required=False,
        empty_label=_("State budget"),
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=Contribution.Kind.choices)
    amount = AmountField(
        label=_("Amount announced"),
        required=False,
        help_text=_("Technical and in-kind contributions may be left without a value."),
    )
    currency = forms.ChoiceField(label=_("Currency"), choices=CURRENCY_CHOICES)
    announced_on = forms.DateField(label=_("Announced on"), widget=DateInput())
    event = forms.ModelChoiceField(
        label=_("Announced at the round table"), queryset=None, required=False
    )
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    target = forms.ChoiceField(
        label=_("It funds"),
        choices=[
            (WHOLE_PLAN, _("the whole plan")),
            (ONE_OBJECTIVE, _("one objective")),
            (ACTIVITIES, _("activities, with the share of each")),
        ],
        initial=WHOLE_PLAN,
        widget=forms.RadioSelect,
    )
    objective = forms.ModelChoiceField(label=_("Objective"), queryset=None, required=False)

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.plan = plan
        self.fields["partner"].queryset = organisations_for(plan.country)
        self.fields["event"].queryset = Event.objects.filter(plan=plan)
        self.fields["objective"].queryset = Objective.objects.filter(plan=plan)
        activities = list(
            Activity.objects.filter(objective__plan=plan)
            .select_related("objective")
            .order_by("objective__position", "position")
        )
        # One <datalist> of the plan's activities serves every line: a <select> per line would
        # repeat 500 options five times (30 kB compressed on a 500-activity plan). A line holds
        # the activity's code, which the list completes with its title.
        self.activity_options = [f"{a.code} {a.title[:70]}" for a in activities]
        self._activities = {a.code: a for a in activities}
        for index in range(TARGET_LINES + len(self.initial.get("lines", ()))):
            self.fields[f"activity_{index}"] = forms.CharField(
                label=_("Activity"),
                required=False,
                widget=forms.TextInput(attrs={"list": "plan-activities", "autocomplete": "off"}),
            )
            self.fields[f"share_{index}"] = AmountField(label=_("Share"), required=False)
        for index, (activity, share) in enumerate(self.initial.get("lines", ())):
            self.initial[f"activity_{index}"] = f"{activity.code} {activity.title[:70]}"
            self.initial[f"share_{index}"] = share

    def _activity(self, name):
        """The activity a line names by its code ("1.3", or "1.3 Its title" as the list fills
        it in); None and an error at the line when no activity of the plan has that code."""
        text = (self.cleaned_data.get(name) or "").strip()
        if not text:
            return None
        code = text.split()[0].rstrip(".:")
        activity = self._activities.get(code)
        if activity is None:
            self.add_error(
                name,
                _("No activity of this plan has the number “%(code)s”.") % {"code": code},
            )
        return activity

    @property
    def line_fields(self):
        return [
            (self[name], self[name.replace("activity_", "share_")])
            for name in self.fields
            if name.startswith("activity_")
        ]

    @property
    def main_fields(self):
        return [f for f in self.visible_fields() if not f.name.startswith(("activity_", "share_"))]

    def targets(self):
        """(objective, [(activity, share)]) as chosen."""
        data = self.cleaned_data
        if data["target"] == ONE_OBJECTIVE:
            if data.get("objective") is None:
                self.add_error("objective", _("Choose the objective."))
                return None, []
            return data["objective"], []
        if data["target"] != ACTIVITIES:
            return None, []
        lines = []
        for name in list(self.fields):
            if not name.startswith("activity_"):
                continue
            activity = self._activity(name)
            if activity is not None:
                lines.append((activity, data.get(name.replace("activity_", "share_"))))
        if not lines:
            self.add_error("target", _("Choose at least one activity."))
        return None, lines


class ConfirmForm(forms.Form):
    confirmed_amount = AmountField(label=_("Amount of the agreement"))
    signed_on = forms.DateField(label=_("Signed on"), widget=DateInput())
    agreement_reference = forms.CharField(label=_("Reference"), max_length=120, required=False)
    agreement = forms.FileField(
        label=_("Agreement (PDF or Word)"),
        required=False,
        validators=[UploadValidator(DOCUMENTS)],
    )


class WithdrawForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class DisbursementForm(forms.Form):
    paid_on = forms.DateField(label=_("Paid on"), widget=DateInput())
    amount = AmountField(label=_("Amount"))
    reference = forms.CharField(label=_("Reference"), max_length=120, required=False)
    override_reason = forms.CharField(
        label=_("Why more than the confirmed amount"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Only when the instalments go beyond the agreement: the reason is kept."),
    )


class CorrectionForm(DisbursementForm):
    amount = AmountField(label=_("Amount"), min_value=0)
    correction_reason = forms.CharField(
        label=_("Reason for the correction"), widget=forms.Textarea(attrs={"rows": 2})
    )


class FundingFilter(forms.Form):
    partner = forms.ChoiceField(label=_("Partner"), required=False)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All but withdrawn")), *Contribution.Status.choices],
    )

    def __init__(self, *args, partners, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partner"].choices = [
            ("", _("All partners")),
            ("state", _("State budget")),
            *[(str(o.pk), o.short_name) for o in partners],
        ]
