"""A field's errors are tied to its input, so that a screen reader reads them with it."""

import re

from django import forms
from django.template.loader import render_to_string
from django.utils import translation


class InviteForm(forms.Form):
    email = forms.EmailField(label="Email", help_text="The address the invitation goes to.")
    full_name = forms.CharField(label="Name", required=False)
    terms = forms.BooleanField(label="I agree")


def tag(html, name):
    """The opening tag of the input named `name`."""
    return re.search(rf'<input[^>]*name="{name}"[^>]*>', html).group()


def french_error(form, name):
    with translation.override("fr"):
        message = str(form.errors[name][0])
    assert message.startswith("Saisissez"), message  # translated, not Django's English
    return message


def render(form, template="_form_fields.html"):
    with translation.override("fr"):
        return render_to_string(template, {"form": form, "field": form["email"]})


def test_an_invalid_input_points_to_its_error_and_says_it_is_invalid():
    form = InviteForm({"email": "not-an-email", "full_name": "Awa"})
    html = render(form)

    email = tag(html, "email")
    assert 'aria-invalid="true"' in email
    assert 'aria-describedby="id_email_helptext id_email_error"' in email
    error = re.search(r'<div id="id_email_error"[^>]*>(.*?)</div>', html, re.S)
    assert error, "the error has no element with the id the input points to"
    assert french_error(form, "email") in error.group(1)
    assert 'id="id_email_helptext"' in html

    # A checkbox too; a valid field is neither invalid nor described by an error.
    assert 'aria-describedby="id_terms_error"' in tag(html, "terms")
    assert 'id="id_terms_error"' in html
    name = tag(html, "full_name")
    assert "aria-invalid" not in name
    assert "aria-describedby" not in name
    assert 'id="id_full_name_error"' not in html


def test_the_error_ids_are_unique_on_the_page():
    html = render(InviteForm({"email": "x", "full_name": ""}))
    ids = re.findall(r'\sid="([^"]+)"', html)
    assert len(ids) == len(set(ids))


def test_the_plan_field_template_ties_errors_the_same_way():
    form = InviteForm({"email": "not-an-email"})
    html = render(form, "plans/_field.html")
    assert 'aria-describedby="id_email_helptext id_email_error"' in tag(html, "email")
    error = re.search(r'<div id="id_email_error"[^>]*>(.*?)</div>', html, re.S)
    assert french_error(form, "email") in error.group(1)
    assert 'id="id_email_helptext"' in html
