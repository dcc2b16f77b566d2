"""Who reads the network's exchange: its members (a country role, a regional coordinator or an
administrator); partner representatives do not. The views check `countries.view_contacts`
(the same predicate); the navigation asks the rule below, which, unlike a refused `has_perm`,
does not go on to read Django's model permissions on every page."""

import rules

from relais.countries.rules import is_network_member

rules.add_rule("exchange.read_network", is_network_member)
