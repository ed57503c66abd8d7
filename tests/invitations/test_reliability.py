"""Sending survives failures: a refused send is retried, a worker killed half-way is taken over,
a task delivered twice mails once. Whatever happens, every person ends with exactly one
message per change (the one exception, a crash in the instant between the mail server's
acceptance and the log's update, resends the same Message-ID, UID and SEQUENCE)."""

import datetime as dt
import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection
from django.utils import timezone

from shadowing.invitations import sending
from shadowing.invitations.models import InvitationLog, MessageStatus
from shadowing.invitations.sending import MAX_ATTEMPTS, invitations_send, lease
from shadowing.invitations.services import pairing_cancel, programme_publish
from shadowing.invitations.tasks import invitations_sweep
from shadowing.programmes.pairing_models import Pairing
from tests.factories import PersonFactory
from tests.invitations.backends import ScriptedBackend, WorkerKilled
from tests.invitations.conftest import days_ahead, make_pairing

SCRIPTED = {"default": {"BACKEND": "tests.invitations.backends.ScriptedBackend"}}


@pytest.fixture
def scripted(settings):
    settings.MAILERS = SCRIPTED
    ScriptedBackend.plan = []
    ScriptedBackend.calls = 0
    return ScriptedBackend


@pytest.fixture
def three_visits(soon, cora, care, finance, west_site):
    """Three visits (six people), published with their sends left queued (no worker ran)."""
    visits = []
    for n in range(3):
        executive = PersonFactory(
            email=f"x{n}@example.com", department=finance, site=west_site, is_executive=True
        )
        agent = PersonFactory(
            email=f"a{n}@example.com", department=care, site=west_site, is_agent=True
        )
        visits.append(make_pairing(soon, executive, agent, days_ahead(21)))
    programme_publish(programme=soon, by=cora)  # no on_commit here: nothing is sent yet
    return [v.pk for v in visits]


def one_per_change(sent) -> Counter:
    return Counter((m.to, m.uid, m.sequence, m.method) for m in sent())


def test_a_refused_send_is_retried_later_and_sent_once(scripted, three_visits, sent):
    scripted.plan = ["ok", "fail"]
    now = timezone.now()
    report = invitations_send(pairing_ids=three_visits, now=now)
    assert (report.sent, report.failed) == (5, 1)
    failed = InvitationLog.objects.get(status=MessageStatus.FAILED)
    assert failed.attempts == 1
    assert failed.next_attempt_at == now + dt.timedelta(minutes=1)
    assert "SMTPServerDisconnected" in failed.error

    # Not before its time...
    assert invitations_send(pairing_ids=three_visits, now=now).sent == 0
    # ... then once, and never again.
    later = now + dt.timedelta(minutes=2)
    found = invitations_sweep(now=later)
    assert found["retried"] == 1
    assert invitations_send(pairing_ids=three_visits, now=later).sent == 1
    assert invitations_send(pairing_ids=three_visits, now=later).sent == 0
    counts = one_per_change(sent)
    assert len(counts) == 6
    assert set(counts.values()) == {1}
    assert set(InvitationLog.objects.values_list("status", flat=True)) == {MessageStatus.SENT}


def test_a_message_that_keeps_failing_is_given_up_after_max_attempts(scripted, three_visits):
    scripted.plan = ["fail"] * MAX_ATTEMPTS * 2  # both messages of the visit
    now = timezone.now()
    for _attempt in range(MAX_ATTEMPTS):
        invitations_send(pairing_ids=three_visits[:1], now=now)
        now += dt.timedelta(hours=2)
    rows = InvitationLog.objects.filter(pairing_id=three_visits[0])
    assert {(r.status, r.attempts, r.next_attempt_at) for r in rows} == {
        (MessageStatus.ABANDONED, MAX_ATTEMPTS, None)
    }
    assert invitations_send(pairing_ids=three_visits[:1], now=now).sent == 0


def test_a_worker_killed_half_way_is_taken_over_without_a_second_copy(scripted, three_visits, sent):
    scripted.plan = ["ok", "ok", "kill"]
    now = timezone.now()
    with pytest.raises(WorkerKilled):
        invitations_send(pairing_ids=three_visits, now=now)
    statuses = Counter(InvitationLog.objects.values_list("status", flat=True))
    assert statuses == {MessageStatus.SENT: 2, MessageStatus.SENDING: 1, MessageStatus.QUEUED: 3}

    # The task is delivered again at once (a retry, or a duplicate): the queued ones go, the
    # one the dead worker held waits for its lease to end.
    assert invitations_send(pairing_ids=three_visits, now=now).sent == 3
    assert invitations_send(pairing_ids=three_visits, now=now + lease() / 2).sent == 0
    later = now + lease() + dt.timedelta(seconds=1)
    assert invitations_sweep(now=later)["retried"] == 1
    assert invitations_send(pairing_ids=three_visits, now=later).sent == 1
    counts = one_per_change(sent)
    assert len(counts) == 6
    assert set(counts.values()) == {1}


def test_a_crash_after_the_server_accepted_resends_the_same_message_identity(
    scripted, three_visits, sent
):
    scripted.plan = ["kill-after"]
    now = timezone.now()
    with pytest.raises(WorkerKilled):
        invitations_send(pairing_ids=three_visits, now=now)
    later = now + lease() + dt.timedelta(seconds=1)
    invitations_send(pairing_ids=three_visits, now=later)
    messages = sent()
    assert len(messages) == 7  # at least once: one message went twice...
    first, again = [m for m in messages if m.to == messages[0].to]
    # ... as the same message and the same calendar revision: mail systems that de-duplicate
    # by Message-ID show one, and every calendar keeps one event.
    assert first.mime["Message-ID"] == again.mime["Message-ID"]
    assert (first.uid, first.sequence, first.method) == (again.uid, again.sequence, again.method)


def test_a_task_delivered_twice_sends_each_message_once(three_visits, sent):
    invitations_send(pairing_ids=three_visits)
    invitations_send(pairing_ids=three_visits)
    assert len(sent()) == 6


def test_a_row_another_worker_holds_is_left_to_it(three_visits, sent):
    now = timezone.now()
    held = InvitationLog.objects.filter(pairing_id=three_visits[0]).first()
    InvitationLog.objects.filter(pk=held.pk).update(
        status=MessageStatus.SENDING, claimed_at=now, attempts=1
    )
    report = invitations_send(pairing_ids=three_visits, now=now)
    assert (report.sent, report.skipped) == (5, 0)  # not even loaded: not sendable
    assert InvitationLog.objects.get(pk=held.pk).status == MessageStatus.SENDING


def test_a_lost_queueing_is_found_by_the_sweeper(three_visits, sent):
    # The publish committed but its task never reached a worker (a broker restart).
    assert sent() == []
    soon_after = timezone.now() + dt.timedelta(minutes=1)
    assert invitations_sweep(now=soon_after)["retried"] == 0  # left to the task for a while
    later = timezone.now() + dt.timedelta(minutes=6)
    assert invitations_sweep(now=later)["retried"] == 3
    invitations_send(pairing_ids=three_visits, now=later)
    assert len(sent()) == 6


def test_a_cancel_racing_a_send_never_leaves_an_event_behind(
    cora, three_visits, sent, django_capture_on_commit_callbacks
):
    # A worker has taken Eve's REQUEST (sending) when the visit is cancelled: she may get the
    # invitation, so she must get the CANCEL too. The agent's REQUEST was still queued: it is
    # withdrawn, and the agent, who never had the event, gets no CANCEL.
    visit = Pairing.objects.get(pk=three_visits[0])
    taken = InvitationLog.objects.get(pairing=visit, person=visit.executive)
    InvitationLog.objects.filter(pk=taken.pk).update(
        status=MessageStatus.SENDING, claimed_at=timezone.now(), attempts=1
    )
    pairing_cancel(pairing=visit, by=cora, reason="")
    rows = {
        (r.person_id, r.kind, r.sequence): r.status
        for r in InvitationLog.objects.filter(pairing=visit)
    }
    assert rows == {
        (visit.executive_id, "request", 0): MessageStatus.SENDING,
        (visit.agent_id, "request", 0): MessageStatus.SUPERSEDED,
        (visit.executive_id, "cancel", 1): MessageStatus.QUEUED,
    }


@pytest.mark.postgres
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite's in-memory test database locks tables instead of racing",
)
@pytest.mark.django_db(transaction=True)
def test_concurrent_workers_send_each_message_once(
    soon, cora, care, finance, west_site, monkeypatch
):
    from django.core import mail

    from shadowing.invitations import services

    # Committed for real here: keep the publish from sending inline, the four workers will.
    monkeypatch.setattr(services, "invitations_queue", lambda **kwargs: None)

    ids = []
    for n in range(10):
        executive = PersonFactory(
            email=f"x{n}@example.com", department=finance, site=west_site, is_executive=True
        )
        agent = PersonFactory(
            email=f"a{n}@example.com", department=care, site=west_site, is_agent=True
        )
        ids.append(make_pairing(soon, executive, agent, days_ahead(21)).pk)
    programme_publish(programme=soon, by=cora)
    start = threading.Barrier(4)

    def work(_):
        start.wait()
        try:
            return sending.invitations_send(pairing_ids=ids).sent
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(work, range(4)))
    assert sum(results) == 20
    assert len(mail.outbox) == 20
    assert len({m.extra_headers["Message-ID"] for m in mail.outbox}) == 20
