"""The availability import as a whole: `availability_import` refuses what cannot be an import,
reads and checks every row of the files given (`rows.py`), and only if all are right plans the
replacement (`plan.py`) and, unless a dry run, writes it (`apply.py`) in one transaction.
"""

from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from shadowing.organisation.roster.csvfile import Problem, read_table
from shadowing.programmes.availability.apply import apply_replacement
from shadowing.programmes.availability.columns import (
    AVAILABILITY_COLUMNS,
    AVAILABILITY_FILE,
    FILE_NAMES,
    SHIFT_COLUMNS,
    SHIFTS_FILE,
)
from shadowing.programmes.availability.plan import plan_replacement
from shadowing.programmes.availability.result import AvailabilityImport
from shadowing.programmes.availability.rows import check_availability, check_shifts, people_named_in
from shadowing.programmes.models import Programme, ProgrammeStatus


def availability_import(
    *, programme: Programme, files: Mapping[str, bytes], dry_run: bool
) -> AvailabilityImport:
    """Replace the programme's shifts and/or availability with the given files' contents.

    `files` maps `shifts.csv` and/or `availability.csv` to their bytes. All-or-nothing: if any
    row of any file is wrong, `errors` lists every problem as `FILE:LINE: message` and nothing
    is written. Re-importing the same files changes nothing. Raises ValidationError for a
    request that cannot be an import at all (no file, unknown file, a closed programme).
    """
    unknown = sorted(set(files) - set(FILE_NAMES))
    if unknown:
        raise ValidationError(
            _("Only shifts.csv and availability.csv can be imported, not %(names)s.")
            % {"names": ", ".join(unknown)}
        )
    if not files:
        raise ValidationError(_("Give shifts.csv, availability.csv or both."))
    if programme.status == ProgrammeStatus.CLOSED:
        raise ValidationError(_("The programme is closed: its shifts can no longer change."))

    result = AvailabilityImport(dry_run=dry_run)
    reads = {
        name: read_table(
            name,
            files[name],
            required=SHIFT_COLUMNS if name == SHIFTS_FILE else AVAILABILITY_COLUMNS,
        )
        for name in FILE_NAMES
        if name in files
    }
    people = people_named_in(reads.values())
    problems: list[Problem] = []
    new_shifts = new_availability = None
    if SHIFTS_FILE in reads:
        new_shifts = check_shifts(reads[SHIFTS_FILE], programme, people, problems)
    if AVAILABILITY_FILE in reads:
        new_availability = check_availability(reads[AVAILABILITY_FILE], programme, people, problems)
    for read in reads.values():
        problems += read.errors
        result.warnings += [str(warning) for warning in read.warnings]
    # By file and line; a row's own problems stay in the order of its columns.
    result.errors = [str(p) for p in sorted(problems, key=lambda p: (p.file, p.line))]
    if result.errors:
        return result

    with transaction.atomic():
        # Serialises imports and pairing runs of one programme (a no-op on SQLite, which
        # serialises every writer anyway).
        Programme.objects.select_for_update().filter(pk=programme.pk).first()
        replacement = plan_replacement(programme, new_shifts, new_availability, result)
        if not dry_run:
            apply_replacement(programme, replacement)
    return result
