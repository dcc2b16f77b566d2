"""Every figure and table of a report, drafted from the data for a period of a plan.

`report_figures(plan=…, start=…, end=…, language=…)` returns a plain dict that JSON can hold:
it is what a submitted report freezes (relais.reports.models.Report.figures, with the SHA-256
of `canonical_json(figures)`), and what the page, the Word file, the PDF and the Excel tables
are all written from, so that their totals agree to the franc. Amounts are strings of Decimals
in the plan's currency ("206850000.00"), dates ISO strings ("2019-06-30"), percentages strings
of Decimals with one place ("51.4") or None, labels already translated into `language`.

The shape (every key always present; lists may be empty):

    {
      "version": 1,
      "plan": {"id", "title", "country", "country_code", "body", "currency",
               "period_start", "period_end", "status"},
      "period": {"start", "end", "label", "kind"},          # kind: progress | final
      "activities": {
        "counts": {"total", "done", "ongoing", "late", "not_started", "postponed",
                   "cancelled"},
        "done": [ACTIVITY…], "ongoing": [ACTIVITY…], "late": [ACTIVITY…]
      },                      # ACTIVITY: {"code", "title", "objective", "status",
                              #            "status_label", "percent", "planned", "on"}
      "budget": {
        "objectives": [{"code", "statement", "budget", "spent_period", "spent",
                        "execution", "completion"}],  # spent: validated up to the period's end;
                                          # completion: % done at its end, weighted by cost
        "sources": [{"name", "currency", "disbursed", "spent", "execution"}],
        "total": {"budget", "spent_period", "spent", "execution", "completion"}
      },
      "funding": {
        "contributions": [{"partner", "kind_label", "status_label", "currency",
                           "amount", "amount_plan", "confirmed_plan",
                           "disbursed_plan", "disbursed_period_plan"}],
        "disbursements": [{"date", "partner", "amount", "currency", "amount_plan"}],
        "total": {"budget", "announced", "confirmed", "disbursed", "disbursed_period",
                  "gap"}
      },
      "indicators": [{"code", "name", "unit", "baseline", "target", "value",
                      "value_period", "progress", "from_workshops"}],
      "milestones": [{"objective", "step", "step_label", "date", "description"}],
      "training": {
        "workshops": [{"title", "kind_label", "starts_on", "ends_on", "city",
                       "participants", "women", "men"}],
        "people", "participations", "women", "men",
        "by_organisation_type": [{"label", "women", "men", "total"}]
      },
      "empty": bool            # nothing happened in the period: the documents say so
    }

Period rules: an activity is "done" in the period when its latest update on or before the
period's end says done and that update falls within the period; "ongoing" when its latest
update by the end says ongoing; "late" when its planned end (last chronogram month) is before
the period's end and its latest update by then is not done or cancelled. Budget execution
counts validated expenditures (not corrected) dated up to the period's end ("spent") and within
the period ("spent_period"). Workshops, milestones and disbursements count when dated within
the period.

Added with the implementation (keys only added, none renamed): "language" (of the labels);
"problems" (contributions left out of the funding figures for want of an exchange rate, said);
plan "status_label"; activities counts "done_before" (done by an update before the period),
so that total = done + done_before + ongoing + not_started + postponed + cancelled ("late"
overlaps ongoing, not started and postponed: a late activity is also in the ongoing list when
its latest update says ongoing); training "not_stated" and by_organisation_type "not_stated"
(people whose sex is not recorded: women + men + not_stated = total).

Precisions. An activity with no update counts as not started. ACTIVITY "planned" is the last
day of its last chronogram month (None without a chronogram), "on" the date of its latest
update by the period's end. The funding figures (announced, confirmed, disbursed, gap, and
each contribution's) are the plan's funding picture (relais.funding.picture) when the figures
are drafted, over the contributions that count there (live, converted); "disbursed_period"
counts their instalments paid within the period, each converted at its contribution's rate
date. A source's "disbursed" is its contributions' (as in the funding picture) and its "spent"
what was spent from them up to the period's end. An indicator's "value" is its latest value
whose measured period ended by the period's end, "value_period" that value when its measured
period ended within the period (else None). Workshops count when they start within the period.
Every total is the exact sum of its rows.
"""

import calendar
import hashlib
import json
from collections import defaultdict
from datetime import date
from decimal import Decimal

from django.db.models import Count, OuterRef, Q, Subquery
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from relais.core.rates import MissingRate, RateTable
from relais.funding.models import Disbursement
from relais.funding.picture import funding_picture
from relais.monitoring.expenditures import _validated_in_plan_currency
from relais.monitoring.figures import IndicatorLine, Progress, percent
from relais.monitoring.models import ActivityUpdate, IndicatorValue, Milestone
from relais.plans.models import Activity, Indicator, Plan, month_key
from relais.workshops.trained import MAN, WOMAN, disaggregate, participations_of, plan_workshops

VERSION = 1
ZERO = Decimal(0)
CENT = Decimal("0.01")
Status = ActivityUpdate.Status


def _money(value):
    """An amount as the figures hold it: a string of a Decimal with two places; None stays."""
    if value is None:
        return None
    value = Decimal(value).quantize(CENT)
    return str(abs(value) if not value else value)  # never "-0.00"


def _number(value):
    return None if value is None else str(Decimal(value).quantize(CENT))


def _percent(value):
    return None if value is None else str(value)


def _iso(day):
    return day.isoformat() if day else None


def _sum(rows, name):
    """The exact sum of the amounts `name` of `rows` (strings or None), as a Decimal."""
    return sum((Decimal(row[name]) for row in rows if row[name] is not None), ZERO)


def _month_end(key):
    """ "2019-06" → date(2019, 6, 30)."""
    year, month = int(key[:4]), int(key[5:7])
    return date(year, month, calendar.monthrange(year, month)[1])


def canonical_json(figures):
    """The figures as the checksum reads them: keys sorted, no spaces, UTF-8. Raises TypeError
    on anything JSON cannot hold (a Decimal, a date), so that what is frozen is what is read."""
    return json.dumps(
        figures, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    ).encode("utf-8")


def checksum(figures):
    """SHA-256 (hex) of canonical_json(figures): what a submitted report prints."""
    return hashlib.sha256(canonical_json(figures)).hexdigest()


def report_figures(*, plan, start, end, kind="progress", language="fr"):
    """The figures of `plan` for the period from `start` to `end` (both included), labels in
    `language`, in the shape the module's docstring gives. A fixed number of queries (about
    eighteen), whatever the size of the plan."""
    with translation.override(language):
        return _figures(plan, start, end, kind, language)


def _figures(plan, start, end, kind, language):
    plan = Plan.objects.select_related("country__national_body").get(pk=plan.pk)
    currency = plan.currency
    picture = funding_picture(plan=plan)
    lines = {line.pk: line for objective in picture.objectives for line in objective.lines}
    codes = {objective.pk: objective.code for objective in picture.objectives}

    activities, updated, progress = _activities(plan, picture, codes, start, end)
    spending = _validated_in_plan_currency(
        plan, "activity_id", "contribution__partner_id", "spent_on"
    )
    budget, spent_in_period = _budget(picture, lines, spending, start, end, currency)
    # Completion by objective at the period's end, as the plan's dashboard counts it.
    for objective, row in zip(picture.objectives, budget["objectives"], strict=True):
        row["completion"] = _percent(progress[objective.pk].completion)
    budget["total"]["completion"] = _percent(progress[None].completion)
    funding, disbursed_in_period, problems = _funding(plan, picture, start, end)
    budget["sources"] = _sources(picture, spending, end, currency)
    indicators, valued_in_period = _indicators(plan, start, end)
    milestones = _milestones(plan, start, end)
    training = _training(plan, start, end)

    country = plan.country
    body = country.national_body
    return {
        "version": VERSION,
        "language": language,
        "plan": {
            "id": plan.pk,
            "title": plan.title,
            "country": country.display_name,
            "country_code": country.code,
            "body": body.name if body else "",
            "currency": currency,
            "period_start": _iso(plan.period_start),
            "period_end": _iso(plan.period_end),
            "status": plan.status,
            "status_label": str(plan.get_status_display()),
        },
        "period": {
            "start": _iso(start),
            "end": _iso(end),
            "label": _("From %(start)s to %(end)s")
            % {"start": date_format(start, "DATE_FORMAT"), "end": date_format(end, "DATE_FORMAT")},
            "kind": kind,
        },
        "activities": activities,
        "budget": budget,
        "funding": funding,
        "indicators": indicators,
        "milestones": milestones,
        "training": training,
        "problems": problems,
        "empty": not (
            updated
            or spent_in_period
            or disbursed_in_period
            or valued_in_period
            or milestones
            or training["workshops"]
        ),
    }


def _activities(plan, picture, codes, start, end):
    """(the "activities" dict, whether any activity was updated in the period, the completion
    of each objective and of the plan (None) at the period's end: relais.monitoring.figures
    Progress). One query: each activity's latest update on or before the period's end, read by
    subqueries."""
    latest = ActivityUpdate.objects.filter(activity=OuterRef("pk"), on__lte=end).order_by(
        "-on", "-at", "-pk"
    )
    rows = (
        Activity.objects.filter(objective__plan=plan)
        .order_by()
        .annotate(
            last_status=Subquery(latest.values("status")[:1]),
            last_percent=Subquery(latest.values("percent_done")[:1]),
            last_on=Subquery(latest.values("on")[:1]),
        )
        .values_list("pk", "last_status", "last_percent", "last_on")
    )
    states = {pk: (status, percent_done, on) for pk, status, percent_done, on in rows}
    last_month = month_key(end.year, end.month)
    labels = {status.value: str(status.label) for status in Status}
    counts = dict.fromkeys(
        ("total", "done", "done_before", "ongoing", "late", "not_started", "postponed"), 0
    )
    counts["cancelled"] = 0
    lists = {"done": [], "ongoing": [], "late": []}
    updated = False
    progress = defaultdict(Progress)
    for objective in picture.objectives:
        for line in objective.lines:
            status, percent_done, on = states.get(line.pk, (None, None, None))
            if on is not None and on >= start:
                updated = True
            for key in (line.objective_id, None):
                progress[key].count(line.figures.budget, status, percent_done)
            status = status or Status.NOT_STARTED
            if status == Status.DONE:
                percent_done = 100
            planned = max(line.months) if line.months else None
            row = {
                "code": line.code,
                "title": line.title,
                "objective": codes[line.objective_id],
                "status": str(status),
                "status_label": labels[status],
                "percent": percent_done or 0,
                "planned": _iso(_month_end(planned)) if planned else None,
                "on": _iso(on),
            }
            counts["total"] += 1
            if status == Status.DONE:
                in_period = on is not None and on >= start
                counts["done" if in_period else "done_before"] += 1
                if in_period:
                    lists["done"].append(row)
            else:
                counts[status] += 1
                if status == Status.ONGOING:
                    lists["ongoing"].append(row)
            # Late: planned to end in a month before the period's last, neither done nor
            # cancelled by then. One planned to end in the period's last month is not late yet.
            if planned and planned < last_month and status not in (Status.DONE, Status.CANCELLED):
                counts["late"] += 1
                lists["late"].append(row)
    return {"counts": counts, **lists}, updated, progress


def _budget(picture, lines, spending, start, end, currency):
    """(the "budget" dict without its sources, whether anything was spent in the period)."""
    spent = defaultdict(lambda: ZERO)
    spent_period = defaultdict(lambda: ZERO)
    in_period = False
    for activity_id, _partner_id, spent_on, amount in spending:
        if spent_on > end:
            continue
        objective_id = lines[activity_id].objective_id
        spent[objective_id] += amount
        if spent_on >= start:
            spent_period[objective_id] += amount
            in_period = True
    objectives = []
    for objective in picture.objectives:
        budget = objective.total.budget
        objectives.append(
            {
                "code": objective.code,
                "statement": objective.statement,
                "budget": _money(budget),
                "spent_period": _money(spent_period[objective.pk]),
                "spent": _money(spent[objective.pk]),
                "execution": _percent(percent(spent[objective.pk], budget)),
            }
        )
    total_budget, total_spent = _sum(objectives, "budget"), _sum(objectives, "spent")
    total = {
        "budget": _money(total_budget),
        "spent_period": _money(_sum(objectives, "spent_period")),
        "spent": _money(total_spent),
        "execution": _percent(percent(total_spent, total_budget)),
    }
    return {"objectives": objectives, "total": total}, in_period


def _counted(picture):
    """The contributions that count in the funding picture's figures: live, and converted."""
    return [
        valued
        for valued in picture.contributions
        if valued.contribution.is_live and not valued.problem
    ]


def _sources(picture, spending, end, currency):
    """By funder (the state budget first, then by spending): what its contributions disbursed
    (as in the funding picture) and what was spent from them up to the period's end."""
    names = {}
    disbursed = defaultdict(lambda: ZERO)
    for valued in picture.contributions:
        contribution = valued.contribution
        names.setdefault(contribution.partner_id, str(contribution.partner_name))
    for valued in _counted(picture):
        disbursed[valued.contribution.partner_id] += valued.disbursed or ZERO
    spent = defaultdict(lambda: ZERO)
    for _activity_id, partner_id, spent_on, amount in spending:
        if spent_on <= end:
            spent[partner_id] += amount
    state = _("State budget")
    partners = set(disbursed) | set(spent)
    order = sorted(
        partners, key=lambda p: (p is not None, -spent[p], names.get(p, state) if p else state)
    )
    return [
        {
            "name": state if partner_id is None else names.get(partner_id, "?"),
            "currency": currency,
            "disbursed": _money(disbursed[partner_id]),
            "spent": _money(spent[partner_id]),
            "execution": _percent(percent(spent[partner_id], disbursed[partner_id])),
        }
        for partner_id in order
    ]


def _funding(plan, picture, start, end):
    """(the "funding" dict, whether anything was disbursed in the period, problems). One
    query for the period's disbursements, and the rates when one is in another currency."""
    currency = plan.currency
    counted = {valued.contribution.pk: valued for valued in _counted(picture)}
    rows = (
        Disbursement.objects.filter(contribution__plan=plan, paid_on__range=(start, end))
        .order_by("paid_on", "pk")
        .values_list("contribution_id", "paid_on", "amount")
    )
    rows = list(rows)
    rates = None
    problems = sorted({valued.problem for valued in picture.contributions if valued.problem})
    disbursements = []
    by_contribution = defaultdict(lambda: ZERO)
    for contribution_id, paid_on, amount in rows:
        valued = counted.get(contribution_id)
        if valued is None:  # withdrawn, or not converted: outside the picture's figures
            continue
        contribution = valued.contribution
        in_plan = amount
        if contribution.currency != currency:
            rates = rates or RateTable.load()
            try:
                in_plan = rates.convert(
                    amount, contribution.currency, currency, contribution.rate_date
                ).amount
            except MissingRate as missing:  # cannot happen once the contribution converted
                problems.append(missing.message())
                continue
        by_contribution[contribution_id] += in_plan
        disbursements.append(
            {
                "date": _iso(paid_on),
                "partner": str(contribution.partner_name),
                "amount": _money(amount),
                "currency": contribution.currency,
                "amount_plan": _money(in_plan),
            }
        )
    contributions = [
        {
            "partner": str(valued.contribution.partner_name),
            "kind_label": str(valued.contribution.get_kind_display()),
            "status_label": str(valued.contribution.get_status_display()),
            "currency": valued.contribution.currency,
            "amount": _money(valued.contribution.committed),
            "amount_plan": _money(valued.announced),
            "confirmed_plan": _money(valued.confirmed),
            "disbursed_plan": _money(valued.disbursed or ZERO),
            "disbursed_period_plan": _money(by_contribution[pk]),
        }
        for pk, valued in counted.items()
    ]
    budget = picture.total.budget
    announced = _sum(contributions, "amount_plan")
    total = {
        "budget": _money(budget),
        "announced": _money(announced),
        "confirmed": _money(_sum(contributions, "confirmed_plan")),
        "disbursed": _money(_sum(contributions, "disbursed_plan")),
        "disbursed_period": _money(_sum(disbursements, "amount_plan")),
        "gap": _money(budget - announced),
    }
    funding = {"contributions": contributions, "disbursements": disbursements, "total": total}
    return funding, bool(rows), sorted(set(problems))


def _indicators(plan, start, end):
    """([indicator rows], whether a value was entered for the period). One query: each
    indicator with its latest value (by the end of the period it measures) up to the period's
    end."""
    latest = IndicatorValue.objects.filter(indicator=OuterRef("pk"), period_end__lte=end).order_by(
        "-period_end", "-period_start"
    )
    indicators = (
        Indicator.objects.filter(Q(objective__plan=plan) | Q(result__objective__plan=plan))
        .select_related("objective", "result__objective", "workshop_source")
        .annotate(
            last_value=Subquery(latest.values("value")[:1]),
            last_end=Subquery(latest.values("period_end")[:1]),
            last_counted=Subquery(latest.values("from_workshops")[:1]),
        )
    )
    lines = []
    in_period = False
    for indicator in indicators:
        if indicator.result_id:
            objective, code = indicator.result.objective, indicator.result.code
        else:
            objective, code = indicator.objective, indicator.objective.code
        line = IndicatorLine(indicator, code, indicator.last_value, indicator.last_end)
        recent = indicator.last_end is not None and indicator.last_end >= start
        in_period = in_period or recent
        counted = bool(indicator.last_counted) or hasattr(indicator, "workshop_source")
        order = (objective.position, indicator.result_id is not None, code, indicator.position)
        lines.append(
            (
                order,
                indicator.pk,
                {
                    "code": code,
                    "name": indicator.name,
                    "unit": indicator.unit,
                    "baseline": _number(indicator.baseline),
                    "target": _number(indicator.target),
                    "value": _number(line.value),
                    "value_period": _number(line.value) if recent else None,
                    "progress": _percent(line.progress),
                    "from_workshops": counted,
                },
            )
        )
    lines.sort(key=lambda line: line[:2])
    return [row for _order, _pk, row in lines], in_period


def _milestones(plan, start, end):
    """The advocacy milestones reached in the period, by date. One query."""
    milestones = (
        Milestone.objects.filter(objective__plan=plan, reached_on__range=(start, end))
        .select_related("objective")
        .order_by("reached_on", "pk")
    )
    return [
        {
            "objective": milestone.objective.code,
            "step": milestone.step,
            "step_label": str(milestone.get_step_display()),
            "date": _iso(milestone.reached_on),
            "description": milestone.description,
        }
        for milestone in milestones
    ]


def _training(plan, start, end):
    """The plan's workshops (those its indicators count, relais.workshops.trained) that started
    in the period, and the people they trained, each person once. Three queries."""
    events = plan_workshops(plan).filter(starts_on__range=(start, end))
    workshops = events.annotate(
        n_participations=Count("participations", distinct=True),
        n_women=Count(
            "participations__participant",
            distinct=True,
            filter=Q(participations__participant__sex=WOMAN),
        ),
        n_men=Count(
            "participations__participant",
            distinct=True,
            filter=Q(participations__participant__sex=MAN),
        ),
    ).order_by("starts_on", "pk")
    rows = [
        {
            "title": event.title,
            "kind_label": str(event.get_kind_display()),
            "starts_on": _iso(event.starts_on),
            "ends_on": _iso(event.ends_on),
            "city": event.city,
            "participants": event.n_participations,
            "women": event.n_women,
            "men": event.n_men,
        }
        for event in workshops
    ]
    people = disaggregate(participations_of(events))
    return {
        "workshops": rows,
        "people": people.people,
        "participations": people.participations,
        "women": people.women,
        "men": people.men,
        "not_stated": people.not_stated,
        "by_organisation_type": [
            {
                "label": line.label,
                "women": line.women,
                "men": line.men,
                "not_stated": line.unknown,
                "total": line.people,
            }
            for line in people.by_kind
        ],
    }
