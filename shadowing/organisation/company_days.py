"""The company's days off (`CompanyDay`): a shutdown or a company holiday, on top of each
department's and site's public holidays. They close every department's working days
(escalation and due dates, `barriers.calendars`) and every site's visit days (pairing,
`shadowing.programmes.calendar`). Coordinators keep them: in the admin, on their page, in the
API and with `manage.py company_days`, all through these functions.

    company_day_add(*, date, name) -> CompanyDay
    company_day_remove(*, date) -> None
    company_days_import(rows) -> [CompanyDay]   (all or nothing; errors name the line)
    company_days_list(start=None, end=None) -> queryset
"""

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from shadowing.organisation.models import CompanyDay

NAME_MAX = CompanyDay._meta.get_field("name").max_length


def company_days_list(start: dt.date | None = None, end: dt.date | None = None):
    days = CompanyDay.objects.order_by("date")
    if start is not None:
        days = days.filter(date__gte=start)
    if end is not None:
        days = days.filter(date__lte=end)
    return days


def _duplicate(date: dt.date) -> str:
    return _("%(date)s is already a company day off.") % {"date": date_format(date, "DATE_FORMAT")}


def _errors(date, name: str) -> dict[str, str]:
    errors = {}
    if not isinstance(date, dt.date):
        errors["date"] = _("Give the date as YYYY-MM-DD.")
    elif CompanyDay.objects.filter(date=date).exists():
        errors["date"] = _duplicate(date)
    if not name:
        errors["name"] = _("Name the day off, e.g. Holiday shutdown.")
    elif len(name) > NAME_MAX:
        errors["name"] = _("The name is at most %(n)d characters.") % {"n": NAME_MAX}
    return errors


def company_day_add(*, date: dt.date, name: str) -> CompanyDay:
    """Close `date` for the whole company, named `name`.

    Guarantees: a date not already a company day, a name given (at most NAME_MAX characters,
    surrounding spaces dropped); otherwise ValidationError keyed `date` or `name`, nothing
    written. Two coordinators adding the same date at once: one wins, the other is refused."""
    name = (name or "").strip()
    errors = _errors(date, name)
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            return CompanyDay.objects.create(date=date, name=name)
    except IntegrityError as exc:
        raise ValidationError({"date": _duplicate(date)}) from exc


def company_day_remove(*, date: dt.date) -> None:
    """Open `date` again. ValidationError keyed `date` when it is not a company day off."""
    deleted, _rows = CompanyDay.objects.filter(date=date).delete()
    if not deleted:
        raise ValidationError(
            {
                "date": _("%(date)s is not a company day off.")
                % {"date": date_format(date, "DATE_FORMAT")}
            }
        )


def company_days_import(rows: Iterable[tuple[int, str, str]]) -> list[CompanyDay]:
    """Add a company day for each (line, date text, name) row: all of them, or none. A date
    already a company day is renamed. ValidationError lists every bad row as `LINE: message`."""
    problems, wanted = [], {}
    for line, text, name in rows:
        name = (name or "").strip()
        try:
            date = dt.date.fromisoformat((text or "").strip())
        except ValueError:
            problems.append(
                _("%(line)d: date %(value)r is not a date as YYYY-MM-DD")
                % {"line": line, "value": text}
            )
            continue
        if not name:
            problems.append(_("%(line)d: name the day off") % {"line": line})
        elif len(name) > NAME_MAX:
            problems.append(
                _("%(line)d: the name is at most %(n)d characters") % {"line": line, "n": NAME_MAX}
            )
        elif date in wanted:
            problems.append(
                _("%(line)d: %(date)s is given twice") % {"line": line, "date": date.isoformat()}
            )
        else:
            wanted[date] = name
    if problems:
        raise ValidationError(problems)
    with transaction.atomic():
        existing = {day.date: day for day in CompanyDay.objects.filter(date__in=wanted)}
        out = []
        for date, name in sorted(wanted.items()):
            day = existing.get(date)
            if day is None:
                day = CompanyDay.objects.create(date=date, name=name)
            elif day.name != name:
                day.name = name
                day.save(update_fields=["name"])
            out.append(day)
    return out
