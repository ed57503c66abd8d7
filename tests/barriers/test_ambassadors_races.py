"""Two CX ambassadors of one department claim the same item at once, on PostgreSQL (SQLite's
in-memory test database serialises instead of racing): one wins, the other gets 409, the item
has one owner (the head) and one claim in its history."""

import datetime as dt

import pytest
from django.db import connection

from barriers.kinds import EventKind
from barriers.models import BacklogItem, ItemEvent, Status
from barriers.services.claims import barrier_claim
from barriers.services.common import Conflict
from shadowing import clock
from shadowing.organisation.models import Person
from tests.barriers.conftest import file_report, item_of
from tests.barriers.test_races import race
from tests.factories import PersonFactory

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="SQLite's in-memory test database locks tables instead of racing",
    ),
    pytest.mark.django_db(transaction=True),
]


def test_two_ambassadors_claiming_at_once_one_wins(visit, hank, care, west_site):
    ambassadors = [
        PersonFactory(
            email=f"amb{n}@example.com", department=care, site=west_site, is_cx_ambassador=True
        )
        for n in range(2)
    ]
    item = item_of(file_report(visit))
    due = clock.local_today() + dt.timedelta(days=7)

    def read(i):
        return BacklogItem.objects.select_related("department__head").get(pk=item.pk)

    def claim(i, seen):
        by = Person.objects.get(pk=ambassadors[i].pk)
        return barrier_claim(barrier=seen, by=by, due=due, first_step=f"Step {i}.")

    outcomes = race(2, claim, read=read)
    wins = [o for o in outcomes if isinstance(o, BacklogItem)]
    lost = [o for o in outcomes if isinstance(o, Conflict)]
    assert (len(wins), len(lost)) == (1, 1), outcomes
    item.refresh_from_db()
    assert (item.status, item.owner, item.claimed_by) == (Status.CLAIMED, hank, hank)
    claims = ItemEvent.objects.filter(item=item, kind=EventKind.CLAIMED)
    assert claims.count() == 1
    assert claims.get().actor_id in {a.pk for a in ambassadors}


def test_the_losing_claim_answers_409_through_the_api(visit, hank, care, west_site):
    from rest_framework.test import APIClient

    ambassadors = [
        PersonFactory(
            email=f"api{n}@example.com", department=care, site=west_site, is_cx_ambassador=True
        )
        for n in range(2)
    ]
    item = item_of(file_report(visit))
    body = {"due": (clock.local_today() + dt.timedelta(days=7)).isoformat(), "first_step": "Go."}

    def claim(i):
        client = APIClient()
        client.force_authenticate(ambassadors[i])
        return client.post(f"/api/v1/barriers/{item.pk}/claim/", body, format="json").status_code

    assert sorted(race(2, claim)) == [200, 409]
    assert BacklogItem.objects.get(pk=item.pk).owner == hank
