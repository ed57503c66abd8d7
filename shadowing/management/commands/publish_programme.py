from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from shadowing.invitations.services import programme_publish
from shadowing.management.errors import command_error
from shadowing.programmes.models import Programme


class Command(BaseCommand):
    help = (
        "Publish a programme: its proposed and locked pairings become published and each "
        "executive and agent is sent a calendar invitation by the background workers "
        "(`manage.py qcluster`). Publishing again sends only what is new."
    )

    def add_arguments(self, parser):
        parser.add_argument("slug", help="the programme")

    def handle(self, *args, slug, **options):
        programme = Programme.objects.filter(slug=slug).first()
        if programme is None:
            raise CommandError(f"There is no programme with the slug {slug!r}.")
        try:
            result = programme_publish(programme=programme, by=None)
        except ValidationError as exc:
            raise command_error(exc) from None
        self.stdout.write(
            f"published {result.published} pairings; {result.messages} invitations queued"
        )
        if result.needs_repair:
            self.stdout.write(f"  left out, needing repair: {result.needs_repair}")
        if result.past:
            self.stdout.write(f"  left out, already over: {result.past}")
