"""A coordinator's one-click reminder to the executive of a visit whose debrief is not in."""

import datetime as dt
from functools import partial

from django.core.exceptions import PermissionDenied
from django.db import transaction

from shadowing.organisation.models import Person
from shadowing.programmes.pairing_models import Pairing, PairingStatus

from ..models import Debrief, DebriefNotice, DebriefStatus, NoticeKind
from ..selectors import visit_has_started
from .common import _now, _queue

# Two clicks on "Nudge" within this long send one message.
NUDGE_INTERVAL = dt.timedelta(hours=1)


# Nudges ---------------------------------------------------------------------------------------


def debrief_nudge(*, pairing: Pairing, by: Person, now=None) -> DebriefNotice | None:
    """A coordinator's one-click reminder to the executive of a visit whose debrief is not
    submitted. Returns the notice queued, or None when there is nothing to nudge (submitted,
    cancelled, not started) or a nudge went out less than NUDGE_INTERVAL ago."""
    now = _now(now)
    if not by.has_perm("debriefs.nudge_debrief"):
        raise PermissionDenied
    if pairing.status == PairingStatus.CANCELLED or not visit_has_started(pairing, now=now):
        return None
    if Debrief.objects.filter(pairing=pairing, status=DebriefStatus.SUBMITTED).exists():
        return None
    with transaction.atomic():
        # Two coordinators (or two clicks) at once: the row lock makes the second wait and see
        # the first one's nudge.
        Pairing.objects.select_for_update().filter(pk=pairing.pk).first()
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
