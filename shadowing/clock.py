"""The product's one clock.

Every "now" is `django.utils.timezone.now()`, an aware UTC instant, which tests pin with
time-machine; every "today" is a local date derived from it, in a zone that says whose day it
is: a visit's day is its site's, a person's day is their home site's. The server's own zone is
UTC (settings.TIME_ZONE), so "today" without a zone would be the UTC date, which in the
Americas turns to tomorrow in the evening: a St. John's agent at 23:30 has not yet had
"tomorrow's" visit. Ruff's banned-api rule (pyproject.toml) keeps other ways of reading the
clock out of product code.
"""

import datetime as dt
import zoneinfo

from django.conf import settings
from django.utils import timezone


def now() -> dt.datetime:
    """The current instant, aware, in UTC."""
    return timezone.now()


def local_today(zone: dt.tzinfo | None = None) -> dt.date:
    """Today's date in `zone`; by default in the programme's home zone
    (`settings.PROGRAMME_TIME_ZONE`), for what belongs to no one site: a programme's own
    dates, the backlog's due dates and working days."""
    return local_date(timezone.now(), zone)


def local_date(instant: dt.datetime, zone: dt.tzinfo | None = None) -> dt.date:
    """The date of `instant` on the calendar of `zone` (default: the programme's home zone)."""
    return instant.astimezone(zone or home_zone()).date()


def home_zone() -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(settings.PROGRAMME_TIME_ZONE)


def timestamp() -> float:
    """Seconds since the epoch, for session bookkeeping that stores plain numbers."""
    return timezone.now().timestamp()
