"""Reporting periods: the calendar month, quarter, half-year or year a date falls in, as an
indicator's frequency (relais.plans.models.Indicator.Frequency) says; a quarter by default.

An indicator measured "once, at the end" has one period: its plan's whole span, given as
`span=(start, end)`. Periods are calendar periods: a plan that starts in February has a first
quarter that starts in January, so that every plan and every country reports on the same
quarters.
"""

from datetime import date, timedelta
from typing import NamedTuple

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from relais.plans.models import Indicator

Frequency = Indicator.Frequency
QUARTERLY = Frequency.QUARTERLY
MONTHS = {
    Frequency.MONTHLY: 1,
    Frequency.QUARTERLY: 3,
    Frequency.HALF_YEARLY: 6,
    Frequency.YEARLY: 12,
}


class Period(NamedTuple):
    start: date
    end: date


def _length(frequency):
    return MONTHS.get(frequency or QUARTERLY)


def _month_end(year, month):
    """The last day of `month` (1-12) of `year`."""
    if month == 12:
        return date(year, 12, 31)
    return date(year, month + 1, 1) - timedelta(days=1)


def period_of(day, frequency=QUARTERLY, span=None):
    """The Period `day` falls in: (first day, last day), both included. For "once", the span
    itself (None without one)."""
    length = _length(frequency)
    if length is None:
        return Period(*span) if span else None
    first = (day.month - 1) // length * length + 1
    return Period(date(day.year, first, 1), _month_end(day.year, first + length - 1))


def periods_between(start, end, frequency=QUARTERLY):
    """Every Period from the one holding `start` to the one holding `end`, in order. For
    "once": the one period (start, end)."""
    if _length(frequency) is None:
        return [Period(start, end)]
    periods = []
    current = period_of(start, frequency)
    while current.start <= end:
        periods.append(current)
        current = period_of(current.end + timedelta(days=1), frequency)
    return periods


def last_closed_period(today, frequency=QUARTERLY, span=None):
    """The latest Period that ended before `today` (the one before today's). For "once", the
    span once it has ended, else None."""
    if _length(frequency) is None:
        return Period(*span) if span and span[1] < today else None
    return period_of(period_of(today, frequency).start - timedelta(days=1), frequency)


def period_label(period, frequency=QUARTERLY):
    """ "Q1 2019" ("T1 2019" in French), "H2 2019" ("S2 2019"), "March 2019", "2019"; for
    "once", the span's dates."""
    start, end = period
    length = _length(frequency)
    if length == 3:
        return _("Q%(quarter)s %(year)s") % {
            "quarter": (start.month - 1) // 3 + 1,
            "year": start.year,
        }
    if length == 6:
        return _("H%(half)s %(year)s") % {"half": (start.month - 1) // 6 + 1, "year": start.year}
    if length == 12:
        return str(start.year)
    if length == 1:
        return date_format(start, "YEAR_MONTH_FORMAT")
    return _("%(start)s to %(end)s") % {
        "start": date_format(start, "SHORT_DATE_FORMAT"),
        "end": date_format(end, "SHORT_DATE_FORMAT"),
    }


def parse_period(text, frequency=QUARTERLY, span=None):
    """The Period starting on the ISO date `text` ("2019-04-01"), or None when `text` is not
    the first day of one."""
    try:
        day = date.fromisoformat(text)
    except (TypeError, ValueError):
        return None
    period = period_of(day, frequency, span)
    return period if period is not None and period.start == day else None
