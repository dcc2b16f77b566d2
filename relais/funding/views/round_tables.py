"""A plan's round tables: the list, recording one, its page, and its summary for the ministry
(a printable page and a Word file).

Whoever sees the plan's country's work reads its round tables; anyone else is told they do not
exist (404). The country's coordinator (or an administrator) records them; another member of the
country is refused (403). Each page reads the database a fixed number of times, however many
pledges and participants there are: the figures come from the plan's funding picture.
"""

import posixpath
from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.defaultfilters import filesizeformat
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from relais.core.forms import add_errors
from relais.countries.models import Contact
from relais.events.forms import RoundTableForm
from relais.events.models import Event
from relais.funding import documents, services
from relais.funding.picture import funding_picture
from relais.plans.selectors import plan_get

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _plan(request, pk):
    """A plan whose round tables `request.user` may read (404 otherwise)."""
    plan = plan_get(user=request.user, pk=pk)
    if not request.user.has_perm("funding.view_event", plan):
        raise Http404
    return plan


def _round_table(request, pk):
    """A round table `request.user` may read, with its plan, who was invited and who came
    (four queries); 404 otherwise."""
    event = (
        Event.objects.filter(pk=pk, kind=Event.Kind.ROUND_TABLE, plan__isnull=False)
        .select_related("plan__country__national_body")
        .prefetch_related(
            "invited",
            "present",
            Prefetch("invited_people", queryset=Contact.objects.select_related("organisation")),
            Prefetch("participants", queryset=Contact.objects.select_related("organisation")),
        )
        .first()
    )
    if event is None or not request.user.has_perm("funding.view_event", event):
        raise Http404
    return event


def _require_change(request, record):
    if not request.user.has_perm("funding.change_event", record):
        raise PermissionDenied


@dataclass(frozen=True)
class Minutes:
    url: str
    name: str
    size: str  # "1,2 MB"; "" when the file cannot be read


def _minutes(event):
    """The round table's minutes (Minutes), None when there are none."""
    if not event.minutes:
        return None
    try:
        size = filesizeformat(event.minutes.size)
    except (OSError, ValueError):
        size = ""
    return Minutes(event.minutes.url, posixpath.basename(event.minutes.name), size)


@require_GET
def round_table_list(request, pk):
    plan = _plan(request, pk)
    events = list(Event.objects.filter(plan=plan, kind=Event.Kind.ROUND_TABLE))
    pledges = documents.pledges_by_event(funding_picture(plan=plan))
    rows = [
        (
            event,
            len(pledges.get(event.pk, [])),
            documents.announced_total(pledges.get(event.pk, [])),
        )
        for event in events
    ]
    context = {
        "plan": plan,
        "rows": rows,
        "currency_label": documents.currency_label(plan.currency),
        "can_change": request.user.has_perm("funding.change_event", plan),
    }
    return render(request, "funding/round_table_list.html", context)


@require_http_methods(["GET", "POST"])
def round_table_create(request, pk):
    plan = _plan(request, pk)
    _require_change(request, plan)
    form = RoundTableForm(request.POST or None, request.FILES or None, plan=plan)
    if request.method == "POST" and form.is_valid():
        try:
            event = services.round_table_create(plan=plan, by=request.user, **form.service_fields())
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The round table has been recorded."))
            return redirect(event)
    return render(request, "funding/round_table_form.html", {"plan": plan, "form": form})


@require_http_methods(["GET", "POST"])
def round_table_edit(request, pk):
    event = _round_table(request, pk)
    _require_change(request, event)
    # As saved: validating the form writes what was typed onto `event`.
    saved = {"title": event.title, "minutes": _minutes(event)}
    form = RoundTableForm(
        request.POST or None, request.FILES or None, instance=event, plan=event.plan
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.round_table_update(event=event, by=request.user, **form.service_fields())
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The round table has been saved."))
            return redirect(event)
    context = {"plan": event.plan, "event": event, "form": form, **saved}
    return render(request, "funding/round_table_form.html", context)


@require_GET
def round_table_detail(request, pk):
    event = _round_table(request, pk)
    report = documents.round_table_report(event=event)
    context = {
        "plan": event.plan,
        "event": event,
        "report": report,
        "minutes": _minutes(event),
        "can_change": request.user.has_perm("funding.change_event", event),
        "can_record_pledge": request.user.has_perm("funding.change_funding", event.plan),
    }
    return render(request, "funding/round_table_detail.html", context)


@require_GET
def round_table_summary(request, pk):
    event = _round_table(request, pk)
    report = documents.round_table_report(event=event)
    return render(
        request,
        "funding/round_table_summary.html",
        {"plan": event.plan, "event": event, "report": report},
    )


@require_GET
def round_table_docx(request, pk):
    event = _round_table(request, pk)
    content = documents.round_table_docx(documents.round_table_report(event=event))
    name = slugify(f"{event.starts_on.isoformat()} {event.title}")[:80]
    response = HttpResponse(content, content_type=DOCX)
    response["Content-Disposition"] = f'attachment; filename="{name}.docx"'
    return response
