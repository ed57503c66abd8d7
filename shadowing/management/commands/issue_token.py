from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from rest_framework.authtoken.models import Token

from shadowing.organisation.models import Person
from shadowing.organisation.sign_in import normalise_email


class Command(BaseCommand):
    help = (
        "Print the API token of a person (created on first use; the same key afterwards). "
        "Send it as the header 'Authorization: Token KEY'."
    )

    def add_arguments(self, parser):
        parser.add_argument("email", help="the person's e-mail address (any case)")
        parser.add_argument(
            "--rotate",
            action="store_true",
            help="replace the person's token with a new one; the old key stops working at once",
        )

    def handle(self, *args, email, rotate, **options):
        person = Person.objects.filter(email=normalise_email(email)).first()
        if person is None:
            raise CommandError(f"No person with the e-mail address {email!r} is in the roster.")
        if not person.is_active:
            raise CommandError(f"{person.email} is inactive and cannot use the API.")
        with transaction.atomic():
            if rotate:
                Token.objects.filter(user=person).delete()
            token, _created = Token.objects.get_or_create(user=person)
        self.stdout.write(token.key)
