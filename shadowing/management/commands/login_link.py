from django.core.management.base import BaseCommand, CommandError

from shadowing.organisation.models import Person
from shadowing.organisation.sign_in import normalise_email, sign_in_link_create


class Command(BaseCommand):
    help = (
        "Print a one-time sign-in URL for a person: the same kind of link the sign-in page "
        "mails, single-use and expiring."
    )

    def add_arguments(self, parser):
        parser.add_argument("email", help="the person's e-mail address (any case)")

    def handle(self, *args, email, **options):
        person = Person.objects.filter(email=normalise_email(email)).first()
        if person is None:
            raise CommandError(f"No person with the e-mail address {email!r} is in the roster.")
        if not person.is_active:
            raise CommandError(f"{person.email} is inactive and cannot sign in.")
        self.stdout.write(sign_in_link_create(person=person))
