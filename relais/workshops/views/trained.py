"""The people the workshops trained: a country's (its members, regional coordinators and
administrators; anyone else is told it does not exist), the region's side by side (regional
coordinators and administrators; 403 for anyone else), and the plan indicators a coordinator
says are counted from the workshops.

The pages give counts and names, never contacts. They read the database a fixed number of
times, however many people were trained; the list of people goes 50 a page.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from relais.core.forms import add_errors
from relais.core.money import format_number
from relais.countries.selectors import country_get
from relais.events.models import Event
from relais.plans.models import Indicator
from relais.workshops import trained
from relais.workshops.models import IndicatorSource
from relais.workshops.services import WORKSHOP_KINDS
from relais.workshops.views.access import require_change


class TrainedFilter(forms.Form):
    """Which workshops the counts are over: a year, a kind (the training and validation
    workshops unless another kind is chosen)."""

    year = forms.TypedChoiceField(label=gettext_lazy("Year"), required=False, coerce=int)
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), required=False)

    def __init__(self, *args, years, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [("", _("All years"))] + [(y, y) for y in years]
        self.fields["kind"].choices = [("", _("Training and validation workshops"))] + [
            (kind.value, kind.label) for kind in WORKSHOP_KINDS
        ]

    def filters(self):
        """{year, kind} chosen; what was not understood is left out (and said at its field)."""
        self.is_valid()
        return {name: value for name, value in self.cleaned_data.items() if value}


def _filter(request, events):
    years = [day.year for day in events.dates("starts_on", "year", order="DESC")]
    form = TrainedFilter(request.GET or None, years=years)
    return form, (form.filters() if form.is_bound else {})


@require_GET
def country_trained(request, code):
    country = country_get(code=code)
    if not request.user.has_perm("workshops.view_trained", country):
        raise Http404
    form, filters = _filter(
        request, Event.objects.exclude(kind=Event.Kind.ROUND_TABLE).filter(country=country)
    )
    events = trained.workshops_of(country=country, **filters)
    context = {
        "country": country,
        "form": form,
        "filtered": bool(filters),
        "people": trained.disaggregate(trained.participations_of(events)),
        "workshops_held": trained.workshop_count(events),
        "page": trained.trained_people(events, request.GET.get("page")),
        "indicators": trained.plan_indicators(trained.current_plans(country)),
        "can_change": request.user.has_perm("workshops.change_event", country),
    }
    return render(request, "workshops/trained.html", context)


@require_GET
def regional_trained(request):
    if not request.user.has_perm("countries.compare_countries"):
        raise PermissionDenied
    form, filters = _filter(request, Event.objects.exclude(kind=Event.Kind.ROUND_TABLE))
    events = trained.workshops_of(**filters)
    countries = trained.by_country(events)
    context = {
        "form": form,
        "filtered": bool(filters),
        "countries": countries,
        "people": trained.disaggregate(trained.participations_of(events)),
        "workshops_held": sum(line.workshops for line in countries),
    }
    return render(request, "workshops/trained.html", context)


class IndicatorSourceForm(forms.Form):
    measure = forms.ChoiceField(
        label=gettext_lazy("What the workshops count for this indicator"),
        required=False,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, figures, **kwargs):
        super().__init__(*args, **kwargs)
        # Each choice says the value it would give now.
        self.fields["measure"].choices = [("", _("Not counted from the workshops"))] + [
            (
                measure.value,
                _("%(measure)s — now %(value)s")
                % {"measure": measure.label, "value": format_number(figures[measure.value])},
            )
            for measure in IndicatorSource.Measure
        ]


def _indicator(request, pk):
    """An indicator of a plan of a country `request.user` sees (404 otherwise) and whose
    workshops they record (403 otherwise), with its plan and source."""
    indicator = (
        Indicator.objects.filter(pk=pk)
        .select_related(
            "objective__plan__country", "result__objective__plan__country", "workshop_source"
        )
        .first()
    )
    if indicator is None:
        raise Http404
    plan = trained.plan_of(indicator)
    if not request.user.has_perm("workshops.view_trained", plan.country):
        raise Http404
    require_change(request, plan.country)
    return indicator, plan


@require_http_methods(["GET", "POST"])
def indicator_source(request, pk):
    indicator, plan = _indicator(request, pk)
    source = getattr(indicator, "workshop_source", None)
    figures = trained.plan_figures(plan)
    initial = {"measure": source.measure if source else ""}
    form = IndicatorSourceForm(request.POST or None, initial=initial, figures=figures)
    if request.method == "POST" and form.is_valid():
        try:
            source = trained.indicator_source_set(
                indicator=indicator, by=request.user, measure=form.cleaned_data["measure"]
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            if source is None:
                messages.success(request, _("The indicator is no longer counted from workshops."))
            else:
                messages.success(request, _("The indicator is now counted from workshops."))
            return redirect(reverse("workshops:trained", args=[plan.country.code]) + "#indicators")
    context = {
        "country": plan.country,
        "plan": plan,
        "indicator": indicator,
        "source": source,
        "value": figures[source.measure] if source else None,
        "figures": figures,
        "form": form,
    }
    return render(request, "workshops/indicator_source_form.html", context)
