"""Load the demo data of every app (its `demo.seed()`), then print the demo logins.

Idempotent: each app's seed finds its records before creating them.
"""

from importlib import import_module

from django.apps import apps
from django.core.management.base import BaseCommand
from django.utils import translation


class Command(BaseCommand):
    help = "Load the demo data for the six countries and print the demo logins."

    def handle(self, *args, **options):
        logins = []
        with translation.override("fr"):
            for config in apps.get_app_configs():
                if not config.name.startswith("relais."):
                    continue
                try:
                    module = import_module(f"{config.name}.demo")
                except ModuleNotFoundError as exc:
                    if exc.name != f"{config.name}.demo":
                        raise
                    continue
                logins += module.seed() or []
            password = import_module("relais.countries.demo").DEMO_PASSWORD
            width = max(len(email) for email, _ in logins)
            self.stdout.write(self.style.SUCCESS(f"Demo logins (password: {password})"))
            for email, what in logins:
                self.stdout.write(f"  {email.ljust(width)}  {what}")
