"""The forms of the network's events: a round table now."""

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from relais.core.forms import DateInput
from relais.countries.models import Contact, Organisation
from relais.events.models import Event


class ContactChoiceField(forms.ModelMultipleChoiceField):
    """People, each shown with their organisation: two namesakes are told apart."""

    def label_from_instance(self, contact):
        if contact.organisation_id:
            return f"{contact.full_name} ({contact.organisation.short_name})"
        return contact.full_name


class EventForm(forms.ModelForm):
    """An event's title and dates, checked at their fields (the services check them again)."""

    no_title = _("Give the event a title.")

    def clean_title(self):
        title = (self.cleaned_data.get("title") or "").strip()
        if not title:
            raise forms.ValidationError(self.no_title)
        return title

    def clean(self):
        cleaned = super().clean()
        starts_on, ends_on = cleaned.get("starts_on"), cleaned.get("ends_on")
        if starts_on and ends_on and ends_on < starts_on:
            # Said here, at the field, before the model's constraint says it in its own words.
            self.add_error("ends_on", _("The last day comes before the first."))
        return cleaned


class RoundTableForm(EventForm):
    """What a round table was: when, where, who chaired, who was invited and came. The
    organisations are the plan's country's and the regional and international ones; the people,
    the country's contacts. It saves nothing: the view hands what it cleaned to
    relais.funding.services."""

    no_title = _("Give the round table a title.")

    class Meta:
        model = Event
        fields = [
            "title",
            "starts_on",
            "ends_on",
            "venue",
            "city",
            "chair",
            "agenda",
            "minutes",
            "invited",
            "present",
            "invited_people",
            "participants",
        ]
        # The labels are the model's verbose names, translated there.
        field_classes = {"participants": ContactChoiceField, "invited_people": ContactChoiceField}
        help_texts = {
            "ends_on": _("Only when it lasted more than one day."),
            "minutes": _("A new file replaces the one there is."),
        }
        error_messages = {
            "title": {"required": _("Give the round table a title.")},
            "starts_on": {"required": _("Enter the date.")},
        }
        widgets = {
            "starts_on": DateInput(),
            "ends_on": DateInput(),
            "agenda": forms.Textarea(attrs={"rows": 5}),
            # A new file replaces the minutes; there is no clearing them from here.
            "minutes": forms.FileInput(),
            "invited": forms.CheckboxSelectMultiple(attrs={"class": "choices"}),
            "present": forms.CheckboxSelectMultiple(attrs={"class": "choices"}),
            "invited_people": forms.CheckboxSelectMultiple(attrs={"class": "choices"}),
            "participants": forms.CheckboxSelectMultiple(attrs={"class": "choices"}),
        }

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        country = plan.country_id
        organisations = Organisation.objects.filter(
            Q(country_id=country) | Q(country__isnull=True)
        ).order_by("name")
        self.fields["invited"].queryset = organisations
        self.fields["present"].queryset = organisations
        people = (
            Contact.objects.filter(country_id=country)
            .select_related("organisation")
            .order_by("full_name", "pk")
        )
        self.fields["invited_people"].queryset = people
        self.fields["participants"].queryset = people

    def service_fields(self):
        """The cleaned data as round_table_create/update take it; `minutes` only when a new
        file was sent (without one, the service keeps the old file)."""
        data = dict(self.cleaned_data)
        if not isinstance(data.get("minutes"), UploadedFile):
            data.pop("minutes", None)
        return data
