"""manage.py company_days: the company's days off, from the command line.

company_days list [--from YYYY-MM-DD] [--to YYYY-MM-DD]
company_days add YYYY-MM-DD "Holiday shutdown"
company_days remove YYYY-MM-DD
company_days import FILE.csv        (columns date,name; all or nothing; re-importing
                                     changes nothing, a known date is renamed)
"""

import csv
import datetime as dt

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from shadowing.organisation.company_days import (
    company_day_add,
    company_day_remove,
    company_days_import,
    company_days_list,
)


def _date(text: str, what: str = "date") -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"{what} {text!r} is not a date as YYYY-MM-DD.") from None


def _refused(exc: ValidationError, prefix: str = "") -> CommandError:
    if hasattr(exc, "error_dict"):
        lines = [f"{field}: {m}" for field, ms in exc.message_dict.items() for m in ms]
    else:
        lines = exc.messages
    return CommandError("\n".join(f"{prefix}{line}" for line in lines))


class Command(BaseCommand):
    help = "List, add, remove or import (CSV date,name) the company's days off."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        listing = actions.add_parser("list", help="the company days off, by date")
        listing.add_argument("--from", dest="start", help="from this date (YYYY-MM-DD)")
        listing.add_argument("--to", dest="end", help="up to this date (YYYY-MM-DD)")
        add = actions.add_parser("add", help="add a company day off")
        add.add_argument("date", help="YYYY-MM-DD")
        add.add_argument("name", help='e.g. "Holiday shutdown"')
        remove = actions.add_parser("remove", help="make a company day off a working day again")
        remove.add_argument("date", help="YYYY-MM-DD")
        importing = actions.add_parser("import", help="add the days of a CSV file (date,name)")
        importing.add_argument("file", help="UTF-8 CSV with a header row: date,name")

    def handle(self, *args, action, **options):
        getattr(self, f"do_{action}")(**options)

    def do_list(self, *, start=None, end=None, **_options):
        days = company_days_list(
            _date(start, "--from") if start else None, _date(end, "--to") if end else None
        )
        for day in days:
            self.stdout.write(f"{day.date.isoformat()}\t{day.name}")

    def do_add(self, *, date, name, **_options):
        try:
            day = company_day_add(date=_date(date), name=name)
        except ValidationError as exc:
            raise _refused(exc) from None
        self.stdout.write(f"added {day.date.isoformat()} {day.name}")

    def do_remove(self, *, date, **_options):
        try:
            company_day_remove(date=_date(date))
        except ValidationError as exc:
            raise _refused(exc) from None
        self.stdout.write(f"removed {date}")

    def do_import(self, *, file, **_options):
        try:
            with open(file, encoding="utf-8-sig", newline="") as handle:
                reader = csv.DictReader(handle)
                missing = {"date", "name"} - {(c or "").strip() for c in reader.fieldnames or []}
                if missing:
                    raise CommandError(
                        f"{file}:1: the header must name the columns date and name "
                        f"(missing: {', '.join(sorted(missing))})"
                    )
                rows = [
                    (
                        reader.line_num,
                        (row.get("date") or "").strip(),
                        (row.get("name") or "").strip(),
                    )
                    for row in reader
                    if any(
                        (value or "").strip() for value in row.values() if isinstance(value, str)
                    )
                ]
        except OSError as exc:
            raise CommandError(f"{file}: {exc.strerror}") from None
        except UnicodeDecodeError:
            raise CommandError(f"{file}: not a UTF-8 text file") from None
        try:
            days = company_days_import(rows)
        except ValidationError as exc:
            raise _refused(exc, prefix=f"{file}:") from None
        self.stdout.write(f"{len(days)} company days off in {file}")
