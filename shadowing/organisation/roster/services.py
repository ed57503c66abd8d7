"""Writing the organisation one record at a time: the API and the admin call these.

The CSV import (`roster_import`) writes many records at once; both apply the same rules, from
`fields.py`, so that a value the import refuses is refused here too: e-mail syntax and
uniqueness ignoring case, codes, lengths, ISO 639-1 languages, roles, time zones, channels,
visitor limits, no manager cycles, and a department head who is a department_head of that very
department. Each function raises `ValidationError` with one message per field on bad input, and
`StillInUse` when a delete would orphan other records.
"""

from collections.abc import Callable
from typing import Any, TypedDict, Unpack

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import ProtectedError, RestrictedError
from django.utils.translation import gettext as _

from shadowing.organisation.models import ROLE_FIELDS, Department, Person, Site
from shadowing.organisation.roster.fields import (
    Invalid,
    check_languages_for_roles,
    clean_channel,
    clean_code,
    clean_email,
    clean_languages,
    clean_place,
    clean_roles,
    clean_text,
    clean_timezone,
    clean_visitor_limit,
    department_head_problem,
    describe_cycle,
    find_manager_cycles,
    shown,
)


class StillInUse(Exception):
    """A record that others still point at (a department with people, a site with people...)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class PersonFields(TypedDict, total=False):
    email: str
    full_name: str
    title: str
    department: Department | None
    manager: Person | None
    site: Site | None
    languages: list[str]
    roles: list[str]
    is_active: bool


class DepartmentFields(TypedDict, total=False):
    code: str
    name: str
    name_fr: str
    head: Person | None
    country: str
    subdivision: str


class SiteFields(TypedDict, total=False):
    code: str
    name: str
    region: str
    timezone: str
    channel: str
    address: str
    daily_visitor_limit: int | None
    country: str
    subdivision: str


class _Errors:
    """Collects one message per field, so a client sees every problem at once."""

    def __init__(self) -> None:
        self.errors: dict[str, list[str]] = {}

    def __call__(self, name: str, clean: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        try:
            return clean(*args, **kwargs)
        except Invalid as exc:
            self.add(name, exc.message)
            return None

    def add(self, name: str, message: str) -> None:
        self.errors.setdefault(name, []).append(message)

    def raise_any(self) -> None:
        if self.errors:
            raise ValidationError(self.errors)


def _max_length(model: type[models.Model], name: str) -> int:
    return model._meta.get_field(name).max_length


def _check_code_free(
    errors: _Errors, model: type[models.Model], code: str | None, instance: models.Model | None
) -> None:
    """Codes are unique; one that differs from another only by case is refused like in the
    import (it is almost surely a typo)."""
    if not code:
        return
    others = model.objects.filter(code__iexact=code)
    if instance is not None:
        others = others.exclude(pk=instance.pk)
    other = others.values_list("code", flat=True).first()
    if other == code:
        errors.add("code", _("{code} is already taken").format(code=shown(code)))
    elif other is not None:
        errors.add(
            "code",
            _("code {code} differs only by case from the existing {other}").format(
                code=shown(code), other=shown(other)
            ),
        )


# People ----------------------------------------------------------------------------------------


def _person_clean(person: Person | None, data: PersonFields) -> dict[str, Any]:
    """The person's values after the change, checked as a whole; raises ValidationError."""
    errors = _Errors()
    current: dict[str, Any] = {
        "email": person.email if person else "",
        "full_name": person.full_name if person else "",
        "title": person.title if person else "",
        "department": person.department if person else None,
        "manager": person.manager if person else None,
        "site": person.site if person else None,
        "languages": list(person.languages or []) if person else [],
        "roles": person.roles if person else [],
        "is_active": person.is_active if person else True,
    }
    values = {**current, **data}
    values["email"] = errors("email", clean_email, values["email"] or "", label="email")
    for name in ("full_name", "title"):
        values[name] = errors(
            name,
            clean_text,
            values[name] or "",
            label=name,
            max_length=_max_length(Person, name),
            required=name == "full_name",
        )
    for name in ("department", "site"):
        # Required, as in people.csv; a person created without one (createsuperuser) can still
        # be edited, but nobody can be left without one through here.
        if values[name] is None and (person is None or name in data):
            errors.add(name, _("{label} is required").format(label=name))
    values["languages"] = errors("languages", clean_languages, values["languages"] or [])
    values["roles"] = errors("roles", clean_roles, values["roles"] or [])
    if values["languages"] is not None and values["roles"] is not None:
        errors("languages", check_languages_for_roles, values["languages"], values["roles"])

    email = values["email"]
    if email:
        others = Person.objects.filter(email=email)
        if person is not None:
            others = others.exclude(pk=person.pk)
        if others.exists():
            errors.add("email", _("{email} is already in the roster").format(email=email))

    manager = values["manager"]
    if manager is not None and person is not None:
        # Only an existing person can close a cycle: a new one has nobody reporting to them.
        cycle = _manager_cycle(person, manager)
        if cycle:
            errors.add("manager", cycle)

    if person is not None and values["roles"] is not None:
        department = values["department"]
        for code in person.headed_departments.values_list("code", flat=True):
            problem = department_head_problem(
                email=email or person.email,
                is_department_head="department_head" in values["roles"],
                department_code=department.code if department else None,
                code=code,
            )
            if problem:
                field = "roles" if "department_head" not in values["roles"] else "department"
                errors.add(
                    field,
                    _("{problem}; they head {code}: name another head first").format(
                        problem=problem, code=code
                    ),
                )
    errors.raise_any()
    return values


def _manager_cycle(person: Person, manager: Person) -> str | None:
    """The cycle that making `manager` the manager of `person` would close, as a message."""
    manager_ids: dict[int, int | None] = {person.pk: manager.pk}

    def manager_of(pk: int) -> int | None:
        if pk not in manager_ids:
            manager_ids[pk] = (
                Person.objects.filter(pk=pk).values_list("manager_id", flat=True).first()
            )
        return manager_ids[pk]

    for cycle in find_manager_cycles([person.pk], manager_of):
        if person.pk in cycle:
            emails = dict(Person.objects.filter(pk__in=cycle).values_list("pk", "email"))
            return describe_cycle([emails[pk] for pk in cycle], emails[person.pk])
    return None


def _person_assign(person: Person, values: dict[str, Any]) -> None:
    person.email = values["email"]
    person.full_name = values["full_name"]
    person.title = values["title"]
    person.department = values["department"]
    person.manager = values["manager"]
    person.site = values["site"]
    person.languages = values["languages"]
    person.is_active = values["is_active"]
    for role, flag in ROLE_FIELDS.items():
        setattr(person, flag, role.value in values["roles"])


def person_check(*, person: Person | None, **data: Unpack[PersonFields]) -> None:
    """Raise ValidationError if `person_create` (person None) or `person_update` would refuse
    `data`; for forms that want to show errors before saving."""
    _person_clean(person, data)


@transaction.atomic
def person_create(**data: Unpack[PersonFields]) -> Person:
    """A new person, who may sign in by link (no password)."""
    values = _person_clean(None, data)
    person = Person(password="")
    person.set_unusable_password()
    _person_assign(person, values)
    person.save()
    return person


@transaction.atomic
def person_update(*, person: Person, **data: Unpack[PersonFields]) -> Person:
    """Change the fields given in `data`, leaving the others as they are."""
    values = _person_clean(person, data)
    _person_assign(person, values)
    person.save()
    return person


def person_delete(*, person: Person) -> None:
    """Deleting someone who took part in a programme is refused (deactivate them instead);
    their reports lose their manager and a department they head loses its head."""
    _delete(person, _("{name} still has records that point at them; deactivate them instead"))


# Departments -----------------------------------------------------------------------------------


def _department_clean(department: Department | None, data: DepartmentFields) -> dict[str, Any]:
    errors = _Errors()
    values: dict[str, Any] = {
        "code": department.code if department else "",
        "name": department.name if department else "",
        "name_fr": department.name_fr if department else "",
        "head": department.head if department else None,
        **{name: getattr(department, name, "") for name in ("country", "subdivision")},
        **data,
    }
    values["code"] = errors(
        "code",
        clean_code,
        values["code"] or "",
        label="code",
        max_length=_max_length(Department, "code"),
    )
    values["name"] = errors(
        "name",
        clean_text,
        values["name"] or "",
        label="name",
        max_length=_max_length(Department, "name"),
        required=True,
    )
    values["name_fr"] = errors(
        "name_fr",
        clean_text,
        values["name_fr"] or "",
        label="name_fr",
        max_length=_max_length(Department, "name_fr"),
    )
    clean_place(errors, values)
    _check_code_free(errors, Department, values["code"], department)
    head = values["head"]
    if head is not None and values["code"]:
        problem = department_head_problem(
            email=head.email,
            is_department_head=head.is_department_head,
            department_code=head.department.code if head.department_id else None,
            code=values["code"],
        )
        if problem:
            errors.add("head", problem)
    errors.raise_any()
    return values


def department_check(*, department: Department | None, **data: Unpack[DepartmentFields]) -> None:
    _department_clean(department, data)


@transaction.atomic
def department_create(**data: Unpack[DepartmentFields]) -> Department:
    values = _department_clean(None, data)
    return Department.objects.create(**values)


@transaction.atomic
def department_update(*, department: Department, **data: Unpack[DepartmentFields]) -> Department:
    values = _department_clean(department, data)
    for name, value in values.items():
        setattr(department, name, value)
    department.save()
    return department


def department_delete(*, department: Department) -> None:
    _delete(department, _("{name} still has people or records; move them first"))


# Sites -----------------------------------------------------------------------------------------


def _site_clean(site: Site | None, data: SiteFields) -> dict[str, Any]:
    errors = _Errors()
    names = ("code", "name", "region", "timezone", "channel", "address", "daily_visitor_limit")
    names += ("country", "subdivision")
    values: dict[str, Any] = {name: getattr(site, name) if site else None for name in names}
    values.update(data)
    values["code"] = errors(
        "code", clean_code, values["code"] or "", label="code", max_length=_max_length(Site, "code")
    )
    for name, required in (("name", True), ("region", True), ("address", False)):
        values[name] = errors(
            name,
            clean_text,
            values[name] or "",
            label=name,
            max_length=_max_length(Site, name),
            required=required,
            multiline=name == "address",
        )
    values["timezone"] = errors("timezone", clean_timezone, values["timezone"] or "")
    values["channel"] = errors("channel", clean_channel, values["channel"] or "")
    values["daily_visitor_limit"] = errors(
        "daily_visitor_limit", clean_visitor_limit, values["daily_visitor_limit"]
    )
    clean_place(errors, values)
    _check_code_free(errors, Site, values["code"], site)
    errors.raise_any()
    return values


def site_check(*, site: Site | None, **data: Unpack[SiteFields]) -> None:
    _site_clean(site, data)


@transaction.atomic
def site_create(**data: Unpack[SiteFields]) -> Site:
    values = _site_clean(None, data)
    return Site.objects.create(**values)


@transaction.atomic
def site_update(*, site: Site, **data: Unpack[SiteFields]) -> Site:
    values = _site_clean(site, data)
    for name, value in values.items():
        setattr(site, name, value)
    site.save()
    return site


def site_delete(*, site: Site) -> None:
    _delete(site, _("{name} still has people or records; move them first"))


def _delete(instance: models.Model, message: str) -> None:
    try:
        with transaction.atomic():
            instance.delete()
    except (ProtectedError, RestrictedError):
        raise StillInUse(message.format(name=str(instance))) from None
