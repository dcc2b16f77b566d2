from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FundingConfig(AppConfig):
    name = "relais.funding"
    label = "funding"
    verbose_name = _("Partner mobilisation")

    def ready(self):
        # Plans know nothing of funding: funding tells them which organisations a plan's
        # contributions make party to it, and adds its page to the plan's links.
        from relais.funding import hooks

        hooks.register()
