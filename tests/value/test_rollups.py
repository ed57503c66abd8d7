import datetime as dt
from decimal import Decimal

import pytest

from barriers.services.resolution import barrier_resolve
from shadowing import clock
from shadowing.programmes.models import Programme, Series
from tests.barriers.conftest import file_report, item_of, make_visit
from value.rollups import department_rollup, programme_rollup, series_rollup
from value.services import impact_review, impact_set_expected, impact_set_realised


@pytest.fixture
def series(programme):
    found = Series.objects.create(slug="loop", name="The loop")
    programme.series = found
    programme.save(update_fields=["series"])
    return found


@pytest.fixture
def winter(series, programme):
    start = programme.start_date - dt.timedelta(days=60)
    return Programme.objects.create(
        slug="winter",
        name="Winter",
        start_date=start,
        end_date=start + dt.timedelta(days=20),
        status="closed",
        series=series,
    )


def valued(report, by, *, expected, realised=None, review=None, reviewer=None):
    item = item_of(report)
    impact_set_expected(item=item, by=by, **expected)
    if realised:
        item = barrier_resolve(barrier=item, by=by, resolution="Fixed.")
        impact_set_realised(item=item, by=by, evidence="WFM report", **realised)
        if review:
            impact_review(item=item, by=reviewer, decision=review, reason="Not isolated.")
    return item


@pytest.fixture
def values(visit, winter, eve, adam, hank, bill, finn):
    winter_visit = make_visit(winter, eve, adam, winter.start_date + dt.timedelta(days=2))
    care = valued(
        file_report(visit, title="Refund form asks twice"),
        hank,
        expected={"kind": "contacts", "quantity": "100"},  # 600.00 at 6.00
        realised={"kind": "contacts", "quantity": "50"},  # 300.00
        review="confirmed",
        reviewer=finn,
    )
    billing = valued(
        file_report(visit, title="Invoice dates are wrong", department="BILL"),
        bill,
        expected={"kind": "amount", "quantity": "1000", "basis": "Credits / 3"},
        realised={"kind": "amount", "quantity": "800"},
        review="challenged",
        reviewer=finn,
    )
    early = valued(
        file_report(winter_visit, title="Password resets take three transfers"),
        hank,
        expected={"kind": "minutes", "quantity": "100"},  # 120.00 at 1.20
        realised={"kind": "minutes", "quantity": "100"},  # awaiting review
    )
    return care, billing, early


def by_key(rows):
    return {row.label.split(" (")[-1].rstrip(")"): row for row in rows}


def test_programme_rollup_keeps_confirmed_apart_from_claimed(values, programme):
    rollup = programme_rollup(programme)
    rows = by_key(rollup.rows)
    assert set(rows) == {"CARE", "BILL"}  # the winter item belongs to its own wave
    care, bill = rows["CARE"], rows["BILL"]
    assert (care.expected, care.claimed, care.confirmed, care.challenged) == (
        Decimal("600.00"), Decimal("0"), Decimal("300.00"), Decimal("0"),
    )  # fmt: skip
    assert (bill.expected, bill.claimed, bill.confirmed, bill.challenged) == (
        Decimal("1000.00"), Decimal("0"), Decimal("0"), Decimal("800.00"),
    )  # fmt: skip
    assert rollup.total.expected == Decimal("1600.00")
    assert rollup.total.confirmed == Decimal("300.00")
    assert rollup.currency == "CAD"


def test_series_rollup_per_wave_and_department(values, series, programme, winter):
    rollup = series_rollup(series)
    assert [row.label for row in rollup.waves] == ["Winter", "Autumn"]  # by start date
    winter_row, autumn_row = rollup.waves
    assert (winter_row.items, winter_row.claimed, winter_row.confirmed) == (
        1, Decimal("120.00"), Decimal("0"),
    )  # fmt: skip
    assert (autumn_row.items, autumn_row.confirmed, autumn_row.challenged) == (
        2, Decimal("300.00"), Decimal("800.00"),
    )  # fmt: skip
    care = by_key(rollup.rows)["CARE"]
    assert (care.items, care.expected, care.claimed, care.confirmed) == (
        2, Decimal("720.00"), Decimal("120.00"), Decimal("300.00"),
    )  # fmt: skip
    assert rollup.total.realised == Decimal("1220.00")


def test_department_rollup_spans_every_wave(values):
    rows = by_key(department_rollup().rows)
    assert rows["CARE"].expected == Decimal("720.00")
    assert rows["BILL"].challenged == Decimal("800.00")


def test_an_empty_programme_rolls_up_to_nothing(db, programme):
    rollup = programme_rollup(programme)
    assert rollup.rows == []
    assert rollup.total.expected == Decimal("0")


def test_rollup_query_count_is_flat(visit, hank, series, programme, django_assert_num_queries):
    def add(n):
        for index in range(n):
            report = file_report(visit, title=f"Barrier number {index} {clock.now().timestamp()}")
            impact_set_expected(item=item_of(report), by=hank, kind="contacts", quantity="3")

    add(1)
    with django_assert_num_queries(5):  # settings, waves, departments, the two sums
        series_rollup(series)
    add(6)
    with django_assert_num_queries(5):
        rollup = series_rollup(series)
    assert rollup.total.items >= 2
