"""Reminders: the agent's link when the visit ends, the executive reminded after two days, the
coordinators told after five; each once, whatever the number of sweeps or retries; in each
recipient's language."""

import datetime as dt

import pytest
from django.core import mail

from debriefs.models import DebriefNotice, NoticeKind
from debriefs.services.drafts import debrief_create
from debriefs.services.submission import debrief_submit
from debriefs.tasks import debrief_overdue_send, debrief_reminders_sweep
from tests.debriefs.conftest import barrier

pytestmark = pytest.mark.django_db

HOUR = dt.timedelta(hours=1)
DAY = dt.timedelta(days=1)


def sweep(visit, after):
    return debrief_reminders_sweep(now=visit.ends_at + after)


def sent_to(*emails):
    return sorted(tuple(m.to) for m in mail.outbox) == sorted((e,) for e in emails)


def test_nothing_before_the_visit_ends(visit):
    assert sweep(visit, -HOUR) == {"agent_links": 0, "reminders": 0, "overdue": 0}
    assert mail.outbox == []


def test_the_agent_gets_his_link_when_the_visit_ends(visit, adam):
    assert sweep(visit, HOUR)["agent_links"] == 1
    assert sent_to("adam@example.com")
    assert "/agent/" in mail.outbox[0].body
    assert "Eve Executive" in mail.outbox[0].body


def test_each_message_goes_once_however_often_the_sweep_runs(visit, cora):
    for after in (HOUR, 2 * HOUR, 2 * DAY + HOUR, 2 * DAY + 2 * HOUR, 5 * DAY + HOUR, 6 * DAY):
        sweep(visit, after)
    assert sent_to("adam@example.com", "eve@example.com", "cora@example.com")


def test_the_executive_is_reminded_after_two_days(visit, eve):
    sweep(visit, HOUR)
    mail.outbox.clear()
    assert sweep(visit, 2 * DAY - HOUR)["reminders"] == 0
    assert sweep(visit, 2 * DAY + HOUR)["reminders"] == 1
    assert sent_to("eve@example.com")
    assert f"/visits/{visit.pk}/debrief/" in mail.outbox[0].body


def test_no_reminder_once_submitted(visit, eve, cora):
    debrief = debrief_create(
        pairing=visit, by=eve, body={"overall": "Seen.", "rating": 3, "barriers": [barrier()]}
    )
    debrief_submit(debrief=debrief, by=eve)
    sweep(visit, 6 * DAY)
    assert sent_to("adam@example.com")


def test_a_draft_still_gets_the_reminder(visit, eve):
    debrief_create(pairing=visit, by=eve, body={"overall": "Half"})
    sweep(visit, 2 * DAY + HOUR)
    assert ("eve@example.com",) in [tuple(m.to) for m in mail.outbox]


def test_coordinators_are_told_after_five_days_in_one_message(programme, visit, cora, hanks):
    assert sweep(visit, 5 * DAY + HOUR)["overdue"] == 2
    to_cora = [m for m in mail.outbox if m.to == ["cora@example.com"]]
    assert len(to_cora) == 1
    assert "Eve Executive" in to_cora[0].body
    assert "Hank Head" in to_cora[0].body
    assert f"/debriefs/completion/{programme.slug}/" in to_cora[0].body


def test_overdue_task_retried_sends_nothing_more(visit, cora):
    debrief_overdue_send([visit.pk])
    debrief_overdue_send([visit.pk])
    assert sent_to("cora@example.com")
    assert DebriefNotice.objects.filter(kind=NoticeKind.OVERDUE, sent_at__isnull=False).count() == 1


def test_a_failed_send_is_retried_later(visit, monkeypatch):
    from debriefs import mail as debrief_mail
    from debriefs.tasks import agent_link_send

    def broken(pairing):
        raise OSError("mail server down")

    monkeypatch.setattr(debrief_mail, "agent_link_mail", broken)
    with pytest.raises(OSError, match="mail server down"):
        agent_link_send(visit.pk)
    monkeypatch.undo()
    assert agent_link_send(visit.pk) is True
    assert agent_link_send(visit.pk) is False
    assert sent_to("adam@example.com")


def test_cancelled_and_old_visits_are_left_alone(visit):
    assert sweep(visit, 40 * DAY) == {"agent_links": 0, "reminders": 0, "overdue": 0}
    visit.status = "cancelled"
    visit.save()
    assert sweep(visit, HOUR)["agent_links"] == 0


def test_the_reminder_speaks_french_to_a_french_speaker(visit, eve):
    eve.ui_language = "fr-ca"
    eve.save()
    sweep(visit, 2 * DAY + HOUR)
    reminder = next(m for m in mail.outbox if m.to == ["eve@example.com"])
    assert "Rappel" in reminder.subject
    assert "Bonjour" in reminder.body


def test_the_schedule_exists():
    from django_q.models import Schedule

    schedule = Schedule.objects.get(name="debriefs: reminders")
    assert schedule.func == "debriefs.tasks.debrief_reminders_sweep"
