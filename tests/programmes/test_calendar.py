"""Closed days: public holidays by a site's country and province, and blackout dates."""

import datetime as dt
from types import SimpleNamespace

import pytest
from django.utils import translation

from shadowing.programmes import calendar
from shadowing.programmes.models import BlackoutDate, Programme

QC = SimpleNamespace(pk=1, country="CA", subdivision="QC")
ON = SimpleNamespace(pk=2, country="CA", subdivision="ON")
NOWHERE = SimpleNamespace(pk=3, country="", subdivision="")


@pytest.mark.parametrize(
    ("country", "subdivision", "day", "expected"),
    [
        ("CA", "QC", dt.date(2026, 6, 24), True),  # Fête nationale, Quebec only
        ("CA", "ON", dt.date(2026, 6, 24), False),
        ("CA", "ON", dt.date(2026, 12, 25), True),
        ("ca", "on", dt.date(2026, 12, 25), True),  # codes read case-insensitively
        ("", "", dt.date(2026, 12, 25), False),  # no country: no holidays
        ("ZZ", "", dt.date(2026, 12, 25), False),
    ],
)
def test_holiday_name_by_country_and_province(country, subdivision, day, expected):
    assert (calendar.holiday_name(country, subdivision, day) is not None) is expected


def test_holiday_names_follow_the_language():
    day = dt.date(2026, 12, 25)
    assert calendar.holiday_name("CA", "QC", day) == "Christmas Day"
    with translation.override("fr-ca"):
        assert calendar.holiday_name("CA", "QC", day) == "Jour de Noël"
        assert calendar.holiday_name("CA", "QC", dt.date(2026, 1, 1)) == "Jour de l\u2019an"


@pytest.mark.parametrize(
    ("country", "subdivision", "supported"),
    [("CA", "", True), ("CA", "QC", True), ("CA", "XX", False), ("ZZ", "", False)],
)
def test_is_supported(country, subdivision, supported):
    assert calendar.is_supported(country, subdivision) is supported


@pytest.mark.django_db
def test_closed_days_join_holidays_and_blackouts_across_a_new_year():
    programme = Programme.objects.create(
        slug="winter", name="Winter", start_date=dt.date(2026, 12, 21), end_date=dt.date(2027, 1, 8)
    )
    BlackoutDate.objects.create(programme=programme, date=dt.date(2027, 1, 5), reason="Town hall")
    closed = calendar.closed_days(programme, [QC, NOWHERE])
    assert closed[(1, dt.date(2026, 12, 25))] == "public holiday: Christmas Day"
    assert closed[(1, dt.date(2027, 1, 1))] == "public holiday: New Year's Day"
    assert (3, dt.date(2026, 12, 25)) not in closed
    assert closed[(3, dt.date(2027, 1, 5))] == "blackout date: Town hall"
    assert closed[(1, dt.date(2027, 1, 5))] == "blackout date: Town hall"
    assert (1, dt.date(2026, 12, 22)) not in closed
    assert calendar.closed_reason(programme, ON, dt.date(2026, 12, 25)) is not None
    assert calendar.closed_reason(programme, ON, dt.date(2026, 12, 22)) is None
