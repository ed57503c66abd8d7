"""The ambassadors' reads: a department's queue (its new and escalated items) and, for the
scoreboard, each department's ambassadors with their last action on its items."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)

from shadowing.organisation.models import Person

from .kinds import EventKind, NoticeKind
from .models import CLAIMED_STATUSES, UNCLAIMED_STATUSES, BacklogItem, ItemEvent, Notice
from .suggestions import MergeSuggestion, SuggestionStatus


def _escalated():
    """The sweep's notion of escalated: an item left unclaimed whose escalation went out since
    its owner got it, or a claim whose overdue escalation went out since it was made."""
    notices = Notice.objects.filter(item=OuterRef("pk"))
    unclaimed = notices.filter(kind=NoticeKind.ESCALATION, created_at__gte=OuterRef("owned_since"))
    overdue = notices.filter(
        kind=NoticeKind.OVERDUE_ESCALATION, created_at__gte=OuterRef("claimed_at")
    )
    return (Q(status__in=UNCLAIMED_STATUSES) & Exists(unclaimed)) | (
        Q(status__in=CLAIMED_STATUSES) & Exists(overdue)
    )


def ambassador_queue(user: Person) -> QuerySet[BacklogItem]:
    """What an ambassador works on: their department's items waiting for a claim (new or
    reopened) and those escalated (left unclaimed, or overdue, too long), escalated first, then
    by priority. Each item carries `escalated`. Nothing for anyone who is no ambassador."""
    items = BacklogItem.objects.select_related("department", "owner", "claimed_by")
    if not user.is_authenticated or not user.is_cx_ambassador or not user.department_id:
        return items.none()
    escalated = _escalated()
    return (
        items.filter(department_id=user.department_id)
        .filter(Q(status__in=UNCLAIMED_STATUSES) | escalated)
        .annotate(escalated=ExpressionWrapper(escalated, output_field=BooleanField()))
        .order_by("-escalated", "-priority", "-id")
    )


def pending_suggestions(item: BacklogItem) -> QuerySet[MergeSuggestion]:
    """The merges suggested for `item`, not yet decided, newest first."""
    return MergeSuggestion.objects.select_related("into", "suggested_by").filter(
        source=item, status=SuggestionStatus.PENDING
    )


@dataclass(frozen=True)
class AmbassadorRow:
    name: str
    email: str
    last_kind: str | None  # an EventKind value; None when they have done nothing yet
    last_at: dt.datetime | None

    @property
    def last_label(self) -> str:
        return str(EventKind(self.last_kind).label) if self.last_kind else ""


def ambassadors_by_department() -> dict[int, tuple[AmbassadorRow, ...]]:
    """Every active ambassador by department id, by name, with their last action on their
    department's items (kind and when, from the audit trail). One query for all departments."""
    last = ItemEvent.objects.filter(
        actor=OuterRef("pk"), item__department_id=OuterRef("department_id")
    ).order_by("-at", "-id")
    people = (
        Person.objects.filter(is_active=True, is_cx_ambassador=True, department__isnull=False)
        .annotate(
            last_kind=Subquery(last.values("kind")[:1]), last_at=Subquery(last.values("at")[:1])
        )
        .order_by("full_name", "pk")
    )
    out: dict[int, list[AmbassadorRow]] = defaultdict(list)
    for person in people:
        out[person.department_id].append(
            AmbassadorRow(person.full_name, person.email, person.last_kind, person.last_at)
        )
    return {key: tuple(rows) for key, rows in out.items()}


def ambassador_step_counts(user: Person) -> dict[str, int]:
    """How many items wait in an ambassador's queue, and how many of them escalated: their
    home's next step. One query."""
    return ambassador_queue(user).aggregate(
        n=Count("pk"), escalated=Count("pk", filter=_escalated())
    )
