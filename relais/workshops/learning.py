"""What a workshop's participants learned: their pre-test and post-test scores, the gain of each,
and the average gain with its spread.

Scores are Decimals marked out of the workshop's `score_max` (20 by default). Only participants
with both scores count in the gain; the averages of each test count whoever sat it.
"""

import statistics
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

TWO_PLACES = Decimal("0.01")


def _round(value):
    return None if value is None else Decimal(value).quantize(TWO_PLACES, ROUND_HALF_UP)


def _mean(values):
    return _round(statistics.fmean(values)) if values else None


@dataclass(frozen=True)
class LearningSummary:
    score_max: Decimal
    participants: int  # everyone on the list
    pre_count: int  # who sat the pre-test
    post_count: int
    paired: int  # who sat both: the gain is theirs
    pre_mean: Decimal | None
    post_mean: Decimal | None
    gain_mean: Decimal | None  # average of post − pre, in points
    gain_sd: Decimal | None  # its standard deviation (sample), None under two pairs
    gain_min: Decimal | None
    gain_max: Decimal | None
    improved: int  # how many scored higher after than before

    @property
    def gain_percent_of_max(self):
        """The average gain as a share of the full mark: +3.5 points out of 20 → 17.5."""
        if self.gain_mean is None or not self.score_max:
            return None
        return _round(self.gain_mean * 100 / self.score_max)


def summarise(scores, score_max):
    """The LearningSummary of [(pre, post), …] (either may be None)."""
    scores = list(scores)
    pre = [p for p, _post in scores if p is not None]
    post = [q for _pre, q in scores if q is not None]
    gains = [q - p for p, q in scores if p is not None and q is not None]
    return LearningSummary(
        score_max=Decimal(score_max),
        participants=len(scores),
        pre_count=len(pre),
        post_count=len(post),
        paired=len(gains),
        pre_mean=_mean(pre),
        post_mean=_mean(post),
        gain_mean=_mean(gains),
        gain_sd=_round(statistics.stdev(gains)) if len(gains) > 1 else None,
        gain_min=min(gains, default=None),
        gain_max=max(gains, default=None),
        improved=sum(1 for g in gains if g > 0),
    )


def event_summary(event):
    """The LearningSummary of a workshop (one query)."""
    scores = event.participations.values_list("pre_score", "post_score")
    return summarise(scores, event.score_max)
