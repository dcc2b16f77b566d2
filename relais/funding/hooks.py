"""What funding adds to plans without plans importing it."""

from django.utils.translation import gettext_lazy as _


def _plans_of(organisations):
    from relais.funding.models import Contribution

    return Contribution.objects.filter(partner__in=organisations).values("plan_id")


def _organisations_of(plan):
    from relais.funding.models import Contribution

    return Contribution.objects.filter(plan=plan, partner__isnull=False).values_list(
        "partner_id", flat=True
    )


def register():
    from relais.plans import selectors
    from relais.plans.signals import plan_superseded
    from relais.plans.views import plans

    plan_superseded.connect(follow_revision, dispatch_uid="funding.follow_revision")
    if (_plans_of, _organisations_of) not in selectors.PARTY_LOOKUPS:
        selectors.PARTY_LOOKUPS.append((_plans_of, _organisations_of))
    link = (_("Funding"), "funding:plan", "funding.view_funding")
    if link not in plans.PLAN_LINKS:
        plans.PLAN_LINKS.append(link)


def follow_revision(sender, *, old, new, by, **kwargs):
    """A revision replaced `old`: its contributions and round tables now belong to `new`.
    Targets follow their objective or activity by key; one the revision removed falls back to
    its objective, or else to the whole plan."""
    from relais.events.models import Event
    from relais.funding.models import Contribution, ContributionTarget
    from relais.plans.models import Activity, Objective

    objectives = {o.key: o for o in Objective.objects.filter(plan=new)}
    activities = {a.key: a for a in Activity.objects.filter(objective__plan=new)}
    for event in Event.objects.filter(plan=old):
        event.plan = new
        event._history_user = by
        event.save(update_fields=["plan"])
    for contribution in Contribution.objects.filter(plan=old):
        contribution.plan = new
        contribution._history_user = by
        contribution.save(update_fields=["plan"])
    targets = ContributionTarget.objects.filter(contribution__plan=new).select_related(
        "objective", "activity__objective"
    )
    for target in targets:
        target._history_user = by
        if target.activity_id:
            moved = activities.get(target.activity.key)
            if moved is not None:
                target.activity = moved
            elif target.activity.objective.key in objectives:
                target.activity, target.objective = None, objectives[target.activity.objective.key]
            else:
                target.delete()
                continue
        elif target.objective_id:
            moved = objectives.get(target.objective.key)
            if moved is None:
                target.delete()
                continue
            target.objective = moved
        target.save()
