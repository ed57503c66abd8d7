"""`import_roster DIR [--dry-run]`: the HR roster files of a folder, all or nothing."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from shadowing.organisation.roster.columns import FILE_NAMES
from shadowing.organisation.roster.csvfile import MAX_FILE_BYTES
from shadowing.organisation.roster.importer import roster_import

# A dry run is for reading the changes, but 25,000 "new" lines help nobody: -v 2 lists them all.
PREVIEW_LINES = 200


class Command(BaseCommand):
    help = (
        "Import departments.csv, sites.csv and people.csv (whichever DIR holds) into the roster. "
        "All or nothing: on any error nothing is written and every error is listed as "
        "FILE:LINE: message. People missing from people.csv are kept (an HR import upserts)."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", metavar="DIR", help="folder holding the CSV files")
        parser.add_argument(
            "--dry-run", action="store_true", help="check and show the changes; write nothing"
        )

    def handle(self, *args, directory: str, dry_run: bool, **options):
        folder = Path(directory)
        if not folder.is_dir():
            problem = "is a file, not a folder" if folder.exists() else "no such folder"
            raise CommandError(f"{directory}: {problem}")
        files, ignored = _read_files(folder)
        if not files:
            raise CommandError(
                f"{directory} holds none of {', '.join(FILE_NAMES)}: nothing to import"
            )
        for name in ignored:
            self.stdout.write(f"{name}: ignored (import_roster reads {', '.join(FILE_NAMES)})")

        result = roster_import(files=files, dry_run=dry_run)

        for warning in result.warnings:
            self.stdout.write(self.style.WARNING(f"warning: {warning}"))
        if not result.ok:
            count = len(result.errors)
            raise CommandError(
                "\n".join(
                    [
                        f"the import was refused, nothing was written "
                        f"({count} error{'s' if count != 1 else ''}):",
                        *(str(error) for error in result.errors),
                    ]
                )
            )
        if dry_run or options["verbosity"] >= 2:
            listed = result.changes if options["verbosity"] >= 2 else result.changes[:PREVIEW_LINES]
            for change in listed:
                self.stdout.write(f"  {change}")
            if len(listed) < len(result.changes):
                more = len(result.changes) - len(listed)
                self.stdout.write(f"  ... and {more} more (-v 2 lists them all)")
        for line in result.summary_lines():
            self.stdout.write(line)
        if dry_run:
            self.stdout.write(self.style.SUCCESS("dry run: nothing was written"))
        else:
            self.stdout.write(self.style.SUCCESS("roster imported"))


def _read_files(folder: Path) -> tuple[dict[str, bytes], list[str]]:
    """The roster files of `folder` (a name differing only by case, People.CSV, counts too),
    each read up to one byte past the size limit, so that a huge file is refused by the import
    without being read whole; and the names of the other CSV files, which are ignored."""
    try:
        by_lower = {p.name.lower(): p for p in folder.iterdir() if p.is_file()}
    except OSError as exc:
        raise CommandError(f"{folder}: cannot be read ({exc.strerror})") from None
    files: dict[str, bytes] = {}
    for name in FILE_NAMES:
        path = folder / name if (folder / name).is_file() else by_lower.get(name)
        if path is None:
            continue
        try:
            with path.open("rb") as handle:
                files[name] = handle.read(MAX_FILE_BYTES + 1)
        except OSError as exc:
            raise CommandError(f"{path}: cannot be read ({exc.strerror})") from None
    ignored = sorted(
        p.name
        for lower, p in by_lower.items()
        if lower.endswith(".csv") and lower not in FILE_NAMES
    )
    return files, ignored
