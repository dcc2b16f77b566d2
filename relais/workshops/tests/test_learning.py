"""The arithmetic of what participants learned: means, the sample standard deviation of the
gains, pairs counted only when both tests were sat, rounding, and reading scores as people type
them."""

import statistics
from decimal import Decimal

import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from relais.workshops.learning import (
    distribution,
    parse_score,
    score_problem,
    summarise,
)

D = Decimal


def test_a_hand_computed_workshop():
    # Gains: 4, 2, 6 → mean 4, sample variance ((0)² + (−2)² + 2²) / 2 = 4 → sd 2.
    summary = summarise(
        [(D("8"), D("12")), (D("10"), D("12")), (D("9"), D("15")), (D("11"), None), (None, None)],
        20,
    )
    assert summary.participants == 5
    assert (summary.pre_count, summary.post_count, summary.paired) == (4, 3, 3)
    assert summary.pre_mean == D("9.50")  # the four who sat it, 11 included
    assert summary.post_mean == D("13.00")
    assert summary.gain_mean == D("4.00")
    assert summary.gain_sd == D("2.00")
    assert (summary.gain_min, summary.gain_max) == (D("2"), D("6"))
    assert summary.improved == 3
    assert summary.gain_percent_of_max == D("20.00")


def test_only_pairs_count_in_the_gain():
    # Someone who sat only the post-test does not raise the average gain.
    summary = summarise([(D("5"), D("6")), (None, D("20"))], 20)
    assert summary.paired == 1
    assert summary.gain_mean == D("1.00")
    assert summary.gain_sd is None  # one pair has no spread
    assert summary.post_mean == D("13.00")


def test_nobody_scored():
    summary = summarise([(None, None)] * 3, 20)
    assert summary.participants == 3
    assert summary.pre_mean is summary.gain_mean is summary.gain_sd is None
    assert summary.gain_percent_of_max is None
    assert summary.improved == 0
    assert summarise([], 20).participants == 0


def test_rounding_is_half_up_in_decimal():
    # 2.675 is 2.67499… as a float: a float mean would say 2.67.
    summary = summarise([(D("2.67"), D("5.35")), (D("2.68"), D("5.35"))], 20)
    assert summary.pre_mean == D("2.68")  # 2.675 → 2.68
    assert summary.gain_mean == D("2.68")  # (2.68 + 2.67) / 2 = 2.675
    # A loss counts as such: nobody improved.
    losing = summarise([(D("12"), D("10.5")), (D("12"), D("12"))], 20)
    assert losing.gain_mean == D("-0.75")
    assert losing.improved == 0
    assert losing.gain_percent_of_max == D("-3.75")


quarter_points = st.integers(min_value=0, max_value=80).map(lambda n: D(n) / 4)


@given(st.lists(st.tuples(quarter_points | st.none(), quarter_points | st.none()), max_size=40))
def test_the_summary_agrees_with_the_statistics_module(pairs):
    summary = summarise(pairs, 20)
    gains = [q - p for p, q in pairs if p is not None and q is not None]
    pre = [p for p, _q in pairs if p is not None]
    assert summary.paired == len(gains)
    assert summary.pre_count == len(pre)
    assert summary.improved == sum(g > 0 for g in gains)
    if gains:
        assert abs(summary.gain_mean - statistics.mean(gains)) <= D("0.005")
        assert summary.gain_min <= summary.gain_mean <= summary.gain_max
    else:
        assert summary.gain_mean is None
    if len(gains) > 1:
        assert abs(summary.gain_sd - statistics.stdev(gains)) <= D("0.005")
        assert summary.gain_sd >= 0
    else:
        assert summary.gain_sd is None
    if pre:
        assert 0 <= summary.pre_mean <= 20


def test_the_distribution_by_fifths():
    bands = distribution([(D("0"), D("20")), (D("3.99"), D("16")), (D("4"), None)], 20)
    assert [(b.low, b.high) for b in bands] == [
        (D("0"), D("4")),
        (D("4"), D("8")),
        (D("8"), D("12")),
        (D("12"), D("16")),
        (D("16"), D("20")),
    ]
    assert [b.pre for b in bands] == [2, 1, 0, 0, 0]
    assert [b.post for b in bands] == [0, 0, 0, 0, 2]  # the full mark falls in the last


@pytest.mark.parametrize(
    ("typed", "value"),
    [
        ("12,5", D("12.5")),
        ("12.5", D("12.5")),
        (" 15 ", D("15")),
        (12.5, D("12.5")),
        (7, D("7")),
        ("", None),
        (None, None),
    ],
)
def test_scores_are_read_as_people_type_them(typed, value):
    assert parse_score(typed) == value


def test_what_is_wrong_with_a_score_is_said():
    with translation.override("en"):
        assert score_problem("25", D(20)) == (None, "25 is above the full mark, 20.")
        assert score_problem("-1", D(20)) == (None, "-1 is below zero.")
        assert score_problem("douze", D(20)) == (None, "“douze” is not a number.")
        assert score_problem("NaN", D(20))[1] == "“NaN” is not a number."
        assert score_problem("12.125", D(20))[1] == "12.125 has more than two decimals."
        assert score_problem("20", D(20)) == (D("20.00"), None)
    with translation.override("fr"):
        assert "12,5" in score_problem("12,5", D(10))[1]
