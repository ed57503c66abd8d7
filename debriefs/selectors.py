"""Reads about debriefs and barrier reports, and what each person may see of them.

Lists always go through a `*_visible_to` queryset: object permissions never filter a list.
"""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Exists, Max, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from shadowing.organisation.models import Person
from shadowing.programmes.models import Programme
from shadowing.programmes.pairing_models import Attendance, Pairing, PairingStatus

from .models import EDITABLE_STATUSES, BarrierReport, Debrief, DebriefNotice, DebriefStatus

# How far up a management chain anonymity reaches; deeper than any real organisation.
CHAIN_DEPTH_MAX = 32


def _is_coordinator(user) -> bool:
    return bool(
        user.is_authenticated and user.is_active and (user.is_coordinator or user.is_superuser)
    )


def visit_has_started(pairing: Pairing, *, now: dt.datetime | None = None) -> bool:
    """A debrief may be filed from the visit's date in the site's time zone, or from the shift's
    start, whichever comes first (CONTRACT: date <= today at the site, or starts_at <= now)."""
    now = now or timezone.now()
    if pairing.starts_at <= now:
        return True
    return pairing.date <= now.astimezone(pairing.site.zone).date()


def debriefs_visible_to(user: Person) -> QuerySet[Debrief]:
    """Coordinators see every debrief; an executive their own; nobody else any."""
    debriefs = Debrief.objects.select_related(
        "pairing__executive", "pairing__agent", "pairing__site", "pairing__programme"
    )
    if not user.is_authenticated or not user.is_active:
        return debriefs.none()
    if _is_coordinator(user):
        return debriefs
    return debriefs.filter(pairing__executive=user)


def barrier_reports_visible_to(user: Person) -> QuerySet[BarrierReport]:
    """Coordinators see every report; a reporter their own; a department head the reports
    routed to their department. Whether the reporter's name shows is a separate question
    (`reporter_hidden_from`)."""
    reports = BarrierReport.objects.select_related("reporter", "department", "pairing__programme")
    if not user.is_authenticated or not user.is_active:
        return reports.none()
    if _is_coordinator(user):
        return reports
    visible = Q(reporter=user)
    if user.is_department_head and user.department_id:
        visible |= Q(department_id=user.department_id)
    return reports.filter(visible)


def management_chains(person_ids: set[int]) -> dict[int, set[int]]:
    """Each person's managers, all the way up: one query per level, whatever the number of
    people (bounded by CHAIN_DEPTH_MAX), so a page of reports costs a few queries."""
    managers: dict[int, int | None] = {}
    frontier = set(person_ids)
    for _level in range(CHAIN_DEPTH_MAX):
        frontier -= set(managers)
        if not frontier:
            break
        rows = Person.objects.filter(pk__in=frontier).values_list("pk", "manager_id")
        for pk, manager_id in rows:
            managers[pk] = manager_id
        frontier = {manager_id for _pk, manager_id in rows if manager_id}
    chains = {}
    for person_id in person_ids:
        chain, current = set(), managers.get(person_id)
        while current and current not in chain and current != person_id:
            chain.add(current)
            current = managers.get(current)
        chains[person_id] = chain
    return chains


def reporter_hidden_from(
    user: Person, report: BarrierReport, chains: dict[int, set[int]] | None = None
) -> bool:
    """True when `user` must not see who filed `report`: it is anonymous to management and
    `user` is in the reporter's management chain, now or when it was filed. Beyond the chain,
    the name shows only to coordinators and the reporter; heads of other departments see the
    barrier without it."""
    if not report.anonymous_to_management or user.pk == report.reporter_id:
        return False
    if not _is_coordinator(user):
        return True
    if chains is None or report.reporter_id not in chains:
        chains = management_chains({report.reporter_id})
    chain = chains.get(report.reporter_id, set()) | set(report.withheld_from or [])
    return user.pk in chain


# The executive's and agent's home page ------------------------------------------------------


@dataclass(frozen=True)
class VisitRow:
    pairing: Pairing
    debrief: Debrief | None


def executive_visits_to_debrief(user: Person, *, now: dt.datetime | None = None) -> list[VisitRow]:
    """The executive's visits that have started and are not cancelled, newest first, each with
    its debrief if any: two queries."""
    now = now or timezone.now()
    # A visit may start "today" at a site east of UTC while UTC is still on yesterday.
    horizon = (now + dt.timedelta(days=1)).date()
    pairings = [
        pairing
        for pairing in Pairing.objects.active()
        .filter(executive=user, date__lte=horizon)
        .select_related("agent", "site", "programme")
        .order_by("-date", "-starts_at")[:20]
        if visit_has_started(pairing, now=now)
    ]
    debriefs = {d.pairing_id: d for d in Debrief.objects.filter(pairing__in=pairings)}
    return [VisitRow(pairing, debriefs.get(pairing.pk)) for pairing in pairings]


def agent_visits_ended(user: Person, *, now: dt.datetime | None = None) -> list[Pairing]:
    """The agent's visits that have started (they may add barriers from then), newest first."""
    now = now or timezone.now()
    horizon = (now + dt.timedelta(days=1)).date()
    return [
        pairing
        for pairing in Pairing.objects.active()
        .filter(agent=user, date__lte=horizon)
        .select_related("executive", "site")
        .order_by("-date")[:10]
        if visit_has_started(pairing, now=now)
    ]


def agent_next_visit(user: Person, *, now: dt.datetime | None = None) -> Pairing | None:
    """The agent's next published visit that has not started, for their home page's next
    step: one query."""
    now = now or timezone.now()
    return (
        Pairing.objects.filter(agent=user, status=PairingStatus.PUBLISHED, starts_at__gt=now)
        .select_related("executive", "site")
        .order_by("starts_at")
        .first()
    )


# The coordinator's completion view -----------------------------------------------------------


@dataclass(frozen=True)
class DepartmentCompletion:
    code: str
    name: str
    filed: int
    draft: int
    missing: int
    upcoming: int
    # Recorded as not having come, with no debrief begun: owed nothing, never reminded.
    no_show: int = 0

    @property
    def due(self) -> int:
        return self.filed + self.draft + self.missing

    @property
    def percent_filed(self) -> int:
        return round(100 * self.filed / self.due) if self.due else 0


def _submitted(pairing_ref="pk"):
    return Exists(
        Debrief.objects.filter(pairing=OuterRef(pairing_ref), status=DebriefStatus.SUBMITTED)
    )


def debrief_completion(
    programme: Programme, *, now: dt.datetime | None = None
) -> list[DepartmentCompletion]:
    """Debriefs filed, in draft and missing for the programme's started visits, by the
    executive's department; visits not yet started count as upcoming, and visits whose
    executive did not come (no debrief begun) as no-shows, never as missing. One query."""
    now = now or timezone.now()
    debrief_status = Debrief.objects.filter(pairing=OuterRef("pk")).values("status")[:1]
    not_begun = Q(debrief_status__isnull=True)
    came = ~Q(attendance=Attendance.NO_SHOW)
    rows = (
        Pairing.objects.active()
        .filter(programme=programme)
        .annotate(debrief_status=Subquery(debrief_status))
        .values("executive__department__code", "executive__department__name")
        .annotate(
            filed=Count("pk", filter=Q(debrief_status=DebriefStatus.SUBMITTED)),
            draft=Count("pk", filter=Q(debrief_status__in=EDITABLE_STATUSES)),
            missing=Count("pk", filter=not_begun & came & Q(starts_at__lte=now)),
            upcoming=Count("pk", filter=not_begun & came & Q(starts_at__gt=now)),
            no_show=Count("pk", filter=not_begun & Q(attendance=Attendance.NO_SHOW)),
        )
        .order_by("executive__department__code")
    )
    return [
        DepartmentCompletion(
            code=row["executive__department__code"] or "",
            name=row["executive__department__name"] or "",
            filed=row["filed"],
            draft=row["draft"],
            missing=row["missing"],
            upcoming=row["upcoming"],
            no_show=row["no_show"],
        )
        for row in rows
    ]


def _search(visits: QuerySet[Pairing], search: str) -> QuerySet[Pairing]:
    """Visits whose executive's name or e-mail holds every word of `search`."""
    for word in search.replace("\x00", "").split()[:5]:
        visits = visits.filter(
            Q(executive__full_name__icontains=word) | Q(executive__email__icontains=word)
        )
    return visits


def completion_visits(
    programme: Programme, *, department: str | None = None, search: str = ""
) -> QuerySet[Pairing]:
    """The programme's visits (cancelled ones left out) by date and executive, each annotated
    with its debrief's `debrief_id`, `debrief_status` (None: not begun), `submitted_at` and
    `last_nudged_at`: one query for a page of any size."""
    debrief = Debrief.objects.filter(pairing=OuterRef("pk"))
    visits = (
        Pairing.objects.active()
        .filter(programme=programme)
        .select_related("executive__department", "agent", "site")
        .annotate(
            debrief_id=Subquery(debrief.values("pk")[:1]),
            debrief_status=Subquery(debrief.values("status")[:1]),
            submitted_at=Subquery(debrief.values("submitted_at")[:1]),
            last_nudged_at=Subquery(
                DebriefNotice.objects.filter(pairing=OuterRef("pk"), sent_at__isnull=False)
                .values("pairing")
                .annotate(last=Max("sent_at"))
                .values("last")[:1]
            ),
        )
        .order_by("date", "executive__full_name", "pk")
    )
    if department:
        visits = visits.filter(executive__department__code=department)
    return _search(visits, search) if search else visits


def unfiled_visits(
    programme: Programme,
    *,
    now: dt.datetime | None = None,
    department: str | None = None,
    search: str = "",
) -> QuerySet[Pairing]:
    """The programme's started visits without a submitted debrief whose executive was not
    recorded as a no-show, oldest first: who may be reminded. Annotated as
    `completion_visits`."""
    now = now or timezone.now()
    return (
        completion_visits(programme, department=department, search=search)
        .filter(starts_at__lte=now)
        .exclude(_submitted())
        .exclude(attendance=Attendance.NO_SHOW)
    )


def filed_visits(
    programme: Programme, *, department: str | None = None, search: str = ""
) -> QuerySet[Pairing]:
    """The programme's visits with a submitted debrief, newest submission first."""
    return (
        completion_visits(programme, department=department, search=search)
        .filter(_submitted())
        .order_by("-submitted_at", "pk")
    )


def completion_state(visit: Pairing, *, now: dt.datetime) -> str:
    """Where a visit annotated by `completion_visits` stands: a debrief status (`submitted`,
    `draft`, `reopened`), or, with none begun, `no_show`, `upcoming` or `missing`."""
    if visit.debrief_status:
        return visit.debrief_status
    if visit.attendance == Attendance.NO_SHOW:
        return "no_show"
    return "upcoming" if visit.starts_at > now else "missing"


def programmes_with_visits() -> QuerySet[Programme]:
    """Programmes that have at least one visit, for the coordinator's list."""
    return Programme.objects.filter(
        Exists(Pairing.objects.active().filter(programme=OuterRef("pk")))
    ).order_by("-start_date", "slug")


def reminders_due(*, now: dt.datetime, kind: str, after: dt.timedelta, window: dt.timedelta):
    """Published visits that ended at least `after` ago (and at most `window` ago), whose debrief
    is not submitted and for which no `kind` notice exists: the sweep's work list."""
    return (
        Pairing.objects.filter(
            status=PairingStatus.PUBLISHED,
            ends_at__lte=now - after,
            ends_at__gt=now - window,
        )
        .exclude(_submitted())
        .exclude(attendance=Attendance.NO_SHOW)
        .exclude(Exists(DebriefNotice.objects.filter(pairing=OuterRef("pk"), kind=kind)))
        .values_list("pk", flat=True)
        .order_by("pk")
    )


def agent_links_due(*, now: dt.datetime, window: dt.timedelta):
    """Published visits that ended within `window` whose agent has not been sent their link."""
    return (
        Pairing.objects.filter(
            status=PairingStatus.PUBLISHED, ends_at__lte=now, ends_at__gt=now - window
        )
        .exclude(Exists(DebriefNotice.objects.filter(pairing=OuterRef("pk"), kind="agent_link")))
        .values_list("pk", flat=True)
        .order_by("pk")
    )
