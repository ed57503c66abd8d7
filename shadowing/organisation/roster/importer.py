"""The roster import: departments.csv, sites.csv and people.csv in, the organisation upserted.

What `roster_import` guarantees (CONTRACT.md, "Roster files"):

- all or nothing: every row of every file given is checked before anything is written, and the
  writes happen in one transaction; one error and nothing changes;
- every error is reported as `FILE:LINE: message`, all of them in one run;
- upsert by code (departments, sites) and by e-mail (people, ignoring case). Nothing is ever
  deleted: an HR extract that leaves someone out does not remove them (deactivate people in the
  admin or through the API);
- re-importing the same files writes nothing and reports 0 created, 0 updated;
- an optional column a file leaves out leaves that field alone (departments.csv without
  `head_email` keeps the heads, sites.csv without `address` keeps the addresses);
- the number of queries does not grow with the files: the organisation is read once into
  memory, and the writes are bulk.

The steps, each in its module: `columns.py` names the files and their columns, `rows.py` reads
and checks each file's rows, `checks.py` checks across the files, `plans.py` works out what
changes, and `store.py` reads the organisation and writes the plans; the `ImportRun` of
`run.py` carries one import's state through them.
"""

from collections.abc import Mapping

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from shadowing.organisation.roster.checks import (
    check_heads,
    check_manager_cycles,
    check_people_references,
)
from shadowing.organisation.roster.columns import COLUMNS, DEPARTMENTS, FILE_NAMES, PEOPLE, SITES
from shadowing.organisation.roster.csvfile import MAX_FILE_BYTES, Problem, read_table
from shadowing.organisation.roster.plans import plan_departments, plan_people, plan_sites
from shadowing.organisation.roster.result import Counts, RosterImportResult
from shadowing.organisation.roster.rows import read_departments, read_people, read_sites
from shadowing.organisation.roster.run import ImportRun
from shadowing.organisation.roster.store import Organisation, apply_plans


def roster_import(*, files: Mapping[str, bytes], dry_run: bool = False) -> RosterImportResult:
    """Import whichever of departments.csv, sites.csv and people.csv `files` holds (name ->
    bytes). With `dry_run`, or on any error, nothing is written; the result says what was (or
    would be) created and updated, field by field, and lists every warning and error."""
    unknown = set(files) - set(FILE_NAMES)
    if unknown:
        raise ValueError(f"not roster files: {sorted(unknown)}")
    run = ImportRun(files, dry_run=dry_run)
    if not files:
        run.result.errors.append(
            Problem("", 0, _("nothing to import: give departments.csv, sites.csv or people.csv"))
        )
        return run.result
    try:
        if dry_run:
            _check_and_apply(run)
        else:
            with transaction.atomic():
                _check_and_apply(run)
    except IntegrityError:
        # Someone else wrote the same codes or e-mails between our read and our write.
        run.result.applied = False
        run.result.changes.clear()
        run.result.counts = {kind: Counts() for kind in run.result.counts}
        run.result.errors.append(
            Problem(
                "",
                0,
                _(
                    "the roster changed while this import ran (another import or edit at the "
                    "same time); nothing was written: run the import again"
                ),
            )
        )
    return run.result


def _check_and_apply(run: ImportRun) -> None:
    for name in FILE_NAMES:
        if name not in run.files:
            continue
        required, optional = COLUMNS[name]
        read = read_table(
            name,
            run.files[name],
            required=required,
            optional=optional,
            max_bytes=MAX_FILE_BYTES,
        )
        run.result.errors.extend(read.errors)
        run.result.warnings.extend(read.warnings)
        if read.table is None:
            run.broken.add(name)
        else:
            run.tables[name] = read.table

    needs_people = PEOPLE in run.tables or (
        DEPARTMENTS in run.tables and "head_email" in run.tables[DEPARTMENTS].columns
    )
    run.org = Organisation.load(with_people=needs_people)

    if DEPARTMENTS in run.tables:
        read_departments(run, run.tables[DEPARTMENTS])
    if SITES in run.tables:
        read_sites(run, run.tables[SITES])
    if PEOPLE in run.tables:
        read_people(run, run.tables[PEOPLE])
        check_people_references(run)
        check_manager_cycles(run)
    check_heads(run)

    order = {name: index for index, name in enumerate(("", *FILE_NAMES))}
    for problems in (run.result.errors, run.result.warnings):
        problems.sort(key=lambda p: (order.get(p.file, 0), p.line))
    if run.result.errors:
        return

    department_plan = plan_departments(run)
    site_plan = plan_sites(run)
    people_plan = plan_people(run)
    if not run.result.dry_run and run.result.changed:
        apply_plans(run.org, department_plan, site_plan, people_plan)
        run.result.applied = True
