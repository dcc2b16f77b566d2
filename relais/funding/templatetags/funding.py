"""The funding page's rows, written in Python like the plan page's: a 500-activity plan has 500
of them, and each carries six amounts and a bar."""

from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from relais.core.money import decimals, format_number

register = template.Library()


def gauge(figures):
    """A compact bar: the budget's width, announced, confirmed and disbursed over it; an
    over-funded line's bar is marked. SVG attributes, not styles: the CSP forbids inline
    styles, and the bar costs no request."""
    over = " over" if figures.gap < 0 else ""
    return (
        f'<svg class="gauge{over}" viewBox="0 0 100 6" preserveAspectRatio="none" '
        f'aria-hidden="true"><rect class="b" width="100" height="6"/>'
        f'<rect class="a" width="{figures.percent("announced")}" height="6"/>'
        f'<rect class="c" width="{figures.percent("confirmed")}" height="6"/>'
        f'<rect class="d" width="{figures.percent("disbursed")}" height="6"/></svg>'
    )


def cells(figures, places, lang, direct=False):
    """Budget, announced, confirmed, disbursed, gap and the gauge. A `direct` row (what
    targets an objective or the plan as a whole) has no budget of its own, hence no gap."""

    def number(value):
        return format_number(value, places, lang)

    if direct:
        return (
            f"<td>—</td><td>{number(figures.announced)}</td><td>{number(figures.confirmed)}</td>"
            f"<td>{number(figures.disbursed)}</td><td>—</td><td></td>"
        )
    gap = figures.gap
    gap_cell = f'<td class="over">+{number(-gap)}</td>' if gap < 0 else f"<td>{number(gap)}</td>"
    return (
        f"<td>{number(figures.budget)}</td><td>{number(figures.announced)}</td>"
        f"<td>{number(figures.confirmed)}</td><td>{number(figures.disbursed)}</td>"
        f"{gap_cell}<td>{gauge(figures)}</td>"
    )


@register.simple_tag(takes_context=True)
def funding_rows(context, objective):
    """The rows of one objective: its activities, then what targets the objective itself."""
    places, lang = decimals(context["plan"].currency), get_language()
    rows = [
        f'<tr><th scope="row"><span class="code">{line.code}</span> {escape(line.title)}</th>'
        f"{cells(line.figures, places, lang)}</tr>"
        for line in objective.lines
    ]
    direct = objective.direct
    if direct.announced or direct.confirmed or direct.disbursed:
        label = escape(_("To the objective as a whole"))  # outside the f-string: xgettext reads it
        rows.append(
            f'<tr class="direct"><th scope="row">{label}</th>'
            f"{cells(direct, places, lang, direct=True)}</tr>"
        )
    return mark_safe("".join(rows))


@register.simple_tag(takes_context=True)
def funding_cells(context, figures, direct=False):
    places = decimals(context["plan"].currency)
    return mark_safe(cells(figures, places, get_language(), direct=direct))
