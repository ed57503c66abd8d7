"""Reads of the invitations: invite health, declines, a person's feed."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, F, Q, QuerySet

from shadowing.invitations.links import feed_token_hash
from shadowing.invitations.models import CalendarFeed, InvitationLog, MessageKind, MessageStatus
from shadowing.organisation.models import Person
from shadowing.programmes.models import Programme
from shadowing.programmes.pairing_models import Decline, Pairing, PairingStatus

# Rows a coordinator should look at.
TROUBLE = (MessageStatus.FAILED, MessageStatus.ABANDONED)


def open_declines(programme: Programme) -> QuerySet[Decline]:
    """Declines of the programme's published visits that nothing has answered yet: the visit
    has not changed since (a change raises its SEQUENCE) and the person still takes part."""
    return (
        Decline.objects.filter(
            pairing__programme=programme,
            pairing__status=PairingStatus.PUBLISHED,
            sequence=F("pairing__sequence"),
        )
        .filter(Q(person=F("pairing__executive")) | Q(person=F("pairing__agent")))
        .select_related("pairing__executive", "pairing__agent", "pairing__site", "person")
        .order_by("pairing__date", "pairing_id", "id")
    )


@dataclass(frozen=True)
class InviteHealth:
    """The invitation log of a programme, counted."""

    by_status: dict[str, int]
    by_kind: dict[str, int]  # sent messages by kind
    trouble: int  # failed (retrying) or abandoned
    waiting: int  # queued or sending
    open_declines: int

    @property
    def sent(self) -> int:
        return self.by_status.get(MessageStatus.SENT, 0)


def programme_invite_health(programme: Programme) -> InviteHealth:
    """Three aggregate queries, whatever the programme's size."""
    rows = InvitationLog.objects.filter(pairing__programme=programme)
    by_status = dict(rows.values_list("status").annotate(n=Count("id")).order_by())
    by_kind = dict(
        rows.filter(status=MessageStatus.SENT)
        .values_list("kind")
        .annotate(n=Count("id"))
        .order_by()
    )
    return InviteHealth(
        by_status={status: by_status.get(status, 0) for status in MessageStatus.values},
        by_kind={kind: by_kind.get(kind, 0) for kind in MessageKind.values},
        trouble=sum(by_status.get(s, 0) for s in TROUBLE),
        waiting=by_status.get(MessageStatus.QUEUED, 0) + by_status.get(MessageStatus.SENDING, 0),
        open_declines=open_declines(programme).count(),
    )


def programme_trouble(programme: Programme) -> QuerySet[InvitationLog]:
    """The messages that failed, newest first, with what their rows show."""
    return (
        InvitationLog.objects.filter(pairing__programme=programme, status__in=TROUBLE)
        .select_related("pairing", "person")
        .order_by("-created_at", "-id")
    )


def pairing_log(pairing: Pairing) -> QuerySet[InvitationLog]:
    return (
        InvitationLog.objects.filter(pairing=pairing)
        .select_related("person")
        .order_by("-sequence", "-created_at", "-id")
    )


def feed_person(token: str) -> Person | None:
    """The active person whose calendar address this is, or None."""
    feed = (
        CalendarFeed.objects.select_related("person")
        .filter(token_hash=feed_token_hash(token))
        .first()
    )
    if feed is None or not feed.person.is_active:
        return None
    return feed.person


def feed_pairings(person: Person, *, now: dt.datetime) -> QuerySet[Pairing]:
    """The person's published visits, from a year back: the feed lists them."""
    return (
        Pairing.objects.filter(status=PairingStatus.PUBLISHED)
        .filter(Q(executive=person) | Q(agent=person))
        .filter(ends_at__gte=now - dt.timedelta(days=365))
        .select_related("programme", "executive__department", "agent", "site")
        .order_by("starts_at", "id")
    )
