"""A country's workshops, missions and campaign events: the list, recording one, its page with
the agenda by day, and the sessions of that agenda.

Whoever sees the country's work reads them; anyone else is told they do not exist (404). The
country's coordinator (or an administrator) records and changes them; another member of the
country is refused (403). Each page reads the database a fixed number of times, however many
sessions there are. Every page works without JavaScript.
"""

from itertools import groupby

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from relais.core.forms import add_errors
from relais.events.models import Event, Session
from relais.workshops import services
from relais.workshops.forms import SessionForm, WorkshopForm
from relais.workshops.views.access import country_for, require_change, workshop_for, workshops


def _session(request, pk):
    """A session of a workshop `request.user` may read, with its event (one query)."""
    session = (
        Session.objects.filter(pk=pk)
        .exclude(event__kind=Event.Kind.ROUND_TABLE)
        .select_related("event__country")
        .first()
    )
    if session is None or not request.user.has_perm("workshops.view_event", session.event):
        raise Http404
    return session


def _agenda(event):
    """[(day, [session, …]), …] in the order of the days, from the prefetched sessions."""
    return [
        (day, list(sessions)) for day, sessions in groupby(event.sessions.all(), lambda s: s.day)
    ]


@require_GET
def workshop_list(request, code):
    country = country_for(request, code)
    events = (
        workshops()
        .filter(country=country)
        .annotate(session_count=Count("sessions"))
        .order_by("-starts_on", "-pk")
    )
    context = {
        "country": country,
        "events": events,
        "can_change": request.user.has_perm("workshops.change_event", country),
    }
    return render(request, "workshops/workshop_list.html", context)


@require_http_methods(["GET", "POST"])
def workshop_create(request, code):
    country = country_for(request, code)
    require_change(request, country)
    form = WorkshopForm(request.POST or None, country=country)
    if request.method == "POST" and form.is_valid():
        try:
            event = services.workshop_create(country=country, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The event has been recorded. Add its agenda."))
            return redirect(event)
    return render(request, "workshops/workshop_form.html", {"country": country, "form": form})


@require_http_methods(["GET", "POST"])
def workshop_edit(request, pk):
    event = workshop_for(request, pk, sessions=True)
    require_change(request, event)
    title = event.title  # as saved: validating the form writes what was typed onto `event`
    form = WorkshopForm(request.POST or None, instance=event, country=event.country)
    if request.method == "POST" and form.is_valid():
        try:
            services.workshop_update(event=event, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The event has been saved."))
            return redirect(event)
    context = {"country": event.country, "event": event, "title": title, "form": form}
    return render(request, "workshops/workshop_form.html", context)


@require_GET
def workshop_detail(request, pk):
    event = workshop_for(request, pk, sessions=True)
    can_change = request.user.has_perm("workshops.change_event", event)
    context = {
        "country": event.country,
        "event": event,
        "agenda": _agenda(event),
        "can_change": can_change,
        "can_see_history": request.user.has_perm("events.view_history", event),
        "session_form": SessionForm(event=event) if can_change else None,
    }
    return render(request, "workshops/workshop_detail.html", context)


@require_http_methods(["GET", "POST"])
def session_create(request, pk):
    event = workshop_for(request, pk, sessions=True)
    require_change(request, event)
    form = SessionForm(request.POST or None, event=event)
    if request.method == "POST" and form.is_valid():
        try:
            services.session_save(event=event, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The session has been added to the agenda."))
            return redirect(f"{event.get_absolute_url()}#agenda")
    return render(request, "workshops/session_form.html", {"event": event, "form": form})


@require_http_methods(["GET", "POST"])
def session_edit(request, pk):
    session = _session(request, pk)
    event = session.event
    require_change(request, event)
    title = session.title  # as saved
    form = SessionForm(request.POST or None, instance=session, event=event)
    if request.method == "POST" and form.is_valid():
        try:
            services.session_save(
                event=event, by=request.user, session=session, **form.cleaned_data
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The session has been saved."))
            return redirect(f"{event.get_absolute_url()}#agenda")
    context = {"event": event, "session": session, "title": title, "form": form}
    return render(request, "workshops/session_form.html", context)


@require_http_methods(["GET", "POST"])
def session_delete(request, pk):
    """GET asks to confirm (a page, no script needed); POST deletes."""
    session = _session(request, pk)
    event = session.event
    require_change(request, event)
    if request.method == "POST":
        services.session_delete(session=session, by=request.user)
        messages.success(request, _("The session has been deleted from the agenda."))
        return redirect(f"{event.get_absolute_url()}#agenda")
    return render(request, "workshops/session_delete.html", {"event": event, "session": session})
