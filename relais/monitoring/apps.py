from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MonitoringConfig(AppConfig):
    name = "relais.monitoring"
    label = "monitoring"
    verbose_name = _("Implementation monitoring")

    def ready(self):
        # Plans know nothing of monitoring: monitoring adds its page to the plan's links and
        # follows a plan's revisions.
        from relais.monitoring import hooks

        hooks.register()
