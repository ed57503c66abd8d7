import datetime as dt

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from shadowing.management.errors import command_error
from shadowing.programmes.models import Series
from shadowing.programmes.services import programme_create


def _date(option: str, value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"{option} {value!r} is not a date in the form YYYY-MM-DD.") from None


class Command(BaseCommand):
    help = "Create a shadowing programme (in draft) over a window of dates."

    def add_arguments(self, parser):
        parser.add_argument("slug", help="short name used in URLs and files, e.g. spring-2027")
        parser.add_argument("--name", required=True, help="the programme's title")
        parser.add_argument("--start", required=True, help="first day, YYYY-MM-DD")
        parser.add_argument("--end", required=True, help="last day, YYYY-MM-DD")
        parser.add_argument(
            "--days-per-executive", type=int, default=1, help="visits per executive: 1 or 2"
        )
        parser.add_argument(
            "--max-days-per-agent", type=int, default=2, help="most days one agent hosts"
        )
        parser.add_argument(
            "--reporting-depth",
            type=int,
            default=3,
            help="levels of an agent's management chain that may not shadow them",
        )
        parser.add_argument(
            "--allow-cross-region",
            action="store_true",
            help="let executives visit sites outside their home site's region",
        )
        parser.add_argument(
            "--series",
            metavar="SLUG",
            default=None,
            help="the series this programme is a wave of (an existing series' slug)",
        )

    def handle(self, *args, slug, name, start, end, **options):
        series = None
        if options["series"]:
            series = Series.objects.filter(slug=options["series"]).first()
            if series is None:
                raise CommandError(f"--series: no series with the slug {options['series']!r}.")
        try:
            programme = programme_create(
                slug=slug,
                name=name,
                start_date=_date("--start", start),
                end_date=_date("--end", end),
                days_per_executive=options["days_per_executive"],
                max_days_per_agent=options["max_days_per_agent"],
                reporting_depth=options["reporting_depth"],
                allow_cross_region=options["allow_cross_region"],
                series=series,
            )
        except ValidationError as exc:
            raise command_error(exc) from None
        self.stdout.write(
            f"Created programme {programme.slug}: {programme.name}, "
            f"{programme.start_date} to {programme.end_date} ({programme.status})."
            + (f" Wave of series {series.slug}." if series else "")
        )
