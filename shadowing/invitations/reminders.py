"""Reminders and the debrief request: which are due now, queued as log rows (once per pairing,
person and kind, for life: the unique row) for `sending` to send.

Due, for a published visit of a programme that is not closed:

- the executive's reminder from three days before the visit starts, the agent's from the day
  before, until it starts; not if the person's first invitation went out inside that window
  (it said everything a reminder would, and the same day);
- the debrief request to the executive when the visit ends, until a day later.

The windows are what keep a sweep after downtime from mailing stale things: a reminder for a
visit that began, or a debrief request for one a week old, is never due.
"""

import datetime as dt

from django.db.models import Exists, OuterRef

from shadowing.invitations.compose import AGENT, EXECUTIVE, REMINDER_LEAD
from shadowing.invitations.models import InvitationLog, MessageKind, MessageStatus
from shadowing.invitations.planning import new_message_id
from shadowing.invitations.sending import DEBRIEF_GRACE
from shadowing.programmes.models import ProgrammeStatus
from shadowing.programmes.pairing_models import Pairing, PairingStatus

LIVE_PROGRAMME = (ProgrammeStatus.PUBLISHED, ProgrammeStatus.RUNNING)


def reminders_plan(*, now: dt.datetime) -> list[int]:
    """Queue the reminders and debrief requests due at `now`; returns the ids of the pairings
    that got one (to be sent)."""
    published = Pairing.objects.filter(
        status=PairingStatus.PUBLISHED, programme__status__in=LIVE_PROGRAMME
    )
    rows = []
    for role, field in ((EXECUTIVE, "executive"), (AGENT, "agent")):
        lead = REMINDER_LEAD[role]
        already = InvitationLog.objects.filter(
            pairing=OuterRef("pk"), person=OuterRef(field), kind=MessageKind.REMINDER
        )
        invited_before_window = InvitationLog.objects.filter(
            pairing=OuterRef("pk"),
            person=OuterRef(field),
            kind=MessageKind.REQUEST,
            status=MessageStatus.SENT,
            sent_at__lte=OuterRef("starts_at") - lead,
        )
        due = (
            published.filter(starts_at__gt=now, starts_at__lte=now + lead)
            .filter(**{f"{field}__is_active": True})
            .filter(~Exists(already), Exists(invited_before_window))
            .values_list("id", f"{field}_id")
        )
        rows += [(pk, person, MessageKind.REMINDER) for pk, person in due]
    already = InvitationLog.objects.filter(
        pairing=OuterRef("pk"), person=OuterRef("executive"), kind=MessageKind.DEBRIEF
    )
    due = (
        published.filter(ends_at__lte=now, ends_at__gt=now - DEBRIEF_GRACE)
        .filter(executive__is_active=True)
        .filter(~Exists(already))
        .values_list("id", "executive_id")
    )
    rows += [(pk, person, MessageKind.DEBRIEF) for pk, person in due]
    InvitationLog.objects.bulk_create(
        [
            InvitationLog(
                pairing_id=pk,
                person_id=person,
                kind=kind,
                sequence=0,
                message_id=new_message_id(),
                created_at=now,
            )
            for pk, person, kind in rows
        ],
        batch_size=500,
        ignore_conflicts=True,
    )
    return sorted({pk for pk, _person, _kind in rows})
