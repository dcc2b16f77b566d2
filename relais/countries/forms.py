from django import forms
from django.contrib.auth import password_validation
from django.utils.translation import gettext_lazy as _

from relais.countries.models import Contact, Invitation, Organisation, Role


class InvitationForm(forms.ModelForm):
    kind = forms.ChoiceField(
        label=_("Role"),
        choices=[(k.value, k.label) for k in Role.Kind if k.value in Role.COUNTRY_KINDS],
    )

    class Meta:
        model = Invitation
        fields = ["email", "full_name", "kind", "language"]


class AcceptInvitationForm(forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=150)
    password1 = forms.CharField(
        label=_("Password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label=_("Password (again)"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("password1") and cleaned.get("password1") != cleaned.get("password2"):
            self.add_error("password2", _("The two passwords differ."))
        elif cleaned.get("password1"):
            try:
                password_validation.validate_password(cleaned["password1"])
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned


class BodyForm(forms.ModelForm):
    class Meta:
        model = Organisation
        fields = ["name", "acronym", "letterhead", "logo", "address", "phone", "email", "website"]
        widgets = {
            "letterhead": forms.Textarea(attrs={"rows": 4}),
            "address": forms.Textarea(attrs={"rows": 2}),
        }


class OrganisationForm(forms.ModelForm):
    class Meta:
        model = Organisation
        fields = ["name", "acronym", "kind", "website", "email", "phone", "interests"]
        widgets = {"interests": forms.Textarea(attrs={"rows": 3})}


class ContactForm(forms.ModelForm):
    class Meta:
        model = Contact
        fields = ["full_name", "function", "organisation", "email", "phone", "is_focal_point"]

    def __init__(self, *args, country, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.filter(country=country)
