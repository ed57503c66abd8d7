"""Reading each roster file's rows: every cell cleaned by the rules of `fields.py`, every
failure reported at its row's line, the valid rows kept on the `ImportRun` as `Record`s (in
the file's terms: codes and e-mail addresses, not ids).
"""

from collections.abc import Callable, Iterable
from typing import Any

from django.db import models
from django.utils.translation import gettext as _

from shadowing.organisation.models import Department, Person, Site
from shadowing.organisation.roster.csvfile import Row, Table
from shadowing.organisation.roster.fields import (
    Invalid,
    check_languages_for_roles,
    clean_channel,
    clean_code,
    clean_country,
    clean_email,
    clean_languages,
    clean_roles,
    clean_subdivision,
    clean_text,
    clean_timezone,
    clean_visitor_limit,
    shown,
    split_list,
)
from shadowing.organisation.roster.run import ImportRun, Record


def _max_length(model: type[models.Model], name: str) -> int:
    return model._meta.get_field(name).max_length


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


def _unique(
    run: ImportRun, file: str, row: Row, key: str, seen: dict[str, tuple[int, str]], label: str
) -> bool:
    """False (and an error) when `key` was already on an earlier line, ignoring case."""
    folded = key.lower()
    if folded in seen:
        line, first = seen[folded]
        same = _(" (ignoring case: {first})").format(first=first) if first != key else ""
        run.error(
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
    run: ImportRun, file: str, row: Row, code: str, existing: Iterable[str], kind: str
) -> bool:
    """A new code that differs only by case from an existing one is almost surely a typo:
    refuse it rather than create a second department or site."""
    if code in existing:
        return False
    for other in existing:
        if other.lower() == code.lower():
            run.error(
                file,
                row.line,
                _("code {code} differs only by case from the existing {kind} {other}").format(
                    code=shown(code), kind=kind, other=shown(other)
                ),
            )
            return True
    return False


def _read_place(run: ImportRun, check: "_RowCheck", cells, values, existing_rows) -> None:
    """The optional `country` and `subdivision` columns of a site or department row."""
    if "country" in cells:
        values["country"] = check(clean_country, cells["country"])
    if "subdivision" in cells:
        country = values.get("country")
        if "country" not in cells:
            existing = existing_rows.get(cells["code"].strip())
            country = existing["country"] if existing else ""
        if country is not None:
            values["subdivision"] = check(clean_subdivision, cells["subdivision"], country=country)
        else:
            check.ok = False  # the country's own error is reported already


def read_departments(run: ImportRun, table: Table) -> None:
    seen: dict[str, tuple[int, str]] = {}
    has_head = "head_email" in table.columns
    has_name_fr = "name_fr" in table.columns
    existing_lower = {code.lower(): code for code in run.org.departments}
    for row in table.rows:
        check = _RowCheck(run.error, table.file, row.line)
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
        values = {"name": name, "head_email": head}
        # Optional: a file without the column keeps the French names the departments have.
        if has_name_fr:
            values["name_fr"] = check(
                clean_text,
                row.cells["name_fr"],
                label="name_fr",
                max_length=_max_length(Department, "name_fr"),
            )
        # Whose public holidays its working days skip: optional, as for sites.
        _read_place(run, check, row.cells, values, run.org.departments)
        if code is None or not _unique(run, table.file, row, code, seen, "code"):
            continue
        run.department_keys.add(code)
        if code.lower() in existing_lower and _code_clash(
            run, table.file, row, code, [existing_lower[code.lower()]], _("department")
        ):
            continue
        if check.ok:
            run.departments[code] = Record(code, row.line, values)


def read_sites(run: ImportRun, table: Table) -> None:
    seen: dict[str, tuple[int, str]] = {}
    existing_lower = {code.lower(): code for code in run.org.sites}
    for row in table.rows:
        cells = row.cells
        check = _RowCheck(run.error, table.file, row.line)
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
            values["daily_visitor_limit"] = check(clean_visitor_limit, cells["daily_visitor_limit"])
        # Holiday calendar: optional columns, so a file without them keeps the sites' own.
        _read_place(run, check, cells, values, run.org.sites)
        code = check(clean_code, cells["code"], label="code", max_length=_max_length(Site, "code"))
        if code is None or not _unique(run, table.file, row, code, seen, "code"):
            continue
        run.site_keys.add(code)
        if code.lower() in existing_lower and _code_clash(
            run, table.file, row, code, [existing_lower[code.lower()]], _("site")
        ):
            continue
        if check.ok:
            run.sites[code] = Record(code, row.line, values)


def read_people(run: ImportRun, table: Table) -> None:
    seen: dict[str, tuple[int, str]] = {}
    text_length = {name: _max_length(Person, name) for name in ("full_name", "title")}
    department_length = _max_length(Department, "code")
    site_length = _max_length(Site, "code")
    for row in table.rows:
        cells = row.cells
        check = _RowCheck(run.error, table.file, row.line)
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
            "languages": check(lambda cell: clean_languages(split_list(cell)), cells["languages"]),
            "roles": check(lambda cell: clean_roles(split_list(cell)), cells["roles"]),
        }
        if values["roles"] is not None and values["languages"] is not None:
            check(check_languages_for_roles, values["languages"], values["roles"])
        if email is None or not _unique(run, table.file, row, email, seen, "email"):
            continue
        run.person_keys.add(email)
        if check.ok:
            run.people[email] = Record(email, row.line, values)
        else:
            run.invalid_people.append(Record(email, row.line, values))
