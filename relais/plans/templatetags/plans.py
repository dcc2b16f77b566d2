from html import escape  # the standard library's: Django's wraps it for lazy strings, 4x slower

from django import template
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, pgettext
from django.utils.translation import gettext as _

from relais.core.money import decimals, format_number, format_rate
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
    return pgettext("list separator", ", ").join(seen)


@register.filter
def quarter_label(key):
    year, quarter = key
    return _("Q%(quarter)s %(year)s") % {"quarter": quarter, "year": year}


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None


def _loaded(instance, name):
    """A relation selectors.load_activities attached, read without building a QuerySet for
    each of 500 rows."""
    cache = getattr(instance, "_prefetched_objects_cache", {})
    return cache[name] if name in cache else getattr(instance, name).all()


# The plan page's activity rows ---------------------------------------------------------------
# Written here rather than in the template: a 500-activity plan has 500 rows, and the template
# engine took 300 ms over them where this takes 10 ms. The markup stays small for slow links:
# classes and htmx attributes live on the table (see plan_detail.html), not on each row.


def _activity_row(activity, *, places, edit, labels, lang):
    sources = "; ".join(
        f"{escape(s.organisation.short_name if s.organisation_id else labels['state'])} "
        f"{format_number(s.amount, places, lang)}"
        for s in _loaded(activity, "funding_sources")
    )
    responsible = activity.responsible.short_name if activity.responsible_id else "—"
    cells = (
        f'<tr id="activity-{activity.pk}"><td>{activity.code}</td>'
        f"<td>{escape(activity.title)}</td><td>{escape(responsible)}</td>"
        f"<td>{quarters(activity.months)}</td>"
        f'<td><bdi dir="ltr">{format_number(activity.unit_cost, places, lang)} × '
        f"{format_rate(activity.quantity, lang)}</bdi></td>"
        f"<td>{format_number(activity.total, places, lang)}</td><td>{sources or '—'}</td>"
    )
    if edit:
        url = edit.replace("/0/", f"/{activity.pk}/")
        cells += f'<td><a href="{url}" hx-get="{url}">{labels["edit"]}</a></td>'
    return cells + "</tr>"


def _row_settings(context):
    plan = context["plan"]
    return {
        "places": decimals(plan.currency),
        "edit": reverse("plans:activity_edit", args=[0]) if context.get("can_edit") else "",
        "labels": {"state": _("State budget"), "edit": escape(_("Edit"))},
        "lang": get_language(),
    }


@register.simple_tag(takes_context=True)
def activity_rows(context, objective):
    """The rows of `objective`'s activities on the plan page."""
    settings = _row_settings(context)
    return mark_safe("".join(_activity_row(a, **settings) for a in objective.activities.all()))


@register.simple_tag(takes_context=True)
def activity_row(context, activity):
    """One activity's row, as activity_rows writes it (an htmx swap after an edit)."""
    return mark_safe(_activity_row(activity, **_row_settings(context)))


# The print view's rows ------------------------------------------------------------------------
# The committees' sheet, one row per activity, with its chronogram cells already joined
# (chronogram_mark); written here for the same reason as the plan page's rows.


def _sheet_row(activity, *, places, state, lang):
    sources = _loaded(activity, "funding_sources")
    several = len(sources) > 1
    funding = "<br>".join(
        (escape(s.organisation.short_name) if s.organisation_id else state)
        + (f' <span class="num">{format_number(s.amount, places, lang)}</span>' if several else "")
        for s in sources
    )
    partners = pgettext("list separator", ", ").join(
        escape(p.short_name) for p in _loaded(activity, "partners")
    )
    responsible = escape(activity.responsible.short_name) if activity.responsible_id else ""
    unit = f" {escape(activity.unit)}" if activity.unit else ""
    return (
        f'<tr><td>{activity.code}</td><th scope="row">{escape(activity.title)}</th>'
        f"<td>{responsible}</td><td>{partners}</td>{activity.cells}"
        f'<td class="num">{format_number(activity.unit_cost, places, lang)}</td>'
        f'<td class="num">{format_rate(activity.quantity, lang)}{unit}</td>'
        f'<td class="num">{format_number(activity.total, places, lang)}</td><td>{funding}</td></tr>'
    )


@register.simple_tag(takes_context=True)
def sheet_rows(context, objective):
    """The rows of `objective`'s activities in the print view."""
    settings = {
        "places": decimals(context["plan"].currency),
        "state": _("State budget"),  # a translation: trusted, like {% translate %}'s
        "lang": get_language(),
    }
    return mark_safe("".join(_sheet_row(a, **settings) for a in objective.activities.all()))
