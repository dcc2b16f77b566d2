"""Who may read and record a plan's funding.

Whoever reads a plan reads its funding, but a partner representative sees only their own
organisation's contributions: the others' agreements are not theirs to read. A country's
coordinator records round tables, contributions, agreements and disbursements; administrators
may too. A regional coordinator reads every country's.
"""

import rules

from relais.countries.rules import (
    can_see_country_work,
    is_admin,
    is_coordinator_of,
    is_network_member,
    organisation_ids_of,
)
from relais.plans.rules import can_read_plan, on_plan


def contribution_of(obj):
    """The contribution a record belongs to: itself, or a disbursement's or a target's."""
    from relais.funding.models import Contribution

    if obj is None or isinstance(obj, Contribution):
        return obj
    return obj.contribution


@rules.predicate
def is_own_contribution(user, obj):
    """A partner representative's own organisation's contribution (or its instalments)."""
    contribution = contribution_of(obj)
    return contribution is not None and contribution.partner_id in organisation_ids_of(user)


@rules.predicate
def sees_the_country_of_contribution(user, obj):
    contribution = contribution_of(obj)
    return contribution is not None and can_see_country_work(user, contribution.plan)


@rules.predicate
def coordinates_the_country_of_contribution(user, obj):
    contribution = contribution_of(obj)
    return contribution is not None and is_coordinator_of(user, contribution.plan)


can_record = is_coordinator_of | is_admin

# Given a plan.
rules.add_perm("funding.view_funding", on_plan(can_read_plan))
rules.add_perm("funding.change_funding", on_plan(can_record))
# Given a contribution or a disbursement: the plan's country's people, or the partner it is from.
can_read_contribution = sees_the_country_of_contribution | is_own_contribution
rules.add_perm("funding.view_contribution", can_read_contribution)
rules.add_perm("funding.view_disbursement", can_read_contribution)
rules.add_perm("funding.view_history", coordinates_the_country_of_contribution | is_admin)
# Given an event (its country) or a plan.
rules.add_perm("funding.view_event", can_see_country_work)
rules.add_perm("funding.change_event", can_record)
rules.add_perm("events.view_event", can_see_country_work)
rules.add_perm("events.view_history", is_coordinator_of | is_admin)
# The partner directory: the network's members (a partner representative opens only their own
# organisation's page).
rules.add_perm("funding.view_partners", is_network_member | is_admin)
rules.add_rule("funding.view_partners", is_network_member | is_admin)
