"""Demo: where Mali's 2018-2019 plan stood at the end of 2019 — most of its first year's
activities done, some ongoing, one postponed; what was spent from the state's budget and from
ICMPD's contribution (validated, one waiting for the coordinator); indicator values; and the
advocacy milestones its objectives reached. Illustrative figures."""

from datetime import UTC, date, datetime, time
from decimal import Decimal

from django.contrib.auth import get_user_model

from relais.funding.models import Contribution
from relais.monitoring.models import ActivityUpdate, Expenditure, IndicatorValue, Milestone
from relais.plans.models import Plan

Status = ActivityUpdate.Status
# (objective, activity) → (status, % done, date, narrative)
UPDATES = {
    (1, 1): (Status.DONE, 100, date(2018, 7, 20), "Atelier tenu avec 32 participants."),
    (1, 2): (Status.DONE, 100, date(2018, 11, 30), "Avant-projet de loi remis au ministère."),
    (1, 3): (Status.ONGOING, 60, date(2019, 6, 28), "Deux rencontres sur trois tenues."),
    (1, 4): (Status.ONGOING, 40, date(2019, 6, 28), "Audience obtenue auprès du président."),
    (2, 1): (Status.DONE, 100, date(2018, 7, 31), "Étude de faisabilité validée."),
    (2, 2): (Status.POSTPONED, 0, date(2018, 10, 5), "Voyage reporté faute de financement."),
    (2, 3): (Status.DONE, 100, date(2019, 1, 25), "Étude et avant-projet validés en atelier."),
    (3, 1): (Status.ONGOING, 70, date(2019, 2, 15), "Cinq sessions de formation sur sept."),
    (3, 2): (Status.ONGOING, 50, date(2019, 3, 30), "Spots radio diffusés à Kayes."),
    (4, 1): (Status.DONE, 100, date(2018, 10, 31), "Étude des itinéraires terminée."),
    (4, 2): (Status.DONE, 100, date(2018, 12, 20), "Quarante témoignages recueillis."),
    (5, 1): (Status.DONE, 100, date(2018, 6, 28), "Table ronde tenue le 26 avril 2018."),
    (5, 2): (Status.DONE, 100, date(2018, 9, 27), "Charte de l'alliance adoptée."),
}  # fmt: skip
# (objective, activity, date, amount, from ICMPD? (else the state's budget), validated?, what)
EXPENDITURES = [
    (1, 1, date(2018, 7, 20), "4500000", False, True, "Salle, pauses et per diem de l'atelier"),
    (2, 1, date(2018, 7, 31), "15000", True, True, "Honoraires du consultant de l'étude"),
    (4, 1, date(2018, 10, 31), "11000", True, True, "Étude des itinéraires (ICMPD)"),
    (4, 2, date(2018, 12, 20), "4200", True, True, "Missions de recueil des témoignages"),
    (5, 2, date(2018, 9, 27), "3900000", False, True, "Atelier de constitution de l'alliance"),
    (3, 1, date(2019, 2, 15), "9000", True, False, "Sessions de formation des OSC"),
]  # fmt: skip


def seed():
    plan = (
        Plan.objects.filter(country__code="ML", version=1, title__startswith="Plan d'action")
        .order_by("pk")
        .first()
    )
    if plan is None or ActivityUpdate.objects.filter(activity__objective__plan=plan).exists():
        return []
    coordinator = get_user_model().objects.filter(email__startswith="coordinator.ml@").first()
    contributor = get_user_model().objects.filter(email__startswith="contributor.ml@").first()
    activities = {
        (a.objective.position, a.position): a
        for a in plan.objectives.all().prefetch_related("activities")
        for a in a.activities.all()
    }
    for key, (status, percent, on, narrative) in UPDATES.items():
        activity = activities.get(key)
        if activity is not None:
            ActivityUpdate.objects.create(
                activity=activity,
                status=status,
                percent_done=percent,
                on=on,
                narrative=narrative,
                by=coordinator,
            )
    # The contributor reports on the media campaign.
    campaign = activities.get((3, 2))
    if campaign is not None and contributor is not None:
        campaign.assignees.add(contributor)
    icmpd = Contribution.objects.filter(plan=plan, partner__acronym="ICMPD").first()
    state = Contribution.objects.filter(plan=plan, partner__isnull=True).first()
    for objective, position, on, amount, from_icmpd, validated, description in EXPENDITURES:
        activity = activities.get((objective, position))
        if activity is None or (from_icmpd and icmpd is None):
            continue
        Expenditure.objects.create(
            activity=activity,
            contribution=icmpd if from_icmpd else state,
            spent_on=on,
            amount=Decimal(amount),
            currency=icmpd.currency if from_icmpd else plan.currency,
            description=description,
            status=Expenditure.Status.VALIDATED if validated else Expenditure.Status.DRAFT,
            entered_by=coordinator,
            validated_by=coordinator if validated else None,
            validated_at=datetime.combine(on, time(12), tzinfo=UTC) if validated else None,
        )
    for indicator in plan.objectives.get(position=3).indicators.all()[:1]:
        for start, end, value in [
            (date(2018, 1, 1), date(2018, 6, 30), "4"),
            (date(2018, 7, 1), date(2018, 12, 31), "7"),
            (date(2019, 1, 1), date(2019, 6, 30), "11"),
        ]:
            IndicatorValue.objects.create(
                indicator=indicator, period_start=start, period_end=end, value=Decimal(value),
                by=coordinator,
            )  # fmt: skip
    for objective, step, on, description in [
        (1, Milestone.Step.TARGET_MET, date(2018, 9, 12), "Rencontre avec la commission des lois"),
        (1, Milestone.Step.TEXT_DRAFTED, date(2018, 11, 30), "Avant-projet de loi rédigé"),
        (2, Milestone.Step.TEXT_DRAFTED, date(2019, 1, 25), "Avant-projet de décret validé"),
        (5, Milestone.Step.COMMITMENT, date(2018, 9, 27), "Charte de l'alliance signée"),
    ]:
        Milestone.objects.create(
            objective=plan.objectives.get(position=objective),
            step=step, reached_on=on, description=description, by=coordinator,
        )  # fmt: skip
    return []
