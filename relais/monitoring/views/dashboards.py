"""The dashboards: one plan's (completion, spending, funding, indicators, milestones, people
trained) and the regional one, the six countries side by side in a common currency.

Both are revalidated with an ETag: a reader coming back to unchanged figures on a metered link
gets "304 Not Modified" instead of the page."""

from django.core.exceptions import PermissionDenied
from django.db.models import OuterRef
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from relais.core.http import versioned, with_etag
from relais.core.models import ExchangeRate
from relais.countries.models import Country, Organisation
from relais.events.models import Event
from relais.funding.models import Contribution, ContributionTarget, Disbursement
from relais.monitoring.figures import COMMON_CURRENCIES, plan_figures, regional_figures
from relais.monitoring.models import ActivityUpdate, Expenditure, IndicatorValue, Milestone
from relais.plans.models import Activity, Objective, Plan
from relais.plans.selectors import history_latest, plan_get, plan_stamp
from relais.workshops.models import Participant, Participation


def _latest(stamps):
    return max((stamp for stamp in stamps if stamp is not None), default=None)


def _plan_stamp(plan):
    """When anything the plan's dashboard shows last changed, from the histories in two
    queries: the plan and its content, its funding, the rates and partners' names, its
    monitoring records, and the workshops of its country."""
    latest = history_latest
    plan_id = OuterRef("pk")
    country_id = plan.country_id
    stamps = Plan.objects.filter(pk=plan.pk).values_list(
        latest(Contribution, plan_id=plan_id),
        latest(ContributionTarget, contribution__plan_id=plan_id),
        latest(Disbursement, contribution__plan_id=plan_id),
        latest(ExchangeRate),
        latest(Organisation),
        latest(ActivityUpdate, activity__objective__plan_id=plan_id),
        latest(Expenditure, activity__objective__plan_id=plan_id),
        latest(IndicatorValue, indicator__objective__plan_id=plan_id),
        latest(IndicatorValue, indicator__result__objective__plan_id=plan_id),
        latest(Milestone, objective__plan_id=plan_id),
        latest(Event, country_id=country_id),
        latest(Participation, event__country_id=country_id),
        latest(Participant),
    )
    return _latest([plan_stamp(plan=plan), *stamps.get()])


def _regional_stamp():
    """When anything the regional dashboard shows last changed, anywhere: one query."""
    latest = history_latest
    models = (Country, Plan, Objective, Activity, Contribution, ExchangeRate)
    models += (ActivityUpdate, Expenditure, Milestone, Event, Participation, Participant)
    return _latest(Country.objects.values_list(*(latest(m) for m in models)).first() or ())


@require_GET
def plan_dashboard(request, pk):
    plan = plan_get(user=request.user, pk=pk)
    if not request.user.has_perm("monitoring.view_monitoring", plan):
        raise Http404
    etag, unchanged = versioned(request, _plan_stamp(plan), plan.status, plan.version)
    if unchanged is not None:
        return unchanged
    context = {"plan": plan, "figures": plan_figures(plan)}
    return with_etag(render(request, "monitoring/plan_dashboard.html", context), etag)


@require_GET
def regional_dashboard(request):
    if not request.user.has_perm("monitoring.view_regional"):
        raise PermissionDenied
    currency = request.GET.get("currency", "").upper()
    if currency not in COMMON_CURRENCIES:
        currency = COMMON_CURRENCIES[0]
    today = timezone.localdate()
    etag, unchanged = versioned(request, _regional_stamp(), today, currency)
    if unchanged is not None:
        return unchanged
    context = {
        "regional": regional_figures(today=today, currency=currency),
        "currency": currency,
        "common_currencies": COMMON_CURRENCIES,
    }
    return with_etag(render(request, "monitoring/regional_dashboard.html", context), etag)
