"""Each department's working calendar, from the database: the `WorkCalendar` that
`barriers.workdays` counts with.

    department_calendar(department, start, end) -> WorkCalendar
    department_calendars(departments, start, end) -> {department id: WorkCalendar}

Closed days (besides weekends) are the public holidays of the department's `country` and
`subdivision`, or, when its country is empty, those of its head's site; with neither, none.
The company's days off (`CompanyDay`) close every department. Only dates from `start` to `end`
(both included) are loaded: counting outside that range sees weekends only.

Queries are bounded whatever the number of departments: one for the company days, at most one
for the heads' sites. Holiday tables come from `shadowing.programmes.calendar.site_holidays`,
cached per (country, subdivision, year).
"""

import datetime as dt
from collections.abc import Iterable

from shadowing.organisation.models import CompanyDay, Department, Person
from shadowing.programmes.calendar import site_holidays

from .workdays import WorkCalendar


def department_calendar(department: Department, start: dt.date, end: dt.date) -> WorkCalendar:
    """The working calendar of one department from `start` to `end`."""
    return department_calendars([department], start, end)[department.pk]


def department_calendars(
    departments: Iterable[Department], start: dt.date, end: dt.date
) -> dict[int, WorkCalendar]:
    """The working calendar of each department from `start` to `end`, keyed by its id."""
    departments = list(departments)
    if not departments:
        return {}
    company = dict(
        CompanyDay.objects.filter(date__gte=start, date__lte=end).values_list("date", "name")
    )
    head_sites = {}
    for department in departments:  # heads fetched with their site (select_related) cost nothing
        if Department.head.is_cached(department) and department.head is not None:
            head = department.head
            if Person.site.is_cached(head):
                site = head.site
                head_sites[head.pk] = (site.country, site.subdivision) if site else ("", "")
    heads = {
        d.head_id
        for d in departments
        if not d.country and d.head_id and d.head_id not in head_sites
    }
    if heads:
        head_sites |= {
            pk: (country or "", subdivision or "")
            for pk, country, subdivision in Person.objects.filter(pk__in=heads).values_list(
                "pk", "site__country", "site__subdivision"
            )
        }
    built: dict[tuple[str, str], WorkCalendar] = {}
    out = {}
    for department in departments:
        if department.country:
            where = (department.country, department.subdivision)
        else:
            where = head_sites.get(department.head_id, ("", ""))
        if where not in built:
            built[where] = _calendar(*where, start=start, end=end, company=company)
        out[department.pk] = built[where]
    return out


def _calendar(
    country: str, subdivision: str, *, start: dt.date, end: dt.date, company: dict
) -> WorkCalendar:
    names: dict[dt.date, str] = {}
    if country and start <= end:
        for year in range(start.year, end.year + 1):
            for day, name in site_holidays(country, subdivision, year).items():
                if start <= day <= end:
                    names[day] = name
    for day, name in company.items():
        names.setdefault(day, name)
    return WorkCalendar(closed=frozenset(names), names=names)
