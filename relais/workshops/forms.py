"""The forms of workshops, missions and campaign events, and of a session of their agenda.
They save nothing: the views hand what they cleaned to relais.workshops.services."""

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from relais.core.forms import DateInput
from relais.countries.models import Country
from relais.events.forms import EventForm
from relais.events.models import Event, Session
from relais.plans.forms import organisations_for
from relais.plans.models import Activity, Plan
from relais.workshops.models import Participant
from relais.workshops.services import WORKSHOP_KINDS


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, **kwargs):
        super().__init__(format="%H:%M", **kwargs)


class ActivityChoiceField(forms.ModelChoiceField):
    """An activity shown as “1.2 Atelier de validation — Plan d'action 2018-2019”."""

    def label_from_instance(self, activity):
        return f"{activity.code} {activity.title} — {activity.objective.plan.title}"


class WorkshopForm(EventForm):
    """What a workshop, mission or campaign event is: its kind, dates and place, who organised
    and paid for it, what it was for and the plan activity it carries out. The organisations are
    the country's and the regional ones; the activities, those of the country's plans (a
    replaced version's only when it is the one already named)."""

    class Meta:
        model = Event
        fields = [
            "kind",
            "title",
            "starts_on",
            "ends_on",
            "venue",
            "city",
            "chair",
            "organiser",
            "funder",
            "project",
            "facilitators",
            "objectives",
            "activity",
        ]
        # The labels are the model's verbose names, translated there.
        field_classes = {"activity": ActivityChoiceField}
        labels = {"starts_on": _("first day")}
        help_texts = {
            "ends_on": _("Only when it lasts more than one day."),
            "project": _("The project it is part of, e.g. FMM West Africa."),
        }
        error_messages = {
            "title": {"required": _("Give the event a title.")},
            "starts_on": {"required": _("Enter the date.")},
        }
        widgets = {
            "starts_on": DateInput(),
            "ends_on": DateInput(),
            "facilitators": forms.Textarea(attrs={"rows": 2}),
            "objectives": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, country, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(kind.value, kind.label) for kind in WORKSHOP_KINDS]
        self.fields["organiser"].queryset = organisations_for(country)
        self.fields["funder"].queryset = organisations_for(country)
        current = Q(pk=self.instance.activity_id) if self.instance.activity_id else Q()
        self.fields["activity"].queryset = (
            Activity.objects.filter(objective__plan__country=country)
            .filter(~Q(objective__plan__status=Plan.Status.SUPERSEDED) | current)
            .select_related("objective__plan")
            .order_by(
                "-objective__plan__period_start",
                "objective__plan_id",
                "objective__position",
                "position",
            )
        )


class SessionForm(forms.ModelForm):
    """A slot of the agenda. The day is offered between the event's first and last days; the
    service says so if another is typed."""

    class Meta:
        model = Session
        fields = ["day", "starts_at", "ends_at", "title", "facilitator"]
        error_messages = {
            "day": {"required": _("Enter the day.")},
            "title": {"required": _("Say what the session is about.")},
        }
        widgets = {
            "day": DateInput(),
            "starts_at": TimeInput(),
            "ends_at": TimeInput(),
        }

    def __init__(self, *args, event, **kwargs):
        super().__init__(*args, **kwargs)
        last = event.ends_on or event.starts_on
        self.fields["day"].widget.attrs.update(
            min=event.starts_on.isoformat(), max=last.isoformat()
        )
        if not self.instance.pk and not self.is_bound:
            self.initial.setdefault("day", event.starts_on)

    def clean_title(self):
        title = (self.cleaned_data.get("title") or "").strip()
        if not title:
            raise forms.ValidationError(_("Say what the session is about."))
        return title


class ParticipantForm(forms.ModelForm):
    """A person on a workshop's list: who they are and how to reach them. The country is the
    workshop's unless another is chosen."""

    class Meta:
        model = Participant
        fields = [
            "full_name",
            "sex",
            "organisation",
            "organisation_kind",
            "function",
            "country",
            "phone",
            "email",
        ]
        error_messages = {"full_name": {"required": _("Give the participant's name.")}}
        widgets = {
            "phone": forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
            "email": forms.EmailInput(attrs={"autocomplete": "off"}),
        }

    def __init__(self, *args, event=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].queryset = Country.objects.order_by("code")
        if event is not None and not self.instance.pk and not self.is_bound:
            self.initial.setdefault("country", event.country_id)


class ParticipantImportForm(forms.Form):
    """A list of participants: a spreadsheet, or rows pasted from one."""

    workbook = forms.FileField(
        label=_("Spreadsheet"),
        required=False,
        help_text=_("Excel (.xlsx, .xls), OpenDocument (.ods) or CSV, at most 5 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.xlsm,.xls,.ods,.csv,.txt"}),
    )
    text = forms.CharField(
        label=_("Or paste the rows"),
        required=False,
        strip=False,
        help_text=_(
            "Copy the list from Excel with its header row (Name, Sex, Organisation, Function, "
            "Country, Phone, Email) and paste it here."
        ),
        widget=forms.Textarea(attrs={"rows": 8, "spellcheck": "false"}),
    )

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("workbook") and not (cleaned.get("text") or "").strip():
            raise forms.ValidationError(_("Choose a spreadsheet or paste the rows of the list."))
        return cleaned
