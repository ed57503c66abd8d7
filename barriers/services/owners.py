"""Who owns a backlog item nobody has claimed: the head of its department, or the arbitrating
coordinator when the department has no active head (and for items bounced between departments).
"""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext as _

from shadowing.organisation.models import Department, Person

from ..models import BacklogSettings


class NoOwner(Exception):
    """Nobody can own an item: the department has no head and there is no coordinator."""


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


__all__ = ["NoOwner", "arbiter", "department_owner"]
