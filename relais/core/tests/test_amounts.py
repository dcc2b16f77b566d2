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


# Every form the committees' sheets use --------------------------------------------------------

NBSP, NNBSP = "\xa0", "\u202f"


@pytest.mark.parametrize(
    ("written", "value"),
    [
        # French: ordinary, no-break and narrow no-break spaces, with or without the currency
        ("4 250 000", "4250000"),
        (f"4{NBSP}250{NBSP}000", "4250000"),
        (f"4{NNBSP}250{NNBSP}000", "4250000"),
        (f"4 250{NBSP}000{NNBSP}FCFA", "4250000"),  # mixed spaces in one figure
        ("4 250 000 FCFA", "4250000"),
        ("4 250 000 F CFA", "4250000"),
        ("4 250 000 F", "4250000"),
        ("4 250 000 francs CFA", "4250000"),
        ("FCFA 4 250 000", "4250000"),
        ("1 234,50", "1234.50"),
        # dots group thousands (Portuguese, and many French sheets)
        ("15.000.000 F CFA", "15000000"),
        ("5.500 F CFA", "5500"),
        ("5.500", "5500"),
        ("1.234,5 GMD", "1234.5"),
        # commas group thousands (English, Arabic)
        ("D 150,000.00", "150000.00"),
        ("D150,000.00", "150000.00"),
        ("150,000.00 GMD", "150000.00"),
        ("GMD 2,500.5", "2500.5"),
        ("5,500 FCFA", "5500"),
        ("1,500,000 GNF", "1500000"),
        ("1 500 000 FG", "1500000"),
        ("1,234,567.89 MRU", "1234567.89"),
        ("150 000 UM", "150000"),
        ("€ 1.250,75", "1250.75"),
        # apostrophes group thousands too
        ("1'250'000", "1250000"),
        ("1’250’000", "1250000"),
        # a separator followed by anything but three digits is the decimal mark
        ("4,5", "4.5"),
        ("4.5", "4.5"),
        ("1,23", "1.23"),
        ("1.2345", "1.2345"),
        ("0,5", "0.5"),
        ("1 234.56", "1234.56"),
        # and one followed by exactly three digits always groups thousands
        ("1,234", "1234"),
        ("1.234", "1234"),
        ("0.075", "75"),
        # numbers as a spreadsheet reader hands them
        (4250000, "4250000"),
        (4250000.0, "4250000"),
        (2500.75, "2500.75"),
        (0.1, "0.1"),
        (Decimal("12.50"), "12.50"),
        # signs
        ("(5 000)", "-5000"),
        ("−5 000", "-5000"),
        ("+5 000", "5000"),
    ],
)
def test_parse_amount_reads_the_committees_forms(written, value):
    parsed = parse_amount(written)
    assert parsed == Decimal(value)
    assert type(parsed) is Decimal


@pytest.mark.parametrize(
    "written",
    [
        "1 23",  # a space groups three digits, never fewer
        "1 2345",
        "1,23,456",  # a decimal mark in the middle
        "1.2.3",
        "1,5.000",  # "1,5" then ".000": the decimal mark cannot come before a group
        "4 250 000 dollars canadiens",
        "deux millions",
        "X",
        "-",
        ".",
        "12 %",
        "2018-01",
    ],
)
def test_parse_amount_refuses_anything_else(written):
    with pytest.raises(ValueError):
        parse_amount(written)


SEPARATORS = {
    # language: (group separators people type, decimal mark)
    "fr": ([" ", NBSP, NNBSP, "."], ","),
    "pt": (["."], ","),
    "en": ([","], "."),
    "ar": ([","], "."),
}


def _write(value, places, group, point):
    whole, _dot, cents = f"{value:.{places}f}".partition(".")
    groups = []
    while whole:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    return group.join(groups) + (point + cents if cents else "")


@given(
    units=st.integers(min_value=0, max_value=10**15),
    places=st.sampled_from([0, 1, 2]),
    lang=st.sampled_from(list(SEPARATORS)),
    group_index=st.integers(0, 3),
    before=st.sampled_from(["", "D ", "FCFA ", "GMD ", "€"]),
    after=st.sampled_from(["", " FCFA", " F CFA", f"{NBSP}FCFA", " GMD", " MRU", " UM", " GNF"]),
    negative=st.booleans(),
)
def test_any_amount_as_a_person_types_it_reads_back(
    units, places, lang, group_index, before, after, negative
):
    """The committees' own ways (groups of three with a space, a no-break space, a narrow
    no-break space, a dot or a comma; a decimal mark that is the other one; a currency before or
    after) all give back the Decimal that was written."""
    value = Decimal(units).scaleb(-places)
    groups, point = SEPARATORS[lang]
    text = before + _write(value, places, groups[group_index % len(groups)], point) + after
    if negative and value:
        text, value = f"({text})", -value
    parsed = parse_amount(text)
    assert parsed == value
    assert type(parsed) is Decimal


@given(
    units=st.integers(min_value=0, max_value=10**15),
    currency=st.sampled_from(["XOF", "GNF", "GMD", "MRU", "EUR"]),
    lang=st.sampled_from(["fr", "en", "pt", "ar"]),
)
def test_any_amount_relais_writes_reads_back(units, currency, lang):
    """What Relais writes (format_money: `206 850 000 FCFA`, `1,234.50 GMD`…) reads back
    exactly, to the currency's unit."""
    from relais.core.money import decimals, format_money

    value = Decimal(units).scaleb(-decimals(currency))
    assert parse_amount(format_money(value, currency, lang)) == value


@given(
    head=st.integers(min_value=1, max_value=999),
    groups=st.lists(st.integers(min_value=0, max_value=999), min_size=1, max_size=5),
    separator=st.sampled_from([" ", NBSP, NNBSP, ".", ",", "'"]),
)
def test_a_separator_followed_by_three_digits_groups_thousands(head, groups, separator):
    text = str(head) + "".join(f"{separator}{group:03d}" for group in groups)
    assert parse_amount(text) == Decimal(str(head) + "".join(f"{g:03d}" for g in groups))


@given(
    whole=st.integers(min_value=0, max_value=10**9),
    decimals=st.text(alphabet="0123456789", min_size=1, max_size=6).filter(lambda d: len(d) != 3),
    point=st.sampled_from([".", ","]),
)
def test_a_dot_or_comma_followed_by_other_than_three_digits_is_the_decimal_mark(
    whole, decimals, point
):
    assert parse_amount(f"{whole}{point}{decimals}") == Decimal(f"{whole}.{decimals}")
