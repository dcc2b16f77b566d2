"""What every app's forms share."""

from django import forms


class DateInput(forms.DateInput):
    """The browser's date picker, which wants the ISO date whatever the language."""

    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def add_errors(form, error):
    """Put a service's ValidationError on the form's fields it names, or above the form."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)
