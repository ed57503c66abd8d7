"""Working days for escalation and due dates. Pure: no Django, no database.

A working day is a Monday to Friday that the department's `WorkCalendar` does not close: its
public holidays (the `holidays` package, by the department's or its head's site's country and
province) and the company's days off. `barriers.calendars` builds the calendar from the
database; without one, only weekends are closed.

Counting is cheap whatever the span: weekdays by arithmetic, minus the closed weekdays in range
found by bisection over a sorted tuple, so checking 30,000 items costs no day-by-day walk.
"""

import datetime as dt
from bisect import bisect_right
from collections.abc import Mapping
from dataclasses import dataclass, field

WEEKEND = (5, 6)  # Saturday, Sunday


@dataclass(frozen=True)
class WorkCalendar:
    """The days closed on top of weekends (`closed`), with their names where known."""

    closed: frozenset[dt.date] = frozenset()
    names: Mapping[dt.date, str] = field(default_factory=dict, compare=False, hash=False)
    # The closed days that fall on a weekday, sorted: what counting subtracts.
    _weekdays: tuple[dt.date, ...] = field(init=False, repr=False, compare=False, hash=False)

    def __post_init__(self):
        weekdays = tuple(sorted(d for d in self.closed if d.weekday() not in WEEKEND))
        object.__setattr__(self, "_weekdays", weekdays)

    def is_working(self, day: dt.date) -> bool:
        return day.weekday() not in WEEKEND and day not in self.closed

    def reason(self, day: dt.date) -> str | None:
        """The name of the holiday or company day that closes `day`, or None (open, or only a
        weekend)."""
        if day in self.closed:
            return self.names.get(day, "")
        return None

    def closed_weekdays_in(self, start: dt.date, end: dt.date) -> int:
        """How many closed weekdays lie after `start` up to and including `end`."""
        return bisect_right(self._weekdays, end) - bisect_right(self._weekdays, start)

    def next_working_day(self, day: dt.date) -> dt.date:
        """`day` itself when it is a working day, else the first working day after it."""
        while not self.is_working(day):
            day += dt.timedelta(days=1)
        return day


WEEKENDS_ONLY = WorkCalendar()


def _weekdays_between(start: dt.date, end: dt.date) -> int:
    days = (end - start).days
    weeks, rest = divmod(days, 7)
    count = weeks * 5
    for offset in range(1, rest + 1):
        if (start + dt.timedelta(days=weeks * 7 + offset)).weekday() not in WEEKEND:
            count += 1
    return count


def working_days_between(
    start: dt.date, end: dt.date, calendar: WorkCalendar = WEEKENDS_ONLY
) -> int:
    """How many working days there are after `start` up to and including `end` (0 when
    `end` is not after `start`): Friday to the next Monday is 1, or 0 when that Monday is a
    holiday of `calendar`."""
    if end <= start:
        return 0
    return _weekdays_between(start, end) - calendar.closed_weekdays_in(start, end)


def add_working_days(start: dt.date, days: int, calendar: WorkCalendar = WEEKENDS_ONLY) -> dt.date:
    """The date `days` working days after `start` (`days` >= 0); 0 gives `start` itself."""
    current = start
    while days > 0:
        current += dt.timedelta(days=1)
        if calendar.is_working(current):
            days -= 1
    return current
