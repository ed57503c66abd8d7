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
"""

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, models, transaction
from django.utils.translation import gettext as _

from shadowing.organisation.models import Department, Person, Site
from shadowing.organisation.roster.csvfile import MAX_FILE_BYTES, Problem, Row, Table, read_table
from shadowing.organisation.roster.fields import (
    Invalid,
    check_languages_for_roles,
    clean_channel,
    clean_code,
    clean_email,
    clean_languages,
    clean_roles,
    clean_text,
    clean_timezone,
    clean_visitor_limit,
    department_head_problem,
    describe_cycle,
    find_manager_cycles,
    shown,
    split_list,
)
from shadowing.organisation.roster.result import Change, Counts, FieldChange, RosterImportResult
from shadowing.organisation.roster.store import Organisation, Plan, apply_plans

DEPARTMENTS, SITES, PEOPLE = "departments.csv", "sites.csv", "people.csv"
FILE_NAMES = (DEPARTMENTS, SITES, PEOPLE)
# The upload field (web form, API multipart) that carries each file.
UPLOAD_FIELDS = {"departments": DEPARTMENTS, "sites": SITES, "people": PEOPLE}

# (required, optional) columns of each file.
COLUMNS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    DEPARTMENTS: (("code", "name"), ("head_email",)),
    SITES: (("code", "name", "region", "timezone", "channel"), ("address", "daily_visitor_limit")),
    PEOPLE: (
        (
            "email",
            "full_name",
            "title",
            "department_code",
            "manager_email",
            "site_code",
            "languages",
            "roles",
        ),
        (),
    ),
}

PERSON_FIELDS = ("full_name", "title", "department_code", "manager_email", "site_code")


def _max_length(model: type[models.Model], name: str) -> int:
    return model._meta.get_field(name).max_length


@dataclass
class _Record:
    """A valid row: its key, where it is, and the values it asks for (in the file's terms:
    codes and e-mail addresses, not ids)."""

    key: str
    line: int
    values: dict[str, Any]


class _RowCheck:
    """Runs the cleaners of one row, reporting each failure at the row's line; a row whose
    check is not `ok` is not imported (and the import as a whole is refused)."""

    def __init__(self, report: Callable[[str, int, str], None], file: str, line: int):
        self.report, self.file, self.line, self.ok = report, file, line, True

    def __call__(self, clean: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        try:
            return clean(*args, **kwargs)
        except Invalid as exc:
            self.fail(exc.message)
            return None

    def fail(self, message: str) -> None:
        self.ok = False
        self.report(self.file, self.line, message)


def roster_import(*, files: Mapping[str, bytes], dry_run: bool = False) -> RosterImportResult:
    """Import whichever of departments.csv, sites.csv and people.csv `files` holds (name ->
    bytes). With `dry_run`, or on any error, nothing is written; the result says what was (or
    would be) created and updated, field by field, and lists every warning and error."""
    unknown = set(files) - set(FILE_NAMES)
    if unknown:
        raise ValueError(f"not roster files: {sorted(unknown)}")
    run = _ImportRun(files, dry_run=dry_run)
    if not files:
        run.result.errors.append(
            Problem("", 0, _("nothing to import: give departments.csv, sites.csv or people.csv"))
        )
        return run.result
    try:
        if dry_run:
            run.check_and_apply()
        else:
            with transaction.atomic():
                run.check_and_apply()
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


class _ImportRun:
    def __init__(self, files: Mapping[str, bytes], *, dry_run: bool):
        self.files = files
        self.result = RosterImportResult(
            dry_run=dry_run, files=tuple(name for name in FILE_NAMES if name in files)
        )
        self.tables: dict[str, Table] = {}
        # Files given but unreadable: references into them are not reported as unknown, the
        # file's own error already says what is wrong.
        self.broken: set[str] = set()
        self.departments: dict[str, _Record] = {}
        self.sites: dict[str, _Record] = {}
        self.people: dict[str, _Record] = {}
        # Keys of rows that are in the file, valid or not: a row with a bad title still defines
        # its person, so rows that name them as manager are not reported too.
        self.department_keys: set[str] = set()
        self.site_keys: set[str] = set()
        self.person_keys: set[str] = set()
        # Rows with a usable e-mail but a bad cell: not imported, but their references are
        # still checked, so that one run lists every error of the row.
        self.invalid_people: list[_Record] = []
        self.org = Organisation()

    # Reporting ----------------------------------------------------------------------------

    def error(self, file: str, line: int, message: str) -> None:
        self.result.errors.append(Problem(file, line, message))

    def warn(self, file: str, line: int, message: str) -> None:
        self.result.warnings.append(Problem(file, line, message))

    # The run ------------------------------------------------------------------------------

    def check_and_apply(self) -> None:
        for name in FILE_NAMES:
            if name not in self.files:
                continue
            required, optional = COLUMNS[name]
            read = read_table(
                name,
                self.files[name],
                required=required,
                optional=optional,
                max_bytes=MAX_FILE_BYTES,
            )
            self.result.errors.extend(read.errors)
            self.result.warnings.extend(read.warnings)
            if read.table is None:
                self.broken.add(name)
            else:
                self.tables[name] = read.table

        needs_people = PEOPLE in self.tables or (
            DEPARTMENTS in self.tables and "head_email" in self.tables[DEPARTMENTS].columns
        )
        self.org = Organisation.load(with_people=needs_people)

        if DEPARTMENTS in self.tables:
            self.read_departments(self.tables[DEPARTMENTS])
        if SITES in self.tables:
            self.read_sites(self.tables[SITES])
        if PEOPLE in self.tables:
            self.read_people(self.tables[PEOPLE])
            self.check_people_references()
            self.check_manager_cycles()
        self.check_heads()

        order = {name: index for index, name in enumerate(("", *FILE_NAMES))}
        for problems in (self.result.errors, self.result.warnings):
            problems.sort(key=lambda p: (order.get(p.file, 0), p.line))
        if self.result.errors:
            return

        department_plan = self.plan_departments()
        site_plan = self.plan_sites()
        people_plan = self.plan_people()
        if not self.result.dry_run and self.result.changed:
            apply_plans(self.org, department_plan, site_plan, people_plan)
            self.result.applied = True

    # Reading and checking each file -------------------------------------------------------

    def _unique(
        self, file: str, row: Row, key: str, seen: dict[str, tuple[int, str]], label: str
    ) -> bool:
        """False (and an error) when `key` was already on an earlier line, ignoring case."""
        folded = key.lower()
        if folded in seen:
            line, first = seen[folded]
            same = _(" (ignoring case: {first})").format(first=first) if first != key else ""
            self.error(
                file,
                row.line,
                _("{label} {key} is already on line {line}{same}").format(
                    label=label, key=shown(key), line=line, same=same
                ),
            )
            return False
        seen[folded] = (row.line, key)
        return True

    def _code_clash(
        self, file: str, row: Row, code: str, existing: Iterable[str], kind: str
    ) -> bool:
        """A new code that differs only by case from an existing one is almost surely a typo:
        refuse it rather than create a second department or site."""
        if code in existing:
            return False
        for other in existing:
            if other.lower() == code.lower():
                self.error(
                    file,
                    row.line,
                    _("code {code} differs only by case from the existing {kind} {other}").format(
                        code=shown(code), kind=kind, other=shown(other)
                    ),
                )
                return True
        return False

    def read_departments(self, table: Table) -> None:
        seen: dict[str, tuple[int, str]] = {}
        has_head = "head_email" in table.columns
        existing_lower = {code.lower(): code for code in self.org.departments}
        for row in table.rows:
            check = _RowCheck(self.error, table.file, row.line)
            code = check(
                clean_code,
                row.cells["code"],
                label="code",
                max_length=_max_length(Department, "code"),
            )
            name = check(
                clean_text,
                row.cells["name"],
                label="name",
                max_length=_max_length(Department, "name"),
                required=True,
            )
            head = (
                check(clean_email, row.cells["head_email"], label="head_email", required=False)
                if has_head
                else None
            )
            if code is None or not self._unique(table.file, row, code, seen, "code"):
                continue
            self.department_keys.add(code)
            if code.lower() in existing_lower and self._code_clash(
                table.file, row, code, [existing_lower[code.lower()]], _("department")
            ):
                continue
            if check.ok:
                self.departments[code] = _Record(code, row.line, {"name": name, "head_email": head})

    def read_sites(self, table: Table) -> None:
        seen: dict[str, tuple[int, str]] = {}
        existing_lower = {code.lower(): code for code in self.org.sites}
        for row in table.rows:
            cells = row.cells
            check = _RowCheck(self.error, table.file, row.line)
            values = {
                "name": check(
                    clean_text,
                    cells["name"],
                    label="name",
                    max_length=_max_length(Site, "name"),
                    required=True,
                ),
                "region": check(
                    clean_text,
                    cells["region"],
                    label="region",
                    max_length=_max_length(Site, "region"),
                    required=True,
                ),
                "timezone": check(clean_timezone, cells["timezone"]),
                "channel": check(clean_channel, cells["channel"]),
            }
            if "address" in cells:
                values["address"] = check(
                    clean_text,
                    cells["address"],
                    label="address",
                    max_length=_max_length(Site, "address"),
                    multiline=True,
                )
            if "daily_visitor_limit" in cells:
                values["daily_visitor_limit"] = check(
                    clean_visitor_limit, cells["daily_visitor_limit"]
                )
            code = check(
                clean_code, cells["code"], label="code", max_length=_max_length(Site, "code")
            )
            if code is None or not self._unique(table.file, row, code, seen, "code"):
                continue
            self.site_keys.add(code)
            if code.lower() in existing_lower and self._code_clash(
                table.file, row, code, [existing_lower[code.lower()]], _("site")
            ):
                continue
            if check.ok:
                self.sites[code] = _Record(code, row.line, values)

    def read_people(self, table: Table) -> None:
        seen: dict[str, tuple[int, str]] = {}
        text_length = {name: _max_length(Person, name) for name in ("full_name", "title")}
        department_length = _max_length(Department, "code")
        site_length = _max_length(Site, "code")
        for row in table.rows:
            cells = row.cells
            check = _RowCheck(self.error, table.file, row.line)
            email = check(clean_email, cells["email"], label="email")
            values = {
                "full_name": check(
                    clean_text,
                    cells["full_name"],
                    label="full_name",
                    max_length=text_length["full_name"],
                    required=True,
                ),
                "title": check(
                    clean_text, cells["title"], label="title", max_length=text_length["title"]
                ),
                "department_code": check(
                    clean_code,
                    cells["department_code"],
                    label="department_code",
                    max_length=department_length,
                ),
                "manager_email": check(
                    clean_email, cells["manager_email"], label="manager_email", required=False
                ),
                "site_code": check(
                    clean_code, cells["site_code"], label="site_code", max_length=site_length
                ),
                "languages": check(
                    lambda cell: clean_languages(split_list(cell)), cells["languages"]
                ),
                "roles": check(lambda cell: clean_roles(split_list(cell)), cells["roles"]),
            }
            if values["roles"] is not None and values["languages"] is not None:
                check(check_languages_for_roles, values["languages"], values["roles"])
            if email is None or not self._unique(table.file, row, email, seen, "email"):
                continue
            self.person_keys.add(email)
            if check.ok:
                self.people[email] = _Record(email, row.line, values)
            else:
                self.invalid_people.append(_Record(email, row.line, values))

    def check_people_references(self) -> None:
        departments = self.department_keys | self.org.departments.keys()
        sites = self.site_keys | self.org.sites.keys()
        people = self.person_keys | self.org.people.keys()
        lower_departments = {code.lower(): code for code in departments}
        lower_sites = {code.lower(): code for code in sites}
        unusable: list[str] = []
        for record in [*self.people.values(), *self.invalid_people]:
            values = record.values
            problems: list[str] = []
            code = values["department_code"]
            if code is not None and code not in departments and DEPARTMENTS not in self.broken:
                problems.append(_unknown(_("department"), code, lower_departments, DEPARTMENTS))
            code = values["site_code"]
            if code is not None and code not in sites and SITES not in self.broken:
                problems.append(_unknown(_("site"), code, lower_sites, SITES))
            manager = values["manager_email"]
            if manager and manager not in people:
                problems.append(
                    _("unknown manager {email}: not in people.csv nor in the roster").format(
                        email=shown(manager)
                    )
                )
            for message in problems:
                self.error(PEOPLE, record.line, message)
            if problems:
                unusable.append(record.key)
        for email in unusable:
            self.people.pop(email, None)

    def _final_manager(self, email: str) -> str | None:
        record = self.people.get(email)
        if record is not None:
            return record.values["manager_email"] or None
        row = self.org.people.get(email)
        if row is None or row["manager_id"] is None:
            return None
        return self.org.email_by_id.get(row["manager_id"])

    def check_manager_cycles(self) -> None:
        for cycle in find_manager_cycles(list(self.people), self._final_manager):
            for email in cycle:
                if email in self.people:
                    self.error(PEOPLE, self.people[email].line, describe_cycle(cycle, email))

    def _final_person(self, email: str) -> tuple[bool, str | None] | None:
        """(is a department head, department code) of the person after this import, or None
        if they are nowhere."""
        record = self.people.get(email)
        if record is not None:
            return "department_head" in record.values["roles"], record.values["department_code"]
        row = self.org.people.get(email)
        if row is None:
            return None
        return row["is_department_head"], self.org.department_by_id.get(row["department_id"])

    def check_heads(self) -> None:
        """A head is a person with role department_head in that very department, after the
        import: whether named in departments.csv now, or named earlier and changed by people.csv
        now."""
        people_unknowable = PEOPLE in self.broken
        assigned: set[str] = set()
        if DEPARTMENTS in self.tables and "head_email" in self.tables[DEPARTMENTS].columns:
            assigned = set(self.departments)
            for code, record in self.departments.items():
                email = record.values["head_email"]
                if (
                    not email
                    or people_unknowable
                    or (email in self.person_keys and email not in self.people)
                ):
                    continue  # no head, or the head's own row is already reported
                person = self._final_person(email)
                if person is None:
                    where = (
                        _("not in people.csv nor in the roster")
                        if PEOPLE in self.files
                        else _(
                            "not in the roster (import people.csv with them, "
                            "in this import or before)"
                        )
                    )
                    self.error(
                        DEPARTMENTS,
                        record.line,
                        _("head_email {email} is {where}").format(email=shown(email), where=where),
                    )
                    continue
                problem = department_head_problem(
                    email=email, is_department_head=person[0], department_code=person[1], code=code
                )
                if problem:
                    self.error(DEPARTMENTS, record.line, problem)
        if not self.people:
            return
        for code, row in self.org.departments.items():
            email = self.org.email_by_id.get(row["head_id"])
            if code in assigned or email not in self.people:
                continue
            record = self.people[email]
            problem = department_head_problem(
                email=email,
                is_department_head="department_head" in record.values["roles"],
                department_code=record.values["department_code"],
                code=code,
            )
            if problem:
                self.error(
                    PEOPLE,
                    record.line,
                    _(
                        "{problem}; they head {code} now: "
                        "name another head in departments.csv in the same import"
                    ).format(problem=problem, code=code),
                )

    # Planning: what changes ---------------------------------------------------------------

    def _record_change(
        self, kind: str, file: str, record: _Record, old: dict[str, Any] | None, new: dict[str, Any]
    ) -> list[FieldChange]:
        counts = self.result.counts[kind]
        fields = [
            FieldChange(name, _text(old.get(name) if old else None), _text(value))
            for name, value in new.items()
            if old is None or old.get(name) != value
        ]
        if old is None:
            fields = [change for change in fields if change.new]
            counts.created += 1
            self.result.changes.append(
                Change(kind, "create", record.key, file, record.line, tuple(fields))
            )
        elif fields:
            counts.updated += 1
            self.result.changes.append(
                Change(kind, "update", record.key, file, record.line, tuple(fields))
            )
        else:
            counts.unchanged += 1
        return fields

    def plan_departments(self) -> Plan:
        plan = Plan()
        for code, record in self.departments.items():
            existing = self.org.departments.get(code)
            old = None
            new = {"name": record.values["name"]}
            if existing is not None:
                old = {
                    "name": existing["name"],
                    "head_email": self.org.email_by_id.get(existing["head_id"], ""),
                }
            if record.values["head_email"] is not None:
                new["head_email"] = record.values["head_email"]
                if existing is not None and old["head_email"] and not new["head_email"]:
                    self.warn(
                        DEPARTMENTS,
                        record.line,
                        _("{code} will have no head (it was {email})").format(
                            code=code, email=old["head_email"]
                        ),
                    )
            changes = self._record_change("departments", DEPARTMENTS, record, old, new)
            plan.add(code, existing, new, changes)
        return plan

    def plan_sites(self) -> Plan:
        plan = Plan()
        for code, record in self.sites.items():
            existing = self.org.sites.get(code)
            new = dict(record.values)
            old = None
            if existing is not None:
                old = {name: existing[name] for name in new}
            changes = self._record_change("sites", SITES, record, old, new)
            plan.add(code, existing, new, changes)
        return plan

    def plan_people(self) -> Plan:
        plan = Plan()
        for email, record in self.people.items():
            existing = self.org.people.get(email)
            new = dict(record.values)
            old = self.org.person_values(email) if existing is not None else None
            changes = self._record_change("people", PEOPLE, record, old, new)
            if (
                old is not None
                and "coordinator" in old["roles"]
                and "coordinator" not in new["roles"]
            ):
                self.warn(
                    PEOPLE, record.line, _("{email} loses role coordinator").format(email=email)
                )
            plan.add(email, existing, new, changes)
        return plan


def _unknown(kind: str, code: str, lower: dict[str, str], file: str) -> str:
    suggestion = lower.get(code.lower())
    hint = _(" (did you mean {code}?)").format(code=shown(suggestion)) if suggestion else ""
    return _("unknown {kind} {code}: not in {file} nor in the roster{hint}").format(
        kind=kind, code=shown(code), file=file, hint=hint
    )


def _text(value: Any) -> str:
    """How a value reads in the preview: lists as in the file (en;fr), nothing as ''."""
    if value is None:
        return ""
    if isinstance(value, list):
        return ";".join(str(item) for item in value)
    return str(value)
