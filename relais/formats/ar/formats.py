# Django's own formats for "ar", with the separators money uses (relais.core.money).
from django.conf.locale.ar.formats import *  # noqa: F403

from relais.core.money import separators

THOUSAND_SEPARATOR, DECIMAL_SEPARATOR = separators("ar")
NUMBER_GROUPING = 3
