"""``solve(problem) -> Plan``: compile, optimise, explain."""

from __future__ import annotations

import time

from shadowing.pairing.model import Plan, PlanStats, Problem, Visit
from shadowing.pairing.reasons import unpaired_reasons, visit_reasons
from shadowing.pairing.solver import solve_columns
from shadowing.pairing.space import Space


def solve(problem: Problem) -> Plan:
    """Pair executives with agents.

    Guarantees (see the package docstring for the rules):

    - every visit keeps every hard rule, except locked visits, which are kept exactly as given
      and reported in ``stats.conflicts`` when they break a rule;
    - the number of visits is the maximum the rules allow over all feasible triples, proven
      (``stats.optimal``), never a heuristic;
    - among plans with that many visits: the most ``previous`` visits kept unchanged, then the
      least cost (``Costs``);
    - deterministic: the same problem gives the same plan (``stats.seconds`` aside);
    - every executive with fewer visits than requested is in ``unpaired`` with a reason.
    """
    t0 = time.perf_counter()
    space = Space(problem)
    t_compile = time.perf_counter() - t0
    e, slot, info = solve_columns(space)
    t1 = time.perf_counter()
    chosen = [
        Visit(
            space.execs[int(ei)].id,
            space.agents[int(space.slot_agent[si])].id,
            space.dates[int(space.slot_date[si])],
        )
        for ei, si in zip(e.tolist(), slot.tolist(), strict=True)
    ]
    cost = int(space.columns_for(e, slot)[2].sum()) if len(e) else 0
    locked = set(space.locked)
    visits = sorted(set(chosen) | locked)
    planned = visit_reasons(space, visits, locked)
    unpaired = unpaired_reasons(space, visits)
    previous = set(problem.previous) - locked
    kept = len(previous & set(chosen))
    n_exec = len(space.execs)
    stats = PlanStats(
        executives=n_exec,
        requested_visits=n_exec * problem.days_per_executive,
        visits=len(visits),
        paired_executives=len({v.executive for v in visits} & set(space.exec_idx)),
        upper_bound=len(visits),
        cost=cost,
        kept=kept,
        moved=len(previous) - kept,
        candidates=space.count_candidates(),
        columns=info["columns"],
        rounds=info["rounds"],
        method=info["method"],
        optimal=True,
        conflicts=space.conflicts,
        seconds=time.perf_counter() - t0,
        phases=(
            ("compile", round(t_compile, 3)),
            *((k, round(v, 3)) for k, v in info["phases"].items()),
            ("explain", round(time.perf_counter() - t1, 3)),
        ),
    )
    return Plan(tuple(planned), tuple(unpaired), stats)
