"""Enqueue the weekly digest of alerts for next Monday 07:00 (Bamako), unless one waits
already; the task then enqueues itself again each week (relais.monitoring.tasks)."""

from django.core.management.base import BaseCommand

from relais.monitoring.tasks import schedule_digest, send_weekly_digest


class Command(BaseCommand):
    help = "Schedule the weekly digest of alerts to the coordinators, if none is scheduled."

    def handle(self, *args, **options):
        if not send_weekly_digest.get_backend().supports_defer:
            self.stdout.write("The task backend cannot defer tasks: no digest scheduled.")
            return
        when = schedule_digest()
        if when is None:
            self.stdout.write("A weekly digest is already scheduled.")
        else:
            self.stdout.write(f"Weekly digest scheduled for {when.isoformat()}.")
