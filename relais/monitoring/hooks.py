"""What monitoring adds to plans without plans importing it."""

from django.utils.translation import gettext_lazy as _


def register():
    from relais.plans.signals import plan_superseded
    from relais.plans.views import plans

    plan_superseded.connect(follow_revision, dispatch_uid="monitoring.follow_revision")
    link = (_("Monitoring"), "monitoring:plan", "monitoring.view_monitoring")
    if link not in plans.PLAN_LINKS:
        plans.PLAN_LINKS.append(link)


def follow_revision(sender, *, old, new, by, **kwargs):
    """A revision replaced `old`: what was recorded of its activities, objectives and
    indicators now belongs to their namesakes in `new` (followed by `key`; indicators by their
    objective or result's key and their number). Records whose activity the revision removed
    stay with the old version, which keeps its history."""
    from relais.monitoring.models import ActivityUpdate, Expenditure, IndicatorValue, Milestone
    from relais.plans.models import Activity, Indicator, Objective

    activities = {a.key: a for a in Activity.objects.filter(objective__plan=new)}
    objectives = {o.key: o for o in Objective.objects.filter(plan=new)}
    for model in (ActivityUpdate, Expenditure):
        for record in model.objects.filter(activity__objective__plan=old).select_related(
            "activity"
        ):
            moved = activities.get(record.activity.key)
            if moved is not None:
                model.objects.filter(pk=record.pk).update(activity=moved)
    for milestone in Milestone.objects.filter(objective__plan=old).select_related("objective"):
        moved = objectives.get(milestone.objective.key)
        if moved is not None:
            Milestone.objects.filter(pk=milestone.pk).update(objective=moved)
    new_indicators = {}
    for indicator in Indicator.objects.filter(objective__plan=new).select_related("objective"):
        new_indicators[(indicator.objective.key, indicator.position)] = indicator
    for value in IndicatorValue.objects.filter(indicator__objective__plan=old).select_related(
        "indicator__objective"
    ):
        moved = new_indicators.get((value.indicator.objective.key, value.indicator.position))
        if moved is not None:
            IndicatorValue.objects.filter(pk=value.pk).update(indicator=moved)
