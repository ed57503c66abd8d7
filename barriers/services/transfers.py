"""Transfers: sending an item to another department with a reason, and arbitration, where an
item bounced too often goes to the coordinator instead, keeping its department until then."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from shadowing.organisation.models import Department, Person

from ..kinds import EventKind
from ..models import OPEN_STATUSES, BacklogItem, Status
from .common import _UNCLAIM, _check, _compare_and_set, _now, _text
from .owners import arbiter, department_owner

# A head may transfer an item this many times; the next attempt goes to the coordinator.
MAX_TRANSFERS = 2


def barrier_transfer(
    *, barrier: BacklogItem, by: Person, department: Department, reason: str | None, now=None
) -> BacklogItem:
    """Send the item to `department`, whose head becomes its owner, unclaimed. A reason is
    required. An item transferred MAX_TRANSFERS times already is not moved by a head: it goes
    to the arbitrating coordinator instead (`needs_arbitration`), keeping its department. A
    coordinator's transfer always goes through and ends any arbitration."""
    now = _now(now)
    _check(by, "barriers.transfer_backlogitem", barrier)
    reason = _text(reason, "reason", _("Say why this belongs to another department."))
    if department is None:
        raise ValidationError({"department": [_("Choose a department.")]})
    if department.pk == barrier.department_id and not barrier.needs_arbitration:
        raise ValidationError({"department": [_("The item is already in this department.")]})
    if barrier.status not in OPEN_STATUSES:
        raise ValidationError({"status": [_("Only an open item can be transferred.")]})
    status = Status.REOPENED if barrier.status == Status.REOPENED else Status.NEW
    coordinator = by.is_coordinator or by.is_superuser
    if not coordinator and barrier.transfer_count >= MAX_TRANSFERS:
        changes = {
            **_UNCLAIM,
            "status": status,
            "owner": arbiter(),
            "owned_since": now,
            "needs_arbitration": True,
        }
        note = _("Asked to go to %(code)s: %(reason)s") % {
            "code": department.code,
            "reason": reason,
        }
        return _compare_and_set(
            barrier, by=by, kind=EventKind.ARBITRATION, changes=changes, note=note, now=now
        )
    changes = {
        **_UNCLAIM,
        "status": status,
        "department": department,
        "owner": department_owner(department),
        "owned_since": now,
        "transfer_count": barrier.transfer_count + 1,
        "needs_arbitration": False,
    }
    return _compare_and_set(
        barrier, by=by, kind=EventKind.TRANSFERRED, changes=changes, note=reason, now=now
    )


__all__ = ["barrier_transfer"]
