"""Who may read and record a country's workshops, missions and campaign events.

Given an event (its country) or a country: whoever sees the country's work reads them; anyone
else is told they do not exist (404). The country's coordinator, or an administrator, records
and changes them and their agenda; the country's other members are refused (403).
"""

import rules

from relais.countries.rules import can_see_country_work, is_admin, is_coordinator_of

rules.add_perm("workshops.view_event", can_see_country_work)
rules.add_perm("workshops.change_event", is_coordinator_of | is_admin)
