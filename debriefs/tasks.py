"""Background tasks of debriefs (django-q2). Thin: load by id, return quietly if gone, call the
mail or the service. Each is idempotent through its `DebriefNotice` row: a retry never mails
twice.

`debrief_reminders_sweep` runs every SWEEP_MINUTES (the schedule is created by migration
0002): it hands the agent their link when the visit ends, reminds the executive two days later,
and tells the coordinators after five; never about an executive recorded as a no-show.
"""

import datetime as dt

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from shadowing.organisation.models import Person
from shadowing.programmes.pairing_models import Attendance, Pairing

from . import mail
from .models import Debrief, DebriefNotice, DebriefStatus, NoticeKind
from .selectors import agent_links_due, reminders_due

SWEEP_MINUTES = 15
REMINDER_AFTER = dt.timedelta(days=2)
OVERDUE_AFTER = dt.timedelta(days=5)
# Visits that ended longer ago than this are left alone (bounds each sweep's scan; a visit
# missed for a month has been dealt with by hand).
SWEEP_WINDOW = dt.timedelta(days=30)
AGENT_LINK_WINDOW = dt.timedelta(days=7)
OVERDUE_CHUNK = 500


def _queue(func: str, *args) -> None:
    from django_q.tasks import async_task

    async_task(func, *args)


def debrief_reminders_sweep(now: dt.datetime | None = None) -> dict[str, int]:
    """Queue what is due; returns how many of each kind were queued."""
    now = now or timezone.now()
    agent_links = list(agent_links_due(now=now, window=AGENT_LINK_WINDOW))
    reminders = list(
        reminders_due(now=now, kind=NoticeKind.REMINDER, after=REMINDER_AFTER, window=SWEEP_WINDOW)
    )
    overdue = list(
        reminders_due(now=now, kind=NoticeKind.OVERDUE, after=OVERDUE_AFTER, window=SWEEP_WINDOW)
    )
    for pairing_id in agent_links:
        _queue("debriefs.tasks.agent_link_send", pairing_id)
    for pairing_id in reminders:
        _queue("debriefs.tasks.debrief_reminder_send", pairing_id)
    # One message per coordinator per chunk: a programme of thousands stays a few messages,
    # and no task carries an unbounded list.
    for start in range(0, len(overdue), OVERDUE_CHUNK):
        _queue("debriefs.tasks.debrief_overdue_send", overdue[start : start + OVERDUE_CHUNK])
    return {"agent_links": len(agent_links), "reminders": len(reminders), "overdue": len(overdue)}


def _notice(pairing: Pairing, kind: str, recipient_id: int) -> DebriefNotice:
    try:
        with transaction.atomic():
            return DebriefNotice.objects.get_or_create(
                pairing=pairing, kind=kind, recipient_id=recipient_id
            )[0]
    except IntegrityError:
        return DebriefNotice.objects.get(pairing=pairing, kind=kind, recipient_id=recipient_id)


def _pairing(pairing_id: int) -> Pairing | None:
    return (
        Pairing.objects.select_related("executive", "agent", "site", "programme")
        .filter(pk=pairing_id)
        .first()
    )


def agent_link_send(pairing_id: int) -> bool:
    pairing = _pairing(pairing_id)
    if pairing is None or not pairing.agent.is_active:
        return False
    notice = _notice(pairing, NoticeKind.AGENT_LINK, pairing.agent_id)
    return mail.notice_send(notice=notice, send=lambda: mail.agent_link_mail(pairing))


def _submitted(pairing: Pairing) -> bool:
    return Debrief.objects.filter(pairing=pairing, status=DebriefStatus.SUBMITTED).exists()


def _owes_nothing(pairing: Pairing) -> bool:
    """Submitted, or the executive did not come (recorded after the sweep queued it, too)."""
    return pairing.attendance == Attendance.NO_SHOW or _submitted(pairing)


def debrief_reminder_send(pairing_id: int) -> bool:
    pairing = _pairing(pairing_id)
    if pairing is None or not pairing.executive.is_active or _owes_nothing(pairing):
        return False
    notice = _notice(pairing, NoticeKind.REMINDER, pairing.executive_id)
    return mail.notice_send(notice=notice, send=lambda: mail.reminder_mail(pairing))


def debrief_overdue_send(pairing_ids: list[int]) -> int:
    """One message to each active coordinator listing the visits, among `pairing_ids`, still
    without a submitted debrief and not yet reported to that coordinator. Returns the number
    of messages sent."""
    pairings = [
        pairing
        for pairing in Pairing.objects.select_related("executive__department", "site", "programme")
        .filter(pk__in=pairing_ids)
        .order_by("date", "pk")
        if not _owes_nothing(pairing)
    ]
    if not pairings:
        return 0
    sent = 0
    coordinators = Person.objects.filter(is_active=True, is_coordinator=True).order_by("pk")
    for coordinator in coordinators:
        notices = [_notice(pairing, NoticeKind.OVERDUE, coordinator.pk) for pairing in pairings]
        fresh = [
            (pairing, notice)
            for pairing, notice in zip(pairings, notices, strict=True)
            if notice.sent_at is None
        ]
        if not fresh:
            continue
        slugs = sorted({pairing.programme.slug for pairing, _notice_ in fresh})
        urls = [settings.BASE_URL + reverse("debriefs:completion", args=[slug]) for slug in slugs]
        listed = [pairing for pairing, _notice_ in fresh]
        first, *rest = (notice for _pairing_, notice in fresh)

        def send(coordinator=coordinator, listed=listed, urls=urls):
            mail.overdue_mail(coordinator, listed, urls)

        # The first notice carries the claim for the whole message; the rest follow it.
        if mail.notice_send(notice=first, send=send):
            DebriefNotice.objects.filter(pk__in=[n.pk for n in rest]).update(sent_at=timezone.now())
            sent += 1
    return sent


def debrief_notice_send(notice_id: int) -> bool:
    """A nudge or a reopening notice created by a service."""
    notice = (
        DebriefNotice.objects.select_related(
            "pairing__executive", "pairing__agent", "pairing__site", "sent_by"
        )
        .filter(pk=notice_id)
        .first()
    )
    if notice is None:
        return False
    pairing = notice.pairing
    if notice.kind == NoticeKind.NUDGE:
        if _owes_nothing(pairing):
            return False
        return mail.notice_send(
            notice=notice, send=lambda: mail.reminder_mail(pairing, nudged_by=notice.sent_by)
        )
    if notice.kind == NoticeKind.REOPENED:
        return mail.notice_send(
            notice=notice, send=lambda: mail.reopened_mail(pairing, reopened_by=notice.sent_by)
        )
    return False
