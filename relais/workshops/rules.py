"""Who may read and record a country's workshops, missions and campaign events, their
participants, and the personal data those hold.

Given an event (its country) or a country: whoever sees the country's work reads them, and so do
the representatives of the partner that funded a workshop (its figures, not its people's
contacts); anyone else is told they do not exist (404). The country's coordinator, or an
administrator, records and changes them, merges people entered twice and exports personal data;
the country's other members are refused (403).

Participants' contacts (phone, email) are shown to the organising country's members and to
regional coordinators only.
"""

import rules

from relais.countries.rules import (
    can_see_country_work,
    is_admin,
    is_coordinator_of,
    organisation_ids_of,
)


@rules.predicate
def represents_funder_of(user, event):
    funder = getattr(event, "funder_id", None)
    return funder is not None and funder in organisation_ids_of(user)


rules.add_perm("workshops.view_event", can_see_country_work | represents_funder_of)
rules.add_perm("workshops.change_event", is_coordinator_of | is_admin)
rules.add_perm("workshops.view_contacts", can_see_country_work)
rules.add_perm("workshops.export_personal_data", is_coordinator_of | is_admin)
rules.add_perm("workshops.merge_participants", is_coordinator_of | is_admin)
# The trained people of a country (given the country); of the whole region (given nothing).
rules.add_perm("workshops.view_trained", can_see_country_work)
