"""Background work: reports filed from the debriefs' signal, escalation after 5 and 10 working
days (unclaimed and overdue), reporters told of resolutions, each message once."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.utils import timezone

from barriers import tasks
from barriers.kinds import EventKind, NoticeKind
from barriers.models import BacklogItem, BacklogSettings, Notice
from barriers.services.claims import barrier_claim
from barriers.services.merges import barrier_merge
from barriers.services.resolution import barrier_reopen, barrier_resolve, barrier_wont_fix
from barriers.services.transfers import barrier_transfer
from debriefs.services.drafts import debrief_get_or_create
from debriefs.services.submission import debrief_submit
from tests.barriers.conftest import file_report, item_of
from tests.debriefs.conftest import full_body

pytestmark = pytest.mark.django_db

MONDAY = dt.datetime(2026, 11, 2, 9, tzinfo=dt.UTC)


def at(working_days_later: int, *, start=MONDAY):
    """`start` plus that many working days (Mon-Fri), same time of day."""
    day, left = start, working_days_later
    while left:
        day += dt.timedelta(days=1)
        if day.weekday() < 5:
            left -= 1
    return day


def test_submitting_a_debrief_files_its_barriers_into_the_backlog(
    visit, eve, hank, django_capture_on_commit_callbacks
):
    debrief, _created = debrief_get_or_create(pairing=visit, by=eve)
    with django_capture_on_commit_callbacks(execute=True):
        debrief_submit(debrief=debrief, by=eve, body=full_body(barriers=2))
    assert BacklogItem.objects.count() == 2
    assert set(BacklogItem.objects.values_list("owner__email", flat=True)) == {"hank@example.com"}


def test_the_sweep_files_reports_the_signal_missed(visit, hank):
    report = file_report(visit)
    BacklogItem.objects.all().delete()
    assert tasks.backlog_sweep()["filed"] == 1
    assert item_of(report).owner == hank


@pytest.fixture
def old_item(visit, hank):
    item = item_of(file_report(visit))
    BacklogItem.objects.filter(pk=item.pk).update(owned_since=MONDAY, created_at=MONDAY)
    item.refresh_from_db()
    return item


def test_unclaimed_item_reminds_its_owner_after_5_working_days(old_item, hank, cora):
    assert tasks.escalate(now=at(4)) == {}
    assert tasks.escalate(now=at(5)) == {NoticeKind.REMINDER: 1}
    assert [m.to for m in mail.outbox] == [["hank@example.com"]]
    assert old_item.title in mail.outbox[0].body
    assert tasks.escalate(now=at(6)) == {}  # once


@pytest.mark.parametrize("owned_at", ["00:30", "23:30"])
def test_working_days_count_dates_on_the_home_calendar_not_hours(settings, visit, hank, owned_at):
    """Owned on a Sunday in Toronto (late or early), the fifth working day is Friday: the
    reminder goes on Friday at noon, although fewer than five times 24 hours have passed."""
    settings.PROGRAMME_TIME_ZONE = "America/Toronto"
    toronto = ZoneInfo("America/Toronto")
    sunday = dt.datetime.combine(
        dt.date(2026, 11, 8), dt.time.fromisoformat(owned_at), tzinfo=toronto
    )
    item = item_of(file_report(visit))
    BacklogItem.objects.filter(pk=item.pk).update(owned_since=sunday, created_at=sunday)
    thursday_evening = dt.datetime(2026, 11, 12, 23, 0, tzinfo=toronto)
    friday_noon = dt.datetime(2026, 11, 13, 12, 0, tzinfo=toronto)
    assert tasks.escalate(now=thursday_evening) == {}
    assert tasks.escalate(now=friday_noon) == {NoticeKind.REMINDER: 1}


def test_unclaimed_item_goes_to_coordinator_and_sponsor_after_10(old_item, hank, cora, fay):
    BacklogSettings.objects.create(pk=1, sponsor=fay)
    tasks.escalate(now=at(5))
    mail.outbox.clear()
    assert tasks.escalate(now=at(10)) == {NoticeKind.ESCALATION: 2}
    assert sorted(m.to[0] for m in mail.outbox) == ["cora@example.com", "fay@example.com"]
    assert old_item.events.filter(kind=EventKind.ESCALATED).count() == 1
    assert tasks.escalate(now=at(11)) == {}


def test_a_claim_stops_the_unclaimed_escalation(old_item, hank):
    barrier_claim(barrier=old_item, by=hank, due=at(20).date(), first_step="x", now=at(1))
    assert tasks.escalate(now=at(10)) == {}


def test_overdue_claim_reminds_then_escalates(old_item, hank, cora):
    barrier_claim(barrier=old_item, by=hank, due=at(1).date(), first_step="x", now=at(0))
    assert tasks.escalate(now=at(5)) == {}
    assert tasks.escalate(now=at(6)) == {NoticeKind.OVERDUE_REMINDER: 1}
    assert tasks.escalate(now=at(11)) == {NoticeKind.OVERDUE_ESCALATION: 1}
    assert mail.outbox[-1].to == ["cora@example.com"]


def test_a_transfer_restarts_the_clock(old_item, hank, billing, bill):
    barrier_transfer(barrier=old_item, by=hank, department=billing, reason="x", now=at(4))
    assert tasks.escalate(now=at(8)) == {}
    assert tasks.escalate(now=at(9)) == {NoticeKind.REMINDER: 1}
    assert mail.outbox[0].to == ["bill@example.com"]


def test_a_failed_send_is_retried_and_sent_once(old_item, hank, monkeypatch):
    calls = []

    def broken(**kwargs):
        calls.append(kwargs)
        raise OSError("mail server down")

    monkeypatch.setattr(tasks.mail, "send", broken)
    with pytest.raises(OSError, match="mail server down"):
        tasks.escalate(now=at(5))
    monkeypatch.undo()
    assert tasks.escalate(now=at(5)) == {NoticeKind.REMINDER: 1}
    assert tasks.escalate(now=at(5)) == {}
    assert len(mail.outbox) == 1
    assert Notice.objects.get().sent_at is not None


def test_reporters_are_told_of_the_resolution_except_anonymous_agents(
    visit, hank, adam, ada, cora, django_capture_on_commit_callbacks
):
    item = item_of(file_report(visit))
    for agent, anonymous in ((adam, False), (ada, True)):
        report = file_report(visit, by=agent, title=f"Same, {agent.full_name}", anonymous=anonymous)
        barrier_merge(source=item_of(report), into=item, by=cora)
    item.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        barrier_resolve(barrier=item, by=hank, resolution="One form, filled once.")
    assert sorted(m.to[0] for m in mail.outbox) == ["adam@example.com", "eve@example.com"]
    assert all("One form, filled once." in m.body for m in mail.outbox)
    item.refresh_from_db()
    assert tasks.resolution_notify(item.pk, item.resolved_at.isoformat()) == 0  # once


def test_the_refusal_mail_says_why_in_the_reporters_language(
    visit, hank, eve, django_capture_on_commit_callbacks
):
    eve.ui_language = "fr-ca"
    eve.save()
    item = item_of(file_report(visit))
    with django_capture_on_commit_callbacks(execute=True):
        barrier_wont_fix(barrier=item, by=hank, reason="La loi l'exige.")
    assert len(mail.outbox) == 1
    assert "La loi l'exige." in mail.outbox[0].body
    assert "ne sera pas corrigé" in mail.outbox[0].body
    assert mail.outbox[0].subject == "Ce qu’il est advenu de l’obstacle que vous avez signalé"


def test_no_resolution_mail_for_an_item_reopened_meanwhile(visit, hank, eve):
    item = item_of(file_report(visit))
    item = barrier_resolve(barrier=item, by=hank, resolution="Done.")
    stage = item.resolved_at.isoformat()
    barrier_reopen(barrier=item, by=eve, reason="No.")
    assert tasks.resolution_notify(item.pk, stage) == 0
    assert tasks.resolution_notify(999999, stage) == 0
    assert timezone.now()  # nothing raised


def test_a_sweep_after_everything_was_sent_costs_few_queries(
    visit, hank, cora, django_assert_max_num_queries
):
    for index in range(8):
        item = item_of(file_report(visit, title=f"Old {index}"))
        BacklogItem.objects.filter(pk=item.pk).update(owned_since=MONDAY)
    tasks.escalate(now=at(10))
    # Three of them load the departments' working calendars, whatever their number.
    with django_assert_max_num_queries(7):
        assert tasks.escalate(now=at(11)) == {}
