"""Run the backlog's sweep now (the hourly schedule runs it too): file barrier reports not yet
in the backlog, send the escalations due. Safe to run any number of times."""

from django.core.management.base import BaseCommand

from barriers import tasks


class Command(BaseCommand):
    help = "File barrier reports not yet in the backlog and send the escalations due."

    def handle(self, *args, **options):
        result = tasks.backlog_sweep()
        sent = sum(count for name, count in result.items() if name != "filed")
        self.stdout.write(f"filed {result['filed']} reports; sent {sent} escalation notices")
