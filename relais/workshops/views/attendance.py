"""Who was present on which day of a workshop: the grid a coordinator ticks after the workshop
(from the signed sheets), and the attendance sheet itself, a PDF printed for participants to sign.

Whoever may read the workshop sees the grid (read-only) and downloads the sheet; the country's
coordinator (or an administrator) saves the grid, and another member of the country is refused
(403). The grid reads the database a fixed number of times, however many participants.
"""

from datetime import date

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from relais.core.http import with_etag
from relais.core.pdf import pdf_response, render_copies
from relais.workshops import attendance as services
from relais.workshops.views.access import require_change, workshop_for, workshop_version


def _day_asked(request):
    """The day of an "all present" button, if one was pressed."""
    value = request.POST.get("day")
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ValidationError(_("This is not a day: nothing was saved.")) from None


@require_http_methods(["GET", "POST"])
def attendance(request, pk):
    event = workshop_for(request, pk)
    etag, not_modified = workshop_version(request, event)
    if not_modified is not None:
        return not_modified
    can_change = request.user.has_perm("workshops.change_event", event)
    marks, errors = None, []
    if request.method == "POST":
        require_change(request, event)
        try:
            marks = services.parse_marks(request.POST.getlist("present"))
            services.attendance_save(
                event=event, by=request.user, marks=marks, all_present_on=_day_asked(request)
            )
        except ValidationError as error:
            errors = error.messages
        else:
            messages.success(request, _("The attendance has been saved."))
            return redirect("workshops:attendance", event.pk)
    context = {
        "country": event.country,
        "event": event,
        # After a refusal, the grid as it was sent, so that nothing ticked is lost.
        "grid": services.attendance_grid(event=event, marks=marks),
        "can_change": can_change,
        "errors": errors,
    }
    return with_etag(render(request, "workshops/attendance.html", context), etag)


@require_GET
def attendance_sheet(request, pk):
    event = workshop_for(request, pk)
    sheet = services.attendance_sheet(
        event=event, contacts=request.user.has_perm("workshops.view_contacts", event)
    )
    # The list is laid out once and printed for each day, the day at the head of each page.
    document = render_copies(
        "workshops/attendance_sheet.html", {"sheet": sheet}, sheet.heads, request=request
    )
    data = document.write_pdf()
    # "liste-de-presence-atelier-de-formation….pdf" in French
    title = slugify(event.title, allow_unicode=True)[:60].strip("-") or str(event.pk)
    return pdf_response(data, f"{slugify(_('Attendance sheet'), allow_unicode=True)}-{title}.pdf")
