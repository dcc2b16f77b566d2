from django import forms
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from relais.core.forms import DateInput
from relais.monitoring.evidence import ACCEPT, MAX_FILES
from relais.monitoring.models import EVIDENCE_MAX_BYTES, ActivityUpdate


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files from one input (Django's documented recipe): a list, possibly empty."""

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


class UpdateForm(forms.Form):
    """An update on an activity. The service checks what depends on the plan and on the other
    fields (done means 100, not started 0, not before the plan, files by their content)."""

    status = forms.ChoiceField(
        label=_("Where it stands"),
        choices=ActivityUpdate.Status.choices,
        error_messages={"required": _("Choose where the activity stands.")},
    )
    percent_done = forms.IntegerField(
        label=_("Percentage done"),
        min_value=0,
        max_value=100,
        help_text=_("From 0 to 100: 100 when it is done, 0 when it has not started."),
        error_messages={
            "required": _("Enter the percentage done, from 0 to 100."),
            "invalid": _("Enter the percentage done as a whole number, from 0 to 100."),
            "min_value": _("The percentage done is a number between 0 and 100."),
            "max_value": _("The percentage done is a number between 0 and 100."),
        },
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "step": 1}),
    )
    on = forms.DateField(
        label=_("Date"),
        widget=DateInput(),
        error_messages={"required": _("Enter the date of the update.")},
    )
    narrative = forms.CharField(
        label=_("What happened"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    files = MultipleFileField(
        label=_("Evidence (photos, PDF, attendance sheets)"),
        required=False,
    )

    def __init__(self, *args, plan=None, **kwargs):
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        self.fields["on"].initial = today
        self.fields["on"].widget.attrs["max"] = today.isoformat()
        if plan is not None:
            self.fields["on"].widget.attrs["min"] = plan.period_start.isoformat()
        files = self.fields["files"]
        files.widget.attrs["accept"] = ACCEPT
        files.help_text = gettext("Up to %(count)s files, of %(size)s at most each.") % {
            "count": MAX_FILES,
            "size": filesizeformat(EVIDENCE_MAX_BYTES),
        }

    def clean_files(self):
        files = self.cleaned_data["files"]
        if len(files) > MAX_FILES:
            raise forms.ValidationError(
                _("Attach at most %(count)s files to one update; you chose %(chosen)s."),
                params={"count": MAX_FILES, "chosen": len(files)},
            )
        return files
