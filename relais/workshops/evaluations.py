"""The participants' evaluation of a workshop: the criteria they rate from 1 (poor) to 5
(excellent), and the results: the average and the spread of answers per criterion.

A participant answers from their own link (or its QR code) without an account, once; nothing is
taken after the coordinator closes the evaluation.
"""

from collections import Counter
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

RATINGS = range(1, 6)
CRITERIA = [
    ("relevance", gettext_lazy("The content met my needs")),
    ("facilitation", gettext_lazy("The facilitators were clear")),
    ("methods", gettext_lazy("The methods and materials helped me learn")),
    ("organisation", gettext_lazy("The organisation and logistics")),
    ("usefulness", gettext_lazy("I will use what I learned in my work")),
]

# What each rating means, as the form shows it.
RATING_LABELS = {
    1: gettext_lazy("Poor"),
    2: gettext_lazy("Fair"),
    3: gettext_lazy("Good"),
    4: gettext_lazy("Very good"),
    5: gettext_lazy("Excellent"),
}


@dataclass(frozen=True)
class CriterionResult:
    key: str
    label: str
    answers: int
    mean: Decimal | None
    counts: tuple  # how many gave 1, 2, 3, 4, 5


def results(ratings):
    """[CriterionResult, …] in the order of CRITERIA, from the `ratings` dicts of evaluations."""
    ratings = list(ratings)
    out = []
    for key, label in CRITERIA:
        values = [r[key] for r in ratings if isinstance(r.get(key), int) and r[key] in RATINGS]
        counts = Counter(values)
        mean = (
            (Decimal(sum(values)) / len(values)).quantize(Decimal("0.1"), ROUND_HALF_UP)
            if values
            else None
        )
        out.append(
            CriterionResult(key, str(label), len(values), mean, tuple(counts[n] for n in RATINGS))
        )
    return out


def event_results(event):
    """The CriterionResults of a workshop's evaluations (one query)."""
    from relais.workshops.models import Evaluation

    return results(
        Evaluation.objects.filter(participation__event=event).values_list("ratings", flat=True)
    )


# Writing ----------------------------------------------------------------------------------------

# Enough for a paragraph typed on a phone; more is not a comment.
MAX_COMMENT = 4000


def first_name(full_name):
    """What the evaluation page calls a participant: "TRAORÉ Awa" → "Awa", "Awa Traoré" → "Awa"
    (a family name written in capitals, as on the region's lists, is left out)."""
    words = str(full_name).split()
    if not words:
        return ""
    given = [w for w in words if not (w.isupper() and len(w) > 1)]
    if given and len(given) < len(words):
        return " ".join(given)
    return words[0]


def _closed():
    return ValidationError(
        _("The evaluation of this workshop is closed: no more answers are taken."), code="closed"
    )


def _answered():
    return ValidationError(
        _("An evaluation has already been sent from this link: one answer per participant."),
        code="answered",
    )


def evaluation_submit(*, participation, ratings, comments="", suggestions=""):
    """Records a participant's evaluation: a rating from 1 to 5 for every criterion of CRITERIA
    ({key: 1…5}, numbers or their text), what was most useful, and suggestions.

    Raises ValidationError, and records nothing, when the evaluation is closed (code "closed"),
    the participant has already answered (code "answered", a second answer sent at the same
    moment included), or a criterion is not rated ({criterion key: message}) or a comment too
    long."""
    from relais.events.models import Event
    from relais.workshops.models import Evaluation

    clean, errors = {}, {}
    for key, label in CRITERIA:
        try:
            value = int(str(ratings.get(key, "")).strip())
        except ValueError:
            value = None
        if value in RATINGS:
            clean[key] = value
        else:
            errors[key] = _("Choose a rating from 1 to 5 for “%(criterion)s”.") % {
                "criterion": label
            }
    texts = {"comments": str(comments or "").strip(), "suggestions": str(suggestions or "").strip()}
    for name, text in texts.items():
        if len(text) > MAX_COMMENT:
            errors[name] = _("Keep it under %(count)s characters.") % {"count": MAX_COMMENT}
    with transaction.atomic():
        # Read again, and held until the answer is in: a close at the same moment waits.
        event = Event.objects.select_for_update().get(pk=participation.event_id)
        if event.evaluation_closed_at is not None:
            raise _closed()
        if Evaluation.objects.filter(participation=participation).exists():
            raise _answered()
        if errors:
            raise ValidationError(errors)
        try:
            # A savepoint: two answers sent at once meet the one-to-one constraint here.
            with transaction.atomic():
                return Evaluation.objects.create(
                    participation=participation, ratings=clean, **texts
                )
        except IntegrityError as exc:
            raise _answered() from exc


def evaluation_close(*, event, by, reopen=False):
    """Closes a workshop's evaluation (no answer is taken after), or opens it again."""
    with transaction.atomic():
        if reopen:
            event.evaluation_closed_at = None
            event._change_reason = "evaluation reopened"
        else:
            if event.evaluation_closed_at is not None:
                return event
            event.evaluation_closed_at = timezone.now()
            event._change_reason = "evaluation closed"
        event._history_user = by
        event.save(update_fields=["evaluation_closed_at"])
    return event
