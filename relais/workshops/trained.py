"""The people the workshops trained, counted: how many people and participations, split by sex,
by type of organisation and by country; who was trained on what; and the plan indicators whose
value is counted from the workshops.

A person is counted once however many workshops they attended: merging two records of one
person moves the participations onto the record kept, so distinct participants are distinct
people. A participation is one person at one workshop: someone trained three times is one
person and three participations.

Every count here is a small, fixed number of aggregate queries, whatever the number of people.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from relais.countries.models import Country, Organisation
from relais.events.models import Event
from relais.plans.models import Indicator, Plan
from relais.workshops.models import IndicatorSource, Participant, Participation

# Workshops that train people: what "trained" and the indicators count by default. Missions and
# campaign events have people too, but they are not trainings.
TRAINING_KINDS = (Event.Kind.TRAINING, Event.Kind.VALIDATION)
PEOPLE_PER_PAGE = 50
WOMAN, MAN = Participant.Sex.WOMAN, Participant.Sex.MAN
NOT_STATED = ""


@dataclass
class Line:
    """One line of a table: a key, what it reads, and its people and participations.
    `women`, `men` and `unknown` split the people by sex (filled for the organisation types)."""

    key: str
    label: str
    people: int = 0
    participations: int = 0
    women: int = 0
    men: int = 0
    unknown: int = 0


@dataclass
class Disaggregation:
    people: int
    participations: int
    by_sex: list  # [Line] women, men, not stated
    by_kind: list  # [Line] per type of organisation (in Organisation.Kind's order), not stated
    by_country: list  # [Line] per country (by code), not stated last

    @property
    def women(self):
        return self.by_sex[0].people

    @property
    def men(self):
        return self.by_sex[1].people

    @property
    def not_stated(self):
        return self.by_sex[2].people


def _not_stated():
    return _("Not stated")


def disaggregate(participations):
    """The Disaggregation of `participations` (a Participation queryset): people (distinct
    participants) and participations, by sex, by type of organisation (with the sex of each
    type's people) and by country. Two queries.

    A person has one sex, one type of organisation and one country, so the groups of each
    split share out the people: summing a split's people gives the total."""
    participations = participations.order_by()
    groups = participations.values("participant__sex", "participant__organisation_kind").annotate(
        people=Count("participant", distinct=True), participations=Count("pk")
    )
    countries = participations.values(
        "participant__country", "participant__country__code", "participant__country__name"
    ).annotate(people=Count("participant", distinct=True), participations=Count("pk"))

    sexes = {
        WOMAN: Line(WOMAN, str(Participant.Sex.WOMAN.label)),
        MAN: Line(MAN, str(Participant.Sex.MAN.label)),
        NOT_STATED: Line(NOT_STATED, _not_stated()),
    }
    kinds = {}
    for row in groups:
        sex = row["participant__sex"] if row["participant__sex"] in sexes else NOT_STATED
        kind = row["participant__organisation_kind"] or NOT_STATED
        line = kinds.get(kind)
        if line is None:
            label = Organisation.Kind(kind).label if kind in Organisation.Kind else _not_stated()
            line = kinds[kind] = Line(kind, str(label))
        for target in (sexes[sex], line):
            target.people += row["people"]
            target.participations += row["participations"]
        attribute = {WOMAN: "women", MAN: "men"}.get(sex, "unknown")
        setattr(line, attribute, getattr(line, attribute) + row["people"])
    order = {kind.value: index for index, kind in enumerate(Organisation.Kind)}
    by_kind = sorted(
        kinds.values(), key=lambda line: (line.key == NOT_STATED, order.get(line.key, 99))
    )

    by_country = []
    not_stated = None
    for row in countries:
        if row["participant__country"] is None:
            not_stated = Line(NOT_STATED, _not_stated(), row["people"], row["participations"])
            continue
        # An unsaved Country names itself in the reader's language (CLDR), no query.
        country = Country(
            code=row["participant__country__code"], name=row["participant__country__name"]
        )
        by_country.append(
            Line(country.code, country.display_name, row["people"], row["participations"])
        )
    by_country.sort(key=lambda line: line.key)
    if not_stated is not None:
        by_country.append(not_stated)

    by_sex = list(sexes.values())
    return Disaggregation(
        people=sum(line.people for line in by_sex),
        participations=sum(line.participations for line in by_sex),
        by_sex=by_sex,
        by_kind=by_kind,
        by_country=by_country,
    )


# Which workshops ------------------------------------------------------------------------------


def workshops_of(*, country=None, year=None, kind=None):
    """The events whose people are counted: those of `country` (all countries without one),
    starting in `year` if given, of `kind` if given (one of the kinds other than round
    tables), else the training and validation workshops."""
    events = Event.objects.exclude(kind=Event.Kind.ROUND_TABLE)
    if country is not None:
        events = events.filter(country=country)
    if kind:
        events = events.filter(kind=kind)
    else:
        events = events.filter(kind__in=TRAINING_KINDS)
    if year:
        events = events.filter(starts_on__year=year)
    return events


def participations_of(events):
    return Participation.objects.filter(event__in=events)


def workshop_count(events):
    """How many of `events` were held: started on or before today (one query)."""
    return events.filter(starts_on__lte=timezone.localdate()).count()


@dataclass
class CountryLine:
    country: object
    people: int = 0
    participations: int = 0
    women: int = 0
    men: int = 0
    workshops: int = 0


def by_country(events):
    """[CountryLine] for every country of the network, side by side (three queries). A person
    trained in two countries counts in each: the region's people are counted apart."""
    countries = list(Country.objects.order_by("code"))
    lines = {country.pk: CountryLine(country) for country in countries}
    people = (
        participations_of(events)
        .order_by()
        .values("event__country")
        .annotate(
            people=Count("participant", distinct=True),
            participations=Count("pk"),
            women=Count("participant", distinct=True, filter=Q(participant__sex=WOMAN)),
            men=Count("participant", distinct=True, filter=Q(participant__sex=MAN)),
        )
    )
    for row in people:
        line = lines.get(row["event__country"])
        if line is not None:
            line.people, line.participations = row["people"], row["participations"]
            line.women, line.men = row["women"], row["men"]
    held = (
        events.filter(starts_on__lte=timezone.localdate())
        .order_by()
        .values("country")
        .annotate(count=Count("pk"))
    )
    for row in held:
        if row["country"] in lines:
            lines[row["country"]].workshops = row["count"]
    return list(lines.values())


def trained_people(events, page=None):
    """The page `page` (50 people a page) of the people trained at `events`, by name, each with
    `trained_at`: their participations there, with the workshop, by date. Three queries: the
    count, the page's people, their workshops."""
    people = Participant.objects.filter(
        pk__in=participations_of(events).values("participant")
    ).prefetch_related(
        Prefetch(
            "participations",
            queryset=participations_of(events)
            .select_related("event")
            .order_by("event__starts_on", "event__pk"),
            to_attr="trained_at",
        )
    )
    return Paginator(people.order_by("full_name", "pk"), PEOPLE_PER_PAGE).get_page(page)


# Indicators counted from workshops ------------------------------------------------------------


def plan_of(indicator):
    """The plan of an indicator (on an objective, or on a result of one)."""
    objective = indicator.objective if indicator.objective_id else indicator.result.objective
    return objective.plan


def plan_workshops(plan):
    """The workshops an indicator of `plan` counts: the training and validation workshops of the
    plan's country that start within the plan's period (first to last day included), and
    those that carry out an activity of the plan whenever they were held. Round tables,
    missions and campaign events never count."""
    return Event.objects.filter(kind__in=TRAINING_KINDS, country_id=plan.country_id).filter(
        Q(starts_on__range=(plan.period_start, plan.period_end))
        | Q(activity__objective__plan=plan)
        | Q(plan=plan)
    )


def plan_figures(plan):
    """{measure: value} of every IndicatorSource.Measure over `plan_workshops(plan)` (one
    query): people (each person once), women, men, participations and workshops held (started
    on or before today)."""
    events = plan_workshops(plan)
    participations = participations_of(events).order_by()
    figures = participations.aggregate(
        people=Count("participant", distinct=True),
        women=Count("participant", distinct=True, filter=Q(participant__sex=WOMAN)),
        men=Count("participant", distinct=True, filter=Q(participant__sex=MAN)),
        participations=Count("pk"),
    )
    figures["workshops"] = workshop_count(events)
    return figures


def indicator_value(indicator_source):
    """The value of an indicator counted from workshops: its measure (people trained, each
    once; women; men; participations, a person trained twice counting twice; workshops held)
    over the workshops of the indicator's plan.

    Which workshops: the training and validation workshops (never round tables, missions or
    campaign events) of the plan's country that start between the first and the last day of
    the plan's period, and those linked to an activity of the plan, even outside its period.
    Workshops held are those started on or before today."""
    plan = plan_of(indicator_source.indicator)
    return plan_figures(plan)[indicator_source.measure]


def current_plans(country):
    """The country's current plans: its adopted ones, else its latest plan still in progress
    (as relais.plans.selectors.regional_plans says). One query."""
    plans = list(
        Plan.objects.filter(
            country=country,
            status__in=(
                Plan.Status.ADOPTED,
                Plan.Status.DRAFT,
                Plan.Status.SUBMITTED,
                Plan.Status.VALIDATED,
            ),
        ).order_by("-period_start", "-version", "-created_at", "-pk")
    )
    adopted = [plan for plan in plans if plan.status == Plan.Status.ADOPTED]
    return adopted or plans[:1]


@dataclass
class IndicatorLine:
    indicator: object
    plan: object
    source: object  # IndicatorSource or None
    value: int | None = None
    figures: dict = field(default_factory=dict)


def plan_indicators(plans):
    """[IndicatorLine] of the indicators of `plans`, in the plans' order, then by objective,
    result and number; those counted from workshops with their value. One query, and one per
    plan that has an indicator counted from workshops."""
    plans = list(plans)
    if not plans:
        return []
    indicators = Indicator.objects.filter(
        Q(objective__plan__in=plans) | Q(result__objective__plan__in=plans)
    ).select_related("objective", "result__objective", "workshop_source")
    by_pk = {plan.pk: plan for plan in plans}
    lines = []
    for indicator in indicators:
        objective = indicator.objective if indicator.objective_id else indicator.result.objective
        source = getattr(indicator, "workshop_source", None)
        lines.append(IndicatorLine(indicator, by_pk[objective.plan_id], source))
    order = {plan.pk: index for index, plan in enumerate(plans)}

    def key(line):
        indicator = line.indicator
        objective = indicator.objective if indicator.objective_id else indicator.result.objective
        result = indicator.result.position if indicator.result_id else 0
        return (order[line.plan.pk], objective.position, result, indicator.position, indicator.pk)

    lines.sort(key=key)
    figures = defaultdict(dict)
    for line in lines:
        if line.source is None:
            continue
        if line.plan.pk not in figures:
            figures[line.plan.pk] = plan_figures(line.plan)
        line.figures = figures[line.plan.pk]
        line.value = line.figures[line.source.measure]
    return lines


@transaction.atomic
def indicator_source_set(*, indicator, by, measure):
    """Count `indicator` from workshops with `measure`, or no longer with measure "" (or None).
    Returns the IndicatorSource, None once removed. Recorded in its history with `by`."""
    current = IndicatorSource.objects.select_for_update().filter(indicator=indicator).first()
    if not measure:
        if current is not None:
            current._history_user = by
            current.delete()
        return None
    if measure not in IndicatorSource.Measure.values:
        raise ValidationError({"measure": _("Choose what the indicator counts.")})
    if current is not None and current.measure == measure:
        return current
    current = current or IndicatorSource(indicator=indicator)
    current.measure = measure
    current._history_user = by
    current.save()
    return current
