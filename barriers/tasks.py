"""Background tasks of the backlog (django-q2). Thin: load by id, return quietly if gone, call a
service or send. Each is idempotent: reports are filed once (a unique constraint), and every
message has its `Notice` row, so a retry never mails twice.

`backlog_sweep` runs hourly (the schedule is created by migration 0002, catch-up off): it files
any report the signal missed, then escalates. An unclaimed item reminds its owner after
REMIND_AFTER working days and goes to the coordinators and the programme sponsor after
ESCALATE_AFTER; an overdue claim likewise, counted from its due date.
"""

import datetime as dt
from collections import defaultdict

from django.db import IntegrityError, transaction
from django.db.models import Min, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy, gettext_noop, ngettext_lazy

from debriefs.models import BarrierReport, Source
from shadowing import clock
from shadowing.organisation.models import Department, Person

from . import mail
from .calendars import department_calendars
from .kinds import EventKind, NoticeKind
from .models import (
    CLAIMED_STATUSES,
    UNCLAIMED_STATUSES,
    BacklogItem,
    BacklogSettings,
    ItemEvent,
    ItemReport,
    Notice,
    Status,
)
from .services.filing import backlog_file_reports
from .workdays import WEEKENDS_ONLY, working_days_between

REMIND_AFTER = 5
ESCALATE_AFTER = 10
# Reports filed per sweep by the safety net (the signal files them at once).
UNFILED_BATCH = 500


def reports_file(report_ids: list[int]) -> int:
    """File these reports into the backlog; returns how many items were created or touched."""
    return len(backlog_file_reports(report_ids=report_ids))


def unfiled_reports_file(limit: int = UNFILED_BATCH) -> int:
    ids = list(
        BarrierReport.objects.filter(backlog_link__isnull=True, withdrawn_at__isnull=True)
        .order_by("pk")
        .values_list("pk", flat=True)[:limit]
    )
    return reports_file(ids) if ids else 0


def backlog_sweep(now: dt.datetime | None = None) -> dict[str, int]:
    now = now or timezone.now()
    filed = unfiled_reports_file()
    sent = escalate(now=now)
    return {"filed": filed, **sent, "reopened": reopened_pending_notify(now=now)}


# A reopening queues its mail when it commits; one whose task never ran (the broker was down at
# that moment) is sent by the sweep once it is this old. Never twice: notices_send claims it.
REOPENED_GRACE = dt.timedelta(minutes=10)


def reopened_pending_notify(*, now: dt.datetime) -> int:
    pending = Notice.objects.filter(
        kind=NoticeKind.REOPENED, sent_at__isnull=True, created_at__lte=now - REOPENED_GRACE
    ).values_list("pk", flat=True)
    return sum(reopened_notify(pk) for pk in pending[:UNFILED_BATCH])


def _recipients_escalation() -> list[Person]:
    people = list(Person.objects.filter(is_active=True, is_coordinator=True).order_by("pk"))
    sponsor = BacklogSettings.load().sponsor
    if sponsor is not None and sponsor.is_active and sponsor.pk not in {p.pk for p in people}:
        people.append(sponsor)
    return people


def due_notices(now: dt.datetime) -> list[tuple[BacklogItem, str, str, list[Person]]]:
    """(item, kind, stage, recipients) for every escalation step due now. Working days are
    dates on the programme's home calendar, without the public holidays of the item's
    department and the company's days off (`barriers.calendars`). The coarse filters are
    calendar dates (REMIND_AFTER working days span at least as many calendar days); the exact
    count is in Python. They compare dates, not instants: an item owned since Sunday 23:30 has
    its five working days on Friday morning, four and a half days later."""
    today = clock.local_date(now)
    latest = today - dt.timedelta(days=REMIND_AFTER)  # the latest start date that can be due
    day_after_latest = dt.datetime.combine(
        latest + dt.timedelta(days=1), dt.time.min, tzinfo=clock.home_zone()
    )
    items = BacklogItem.objects.select_related("owner", "department").filter(
        Q(status__in=UNCLAIMED_STATUSES, owned_since__lt=day_after_latest)
        | Q(status__in=CLAIMED_STATUSES, due__lte=latest)
    )
    calendars = _calendars(items, today)
    escalation_to = None
    out = []
    for item in items.order_by("pk").iterator(chunk_size=500):
        calendar = calendars.get(item.department_id, WEEKENDS_ONLY)
        if item.status in UNCLAIMED_STATUSES:
            days = working_days_between(clock.local_date(item.owned_since), today, calendar)
            stage = item.owned_since.isoformat()
            remind, escalate_kind = NoticeKind.REMINDER, NoticeKind.ESCALATION
        else:
            days = working_days_between(item.due, today, calendar)
            stage = f"{item.due.isoformat()}/{item.claimed_at.isoformat()}"
            remind, escalate_kind = NoticeKind.OVERDUE_REMINDER, NoticeKind.OVERDUE_ESCALATION
        if days >= REMIND_AFTER:
            out.append((item, remind, stage, [item.owner]))
        if days >= ESCALATE_AFTER:
            if escalation_to is None:
                escalation_to = _recipients_escalation()
            out.append((item, escalate_kind, stage, escalation_to))
    return out


def _calendars(items, today: dt.date) -> dict:
    """Each department's calendar from the earliest date any of `items` counts from to
    `today`: three queries whatever the number of items and departments."""
    first = items.aggregate(owned=Min("owned_since"), due=Min("due"))
    starts = [d for d in (first["due"], first["owned"]) if d is not None]
    if not starts:
        return {}
    start = min(clock.local_date(d) if isinstance(d, dt.datetime) else d for d in starts)
    departments = Department.objects.select_related("head__site")
    return department_calendars(departments, start, today)


def _notice(item, kind, recipient, stage, now) -> tuple[Notice, bool]:
    try:
        with transaction.atomic():
            return Notice.objects.get_or_create(
                item=item,
                kind=kind,
                recipient=recipient,
                stage=stage,
                defaults={"created_at": now},
            )
    except IntegrityError:
        return Notice.objects.get(item=item, kind=kind, recipient=recipient, stage=stage), False


def _sent_already(item_ids: list[int]) -> set[tuple[int, str, str, int]]:
    sent = set()
    for start in range(0, len(item_ids), 500):
        sent.update(
            Notice.objects.filter(
                item_id__in=item_ids[start : start + 500], sent_at__isnull=False
            ).values_list("item_id", "kind", "stage", "recipient_id")
        )
    return sent


# Put into the recipient's language when the message is sent; "%(n)s" is DAYS[kind].
SUBJECTS = {
    NoticeKind.REMINDER: gettext_lazy("Barriers waiting for a claim"),
    NoticeKind.OVERDUE_REMINDER: gettext_lazy("Barrier commitments past due"),
    NoticeKind.ESCALATION: ngettext_lazy(
        "Escalation: barriers unclaimed for %(n)s working day",
        "Escalation: barriers unclaimed for %(n)s working days",
        "n",
    ),
    NoticeKind.OVERDUE_ESCALATION: ngettext_lazy(
        "Escalation: commitments %(n)s working day late",
        "Escalation: commitments %(n)s working days late",
        "n",
    ),
}
DAYS = {
    NoticeKind.REMINDER: REMIND_AFTER,
    NoticeKind.OVERDUE_REMINDER: REMIND_AFTER,
    NoticeKind.ESCALATION: ESCALATE_AFTER,
    NoticeKind.OVERDUE_ESCALATION: ESCALATE_AFTER,
}


def escalate(now: dt.datetime | None = None) -> dict[str, int]:
    """Create the notices due and send, per recipient and kind, one digest of those not sent
    yet. Returns how many notices were sent, by kind."""
    now = now or timezone.now()
    pending: dict[tuple[int, str], list[int]] = defaultdict(list)
    people: dict[int, Person] = {}
    due = due_notices(now)
    sent = _sent_already([item.pk for item, *_rest in due])
    for item, kind, stage, recipients in due:
        for person in recipients:
            if (item.pk, kind, stage, person.pk) in sent:
                continue  # the common case after the first sweep: one query, not one per row
            notice, created = _notice(item, kind, person, stage, now)
            escalated = kind in (NoticeKind.ESCALATION, NoticeKind.OVERDUE_ESCALATION)
            if created and escalated and person == recipients[0]:
                ItemEvent.objects.create(
                    item=item,
                    kind=EventKind.ESCALATED,
                    at=now,
                    after={"to": [p.email for p in recipients], "kind": kind},
                )
            if notice.sent_at is None:
                pending[(person.pk, kind)].append(notice.pk)
                people[person.pk] = person
    counts: dict[str, int] = defaultdict(int)
    for (person_id, kind), notice_ids in sorted(pending.items()):
        person = people[person_id]

        def send_them(notices, person=person, kind=kind):
            rows = [{"item": n.item, "url": mail.item_url(n.item_id)} for n in notices]
            mail.send(
                to=person,
                subject=SUBJECTS[kind],
                subject_vars={"n": DAYS[kind]},
                template="barriers/email/escalation.txt",
                context={"rows": rows, "kind": kind, "days": DAYS[kind]},
            )

        counts[kind] += mail.notices_send(notice_ids=notice_ids, send_them=send_them, now=now)
    return dict(counts)


def resolution_notify(item_id: int, stage: str) -> int:
    """Tell the item's reporters of its resolution or refusal: executives, and agents who did
    not ask for anonymity. Once per reporter and resolution (`stage`, its time); nothing if the
    item was reopened meanwhile. Returns how many were sent."""
    item = BacklogItem.objects.select_related("department").filter(pk=item_id).first()
    if item is None or item.status not in (Status.RESOLVED, Status.WONT_FIX):
        return 0
    if item.resolved_at is None or item.resolved_at.isoformat() != stage:
        return 0
    kind = NoticeKind.RESOLVED if item.status == Status.RESOLVED else NoticeKind.WONT_FIX
    reporter_ids = set(
        ItemReport.objects.filter(item=item, report__withdrawn_at__isnull=True)
        .filter(
            Q(report__source=Source.EXECUTIVE)
            | Q(report__source=Source.AGENT, report__anonymous_to_management=False)
        )
        .values_list("report__reporter_id", flat=True)
    )
    sent = 0
    for person in Person.objects.filter(pk__in=reporter_ids, is_active=True).order_by("pk"):
        notice, _created = _notice(item, kind, person, stage, timezone.now())

        def send_them(notices, person=person):
            mail.send(
                to=person,
                subject=gettext_noop("What became of the barrier you reported"),
                template="barriers/email/resolved.txt",
                context={
                    "item": item,
                    "refused": kind == NoticeKind.WONT_FIX,
                    "url": mail.item_url(item.pk),
                },
            )

        sent += mail.notices_send(notice_ids=[notice.pk], send_them=send_them)
    return sent


def reopened_notify(notice_id: int) -> int:
    """Tell an item's owner that a new report reopened it (its `Notice` row, made with the
    reopening). Sent once whatever the retries; nothing if the row or its item is gone."""
    notice = Notice.objects.select_related("item__department", "recipient").filter(pk=notice_id)
    notice = notice.first()
    if notice is None or not notice.recipient.is_active:
        return 0
    item = notice.item

    def send_them(notices):
        mail.send(
            to=notice.recipient,
            subject=gettext_noop("A new report reopened a barrier you own"),
            template="barriers/email/reopened.txt",
            context={"item": item, "url": mail.item_url(item.pk)},
        )

    return mail.notices_send(notice_ids=[notice.pk], send_them=send_them)
