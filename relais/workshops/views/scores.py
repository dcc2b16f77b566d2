"""What a workshop's participants learned: their pre-test and post-test scores in one grid, the
average gain and its spread above it, and the scores imported from a spreadsheet or pasted.

Whoever reads the workshop reads the figures; the country's members and regional coordinators
read each participant's scores too. The country's coordinator (or an administrator) enters
them; another member of the country is refused (403). The page reads the database a fixed
number of times however many participants there are, and works without JavaScript.
"""

import re

from django import forms
from django.contrib import messages
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods

from relais.core.http import with_etag
from relais.core.sheets import read_workbook, sheet_from_text
from relais.workshops import learning
from relais.workshops.views.access import require_change, workshop_for, workshop_version

SCORE_FIELD = re.compile(r"^(pre|post)-(\d+)$")
# Tall enough for a 300-participant sheet, far short of what would hurt the server.
MAX_UPLOAD = 5 * 1024 * 1024


def _plain(value):
    """A score as a number input wants it: "12.5", never "12,50"."""
    return "" if value is None else format(value.normalize(), "f")  # 20.00 → "20", not "2E+1"


def _bars(bands):
    """Where each band's before and after bars stand in a 100 × 40 drawing, the tallest 36
    high."""
    tallest = max((max(b.pre, b.post) for b in bands), default=0) or 1
    bars = []
    for i, band in enumerate(bands):
        pre, post = band.pre * 36 // tallest, band.post * 36 // tallest
        bars.append(
            {
                "band": band,
                "x": i * 20 + 3,
                "pre": pre,
                "post": post,
                "pre_y": 38 - pre,
                "post_y": 38 - post,
                "x_post": i * 20 + 10,
            }
        )
    return bars


def _rows(participations, typed=None, errors=None):
    """[(participation, pre, post, gain, pre error, post error, fine step), …]: what each input
    shows (what was typed, when the grid comes back with errors) and the gain recorded."""
    typed, errors = typed or {}, errors or {}
    rows = []
    for p in participations:
        gain = None
        if p.pre_score is not None and p.post_score is not None:
            gain = p.post_score - p.pre_score
        pre, post = typed.get(p.pk, (_plain(p.pre_score), _plain(p.post_score)))
        # A score kept with a finer step than the grid's quarter points (imported, say) lets the
        # browser send the form all the same.
        fine = any(s is not None and (s * 4) % 1 for s in (p.pre_score, p.post_score))
        rows.append(
            (p, pre, post, gain, errors.get(f"pre-{p.pk}"), errors.get(f"post-{p.pk}"), fine)
        )
    return rows


def _typed(post, participations):
    """{participation id: (pre, post)} from the grid's inputs; an input missing from the form
    keeps the score recorded."""
    recorded = {p.pk: (p.pre_score, p.post_score) for p in participations}
    typed = {}
    for key, value in post.items():
        match = SCORE_FIELD.match(key)
        if match:
            typed.setdefault(int(match.group(2)), {})[match.group(1)] = value
    return {
        pk: (
            values.get("pre", recorded.get(pk, (None, None))[0]),
            values.get("post", recorded.get(pk, (None, None))[1]),
        )
        for pk, values in typed.items()
    }


@require_http_methods(["GET", "POST"])
def scores(request, pk):
    event = workshop_for(request, pk)
    etag, not_modified = workshop_version(request, event)
    if not_modified is not None:
        return not_modified
    can_change = request.user.has_perm("workshops.change_event", event)
    if request.method == "POST":
        require_change(request, event)
    participations = list(event.participations.select_related("participant"))
    typed, errors, max_error = None, {}, None
    if request.method == "POST":
        score_max = request.POST.get("score_max")
        scores = {} if score_max is not None else _typed(request.POST, participations)
        try:
            changed = learning.scores_save(
                event=event, by=request.user, scores=scores, score_max=score_max
            )
        except ValidationError as error:
            errors = {k: " ".join(v) for k, v in error.message_dict.items()}
            max_error = errors.pop("score_max", None)
            if score_max is None:
                typed = {
                    pk: tuple(_plain(v) if not isinstance(v, str) else v for v in pair)
                    for pk, pair in scores.items()
                }
        else:
            if score_max is not None:
                messages.success(request, _("The full mark has been saved."))
            else:
                messages.success(
                    request,
                    ngettext(
                        "The scores have been saved (%(count)s participant changed).",
                        "The scores have been saved (%(count)s participants changed).",
                        changed,
                    )
                    % {"count": changed},
                )
            return redirect("workshops:scores", pk=event.pk)
    pairs = [(p.pre_score, p.post_score) for p in participations]
    context = {
        "country": event.country,
        "event": event,
        "can_change": can_change,
        # Each person's scores: the country's members and regional coordinators; a funder's
        # representatives read the figures only.
        "show_people": request.user.has_perm("workshops.view_contacts", event),
        "summary": learning.summarise(pairs, event.score_max),
        "score_max": _plain(event.score_max),
        "bars": _bars(learning.distribution(pairs, event.score_max)),
        "rows": _rows(participations, typed, errors),
        "errors": errors,
        "general_errors": errors.pop(NON_FIELD_ERRORS, None),
        "max_error": max_error,
        "score_max_typed": request.POST.get("score_max") if max_error else None,
    }
    return with_etag(render(request, "workshops/scores.html", context), etag)


class ScoresImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Spreadsheet"),
        required=False,
        help_text=gettext_lazy("Excel (.xlsx, .xls), OpenDocument (.ods) or CSV."),
    )
    rows = forms.CharField(
        label=gettext_lazy("Or paste the rows"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8, "dir": "auto"}),
        help_text=gettext_lazy(
            "Copied from the spreadsheet: a name, the pre-test and the post-test on each line."
        ),
    )

    def clean(self):
        data = super().clean()
        if not data.get("file") and not (data.get("rows") or "").strip():
            raise ValidationError(_("Choose a spreadsheet or paste its rows."))
        return data


@require_http_methods(["GET", "POST"])
def scores_import(request, pk):
    event = workshop_for(request, pk)
    require_change(request, event)
    if request.method == "POST":
        form = ScoresImportForm(request.POST, request.FILES)
    else:
        form = ScoresImportForm()
    problems = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            if upload:
                sheets, pasted = read_workbook(upload, max_bytes=MAX_UPLOAD), False
            else:
                sheets, pasted = [sheet_from_text(form.cleaned_data["rows"])], True
            read, missing = learning.scores_import(
                event=event, by=request.user, sheets=sheets, pasted=pasted
            )
        except ValidationError as error:
            problems = error.messages
        else:
            messages.success(
                request,
                ngettext(
                    "The scores of %(count)s participant have been imported.",
                    "The scores of %(count)s participants have been imported.",
                    read,
                )
                % {"count": read},
            )
            if missing:
                messages.warning(
                    request,
                    ngettext(
                        "%(count)s participant of the workshop is not in the file: their "
                        "scores are unchanged.",
                        "%(count)s participants of the workshop are not in the file: their "
                        "scores are unchanged.",
                        missing,
                    )
                    % {"count": missing},
                )
            return redirect(reverse("workshops:scores", args=[event.pk]))
    context = {
        "country": event.country,
        "event": event,
        "form": form,
        "problems": problems,
    }
    return render(request, "workshops/scores_import.html", context)
