"""Amounts are exact, rounded once, and written as each interface language writes them."""

from decimal import ROUND_HALF_UP, Decimal

import pytest
from babel.numbers import format_decimal
from django.template import Context, Template
from django.utils import translation
from django.utils.formats import number_format
from hypothesis import given, settings
from hypothesis import strategies as st

from relais.core.money import (
    XOF_PER_EUR,
    decimals,
    format_money,
    format_number,
    round_amount,
    to_decimal,
)

MALI_PLAN_TOTAL = Decimal("206850000")


@pytest.mark.parametrize(
    ("lang", "written"),
    [
        ("fr", "206\u202f850\u202f000\xa0FCFA"),
        ("en", "206,850,000\xa0FCFA"),
        ("pt", "206.850.000\xa0FCFA"),
        ("ar", "206,850,000\xa0FCFA"),
    ],
)
def test_mali_plan_total_is_written_as_each_language_writes_it(lang, written):
    assert format_money(MALI_PLAN_TOTAL, "XOF", lang) == written


@pytest.mark.parametrize("lang", ["fr", "en", "pt", "ar"])
def test_language_defaults_to_the_active_one(lang):
    with translation.override(lang):
        assert format_money(MALI_PLAN_TOTAL, "XOF") == format_money(MALI_PLAN_TOTAL, "XOF", lang)


def test_arabic_keeps_latin_digits():
    written = format_money(Decimal("1234567.89"), "MRU", "ar")
    assert written == "1,234,567.89\xa0MRU"
    assert not any("\u0660" <= char <= "\u0669" for char in written)
    assert not any(char in "\u200e\u200f\u061c" for char in written)


@pytest.mark.parametrize(
    ("lang", "written"),
    [
        ("fr", "1\u202f234,50\xa0GMD"),
        ("en", "1,234.50\xa0GMD"),
        ("pt", "1.234,50\xa0GMD"),
        ("ar", "1,234.50\xa0GMD"),
    ],
)
def test_dalasi_has_two_decimals(lang, written):
    assert format_money(Decimal("1234.5"), "GMD", lang) == written


def test_currencies_have_their_units():
    assert [decimals(c) for c in ["XOF", "GNF", "GMD", "MRU"]] == [0, 0, 2, 2]
    assert format_money(Decimal("1500000"), "GNF", "fr") == "1\u202f500\u202f000\xa0GNF"
    assert format_money(Decimal("99.999"), "MRU", "en") == "100.00\xa0MRU"
    # A franc has no cents: an amount is written rounded to the franc.
    assert format_money(Decimal("1999.5"), "XOF", "en") == "2,000\xa0FCFA"


def test_nothing_is_written_for_no_amount():
    assert format_money(None, "XOF", "fr") == ""


def test_negative_amounts_keep_their_sign():
    assert format_money(Decimal("-5500"), "XOF", "en") == "-5,500\xa0FCFA"


@pytest.mark.parametrize(
    ("value", "currency", "rounded"),
    [
        (Decimal("0.5"), "XOF", Decimal("1")),
        (Decimal("1.5"), "XOF", Decimal("2")),
        (Decimal("2.5"), "XOF", Decimal("3")),  # half up, not to even
        (Decimal("0.49"), "XOF", Decimal("0")),
        (Decimal("2.345"), "GMD", Decimal("2.35")),
        (Decimal("2.344"), "GMD", Decimal("2.34")),
        (Decimal("1500.5"), "GNF", Decimal("1501")),
        ("2.345", "MRU", Decimal("2.35")),
        (7, "GMD", Decimal("7.00")),
    ],
)
def test_round_amount_rounds_half_up_to_the_currency_unit(value, currency, rounded):
    result = round_amount(value, currency)
    assert result == rounded
    assert result.as_tuple().exponent == -decimals(currency)


def test_round_amount_rounds_once_not_step_by_step():
    # Step by step (0.445 → 0.45 → 0.5 → 1) would give 1 franc; once, it gives none.
    assert round_amount(Decimal("0.445"), "XOF") == Decimal("0")


@pytest.mark.parametrize("value", [0.1, 206850000.0, 2.345])
def test_round_amount_refuses_floats(value):
    with pytest.raises(TypeError, match="money is never a float"):
        round_amount(value, "XOF")


def test_an_activity_total_refuses_a_float_cost():
    from relais.plans.models import Activity

    with pytest.raises(TypeError):
        Activity(unit_cost=0.1, quantity=Decimal(3)).compute_total("GMD")
    assert Activity(unit_cost=Decimal("0.1"), quantity=3).compute_total("GMD") == Decimal("0.30")


def test_to_decimal_refuses_floats():
    with pytest.raises(TypeError):
        to_decimal(0.1)
    with pytest.raises(TypeError):
        to_decimal(206850000.0)


@pytest.mark.parametrize(
    ("value", "exact"),
    [
        ("206850000", Decimal("206850000")),
        ("0.1", Decimal("0.1")),
        (Decimal("4250000"), Decimal("4250000")),
        (5500, Decimal("5500")),
    ],
)
def test_to_decimal_takes_strings_integers_and_decimals(value, exact):
    assert to_decimal(value) == exact


@pytest.mark.parametrize("value", ["4 250 000", "15.000.000 F CFA", "", None])
def test_to_decimal_refuses_what_is_not_a_plain_number(value):
    with pytest.raises(ValueError):
        to_decimal(value)


def test_euro_rate_of_the_franc_is_exact():
    assert XOF_PER_EUR == Decimal("655.957")
    assert round_amount(Decimal(100) * XOF_PER_EUR, "XOF") == Decimal("65596")


def test_format_number_uses_the_languages_separators():
    assert format_number(Decimal("1234.5"), 1, "fr") == "1\u202f234,5"
    assert format_number(Decimal("1234.5"), 1, "pt") == "1.234,5"
    assert format_number(Decimal("1234.5"), 1, "ar") == "1,234.5"


@pytest.mark.parametrize("lang", ["fr", "en", "pt", "ar"])
def test_django_number_formats_agree_with_money(lang):
    with translation.override(lang):
        assert number_format(1234567, force_grouping=True) == format_number(1234567, 0, lang)


def test_amount_filter_writes_in_the_page_language():
    template = Template("{{ total|amount:'XOF' }}")
    with translation.override("pt"):
        assert template.render(Context({"total": MALI_PLAN_TOTAL})) == "206.850.000\xa0FCFA"
    with translation.override("ar"):
        assert template.render(Context({"total": MALI_PLAN_TOTAL})) == "206,850,000\xa0FCFA"


@settings(max_examples=300, deadline=None)
@given(
    value=st.decimals(min_value=-(10**15), max_value=10**15, allow_nan=False, places=4),
    places=st.integers(min_value=0, max_value=3),
    lang=st.sampled_from(["fr", "en", "pt", "ar"]),
)
def test_format_number_writes_what_babels_pattern_writes(value, places, lang):
    # format_number formats by hand for speed; Babel's pattern machinery is the reference.
    rounded = value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    expected = format_decimal(
        rounded,
        format="#,##0" + ("." + "0" * places if places else ""),
        locale=lang,
        numbering_system="latn",
        group_separator=True,
    )
    if not rounded:
        expected = expected.removeprefix("-")  # Babel writes "-0"; nobody wants that
    assert format_number(value, places, lang) == expected
