"""The checks every workshop page starts with: the country or workshop asked for, if the person
may read it (404 otherwise, as if it did not exist), and whether they may change it (403)."""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from relais.core.http import versioned
from relais.countries.selectors import country_get
from relais.events.models import Event
from relais.workshops.selectors import workshop_stamp


def workshops():
    """Every event but round tables (relais.funding keeps those)."""
    return Event.objects.exclude(kind=Event.Kind.ROUND_TABLE)


def country_for(request, code):
    """A country whose workshops `request.user` may read (404 otherwise)."""
    country = country_get(code=code)
    if not request.user.has_perm("workshops.view_event", country):
        raise Http404
    return country


def workshop_for(request, pk, *, sessions=False):
    """A workshop `request.user` may read, with its country, organisations and plan activity
    (one query; its sessions too with `sessions=True`); 404 otherwise."""
    events = (
        workshops()
        .filter(pk=pk)
        .select_related(
            "country__national_body", "organiser", "funder", "activity__objective__plan"
        )
    )
    if sessions:
        events = events.prefetch_related("sessions")
    event = events.first()
    if event is None or not request.user.has_perm("workshops.view_event", event):
        raise Http404
    return event


def require_change(request, record):
    """403 unless `request.user` may record and change the workshop (or the country's)."""
    if not request.user.has_perm("workshops.change_event", record):
        raise PermissionDenied


def workshop_version(request, event):
    """(etag, 304 response or None) for a GET of a workshop page: its version for this reader
    (relais.core.http.versioned), from what the workshop holds."""
    return versioned(request, workshop_stamp(event=event))
