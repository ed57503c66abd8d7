"""Reading the organisation: the querysets the API, the admin and pages list from.

Everyone signed in may see the whole organisation (CONTRACT.md), so these do not filter by
viewer; they fetch the related rows each list shows in the same query, so that a page of 50
people costs the same few queries as a page of one.
"""

from django.db.models import Q, QuerySet

from shadowing.organisation.models import ROLE_FIELDS, Department, Person, Role, Site


def department_list() -> QuerySet[Department]:
    return Department.objects.select_related("head").order_by("code")


def site_list() -> QuerySet[Site]:
    return Site.objects.order_by("code")


def person_list(
    *,
    department: str | None = None,
    site: str | None = None,
    role: str | None = None,
    manager: str | None = None,
    q: str | None = None,
) -> QuerySet[Person]:
    """People, optionally only those of a department or site (by code), with a role, reporting
    to a manager (by e-mail), or whose e-mail, name or title contains `q` (ignoring case).
    Raises ValueError for a role that does not exist."""
    people = Person.objects.select_related("department", "site", "manager").order_by(
        "full_name", "email"
    )
    if department:
        people = people.filter(department__code=department)
    if site:
        people = people.filter(site__code=site)
    if role:
        people = people.filter(**{ROLE_FIELDS[Role(role)]: True})
    if manager:
        people = people.filter(manager__email=manager.strip().lower())
    if q and q.strip():
        text = q.strip()
        people = people.filter(
            Q(email__icontains=text) | Q(full_name__icontains=text) | Q(title__icontains=text)
        )
    return people
