"""Moves the clock of a whole test session, so that the suite is proved on other dates.

The suite must pass whatever day it runs; CI runs it again on the days that break code which
reads dates carelessly. Set one of (`.ci/run` does, one stage each):

    TEST_CLOCK_OFFSET_DAYS=N   N days from now, at the same time of day
    TEST_CLOCK=sunday          the coming Sunday, at this time of day
    TEST_CLOCK=spring          a minute before clocks spring forward in Toronto
    TEST_CLOCK=autumn          a minute before clocks fall back in Toronto
    TEST_CLOCK=st-johns        tomorrow at 23:30 in St. John's (UTC-3:30): the UTC date is
                               already the next day, and so is Toronto's at 23:30 Pacific
    TEST_CLOCK=2027-03-14T01:59:00-05:00   any ISO 8601 instant with its offset

The clock keeps ticking from there (the DST cases cross the change while the suite runs). Tests
that pin the clock themselves with `time_machine` still do, on top of this.
"""

import datetime as dt
import os
import zoneinfo

import time_machine

TORONTO = zoneinfo.ZoneInfo("America/Toronto")
ST_JOHNS = zoneinfo.ZoneInfo("America/St_Johns")


def next_dst_change(after: dt.datetime, *, forward: bool) -> dt.datetime:
    """The UTC instant of the next change of Toronto's clocks after `after` (forward: spring)."""
    hour = dt.timedelta(hours=1)
    moment = after.astimezone(dt.UTC).replace(minute=0, second=0, microsecond=0)
    for _ in range(24 * 400):
        later = moment + hour
        before, now = moment.astimezone(TORONTO).utcoffset(), later.astimezone(TORONTO).utcoffset()
        if before != now and (now > before) == forward:
            return later
        moment = later
    raise AssertionError("no daylight-saving change in Toronto within 400 days")


def destination(setting: str, offset_days: str, now: dt.datetime) -> dt.datetime | None:
    """Where the session's clock starts, from the two settings above; None: the real clock."""
    if offset_days:
        return now + dt.timedelta(days=int(offset_days))
    match setting:
        case "":
            return None
        case "sunday":
            return now + dt.timedelta(days=(6 - now.weekday()) % 7 or 7)
        case "spring":
            return next_dst_change(now, forward=True) - dt.timedelta(minutes=1)
        case "autumn":
            return next_dst_change(now, forward=False) - dt.timedelta(minutes=1)
        case "st-johns":
            tomorrow = now.astimezone(ST_JOHNS).date() + dt.timedelta(days=1)
            return dt.datetime.combine(tomorrow, dt.time(23, 30), tzinfo=ST_JOHNS)
    instant = dt.datetime.fromisoformat(setting)
    if instant.tzinfo is None:
        raise ValueError(f"TEST_CLOCK={setting!r} needs an offset, e.g. {setting}+00:00")
    return instant


_traveller = None


def pytest_configure(config):
    global _traveller
    start = destination(
        os.environ.get("TEST_CLOCK", "").strip(),
        os.environ.get("TEST_CLOCK_OFFSET_DAYS", "").strip(),
        dt.datetime.now(dt.UTC),
    )
    if start is not None:
        _traveller = time_machine.travel(start, tick=True)
        _traveller.start()


def pytest_report_header(config):
    if _traveller is not None:
        return f"clock moved to {dt.datetime.now(dt.UTC).isoformat(timespec='seconds')}"
    return None


def pytest_unconfigure(config):
    global _traveller
    if _traveller is not None:
        _traveller.stop()
        _traveller = None
