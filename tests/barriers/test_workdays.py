"""Working days for escalation and due dates: pure, table cases and properties, and the
provinces' calendars checked day by day against the `holidays` package."""

import datetime as dt
import random
import time

import holidays
import pytest
from hypothesis import given
from hypothesis import strategies as st

from barriers.workdays import WEEKENDS_ONLY, WorkCalendar, add_working_days, working_days_between

MON = dt.date(2026, 11, 23)


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (MON, MON, 0),
        (MON, MON + dt.timedelta(days=1), 1),
        (MON, MON + dt.timedelta(days=4), 4),  # Friday
        (MON, MON + dt.timedelta(days=6), 4),  # Sunday
        (MON, MON + dt.timedelta(days=7), 5),  # next Monday
        (MON + dt.timedelta(days=4), MON + dt.timedelta(days=7), 1),  # Friday to Monday
        (MON + dt.timedelta(days=5), MON + dt.timedelta(days=6), 0),  # Saturday to Sunday
        (MON, MON + dt.timedelta(days=14), 10),
        (MON, MON - dt.timedelta(days=3), 0),
    ],
)
def test_working_days_between(start, end, expected):
    assert working_days_between(start, end) == expected


@given(st.dates(dt.date(2000, 1, 1), dt.date(2100, 1, 1)), st.integers(0, 60))
def test_add_then_count_gives_back_the_days(start, days):
    assert working_days_between(start, add_working_days(start, days)) == days


@given(st.dates(dt.date(2000, 1, 1), dt.date(2100, 1, 1)), st.integers(0, 400))
def test_count_matches_a_day_by_day_walk(start, span):
    end = start + dt.timedelta(days=span)
    walk = sum(1 for n in range(1, span + 1) if (start + dt.timedelta(days=n)).weekday() < 5)
    assert working_days_between(start, end) == walk


# With a calendar: public holidays and company days ------------------------------------------

YEARS = range(2025, 2031)


def provincial(subdivision: str) -> WorkCalendar:
    entity = holidays.country_holidays("CA", subdiv=subdivision, years=YEARS)
    return WorkCalendar(closed=frozenset(entity), names=dict(entity))


@pytest.mark.parametrize("subdivision", ["QC", "ON", "BC", "AB"])
def test_counts_match_the_holidays_package_day_by_day_over_random_ranges(subdivision):
    """An independent check: walk each day and ask the package itself."""
    calendar = provincial(subdivision)
    package = holidays.country_holidays("CA", subdiv=subdivision, years=YEARS)
    rng = random.Random(f"workdays-{subdivision}")
    first = dt.date(2025, 1, 1)
    for _ in range(150):
        start = first + dt.timedelta(days=rng.randrange(0, 365 * 5))
        span = rng.randrange(0, 400)
        end = start + dt.timedelta(days=span)
        walk = sum(
            1
            for n in range(1, span + 1)
            if (day := start + dt.timedelta(days=n)).weekday() < 5 and day not in package
        )
        assert working_days_between(start, end, calendar) == walk, (start, end)
        assert working_days_between(start, add_working_days(start, walk, calendar), calendar) == (
            walk
        )


@pytest.mark.parametrize("year", [2025, 2026, 2027, 2030])
def test_fete_nationale_is_closed_in_quebec_but_not_in_ontario(year):
    june_24 = dt.date(year, 6, 24)
    assert june_24.weekday() < 5
    assert not provincial("QC").is_working(june_24)
    assert provincial("ON").is_working(june_24)
    before = june_24 - dt.timedelta(days=1)
    assert working_days_between(before, june_24, provincial("QC")) == 0
    assert working_days_between(before, june_24, provincial("ON")) == 1


@pytest.mark.parametrize("year", [2026, 2027, 2028])
def test_family_day_heritage_day_and_bc_day_differ_between_provinces(year):
    family_day = holidays.country_holidays("CA", subdiv="ON", years=year).get_named("Family Day")
    (family_day,) = family_day
    assert (family_day.month, family_day.weekday()) == (2, 0)  # third Monday of February
    for subdivision in ("ON", "BC", "AB"):
        assert not provincial(subdivision).is_working(family_day)
    assert provincial("QC").is_working(family_day)  # Quebec has no Family Day
    first_august_monday = next(
        d for d in (dt.date(year, 8, n) for n in range(1, 8)) if d.weekday() == 0
    )
    assert not provincial("BC").is_working(first_august_monday)  # British Columbia Day
    # Alberta's Heritage Day and Ontario's Civic Holiday are not statutory: open.
    assert provincial("AB").is_working(first_august_monday)
    assert provincial("ON").is_working(first_august_monday)


def test_the_default_calendar_closes_weekends_only():
    christmas = dt.date(2028, 12, 25)  # a Monday
    assert WEEKENDS_ONLY.is_working(christmas)
    assert working_days_between(christmas - dt.timedelta(days=3), christmas) == 1


def test_a_closed_weekend_day_is_not_subtracted_twice():
    saturday = dt.date(2027, 12, 25)
    calendar = WorkCalendar(closed=frozenset({saturday}), names={saturday: "Christmas Day"})
    friday, monday = dt.date(2027, 12, 24), dt.date(2027, 12, 27)
    assert working_days_between(friday, monday, calendar) == 1
    assert calendar.reason(saturday) == "Christmas Day"
    assert calendar.reason(monday) is None


def test_next_working_day_skips_holidays_and_the_weekend_after_them():
    good_friday = dt.date(2027, 3, 26)
    calendar = provincial("QC")
    assert calendar.next_working_day(good_friday) == dt.date(2027, 3, 29)
    assert calendar.next_working_day(dt.date(2027, 3, 25)) == dt.date(2027, 3, 25)


def test_counting_is_cheap_for_thirty_thousand_items():
    """The sweep's case: a 5-working-day check for 30,000 items over a decade of holidays."""
    entity = holidays.country_holidays("CA", subdiv="QC", years=range(2020, 2031))
    calendar = WorkCalendar(closed=frozenset(entity), names=dict(entity))
    rng = random.Random(7)
    starts = [dt.date(2020, 1, 1) + dt.timedelta(days=rng.randrange(3650)) for _ in range(30_000)]
    today = dt.date(2030, 6, 1)
    began = time.perf_counter()
    due = sum(working_days_between(start, today, calendar) >= 5 for start in starts)
    assert time.perf_counter() - began < 1.0
    assert 0 < due <= 30_000


@given(
    st.dates(dt.date(2025, 1, 1), dt.date(2030, 12, 31)),
    st.integers(0, 120),
    st.sets(st.dates(dt.date(2025, 1, 1), dt.date(2031, 6, 30)), max_size=40),
)
def test_with_any_closed_days_adding_then_counting_gives_back_the_days(start, days, closed):
    calendar = WorkCalendar(closed=frozenset(closed))
    end = add_working_days(start, days, calendar)
    assert working_days_between(start, end, calendar) == days
    assert days == 0 or calendar.is_working(end)
