"""What the reports take from the barriers app (the backlog), in the shapes the reports show.

The only module of this app that knows the barriers app. The department scoreboard is the
barriers app's own selector (`barriers.selectors.scoreboard`). Two reads have no selector there
and are written here against its models' public fields, because the reports need them without
a person to filter for (a background worker renders them): a programme's items by priority
(items holding a report from one of the programme's visits) and a department's whole backlog.

No reporter is ever named: the reports show items, their owners and their counts, so an agent
who hid their name from their management chain stays hidden in every PDF.
"""

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.db.models import Count, Exists, Max, OuterRef

from barriers.calendars import department_calendars
from barriers.models import BacklogItem, ItemReport, Status
from barriers.selectors import item_wave, scoreboard
from debriefs.models import Category
from shadowing import clock
from shadowing.organisation.models import Department
from shadowing.programmes.models import Programme

TOP_BARRIERS = 20
# Rows fetched per query while a long backlog is laid out.
CHUNK = 500


@dataclass(frozen=True)
class Item:
    id: int
    title: str
    category: str
    department_code: str
    department_name: str
    owner: str
    status: str
    status_label: str
    due: dt.date | None
    first_step: str
    reports: int
    priority: int
    overdue: bool


@dataclass(frozen=True)
class DepartmentSpeed:
    code: str
    name: str
    items: int  # open items it owns
    claimed: int  # of them, claimed
    resolved: int
    overdue: int
    days_to_claim: float | None  # median, from creation to first claim
    days_to_resolve: float | None  # median, from creation to resolution
    claimed_nothing: bool  # items to its name and never a claim


@dataclass(frozen=True)
class ProgrammeBacklog:
    available: bool = True
    top: list[Item] = field(default_factory=list)
    speed: list[DepartmentSpeed] = field(default_factory=list)

    @property
    def claimed_nothing(self) -> list[DepartmentSpeed]:
        return [line for line in self.speed if line.claimed_nothing]


@dataclass(frozen=True)
class DepartmentBacklog:
    department: Department
    today: dt.date
    count: int = 0
    speed: DepartmentSpeed | None = None
    by_status: list[tuple[str, str, int]] = field(default_factory=list)
    available: bool = True

    def items(self) -> Iterator[Item]:
        """Every item but merged ones, highest priority first, read in chunks."""
        return (
            _item(row, self.today)
            for row in _items().filter(department=self.department).iterator(chunk_size=CHUNK)
        )


def _items():
    return (
        BacklogItem.objects.exclude(status=Status.MERGED)
        .select_related("department", "owner")
        .only(
            "pk",
            "title",
            "category",
            "status",
            "due",
            "first_step",
            "report_count",
            "priority",
            "department__code",
            "department__name",
            "owner__full_name",
        )
        .order_by("-priority", "-id")
    )


_CATEGORIES = dict(Category.choices)
_STATUSES = dict(Status.choices)


def _item(item: BacklogItem, today: dt.date) -> Item:
    return Item(
        id=item.pk,
        title=item.title,
        category=str(_CATEGORIES.get(item.category, item.category)),
        department_code=item.department.code,
        department_name=item.department.display_name,
        owner=item.owner.full_name,
        status=item.status,
        status_label=str(_STATUSES.get(item.status, item.status)),
        due=item.due,
        first_step=item.first_step,
        reports=item.report_count,
        priority=item.priority,
        overdue=item.is_overdue(today),
    )


def _speed(row) -> DepartmentSpeed:
    return DepartmentSpeed(
        code=row.code,
        name=row.name,
        items=row.owned,
        claimed=row.claimed,
        resolved=row.resolved,
        overdue=row.overdue,
        days_to_claim=row.median_days_to_claim,
        days_to_resolve=row.median_days_to_resolve,
        claimed_nothing=row.claimed_nothing,
    )


def changes() -> tuple:
    """A marker that changes whenever any backlog item does (every write raises its
    `updated_at`)."""
    row = BacklogItem.objects.order_by().aggregate(n=Count("pk"), last=Max("updated_at"))
    return (row["n"], row["last"])


def programme_backlog(programme: Programme, *, now: dt.datetime) -> ProgrammeBacklog:
    """The programme's items by priority (those holding a report from one of its visits), and
    every department's speed on the whole backlog (the barriers app's scoreboard)."""
    today = clock.local_date(now)
    from_programme = Exists(
        ItemReport.objects.filter(item=OuterRef("pk"), report__pairing__programme=programme)
    )
    top = [_item(item, today) for item in _items().filter(from_programme)[:TOP_BARRIERS]]
    speed = [
        _speed(row)
        for row in scoreboard(today=today)
        if row.owned or row.resolved or row.claimed_nothing
    ]
    speed.sort(key=lambda line: line.name.lower())
    return ProgrammeBacklog(top=top, speed=speed)


def items_of_reports(report_ids: list[int], *, now: dt.datetime) -> dict[int, Item]:
    """For each barrier report, the backlog item it is in now (its merge target if merged),
    so that whoever raised a barrier sees what became of it: two queries."""
    links = dict(
        ItemReport.objects.filter(report_id__in=report_ids).values_list("report_id", "item_id")
    )
    items = {
        item.pk: item
        for item in BacklogItem.objects.filter(pk__in=set(links.values()))
        .select_related("department", "owner", "merged_into__department", "merged_into__owner")
        .order_by()
    }
    today = clock.local_date(now)
    found = {}
    for report_id, item_id in links.items():
        item = items[item_id]
        while item.status == Status.MERGED and item.merged_into is not None:
            item = item.merged_into
        found[report_id] = _item(item, today)
    return found


def department_backlog(department: Department, *, now: dt.datetime) -> DepartmentBacklog:
    today = clock.local_date(now)
    counts = dict(
        BacklogItem.objects.filter(department=department)
        .exclude(status=Status.MERGED)
        .values_list("status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    by_status = [
        (value, str(label), counts[value]) for value, label in Status.choices if counts.get(value)
    ]
    row = next((r for r in scoreboard(today=today) if r.code == department.code), None)
    return DepartmentBacklog(
        department=department,
        today=today,
        count=sum(counts.values()),
        speed=_speed(row) if row else None,
        by_status=by_status,
    )


# The loop, measured (reports.loop) -------------------------------------------------------------


def loop_items(wave_ids: list[int], *, now: dt.datetime):
    """The rows `reports.loop.measure` needs for the items of `wave_ids`, each item in the
    wave (programme) of its earliest report, the departments they belong to, and a working-day
    counter over each department's calendar: four or five queries however many items."""
    from barriers.kinds import EventKind
    from barriers.models import ItemEvent
    from barriers.workdays import working_days_between

    from . import loop

    if not wave_ids:
        return [], {}, lambda department_id, start, end: 0
    reopened = Exists(ItemEvent.objects.filter(item=OuterRef("pk"), kind=EventKind.REOPENED))
    values = (
        BacklogItem.objects.exclude(status=Status.MERGED)
        .annotate(wave=item_wave())
        .filter(wave__in=wave_ids)
        .annotate(reopened=reopened)
        .order_by()
        .values_list(
            "department_id",
            "wave",
            "created_at",
            "first_claimed_at",
            "resolved_at",
            "verified_at",
            "status",
            "reopened",
        )
    )
    zone = clock.home_zone()
    rows = [
        loop.ItemRow(
            department_id=department_id,
            wave_id=wave,
            created_at=created_at,
            created_on=created_at.astimezone(zone).date(),
            first_claimed_at=claimed_at,
            first_claimed_on=claimed_at.astimezone(zone).date() if claimed_at else None,
            # A refusal (won't fix) sets resolved_at too, but removes nothing.
            resolved_at=resolved_at if status != Status.WONT_FIX else None,
            verified=verified_at is not None or status == Status.VERIFIED,
            reopened=bool(was_reopened),
        )
        for (
            department_id,
            wave,
            created_at,
            claimed_at,
            resolved_at,
            verified_at,
            status,
            was_reopened,
        ) in values
    ]
    found = list(
        Department.objects.filter(pk__in={row.department_id for row in rows}).select_related(
            "head__site"
        )
    )
    departments = {d.pk: (d.code, d.display_name) for d in found}
    calendars = {}
    if rows:
        start = min(row.created_on for row in rows)
        end = clock.local_date(now) + dt.timedelta(days=1)
        calendars = department_calendars(found, start, end)

    def working_days(department_id: int, start: dt.date, end: dt.date) -> int:
        calendar = calendars.get(department_id)
        if calendar is None:
            return working_days_between(start, end)
        return working_days_between(start, end, calendar)

    return rows, departments, working_days
