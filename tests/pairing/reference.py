"""Independent referees for the engine, written the slow and obvious way.

Nothing here uses the engine's code: the hard rules and the cost are re-read from CONTRACT.md
and the ``Costs`` docstring, and the optimum comes from an integer program over *every*
feasible triple (no pruning), solved lexicographically in separate stages rather than with the
engine's weights.
"""

from __future__ import annotations

import random
from collections import Counter, defaultdict
from datetime import date, timedelta

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import csr_matrix

from shadowing.pairing import Agent, Executive, Problem, Shift, Site, Visit


def violations(problem: Problem, visits) -> list[str]:
    """Every hard rule a set of (unlocked) visits breaks, as readable strings."""
    execs = {x.id: x for x in problem.executives}
    agents = {a.id: a for a in problem.agents}
    sites = {s.id: s for s in problem.sites}
    shifts = {(s.agent, s.date) for s in problem.shifts}
    out = []
    for v in visits:
        x, a = execs[v.executive], agents[v.agent]
        if v.date not in problem.dates:
            out.append(f"{v}: outside the window")
        if x.available is not None and v.date not in x.available:
            out.append(f"{v}: executive not available")
        if (a.id, v.date) not in shifts:
            out.append(f"{v}: no shift")
        if not x.languages & a.languages:
            out.append(f"{v}: no shared language")
        if x.id in a.managers[: problem.reporting_depth] or x.id == a.id:
            out.append(f"{v}: reporting line")
        if not problem.allow_cross_region and sites[x.home_site].region != sites[a.site].region:
            out.append(f"{v}: other region")
        if (x.id, a.id) in problem.series_pairs:
            out.append(f"{v}: paired in another wave of the series")
    visits = list(visits)
    for (agent, day), n in Counter((v.agent, v.date) for v in visits).items():
        if n > 1:
            out.append(f"agent {agent} hosts {n} on {day}")
    for agent, n in Counter(v.agent for v in visits).items():
        if n > problem.max_days_per_agent:
            out.append(f"agent {agent} hosts {n} days")
    per_exec = defaultdict(list)
    for v in visits:
        per_exec[v.executive].append(v)
    for e, vs in per_exec.items():
        if len(vs) > problem.days_per_executive:
            out.append(f"executive {e} has {len(vs)} visits")
        if len({v.date for v in vs}) < len(vs):
            out.append(f"executive {e} twice on one date")
        if len({v.agent for v in vs}) < len(vs):
            out.append(f"executive {e} twice with one agent")
    for (site, day), n in Counter((agents[v.agent].site, v.date) for v in visits).items():
        limit = sites[site].daily_visitor_limit
        if limit is not None and n > limit:
            out.append(f"site {site} receives {n} on {day}, limit {limit}")
    return out


def triples(problem: Problem) -> list[Visit]:
    """Every (executive, agent, date) that rules 1, 2, 3 and 6 allow."""
    sites = {s.id: s for s in problem.sites}
    shifts_by_agent = defaultdict(set)
    for s in problem.shifts:
        if s.date in problem.dates:
            shifts_by_agent[s.agent].add(s.date)
    out = []
    for x in problem.executives:
        avail = set(problem.dates) if x.available is None else set(x.available)
        for a in problem.agents:
            if not x.languages & a.languages:
                continue
            if x.id in a.managers[: problem.reporting_depth] or x.id == a.id:
                continue
            if not problem.allow_cross_region and sites[x.home_site].region != sites[a.site].region:
                continue
            if (x.id, a.id) in problem.series_pairs:
                continue
            out.extend(Visit(x.id, a.id, d) for d in sorted(shifts_by_agent[a.id] & avail))
    return out


def visit_cost(problem: Problem, v: Visit) -> int:
    """The secondary cost of one visit, as the ``Costs`` docstring defines it."""
    c = problem.costs
    execs = {x.id: x for x in problem.executives}
    agents = {a.id: a for a in problem.agents}
    sites = {s.id: s for s in problem.sites}
    x, a = execs[v.executive], agents[v.agent]
    if a.site == x.home_site:
        travel = 0
    elif sites[a.site].region == sites[x.home_site].region:
        travel = c.travel_same_region
    else:
        travel = c.travel_cross_region
    n = Counter()
    for y in problem.executives:
        for d in problem.dates:
            if y.available is None or d in y.available:
                n[(y.department, y.home_site, d)] += 1
    top = max([k for (dep, _, _), k in n.items() if dep == x.department] + [1])
    spread = round(c.department_spread * (1 - n[(x.department, a.site, v.date)] / top))
    hosted = c.hosted_before * min(max(a.hosted_before, 0), c.hosted_before_cap)
    repeat = c.repeat_pair if (x.id, a.id) in problem.past_pairs else 0
    seen = c.seen_channel if sites[a.site].channel in x.seen_channels else 0
    return travel + spread + hosted + repeat + seen


def reference_optimum(problem: Problem) -> tuple[int, int, int]:
    """(most visits, then most previous kept, then least cost) by staged exact MILPs over all
    triples. Assumes no locked visits."""
    ts = triples(problem)
    if not ts:
        return 0, 0, 0
    n = len(ts)
    rows: dict[tuple, int] = {}
    ri, ci, rhs = [], [], []

    def add(key, j, cap):
        if key not in rows:
            rows[key] = len(rows)
            rhs.append(cap)
        ri.append(rows[key])
        ci.append(j)

    site_of = {a.id: a.site for a in problem.agents}
    limits = {s.id: s.daily_visitor_limit for s in problem.sites}
    for j, v in enumerate(ts):
        add(("ad", v.agent, v.date), j, 1)
        add(("a", v.agent), j, problem.max_days_per_agent)
        add(("e", v.executive), j, problem.days_per_executive)
        add(("ed", v.executive, v.date), j, 1)
        add(("ea", v.executive, v.agent), j, 1)
        limit = limits[site_of[v.agent]]
        if limit is not None:
            add(("sd", site_of[v.agent], v.date), j, limit)
    a_mat = csr_matrix((np.ones(len(ri)), (ri, ci)), shape=(len(rows), n))
    ones = np.ones(n)
    previous = set(problem.previous)
    keep = np.array([1.0 if v in previous else 0.0 for v in ts])
    cost = np.array([float(visit_cost(problem, v)) for v in ts])
    fixed = []

    def stage(objective):
        cons = [LinearConstraint(a_mat, -np.inf, np.array(rhs, dtype=float))]
        for vec, lo in fixed:
            cons.append(LinearConstraint(vec[None, :], lo, np.inf))
        res = milp(
            objective,
            constraints=cons,
            integrality=ones,
            bounds=Bounds(0, 1),
            options={"mip_rel_gap": 0},
        )
        assert res.status == 0, res.message
        return np.rint(res.x)

    x = stage(-ones)
    count = int(x.sum())
    fixed.append((ones, count - 0.5))
    x = stage(-keep)
    kept = int(keep @ x)
    fixed.append((keep, kept - 0.5))
    x = stage(cost)
    return count, kept, round(float(cost @ x))


def random_problem(seed: int, **overrides) -> Problem:
    """A small, tight random instance: few shifts, narrow availability, floor limits,
    reporting lines, several languages, some executives wanting two days."""
    rng = random.Random(seed)
    n_exec = overrides.pop("n_exec", rng.randint(3, 14))
    n_agent = overrides.pop("n_agent", rng.randint(2, 12))
    n_days = overrides.pop("n_days", rng.randint(1, 5))
    start = date(2027, 5, 3)
    dates = tuple(start + timedelta(days=i) for i in range(n_days))
    regions = ["N", "S"][: rng.randint(1, 2)]
    sites = tuple(
        Site(i + 1, rng.choice(regions), rng.choice([None, 1, 1, 2]))
        for i in range(rng.randint(1, 4))
    )
    langs = ["en", "fr", "es"]
    execs = tuple(
        Executive(
            id=i + 1,
            department=rng.randint(1, 3),
            home_site=rng.choice(sites).id,
            languages=frozenset(rng.sample(langs, rng.randint(1, 2))),
            available=None
            if rng.random() < 0.3
            else frozenset(rng.sample(dates, rng.randint(0, n_days))),
        )
        for i in range(n_exec)
    )
    agents = tuple(
        Agent(
            id=100 + j,
            site=rng.choice(sites).id,
            languages=frozenset(rng.sample(langs, rng.randint(1, 2))),
            managers=tuple(rng.sample(range(1, n_exec + 1), rng.randint(0, min(3, n_exec)))),
            hosted_before=rng.choice([0, 0, 1, 4, 9]),
        )
        for j in range(n_agent)
    )
    shifts = tuple(Shift(a.id, d) for a in agents for d in dates if rng.random() < 0.5)
    past = frozenset(
        (rng.randint(1, n_exec), 100 + rng.randrange(n_agent)) for _ in range(rng.randint(0, 4))
    )
    fields = dict(
        executives=execs,
        agents=agents,
        sites=sites,
        shifts=shifts,
        dates=dates,
        days_per_executive=rng.choice([1, 1, 2]),
        max_days_per_agent=rng.choice([1, 2]),
        reporting_depth=rng.choice([1, 3]),
        allow_cross_region=rng.random() < 0.3,
        past_pairs=past,
    )
    fields.update(overrides)
    return Problem(**fields)
