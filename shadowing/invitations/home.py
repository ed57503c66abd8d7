"""The executive's visits on their home page (registered in ShadowingConfig.ready): one card
for each coming published visit and for the last one past, with when (in the site's zone),
where, beside whom, what to bring, "add to calendar" and "can't make it".

Only published visits: a proposed or locked pairing may still move, and its agent has not been
told. Two queries whatever the number of visits.
"""

import datetime as dt
from dataclasses import dataclass
from urllib.parse import quote

from django.db.models import QuerySet
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from shadowing.invitations.compose import zone_name
from shadowing.invitations.links import decline_token
from shadowing.organisation.models import Person
from shadowing.programmes.pairing_models import Decline, Pairing, PairingStatus

# Enough for two waves of two visits each; the rest are in the calendar feed.
MAX_COMING = 4


@dataclass(frozen=True)
class VisitCard:
    pairing: Pairing
    start: dt.datetime  # in the site's zone
    end: dt.datetime
    zone_name: str
    is_past: bool
    is_today: bool
    declined: bool
    decline_url: str
    calendar_url: str
    map_url: str


def executive_published_visits(person: Person) -> QuerySet[Pairing]:
    return (
        Pairing.objects.filter(executive=person, status=PairingStatus.PUBLISHED)
        .select_related("programme", "agent", "site")
        .order_by("starts_at", "id")
    )


def executive_visit_cards(person: Person, *, now: dt.datetime | None = None) -> list[VisitCard]:
    """The coming published visits of `person` (soonest first, a visit under way included) and
    the last one that ended, in that order: the next visit is what the executive reads first."""
    now = now or timezone.now()
    visits = executive_published_visits(person)
    coming = list(visits.filter(ends_at__gt=now)[:MAX_COMING])
    last = visits.filter(ends_at__lte=now).order_by("-starts_at", "-id").first()
    pairings = coming + ([last] if last else [])
    declined = set(
        Decline.objects.filter(pairing__in=pairings, person=person).values_list(
            "pairing_id", "sequence"
        )
    )
    return [_card(pairing, person, now=now, declined=declined) for pairing in pairings]


def _card(pairing: Pairing, person: Person, *, now: dt.datetime, declined: set) -> VisitCard:
    zone = pairing.site.zone
    start, end = pairing.starts_at.astimezone(zone), pairing.ends_at.astimezone(zone)
    token = decline_token(pairing_uid=str(pairing.uid), person_id=person.pk)
    address = pairing.site.address or pairing.site.name
    return VisitCard(
        pairing=pairing,
        start=start,
        end=end,
        zone_name=zone_name(zone, start),
        is_past=pairing.ends_at <= now,
        is_today=start.date() == now.astimezone(zone).date(),
        declined=(pairing.pk, pairing.sequence) in declined,
        decline_url=reverse("invitations:decline", args=[token]),
        calendar_url=reverse("pairing-invite-ics", kwargs={"pk": pairing.pk}),
        # A plain link to a map search: no map is embedded, nothing is loaded from elsewhere.
        map_url="https://www.openstreetmap.org/search?query=" + quote(address),
    )


def executive_visits_panel(request: HttpRequest) -> str:
    user = request.user
    if not (user.is_authenticated and user.is_executive):
        return ""
    cards = executive_visit_cards(user)
    if not cards:
        return ""
    return render_to_string(
        "shadowing/invitations/_home_visits.html", {"cards": cards}, request=request
    )
