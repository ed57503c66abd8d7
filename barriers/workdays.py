"""Working days (Monday to Friday) for escalation. Pure: no Django, no database.

Public holidays are not known to the product; a reminder due on a holiday goes out that day.
"""

import datetime as dt

WEEKEND = (5, 6)  # Saturday, Sunday


def working_days_between(start: dt.date, end: dt.date) -> int:
    """How many working days there are after `start` up to and including `end` (0 when
    `end` is not after `start`): Friday to the next Monday is 1."""
    if end <= start:
        return 0
    days = (end - start).days
    weeks, rest = divmod(days, 7)
    count = weeks * 5
    for offset in range(1, rest + 1):
        if (start + dt.timedelta(days=weeks * 7 + offset)).weekday() not in WEEKEND:
            count += 1
    return count


def add_working_days(start: dt.date, days: int) -> dt.date:
    """The date `days` working days after `start` (`days` >= 0); 0 gives `start` itself."""
    current = start
    while days > 0:
        current += dt.timedelta(days=1)
        if current.weekday() not in WEEKEND:
            days -= 1
    return current
