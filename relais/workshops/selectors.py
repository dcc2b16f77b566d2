"""Reads shared by the workshop pages."""

from django.db.models import Max

from relais.events.models import Event
from relais.plans.selectors import history_latest
from relais.workshops.models import Attendance, Participant, Participation, PersonalDataExport


def workshop_stamp(*, event):
    """When the workshop, its participants, their attendance and scores or the exports of its
    list last changed, in one query: its pages are revalidated against it, so that coming back
    to an unchanged list of 300 people on a metered link downloads nothing again."""
    people = Participation.objects.filter(event_id=event.pk).values("participant_id")
    exports = (
        PersonalDataExport.objects.filter(event_id=event.pk)
        .values("event_id")
        .annotate(last=Max("at"))
        .values("last")
    )
    stamps = Event.objects.filter(pk=event.pk).values_list(
        history_latest(Event, id=event.pk),
        history_latest(Participation, event_id=event.pk),
        history_latest(Participant, id__in=people),
        history_latest(Attendance, participation__event_id=event.pk),
        exports,
    )
    return max((stamp for stamp in stamps.get() if stamp is not None), default=None)
