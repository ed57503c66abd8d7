import os
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from shadowing.programmes.models import Programme, Series
from value.export import EXPORT_COLUMNS, value_export


class Command(BaseCommand):
    help = (
        "Write the valued items of a series (or one programme) as CSV: "
        f"{','.join(EXPORT_COLUMNS)}. Money is a month, in the settings' currency."
    )

    def add_arguments(self, parser):
        group = parser.add_mutually_exclusive_group(required=True)
        group.add_argument("--series", help="the series' slug")
        group.add_argument("--programme", help="one programme's slug")
        parser.add_argument("--out", type=Path, help="file to write (default: standard output)")

    def handle(self, *args, series, programme, out, **options):
        if series:
            found = Series.objects.filter(slug=series).first()
            if found is None:
                raise CommandError(f"There is no series with the slug {series!r}.")
            waves = dict(Programme.objects.filter(series=found).values_list("pk", "slug"))
        else:
            waves = dict(Programme.objects.filter(slug=programme).values_list("pk", "slug"))
            if not waves:
                raise CommandError(f"There is no programme with the slug {programme!r}.")
        if out is None:
            try:
                value_export(wave_ids=list(waves), waves=waves, out=self.stdout)
            except BrokenPipeError:
                os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            return
        try:
            with out.open("w", encoding="utf-8", newline="") as stream:
                count = value_export(wave_ids=list(waves), waves=waves, out=stream)
        except OSError as exc:
            raise CommandError(f"{out} cannot be written: {exc.strerror}.") from None
        self.stderr.write(f"Wrote {count} item(s) to {out}.")
