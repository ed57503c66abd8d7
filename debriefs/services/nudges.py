"""A coordinator's one-click reminder to the executive of a visit whose debrief is not in, to
one or to everyone still owing one. An executive recorded as a no-show owes none and is never
reminded."""

import datetime as dt
from dataclasses import dataclass
from functools import partial

from django.core.exceptions import PermissionDenied
from django.db import transaction

from shadowing.organisation.models import Person
from shadowing.programmes.models import Programme
from shadowing.programmes.pairing_models import Attendance, Pairing, PairingStatus

from ..models import Debrief, DebriefNotice, DebriefStatus, NoticeKind
from ..selectors import unfiled_visits, visit_has_started
from .common import _now, _queue

# Two clicks on "Nudge" within this long send one message.
NUDGE_INTERVAL = dt.timedelta(hours=1)


# Nudges ---------------------------------------------------------------------------------------


def debrief_nudge(*, pairing: Pairing, by: Person, now=None) -> DebriefNotice | None:
    """A coordinator's one-click reminder to the executive of a visit whose debrief is not
    submitted. Returns the notice queued, or None when there is nothing to nudge (submitted,
    cancelled, not started, a no-show) or a nudge went out less than NUDGE_INTERVAL ago."""
    now = _now(now)
    if not by.has_perm("debriefs.nudge_debrief"):
        raise PermissionDenied
    if pairing.status == PairingStatus.CANCELLED or not visit_has_started(pairing, now=now):
        return None
    if pairing.attendance == Attendance.NO_SHOW:
        return None
    if Debrief.objects.filter(pairing=pairing, status=DebriefStatus.SUBMITTED).exists():
        return None
    with transaction.atomic():
        # Two coordinators (or two clicks) at once: the row lock makes the second wait and see
        # the first one's nudge.
        locked = Pairing.objects.select_for_update().filter(pk=pairing.pk).first()
        if locked is None or locked.attendance == Attendance.NO_SHOW:
            return None
        recent = DebriefNotice.objects.filter(
            pairing=pairing, kind=NoticeKind.NUDGE, created_at__gt=now - NUDGE_INTERVAL
        )
        if recent.exists():
            return None
        notice = DebriefNotice.objects.create(
            pairing=pairing,
            kind=NoticeKind.NUDGE,
            recipient_id=pairing.executive_id,
            sent_by=by,
            created_at=now,
        )
        transaction.on_commit(partial(_queue, "debriefs.tasks.debrief_notice_send", notice.pk))
    return notice


@dataclass(frozen=True)
class NudgeRound:
    sent: int  # executives reminded now
    skipped: int  # executives reminded within the hour already: not mailed again


def debrief_nudge_everyone(
    *,
    programme: Programme,
    by: Person,
    department: str | None = None,
    search: str = "",
    now=None,
) -> NudgeRound:
    """Remind every executive of the programme whose started visit has no submitted debrief
    (no-shows left out), optionally of one department or matching a search: one reminder per
    executive, for their oldest such visit, through `debrief_nudge`, so that a second click
    (or a coordinator's click just before) mails nobody twice within NUDGE_INTERVAL."""
    now = _now(now)
    if not by.has_perm("debriefs.nudge_debrief"):
        raise PermissionDenied
    visits = unfiled_visits(programme, now=now, department=department, search=search)
    sent = skipped = 0
    seen: set[int] = set()
    # A list, not a cursor: each nudge writes, and SQLite cannot write under an open read.
    for pairing in list(visits.select_related(None).select_related("site")):
        if pairing.executive_id in seen:
            continue
        seen.add(pairing.executive_id)
        if debrief_nudge(pairing=pairing, by=by, now=now) is None:
            skipped += 1
        else:
            sent += 1
    return NudgeRound(sent=sent, skipped=skipped)
