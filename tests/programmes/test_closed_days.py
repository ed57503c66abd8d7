"""Pairing leaves out closed days: a site's public holidays and the programme's blackouts."""

import datetime as dt

import pytest

from shadowing.programmes.models import Availability, BlackoutDate, Programme
from shadowing.programmes.pairing_models import Pairing, PairingRun, PairingStatus
from shadowing.programmes.store.problem import DAYS_CLOSED, problem_load
from shadowing.programmes.store.runs import unpaired_message
from tests.programmes.conftest import make_pairing, make_shift, run

pytestmark = pytest.mark.django_db

CHRISTMAS = dt.date(2027, 12, 25)
CHRISTMAS_OBSERVED = dt.date(2027, 12, 27)


@pytest.fixture
def winter(db, west_site):
    west_site.country, west_site.subdivision = "CA", "BC"
    west_site.save()
    return Programme.objects.create(
        slug="winter-2027",
        name="Winter 2027",
        start_date=dt.date(2027, 12, 20),
        end_date=dt.date(2027, 12, 31),
    )


def test_no_shift_on_a_site_holiday_or_blackout_reaches_the_engine(winter, eve, adam):
    for day in winter.dates:
        make_shift(winter, adam, day)
    BlackoutDate.objects.create(programme=winter, date=dt.date(2027, 12, 21), reason="Close")
    shift_days = {s.date for s in problem_load(winter).problem.shifts}
    # British Columbia: Christmas on Saturday the 25th, observed Monday the 27th; no Boxing Day.
    closed = {dt.date(2027, 12, 21), CHRISTMAS, CHRISTMAS_OBSERVED}
    assert shift_days == set(winter.dates) - closed


def test_a_site_without_a_country_keeps_its_shifts_on_holidays(winter, eve, adam):
    adam.site.country = ""
    adam.site.save()
    make_shift(winter, adam, dt.date(2027, 12, 25))
    assert {s.date for s in problem_load(winter).problem.shifts} == {dt.date(2027, 12, 25)}


def test_pair_never_proposes_a_visit_on_a_closed_day(winter, eve, adam):
    make_shift(winter, adam, dt.date(2027, 12, 25))
    make_shift(winter, adam, dt.date(2027, 12, 22))
    BlackoutDate.objects.create(programme=winter, date=dt.date(2027, 12, 22), reason="Town hall")
    out, _err = run("pair", winter.slug)
    assert not Pairing.objects.exists()
    assert "paired 0 of 2 executives" in out


def test_an_executive_whose_every_date_is_closed_is_told_so(winter, eve, adam):
    make_shift(winter, adam, dt.date(2027, 12, 22))
    Availability.objects.create(programme=winter, executive=eve, date=dt.date(2027, 12, 25))
    Availability.objects.create(programme=winter, executive=eve, date=dt.date(2027, 12, 21))
    BlackoutDate.objects.create(programme=winter, date=dt.date(2027, 12, 21), reason="Close")
    run("pair", winter.slug)
    unpaired = PairingRun.objects.get().unpaired.get(executive=eve)
    assert unpaired.reason == DAYS_CLOSED
    assert unpaired.params == {"closed_dates": "2"}
    assert "is closed: a public holiday" in unpaired_message(unpaired)


def test_an_executive_with_an_open_date_gets_the_engine_reason(winter, eve, adam):
    make_shift(winter, adam, dt.date(2027, 12, 23))
    Availability.objects.create(programme=winter, executive=eve, date=dt.date(2027, 12, 22))
    run("pair", winter.slug)
    assert PairingRun.objects.get().unpaired.get(executive=eve).reason == "no_date_in_common"


def test_a_published_visit_on_a_newly_closed_day_is_kept_and_reported(winter, eve, adam):
    day = dt.date(2027, 12, 22)
    make_pairing(winter, eve, adam, day, status=PairingStatus.PUBLISHED)
    BlackoutDate.objects.create(programme=winter, date=day, reason="Town hall")
    out, _err = run("pair", winter.slug)
    assert Pairing.objects.get().status == PairingStatus.PUBLISHED
    assert "1 locked or published visit breaks a rule today" in out


def test_a_proposed_visit_on_a_newly_closed_day_moves(winter, eve, adam):
    make_shift(winter, adam, dt.date(2027, 12, 23))
    make_pairing(winter, eve, adam, dt.date(2027, 12, 22))
    BlackoutDate.objects.create(programme=winter, date=dt.date(2027, 12, 22), reason="Close")
    run("pair", winter.slug)
    assert Pairing.objects.active().get().date == dt.date(2027, 12, 23)
