from collections import Counter

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from shadowing.management.errors import command_error
from shadowing.programmes.models import Programme
from shadowing.programmes.pairing_models import PairingRunStatus
from shadowing.programmes.store.runs import pairing_run_execute, pairing_run_start


class Command(BaseCommand):
    help = (
        "Propose pairings for a programme: the most visits the rules allow, then the least "
        "cost. Locked and published pairings are kept; pairings flagged by an import are moved. "
        "Runs in this process; the last line reads 'paired N of M executives'."
    )

    def add_arguments(self, parser):
        parser.add_argument("slug", help="the programme")

    def handle(self, *args, slug, **options):
        programme = Programme.objects.filter(slug=slug).first()
        if programme is None:
            raise CommandError(f"There is no programme with the slug {slug!r}.")
        try:
            run = pairing_run_start(programme=programme)
        except ValidationError as exc:
            raise command_error(exc) from None
        run = pairing_run_execute(run=run)
        if run.status != PairingRunStatus.DONE:
            raise CommandError(f"Pairing failed: {run.message}")
        self.stdout.write(run.message)
        reasons = Counter(run.unpaired.values_list("reason", flat=True))
        for reason, count in reasons.most_common():
            self.stdout.write(f"  not fully paired, {reason}: {count}")
        self.stdout.write(f"paired {run.paired} of {run.executives} executives")
