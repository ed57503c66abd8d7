"""The product's one clock (shadowing/clock.py) and the session clock mover (tests/clock.py)."""

import datetime as dt
import zoneinfo

import pytest
import time_machine

from shadowing import clock
from tests.clock import destination, next_dst_change

UTC = dt.UTC
VANCOUVER = zoneinfo.ZoneInfo("America/Vancouver")
ST_JOHNS = zoneinfo.ZoneInfo("America/St_Johns")


def test_local_today_is_the_zones_date_not_utcs(settings):
    settings.PROGRAMME_TIME_ZONE = "America/Toronto"
    # 03:00 UTC on the 8th: still the 7th in Toronto and Vancouver, the 8th in Paris.
    with time_machine.travel(dt.datetime(2026, 12, 8, 3, 0, tzinfo=UTC), tick=False):
        assert clock.local_today() == dt.date(2026, 12, 7)
        assert clock.local_today(VANCOUVER) == dt.date(2026, 12, 7)
        assert clock.local_today(zoneinfo.ZoneInfo("Europe/Paris")) == dt.date(2026, 12, 8)
        assert clock.now() == dt.datetime(2026, 12, 8, 3, 0, tzinfo=UTC)


def test_the_home_zone_is_a_setting(settings):
    settings.PROGRAMME_TIME_ZONE = "Europe/Paris"
    with time_machine.travel(dt.datetime(2026, 12, 7, 23, 30, tzinfo=UTC), tick=False):
        assert clock.local_today() == dt.date(2026, 12, 8)
        assert clock.timestamp() == dt.datetime(2026, 12, 7, 23, 30, tzinfo=UTC).timestamp()


@pytest.mark.parametrize(
    ("after", "forward", "change"),
    [
        (dt.datetime(2026, 12, 7, tzinfo=UTC), True, dt.datetime(2027, 3, 14, 7, tzinfo=UTC)),
        (dt.datetime(2026, 12, 7, tzinfo=UTC), False, dt.datetime(2027, 11, 7, 6, tzinfo=UTC)),
        (dt.datetime(2027, 4, 1, tzinfo=UTC), False, dt.datetime(2027, 11, 7, 6, tzinfo=UTC)),
        (dt.datetime(2027, 4, 1, tzinfo=UTC), True, dt.datetime(2028, 3, 12, 7, tzinfo=UTC)),
    ],
)
def test_next_dst_change_finds_torontos(after, forward, change):
    assert next_dst_change(after, forward=forward) == change


NOW = dt.datetime(2026, 12, 7, 15, 0, tzinfo=UTC)  # a Monday


@pytest.mark.parametrize(
    ("setting", "offset", "expected"),
    [
        ("", "", None),
        ("", "366", dt.datetime(2027, 12, 8, 15, 0, tzinfo=UTC)),
        ("sunday", "", dt.datetime(2026, 12, 13, 15, 0, tzinfo=UTC)),
        ("spring", "", dt.datetime(2027, 3, 14, 6, 59, tzinfo=UTC)),
        ("autumn", "", dt.datetime(2027, 11, 7, 5, 59, tzinfo=UTC)),
        ("st-johns", "", dt.datetime(2026, 12, 8, 23, 30, tzinfo=ST_JOHNS)),
        ("2027-01-01T00:00:00-05:00", "", dt.datetime(2027, 1, 1, 5, 0, tzinfo=UTC)),
    ],
)
def test_destination_of_each_setting(setting, offset, expected):
    assert destination(setting, offset, NOW) == expected


def test_sunday_from_a_sunday_is_the_next_one():
    sunday = dt.datetime(2026, 12, 13, 9, 0, tzinfo=UTC)
    assert destination("sunday", "", sunday) == sunday + dt.timedelta(days=7)


def test_st_johns_at_2330_is_already_tomorrow_in_utc():
    instant = destination("st-johns", "", NOW)
    assert instant.astimezone(UTC).date() == dt.date(2026, 12, 9)
    assert instant.astimezone(ST_JOHNS).time() == dt.time(23, 30)


def test_a_naive_instant_is_refused():
    with pytest.raises(ValueError, match="needs an offset"):
        destination("2027-01-01T00:00:00", "", NOW)
