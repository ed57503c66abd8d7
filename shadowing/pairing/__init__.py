"""The pairing engine: plain data in, a plan out. Imports nothing from Django or the app.

Use
===

    from shadowing.pairing import Problem, solve
    plan = solve(Problem(executives=..., agents=..., sites=..., shifts=..., dates=...))
    plan.visits      # tuple[PlannedVisit(executive, agent, date, reasons)], sorted
    plan.unpaired    # tuple[Unpaired(executive, reason, params)]; ``.message`` is English
    plan.stats       # PlanStats: counts, cost, kept/moved, conflicts of locked visits, timings

Inputs (``model.py``, frozen dataclasses, int ids; executives and agents share the people id
space): ``Executive(id, department, home_site, languages, available=None)`` (None: any date of
the window), ``Agent(id, site, languages, managers=(), hosted_before=0)`` (managers nearest
first, as far as known), ``Site(id, region, daily_visitor_limit=None)``, ``Shift(agent, date,
start, end)`` (at most one per agent and date; the visit is the shift), ``Visit(executive,
agent, date)``, ``Costs(...)`` and ``Problem(executives, agents, sites, shifts, dates,
days_per_executive=1, max_days_per_agent=2, reporting_depth=3, allow_cross_region=False,
locked=(), previous=(), past_pairs=frozenset(), costs=Costs())``.

What the caller does: pass only agents who may host (leave out those who opted out; shifts of
agents not passed in are ignored); pass published and locked pairings as ``locked`` and the
current proposals as ``previous``; ``past_pairs`` are (executive, agent) pairs of earlier
programmes. Inconsistent input (duplicate ids, an unknown site, two shifts for one agent on one
date, negative settings) raises ``ProblemError`` before any solving.

Hard rules (CONTRACT.md "Pairing rules"), always kept by every visit the engine proposes:

1. the executive is available that date and the agent has a shift that date;
2. they share a language;
3. the executive is not among the agent's first ``reporting_depth`` managers (and is not the
   agent);
4. an agent hosts at most one executive a day and at most ``max_days_per_agent`` days;
5. an executive gets at most ``days_per_executive`` visits, on distinct dates, with distinct
   agents;
6. the agent's site is in the region of the executive's home site, unless
   ``allow_cross_region``;
7. a site never receives more executives a day than its ``daily_visitor_limit``;
8. an executive never shadows an agent ``series_pairs`` names (paired in another wave of the
   same series; never waivable, code ``series_repeat``, unpaired reason ``paired_in_series``);
9. locked visits are kept exactly and use capacity. One that breaks a rule today (its shift
   vanished, say) is still kept, and reported in ``stats.conflicts`` with the rule codes.

``Rules(problem)`` / ``plan_violations`` / ``visit_violations`` check visits against the same
rules in plain Python (for a hand-made assignment, with the rule that refuses it).

Objective, lexicographic and exact: (1) the most visits the rules allow over all feasible
executive-agent-date triples; (2) among those plans, the most ``previous`` visits kept
unchanged, so a re-run with nothing changed returns the previous plan and a re-run after shifts
vanish moves only their visits (another visit moves only when that pairs someone more);
(3) the least cost, ``Costs``: travel away from the home site, a department-clustering term
(a linear stand-in for the quadratic "same department, same site-day" goal, see ``Costs``),
agents who hosted often, repeat pairs from earlier programmes, and a site channel the executive
saw in an earlier wave (``Executive.seen_channels``, ``Site.channel``, ``Costs.seen_channel``).

Determinism: the same problem gives the same plan, whatever the order of its tuples (everything
is indexed by sorted ids; ties are broken by a fixed hash; the solvers are deterministic).
``stats.seconds`` and ``stats.phases`` are timings and are left out of equality.

Reasons: each visit carries codes (``locked``, ``kept``, ``moved``, ``shared_language:fr``,
``home_site``, ``travel_same_region``, ``travel_cross_region``, ``department_together:2``,
``repeat_pair``, ``agent_hosted_before:3``); each executive short of visits carries one reason
(``no_availability_in_window``, ``no_agents_in_region``, ``no_shared_language_in_region``,
``only_own_reports_available``, ``no_date_in_common``, ``all_eligible_agents_full``,
``sites_full``, or ``fewer_days_than_requested`` with the cause in ``params``). See
``reasons.py``.

How it is solved, and why it scales
===================================

The triples are never all built. ``space.Space`` holds agents in classes (site,
languages) and an agent-day group per class and date; an executive is paired with the groups its
region, languages and availability allow. A triple's cost is the pair's cost (travel,
clustering) plus the agent's, so a group is priced at once by its cheapest agent-day.

``solver`` runs column generation. It starts from about 24 cheap columns per executive plus the
previous visits. Phase 1 solves a min-cost flow (OR-Tools, max flow then min cost) on them,
recovers node potentials from the residual graph (Bellman-Ford, exact integers), prices every
group left out, adds the columns with negative reduced cost and repeats; when none is left, a
feasible potential certifies the optimum over all triples. If that solution also keeps floor
limits and distinct agents, it is the answer. Otherwise phase 2 column-generates the LP
relaxation of the full model (HiGHS) the same way, solves the integer program (HiGHS) on the
columns, and proves it optimal from the LP bound: if it is not within 1 (objective values are
integers), every column whose reduced cost is below the gap is added and the program is solved
again, which no better plan can escape.

Measured (``benchmarks/bench_pairing.py``, 2 cores, other work running): 1,000 executives x
5,000 agents x 20 days (6.5 million feasible triples): 0.45 s, 159 MB peak; the same size with
binding floor limits 2.5 s, with two days each 1.7 s, a tight instance 6 s. 5,000 x 20,000 x 30
(58 million triples): about 7 s CPU, 0.6 GB. 10,000 x 50,000 x 30 (287 million triples):
25 s, 1.5 GB. Largest within 60 s: 15,000 x 75,000 x 30 (651 million triples), 57 s, 3.1 GB.

Growth: compile and pricing are linear in executive-group pairs (executives x agent classes
in reach x available dates), not in triples, and the solved models hold about 7 columns per
executive. From 1,000 x 5,000 to 10,000 x 50,000 time grew about 55-fold for 44 times the
triples, memory 10-fold. What grows worst is the integer program when floor limits bind hard
(it sees only the priced columns, but branch and bound is exponential in the worst case).
"""

from shadowing.pairing.engine import solve
from shadowing.pairing.model import (
    Agent,
    Conflict,
    Costs,
    Executive,
    Plan,
    PlannedVisit,
    PlanStats,
    Problem,
    ProblemError,
    Shift,
    Site,
    Unpaired,
    Visit,
)
from shadowing.pairing.rules import Rules, plan_violations, visit_violations

__all__ = [
    "Agent",
    "Conflict",
    "Costs",
    "Executive",
    "Plan",
    "PlanStats",
    "PlannedVisit",
    "Problem",
    "ProblemError",
    "Rules",
    "Shift",
    "Site",
    "Unpaired",
    "Visit",
    "plan_violations",
    "solve",
    "visit_violations",
]
