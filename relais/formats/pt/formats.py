# Django's own formats for "pt", with the separators money uses (relais.core.money).
from django.conf.locale.pt.formats import *  # noqa: F403

from relais.core.money import separators

THOUSAND_SEPARATOR, DECIMAL_SEPARATOR = separators("pt")
NUMBER_GROUPING = 3
