"""Working days for escalation: pure, table cases and properties."""

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from barriers.workdays import add_working_days, working_days_between

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
