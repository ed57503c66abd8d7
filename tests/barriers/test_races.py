"""Races on PostgreSQL (SQLite's in-memory test database serialises instead of racing): twenty
claims at once, claims racing transfers, the same reports filed twice at once. Real threads,
each with its own database connection."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection
from rest_framework.test import APIClient

from barriers.kinds import EventKind
from barriers.models import BacklogItem, ItemEvent, ItemReport, Status
from barriers.services.claims import barrier_claim
from barriers.services.common import Conflict
from barriers.services.filing import backlog_file_reports
from barriers.services.merges import barrier_merge
from barriers.services.transfers import barrier_transfer
from shadowing import clock
from shadowing.organisation.models import Department, Person
from tests.barriers.conftest import file_report, item_of
from tests.factories import PersonFactory

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="SQLite's in-memory test database locks tables instead of racing",
    ),
    pytest.mark.django_db(transaction=True),
]


def race(n, fn, read=None):
    """Run fn(i) in n threads at once; with `read`, each thread first reads its state
    (read(i)) and all then write from the same state: fn(i, state)."""
    start = threading.Barrier(n)

    def run(i):
        state = read(i) if read else None
        start.wait()
        try:
            return fn(i, state) if read else fn(i)
        except Exception as exc:  # the outcome is what the test compares
            return exc
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=n) as pool:
        return list(pool.map(run, range(n)))


@pytest.fixture
def staff(care, west_site):
    """Twenty managers of CARE: people who may own an item."""
    return [
        PersonFactory(
            email=f"staff{n}@example.com", department=care, site=west_site, is_executive=True
        )
        for n in range(20)
    ]


def test_twenty_concurrent_claims_exactly_one_wins(item, hank, staff):
    due = clock.local_today()

    def claim(i, fresh):
        return barrier_claim(
            barrier=fresh, by=hank, owner=staff[i], due=due, first_step=f"Step {i}"
        )

    results = race(20, claim, read=lambda _i: BacklogItem.objects.get(pk=item.pk))
    winners = [r for r in results if isinstance(r, BacklogItem)]
    losers = [r for r in results if isinstance(r, Conflict)]
    assert (len(winners), len(losers)) == (1, 19), results
    stored = BacklogItem.objects.get(pk=item.pk)
    assert stored.owner == winners[0].owner
    assert stored.first_step == winners[0].first_step
    assert ItemEvent.objects.filter(item=item, kind=EventKind.CLAIMED).count() == 1


def test_twenty_concurrent_claims_over_http_give_one_200_and_nineteen_409(item, hank, staff):
    due = clock.local_today().isoformat()

    def claim(i):
        client = APIClient()
        client.force_authenticate(hank)
        return client.post(
            f"/api/v1/barriers/{item.pk}/claim/",
            {"due": due, "first_step": f"Step {i}", "owner": staff[i].email},
            format="json",
        ).status_code

    assert sorted(race(20, claim)) == [200] + [409] * 19


def test_claims_and_transfers_racing_leave_exactly_one_owner(
    visit, hank, cora, staff, billing, bill
):
    items = [item_of(file_report(visit, title=f"Barrier {n}")) for n in range(5)]
    due = clock.local_today()
    for item in items:

        def act(i, fresh):
            if i % 2:
                return barrier_transfer(
                    barrier=fresh, by=hank, department=billing, reason=f"Theirs {i}"
                )
            return barrier_claim(
                barrier=fresh, by=cora, owner=staff[i], due=due, first_step=f"Step {i}"
            )

        results = race(10, act, read=lambda _i, item=item: BacklogItem.objects.get(pk=item.pk))
        assert sum(isinstance(r, BacklogItem) for r in results) == 1, results
        assert all(isinstance(r, BacklogItem | Conflict) for r in results), results
        stored = BacklogItem.objects.select_related("owner").get(pk=item.pk)
        changes = ItemEvent.objects.filter(
            item=item, kind__in=[EventKind.CLAIMED, EventKind.TRANSFERRED]
        )
        assert changes.count() == 1
        if stored.status == Status.CLAIMED:
            assert stored.department.code == "CARE"
            assert stored.owner.department_id == stored.department_id
        else:
            assert (stored.department, stored.owner, stored.claimed_at) == (billing, bill, None)


def test_the_same_reports_filed_at_once_make_one_item_each(visit, hank):
    reports = [file_report(visit, title=f"Barrier {n}") for n in range(3)]
    BacklogItem.objects.all().delete()
    ids = [r.pk for r in reports]
    race(4, lambda _i: backlog_file_reports(report_ids=ids))
    assert ItemReport.objects.count() == 3
    assert BacklogItem.objects.count() == 3


def test_a_merge_racing_a_claim_keeps_a_consistent_item(visit, hank, cora, mo):
    target = item_of(file_report(visit, title="Target"))
    source = item_of(file_report(visit, title="Source"))
    due = clock.local_today()

    def act(i, fresh):
        if i == 0:
            return barrier_merge(source=fresh, into=BacklogItem.objects.get(pk=target.pk), by=cora)
        return barrier_claim(barrier=fresh, by=hank, owner=mo, due=due, first_step="x")

    results = race(2, act, read=lambda _i: BacklogItem.objects.get(pk=source.pk))
    assert sum(isinstance(r, BacklogItem) for r in results) == 1, results
    stored = BacklogItem.objects.get(pk=source.pk)
    assert stored.status in (Status.MERGED, Status.CLAIMED)
    assert Person.objects.filter(pk=stored.owner_id).exists()
    assert Department.objects.filter(pk=stored.department_id).exists()
