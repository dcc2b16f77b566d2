"""The funding picture of a plan: budget, announced, confirmed, disbursed and the gap, for
every objective and activity, with what starts soonest and has no confirmed funding."""

from collections import defaultdict

from django.db.models import OuterRef
from django.http import Http404
from django.shortcuts import render
from django.utils.http import quote_etag
from django.views.decorators.http import require_GET

from relais.core.http import not_modified, reader_etag, with_etag
from relais.core.models import ExchangeRate
from relais.countries.models import Organisation
from relais.countries.rules import can_see_country_work, organisation_ids_of
from relais.funding.forms import FundingFilter
from relais.funding.models import Contribution, ContributionTarget, Disbursement
from relais.funding.picture import ZERO, funding_picture
from relais.plans.models import Plan
from relais.plans.selectors import history_latest, plan_get, plan_stamp
from relais.plans.views.plans import deferred_objectives

UNFUNDED_SHOWN = 15


def _funding_stamp(plan):
    """When anything a plan's funding pages show last changed, read from the histories in two
    queries: the plan and its content (relais.plans.selectors.plan_stamp), its contributions,
    their targets and instalments, the exchange rates and the partners' names."""

    latest = history_latest
    plan_id = OuterRef("pk")
    stamps = Plan.objects.filter(pk=plan.pk).values_list(
        latest(Contribution, plan_id=plan_id),
        latest(ContributionTarget, contribution__plan_id=plan_id),
        latest(Disbursement, contribution__plan_id=plan_id),
        latest(ExchangeRate),
        latest(Organisation),
    )
    found = [plan_stamp(plan=plan), *stamps.get()]
    return max((stamp for stamp in found if stamp is not None), default=None)


def funding_etag(request, plan):
    """The version of a plan's funding page (the picture, the list of contributions) for this
    reader, as the plan's own pages have one (relais.plans.views.plans): what it shows last
    changed, the plan's status, who reads it, their roles, language and CSRF secret, and the
    filters in its address. None for an htmx fragment and while a message waits to be shown."""
    if request.htmx:
        return None
    etag = reader_etag(
        request, _funding_stamp(plan), plan.status, plan.version, request.get_full_path()
    )
    return quote_etag(etag) if etag else None


def _partners_asked(request, plan, own):
    """The contributions' partners to count: a partner representative's own organisations
    only; for the others, the filter's choice (None: all)."""
    asked = request.GET.get("partner", "")
    if own is not None:
        if asked.isdigit() and int(asked) in own:
            return {int(asked)}
        return own
    if asked == "state":
        return {None}
    if asked.isdigit():
        return {int(asked)}
    return None


def _by_partner(contributions):
    """[(partner name, announced, confirmed, disbursed, count)] in the plan's currency."""
    groups = defaultdict(lambda: [ZERO, ZERO, ZERO, 0])
    for valued in contributions:
        if not valued.contribution.is_live or valued.problem:
            continue
        group = groups[valued.contribution.partner_name]
        group[0] += valued.announced or ZERO
        group[1] += valued.confirmed or ZERO
        group[2] += valued.disbursed or ZERO
        group[3] += 1
    return sorted(((str(name), *values) for name, values in groups.items()), key=lambda g: -g[1])


@require_GET
def plan_funding(request, pk):
    plan = plan_get(user=request.user, pk=pk)
    if not request.user.has_perm("funding.view_funding", plan):
        raise Http404
    # A partner representative sees the plan's budget and their own contributions only.
    own = None if can_see_country_work(request.user, plan) else organisation_ids_of(request.user)
    etag = funding_etag(request, plan)
    if (unchanged := not_modified(request, etag)) is not None:
        return unchanged
    status = request.GET.get("status", "")
    picture = funding_picture(
        plan=plan, partners=_partners_asked(request, plan, own), status=status or None
    )
    shown = request.GET.get("objective", "")
    context = {"plan": plan, "picture": picture, "own_only": own is not None}
    if request.htmx and shown:
        objective = next((o for o in picture.objectives if str(o.pk) == shown), None)
        if objective is None:
            raise Http404
        return with_etag(render(request, "funding/plan_funding.html#objective-rows", {
            **context, "objective": objective, "deferred": set()
        }), etag)  # fmt: skip
    counts = {o.pk: len(o.lines) for o in picture.objectives}
    partners = sorted(
        {v.contribution.partner for v in picture.contributions if v.contribution.partner_id},
        key=lambda o: o.short_name,
    )
    context.update(
        deferred=deferred_objectives(picture.objectives, counts, shown),
        filter=FundingFilter(request.GET or None, partners=partners),
        filtered=bool(request.GET.get("partner") or status),
        by_partner=_by_partner(picture.contributions),
        unfunded=picture.unfunded[:UNFUNDED_SHOWN],
        unfunded_count=len(picture.unfunded),
        can_change=request.user.has_perm("funding.change_funding", plan),
    )
    return with_etag(render(request, "funding/plan_funding.html", context), etag)
