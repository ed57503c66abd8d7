"""Reads across the waves of a series and across all programmes: wave numbers, the pairs a
series forbids, the channels an executive has seen, who is on the front line for the first
time, and each person's history.

What counts as "paired" in a series: every pairing of another wave that is not cancelled
(proposed, locked or published, whatever its attendance). A proposal of a later wave counts
too, so that waves can be paired in any order and the rule still holds both ways; a cancelled
pairing (the visit was called off, or someone said they cannot make it and it was replaced)
never happened and does not count.
"""

from collections import defaultdict
from collections.abc import Collection

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from shadowing.programmes.models import Programme, Series
from shadowing.programmes.pairing_models import Pairing


def series_waves(series: Series) -> QuerySet[Programme]:
    """The waves of `series` in order: by first day, then creation (the wave number's order)."""
    return series.waves.order_by("start_date", "pk")


def wave_number(programme: Programme) -> int | None:
    """1 for the series' first wave, 2 for the next...; None outside any series."""
    if programme.series_id is None:
        return None
    earlier = Programme.objects.filter(series_id=programme.series_id).filter(
        Q(start_date__lt=programme.start_date)
        | Q(start_date=programme.start_date, pk__lt=programme.pk)
    )
    return earlier.count() + 1


def series_pairs(
    programme: Programme,
    *,
    executives: Collection[int] | None = None,
    agents: Collection[int] | None = None,
) -> frozenset[tuple[int, int]]:
    """(executive, agent) pairs of the other waves of the programme's series (see the module
    docstring for what counts); empty outside any series. `executives`/`agents` narrow it."""
    if programme.series_id is None:
        return frozenset()
    rows = (
        Pairing.objects.active()
        .filter(programme__series_id=programme.series_id)
        .exclude(programme=programme)
    )
    if executives is not None:
        rows = rows.filter(executive_id__in=list(executives))
    if agents is not None:
        rows = rows.filter(agent_id__in=list(agents))
    return frozenset(rows.values_list("executive_id", "agent_id").distinct())


def seen_channels(programme: Programme) -> dict[int, frozenset[str]]:
    """executive id -> the site channels they visited in the series' earlier waves."""
    if programme.series_id is None:
        return {}
    seen: dict[int, set[str]] = defaultdict(set)
    for executive_id, channel in (
        _earlier(programme)
        .filter(programme__series_id=programme.series_id)
        .values_list("executive_id", "site__channel")
        .distinct()
    ):
        seen[executive_id].add(channel)
    return {pk: frozenset(channels) for pk, channels in seen.items()}


def _earlier(programme: Programme) -> QuerySet[Pairing]:
    """Non-cancelled pairings of every programme that started before this one."""
    return (
        Pairing.objects.active()
        .exclude(programme=programme)
        .filter(
            Q(programme__start_date__lt=programme.start_date)
            | Q(programme__start_date=programme.start_date, programme__pk__lt=programme.pk)
        )
    )


def veterans(programme: Programme, executives: Collection[int] | None = None) -> set[int]:
    """Executives who already had a visit in an earlier programme (any series): the others are
    on the front line for the first time."""
    rows = _earlier(programme)
    if executives is not None:
        rows = rows.filter(executive_id__in=list(executives))
    return set(rows.values_list("executive_id", flat=True).distinct())


def had_earlier_visit() -> Exists:
    """On a pairing queryset: the pairing's executive had a visit (not cancelled) in a
    programme that started before the pairing's own; its negation is "first time on the front
    line" (annotate or filter with it)."""
    return Exists(
        Pairing.objects.active()
        .filter(executive_id=OuterRef("executive_id"))
        .filter(
            Q(programme__start_date__lt=OuterRef("programme__start_date"))
            | Q(
                programme__start_date=OuterRef("programme__start_date"),
                programme_id__lt=OuterRef("programme_id"),
            )
        )
    )


def series_summary(series: Series) -> list[dict]:
    """Each wave in order with its visit count and its first-timers, for the series page."""
    waves = list(
        series_waves(series).annotate(
            visits=Count("pairings", filter=~Q(pairings__status="cancelled"))
        )
    )
    out = []
    for n, wave in enumerate(waves, start=1):
        executives = set(
            Pairing.objects.active().filter(programme=wave).values_list("executive_id", flat=True)
        )
        first = executives - veterans(wave, executives)
        out.append(
            {"number": n, "programme": wave, "visits": wave.visits, "first_time": len(first)}
        )
    return out


def person_history(person) -> QuerySet[Pairing]:
    """Every non-cancelled visit of `person` as executive or agent, all programmes, newest
    first, with what a history line shows."""
    return (
        Pairing.objects.active()
        .filter(Q(executive=person) | Q(agent=person))
        .select_related("programme", "programme__series", "executive", "agent", "site")
        .order_by("-date", "-pk")
    )
