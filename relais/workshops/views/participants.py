"""Who took part in a workshop: the list (with the contacts for those who may see them), adding
a person, changing or removing one, importing a list from a spreadsheet or pasted rows (with a
review before anything is saved) and exporting the list with its contacts (recorded).

Whoever may read the workshop reads the list; the representatives of its funder see it without
phones and emails. The country's coordinator (or an administrator) adds, changes, removes,
imports and exports; the country's other members are refused (403), anyone else is told the
workshop does not exist (404). The list reads the database a fixed number of times however
many people it holds, and renders plain values, not a form per row.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods

from relais.core.forms import add_errors
from relais.core.http import with_etag
from relais.core.sheets import read_workbook, sheet_from_text
from relais.countries.models import Country, Organisation
from relais.events.models import Event
from relais.workshops import participants
from relais.workshops.forms import ParticipantForm, ParticipantImportForm
from relais.workshops.models import Participant, Participation, PersonalDataExport
from relais.workshops.views.access import require_change, workshop_for, workshop_version

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _list_url(event):
    return reverse("workshops:participants", args=[event.pk]) + "#participants"


def _participation(request, pk):
    """A participation in a workshop `request.user` may read, with its person and event
    (one query); 404 otherwise."""
    participation = (
        Participation.objects.filter(pk=pk)
        .exclude(event__kind=Event.Kind.ROUND_TABLE)
        .select_related("participant", "event__country")
        .first()
    )
    if participation is None or not request.user.has_perm(
        "workshops.view_event", participation.event
    ):
        raise Http404
    return participation


def _rows(event, *, contacts):
    """The workshop's list as plain values, one query: contacts only when they may be shown."""
    fields = [
        "pk",
        "participant_id",
        "participant__full_name",
        "participant__sex",
        "participant__organisation",
        "participant__organisation_kind",
        "participant__function",
        "participant__country__code",
    ]
    if contacts:
        fields += ["participant__phone", "participant__email"]
    # Reversed once, not 300 times for 300 people.
    edit = reverse("workshops:participation_edit", args=[0]).replace("/0/", "/%s/")
    # Translated once, not once a row.
    sexes = {value: str(label) for value, label in Participant.Sex.choices}
    kinds = {value: str(label) for value, label in Organisation.Kind.choices}
    countries = {}
    rows = []
    for number, values in enumerate(
        Participation.objects.filter(event=event)
        .order_by("participant__full_name", "pk")
        .values(*fields),
        start=1,
    ):
        code = values["participant__country__code"]
        if code and code not in countries:
            countries[code] = Country(code=code, name=code).display_name
        rows.append(
            {
                "number": str(number),
                "edit_url": edit % values["pk"],
                "name": values["participant__full_name"],
                "sex": values["participant__sex"],
                "sex_label": sexes.get(values["participant__sex"], ""),
                "organisation": values["participant__organisation"],
                "kind": kinds.get(values["participant__organisation_kind"], ""),
                "function": values["participant__function"],
                "country": countries.get(code, ""),
                "phone": values.get("participant__phone", ""),
                "email": values.get("participant__email", ""),
            }
        )
    return rows


def _render_list(request, event, form):
    user = request.user
    contacts = user.has_perm("workshops.view_contacts", event)
    can_export = user.has_perm("workshops.export_personal_data", event)
    rows = _rows(event, contacts=contacts)
    context = {
        "country": event.country,
        "event": event,
        "rows": rows,
        "counts": {
            "people": len(rows),
            "women": sum(row["sex"] == Participant.Sex.WOMAN for row in rows),
            "men": sum(row["sex"] == Participant.Sex.MAN for row in rows),
        },
        "contacts": contacts,
        "can_change": user.has_perm("workshops.change_event", event),
        "can_export": can_export,
        "exports": (
            PersonalDataExport.objects.filter(event=event).select_related("by")[:10]
            if can_export
            else ()
        ),
        "form": form,
    }
    return render(request, "workshops/participant_list.html", context)


@require_http_methods(["GET", "POST"])
def participant_list(request, pk):
    """GET shows the list; POST adds one person to it."""
    event = workshop_for(request, pk)
    if request.method == "GET":
        etag, not_modified = workshop_version(request, event)
        if not_modified is not None:
            return not_modified
        can_change = request.user.has_perm("workshops.change_event", event)
        form = ParticipantForm(event=event) if can_change else None
        return with_etag(_render_list(request, event, form), etag)
    require_change(request, event)
    form = ParticipantForm(request.POST, event=event)
    if form.is_valid():
        try:
            participation, known = participants.participant_add(
                event=event, by=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            if known is not None:
                message = participants.recognised_text(known, event=event)
            else:
                message = _("%(name)s has been added to the list.") % {
                    "name": participation.participant.full_name
                }
            messages.success(request, message)
            return redirect(_list_url(event))
    return _render_list(request, event, form)


@require_http_methods(["GET", "POST"])
def participation_edit(request, pk):
    participation = _participation(request, pk)
    event = participation.event
    require_change(request, event)
    person = participation.participant
    name = person.full_name  # as saved: validating the form writes what was typed onto it
    others = person.participations.exclude(pk=participation.pk).count()
    form = ParticipantForm(request.POST or None, instance=person, event=event)
    if request.method == "POST" and form.is_valid():
        try:
            participants.participant_update(
                participant=person, by=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("%(name)s has been saved.") % {"name": person.full_name})
            return redirect(_list_url(event))
    context = {
        "event": event,
        "participation": participation,
        "name": name,
        "others": others,
        "form": form,
    }
    return render(request, "workshops/participation_form.html", context)


@require_http_methods(["GET", "POST"])
def participation_remove(request, pk):
    """GET asks to confirm (a page, no script needed); POST takes the person off the list."""
    participation = _participation(request, pk)
    event = participation.event
    require_change(request, event)
    if request.method == "POST":
        participants.participation_remove(participation=participation, by=request.user)
        messages.success(
            request,
            _("%(name)s has been taken off the list.")
            % {"name": participation.participant.full_name},
        )
        return redirect(_list_url(event))
    context = {"event": event, "participation": participation}
    return render(request, "workshops/participation_remove.html", context)


def _sheets(form):
    upload = form.cleaned_data.get("workbook")
    if upload:
        return read_workbook(upload, max_bytes=MAX_UPLOAD_BYTES)
    return [sheet_from_text(form.cleaned_data["text"])]


@require_http_methods(["GET", "POST"])
def participant_import(request, pk):
    """Three steps, none needing a script: the file or pasted rows; the review (who will be
    added, who is recognised, what looks wrong), which carries the rows read in a signed
    field; the confirmation, which saves them all or nothing."""
    event = workshop_for(request, pk)
    require_change(request, event)
    context = {"country": event.country, "event": event, "form": ParticipantImportForm()}
    if request.method == "POST" and "confirm" in request.POST:
        try:
            parsed = participants.unsign(request.POST.get("data"), event=event)
            counts = participants.participants_import(event=event, by=request.user, parsed=parsed)
        except ValidationError as error:
            context["problems"] = error.messages
        else:
            message = ngettext(
                "%(count)s participant has been added to the list.",
                "%(count)s participants have been added to the list.",
                counts["added"],
            ) % {"count": counts["added"]}
            if counts["recognised"]:
                message += " " + ngettext(
                    "%(count)s of them had already been trained.",
                    "%(count)s of them had already been trained.",
                    counts["recognised"],
                ) % {"count": counts["recognised"]}
            messages.success(request, message)
            return redirect(_list_url(event))
    elif request.method == "POST":
        form = ParticipantImportForm(request.POST, request.FILES)
        context["form"] = form
        if form.is_valid():
            try:
                sheets = _sheets(form)
            except ValidationError as error:
                form.add_error("workbook", error)
            else:
                parsed = participants.parse_participants(sheets, event=event)
                if not parsed.errors:
                    participants.recognise(parsed, event=event)
                if parsed.errors:
                    context["problems"] = [str(problem) for problem in parsed.errors]
                else:
                    context["parsed"] = parsed
                    context["data"] = participants.sign(parsed, event=event)
                    context["adding"] = sum(not row["on_list"] for row in parsed.rows)
                    context["recognised"] = sum(bool(row["known"]) for row in parsed.rows)
    return render(request, "workshops/participant_import.html", context)


@require_GET
def participant_export(request, pk):
    """The list with its contacts as .xlsx: personal data, so only for the coordinator (or an
    administrator), and each download is recorded."""
    event = workshop_for(request, pk)
    if not request.user.has_perm("workshops.export_personal_data", event):
        raise PermissionDenied
    name, content = participants.participants_export(event=event, by=request.user)
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store"
    return response
