"""Races on PostgreSQL (SQLite's in-memory test database serialises instead of racing): double
submits, autosaves racing a submit, two first saves at once, an agent's retried form."""

import threading
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection

from debriefs.models import BarrierReport, Debrief, DebriefStatus
from debriefs.services.drafts import (
    DebriefLocked,
    debrief_create,
    debrief_get_or_create,
    debrief_save_draft,
)
from debriefs.services.reports import barrier_report_file_by_agent
from debriefs.services.submission import debrief_submit
from tests.debriefs.conftest import barrier

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="SQLite's in-memory test database locks tables instead of racing",
    ),
    pytest.mark.django_db(transaction=True),
]

BODY = {
    "overall": "Seen.",
    "rating": 3,
    "commitment": "",
    "barriers": [barrier(title="One", key=None), barrier(title="Two", key=None)],
}


def race(n, fn):
    start = threading.Barrier(n)

    def run(i):
        start.wait()
        try:
            return fn(i)
        except Exception as exc:  # the outcome is what the test compares
            return exc
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=n) as pool:
        return list(pool.map(run, range(n)))


def test_concurrent_submits_submit_once(eve, visit):
    debrief = debrief_create(pairing=visit, by=eve, body=BODY)

    def submit(_i):
        fresh = Debrief.objects.select_related("pairing").get(pk=debrief.pk)
        return debrief_submit(debrief=fresh, by=eve)[1]

    results = race(4, submit)
    assert sorted(results) == [False, False, False, True]
    assert BarrierReport.objects.count() == 2


def test_autosaves_racing_a_submit_never_land_after_it(eve, visit):
    debrief = debrief_create(pairing=visit, by=eve, body=BODY)

    def act(i):
        fresh = Debrief.objects.select_related("pairing").get(pk=debrief.pk)
        if i == 0:
            return debrief_submit(debrief=fresh, by=eve, body={"overall": "Final."})
        return debrief_save_draft(debrief=fresh, by=eve, body={"overall": f"Draft {i}"})

    results = race(6, act)
    stored = Debrief.objects.get()
    assert stored.status == DebriefStatus.SUBMITTED
    assert stored.overall == "Final."
    for result in results[1:]:
        assert isinstance(result, DebriefLocked | Debrief)


def test_two_first_saves_make_one_debrief(eve, visit):
    results = race(4, lambda _i: debrief_get_or_create(pairing=visit, by=eve)[0].pk)
    assert len(set(results)) == 1
    assert Debrief.objects.count() == 1


def test_an_agents_retried_form_files_once(adam, visit):
    key = str(uuid.uuid4())
    results = race(
        4,
        lambda _i: barrier_report_file_by_agent(
            pairing=visit, agent=adam, barrier=barrier(), anonymous=True, key=key
        )[1],
    )
    assert sorted(results) == [False, False, False, True]
    assert BarrierReport.objects.count() == 1
