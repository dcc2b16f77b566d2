"""Amounts as people write them, in sheets and in forms, read back exactly."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from relais.core.amounts import AmountField, parse_amount
from relais.core.money import format_number


@pytest.mark.parametrize(
    ("written", "value"),
    [
        ("4 250 000", Decimal("4250000")),
        ("4\xa0250\xa0000", Decimal("4250000")),  # no-break spaces
        ("4\u202f250\u202f000", Decimal("4250000")),  # narrow no-break spaces (French)
        ("15.000.000 F CFA", Decimal("15000000")),
        ("5.500 F CFA", Decimal("5500")),
        ("D 150,000.00", Decimal("150000.00")),
        ("1.234.567,89", Decimal("1234567.89")),
        ("1,234,567.89", Decimal("1234567.89")),
        ("4,5", Decimal("4.5")),
        ("12 500,50 FCFA", Decimal("12500.50")),
        ("206\u202f850\u202f000\xa0FCFA", Decimal("206850000")),
        ("0", Decimal("0")),
        ("  750000  ", Decimal("750000")),
    ],
)
def test_parse_amount_reads_every_written_form(written, value):
    parsed = parse_amount(written)
    assert parsed == value
    assert type(parsed) is Decimal


@pytest.mark.parametrize("written", ["abc", "1..2", "1,2,3", "", "   ", "F CFA", "12 50", "1.2.3"])
def test_parse_amount_refuses_what_is_not_an_amount(written):
    with pytest.raises(ValueError):
        parse_amount(written)


def test_parse_amount_keeps_the_sign_so_that_forms_can_refuse_it():
    assert parse_amount("-5 000") == Decimal("-5000")


def test_amount_field_says_what_it_expects():
    field = AmountField()
    assert field.clean("4 250 000") == Decimal("4250000")
    with translation.override("en"):
        with pytest.raises(ValidationError) as caught:
            field.clean("abc")
        assert caught.value.messages == ["Enter an amount, for example 4 250 000."]
        with pytest.raises(ValidationError) as caught:
            field.clean("-1")
        assert caught.value.messages == ["Enter a positive amount."]


@given(
    units=st.integers(min_value=0, max_value=10**13),
    places=st.integers(min_value=0, max_value=2),
    lang=st.sampled_from(["fr", "en", "pt", "ar"]),
)
def test_any_amount_written_in_any_language_reads_back(units, places, lang):
    value = Decimal(units).scaleb(-places)
    written = format_number(value, places, lang)
    assert parse_amount(written) == value
