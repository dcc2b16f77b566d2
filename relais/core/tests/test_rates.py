"""Converted figures say the rate they used, written as the reader's language writes numbers."""

from datetime import date
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation

from relais.core.models import ExchangeRate
from relais.core.money import format_rate
from relais.core.rates import RateTable

NNBSP = "\u202f"  # the French thousands separator


@pytest.mark.parametrize(
    ("lang", "written"),
    [
        ("fr", "1 EUR = 655,957 XOF (parité fixe)"),
        ("en", "1 EUR = 655.957 XOF (fixed parity)"),
    ],
)
def test_the_fixed_parity_is_written_in_the_readers_language(lang, written):
    table = RateTable([])
    with translation.override(lang):
        conversion = table.convert(Decimal(1000), "EUR", "XOF", date(2018, 1, 1))
        assert conversion.describe() == written


@pytest.mark.parametrize(
    ("lang", "rate"),
    [
        ("fr", f"9{NNBSP}800,25"),
        ("en", "9,800.25"),
        ("pt", "9.800,25"),
        ("ar", "9,800.25"),
    ],
)
def test_a_dated_rate_is_written_with_the_languages_separators(lang, rate):
    table = RateTable([("GNF", date(2017, 12, 15), Decimal("9800.250000"))])
    with translation.override(lang):
        conversion = table.convert(Decimal(1_000_000), "GNF", "EUR", date(2018, 1, 1))
        described = conversion.describe()
    assert f" = {rate} GNF" in described
    assert "2017-12-15" in described
    assert "9800.25" not in described


def test_a_conversion_through_the_euro_names_both_rates_in_french():
    table = RateTable([("GMD", date(2017, 12, 15), Decimal("55.500000"))])
    with translation.override("fr"):
        described = table.convert(Decimal(1000), "GMD", "XOF", date(2018, 1, 1)).describe()
    assert described == ("1 EUR = 55,5 GMD (taux du 2017-12-15); 1 EUR = 655,957 XOF (parité fixe)")


@pytest.mark.parametrize(
    ("value", "lang", "written"),
    [
        (Decimal("655.957"), "fr", "655,957"),
        (Decimal("55.500000"), "fr", "55,5"),
        (Decimal("9800.000000"), "fr", f"9{NNBSP}800"),
        (Decimal("9800"), "pt", "9.800"),
        (Decimal("42"), "en", "42"),
    ],
)
def test_format_rate_keeps_the_decimals_the_rate_has(value, lang, written):
    assert format_rate(value, lang) == written


def test_the_number_filter_writes_a_rate_like_format_rate():
    template = Template("{% load relais %}{{ rate|number:'auto' }}")
    with translation.override("fr"):
        assert template.render(Context({"rate": Decimal("655.957")})) == "655,957"


def test_an_exchange_rate_names_itself_in_the_readers_language():
    rate = ExchangeRate(currency="GMD", date=date(2018, 1, 1), units_per_euro=Decimal("55.500000"))
    with translation.override("fr"):
        assert str(rate) == "1 EUR = 55,5 GMD (2018-01-01)"
