"""Writes for workshops, missions and campaign events and their agenda: one function per action,
each in one transaction, each checking what a person could get wrong and saying where.

Round tables are not written here (relais.funding.services records them): an event of any other
kind is.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from relais.events.models import Event, Session
from relais.events.services import check_title_and_dates
from relais.plans.models import Activity
from relais.workshops.models import Attendance

WORKSHOP_KINDS = tuple(kind for kind in Event.Kind if kind != Event.Kind.ROUND_TABLE)
# What else a workshop says of itself; anything more is a programming error.
FIELDS = frozenset(
    {
        "venue",
        "city",
        "chair",
        "organiser",
        "funder",
        "project",
        "facilitators",
        "objectives",
        "activity",
    }
)


def _day(value):
    return date_format(value, "DATE_FORMAT")


def _check(country, kind, title, starts_on, ends_on, fields):
    """The fields checked; returns the plan the activity belongs to (None without one)."""
    unknown = set(fields) - FIELDS
    if unknown:
        raise TypeError(f"Unexpected fields: {', '.join(sorted(unknown))}")
    if kind not in WORKSHOP_KINDS:
        raise ValidationError({"kind": _("Choose what kind of event it is.")})
    check_title_and_dates(title, starts_on, ends_on, no_title=_("Give the event a title."))
    for name in ("organiser", "funder"):
        organisation = fields.get(name)
        if organisation is not None and organisation.country_id not in (None, country.pk):
            raise ValidationError({name: _("This organisation belongs to another country.")})
    activity = fields.get("activity")
    if activity is None:
        return None
    activity = (
        Activity.objects.select_related("objective__plan")
        .filter(pk=activity.pk, objective__plan__country=country)
        .first()
    )
    if activity is None:
        raise ValidationError(
            {"activity": _("This activity is in another country's plan: choose one of yours.")}
        )
    return activity.objective.plan


def _check_days(event, starts_on, ends_on):
    """New dates must still hold every session of the agenda and every day someone was
    recorded present."""
    last = ends_on or starts_on
    outside = event.sessions.exclude(day__range=(starts_on, last)).order_by("day").first()
    if outside is not None:
        message = _(
            "A session of the agenda is on %(day)s, outside these dates: move or delete it first."
        )
        _refuse_day(outside.day, starts_on, message)
    present = (
        Attendance.objects.filter(participation__event=event)
        .exclude(day__range=(starts_on, last))
        .order_by("day")
        .first()
    )
    if present is not None:
        message = _(
            "Participants were recorded present on %(day)s, outside these dates: change the "
            "attendance first."
        )
        _refuse_day(present.day, starts_on, message)


def _refuse_day(day, starts_on, message):
    field = "starts_on" if day < starts_on else "ends_on"
    raise ValidationError({field: message % {"day": _day(day)}})


@transaction.atomic
def workshop_create(*, country, by, kind, title, starts_on, ends_on=None, **fields):
    """A workshop, mission or campaign event of `country`. Its plan is the one of the activity
    it carries out, if it names one."""
    plan = _check(country, kind, title, starts_on, ends_on, fields)
    event = Event(
        kind=kind,
        country=country,
        plan=plan,
        title=title.strip(),
        starts_on=starts_on,
        ends_on=ends_on,
        **fields,
    )
    event._history_user = by
    event.save()
    return event


@transaction.atomic
def workshop_update(*, event, by, kind, title, starts_on, ends_on=None, **fields):
    current = Event.objects.select_for_update().get(pk=event.pk)
    if current.kind == Event.Kind.ROUND_TABLE:
        raise ValueError("A round table is changed by relais.funding.services.")
    plan = _check(current.country, kind, title, starts_on, ends_on, fields)
    _check_days(current, starts_on, ends_on)
    current.kind, current.title, current.plan = kind, title.strip(), plan
    current.starts_on, current.ends_on = starts_on, ends_on
    for name, value in fields.items():
        setattr(current, name, value)
    current._history_user = by
    current.save()
    return current


@transaction.atomic
def session_save(
    *,
    event,
    by,
    session=None,
    day,
    title,
    starts_at=None,
    ends_at=None,
    facilitator="",
):
    """A session of `event`'s agenda: a new one, or `session` changed."""
    current = Event.objects.select_for_update().get(pk=event.pk)
    if session is not None and session.event_id != current.pk:
        raise ValueError("This session belongs to another event.")
    if day is None:
        raise ValidationError({"day": _("Enter the day.")})
    last = current.ends_on or current.starts_on
    if not current.starts_on <= day <= last:
        if last == current.starts_on:
            message = _("The event is on %(first)s: the session must be that day.")
        else:
            message = _("The event runs from %(first)s to %(last)s: choose a day between them.")
        raise ValidationError(
            {"day": message % {"first": _day(current.starts_on), "last": _day(last)}}
        )
    if not (title or "").strip():
        raise ValidationError({"title": _("Say what the session is about.")})
    if starts_at is not None and ends_at is not None and ends_at < starts_at:
        raise ValidationError({"ends_at": _("The session ends before it starts.")})
    session = session or Session(event=current)
    session.day, session.title = day, title.strip()
    session.starts_at, session.ends_at = starts_at, ends_at
    session.facilitator = (facilitator or "").strip()
    session._history_user = by
    session.save()
    return session


@transaction.atomic
def session_delete(*, session, by):
    session._history_user = by
    session.delete()
