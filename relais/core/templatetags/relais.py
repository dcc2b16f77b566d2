from django import template
from django.utils.translation import get_language

from relais.core import money

register = template.Library()


@register.filter
def amount(value, currency):
    """`{{ plan.total|amount:plan.currency }}` → `206 850 000 FCFA` in the page's language."""
    return money.format_money(value, currency, get_language())


@register.filter
def number(value, places=0):
    """`{{ count|number }}`: Latin digits, the language's separators; `number:"auto"` keeps
    only the decimals the value has."""
    if value in (None, ""):
        return ""
    if places == "auto":
        # As many decimals as the value needs: 3 → "3", 2.50 → "2,5".
        return money.format_rate(value, get_language())
    return money.format_number(value, int(places), get_language())
