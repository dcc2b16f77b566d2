"""What the participants thought of a workshop: the form each fills in on their phone from their
own link or its QR code, without an account, once; the results per criterion; the printable
cards carrying the links; and closing the evaluation.

Whoever reads the workshop reads the results (the comments are not signed). The country's
coordinator (or an administrator) sees each participant's link and whether they answered,
prints the cards and closes the evaluation; another member of the country is refused (403).
Each page reads the database a fixed number of times however many participants there are.
"""

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from relais.events.models import Event
from relais.workshops import evaluations
from relais.workshops.models import Evaluation, Participation
from relais.workshops.views.access import require_change, workshop_for


def _participations(event):
    """The workshop's participations with their participant, and whether each answered (one
    query)."""
    answered = Evaluation.objects.filter(participation=OuterRef("pk"))
    return list(
        event.participations.select_related("participant").annotate(answered=Exists(answered))
    )


def _link(request, participation):
    return request.build_absolute_uri(reverse("workshops:evaluate", args=[participation.token]))


def _segments(result):
    """The stacked bar of a criterion's answers: [(rating, count, x, width), …] out of 100."""
    if not result.answers:
        return []
    segments, x = [], 0
    for rating, count in zip(evaluations.RATINGS, result.counts, strict=True):
        if count:
            width = count * 100 // result.answers
            segments.append([rating, count, x, width])
            x += width
    segments[-1][3] += 100 - x  # what rounding down left goes to the last
    return segments


@require_GET
def results(request, pk):
    event = workshop_for(request, pk)
    can_change = request.user.has_perm("workshops.change_event", event)
    answers = list(
        Evaluation.objects.filter(participation__event=event)
        .order_by("submitted_at", "pk")
        .values_list("ratings", "comments", "suggestions")
    )
    if can_change:
        participations = _participations(event)
        links = [(p, _link(request, p)) for p in participations]
        participant_count = len(participations)
    else:
        links = None
        participant_count = event.participations.count()
    context = {
        "country": event.country,
        "event": event,
        "can_change": can_change,
        "criteria": [
            (result, _segments(result))
            for result in evaluations.results(ratings for ratings, _c, _s in answers)
        ],
        "answer_count": len(answers),
        "participant_count": participant_count,
        "comments": [c for _r, c, _s in answers if c],
        "suggestions": [s for _r, _c, s in answers if s],
        "links": links,
        "ratings": evaluations.RATING_LABELS,
    }
    return render(request, "workshops/evaluation_results.html", context)


@require_GET
def cards(request, pk):
    event = workshop_for(request, pk)
    require_change(request, event)
    slips = []
    for participation in _participations(event):
        link = _link(request, participation)
        # segno writes the SVG itself from the link: nothing of the person's input in it.
        qr = segno.make(link, error="m").svg_inline(scale=3, title=_("QR code of the link"))
        slips.append((participation, link, mark_safe(qr)))
    context = {"country": event.country, "event": event, "slips": slips}
    return render(request, "workshops/evaluation_cards.html", context)


@require_POST
def close(request, pk):
    event = workshop_for(request, pk)
    require_change(request, event)
    reopen = request.POST.get("reopen") == "1"
    evaluations.evaluation_close(event=event, by=request.user, reopen=reopen)
    if reopen:
        messages.success(request, _("The evaluation is open again: participants can answer."))
    else:
        messages.success(request, _("The evaluation is closed: no more answers are taken."))
    return redirect("workshops:evaluation", pk=event.pk)


def _language(request, country):
    """The language the form speaks: the one the person chose (signed in, or with the
    language switch), otherwise the first of the workshop's country that Relais speaks."""
    chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    supported = dict(settings.LANGUAGES)
    if request.user.is_authenticated or chosen in supported:
        return translation.get_language()
    for code in country.languages or ():
        if code in supported:
            return code
    return translation.get_language()


@login_not_required
@require_http_methods(["GET", "POST"])
def evaluate(request, token):
    participation = (
        Participation.objects.filter(token=token)
        .exclude(event__kind=Event.Kind.ROUND_TABLE)
        .select_related("event__country", "participant")
        .annotate(answered=Exists(Evaluation.objects.filter(participation=OuterRef("pk"))))
        .first()
    )
    if participation is None:
        raise Http404
    event = participation.event
    language = _language(request, event.country)
    translation.activate(language)
    request.LANGUAGE_CODE = language
    context = {
        "event": event,
        "first_name": evaluations.first_name(participation.participant.full_name),
    }
    if event.evaluation_closed_at is not None:
        return render(
            request, "workshops/evaluate_done.html", {**context, "closed": True}, status=410
        )
    if participation.answered and request.method == "GET":
        return render(request, "workshops/evaluate_done.html", context)
    errors, typed = {}, {}
    if request.method == "POST":
        typed = {key: request.POST.get(key, "") for key, _label in evaluations.CRITERIA}
        try:
            evaluations.evaluation_submit(
                participation=participation,
                ratings=typed,
                comments=request.POST.get("comments", ""),
                suggestions=request.POST.get("suggestions", ""),
            )
        except ValidationError as error:
            code = getattr(error, "code", None)
            if code in ("closed", "answered"):
                context.update(closed=code == "closed", refused=error.messages[0])
                status = 410 if code == "closed" else 409
                return render(request, "workshops/evaluate_done.html", context, status=status)
            errors = {k: " ".join(v) for k, v in error.message_dict.items()}
        else:
            return redirect("workshops:evaluate", token=participation.token)
    context.update(
        criteria=[
            (key, label, str(typed.get(key, "")), errors.get(key))
            for key, label in evaluations.CRITERIA
        ],
        ratings=evaluations.RATING_LABELS,
        errors=errors,
        comments=request.POST.get("comments", ""),
        suggestions=request.POST.get("suggestions", ""),
    )
    return render(request, "workshops/evaluate.html", context)
