"""The regional calendar of the network's events, and its iCalendar feed."""

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from relais.exchange import calendar as selectors


def _year(request):
    """The `?year=` asked for, or None for the upcoming events; a malformed year answers 404."""
    value = request.GET.get("year")
    if not value:
        return None
    if not value.isdigit() or not 1900 <= int(value) <= 2999:
        raise Http404
    return int(value)


@require_GET
def calendar(request):
    if not request.user.has_perm("countries.view_contacts"):
        raise Http404
    year = _year(request)
    today = timezone.localdate()
    if year is None:
        events = selectors.calendar_upcoming(today=today)
    else:
        events = selectors.calendar_year(year=year)
    for event in events:
        # Its page, only to those who may read that country's work.
        event.readable = request.user.has_perm("events.view_event", event)
    feed_url = request.build_absolute_uri(
        reverse("exchange:calendar_feed", args=[selectors.feed_token(user=request.user)])
    )
    return render(
        request,
        "exchange/calendar.html",
        {
            "year": year,
            "months": selectors.by_month(events),
            "years": selectors.calendar_years(),
            "feed_url": feed_url,
        },
    )


@login_not_required
@require_GET
def calendar_feed(request, token):
    reader = selectors.feed_reader(token=token)
    if reader is None or not reader.has_perm("countries.view_contacts"):
        raise Http404
    with translation.override(reader.language or settings.LANGUAGE_CODE):
        body = selectors.write_calendar(
            selectors.calendar_feed_events(),
            name=_("Relais — the network's calendar"),
            site_url=settings.RELAIS_SITE_URL,
            now=timezone.now(),
        )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="relais.ics"'
    return response
