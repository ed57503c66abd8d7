"""Loading: the engine's `Problem` read from the database for one programme.

The engine (`shadowing.pairing`) is pure Python and knows nothing of this module. What goes in:

- executives: every active executive with a home site; their availability rows as
  `available` (no row: any date), less the dates they already visit in another programme and
  the days closed at their home site (its public holidays, the programme's blackout dates);
- agents: active agents with a site and at least one shift here, except those who opted out of
  hosting; their management chain from `Person.manager`; how often they hosted earlier;
- shifts: the programme's, less the agent-days already taken by another programme and those
  on a day closed at the agent's site (`shadowing.programmes.calendar`); a locked or published
  visit on such a day stays locked and the engine reports it as a conflict (rule 8);
- locked: published pairings (whatever their state) and locked ones that need no repair;
- previous: the other pairings (proposed, and locked ones whose shift or date vanished), which
  the engine keeps as far as the optimum allows; those it does not keep are replaced;
- past pairs: (executive, agent) of non-cancelled pairings in programmes that started earlier;
- series pairs: (executive, agent) of the other waves of the programme's series, a hard rule
  (`shadowing.programmes.series`), and each executive's channels seen in its earlier waves.
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.db.models import Count

from shadowing import pairing as engine
from shadowing.organisation.models import Person, Site
from shadowing.programmes.batches import chunks
from shadowing.programmes.calendar import closed_days
from shadowing.programmes.models import Availability, Programme, Shift
from shadowing.programmes.pairing_models import Pairing, PairingStatus
from shadowing.programmes.selectors import declined_days
from shadowing.programmes.series import seen_channels, series_pairs

# Reported for executives the engine cannot take at all (it needs a home site for the region).
NO_HOME_SITE = "no_home_site"
# Reported instead of the engine's "no_availability_in_window" when the executive had dates
# and every one of them is closed (a public holiday at their home site, a blackout date).
DAYS_CLOSED = "available_days_closed"


@dataclass
class Loaded:
    problem: engine.Problem
    without_site: list[int] = field(default_factory=list)  # executives left out: no home site
    agent_site: dict[int, int] = field(default_factory=dict)
    # executive id -> how many of their dates were closed, for those left with none open
    closed_out: dict[int, int] = field(default_factory=dict)

    def unpaired_reason(self, unpaired: engine.Unpaired) -> tuple[str, dict[str, str]]:
        """The reason and params to store for an engine's unpaired row: the engine cannot
        know that the dates it was not given were closed, this side does."""
        closed = self.closed_out.get(unpaired.executive)
        if closed and unpaired.reason == "no_availability_in_window":
            return DAYS_CLOSED, {"closed_dates": str(closed)}
        return unpaired.reason, dict(unpaired.params)


def problem_load(programme: Programme) -> Loaded:
    """The engine's view of `programme`, read in a bounded number of queries."""
    dates = tuple(programme.dates)
    other = (
        Pairing.objects.active()
        .exclude(programme=programme)
        .filter(date__gte=programme.start_date, date__lte=programme.end_date)
    )
    executive_busy: dict[int, set[dt.date]] = defaultdict(set)
    agent_busy: set[tuple[int, dt.date]] = set()
    for executive_id, agent_id, day in other.values_list("executive_id", "agent_id", "date"):
        executive_busy[executive_id].add(day)
        agent_busy.add((agent_id, day))
    # A day someone said they cannot make ("can't make it") is not offered to them again.
    declined_executives, declined_agents = declined_days(programme)
    for executive_id, day in declined_executives:
        executive_busy[executive_id].add(day)
    agent_busy |= declined_agents

    available: dict[int, set[dt.date]] = defaultdict(set)
    for executive_id, day in Availability.objects.filter(programme=programme).values_list(
        "executive_id", "date"
    ):
        available[executive_id].add(day)

    site_rows = list(Site.objects.only("id", "country", "subdivision").order_by("id"))
    closed = closed_days(programme, site_rows)
    closed_by_site: dict[int, set[dt.date]] = defaultdict(set)
    for site_id, day in closed:
        closed_by_site[site_id].add(day)

    seen = seen_channels(programme)
    executives: list[engine.Executive] = []
    without_site: list[int] = []
    closed_out: dict[int, int] = {}
    for person in (
        Person.objects.filter(is_executive=True, is_active=True)
        .only("id", "department_id", "site_id", "languages")
        .order_by("id")
    ):
        if person.site_id is None:
            without_site.append(person.pk)
            continue
        dates_free = available.get(person.pk)
        busy = executive_busy.get(person.pk)
        if busy:
            dates_free = (dates_free if dates_free is not None else set(dates)) - busy
        home_closed = closed_by_site.get(person.site_id)
        if home_closed:
            before = dates_free if dates_free is not None else set(dates)
            dates_free = before - home_closed
            if before and not dates_free:
                closed_out[person.pk] = len(before)
        executives.append(
            engine.Executive(
                id=person.pk,
                department=person.department_id or 0,
                home_site=person.site_id,
                languages=languages_of(person.languages),
                available=frozenset(dates_free) if dates_free is not None else None,
                seen_channels=seen.get(person.pk, frozenset()),
            )
        )

    shifts_by_agent: dict[int, list[tuple[dt.date, dt.time, dt.time]]] = defaultdict(list)
    for agent_id, day, start, end in Shift.objects.filter(programme=programme).values_list(
        "agent_id", "date", "start_time", "end_time"
    ):
        if (agent_id, day) not in agent_busy:
            shifts_by_agent[agent_id].append((day, start, end))

    managers = dict(Person.objects.filter(manager__isnull=False).values_list("id", "manager_id"))
    earlier = Pairing.objects.active().filter(programme__start_date__lt=programme.start_date)
    hosted = dict(
        earlier.values_list("agent_id")
        .annotate(n=Count("id"))
        .order_by()
        .values_list("agent_id", "n")
    )
    past_pairs = frozenset(earlier.values_list("executive_id", "agent_id").distinct())

    agents: list[engine.Agent] = []
    agent_site: dict[int, int] = {}
    shifts: list[engine.Shift] = []
    candidates = (
        Person.objects.filter(is_agent=True, is_active=True, hosting_opt_out=False)
        .exclude(site=None)
        .only("id", "site_id", "languages")
        .order_by("id")
    )
    for chunk in chunks(sorted(shifts_by_agent)):
        for person in candidates.filter(id__in=chunk):
            agents.append(
                engine.Agent(
                    id=person.pk,
                    site=person.site_id,
                    languages=languages_of(person.languages),
                    managers=chain_above(person.pk, managers, programme.reporting_depth),
                    hosted_before=hosted.get(person.pk, 0),
                )
            )
            agent_site[person.pk] = person.site_id
            shifts += [
                engine.Shift(agent=person.pk, date=day, start=start, end=end)
                for day, start, end in shifts_by_agent[person.pk]
                if (person.site_id, day) not in closed
            ]

    site_ids = {x.home_site for x in executives} | set(agent_site.values())
    sites = tuple(
        engine.Site(id=pk, region=region, daily_visitor_limit=limit, channel=channel)
        for pk, region, limit, channel in Site.objects.filter(id__in=site_ids)
        .order_by("id")
        .values_list("id", "region", "daily_visitor_limit", "channel")
    )

    locked, previous = [], []
    for visit, status, needs_repair in _current_visits(programme):
        if status == PairingStatus.PUBLISHED or (
            status == PairingStatus.LOCKED and not needs_repair
        ):
            locked.append(visit)
        else:
            previous.append(visit)

    problem = engine.Problem(
        executives=tuple(executives),
        agents=tuple(sorted(agents, key=lambda a: a.id)),
        sites=sites,
        shifts=tuple(shifts),
        dates=dates,
        days_per_executive=programme.days_per_executive,
        max_days_per_agent=programme.max_days_per_agent,
        reporting_depth=programme.reporting_depth,
        allow_cross_region=programme.allow_cross_region,
        locked=tuple(locked),
        previous=tuple(previous),
        past_pairs=past_pairs,
        series_pairs=series_pairs(programme),
    )
    return Loaded(problem, without_site, agent_site, closed_out)


def _current_visits(programme: Programme) -> Iterator[tuple[engine.Visit, str, bool]]:
    for executive_id, agent_id, day, status, needs_repair in (
        Pairing.objects.active()
        .filter(programme=programme)
        .values_list("executive_id", "agent_id", "date", "status", "needs_repair")
    ):
        yield engine.Visit(executive_id, agent_id, day), status, needs_repair


def languages_of(value) -> frozenset[str]:
    if not isinstance(value, list):
        return frozenset()
    return frozenset(str(code).strip().lower() for code in value if str(code).strip())


def chain_above(person_id: int, managers: dict[int, int], depth: int) -> tuple[int, ...]:
    """The management chain above a person, nearest first, `depth` levels at most; a cycle in
    the data (A manages B manages A) ends it rather than looping."""
    chain: list[int] = []
    current = managers.get(person_id)
    while current is not None and len(chain) < depth and current not in chain:
        chain.append(current)
        current = managers.get(current)
    return tuple(chain)
