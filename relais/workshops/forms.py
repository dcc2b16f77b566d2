"""The forms of workshops, missions and campaign events, and of a session of their agenda.
They save nothing: the views hand what they cleaned to relais.workshops.services."""

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from relais.core.forms import DateInput
from relais.events.forms import EventForm
from relais.events.models import Event, Session
from relais.plans.forms import organisations_for
from relais.plans.models import Activity, Plan
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
