"""Reads about programmes and pairings, and what each person may see of them."""

from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from shadowing.models import (
    Availability,
    Pairing,
    PairingRun,
    PairingStatus,
    Person,
    Programme,
    Shift,
)


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
