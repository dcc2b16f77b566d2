"""An event's dates and place as a sentence says them, in the active language."""

from django.utils.formats import date_format


def dates_of(event):
    """ "12 mars 2019", or "12 mars 2019 – 13 mars 2019" for a round table of several days."""
    first = date_format(event.starts_on, "DATE_FORMAT")
    if event.ends_on and event.ends_on != event.starts_on:
        return f"{first} – {date_format(event.ends_on, 'DATE_FORMAT')}"
    return first


def place_of(event):
    return ", ".join(part for part in (event.venue, event.city) if part)
