"""Checking hand-made visits: the hard rules a visit would break if it joined a programme.

Besides the engine's rule codes (`shadowing.pairing.rules`), a visit here can break
``declined``: the executive or the agent said they cannot make that day ("can't make it"), which
the engine never offers again (`problem_load`), and ``closed_day``: a public holiday at the
agent's site or the executive's home site, or a blackout date (`calendar`), never waivable.
A day taken by another programme is said as rule 4 or 5 (``agent_one_per_day``,
``executive_same_date``), not as a missing shift or date.

Rules a coordinator may waive when the executive agreed (``WAIVABLE``): the executive's
availability, the agent's most days, the site's daily limit and the region. Never the reporting
line, never one person twice on a day, never a visit without a shift or a shared language,
never a pair from another wave of the series (``series_repeat``).
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Collection, Sequence
from dataclasses import dataclass

from django.db.models import Q

from shadowing import pairing as engine
from shadowing.organisation.models import Person, Site
from shadowing.programmes.calendar import closed_days
from shadowing.programmes.models import Availability, Programme, Shift
from shadowing.programmes.pairing_models import Pairing
from shadowing.programmes.selectors import declined_days
from shadowing.programmes.series import series_pairs
from shadowing.programmes.store.problem import chain_above, languages_of

WAIVABLE = ("availability", "agent_max_days", "site_limit", "region")
DECLINED = "declined"
CLOSED = "closed_day"  # a public holiday at the agent's (or executive's home) site, a blackout


def visits_check(
    *,
    programme: Programme,
    visits: Sequence[engine.Visit],
    ignore: Collection[int] = (),
) -> dict[engine.Visit, tuple[str, ...]]:
    """The hard rules each of `visits` would break if they joined the programme's pairings
    (less the pairings whose ids are in `ignore`: those a hand change replaces), as the engine's
    rule codes (`shadowing.pairing.rules`); a visit that breaks none maps to ().

    Reads only the neighbourhood of the visits, in a bounded number of queries whatever the
    programme's size: the people named, their availability and shifts on those dates, the
    days they are taken by another programme, the agents' management chains, and this
    programme's pairings that share an executive, an agent or a site-day with them. The rules
    are the engine's own (`Rules.plan`), on the same reading of the data as `problem_load`:
    an agent's site is their current one, a date taken by another programme is not available.
    """
    visits = list(visits)
    if not visits:
        return {}
    hood = _neighbourhood(programme, visits, ignore)
    found = hood.rules.plan([*hood.neighbours, *visits])
    return {v: hood.adjust(v, found.get(v, ())) for v in visits}


def visits_check_each(
    *,
    programme: Programme,
    visits: Sequence[engine.Visit],
    ignore: Collection[int] = (),
) -> dict[engine.Visit, tuple[str, ...]]:
    """As `visits_check`, but each visit alone (the alternatives a picker offers): the rules
    each would break if it, and none of the others, joined the programme's pairings."""
    visits = list(visits)
    if not visits:
        return {}
    hood = _neighbourhood(programme, visits, ignore)
    by_key: dict[object, list[engine.Visit]] = defaultdict(list)
    for n in hood.neighbours:
        by_key[("x", n.executive)].append(n)
        by_key[("a", n.agent)].append(n)
        by_key[("s", hood.site_of.get(n.agent), n.date)].append(n)
    out = {}
    for v in visits:
        near = {
            *by_key[("x", v.executive)],
            *by_key[("a", v.agent)],
            *by_key[("s", hood.site_of.get(v.agent), v.date)],
        }
        found = hood.rules.plan([*near, v])
        out[v] = hood.adjust(v, found.get(v, ()))
    return out


@dataclass
class _Neighbourhood:
    rules: engine.Rules
    neighbours: list[engine.Visit]
    site_of: dict[int, int]
    available: dict[int, set[dt.date]]  # availability rows (no entry: any date)
    executive_busy: dict[int, set[dt.date]]  # dates taken by another programme
    agent_busy: set[tuple[int, dt.date]]
    shifts: set[tuple[int, dt.date]]  # before another programme took the day
    declined: set[tuple[int, dt.date]]
    closed: dict[tuple[int, dt.date], str]  # (site, date) -> why closed
    home_of: dict[int, int]

    def adjust(self, v: engine.Visit, codes: Collection[str]) -> tuple[str, ...]:
        """The engine's codes, with a day taken elsewhere said as rule 4 or 5 (not as
        "no shift" or "not available", which a waiver could lift) and declined days added."""
        out = set(codes)
        if v.date in self.executive_busy.get(v.executive, ()):
            out.add("executive_same_date")
            rows = self.available.get(v.executive)
            if rows is None or v.date in rows:
                out.discard("availability")
        if (v.agent, v.date) in self.agent_busy and (v.agent, v.date) in self.shifts:
            out.add("agent_one_per_day")
            out.discard("shift")
        if (v.executive, v.date) in self.declined or (v.agent, v.date) in self.declined:
            out.add(DECLINED)
        site, home = self.site_of.get(v.agent), self.home_of.get(v.executive)
        if (site, v.date) in self.closed or (home, v.date) in self.closed:
            out.add(CLOSED)
        return tuple(sorted(out))


def _neighbourhood(
    programme: Programme, visits: list[engine.Visit], ignore: Collection[int]
) -> _Neighbourhood:
    dates = sorted({v.date for v in visits})
    executive_ids = {v.executive for v in visits}
    agent_ids = {v.agent for v in visits}
    people = {
        p.pk: p
        for p in Person.objects.filter(pk__in=executive_ids | agent_ids).only(
            "id",
            "department_id",
            "site_id",
            "manager_id",
            "languages",
            "is_active",
            "is_executive",
            "is_agent",
            "hosting_opt_out",
        )
    }
    agent_sites = {people[pk].site_id for pk in agent_ids if pk in people} - {None}

    executive_busy: dict[int, set[dt.date]] = defaultdict(set)
    agent_busy: set[tuple[int, dt.date]] = set()
    for executive_id, agent_id, day in (
        Pairing.objects.active()
        .exclude(programme=programme)
        .filter(date__in=dates)
        .filter(Q(executive_id__in=executive_ids) | Q(agent_id__in=agent_ids))
        .values_list("executive_id", "agent_id", "date")
    ):
        executive_busy[executive_id].add(day)
        agent_busy.add((agent_id, day))

    available: dict[int, set[dt.date]] = defaultdict(set)
    for executive_id, day in Availability.objects.filter(
        programme=programme, executive_id__in=executive_ids
    ).values_list("executive_id", "date"):
        available[executive_id].add(day)

    # This programme's pairings that count against the same capacities (rules 4, 5 and 7).
    neighbours: list[engine.Visit] = []
    neighbour_sites: dict[int, int | None] = {}
    for executive_id, agent_id, day, site_id in (
        Pairing.objects.active()
        .filter(programme=programme)
        .exclude(pk__in=list(ignore))
        .filter(
            Q(executive_id__in=executive_ids)
            | Q(agent_id__in=agent_ids)
            | Q(date__in=dates, agent__site_id__in=agent_sites)
        )
        .values_list("executive_id", "agent_id", "date", "agent__site_id")
    ):
        neighbours.append(engine.Visit(executive_id, agent_id, day))
        neighbour_sites[agent_id] = site_id

    window = tuple(programme.dates)
    executives = []
    for pk in sorted(executive_ids):
        person = people.get(pk)
        if person is None or not (person.is_active and person.is_executive) or not person.site_id:
            continue
        dates_free = available.get(pk)
        if executive_busy.get(pk):
            free = dates_free if dates_free is not None else set(window)
            dates_free = free - executive_busy[pk]
        executives.append(
            engine.Executive(
                id=pk,
                department=person.department_id or 0,
                home_site=person.site_id,
                languages=languages_of(person.languages),
                available=frozenset(dates_free) if dates_free is not None else None,
            )
        )

    managers = _managers_above(
        {pk: people[pk].manager_id for pk in agent_ids if pk in people},
        programme.reporting_depth,
    )
    agents: dict[int, engine.Agent] = {}
    for pk in sorted(agent_ids):
        person = people.get(pk)
        if (
            person is None
            or not (person.is_active and person.is_agent)
            or person.hosting_opt_out
            or not person.site_id
        ):
            continue
        agents[pk] = engine.Agent(
            id=pk,
            site=person.site_id,
            languages=languages_of(person.languages),
            managers=chain_above(pk, managers, programme.reporting_depth),
        )
    # Other agents of the neighbourhood matter only for where they are (the site-day count).
    for pk, site_id in neighbour_sites.items():
        if pk not in agents and site_id is not None:
            agents[pk] = engine.Agent(id=pk, site=site_id, languages=frozenset())

    rows = list(
        Shift.objects.filter(
            programme=programme, agent_id__in=list(agents.keys() & agent_ids), date__in=dates
        ).values_list("agent_id", "date", "start_time", "end_time")
    )
    shifts = [
        engine.Shift(agent=agent_id, date=day, start=start, end=end)
        for agent_id, day, start, end in rows
        if (agent_id, day) not in agent_busy
    ]
    site_ids = {x.home_site for x in executives} | {a.site for a in agents.values()}
    site_rows = list(
        Site.objects.filter(id__in=site_ids)
        .order_by("id")
        .only("id", "region", "daily_visitor_limit", "country", "subdivision")
    )
    sites = tuple(
        engine.Site(id=s.pk, region=s.region, daily_visitor_limit=s.daily_visitor_limit)
        for s in site_rows
    )
    problem = engine.Problem(
        executives=tuple(executives),
        agents=tuple(agents[pk] for pk in sorted(agents)),
        sites=sites,
        shifts=tuple(shifts),
        dates=window,
        days_per_executive=programme.days_per_executive,
        max_days_per_agent=programme.max_days_per_agent,
        reporting_depth=programme.reporting_depth,
        allow_cross_region=programme.allow_cross_region,
        series_pairs=series_pairs(programme, executives=executive_ids, agents=agent_ids),
    )
    declined_executives, declined_agents = declined_days(programme)
    return _Neighbourhood(
        rules=engine.Rules(problem),
        neighbours=neighbours,
        site_of={pk: a.site for pk, a in agents.items()},
        available=available,
        executive_busy=executive_busy,
        agent_busy=agent_busy,
        shifts={(agent_id, day) for agent_id, day, _start, _end in rows},
        declined=declined_executives | declined_agents,
        closed=closed_days(programme, site_rows),
        home_of={x.id: x.home_site for x in executives},
    )


def _managers_above(first: dict[int, int | None], depth: int) -> dict[int, int]:
    """`person -> manager` for the people of `first` and their managers, `depth` levels up: one
    query per level above the first, instead of the whole organisation's tree."""
    managers = {pk: manager for pk, manager in first.items() if manager is not None}
    frontier = set(managers.values()) - managers.keys()
    for _level in range(1, depth):
        if not frontier:
            break
        found = dict(
            Person.objects.filter(pk__in=frontier, manager__isnull=False).values_list(
                "id", "manager_id"
            )
        )
        managers.update(found)
        frontier = set(found.values()) - managers.keys()
    return managers
