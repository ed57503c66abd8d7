"""Planning what a checked roster import changes: for each file, the `Plan` that
`store.apply_plans` writes, and, record by record and field by field, the `Change`s and counts
the result reports (with the warnings a change deserves: a department left without a head, a
coordinator losing the role).
"""

from typing import Any

from django.utils.translation import gettext as _

from shadowing.organisation.roster.columns import DEPARTMENTS, PEOPLE, SITES
from shadowing.organisation.roster.result import Change, FieldChange
from shadowing.organisation.roster.run import ImportRun, Record
from shadowing.organisation.roster.store import Plan


def _record_change(
    run: ImportRun,
    kind: str,
    file: str,
    record: Record,
    old: dict[str, Any] | None,
    new: dict[str, Any],
) -> list[FieldChange]:
    counts = run.result.counts[kind]
    fields = [
        FieldChange(name, _text(old.get(name) if old else None), _text(value))
        for name, value in new.items()
        if old is None or old.get(name) != value
    ]
    if old is None:
        fields = [change for change in fields if change.new]
        counts.created += 1
        run.result.changes.append(
            Change(kind, "create", record.key, file, record.line, tuple(fields))
        )
    elif fields:
        counts.updated += 1
        run.result.changes.append(
            Change(kind, "update", record.key, file, record.line, tuple(fields))
        )
    else:
        counts.unchanged += 1
    return fields


def plan_departments(run: ImportRun) -> Plan:
    plan = Plan()
    for code, record in run.departments.items():
        existing = run.org.departments.get(code)
        old = None
        new = {"name": record.values["name"]}
        for name in ("name_fr", "country", "subdivision"):  # optional columns
            if name in record.values:
                new[name] = record.values[name]
        if existing is not None:
            old = {
                "name": existing["name"],
                "name_fr": existing["name_fr"],
                "country": existing["country"],
                "subdivision": existing["subdivision"],
                "head_email": run.org.email_by_id.get(existing["head_id"], ""),
            }
        if record.values["head_email"] is not None:
            new["head_email"] = record.values["head_email"]
            if existing is not None and old["head_email"] and not new["head_email"]:
                run.warn(
                    DEPARTMENTS,
                    record.line,
                    _("{code} will have no head (it was {email})").format(
                        code=code, email=old["head_email"]
                    ),
                )
        changes = _record_change(run, "departments", DEPARTMENTS, record, old, new)
        plan.add(code, existing, new, changes)
    return plan


def plan_sites(run: ImportRun) -> Plan:
    plan = Plan()
    for code, record in run.sites.items():
        existing = run.org.sites.get(code)
        new = dict(record.values)
        old = None
        if existing is not None:
            old = {name: existing[name] for name in new}
        changes = _record_change(run, "sites", SITES, record, old, new)
        plan.add(code, existing, new, changes)
    return plan


def plan_people(run: ImportRun) -> Plan:
    plan = Plan()
    for email, record in run.people.items():
        existing = run.org.people.get(email)
        new = dict(record.values)
        old = run.org.person_values(email) if existing is not None else None
        changes = _record_change(run, "people", PEOPLE, record, old, new)
        if old is not None and "coordinator" in old["roles"] and "coordinator" not in new["roles"]:
            run.warn(PEOPLE, record.line, _("{email} loses role coordinator").format(email=email))
        plan.add(email, existing, new, changes)
    return plan


def _text(value: Any) -> str:
    """How a value reads in the preview: lists as in the file (en;fr), nothing as ''."""
    if value is None:
        return ""
    if isinstance(value, list):
        return ";".join(str(item) for item in value)
    return str(value)
