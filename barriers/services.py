"""Every write to the backlog. Pages, the API, the admin, tasks and the report signal call these.

What they guarantee:

- every item has an owner at every moment (a NOT NULL column): the head of its department, or
  when the department has no head, the arbitrating coordinator (BacklogSettings, else the first
  active coordinator);
- every state change is one compare-and-set UPDATE on the item's `version`
  (`filter(pk=..., version=seen).update(..., version=F("version") + 1)`): of two changes made
  from the same state exactly one lands, the other raises `Conflict` (HTTP 409). A claim also
  requires `claimed_at IS NULL`, so of twenty claims at once exactly one wins;
- the audit row (`ItemEvent`: who, what, when, before and after) is written in the same
  transaction as the change it records;
- a report is in exactly one item (a unique constraint); filing the same reports twice changes
  nothing the second time;
- an item transferred twice is not transferred a third time by a head: it goes to the
  coordinator to arbitrate, and keeps its department until then;
- reporters are told of a resolution or refusal by a background task queued on commit, once
  per reporter and resolution (`Notice` rows).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable
from functools import partial

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from debriefs.models import BarrierReport, Source
from shadowing.organisation.models import Department, Person

from . import priority as priority_rules
from . import similarity
from .models import (
    CLAIMED_STATUSES,
    CLOSED_STATUSES,
    OPEN_STATUSES,
    UNCLAIMED_STATUSES,
    BacklogItem,
    BacklogSettings,
    EventKind,
    ItemEvent,
    ItemReport,
    ItemVector,
    Merge,
    Status,
)

log = logging.getLogger(__name__)

# A head may transfer an item this many times; the next attempt goes to the coordinator.
MAX_TRANSFERS = 2
TEXT_MAX = 2000


class Conflict(Exception):
    """The item changed since it was read (another claim won, a transfer landed): HTTP 409."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class NoOwner(Exception):
    """Nobody can own an item: the department has no head and there is no coordinator."""


def _now(now):
    return now or timezone.now()


# Owners ---------------------------------------------------------------------------------------


def arbiter() -> Person:
    """The coordinator who arbitrates: the one named in BacklogSettings if still an active
    coordinator, else the first active coordinator, else the first active superuser."""
    chosen = BacklogSettings.load().arbiter
    if chosen is not None and chosen.is_active and (chosen.is_coordinator or chosen.is_superuser):
        return chosen
    person = (
        Person.objects.filter(is_active=True)
        .filter(Q(is_coordinator=True) | Q(is_superuser=True))
        .order_by("-is_coordinator", "pk")
        .first()
    )
    if person is None:
        raise NoOwner(_("Nobody can own backlog items: there is no active coordinator."))
    return person


def department_owner(department: Department) -> Person:
    """Who owns a new or transferred item of `department`: its head, or the arbiter when the
    department has no active head."""
    head = department.head
    if head is not None and head.is_active:
        return head
    return arbiter()


# Audit ----------------------------------------------------------------------------------------

SNAPSHOT_FIELDS = (
    "status",
    "department",
    "owner",
    "claimed_by",
    "claimed_at",
    "due",
    "first_step",
    "resolution",
    "merged_into",
    "needs_arbitration",
    "transfer_count",
)


def _plain(value):
    if isinstance(value, Person):
        return value.email
    if isinstance(value, Department):
        return value.code
    if isinstance(value, BacklogItem):
        return value.pk
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return value


def snapshot(item: BacklogItem, fields: Iterable[str] = SNAPSHOT_FIELDS) -> dict:
    """The audited fields of `item` as JSON-ready values (people by e-mail, departments by
    code). Reads related objects only when they are loaded or cheap (the caller's item)."""
    out = {}
    for name in fields:
        field = BacklogItem._meta.get_field(name)
        if field.is_relation:
            related_id = getattr(item, field.attname)
            if related_id is None:
                out[name] = None
            elif name == "merged_into":
                out[name] = related_id
            else:
                out[name] = _plain(getattr(item, name))
        else:
            out[name] = _plain(getattr(item, name))
    return out


def _event(item, kind, by, *, before=None, after=None, note="", now=None) -> ItemEvent:
    return ItemEvent.objects.create(
        item=item,
        kind=kind,
        actor=by,
        at=_now(now),
        before=before or {},
        after=after or {},
        note=note,
    )


def _changed(before: dict, after: dict) -> tuple[dict, dict]:
    keys = [key for key in after if before.get(key) != after[key]]
    return {key: before.get(key) for key in keys}, {key: after[key] for key in keys}


def _compare_and_set(
    item: BacklogItem,
    *,
    by: Person | None,
    kind: str,
    changes: dict,
    note: str = "",
    now: dt.datetime,
    require: Q | None = None,
    conflict: str | None = None,
) -> BacklogItem:
    """Apply `changes` to `item` if it is still at the version read (and matches `require`),
    record the event, and return the item as it now is. Raises Conflict otherwise. Runs inside
    the caller's transaction when there is one."""
    before = snapshot(item)
    rows = BacklogItem.objects.filter(pk=item.pk, version=item.version)
    if require is not None:
        rows = rows.filter(require)
    with transaction.atomic():
        updated = rows.update(**changes, version=F("version") + 1, updated_at=now)
        if updated != 1:
            raise Conflict(conflict or _("The item changed meanwhile: reload it and try again."))
        for name, value in changes.items():
            setattr(item, name, value)
        item.version += 1
        item.updated_at = now
        old, new = _changed(before, snapshot(item))
        _event(item, kind, by, before=old, after=new, note=note, now=now)
    return item


def _conflict_for_claim(item: BacklogItem) -> str:
    current = BacklogItem.objects.select_related("claimed_by", "owner").filter(pk=item.pk).first()
    if current is not None and current.claimed_at is not None:
        return _("Already claimed by %(name)s.") % {"name": current.claimed_by.full_name}
    return _("The item changed meanwhile: reload it and try again.")


# Filing reports ---------------------------------------------------------------------------------


def _report_vectors(reports: list[BarrierReport]) -> dict[int, bytes | None]:
    """Each report's vector as bytes, or None for all when the model cannot run (the items
    are still filed; suggestions skip them)."""
    if not reports:
        return {}
    try:
        from .similarity import encoder

        texts = [similarity.barrier_text(r.title, r.description) for r in reports]
        vectors = encoder.encode(texts)
    except Exception:  # the backlog must take reports even if the model cannot run
        log.exception("barrier similarity: could not compute vectors; items filed without")
        return {report.pk: None for report in reports}
    return {
        report.pk: similarity.to_bytes(vector)
        for report, vector in zip(reports, vectors, strict=True)
    }


def backlog_file_reports(*, report_ids: Iterable[int], now=None) -> list[BacklogItem]:
    """File barrier reports into the backlog: a report not yet in the backlog opens a new item
    (owner: its department's head); one already there (changed or withdrawn by a resubmitted
    debrief) updates its item. Idempotent: filing the same ids again changes nothing new.
    Returns the items created or touched."""
    now = _now(now)
    reports = list(
        BarrierReport.objects.select_related("department__head", "backlog_link")
        .filter(pk__in=set(report_ids))
        .order_by("pk")
    )
    existing = [r for r in reports if hasattr(r, "backlog_link")]
    fresh = [r for r in reports if not hasattr(r, "backlog_link") and r.withdrawn_at is None]
    vectors = _report_vectors(existing + fresh)
    touched: dict[int, BacklogItem] = {}
    for report in existing:
        link = report.backlog_link
        if vectors.get(report.pk) is not None:
            ItemReport.objects.filter(pk=link.pk).update(vector=vectors[report.pk])
        item = BacklogItem.objects.get(pk=link.item_id)
        if report.withdrawn_at is not None:
            _event(
                item,
                EventKind.REPORT_WITHDRAWN,
                None,
                after={"report": report.pk},
                now=now,
            )
        refresh_item_summary(item)
        touched[item.pk] = item
    for report in fresh:
        item = _open_item(report, vectors.get(report.pk), now=now)
        if item is not None:
            touched[item.pk] = item
    return list(touched.values())


def _open_item(report: BarrierReport, vector: bytes | None, *, now) -> BacklogItem | None:
    try:
        owner = department_owner(report.department)
    except NoOwner:
        log.error("barrier report %s not filed: nobody can own it", report.pk)
        return None
    try:
        with transaction.atomic():
            item = BacklogItem.objects.create(
                title=report.title,
                description=report.description,
                category=report.category,
                department=report.department,
                severity=report.severity,
                frequency=report.frequency,
                owner=owner,
                owned_since=now,
                created_at=now,
                updated_at=now,
            )
            ItemReport.objects.create(item=item, report=report, vector=vector, added_at=now)
            # The reporter is not named: an agent may have asked for anonymity.
            _event(
                item,
                EventKind.CREATED,
                None,
                after={**snapshot(item, ("status", "department", "owner")), "report": report.pk},
                now=now,
            )
            refresh_item_summary(item)
    except IntegrityError:  # another worker filed this report first
        return None
    return item


def refresh_item_summary(item: BacklogItem) -> BacklogItem:
    """Recompute the item's severity, frequency, counts, priority and vector from its reports
    that are not withdrawn. Not a state change: the version stays."""
    rows = list(
        ItemReport.objects.filter(item=item, report__withdrawn_at__isnull=True).values_list(
            "report__severity",
            "report__frequency",
            "report__source",
            "report__reporter_id",
            "vector",
        )
    )
    executives = {reporter for _s, _f, source, reporter, _v in rows if source == Source.EXECUTIVE}
    agents = {reporter for _s, _f, source, reporter, _v in rows if source == Source.AGENT}
    changes = {
        "report_count": len(rows),
        "executive_count": len(executives),
        "agent_count": len(agents - executives),
    }
    if rows:
        changes["severity"] = max(severity for severity, *_rest in rows)
        changes["frequency"] = priority_rules.most_frequent(row[1] for row in rows)
    changes["priority"] = priority_rules.priority(
        severity=changes.get("severity", item.severity),
        frequency=changes.get("frequency", item.frequency),
        executives=changes["executive_count"],
        agents=changes["agent_count"],
    )
    BacklogItem.objects.filter(pk=item.pk).update(**changes)
    for name, value in changes.items():
        setattr(item, name, value)
    vectors = [similarity.from_bytes(row[4]) for row in rows]
    vectors = [vector for vector in vectors if vector is not None]
    active = item.status != Status.MERGED
    if vectors:
        ItemVector.objects.update_or_create(
            item=item,
            defaults={
                "vector": similarity.to_bytes(similarity.combine(vectors)),
                "active": active,
                "updated_at": timezone.now(),
            },
        )
    else:
        ItemVector.objects.filter(item=item).delete()
    return item


# Claims ---------------------------------------------------------------------------------------


def _check(by: Person, perm: str, item: BacklogItem) -> None:
    if not by.has_perm(perm, item):
        raise PermissionDenied(_("You may not do this to this item."))


def _department_member(item: BacklogItem, person: Person | None, field: str = "owner") -> Person:
    if person is None or not person.is_active:
        raise ValidationError({field: [_("Name an active person.")]})
    if person.department_id != item.department_id:
        raise ValidationError(
            {field: [_("%(email)s is not in this item's department.") % {"email": person.email}]}
        )
    return person


def _text(value: str | None, field: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError({field: [message]})
    if len(value) > TEXT_MAX:
        raise ValidationError({field: [_("At most %(n)d characters.") % {"n": TEXT_MAX}]})
    return value


def _due(due: dt.date | None, now: dt.datetime) -> dt.date:
    if due is None:
        raise ValidationError({"due": [_("Give the date you commit to.")]})
    # A day's grace: "today" anywhere in the organisation's time zones is accepted.
    if due < (now - dt.timedelta(days=1)).date():
        raise ValidationError({"due": [_("The due date cannot be in the past.")]})
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
    exactly one wins, the other raises Conflict."""
    now = _now(now)
    _check(by, "barriers.claim_backlogitem", barrier)
    owner = _department_member(barrier, owner or by)
    due = _due(due, now)
    first_step = _text(first_step, "first_step", _("Say what the first step is."))
    if barrier.status not in UNCLAIMED_STATUSES:
        if barrier.status in CLAIMED_STATUSES:
            raise Conflict(_conflict_for_claim(barrier))
        raise ValidationError({"status": [_("Only a new or reopened item can be claimed.")]})
    changes = {
        "owner": owner,
        "claimed_by": by,
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
            barrier, by=by, kind=EventKind.CLAIMED, changes=changes, now=now, require=require
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
        changes["due"] = _due(due, now)
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


_UNCLAIM = {"claimed_by": None, "claimed_at": None, "due": None, "first_step": ""}


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


# Merging --------------------------------------------------------------------------------------


def barrier_merge(*, source: BacklogItem, into: BacklogItem, by: Person, now=None) -> BacklogItem:
    """`into` absorbs `source`: its reports move (their reporters with them), `source` is
    marked merged and points at `into`, and both histories record it. Returns `into`. Undo
    with `barrier_unmerge`."""
    now = _now(now)
    _check(by, "barriers.merge_backlogitem", source)
    if into is None or into.pk == source.pk:
        raise ValidationError({"into": [_("Choose another item.")]})
    if source.status == Status.MERGED:
        raise ValidationError({"status": [_("This item is already merged.")]})
    if into.status == Status.MERGED:
        raise ValidationError(
            {"into": [_("That item is merged itself; choose the one it went into.")]}
        )
    with transaction.atomic():
        before_status = source.status
        source = _compare_and_set(
            source,
            by=by,
            kind=EventKind.MERGED,
            changes={"status": Status.MERGED, "merged_into": into, "needs_arbitration": False},
            now=now,
            require=~Q(status=Status.MERGED),
        )
        moved = list(ItemReport.objects.filter(item=source).values_list("report_id", flat=True))
        ItemReport.objects.filter(item=source).update(item=into)
        Merge.objects.create(
            source=source,
            into=into,
            report_ids=moved,
            source_status=before_status,
            merged_by=by,
            merged_at=now,
        )
        _event(
            into,
            EventKind.ABSORBED,
            by,
            after={"item": source.pk, "reports": moved},
            note=source.title,
            now=now,
        )
        refresh_item_summary(source)
        refresh_item_summary(into)
    into.refresh_from_db()
    return into


def barrier_unmerge(*, source: BacklogItem, by: Person, now=None) -> BacklogItem:
    """Undo the live merge of `source`: the reports that moved come back (from wherever they
    are now), and `source` returns to the status it had. Returns `source`."""
    now = _now(now)
    _check(by, "barriers.merge_backlogitem", source)
    merge = Merge.objects.filter(source=source, undone_at__isnull=True).first()
    if merge is None or source.status != Status.MERGED:
        raise ValidationError({"status": [_("This item is not merged.")]})
    with transaction.atomic():
        holders = set(
            ItemReport.objects.filter(report_id__in=merge.report_ids).values_list(
                "item_id", flat=True
            )
        )
        source = _compare_and_set(
            source,
            by=by,
            kind=EventKind.UNMERGED,
            changes={"status": merge.source_status, "merged_into": None},
            now=now,
            require=Q(status=Status.MERGED),
        )
        ItemReport.objects.filter(report_id__in=merge.report_ids).update(item=source)
        Merge.objects.filter(pk=merge.pk).update(undone_at=now, undone_by=by)
        for holder in BacklogItem.objects.filter(pk__in=holders - {source.pk}):
            _event(
                holder,
                EventKind.UNMERGED,
                by,
                before={"reports": merge.report_ids},
                after={"item": source.pk},
                now=now,
            )
            refresh_item_summary(holder)
        refresh_item_summary(source)
    return source


def _queue(func: str, *args) -> None:
    from django_q.tasks import async_task

    async_task(func, *args)


__all__ = [
    "CLOSED_STATUSES",
    "Conflict",
    "NoOwner",
    "arbiter",
    "backlog_file_reports",
    "barrier_claim",
    "barrier_merge",
    "barrier_reassign",
    "barrier_reopen",
    "barrier_resolve",
    "barrier_start",
    "barrier_transfer",
    "barrier_unmerge",
    "barrier_verify",
    "barrier_wont_fix",
    "department_owner",
    "refresh_item_summary",
]
