"""The regional calendar: the events of the six countries, read for a page or an iCalendar feed.

Calendar applications cannot sign in, so the feed's address carries a signed token naming its
reader; the feed is written by hand here (RFC 5545), no dependency needed.
"""

from datetime import UTC, timedelta
from itertools import groupby

from django.contrib.auth import get_user_model
from django.core import signing
from django.db.models import F
from django.db.models.functions import Coalesce

from relais.events.models import Event

FEED_SALT = "relais.exchange.calendar"
LINE_OCTETS = 75


# Reads ----------------------------------------------------------------------------------------


def _events():
    return (
        Event.objects.select_related("country")
        .annotate(last_day=Coalesce("ends_on", "starts_on"))
        .only(
            "pk",
            "kind",
            "title",
            "starts_on",
            "ends_on",
            "venue",
            "city",
            "country__code",
            "country__name",
        )
    )


def calendar_upcoming(*, today):
    """The events not yet over on `today`, soonest first."""
    return list(_events().filter(last_day__gte=today).order_by("starts_on", "pk"))


def calendar_year(*, year):
    """The events that start in `year`, in date order."""
    return list(_events().filter(starts_on__year=year).order_by("starts_on", "pk"))


def calendar_years():
    """The years events start in, latest first."""
    return [day.year for day in Event.objects.dates("starts_on", "year", order="DESC")]


def calendar_feed_events():
    return list(_events().order_by(F("starts_on").desc(), "-pk"))


def by_month(events):
    """[(first day of the month, [events starting that month]), …] keeping the events' order."""
    return [
        (month, list(group))
        for month, group in groupby(events, key=lambda e: e.starts_on.replace(day=1))
    ]


# The feed's token -----------------------------------------------------------------------------


def feed_token(*, user):
    return signing.dumps(user.pk, salt=FEED_SALT)


def feed_reader(*, token):
    """The active user a token was made for, or None (bad token, unknown or inactive user)."""
    try:
        pk = signing.loads(token, salt=FEED_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(pk, int):
        return None
    return get_user_model().objects.filter(pk=pk, is_active=True).first()


# The iCalendar writer -------------------------------------------------------------------------


def escape_text(value):
    """A TEXT value per RFC 5545 3.3.11: backslash, semicolon, comma and newlines escaped."""
    value = str(value).replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return value.replace("\r\n", "\\n").replace("\r", "\\n").replace("\n", "\\n")


def fold(line):
    """`line` folded into chunks of at most 75 octets (RFC 5545 3.1), each continuation starting
    with a space, never splitting a UTF-8 character."""
    chunks = []
    current, size = [], 0
    limit = LINE_OCTETS
    for char in line:
        octets = len(char.encode("utf-8"))
        if size + octets > limit:
            chunks.append("".join(current))
            current, size = [], 0
            limit = LINE_OCTETS - 1  # the leading space counts
        current.append(char)
        size += octets
    chunks.append("".join(current))
    return "\r\n ".join(chunks)


def _date(day):
    return day.strftime("%Y%m%d")


def write_calendar(events, *, name, site_url, now):
    """The VCALENDAR text of `events` (with their country), CRLF line endings."""
    stamp = now.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    lines = [
        "BEGIN:VCALENDAR",
        "PRODID:-//Relais//Regional calendar//EN",
        "VERSION:2.0",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape_text(name)}",
    ]
    for event in events:
        last = event.ends_on or event.starts_on
        place = [event.venue, event.city, event.country.display_name]
        lines += [
            "BEGIN:VEVENT",
            f"UID:event-{event.pk}@relais",
            f"DTSTAMP:{stamp}",
            f"DTSTART;VALUE=DATE:{_date(event.starts_on)}",
            f"DTEND;VALUE=DATE:{_date(last + timedelta(days=1))}",
            f"SUMMARY:{escape_text(event.title)}",
            f"LOCATION:{escape_text(', '.join(p for p in place if p))}",
            f"CATEGORIES:{escape_text(event.get_kind_display())}",
            f"URL:{site_url}{event.get_absolute_url()}",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)
