# Django's own formats for "fr", with the separators money uses (relais.core.money).
from django.conf.locale.fr.formats import *  # noqa: F403

from relais.core.money import separators

THOUSAND_SEPARATOR, DECIMAL_SEPARATOR = separators("fr")
NUMBER_GROUPING = 3
