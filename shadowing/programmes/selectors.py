"""Reads about programmes and pairings, and what each person may see of them."""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery

from shadowing.organisation.models import Person
from shadowing.programmes.models import Availability, Programme, Shift
from shadowing.programmes.pairing_models import (
    Decline,
    Pairing,
    PairingRun,
    PairingRunStatus,
    PairingStatus,
    UnpairedExecutive,
)
from shadowing.programmes.series import had_earlier_visit


def _is_coordinator(user) -> bool:
    return bool(user.is_authenticated and (user.is_coordinator or user.is_superuser))


def programmes_visible_to(user: Person) -> QuerySet[Programme]:
    """Coordinators, department heads and executives see every programme (an executive without
    availability rows may be paired on any date of any programme); an agent sees those they
    have a shift or a pairing in; anyone else none."""
    programmes = Programme.objects.all()
    if not user.is_authenticated or not user.is_active:
        return programmes.none()
    if _is_coordinator(user) or user.is_department_head or user.is_executive:
        return programmes
    if user.is_agent:
        return programmes.filter(
            Exists(Shift.objects.filter(programme=OuterRef("pk"), agent=user))
            | Exists(Pairing.objects.filter(programme=OuterRef("pk"), agent=user))
        )
    return programmes.none()


def pairings_visible_to(user: Person) -> QuerySet[Pairing]:
    """Coordinators see every pairing; everyone else only those they are the executive or the
    agent of. Lists must go through this: object permissions never filter a list."""
    pairings = Pairing.objects.select_related("programme", "executive", "agent", "site")
    if not user.is_authenticated or not user.is_active:
        return pairings.none()
    if _is_coordinator(user):
        return pairings
    return pairings.filter(Q(executive=user) | Q(agent=user))


@dataclass(frozen=True)
class ProgrammeCounts:
    shifts: int
    agents: int
    availability: int
    executives_with_availability: int
    pairings: dict[str, int]  # by status, cancelled included
    needs_repair: int

    @property
    def active_pairings(self) -> int:
        return sum(n for status, n in self.pairings.items() if status != PairingStatus.CANCELLED)


def programme_counts(programme: Programme) -> ProgrammeCounts:
    """What the programme holds, in four aggregate queries whatever its size."""
    shifts = Shift.objects.filter(programme=programme).aggregate(
        rows=Count("id"), agents=Count("agent", distinct=True)
    )
    availability = Availability.objects.filter(programme=programme).aggregate(
        rows=Count("id"), executives=Count("executive", distinct=True)
    )
    by_status = dict(
        Pairing.objects.filter(programme=programme)
        .values_list("status")
        .annotate(n=Count("id"))
        .order_by()
    )
    needs_repair = Pairing.objects.active().filter(programme=programme, needs_repair=True).count()
    return ProgrammeCounts(
        shifts=shifts["rows"],
        agents=shifts["agents"],
        availability=availability["rows"],
        executives_with_availability=availability["executives"],
        pairings={status: by_status.get(status, 0) for status in PairingStatus.values},
        needs_repair=needs_repair,
    )


def programme_latest_run(programme: Programme) -> PairingRun | None:
    return PairingRun.objects.filter(programme=programme).first()


# The coordinator's review of a programme's pairings --------------------------------------------


@dataclass(frozen=True)
class PairingFilters:
    """What the review table (and the API) may filter on; empty means "any"."""

    department: str = ""  # the executive's department code
    site: str = ""  # the visited site's code
    date: dt.date | None = None
    status: str = ""  # "" is every status but cancelled
    needs_repair: bool | None = None
    search: str = ""  # part of the executive's or the agent's name or e-mail
    executive: str = ""  # an e-mail, exact
    agent: str = ""  # an e-mail, exact
    first_time: bool | None = None  # the executive's first programme (no earlier visit)


def pairings_filter(pairings: QuerySet[Pairing], filters: PairingFilters) -> QuerySet[Pairing]:
    """Narrow `pairings` (already limited to what the caller may see) by `filters`."""
    if filters.status:
        pairings = pairings.filter(status=filters.status)
    if filters.department:
        pairings = pairings.filter(executive__department__code=filters.department)
    if filters.site:
        pairings = pairings.filter(site__code=filters.site)
    if filters.date:
        pairings = pairings.filter(date=filters.date)
    if filters.needs_repair is not None:
        pairings = pairings.filter(needs_repair=filters.needs_repair)
    if filters.executive:
        pairings = pairings.filter(executive__email=filters.executive.strip().lower())
    if filters.agent:
        pairings = pairings.filter(agent__email=filters.agent.strip().lower())
    if filters.first_time is not None:
        earlier = had_earlier_visit()
        pairings = pairings.filter(~earlier if filters.first_time else earlier)
    search = filters.search.strip()
    if search:
        pairings = pairings.filter(
            Q(executive__full_name__icontains=search)
            | Q(executive__email__icontains=search)
            | Q(agent__full_name__icontains=search)
            | Q(agent__email__icontains=search)
        )
    return pairings


def programme_pairings(programme: Programme, filters: PairingFilters) -> QuerySet[Pairing]:
    """The review table's rows, with everything a row shows in the same query (executive and
    department, agent, site); cancelled pairings only when asked for by status."""
    pairings = (
        Pairing.objects.filter(programme=programme)
        .select_related("executive__department", "agent", "site", "waived_by")
        .annotate(seen_before=had_earlier_visit())
    )
    if not filters.status:
        pairings = pairings.active()
    return pairings_filter(pairings, filters).order_by("date", "executive__full_name", "id")


@dataclass(frozen=True)
class DepartmentLine:
    code: str
    name: str
    executives: int
    paired: int


@dataclass(frozen=True)
class SiteDays:
    code: str
    name: str
    limit: int | None
    cells: list[tuple[int, str]]  # (visits, "" / "full" / "over" the limit), one per date
    total: int


@dataclass(frozen=True)
class PairingSummary:
    executives: int  # active executives: those a run pairs
    paired: int  # of them, with at least one visit in the programme
    fully_paired: int  # of them, with all the visits the programme gives each
    visits: int  # active pairings
    by_status: dict[str, int]
    needs_repair: int
    departments: list[DepartmentLine]
    dates: list[dt.date] = field(default_factory=list)  # dates with at least one visit
    sites: list[SiteDays] = field(default_factory=list)
    day_totals: list[int] = field(default_factory=list)

    @property
    def unpaired(self) -> int:
        return self.executives - self.paired


def pairing_summary(programme: Programme) -> PairingSummary:
    """Paired and unpaired executives, by department, and visits by site and day against each
    site's daily limit: five aggregate queries whatever the programme's size, none correlated
    (a per-executive subquery costs a second on SQLite at a thousand executives)."""
    executives = Person.objects.filter(is_executive=True, is_active=True)
    visits = Pairing.objects.active().filter(
        programme=programme, executive__is_executive=True, executive__is_active=True
    )
    paired_by_department = dict(
        visits.values_list("executive__department__code")
        .annotate(n=Count("executive", distinct=True))
        .order_by()
    )
    departments = [
        DepartmentLine(
            code=code or "",
            name=name or "",
            executives=total,
            paired=paired_by_department.get(code, 0),
        )
        for code, name, total in executives.values_list("department__code", "department__name")
        .annotate(n=Count("id"))
        .order_by("department__code")
    ]
    paired = sum(d.paired for d in departments)
    fully = (
        visits.values("executive")
        .annotate(n=Count("id"))
        .filter(n__gte=programme.days_per_executive)
        .order_by()
        .count()
    )

    by_status = {status: 0 for status in PairingStatus.values}
    needs_repair = 0
    for row in (
        Pairing.objects.filter(programme=programme)
        .values("status")
        .annotate(n=Count("id"), repair=Count("id", filter=Q(needs_repair=True)))
        .order_by()
    ):
        by_status[row["status"]] = row["n"]
        if row["status"] != PairingStatus.CANCELLED:
            needs_repair += row["repair"]

    counts: dict[tuple[str, dt.date], int] = {}
    site_info: dict[str, tuple[str, int | None]] = {}
    for row in (
        Pairing.objects.active()
        .filter(programme=programme)
        .values("site__code", "site__name", "site__daily_visitor_limit", "date")
        .annotate(n=Count("id"))
        .order_by()
    ):
        counts[(row["site__code"], row["date"])] = row["n"]
        site_info[row["site__code"]] = (row["site__name"], row["site__daily_visitor_limit"])
    dates = sorted({day for _code, day in counts})
    day_totals: dict[dt.date, int] = defaultdict(int)
    sites = []
    for code in sorted(site_info):
        name, limit = site_info[code]
        cells = []
        for day in dates:
            n = counts.get((code, day), 0)
            day_totals[day] += n
            fill = "" if limit is None or n < limit else "full" if n == limit else "over"
            cells.append((n, fill))
        sites.append(
            SiteDays(code=code, name=name, limit=limit, cells=cells, total=sum(c for c, _ in cells))
        )
    return PairingSummary(
        executives=sum(d.executives for d in departments),
        paired=paired,
        fully_paired=fully,
        visits=sum(n for status, n in by_status.items() if status != PairingStatus.CANCELLED),
        by_status=by_status,
        needs_repair=needs_repair,
        departments=departments,
        dates=dates,
        sites=sites,
        day_totals=[day_totals[day] for day in dates],
    )


def programme_latest_done_run(programme: Programme) -> PairingRun | None:
    return PairingRun.objects.filter(programme=programme, status=PairingRunStatus.DONE).first()


def programme_unpaired(programme: Programme, run: PairingRun) -> QuerySet[UnpairedExecutive]:
    """The executives `run` left short who are still short now (a hand assignment since may
    have paired them), with what their row shows."""
    now_full = (
        Pairing.objects.active()
        .filter(programme=programme)
        .values("executive")
        .annotate(n=Count("id"))
        .filter(n__gte=programme.days_per_executive)
        .values("executive")
    )
    return (
        UnpairedExecutive.objects.filter(run=run)
        .exclude(executive__in=Subquery(now_full))
        .select_related("executive__department", "executive__site")
        .order_by("reason", "executive__full_name", "executive_id")
    )


def pairing_runs_visible_to(user: Person) -> QuerySet[PairingRun]:
    """Coordinators see every run; nobody else any."""
    runs = PairingRun.objects.select_related("programme", "requested_by").order_by(
        "-created_at", "-id"
    )
    return runs if _is_coordinator(user) and user.is_active else runs.none()


def unpaired_counts(run_ids: list[int]) -> dict[int, dict[str, int]]:
    """For each run, how many executives it left short, by reason code: one query."""
    counts: dict[int, dict[str, int]] = defaultdict(dict)
    for run_id, reason, n in (
        UnpairedExecutive.objects.filter(run_id__in=run_ids)
        .values_list("run_id", "reason")
        .annotate(n=Count("id"))
        .order_by("run_id", "reason")
    ):
        counts[run_id][reason] = n
    return dict(counts)


PersonDays = set[tuple[int, dt.date]]


def declined_days(programme: Programme) -> tuple[PersonDays, PersonDays]:
    """(executive, date) and (agent, date) pairs the people said they cannot make, for the
    pairing engine to leave out: declines still open, and those the coordinator answered by
    cancelling the visit (cancelling raised its SEQUENCE by one). A visit moved since its
    decline is left out: its date is no longer the one declined."""
    executives, agents = set(), set()
    for person, day, executive, sequence, status, declined_at in Decline.objects.filter(
        pairing__programme=programme
    ).values_list(
        "person_id",
        "pairing__date",
        "pairing__executive_id",
        "pairing__sequence",
        "pairing__status",
        "sequence",
    ):
        still = status == PairingStatus.PUBLISHED and sequence == declined_at
        answered = status == PairingStatus.CANCELLED and sequence == declined_at + 1
        if still or answered:
            (executives if person == executive else agents).add((person, day))
    return executives, agents
