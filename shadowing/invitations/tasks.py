"""Background tasks of the invitations (django-q2). Thin: take ids, call the module that works.

`invitations_sweep` runs every minute (the schedule `invitations-sweep`, created by migration
0003_invitations; catch_up is off, so after downtime it runs once, not once per missed minute).
One sweeper rather than a schedule per reminder: a moved or cancelled visit needs no schedule
to be found and deleted, a reminder is due or not by the visit's state at the moment of the
sweep, and the same pass re-sends what a lost task or a failure left behind.
"""

import datetime as dt
from dataclasses import asdict

from django.db import transaction
from django.utils import timezone

from shadowing.invitations.models import InvitationLog, MessageStatus
from shadowing.invitations.planning import invitations_queue
from shadowing.invitations.reminders import reminders_plan
from shadowing.invitations.sending import invitations_send as send
from shadowing.invitations.sending import sendable

SWEEP_NAME = "invitations-sweep"
SWEEP_FUNC = "shadowing.invitations.tasks.invitations_sweep"
SWEEP_MINUTES = 1
# Queued rows younger than this are left to the task queued with them.
QUEUE_GRACE = dt.timedelta(minutes=5)


def invitations_send(pairing_ids: list[int]) -> dict[str, int]:
    """Send the queued messages of these pairings (idempotent: see `sending`)."""
    return asdict(send(pairing_ids=[int(pk) for pk in pairing_ids]))


def invitations_sweep(now: dt.datetime | None = None) -> dict[str, int]:
    """Queue the reminders and debrief requests now due, and hand to the workers every message
    still waiting: queued and not taken (a lost task), failed and due for a retry, or stuck in
    `sending` past the lease (a dead worker). Returns what it found."""
    now = now or timezone.now()
    with transaction.atomic():
        reminded = reminders_plan(now=now)
    waiting = (
        InvitationLog.objects.filter(sendable(now))
        .exclude(status=MessageStatus.QUEUED, created_at__gt=now - QUEUE_GRACE)
        .values_list("pairing_id", flat=True)
        .distinct()
    )
    retry = sorted(set(waiting))
    invitations_queue(pairing_ids=set(reminded) | set(retry))
    return {"reminders": len(reminded), "retried": len(retry)}
