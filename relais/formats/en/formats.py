# Django's own formats for "en", with the separators money uses (relais.core.money).
from django.conf.locale.en.formats import *  # noqa: F403

from relais.core.money import separators

THOUSAND_SEPARATOR, DECIMAL_SEPARATOR = separators("en")
NUMBER_GROUPING = 3
