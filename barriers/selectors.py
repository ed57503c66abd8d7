"""Reads of the backlog, and what each person may see of it.

Lists always go through `items_visible_to`: object permissions never filter a list. Every list
here costs a fixed number of queries whatever its length.
"""

from __future__ import annotations

import datetime as dt
import statistics
import threading
from dataclasses import dataclass

import numpy as np
from django.db.models import Count, Max, OuterRef, Q, QuerySet, Subquery

from debriefs.models import BarrierReport
from debriefs.selectors import management_chains, reporter_hidden_from
from shadowing import clock
from shadowing.organisation.models import Department, Person

from . import similarity
from .ambassador_selectors import ambassadors_by_department
from .models import (
    CLAIMED_STATUSES,
    CLOSED_STATUSES,
    OPEN_STATUSES,
    UNCLAIMED_STATUSES,
    BacklogItem,
    ItemEvent,
    ItemReport,
    ItemVector,
    Merge,
    Status,
)
from .permissions import OWNER_ROLES


def _is_coordinator(user) -> bool:
    return bool(
        user.is_authenticated and user.is_active and (user.is_coordinator or user.is_superuser)
    )


def items_visible_to(user: Person) -> QuerySet[BacklogItem]:
    """Coordinators see every item; a department head and its CX ambassadors their
    department's; anyone the items
    they own or claimed and those holding a report they filed."""
    items = BacklogItem.objects.select_related("department", "owner", "claimed_by")
    if not user.is_authenticated or not user.is_active:
        return items.none()
    if _is_coordinator(user):
        return items
    visible = Q(owner=user) | Q(claimed_by=user)
    # IN (subquery) rather than EXISTS: PostgreSQL hashes it once instead of probing it for
    # every row of an OR (330 ms against 30 ms for a head's 10,000-item backlog).
    visible |= Q(pk__in=ItemReport.objects.filter(report__reporter=user).values("item_id"))
    if (user.is_department_head or user.is_cx_ambassador) and user.department_id:
        visible |= Q(department_id=user.department_id)
    return items.filter(visible)


def item_list(
    user: Person,
    *,
    department: str | None = None,
    status: str | None = None,
    owner: str | None = None,
    today: dt.date | None = None,
) -> QuerySet[BacklogItem]:
    """The backlog as `user` may see it, filtered, highest priority first. Merged items only
    when asked for by status. `status` may also be "open" or "overdue"."""
    items = items_visible_to(user)
    if department:
        items = items.filter(department__code=department)
    if status == "open":
        items = items.filter(status__in=OPEN_STATUSES)
    elif status == "overdue":
        items = items.filter(status__in=CLAIMED_STATUSES, due__lt=today or clock.local_today())
    elif status:
        items = items.filter(status=status)
    else:
        items = items.exclude(status=Status.MERGED)
    if owner:
        items = items.filter(owner__email=owner.strip().lower())
    return items.order_by("-priority", "-id")


# One item ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReportRow:
    report: BarrierReport
    reporter_hidden: bool
    debrief_visible: bool


def item_reports(item: BacklogItem, user: Person) -> list[ReportRow]:
    """The item's reports, oldest first, each with whether `user` may see who filed it (agents
    may hide their name from their management chain) and the debrief it came from (only its
    executive and coordinators may). A few queries whatever the number."""
    reports = list(
        BarrierReport.objects.filter(backlog_link__item=item)
        .select_related("reporter", "department", "pairing__programme")
        .order_by("created_at", "id")
    )
    anonymous = {r.reporter_id for r in reports if r.anonymous_to_management}
    chains = management_chains(anonymous) if anonymous and _is_coordinator(user) else {}
    coordinator = _is_coordinator(user)
    return [
        ReportRow(
            report,
            reporter_hidden_from(user, report, chains),
            bool(report.debrief_id) and (coordinator or report.reporter_id == user.pk),
        )
        for report in reports
    ]


def item_history(item: BacklogItem) -> QuerySet[ItemEvent]:
    """The item's events and those of the items merged into it, oldest first."""
    merged = Merge.objects.filter(into=item, undone_at__isnull=True).values("source_id")
    return (
        ItemEvent.objects.filter(Q(item=item) | Q(item__in=merged))
        .select_related("actor")
        .order_by("at", "id")
    )


def live_merges_into(item: BacklogItem) -> QuerySet[Merge]:
    return Merge.objects.filter(into=item, undone_at__isnull=True).select_related("source")


def possible_owners(department: Department) -> QuerySet[Person]:
    """Who may own an item of `department` (permissions.can_own_item): its head and its active
    people with a managing role, by name."""
    return (
        Person.objects.filter(department=department, is_active=True)
        .filter(OWNER_ROLES | Q(pk=department.head_id))
        .order_by("full_name", "email")
    )


def item_wave(item: str = "pk") -> Subquery:
    """The wave (programme id) an item belongs to, for annotating a query over items or rows
    pointing at them (`item` names the item's column): the programme of its earliest report."""
    earliest = ItemReport.objects.filter(item=OuterRef(item)).order_by(
        "report__created_at", "report_id"
    )
    return Subquery(earliest.values("report__pairing__programme_id")[:1])


# Similar items ----------------------------------------------------------------------------------


class VectorIndex:
    """Every active item's vector as one matrix, kept in this process and reloaded only when
    the table changed (its row count or latest update differs): a suggestion is then one cheap
    aggregate query and one matrix-vector product, not a scan of 10,000 rows."""

    def __init__(self):
        self._lock = threading.Lock()
        self._key = None
        self._ids = np.zeros(0, dtype=np.int64)
        self._matrix = np.zeros((0, similarity.DIMENSIONS), dtype=similarity.DTYPE)

    def get(self) -> tuple[np.ndarray, np.ndarray]:
        # COUNT(*), not COUNT(item_id): SQLite then answers from the (active, updated_at)
        # index alone (0.5 ms) instead of scanning the vectors (30 ms at 10,000 items).
        state = ItemVector.objects.filter(active=True).aggregate(
            n=Count("*"), latest=Max("updated_at")
        )
        key = (state["n"], state["latest"])
        with self._lock:
            if key != self._key:
                rows = ItemVector.objects.filter(active=True).values_list("item_id", "vector")
                self._ids, self._matrix = similarity.stack(list(rows))
                self._key = key
            return self._ids, self._matrix

    def clear(self) -> None:
        with self._lock:
            self._key = None


vector_index = VectorIndex()


def item_vector(item: BacklogItem) -> np.ndarray | None:
    row = ItemVector.objects.filter(item=item).values_list("vector", flat=True).first()
    return similarity.from_bytes(row)


def similar_to_vector(
    vector: np.ndarray | None, user: Person, *, exclude=(), limit: int = 5
) -> list[tuple[BacklogItem, float]]:
    """Items `user` may see most like `vector`, best first, with their scores."""
    if vector is None:
        return []
    ids, matrix = vector_index.get()
    # Rank a wider list than asked, then keep what the user may see.
    matches = similarity.rank(vector, ids, matrix, limit=limit * 4 + 10, exclude=exclude)
    if not matches:
        return []
    visible = {
        item.pk: item for item in items_visible_to(user).filter(pk__in=[m.item_id for m in matches])
    }
    return [(visible[m.item_id], m.score) for m in matches if m.item_id in visible][:limit]


def similar_items(
    item: BacklogItem, user: Person, *, limit: int = 5
) -> list[tuple[BacklogItem, float]]:
    """The likely duplicates of `item`, best first (merged items and the item itself left
    out)."""
    return similar_to_vector(item_vector(item), user, exclude=[item.pk], limit=limit)


def similar_to_text(
    title: str, description: str, user: Person, *, limit: int = 5
) -> list[tuple[BacklogItem, float]]:
    """Likely duplicates of a barrier not yet filed (one model run)."""
    from .similarity import encoder

    return similar_to_vector(encoder.encode_barrier(title, description), user, limit=limit)


# Triage ---------------------------------------------------------------------------------------


def triage_items(*, department: str | None = None) -> QuerySet[BacklogItem]:
    """What the coordinator sorts: new items and those awaiting arbitration, arbitration
    first, then newest."""
    items = BacklogItem.objects.select_related("department", "owner").filter(
        Q(status=Status.NEW) | Q(needs_arbitration=True)
    )
    if department:
        items = items.filter(department__code=department)
    return items.order_by("-needs_arbitration", "-created_at", "-id")


def suggestions_for(items: list[BacklogItem], user: Person, *, limit: int = 3) -> dict:
    """item id -> likely duplicates, for a page of items: one query for their vectors, one
    for the index's freshness, one for the suggested items."""
    vectors = {
        item_id: similarity.from_bytes(data)
        for item_id, data in ItemVector.objects.filter(
            item_id__in=[i.pk for i in items]
        ).values_list("item_id", "vector")
    }
    ids, matrix = vector_index.get()
    ranked = {
        item.pk: similarity.rank(vectors[item.pk], ids, matrix, limit=limit, exclude=[item.pk])
        if vectors.get(item.pk) is not None
        else []
        for item in items
    }
    wanted = {m.item_id for matches in ranked.values() for m in matches}
    found = (
        {i.pk: i for i in items_visible_to(user).filter(pk__in=wanted).order_by()} if wanted else {}
    )
    return {
        item_id: [(found[m.item_id], m.score) for m in matches if m.item_id in found]
        for item_id, matches in ranked.items()
    }


# Scoreboard -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ScoreRow:
    code: str
    name: str
    head: str | None  # the head's full name
    head_email: str | None
    owned: int  # open: new, reopened, claimed or in progress
    new: int  # waiting for a claim: new or reopened
    claimed: int
    overdue: int
    resolved: int
    median_days_to_claim: float | None
    median_days_to_resolve: float | None
    ever_claimed: bool
    ambassadors: tuple = ()  # ambassadors.selectors.AmbassadorRow, with their last action

    @property
    def claimed_nothing(self) -> bool:
        return not self.ever_claimed and self.owned > 0

    @property
    def has_nothing(self) -> bool:
        """Nothing open and nothing resolved: a line of zeros, shown as a name only."""
        return not self.owned and not self.resolved


# The scoreboard's columns, by the name `?sort=` takes (a leading "-": descending), and what
# each sorts by. A department without a median sorts after the others either way.
SCORE_SORTS = {
    "department": lambda row: row.name.casefold(),
    "head": lambda row: (row.head or "").casefold() or None,
    "open": lambda row: row.owned,
    "new": lambda row: row.new,
    "claimed": lambda row: row.claimed,
    "overdue": lambda row: row.overdue,
    "resolved": lambda row: row.resolved,
    "days_to_claim": lambda row: row.median_days_to_claim,
    "days_to_resolve": lambda row: row.median_days_to_resolve,
}
SCORE_SORT_DEFAULT = "-open"


class UnknownSort(ValueError):
    """A `sort` that names no column of the scoreboard."""


def scoreboard_sorted(rows: list[ScoreRow], sort: str) -> list[ScoreRow]:
    """`rows` by the column `sort` names ("open", or "-open" for most first), ties in the order
    of their names; rows without a value for that column last. UnknownSort for any other."""
    column = sort.removeprefix("-")
    if column not in SCORE_SORTS:
        raise UnknownSort(column)
    key = SCORE_SORTS[column]
    by_name = sorted(rows, key=lambda row: (row.name.casefold(), row.code))
    valued = [row for row in by_name if key(row) is not None]
    missing = [row for row in by_name if key(row) is None]
    return sorted(valued, key=key, reverse=sort.startswith("-")) + missing


def _median_days(pairs) -> dict[int, float]:
    by_department: dict[int, list[float]] = {}
    for department_id, start, end in pairs:
        by_department.setdefault(department_id, []).append((end - start).total_seconds() / 86400)
    return {key: round(statistics.median(days), 1) for key, days in by_department.items()}


def scoreboard(*, today: dt.date | None = None) -> list[ScoreRow]:
    """For every department, by code: its head, open items it owns, how many wait for a claim,
    are claimed and overdue, how many it resolved, the median days from creation to first claim
    and to resolution, whether it has ever claimed anything, and its CX ambassadors with their
    last action. Four queries; medians in Python over two columns. `scoreboard_sorted` orders
    them by a column."""
    today = today or clock.local_today()
    live = ~Q(backlog_items__status=Status.MERGED)
    departments = (
        Department.objects.select_related("head")
        .annotate(
            owned=Count("backlog_items", filter=Q(backlog_items__status__in=OPEN_STATUSES)),
            new=Count("backlog_items", filter=Q(backlog_items__status__in=UNCLAIMED_STATUSES)),
            claimed=Count("backlog_items", filter=Q(backlog_items__status__in=CLAIMED_STATUSES)),
            overdue=Count(
                "backlog_items",
                filter=Q(backlog_items__status__in=CLAIMED_STATUSES, backlog_items__due__lt=today),
            ),
            resolved=Count("backlog_items", filter=Q(backlog_items__status__in=CLOSED_STATUSES)),
            ever_claimed=Count(
                "backlog_items", filter=live & Q(backlog_items__first_claimed_at__isnull=False)
            ),
        )
        .order_by("code")
    )
    items = BacklogItem.objects.exclude(status=Status.MERGED)
    to_claim = _median_days(
        items.filter(first_claimed_at__isnull=False).values_list(
            "department_id", "created_at", "first_claimed_at"
        )
    )
    to_resolve = _median_days(
        items.filter(resolved_at__isnull=False).values_list(
            "department_id", "created_at", "resolved_at"
        )
    )
    ambassadors = ambassadors_by_department()
    return [
        ScoreRow(
            code=d.code,
            name=d.display_name,
            head=d.head.full_name if d.head_id else None,
            head_email=d.head.email if d.head_id else None,
            owned=d.owned,
            new=d.new,
            claimed=d.claimed,
            overdue=d.overdue,
            resolved=d.resolved,
            median_days_to_claim=to_claim.get(d.pk),
            median_days_to_resolve=to_resolve.get(d.pk),
            ever_claimed=d.ever_claimed > 0,
            ambassadors=ambassadors.get(d.pk, ()),
        )
        for d in departments
    ]
