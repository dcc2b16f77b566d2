from django import template
from django.utils.translation import gettext as _

from relais.plans.totals import quarter_of

register = template.Library()


@register.filter
def quarters(months):
    """["2018-02", "2018-08"] → "Q1 2018, Q3 2018" (T1 2018… in French): a chronogram in words."""
    seen = []
    for month in sorted(months or ()):
        year, quarter = quarter_of(month)
        label = _("Q%(quarter)s %(year)s") % {"quarter": quarter, "year": year}
        if label not in seen:
            seen.append(label)
    return ", ".join(seen)


@register.filter
def quarter_label(key):
    year, quarter = key
    return _("Q%(quarter)s %(year)s") % {"quarter": quarter, "year": year}


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None
