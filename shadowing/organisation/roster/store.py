"""The organisation as the database stores it, for the roster import: read once into memory
(`Organisation.load`), and written in bulk (`apply_plans`), so that the number of queries does
not grow with the files. No rules here: the import (`rows.py`, `checks.py`) has checked
everything before a plan reaches this module.
"""

import secrets
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.db import connection, models
from django.utils import timezone

from shadowing.organisation.models import ROLE_FIELDS, Department, Person, Site
from shadowing.organisation.roster.fields import flags_to_roles


@dataclass
class Organisation:
    """The organisation as the database holds it, read once."""

    departments: dict[str, dict[str, Any]] = field(default_factory=dict)
    sites: dict[str, dict[str, Any]] = field(default_factory=dict)
    people: dict[str, dict[str, Any]] = field(default_factory=dict)
    email_by_id: dict[int, str] = field(default_factory=dict)
    department_by_id: dict[int, str] = field(default_factory=dict)
    site_by_id: dict[int, str] = field(default_factory=dict)

    @classmethod
    def load(cls, *, with_people: bool) -> "Organisation":
        org = cls()
        department_fields = ("id", "code", "name", "name_fr", "head_id", "country", "subdivision")
        for row in Department.objects.values(*department_fields):
            org.departments[row["code"]] = row
            org.department_by_id[row["id"]] = row["code"]
        site_fields = ("id", "code", "name", "region", "timezone", "channel", "address")
        for row in Site.objects.values(
            *site_fields, "daily_visitor_limit", "country", "subdivision"
        ):
            org.sites[row["code"]] = row
            org.site_by_id[row["id"]] = row["code"]
        if with_people:
            person_fields = ("id", "email", "full_name", "title", "department_id", "site_id")
            flags = tuple(ROLE_FIELDS.values())
            for row in Person.objects.values(*person_fields, "manager_id", "languages", *flags):
                org.people[row["email"]] = row
                org.email_by_id[row["id"]] = row["email"]
        return org

    def person_values(self, email: str) -> dict[str, Any]:
        """A person as people.csv would describe them."""
        row = self.people[email]
        return {
            "full_name": row["full_name"],
            "title": row["title"],
            "department_code": self.department_by_id.get(row["department_id"], ""),
            "manager_email": self.email_by_id.get(row["manager_id"], ""),
            "site_code": self.site_by_id.get(row["site_id"], ""),
            "languages": list(row["languages"] or []),
            "roles": flags_to_roles(row),
        }


@dataclass
class Plan:
    """Records to create and to update, keyed by code or e-mail, with their target values."""

    create: dict[str, dict[str, Any]] = field(default_factory=dict)
    update: dict[str, tuple[int, dict[str, Any]]] = field(default_factory=dict)

    def add(
        self, key: str, existing: dict[str, Any] | None, new: dict[str, Any], changes: list
    ) -> None:
        if existing is None:
            self.create[key] = new
        elif changes:
            self.update[key] = (existing["id"], new)


BATCH_SIZE = 1000


def _ids(model: type[models.Model], key: str, objects: list[models.Model]) -> dict[str, int]:
    """key -> id of freshly bulk-created objects; PostgreSQL and SQLite >= 3.35 return ids
    from the INSERT, anything else costs one query per thousand."""
    if all(obj.pk is not None for obj in objects):
        return {getattr(obj, key): obj.pk for obj in objects}
    keys = [getattr(obj, key) for obj in objects]
    found: dict[str, int] = {}
    for start in range(0, len(keys), BATCH_SIZE):
        chunk = keys[start : start + BATCH_SIZE]
        found.update(model.objects.filter(**{f"{key}__in": chunk}).values_list(key, "id"))
    return found


def _update_rows(model: type[models.Model], objects: list[models.Model], names: list[str]) -> None:
    """Write `names` of each object by primary key, as one prepared UPDATE run for every row.

    Not QuerySet.bulk_update: it builds one CASE WHEN per field with a branch per row, which
    the database evaluates for every row (quadratic per batch): 1,000 changed people of 25,000
    took 4 s that way, 0.1 s this way. Values are prepared by the model fields themselves, so
    JSON and dates are adapted for whichever database this is.
    """
    if not objects:
        return
    fields = [model._meta.get_field(name) for name in names]
    quote = connection.ops.quote_name
    # Only quoted model metadata goes into the text; every value is a parameter.
    sql = "UPDATE {table} SET {columns} WHERE {pk} = %s".format(  # noqa: S608
        table=quote(model._meta.db_table),
        columns=", ".join(f"{quote(field.column)} = %s" for field in fields),
        pk=quote(model._meta.pk.column),
    )
    rows = [
        [field.get_db_prep_save(getattr(obj, field.attname), connection) for field in fields]
        + [obj.pk]
        for obj in objects
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def _unusable_password() -> str:
    # What set_unusable_password() stores, without its per-call random-string cost: 25,000
    # people must not spend seconds here.
    return UNUSABLE_PASSWORD_PREFIX + secrets.token_hex(20)


def apply_plans(org: Organisation, departments: Plan, sites: Plan, people: Plan) -> None:
    """Write the plans: departments and sites, then people (managers before their reports, so
    a new person's manager id is known when they are inserted), then department heads (a head
    must exist before a department can point at them)."""
    now = timezone.now()

    department_ids = {code: row["id"] for code, row in org.departments.items()}
    kept = ("name_fr", "country", "subdivision")  # optional columns: absent, kept as they are
    created = Department.objects.bulk_create(
        [
            Department(code=code, name=values["name"], **{f: values.get(f, "") for f in kept})
            for code, values in departments.create.items()
        ],
        batch_size=BATCH_SIZE,
    )
    department_ids.update(_ids(Department, "code", created))
    before = {row["id"]: row for row in org.departments.values()}
    Department.objects.bulk_update(
        [
            Department(
                pk=pk,
                name=values["name"],
                **{f: values.get(f, before.get(pk, {}).get(f, "")) for f in kept},
            )
            for pk, values in departments.update.values()
        ],
        ["name", *kept],
        batch_size=BATCH_SIZE,
    )

    site_ids = {code: row["id"] for code, row in org.sites.items()}
    created = Site.objects.bulk_create(
        [Site(code=code, **{"address": "", **values}) for code, values in sites.create.items()],
        batch_size=BATCH_SIZE,
    )
    site_ids.update(_ids(Site, "code", created))
    for fields in {tuple(sorted(values)) for _pk, values in sites.update.values()}:
        Site.objects.bulk_update(
            [
                Site(pk=pk, **values)
                for pk, values in sites.update.values()
                if tuple(sorted(values)) == fields
            ],
            list(fields),
            batch_size=BATCH_SIZE,
        )

    person_ids = {email: row["id"] for email, row in org.people.items()}

    def person(values: dict[str, Any], **extra: Any) -> Person:
        return Person(
            full_name=values["full_name"],
            title=values["title"],
            department_id=department_ids[values["department_code"]],
            site_id=site_ids[values["site_code"]],
            manager_id=person_ids.get(values["manager_email"]) if values["manager_email"] else None,
            languages=values["languages"],
            **{flag: role.value in values["roles"] for role, flag in ROLE_FIELDS.items()},
            **extra,
        )

    pending = dict(people.create)
    while pending:
        # A person whose manager is created in this import waits for a later round; no cycles
        # got this far, so every round creates at least one level of the tree.
        ready = {
            email: values
            for email, values in pending.items()
            if not values["manager_email"] or values["manager_email"] not in pending
        }
        if not ready:
            raise RuntimeError("a manager cycle got past the checks")
        created = Person.objects.bulk_create(
            [
                person(values, email=email, password=_unusable_password())
                for email, values in ready.items()
            ],
            batch_size=BATCH_SIZE,
        )
        person_ids.update(_ids(Person, "email", created))
        pending = {email: values for email, values in pending.items() if email not in ready}

    _update_rows(
        Person,
        [person(values, pk=pk, updated_at=now) for pk, values in people.update.values()],
        [
            "full_name",
            "title",
            "department",
            "site",
            "manager",
            "languages",
            *ROLE_FIELDS.values(),
            "updated_at",
        ],
    )

    heads = [
        Department(pk=department_ids[code], head_id=person_ids.get(values["head_email"]) or None)
        for code, values in (
            *departments.create.items(),
            *((c, v) for c, (_pk, v) in departments.update.items()),
        )
        if values.get("head_email") is not None
    ]
    Department.objects.bulk_update(heads, ["head"], batch_size=BATCH_SIZE)
