from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "relais.reports"
    label = "reports"
    verbose_name = _("Reports")

    def ready(self):
        # Plans know nothing of reports: reports add their page to the plan's links.
        from relais.reports import hooks

        hooks.register()
