"""The checks across the roster files, after each file's rows are read: references to
departments, sites and managers that exist (in the files or the roster), no manager cycles, and
department heads who are department_heads of that very department, all as they will be after
the import.
"""

import functools

from django.utils.translation import gettext as _

from shadowing.organisation.roster.columns import DEPARTMENTS, PEOPLE, SITES
from shadowing.organisation.roster.fields import (
    department_head_problem,
    describe_cycle,
    find_manager_cycles,
    shown,
)
from shadowing.organisation.roster.run import ImportRun


def check_people_references(run: ImportRun) -> None:
    departments = run.department_keys | run.org.departments.keys()
    sites = run.site_keys | run.org.sites.keys()
    people = run.person_keys | run.org.people.keys()
    lower_departments = {code.lower(): code for code in departments}
    lower_sites = {code.lower(): code for code in sites}
    unusable: list[str] = []
    for record in [*run.people.values(), *run.invalid_people]:
        values = record.values
        problems: list[str] = []
        code = values["department_code"]
        if code is not None and code not in departments and DEPARTMENTS not in run.broken:
            problems.append(_unknown(_("department"), code, lower_departments, DEPARTMENTS))
        code = values["site_code"]
        if code is not None and code not in sites and SITES not in run.broken:
            problems.append(_unknown(_("site"), code, lower_sites, SITES))
        manager = values["manager_email"]
        if manager and manager not in people:
            problems.append(
                _("unknown manager {email}: not in people.csv nor in the roster").format(
                    email=shown(manager)
                )
            )
        for message in problems:
            run.error(PEOPLE, record.line, message)
        if problems:
            unusable.append(record.key)
    for email in unusable:
        run.people.pop(email, None)


def _final_manager(run: ImportRun, email: str) -> str | None:
    record = run.people.get(email)
    if record is not None:
        return record.values["manager_email"] or None
    row = run.org.people.get(email)
    if row is None or row["manager_id"] is None:
        return None
    return run.org.email_by_id.get(row["manager_id"])


def check_manager_cycles(run: ImportRun) -> None:
    for cycle in find_manager_cycles(list(run.people), functools.partial(_final_manager, run)):
        for email in cycle:
            if email in run.people:
                run.error(PEOPLE, run.people[email].line, describe_cycle(cycle, email))


def _final_person(run: ImportRun, email: str) -> tuple[bool, str | None] | None:
    """(is a department head, department code) of the person after this import, or None
    if they are nowhere."""
    record = run.people.get(email)
    if record is not None:
        return "department_head" in record.values["roles"], record.values["department_code"]
    row = run.org.people.get(email)
    if row is None:
        return None
    return row["is_department_head"], run.org.department_by_id.get(row["department_id"])


def check_heads(run: ImportRun) -> None:
    """A head is a person with role department_head in that very department, after the
    import: whether named in departments.csv now, or named earlier and changed by people.csv
    now."""
    people_unknowable = PEOPLE in run.broken
    assigned: set[str] = set()
    if DEPARTMENTS in run.tables and "head_email" in run.tables[DEPARTMENTS].columns:
        assigned = set(run.departments)
        for code, record in run.departments.items():
            email = record.values["head_email"]
            if (
                not email
                or people_unknowable
                or (email in run.person_keys and email not in run.people)
            ):
                continue  # no head, or the head's own row is already reported
            person = _final_person(run, email)
            if person is None:
                where = (
                    _("not in people.csv nor in the roster")
                    if PEOPLE in run.files
                    else _(
                        "not in the roster (import people.csv with them, in this import or before)"
                    )
                )
                run.error(
                    DEPARTMENTS,
                    record.line,
                    _("head_email {email} is {where}").format(email=shown(email), where=where),
                )
                continue
            problem = department_head_problem(
                email=email, is_department_head=person[0], department_code=person[1], code=code
            )
            if problem:
                run.error(DEPARTMENTS, record.line, problem)
    if not run.people:
        return
    for code, row in run.org.departments.items():
        email = run.org.email_by_id.get(row["head_id"])
        if code in assigned or email not in run.people:
            continue
        record = run.people[email]
        problem = department_head_problem(
            email=email,
            is_department_head="department_head" in record.values["roles"],
            department_code=record.values["department_code"],
            code=code,
        )
        if problem:
            run.error(
                PEOPLE,
                record.line,
                _(
                    "{problem}; they head {code} now: "
                    "name another head in departments.csv in the same import"
                ).format(problem=problem, code=code),
            )


def _unknown(kind: str, code: str, lower: dict[str, str], file: str) -> str:
    suggestion = lower.get(code.lower())
    hint = _(" (did you mean {code}?)").format(code=shown(suggestion)) if suggestion else ""
    return _("unknown {kind} {code}: not in {file} nor in the roster{hint}").format(
        kind=kind, code=shown(code), file=file, hint=hint
    )
