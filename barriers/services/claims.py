"""Claims: the commitment to remove a barrier (who, by when, the first step), handing a claimed
item to another person of its department, and starting work on it."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _

from shadowing.organisation.models import Person

from ..due_dates import due_date_refusal
from ..kinds import EventKind
from ..models import CLAIMED_STATUSES, UNCLAIMED_STATUSES, BacklogItem, Status
from ..permissions import acts_for_head, can_own_item
from .common import Conflict, _check, _compare_and_set, _now, _text

# Claims ---------------------------------------------------------------------------------------


def _conflict_for_claim(item: BacklogItem) -> str:
    current = BacklogItem.objects.select_related("claimed_by", "owner").filter(pk=item.pk).first()
    if current is not None and current.claimed_at is not None:
        return _("Already claimed by %(name)s.") % {"name": current.claimed_by.full_name}
    return _("The item changed meanwhile: reload it and try again.")


def _department_member(item: BacklogItem, person: Person | None, field: str = "owner") -> Person:
    if person is None or not person.is_active:
        raise ValidationError({field: [_("Name an active person.")]})
    if person.department_id != item.department_id:
        raise ValidationError(
            {field: [_("%(email)s is not in this item's department.") % {"email": person.email}]}
        )
    if not can_own_item(person, item):
        message = _(
            "%(email)s cannot own an item: only the department's head and its managers "
            "(department heads, executives, coordinators) can; an agent cannot."
        )
        raise ValidationError({field: [message % {"email": person.email}]})
    return person


def _head_for_ambassador(item: BacklogItem, by: Person) -> Person | None:
    """The head a CX ambassador claims for: the head is owner of record and makes the
    commitment (`claimed_by`), so that the ambassador gains no owner's powers (resolve); the
    audit row's actor is the ambassador. None when `by` claims in their own name."""
    if not acts_for_head(by, item):
        return None
    head = getattr(item.department, "head", None)
    if head is None or not head.is_active:
        raise ValidationError(
            {"owner": [_("This department has no head to claim for: ask the coordinator.")]}
        )
    return head


def _due(due: dt.date | None, now: dt.datetime, item: BacklogItem) -> dt.date:
    if due is None:
        raise ValidationError({"due": [_("Give the date you commit to.")]})
    # A day's grace: "today" anywhere in the organisation's time zones is accepted.
    if due < (now - dt.timedelta(days=1)).date():
        raise ValidationError({"due": [_("The due date cannot be in the past.")]})
    refusal = due_date_refusal(item.department, due)  # a public holiday or company day off
    if refusal:
        raise ValidationError({"due": [refusal]})
    return due


def barrier_claim(
    *,
    barrier: BacklogItem,
    by: Person,
    owner: Person | None = None,
    due: dt.date | None,
    first_step: str | None,
    now=None,
) -> BacklogItem:
    """A commitment: `owner` (default `by`, a person of the item's department) will remove the
    barrier by `due`, starting with `first_step`. Only the department's head or a coordinator
    claims. One conditional UPDATE (unclaimed and unchanged since read): of two claims at once
    exactly one wins, the other raises Conflict. A CX ambassador claims on the department's
    behalf: owner and `claimed_by` are its head whatever `owner` says, the event's actor is the
    ambassador with the note "on behalf of <head>"."""
    now = _now(now)
    _check(by, "barriers.claim_backlogitem", barrier)
    head = _head_for_ambassador(barrier, by)
    owner = _department_member(barrier, head or owner or by)
    due = _due(due, now, barrier)
    first_step = _text(first_step, "first_step", _("Say what the first step is."))
    if barrier.status not in UNCLAIMED_STATUSES:
        if barrier.status in CLAIMED_STATUSES:
            raise Conflict(_conflict_for_claim(barrier))
        raise ValidationError({"status": [_("Only a new or reopened item can be claimed.")]})
    changes = {
        "owner": owner,
        "claimed_by": head or by,
        "claimed_at": now,
        "due": due,
        "first_step": first_step,
        "status": Status.CLAIMED,
        "first_claimed_at": barrier.first_claimed_at or now,
        "needs_arbitration": False,
    }
    require = Q(claimed_at__isnull=True, status__in=UNCLAIMED_STATUSES)
    try:
        return _compare_and_set(
            barrier,
            by=by,
            kind=EventKind.CLAIMED,
            changes=changes,
            now=now,
            require=require,
            note=f"on behalf of {head.full_name}" if head else "",
            record={"on_behalf_of": head.email} if head else None,
        )
    except Conflict:
        raise Conflict(_conflict_for_claim(barrier)) from None


def barrier_reassign(
    *,
    barrier: BacklogItem,
    by: Person,
    owner: Person,
    due: dt.date | None = None,
    first_step: str | None = None,
    now=None,
) -> BacklogItem:
    """Hand a claimed item to another person of the department, keeping or changing the
    commitment's due date and first step."""
    now = _now(now)
    _check(by, "barriers.reassign_backlogitem", barrier)
    owner = _department_member(barrier, owner)
    if barrier.status not in CLAIMED_STATUSES:
        raise ValidationError({"status": [_("Only a claimed item is reassigned; claim it.")]})
    changes = {"owner": owner, "claimed_by": by}
    if due is not None:
        changes["due"] = _due(due, now, barrier)
    if first_step:
        changes["first_step"] = _text(first_step, "first_step", "")
    return _compare_and_set(
        barrier,
        by=by,
        kind=EventKind.REASSIGNED,
        changes=changes,
        now=now,
        require=Q(status__in=CLAIMED_STATUSES),
    )


# Status ---------------------------------------------------------------------------------------


def barrier_start(*, barrier: BacklogItem, by: Person, now=None) -> BacklogItem:
    """Claimed -> in progress."""
    now = _now(now)
    _check(by, "barriers.work_backlogitem", barrier)
    if barrier.status != Status.CLAIMED:
        raise ValidationError({"status": [_("Only a claimed item can be started.")]})
    return _compare_and_set(
        barrier,
        by=by,
        kind=EventKind.STARTED,
        changes={"status": Status.IN_PROGRESS},
        now=now,
        require=Q(status=Status.CLAIMED),
    )


__all__ = ["barrier_claim", "barrier_reassign", "barrier_start"]
