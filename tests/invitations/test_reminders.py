"""Reminders and the debrief request: due ones queued once by the sweeper, none for a cancelled
visit, none stale after downtime; the sweeper's schedule exists once, with catch-up off."""

import datetime as dt

import pytest
from django.conf import settings
from django_q.models import Schedule

from shadowing.invitations.models import InvitationLog, MessageKind, MessageStatus
from shadowing.invitations.sending import invitations_send
from shadowing.invitations.services import pairing_cancel, programme_publish
from shadowing.invitations.tasks import SWEEP_FUNC, SWEEP_NAME, invitations_sweep
from tests.invitations.conftest import days_ahead, make_pairing


@pytest.fixture
def visit(soon, cora, eve, adam, django_capture_on_commit_callbacks, mailoutbox):
    visit = make_pairing(soon, eve, adam, days_ahead(21))
    with django_capture_on_commit_callbacks(execute=True):
        programme_publish(programme=soon, by=cora)
    mailoutbox.clear()
    visit.refresh_from_db()
    return visit


def sweep_and_send(visit, at):
    invitations_sweep(now=at)
    invitations_send(pairing_ids=[visit.pk], now=at)


def kinds(sent):
    return sorted((m.to.split("<")[1].rstrip(">"), m.subject.split(":")[0]) for m in sent())


def test_the_executive_three_days_before_the_agent_the_day_before_once_each(
    visit, sent, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        sweep_and_send(visit, visit.starts_at - dt.timedelta(days=4))
    assert sent() == []
    with django_capture_on_commit_callbacks(execute=True):
        sweep_and_send(visit, visit.starts_at - dt.timedelta(days=3) + dt.timedelta(minutes=1))
        sweep_and_send(visit, visit.starts_at - dt.timedelta(days=2))
    assert kinds(sent) == [("eve@example.com", "Reminder")]
    with django_capture_on_commit_callbacks(execute=True):
        sweep_and_send(visit, visit.starts_at - dt.timedelta(hours=20))
        sweep_and_send(visit, visit.starts_at - dt.timedelta(hours=19))
    assert kinds(sent) == [("adam@example.com", "Reminder"), ("eve@example.com", "Reminder")]
    (to_eve,) = [m for m in sent() if "eve@" in m.to]
    assert to_eve.calendar is None  # a reminder is not an iTIP message
    assert "/visits/decline/" in to_eve.text
    assert "Preparing for the day" in to_eve.text


def test_the_debrief_request_goes_when_the_visit_ends_with_the_debrief_link(
    visit, sent, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        sweep_and_send(visit, visit.ends_at - dt.timedelta(minutes=1))
    assert [m for m in sent() if "debrief" in m.subject.lower()] == []
    with django_capture_on_commit_callbacks(execute=True):
        sweep_and_send(visit, visit.ends_at + dt.timedelta(minutes=1))
        sweep_and_send(visit, visit.ends_at + dt.timedelta(hours=2))
    debriefs = [m for m in sent() if "debrief" in m.subject.lower()]
    assert [m.to for m in debriefs] == ["Eve Executive <eve@example.com>"]
    assert f"/visits/{visit.pk}/debrief/" in debriefs[0].text
    assert f"/visits/{visit.pk}/debrief/" in debriefs[0].html


def test_a_cancelled_visit_gets_no_reminder(
    visit, cora, sent, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        pairing_cancel(pairing=visit, by=cora)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        for hours in (70, 20, -10):
            sweep_and_send(visit, visit.starts_at - dt.timedelta(hours=hours))
    assert sent() == []
    assert not InvitationLog.objects.filter(kind=MessageKind.REMINDER).exists()


def test_a_reminder_queued_before_a_cancel_is_not_sent(
    visit, cora, sent, mailoutbox, django_capture_on_commit_callbacks
):
    at = visit.starts_at - dt.timedelta(days=2)
    invitations_sweep(now=at)  # queued, not yet sent
    with django_capture_on_commit_callbacks(execute=False):
        pairing_cancel(pairing=visit, by=cora)
    mailoutbox.clear()
    invitations_send(pairing_ids=[visit.pk], now=at)
    assert [m.method for m in sent()] == ["CANCEL", "CANCEL"]
    row = InvitationLog.objects.get(kind=MessageKind.REMINDER)
    assert row.status == MessageStatus.SUPERSEDED


def test_after_downtime_nothing_stale_goes(visit, sent, django_capture_on_commit_callbacks):
    # The workers were down for the whole visit and a week after: on restart, no reminder for a
    # visit that began, no debrief request for one long over.
    with django_capture_on_commit_callbacks(execute=True):
        sweep_and_send(visit, visit.ends_at + dt.timedelta(days=7))
    assert sent() == []


def test_an_invitation_inside_the_reminder_window_is_not_followed_by_a_reminder(
    soon, cora, ed, ada, sent, mailoutbox, django_capture_on_commit_callbacks
):
    late = make_pairing(soon, ed, ada, days_ahead(20))
    with django_capture_on_commit_callbacks(execute=True):
        programme_publish(programme=soon, by=cora)
    InvitationLog.objects.filter(pairing=late).update(sent_at=late.starts_at - dt.timedelta(days=2))
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        sweep_and_send(late, late.starts_at - dt.timedelta(hours=30))
    assert sent.to("ed@example.com") == []


def test_the_sweeper_schedule_exists_once_and_the_cluster_is_configured_safely(db):
    schedule = Schedule.objects.get(name=SWEEP_NAME)
    assert (schedule.func, schedule.schedule_type, schedule.minutes) == (
        SWEEP_FUNC,
        Schedule.MINUTES,
        1,
    )
    assert Schedule.objects.filter(func=SWEEP_FUNC).count() == 1
    q = settings.Q_CLUSTER
    assert q["catch_up"] is False  # no storm of missed sweeps after downtime
    assert 0 < q["max_attempts"] <= 5  # bounded retries
    assert q["timeout"] < q["retry"]  # a task is not retried while it still runs
    assert q["ack_failures"] is True
    assert ("redis" in q) != ("orm" in q)


def test_redis_is_the_broker_when_redis_url_is_set_and_the_orm_otherwise():
    import os
    import subprocess
    import sys

    code = (
        "from django.conf import settings; q = settings.Q_CLUSTER; "
        "print(q.get('redis'), q.get('orm'))"
    )
    base = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", "DEBUG": "true"}
    base.pop("REDIS_URL", None)
    runs = {}
    for redis in ("", "redis://127.0.0.1:6379/9"):
        env = {**base, "REDIS_URL": redis} if redis else base
        out = subprocess.run(
            [sys.executable, "-c", "import django; django.setup(); " + code],
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        )
        runs[redis] = out.stdout.split()
    assert runs[""] == ["None", "default"]
    assert runs["redis://127.0.0.1:6379/9"] == ["redis://127.0.0.1:6379/9", "None"]
