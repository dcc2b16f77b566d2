"""What every kind of event checks before it is written (round tables in relais.funding,
workshops and missions in relais.workshops)."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


def check_title_and_dates(title, starts_on, ends_on, *, no_title):
    """A title, a first day, and a last day (if any) that does not come before it; a
    ValidationError at the field otherwise. `no_title`: what to say without a title."""
    if not (title or "").strip():
        raise ValidationError({"title": no_title})
    if starts_on is None:
        raise ValidationError({"starts_on": _("Enter the date.")})
    if ends_on is not None and ends_on < starts_on:
        raise ValidationError({"ends_on": _("The last day comes before the first.")})
