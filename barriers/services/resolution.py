"""Closing an item and the reporters' say: resolve (what was done) or refuse (won't fix), each
telling the reporters by a task queued on commit; a reporter verifies the barrier is gone, or
reopens the item when it is still there."""

from __future__ import annotations

from functools import partial

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from debriefs.models import BarrierReport
from shadowing.organisation.models import Person

from ..kinds import EventKind, NoticeKind
from ..models import CLOSED_STATUSES, OPEN_STATUSES, BacklogItem, Notice, Status
from .common import _UNCLAIM, _check, _compare_and_set, _now, _text

# Status ---------------------------------------------------------------------------------------


def _close(barrier, by, *, status, kind, resolution, now) -> BacklogItem:
    if barrier.status not in OPEN_STATUSES:
        raise ValidationError({"status": [_("This item is not open.")]})
    with transaction.atomic():
        item = _compare_and_set(
            barrier,
            by=by,
            kind=kind,
            changes={"status": status, "resolution": resolution, "resolved_at": now},
            note=resolution,
            now=now,
            require=Q(status__in=OPEN_STATUSES),
        )
        transaction.on_commit(
            partial(_queue, "barriers.tasks.resolution_notify", item.pk, now.isoformat())
        )
    return item


def barrier_resolve(
    *, barrier: BacklogItem, by: Person, resolution: str | None, now=None
) -> BacklogItem:
    """Resolved, with what was done. The reporters are told by e-mail (executives, and agents
    who did not ask for anonymity)."""
    now = _now(now)
    _check(by, "barriers.work_backlogitem", barrier)
    resolution = _text(resolution, "resolution", _("Say what was done."))
    return _close(
        barrier, by, status=Status.RESOLVED, kind=EventKind.RESOLVED, resolution=resolution, now=now
    )


def barrier_wont_fix(*, barrier: BacklogItem, by: Person, reason: str | None, now=None):
    """Refused, with the reason, which the reporters are told."""
    now = _now(now)
    _check(by, "barriers.work_backlogitem", barrier)
    reason = _text(reason, "reason", _("Say why this will not be fixed."))
    return _close(
        barrier, by, status=Status.WONT_FIX, kind=EventKind.WONT_FIX, resolution=reason, now=now
    )


def barrier_verify(*, barrier: BacklogItem, by: Person, now=None) -> BacklogItem:
    """A reporter confirms the barrier is gone."""
    now = _now(now)
    _check(by, "barriers.verify_backlogitem", barrier)
    if barrier.status != Status.RESOLVED:
        raise ValidationError({"status": [_("Only a resolved item can be verified.")]})
    return _compare_and_set(
        barrier,
        by=by,
        kind=EventKind.VERIFIED,
        changes={"status": Status.VERIFIED, "verified_at": now},
        now=now,
        require=Q(status=Status.RESOLVED),
    )


def barrier_reopen(
    *, barrier: BacklogItem, by: Person, reason: str | None, now=None
) -> BacklogItem:
    """A reporter says the barrier is still there (or a coordinator reopens a closed item): it
    is open again, unclaimed, with the same owner, whose escalation clock starts again."""
    now = _now(now)
    _check(by, "barriers.reopen_backlogitem", barrier)
    reason = _text(reason, "reason", _("Say what is still in the way."))
    coordinator = by.is_coordinator or by.is_superuser
    if barrier.status not in (CLOSED_STATUSES if coordinator else (Status.RESOLVED,)):
        raise ValidationError({"status": [_("Only a resolved item can be reopened.")]})
    changes = {
        **_UNCLAIM,
        "status": Status.REOPENED,
        "resolution": "",
        "resolved_at": None,
        "verified_at": None,
        "owned_since": now,
    }
    return _compare_and_set(
        barrier,
        by=by,
        kind=EventKind.REOPENED,
        changes=changes,
        note=reason,
        now=now,
        require=Q(status__in=CLOSED_STATUSES),
    )


# A new report on a resolved (or verified) item says the barrier is back; a refused one stays
# refused (the department said why), and a coordinator may still reopen it by hand.
REOPENED_BY_REPORT = (Status.RESOLVED, Status.VERIFIED)


def barrier_reports_landed(*, barrier: BacklogItem, report_ids: list[int], now=None) -> BacklogItem:
    """Reports have just joined `barrier` (a merge into it): if it was resolved or verified,
    the barrier is back. The item is reopened (unclaimed, same owner, escalation clock from
    now) with a "reopened by a new report" event naming the reports, and its owner is told by
    a task queued on commit, once (a `Notice` row per owner and reopening). Anything else:
    unchanged. Call inside the transaction that moved the reports."""
    now = _now(now)
    if barrier.status not in REOPENED_BY_REPORT or not report_ids:
        return barrier
    # Only a report filed after the resolution says the barrier is back (merging two resolved
    # duplicates reopens neither).
    fresh = list(
        BarrierReport.objects.filter(
            pk__in=report_ids, withdrawn_at__isnull=True, created_at__gt=barrier.resolved_at
        ).values_list("pk", flat=True)
    )
    if not fresh:
        return barrier
    changes = {
        **_UNCLAIM,
        "status": Status.REOPENED,
        "resolution": "",
        "resolved_at": None,
        "verified_at": None,
        "owned_since": now,
    }
    with transaction.atomic():
        item = _compare_and_set(
            barrier,
            by=None,
            kind=EventKind.REOPENED,
            changes=changes,
            now=now,
            require=Q(status__in=REOPENED_BY_REPORT),
            record={"by_reports": sorted(fresh)},
        )
        notice, _created = Notice.objects.get_or_create(
            item=item,
            kind=NoticeKind.REOPENED,
            recipient_id=item.owner_id,
            stage=now.isoformat(),
            defaults={"created_at": now},
        )
        transaction.on_commit(partial(_queue, "barriers.tasks.reopened_notify", notice.pk))
    return item


def _queue(func: str, *args) -> None:
    from django_q.tasks import async_task

    async_task(func, *args)


__all__ = [
    "barrier_reopen",
    "barrier_reports_landed",
    "barrier_resolve",
    "barrier_verify",
    "barrier_wont_fix",
]
