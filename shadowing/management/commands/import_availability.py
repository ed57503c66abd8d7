from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from shadowing.management.errors import command_error
from shadowing.programmes.availability.columns import FILE_NAMES
from shadowing.programmes.availability.importer import availability_import
from shadowing.programmes.models import Programme


class Command(BaseCommand):
    help = (
        "Replace a programme's shifts with DIR/shifts.csv and its executives' availability with "
        "DIR/availability.csv. A file that is absent leaves that kind as it was. All or nothing: "
        "every problem is reported as FILE:LINE: message and nothing is written."
    )

    def add_arguments(self, parser):
        parser.add_argument("slug", help="the programme")
        parser.add_argument("directory", type=Path, help="folder holding the CSV files")
        parser.add_argument(
            "--dry-run", action="store_true", help="check and report, write nothing"
        )

    def handle(self, *args, slug, directory, dry_run, **options):
        programme = Programme.objects.filter(slug=slug).first()
        if programme is None:
            raise CommandError(f"There is no programme with the slug {slug!r}.")
        if not directory.is_dir():
            raise CommandError(f"{directory} is not a folder.")
        files = {}
        for name in FILE_NAMES:
            path = directory / name
            if path.is_file():
                try:
                    files[name] = path.read_bytes()
                except OSError as exc:
                    raise CommandError(f"{path} cannot be read: {exc.strerror}.") from None
        if not files:
            raise CommandError(f"{directory} holds neither {' nor '.join(FILE_NAMES)}.")

        try:
            result = availability_import(programme=programme, files=files, dry_run=dry_run)
        except ValidationError as exc:
            raise command_error(exc) from None
        for warning in result.warnings:
            self.stderr.write(f"warning: {warning}")
        if not result.ok:
            for error in result.errors:
                self.stderr.write(error)
            raise CommandError(f"{len(result.errors)} problem(s) found; nothing was imported.")
        for line in result.summary_lines():
            self.stdout.write(line)
        for broken in result.broken:
            self.stdout.write(
                f"  flagged: {broken.executive} with {broken.agent} on {broken.date} "
                f"({broken.status}): {broken.reason_text}"
            )
        if dry_run:
            self.stdout.write("Dry run: nothing was written.")
