"""The participants' evaluation of a workshop: the criteria they rate from 1 (poor) to 5
(excellent), and the results: the average and the spread of answers per criterion.

A participant answers from their own link (or its QR code) without an account, once; nothing is
taken after the coordinator closes the evaluation.
"""

from collections import Counter
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext_lazy as _

RATINGS = range(1, 6)
CRITERIA = [
    ("relevance", _("The content met my needs")),
    ("facilitation", _("The facilitators were clear")),
    ("methods", _("The methods and materials helped me learn")),
    ("organisation", _("The organisation and logistics")),
    ("usefulness", _("I will use what I learned in my work")),
]


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
