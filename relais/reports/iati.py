"""A plan as an IATI 2.03 activity file: one <iati-activity> with its budget by year, the
pledges, agreements and instalments of its contributions, its validated expenditures, and its
objectives as results with their indicators' values.

`plan_iati(plan=…)` returns the file (UTF-8 bytes). It validates against the IATI 2.03 schema
(vendored in relais/reports/tests/iati-2.03/), whose sequences fix the order of the elements.

Conventions (said here because IATI leaves them to the publisher):

- Identifiers. The national bodies have no IATI organisation identifier, so Relais writes
  "XM-RELAIS-<country code>-<body's acronym>" as the reporting organisation's ref (for Mali's
  CNLTP: "XM-RELAIS-ML-CNLTP"): "XM-" is the prefix of identifiers outside the registered
  lists, "RELAIS" names the platform that keeps them unique. The activity is
  "<that ref>-PLAN-<number of the plan's first version>": a revision of a plan is the same
  activity, and an identifier once published must never change. When a body obtains a real
  identifier, it should publish its former one as an other-identifier.
- Sector: DAC 5-digit code 15190, "Facilitation of orderly, safe, regular and responsible
  migration and mobility", which covers the fight against human trafficking; 15160 (human
  rights) was the other candidate, but the plans are about migration governance.
- Status: a draft, submitted or validated plan is in the pipeline (1); an adopted one, or one
  replaced by a revision, is in implementation (2) until its period ends, then in finalisation
  (3); a closed one is closed (4).
- Budget: one <budget> per calendar year of the plan (cut at its start and end), each
  activity's total spread over the months of its chronogram (over the plan's months when it
  has none) and split to the currency's unit so that the years add up exactly to the plan's
  budget, in the plan's currency.
- Transactions, each in its own currency (the contribution's or the expenditure's):
  a contribution's pledge as announced is an Incoming Pledge (13), dated the day it was
  announced; its agreement an Incoming Commitment (11) of the confirmed amount, dated its
  signature; each instalment Incoming Funds (1); each validated expenditure (a corrected one
  is replaced by its correction) an Expenditure (4). The value-date of each is the date Relais
  converts it at (relais.funding.picture and relais.monitoring.expenditures): the pledge's
  date for a pledge, the contribution's rate date (the agreement's, else the pledge's) for an
  agreement, an instalment and an expenditure paid from a contribution, its own date for an
  expenditure the state's budget paid. So converting at the value-date gives back, to the
  franc, the totals the pages, documents and tables show. A withdrawn contribution (which
  cannot have been paid) is left out, as the funding picture leaves it out. The state's own
  budget appears as the country's government (organisation type 10).
- Who reads it: a partner representative sees the others' agreements nowhere in Relais, so
  their file (`partners`: their organisations) carries only their own organisations'
  contributions, instalments, and the expenditures paid from them; budget and results are
  the plan's.
- Results: one per objective that has indicators (IATI requires at least one), of type
  Outcome (2), with the indicators of the objective and of its expected results: baseline at
  the plan's start, a period for each value recorded (relais.monitoring IndicatorValue) with
  its actual value and its split by sex or age as dimensions, and the target in the period
  holding its target date (the last period without one).
"""

from collections import defaultdict
from datetime import date
from decimal import Decimal

from django.db.models import Max, Q
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _
from lxml import etree

from relais.countries.models import Organisation
from relais.funding.models import Contribution, Disbursement
from relais.funding.picture import split
from relais.monitoring.expenditures import rate_date
from relais.monitoring.indicators import indicator_periods
from relais.monitoring.models import Expenditure, IndicatorValue
from relais.plans.models import Activity, Indicator, Objective, Plan, Result
from relais.plans.selectors import plan_stamp

VERSION = "2.03"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
SECTOR = "15190"  # DAC 5-digit: migration and mobility, trafficking included (see above)
SECTOR_VOCABULARY = "1"  # OECD DAC CRS Purpose Codes (5 digit)
GOVERNMENT = "10"
ORGANISATION_TYPES = {  # IATI OrganisationType for Relais's kinds of organisation
    Organisation.Kind.NATIONAL_BODY: "10",  # Government
    Organisation.Kind.MINISTRY: "10",
    Organisation.Kind.STATE: "15",  # Other Public Sector
    Organisation.Kind.CSO: "24",  # Partner Country based NGO
    Organisation.Kind.INGO: "21",  # International NGO
    Organisation.Kind.PARTNER: "90",  # Other: a "technical and financial partner" of any kind
    Organisation.Kind.UN: "40",  # Multilateral
    Organisation.Kind.REGIONAL: "40",
}
ROLE_FUNDING, ROLE_IMPLEMENTING = "1", "4"
INCOMING_FUNDS, EXPENDITURE, INCOMING_COMMITMENT, INCOMING_PLEDGE = "1", "4", "11", "13"
PLANNED_START, ACTUAL_START, PLANNED_END = "1", "2", "3"
RESULT_OUTCOME = "2"
VOCABULARY_REPORTING_ORG = "99"
MEASURE_UNIT, MEASURE_PERCENTAGE = "1", "2"
DIMENSIONS = {
    "women": ("sex", "female"),
    "men": ("sex", "male"),
    "children": ("age", "children"),
    "adults": ("age", "adults"),
}


def plain(value):
    """A Decimal as IATI reads it: digits and a "." only, never an exponent."""
    return f"{Decimal(value):f}"


def count(value):
    """An indicator's value without trailing zeros: 12, 12.5."""
    return plain(Decimal(value).normalize())


def reporting_ref(country):
    """The reporting organisation's ref (see the module's docstring): XM-RELAIS-ML-CNLTP."""
    body = country.national_body
    acronym = slugify(body.acronym if body else "").replace("-", "").upper() or "BODY"
    return f"XM-RELAIS-{country.code.upper()}-{acronym}"


def first_version(plan):
    """The pk of the plan's first version: its identifier across revisions."""
    current, seen = plan, {plan.pk}
    while current.previous_id and current.previous_id not in seen:
        seen.add(current.previous_id)
        current = Plan.objects.only("pk", "previous_id").get(pk=current.previous_id)
    return current.pk


def activity_identifier(plan):
    return f"{reporting_ref(plan.country)}-PLAN-{first_version(plan)}"


def activity_status(plan, today):
    Status = Plan.Status
    if plan.status in {Status.DRAFT, Status.SUBMITTED, Status.VALIDATED}:
        return "1"  # Pipeline/identification
    if plan.status == Status.CLOSED:
        return "4"  # Closed
    return "2" if today <= plan.period_end else "3"  # Implementation, then Finalisation


def yearly_budgets(plan):
    """[(start, end, amount)] per calendar year of the plan, adding up to its budget exactly."""
    years = plan.years
    plan_months = defaultdict(int)
    for month in plan.months:
        plan_months[int(month[:4])] += 1
    default = [plan_months[year] for year in years]
    amounts = dict.fromkeys(years, Decimal(0))
    rows = Activity.objects.filter(objective__plan=plan).values_list("total", "months")
    for total, months in rows:
        if not total:
            continue
        per_year = defaultdict(int)
        for month in months or ():
            year = min(max(int(month[:4]), years[0]), years[-1])
            per_year[year] += 1
        shares = [per_year[year] for year in years] if per_year else default
        for year, part in zip(years, split(total, shares, plan.currency), strict=True):
            amounts[year] += part
    return [
        (max(plan.period_start, date(year, 1, 1)), min(plan.period_end, date(year, 12, 31)), amount)
        for year, amount in amounts.items()
    ]


def last_updated(plan):
    """When the plan, its funding or its monitoring last changed (their history), or None."""
    stamps = [plan_stamp(plan=plan)]
    histories = (
        (Contribution, Q(plan_id=plan.pk)),
        (Disbursement, Q(contribution__plan_id=plan.pk)),
        (Expenditure, Q(activity__objective__plan_id=plan.pk)),
        (IndicatorValue, Q(indicator__objective__plan_id=plan.pk)),
        (IndicatorValue, Q(indicator__result__objective__plan_id=plan.pk)),
    )
    for model, condition in histories:
        ids = model.objects.filter(condition).values("pk")
        stamps.append(
            model.history.filter(id__in=ids).aggregate(latest=Max("history_date"))["latest"]
        )
    return max((stamp for stamp in stamps if stamp is not None), default=None)


def _datetime(moment):
    return timezone.localtime(moment).replace(microsecond=0).isoformat()


class Writer:
    """Builds the elements, in the schema's order, for one plan."""

    def __init__(self, plan, today, partners=None):
        self.plan = plan
        self.partners = partners
        self.today = today
        self.country = plan.country
        self.body = self.country.national_body
        self.ref = reporting_ref(self.country)

    # Small pieces ----------------------------------------------------------------------------

    def sub(self, parent, tag, text=None, **attributes):
        element = etree.SubElement(
            parent, tag, {k.replace("_", "-"): v for k, v in attributes.items() if v is not None}
        )
        if text is not None:
            element.text = text
        return element

    def narrative(self, parent, text, lang=None):
        element = self.sub(parent, "narrative", text)
        if lang:
            element.set(XML_LANG, lang)
        return element

    def text(self, parent, tag, text, lang=None, **attributes):
        element = self.sub(parent, tag, **attributes)
        self.narrative(element, text, lang)
        return element

    def value(self, parent, amount, currency, on):
        return self.sub(
            parent, "value", plain(amount), currency=currency, value_date=on.isoformat()
        )

    def government(self):
        return _("Government of %(country)s (state budget)") % {
            "country": self.country.display_name
        }

    def org(self, parent, tag, partner, **attributes):
        """An organisation element: a partner, or the state's budget (None) as the government."""
        if partner is None:
            element = self.sub(parent, tag, type=GOVERNMENT, **attributes)
            self.narrative(element, self.government())
        else:
            element = self.sub(
                parent, tag, type=ORGANISATION_TYPES.get(partner.kind, "90"), **attributes
            )
            self.narrative(element, str(partner))
        return element

    # The activity ----------------------------------------------------------------------------

    def activity(self, root, last_change):
        plan, language = self.plan, self.plan.language
        activity = self.sub(
            root,
            "iati-activity",
            last_updated_datetime=_datetime(last_change) if last_change else None,
            default_currency=plan.currency,
        )
        activity.set(XML_LANG, language)
        self.sub(activity, "iati-identifier", activity_identifier(plan))
        reporting = self.sub(activity, "reporting-org", ref=self.ref, type=GOVERNMENT)
        self.narrative(reporting, str(self.body) if self.body else self.government())
        self.text(activity, "title", plan.title, language)
        self.text(activity, "description", plan.general_objective or plan.title, language, type="1")
        objectives = list(Objective.objects.filter(plan=plan).order_by("position", "pk"))
        if objectives:
            lines = "\n".join(f"{o.code} {o.statement}" for o in objectives)
            self.text(activity, "description", lines, language, type="2")
        contributions = self.contributions()
        self.participants(activity, contributions)
        self.sub(activity, "activity-status", code=activity_status(plan, self.today))
        self.sub(
            activity, "activity-date", type=PLANNED_START, iso_date=plan.period_start.isoformat()
        )
        if plan.status in {Plan.Status.ADOPTED, Plan.Status.CLOSED, Plan.Status.SUPERSEDED}:
            if plan.period_start <= self.today:
                self.sub(
                    activity,
                    "activity-date",
                    type=ACTUAL_START,
                    iso_date=plan.period_start.isoformat(),
                )
        self.sub(activity, "activity-date", type=PLANNED_END, iso_date=plan.period_end.isoformat())
        self.sub(activity, "activity-scope", code="4")  # National
        country = self.sub(
            activity, "recipient-country", code=self.country.code.upper(), percentage="100"
        )
        self.narrative(country, self.country.display_name)
        sector = self.sub(
            activity, "sector", vocabulary=SECTOR_VOCABULARY, code=SECTOR, percentage="100"
        )
        self.narrative(
            sector,
            _("Facilitation of orderly, safe, regular and responsible migration and mobility"),
        )
        for start, end, amount in yearly_budgets(plan):
            budget = self.sub(activity, "budget", type="1", status="1")  # original, indicative
            self.sub(budget, "period-start", iso_date=start.isoformat())
            self.sub(budget, "period-end", iso_date=end.isoformat())
            self.value(budget, amount, plan.currency, start)
        self.transactions(activity, contributions)
        self.results(activity, objectives)
        return activity

    def contributions(self):
        """The live contributions, with their partners and their instalments (`paid`)."""
        contributions = list(
            Contribution.objects.filter(plan=self.plan)
            .exclude(status=Contribution.Status.WITHDRAWN)
            .select_related("partner")
            .order_by("announced_on", "pk")
        )
        if self.partners is not None:
            contributions = [c for c in contributions if c.partner_id in self.partners]
        paid = defaultdict(list)
        for disbursement in Disbursement.objects.filter(contribution__plan=self.plan).order_by(
            "paid_on", "pk"
        ):
            paid[disbursement.contribution_id].append(disbursement)
        for contribution in contributions:
            contribution.paid = paid[contribution.pk]
        return contributions

    def participants(self, activity, contributions):
        funders, seen = [], set()
        for contribution in contributions:
            if contribution.partner_id not in seen:
                seen.add(contribution.partner_id)
                funders.append(contribution.partner)
        for partner in funders:
            self.org(activity, "participating-org", partner, role=ROLE_FUNDING)
        body = self.sub(
            activity, "participating-org", ref=self.ref, type=GOVERNMENT, role=ROLE_IMPLEMENTING
        )
        self.narrative(body, str(self.body) if self.body else self.government())

    def transactions(self, activity, contributions):
        rows = []  # (date, order, ref, build)
        for contribution in contributions:
            rows += self.contribution_rows(contribution)
        expenditures = (
            Expenditure.objects.filter(
                activity__objective__plan=self.plan, status=Expenditure.Status.VALIDATED
            )
            .select_related("contribution")
            .order_by("spent_on", "pk")
        )
        if self.partners is not None:
            expenditures = expenditures.filter(contribution__in=[c.pk for c in contributions])
        for expenditure in expenditures:
            on = rate_date(expenditure.contribution, expenditure.spent_on)
            rows.append(
                (expenditure.spent_on, 3, f"expenditure-{expenditure.pk}", EXPENDITURE,
                 expenditure.amount, expenditure.currency, on, expenditure.description, False, None)
            )  # fmt: skip
        rows.sort(key=lambda row: row[:2])
        for day, _order, ref, kind, amount, currency, on, text, incoming, partner in rows:
            transaction = self.sub(activity, "transaction", ref=ref)
            self.sub(transaction, "transaction-type", code=kind)
            self.sub(transaction, "transaction-date", iso_date=day.isoformat())
            self.value(transaction, amount, currency, on)
            if text:
                self.text(transaction, "description", text)
            if incoming:
                self.org(transaction, "provider-org", partner)

    def contribution_rows(self, contribution):
        partner, currency = contribution.partner, contribution.currency
        name = str(partner) if partner is not None else self.government()
        rows = []
        if contribution.amount is not None:
            text = _("Pledge of %(partner)s") % {"partner": name}
            if contribution.description:
                text = f"{text}: {contribution.description}"
            rows.append(
                (contribution.announced_on, 0, f"pledge-{contribution.pk}", INCOMING_PLEDGE,
                 contribution.amount, currency, contribution.announced_on, text, True, partner)
            )  # fmt: skip
        confirmed = contribution.status == Contribution.Status.CONFIRMED
        if confirmed and contribution.confirmed_amount is not None:
            text = _("Agreement with %(partner)s") % {"partner": name}
            if contribution.agreement_reference:
                text = f"{text} ({contribution.agreement_reference})"
            rows.append(
                (contribution.rate_date, 1, f"commitment-{contribution.pk}", INCOMING_COMMITMENT,
                 contribution.confirmed_amount, currency, contribution.rate_date, text, True,
                 partner)
            )  # fmt: skip
        for disbursement in contribution.paid:
            text = _("Instalment paid by %(partner)s") % {"partner": name}
            if disbursement.reference:
                text = f"{text} ({disbursement.reference})"
            rows.append(
                (disbursement.paid_on, 2, f"disbursement-{disbursement.pk}", INCOMING_FUNDS,
                 disbursement.amount, currency, contribution.rate_date, text, True, partner)
            )  # fmt: skip
        return rows

    # Results ---------------------------------------------------------------------------------

    def results(self, activity, objectives):
        plan, language = self.plan, self.plan.language
        results = {r.pk: r for r in Result.objects.filter(objective__plan=plan)}
        indicators = list(
            Indicator.objects.filter(Q(objective__plan=plan) | Q(result__objective__plan=plan))
        )
        values = defaultdict(list)
        rows = IndicatorValue.objects.filter(indicator__in=[i.pk for i in indicators]).order_by(
            "period_start"
        )
        for value in rows:
            values[value.indicator_id].append(value)
        by_objective = defaultdict(list)
        for indicator in indicators:
            if indicator.result_id:
                result = results[indicator.result_id]
                key = (1, result.position, result.pk, indicator.position, indicator.pk)
                by_objective[result.objective_id].append((key, indicator, result))
            else:
                key = (0, 0, 0, indicator.position, indicator.pk)
                by_objective[indicator.objective_id].append((key, indicator, None))
        for objective in objectives:
            lines = sorted(by_objective.get(objective.pk, []), key=lambda line: line[0])
            if not lines:
                continue  # IATI requires an indicator in every result
            result = self.sub(activity, "result", type=RESULT_OUTCOME)
            self.text(result, "title", objective.statement, language)
            if objective.change_sought:
                self.text(result, "description", objective.change_sought, language)
            self.sub(result, "reference", code=objective.code, vocabulary=VOCABULARY_REPORTING_ORG)
            for _key, indicator, expected in lines:
                self.indicator(result, indicator, expected, objective, values[indicator.pk])

    def indicator(self, parent, indicator, expected, objective, values):
        plan, language = self.plan, self.plan.language
        percentage = "%" in (indicator.unit or "")
        descending = (
            indicator.target is not None
            and indicator.baseline is not None
            and indicator.target < indicator.baseline
        )
        element = self.sub(
            parent,
            "indicator",
            measure=MEASURE_PERCENTAGE if percentage else MEASURE_UNIT,
            ascending="false" if descending else "true",
        )
        self.text(element, "title", indicator.name, language)
        if expected is not None:
            self.text(element, "description", f"{expected.code} {expected.statement}", language)
        code = f"{expected.code if expected else objective.code}-I{indicator.position}"
        self.sub(element, "reference", vocabulary=VOCABULARY_REPORTING_ORG, code=code)
        if indicator.baseline is not None:
            self.sub(
                element,
                "baseline",
                year=str(plan.period_start.year),
                iso_date=plan.period_start.isoformat(),
                value=count(indicator.baseline),
            )
        periods = indicator_periods(indicator=indicator, plan=plan)
        target_period = None
        if indicator.target is not None and periods:
            when = indicator.target_date or plan.period_end
            target_period = next((p for p in periods if p.start <= when <= p.end), periods[-1])
        recorded = {value.period_start: value for value in values}
        for period in periods:
            value = recorded.get(period.start)
            if value is None and period != target_period:
                continue
            start, end = (value.period_start, value.period_end) if value else period
            element_period = self.sub(element, "period")
            self.sub(element_period, "period-start", iso_date=start.isoformat())
            self.sub(element_period, "period-end", iso_date=end.isoformat())
            if period == target_period:
                self.sub(element_period, "target", value=count(indicator.target))
            if value is not None:
                actual = self.sub(element_period, "actual", value=count(value.value))
                if value.comment:
                    self.text(actual, "comment", value.comment, language)
                # In DIMENSIONS' order: PostgreSQL's jsonb keeps keys in its own order.
                parts = value.disaggregation or {}
                for part in (part for part in DIMENSIONS if part in parts):
                    split_actual = self.sub(
                        element_period, "actual", value=count(Decimal(str(parts[part])))
                    )
                    name, code = DIMENSIONS[part]
                    self.sub(split_actual, "dimension", name=name, value=code)


def plan_iati(*, plan, partners=None, now=None):
    """The IATI 2.03 activity file of `plan` (with its country and national body), as UTF-8
    bytes. `partners`: only the funding of these organisation ids (a partner representative's
    own, see the module's docstring); None for all. A fixed number of queries, whatever the
    plan's size."""
    now = now or timezone.now()
    with translation.override(plan.language):
        writer = Writer(plan, timezone.localdate(now), partners)
        root = etree.Element(
            "iati-activities", {"version": VERSION, "generated-datetime": _datetime(now)}
        )
        writer.activity(root, last_updated(plan))
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
