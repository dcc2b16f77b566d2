"""The checks every workshop page starts with: the country or workshop asked for, if the person
may read it (404 otherwise, as if it did not exist), and whether they may change it (403)."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import quote_etag

from relais.core.http import reader_etag
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


def versioned(request, event):
    """(etag, response) for a GET of a workshop page: its version for this reader, and "304 Not
    Modified" when the reader already has it. (None, None) for a POST, or while a message waits
    to be shown. The view sets the ETag on the page it renders."""
    if request.method != "GET":
        return None, None
    etag = reader_etag(request, workshop_stamp(event=event))
    if not etag:
        return None, None
    etag = quote_etag(etag)
    return etag, get_conditional_response(request, etag=etag)


def with_etag(response, etag):
    """`response` carrying its version, to be revalidated each time it is shown again."""
    if etag:
        response.headers["ETag"] = etag
        patch_cache_control(response, private=True, no_cache=True)
    return response
