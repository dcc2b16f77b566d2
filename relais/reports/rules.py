"""Who may read, write, submit and acknowledge a plan's reports.

The plan's country's members and regional coordinators read its reports; the representatives
of a partner read a submitted report addressed to their organisation; anyone else is told it
does not exist (404). The country's coordinator and contributors write a draft; the
coordinator submits it (then it is frozen) and keeps the country's Word template. A regional
coordinator, or the representative of a partner a submitted report is addressed to,
acknowledges it. An IATI file of a plan is for whoever reads the plan.
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


@rules.predicate
def is_submitted(user, report):
    return getattr(report, "status", None) == "submitted"


@rules.predicate
def is_draft_report(user, report):
    return getattr(report, "status", None) == "draft"


@rules.predicate
def addressed_to_own_organisation(user, report):
    own = organisation_ids_of(user)
    if not own or not hasattr(report, "addressees"):
        return False
    return report.addressees.filter(pk__in=own).exists()


@rules.predicate
def has_reports_for_own_organisation(user, plan):
    """A submitted report of the plan is addressed to the partner `user` represents."""
    own = organisation_ids_of(user)
    if not own or plan is None:
        return False
    from relais.reports.models import Report

    submitted = Report.objects.filter(plan=plan, status=Report.Status.SUBMITTED)
    return submitted.filter(addressees__in=own).exists()


reads_country = on_plan(can_see_country_work)
coordinates = on_plan(is_coordinator_of) | is_admin

rules.add_perm(
    "reports.view_report", reads_country | (is_submitted & addressed_to_own_organisation)
)
# The plan's list of reports (given a plan): its country's readers, and a partner to whom one
# of its submitted reports is addressed (the list then shows them only those).
rules.add_perm("reports.view_report_list", reads_country | has_reports_for_own_organisation)
rules.add_perm("reports.add_report", coordinates | on_plan(is_contributor_of))  # given a plan
rules.add_perm(
    "reports.change_report", is_draft_report & (coordinates | on_plan(is_contributor_of))
)
rules.add_perm("reports.submit_report", is_draft_report & coordinates)
rules.add_perm(
    "reports.acknowledge_report",
    is_submitted & (is_regional | addressed_to_own_organisation),
)
rules.add_perm("reports.view_history", coordinates)
rules.add_perm("reports.export_iati", on_plan(can_read_plan))  # given a plan
rules.add_perm("reports.change_template", is_coordinator_of | is_admin)  # given a country
