"""Reads: the items whose value a person may see, one item's value with its history, and the
finance reviewer's queue."""

from django.db.models import QuerySet

from barriers.models import BacklogItem, Status
from barriers.selectors import items_visible_to

from .models import Impact, Review, ValueEvent


def value_items_visible_to(user) -> QuerySet[BacklogItem]:
    """What the backlog shows this person, and every item for a finance reviewer."""
    if user.is_authenticated and user.is_active and user.is_finance_reviewer:
        return BacklogItem.objects.select_related("department", "owner", "claimed_by")
    return items_visible_to(user)


def impact_for(item: BacklogItem) -> Impact | None:
    return (
        Impact.objects.select_related("expected_by", "realised_by", "reviewed_by")
        .filter(item=item)
        .first()
    )


def impact_history(impact: Impact | None) -> list[ValueEvent]:
    if impact is None:
        return []
    return list(impact.events.select_related("actor").order_by("at", "id"))


def review_queue() -> QuerySet[Impact]:
    """Realised values awaiting review, oldest first."""
    return (
        Impact.objects.filter(review=Review.PENDING)
        .exclude(item__status=Status.MERGED)
        .select_related("item", "item__department", "realised_by")
        .order_by("realised_at", "pk")
    )
