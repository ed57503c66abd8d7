"""A commitment's due date against the department's working calendar.

A due date on a public holiday of the department (or of its head's site) or on a company day
off is refused, with the holiday's name and the next working day offered instead: a date picker
shows weekends but not holidays, so a head who picks 24 June in Quebec has most likely not seen
that it is the Fête nationale. A weekend, which the picker shows, is taken as chosen.

    due_date_refusal(department, due) -> message in words, or None when the date is fine
"""

import datetime as dt

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from shadowing.organisation.models import Department

from .calendars import department_calendar

# How far past the due date the next working day is looked for (a company shutdown included).
LOOK_AHEAD = dt.timedelta(days=60)


def due_date_refusal(department: Department, due: dt.date) -> str | None:
    """Why `due` is refused for an item of `department` (it is a day off there), or None."""
    calendar = department_calendar(department, due, due + LOOK_AHEAD)
    name = calendar.reason(due)
    if name is None:
        return None
    return _(
        "%(date)s is a day off in this department (%(name)s): choose a working day, "
        "such as %(next)s."
    ) % {
        "date": date_format(due, "DATE_FORMAT"),
        "name": name,
        "next": date_format(calendar.next_working_day(due), "DATE_FORMAT"),
    }
