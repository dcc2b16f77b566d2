from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    name = "relais.plans"
    label = "plans"
    verbose_name = _("Advocacy action plans")
