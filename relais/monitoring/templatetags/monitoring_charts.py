"""`{% load monitoring_charts %}`: the dashboards' charts (relais.monitoring.charts) and the
way they write percentages."""

from django import template
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from relais.monitoring import charts

register = template.Library()


@register.filter
def percent(value):
    """`{{ rate|percent }}` → `42,5 %` in the page's language; a dash for none."""
    return charts.percent_text(value)


@register.simple_tag
def objective_bars(figures, measure):
    """Completion (`measure` "completion") or execution ("execution") of each objective."""
    rows = [(line.code, getattr(line.progress, measure)) for line in figures.objectives]
    title = (
        _("Completion by objective")
        if measure == "completion"
        else _("Budget execution by objective")
    )
    return mark_safe(charts.bars(rows, title))


@register.simple_tag
def country_bars(regional, measure):
    """Each country's execution rate (`measure` "execution") or share of its activities done
    ("done_share")."""
    rows = [(line.country.display_name, getattr(line, measure)) for line in regional.countries]
    title = (
        _("Budget execution by country")
        if measure == "execution"
        else _("Activities done by country")
    )
    return mark_safe(charts.bars(rows, title))


@register.simple_tag
def funding_gauge(figures):
    return mark_safe(charts.gauge(figures.gap_bar, _("Funding of the budget")))
