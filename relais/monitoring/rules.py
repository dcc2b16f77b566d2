"""Who may read and record the monitoring of a plan.

Whoever reads a plan reads its monitoring (its country's members, regional coordinators,
administrators, and the representatives of partners party to it); anyone else is told it does
not exist (404). The country's coordinator records everything and validates expenditures; a
contributor updates, and enters expenditures for, only the activities assigned to them; other
members are refused (403). Regional coordinators read the regional dashboard.
"""

import rules

from relais.countries.rules import (
    can_see_country_work,
    is_admin,
    is_contributor_of,
    is_coordinator_of,
    is_regional,
    organisation_ids_of,
)
from relais.plans.rules import can_read_plan, on_plan


def activity_of(obj):
    """The activity of an activity, an update or an expenditure; None otherwise."""
    from relais.plans.models import Activity

    if isinstance(obj, Activity):
        return obj
    return getattr(obj, "activity", None)


@rules.predicate
def is_assigned_to(user, obj):
    """`user` is one of the people assigned to report on the record's activity."""
    activity = activity_of(obj)
    if activity is None or not user.is_authenticated:
        return False
    cache = getattr(user, "_relais_assigned", None)
    if cache is None:
        from relais.plans.models import Activity

        cache = set(Activity.objects.filter(assignees=user).values_list("pk", flat=True))
        user._relais_assigned = cache
    return activity.pk in cache


@rules.predicate
def paid_by_own_organisation(user, expenditure):
    """A partner representative reads what their organisation's contributions paid."""
    partner = getattr(getattr(expenditure, "contribution", None), "partner_id", None)
    return partner is not None and partner in organisation_ids_of(user)


coordinates = on_plan(is_coordinator_of) | is_admin
reports_on = coordinates | (on_plan(is_contributor_of) & is_assigned_to)

rules.add_perm("monitoring.view_monitoring", on_plan(can_read_plan))
# Seeing a record at all (404 otherwise), the shared history page among others.
for _model in ("activityupdate", "indicatorvalue", "milestone"):
    rules.add_perm(f"monitoring.view_{_model}", on_plan(can_read_plan))
rules.add_perm(
    "monitoring.view_expenditure",
    on_plan(can_see_country_work) | (on_plan(can_read_plan) & paid_by_own_organisation),
)
rules.add_perm("monitoring.update_activity", reports_on)  # given an activity
rules.add_perm("monitoring.add_expenditure", reports_on)  # given an activity (or a plan)
rules.add_perm("monitoring.validate_expenditure", coordinates)
rules.add_perm("monitoring.change_indicator_values", coordinates)
rules.add_perm("monitoring.change_milestones", coordinates)
rules.add_perm("monitoring.view_history", coordinates)
rules.add_perm("monitoring.view_regional", is_regional | is_admin)
