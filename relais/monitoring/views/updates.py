"""An activity's updates: where it stands, every update newest first with its evidence, and the
form its assigned contributor or the country's coordinator posts the next one with; and the
evidence files themselves, served only to those who read the plan.

Whoever reads the plan reads the page; anyone else is told it does not exist (404). Posting
takes `monitoring.update_activity` on the activity (403 otherwise). The page works without
JavaScript and on a phone; it reads the database a fixed number of times, however many updates
and files there are.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from relais.core.forms import add_errors
from relais.core.http import versioned, with_etag
from relais.core.uploads import KIND_LABELS
from relais.monitoring import updates
from relais.monitoring.evidence import SHOWN_INLINE, content_type
from relais.monitoring.forms import UpdateForm
from relais.monitoring.models import Evidence
from relais.plans.forms import month_label
from relais.plans.selectors import plan_stamp

# An evidence file never changes once posted: a reader's browser keeps it for a week.
EVIDENCE_MAX_AGE = 7 * 24 * 3600


def _month_spans(months):
    """["2018-03", "2018-04", "2018-05", "2019-11"] → ["mars 2018 – mai 2018", "nov. 2019"]."""
    spans = []
    for month in sorted(set(months or ())):
        index = int(month[:4]) * 12 + int(month[5:7])
        if spans and spans[-1][2] + 1 == index:
            spans[-1][1:] = [month, index]
        else:
            spans.append([month, month, index])
    return [
        month_label(first) if first == last else f"{month_label(first)} – {month_label(last)}"
        for first, last, _index in spans
    ]


@require_http_methods(["GET", "POST"])
def activity_updates(request, pk):
    activity = updates.activity_get(user=request.user, pk=pk)
    plan = activity.objective.plan
    can_update = request.user.has_perm("monitoring.update_activity", activity)
    closed = updates.plan_closed_reason(plan)
    etag = None
    if request.method == "POST":
        if not can_update:
            raise PermissionDenied
        form = UpdateForm(request.POST, request.FILES, plan=plan)
        if form.is_valid():
            try:
                update = updates.update_create(
                    activity=activity, by=request.user, **form.cleaned_data
                )
            except ValidationError as error:
                add_errors(form, error)
            else:
                messages.success(request, _("Your update has been recorded."))
                url = reverse("monitoring:activity", args=[activity.pk])
                return redirect(f"{url}#update-{update.pk}")
    else:
        # The page's version for this reader: the updates', the plan's and its status, and
        # whether they may post.
        stamp = updates.activity_stamp(activity=activity)
        etag, unchanged = versioned(request, stamp, plan_stamp(plan=plan), plan.status, can_update)
        if unchanged is not None:
            return unchanged
        form = None
    history = updates.update_list(activity=activity)
    if request.method == "GET" and can_update and not closed:
        # The next update starts from where the last one left the activity.
        latest = history[0] if history else None
        initial = {"status": latest.status, "percent_done": latest.percent_done} if latest else {}
        form = UpdateForm(plan=plan, initial=initial)
    context = {
        "plan": plan,
        "activity": activity,
        "months": _month_spans(activity.months),
        "assignees": list(activity.assignees.all()),
        "latest": history[0] if history else None,
        "updates": history,
        "form": form,
        "can_update": can_update,
        "closed": closed,
        "kinds": KIND_LABELS,
    }
    return with_etag(render(request, "monitoring/activity_updates.html", context), etag)


def _evidence(request, pk):
    """Evidence of an update, an expenditure or a milestone, if `request.user` reads the plan it
    belongs to (one query); 404 otherwise."""
    evidence = (
        Evidence.objects.select_related(
            "update__activity__objective__plan",
            "expenditure__activity__objective__plan",
            "milestone__objective__plan",
        )
        .filter(pk=pk)
        .first()
    )
    if evidence is None:
        raise Http404
    # A receipt is read by whoever reads its expenditure (a partner, only its own organisation's).
    record = evidence.update or evidence.expenditure or evidence.milestone
    model = record._meta.model_name
    if not request.user.has_perm(f"monitoring.view_{model}", record):
        raise Http404
    return evidence


def _serve(request, field, *, filename, kind, content_type):
    """The stored file `field` with its length, type and name: shown in the browser for images
    and PDFs, downloaded otherwise."""
    if not field:
        raise Http404
    try:
        handle = field.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    response = FileResponse(
        handle,
        as_attachment=kind not in SHOWN_INLINE,
        filename=filename,
        content_type=content_type,
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    patch_cache_control(response, private=True, max_age=EVIDENCE_MAX_AGE)
    return response


@require_GET
def evidence_file(request, pk):
    evidence = _evidence(request, pk)
    return _serve(
        request,
        evidence.file,
        filename=evidence.original_name,
        kind=evidence.kind,
        content_type=content_type(evidence),
    )


@require_GET
def evidence_thumbnail(request, pk):
    evidence = _evidence(request, pk)
    stem = evidence.original_name.rsplit(".", 1)[0] or "evidence"
    return _serve(
        request,
        evidence.thumbnail,
        filename=f"{stem}-small.jpg",
        kind="jpeg",
        content_type="image/jpeg",
    )
