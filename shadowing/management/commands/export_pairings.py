import os
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from shadowing.programmes.export import EXPORT_COLUMNS, pairings_export
from shadowing.programmes.models import Programme


class Command(BaseCommand):
    help = (
        f"Write a programme's pairings (all but cancelled ones) as CSV: {','.join(EXPORT_COLUMNS)}."
        " Times are local to the site."
    )

    def add_arguments(self, parser):
        parser.add_argument("slug", help="the programme")
        parser.add_argument("--out", type=Path, help="file to write (default: standard output)")

    def handle(self, *args, slug, out, **options):
        programme = Programme.objects.filter(slug=slug).first()
        if programme is None:
            raise CommandError(f"There is no programme with the slug {slug!r}.")
        if out is None:
            try:
                pairings_export(programme=programme, out=self.stdout)
            except BrokenPipeError:
                # `export_pairings x | head`: the reader has what it wanted. Point stdout at
                # /dev/null so that the interpreter's final flush does not complain again.
                os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            return
        try:
            with out.open("w", encoding="utf-8", newline="") as stream:
                count = pairings_export(programme=programme, out=stream)
        except OSError as exc:
            raise CommandError(f"{out} cannot be written: {exc.strerror}.") from None
        self.stderr.write(f"Wrote {count} pairing(s) to {out}.")
