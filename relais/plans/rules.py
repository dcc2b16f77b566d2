"""Who may read and change advocacy action plans.

A plan belongs to its country: members of that country read it, regional coordinators and
administrators read all, and a partner representative reads the plans their organisation is
party to (a planned funding source, a partner of an activity, the responsible structure).
Contributors and coordinators edit drafts; a coordinator moves a plan through its workflow.
Adoption freezes the content: no one edits an adopted plan, an administrator neither.
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


def plan_of(obj):
    """The plan a record belongs to: itself, its plan, its objective's, its activity's…"""
    from relais.plans.models import Plan

    if obj is None or isinstance(obj, Plan):
        return obj
    if getattr(obj, "plan_id", None):
        return obj.plan
    if getattr(obj, "objective_id", None):
        return obj.objective.plan
    if getattr(obj, "result_id", None):
        return obj.result.objective.plan
    if getattr(obj, "activity_id", None):
        return obj.activity.objective.plan
    return None


def on_plan(predicate):
    """`predicate` applied to the plan of whatever record it is given."""
    return rules.predicate(lambda user, obj: predicate(user, plan_of(obj)), name=predicate.name)


@rules.predicate
def is_party_to_plan(user, plan):
    organisations = organisation_ids_of(user)
    if not organisations or plan is None:
        return False
    from relais.plans.selectors import plan_organisation_ids

    return bool(organisations & plan_organisation_ids(plan=plan))


@rules.predicate
def is_partner_representative(user):
    return bool(organisation_ids_of(user))


@rules.predicate
def is_draft(user, plan):
    return plan is not None and plan.is_editable


can_read_plan = can_see_country_work | is_party_to_plan
can_edit_content = is_draft & (is_coordinator_of | is_contributor_of)

rules.add_perm("plans.view_plan", on_plan(can_read_plan))
# A country's list of plans: all of them for who sees the country's work; for a partner
# representative, only those their organisation is party to (selectors.visible_plans).
rules.add_perm("plans.view_plan_list", can_see_country_work | is_partner_representative)
rules.add_perm("plans.add_plan", is_coordinator_of)  # given a country
rules.add_perm("plans.change_plan", on_plan(can_edit_content))
rules.add_perm("plans.move_plan", on_plan(is_coordinator_of))  # submit, validate, adopt…
rules.add_perm("plans.revise_plan", on_plan(is_coordinator_of))
rules.add_perm("plans.view_history", on_plan(is_coordinator_of) | is_admin)
# Seeing a plan's records at all (the shared history page asks for these).
for _model in ("objective", "result", "activity", "indicator", "fundingsource"):
    rules.add_perm(f"plans.view_{_model}", on_plan(can_read_plan))
rules.add_perm("plans.change_strategy", is_regional | is_admin)
rules.add_perm("plans.view_strategy", rules.is_authenticated)
rules.add_perm("plans.view_rates", rules.is_authenticated)
rules.add_perm("plans.change_rates", is_regional | is_admin)
rules.add_perm("plans.view_regional", is_regional | is_admin)
# The same predicates as rules, for the navigation on every page: `{% test_rule %}` asks only
# them, where a refused `has_perm` would go on to read Django's model permissions (2 queries).
rules.add_rule("plans.view_regional", is_regional | is_admin)
rules.add_rule("plans.view_strategy", rules.is_authenticated)
rules.add_rule("plans.view_rates", rules.is_authenticated)
