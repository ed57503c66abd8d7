"""The hard rules of CONTRACT.md, checked one visit or one plan at a time, in plain Python.

This is the slow, obvious reading of the rules, kept apart from the vectorised engine: the
engine uses it for locked visits (a locked visit that breaks a rule today is kept and
reported), the web side can use it to check a hand-made assignment live, and tests use it as
the referee.

Rule codes (a visit can break several):

=====================  ===========================================================
``unknown_executive``  the executive is not in the problem
``unknown_agent``      the agent is not in the problem (for instance opted out)
``outside_window``     the date is not a programme date
``availability``       rule 1: the executive is not available that date
``shift``              rule 1: the agent has no shift that date
``language``           rule 2: no shared language
``reporting_line``     rule 3: the executive is among the agent's managers (up to
                       ``reporting_depth`` levels), or is the agent
``agent_one_per_day``  rule 4: the agent hosts two executives that day
``agent_max_days``     rule 4: the agent hosts on more than ``max_days_per_agent`` days
``executive_max_days`` rule 5: more than ``days_per_executive`` visits
``executive_same_date`` rule 5: two visits on one date
``executive_same_agent`` rule 5: the same agent twice
``region``             rule 6: another region while cross-region is not allowed
``site_limit``         rule 7: the site receives more executives that day than its limit
``series_repeat``      the executive and the agent were paired in another wave of the
                       same series (``Problem.series_pairs``); never waivable
=====================  ===========================================================
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from shadowing.pairing.model import Problem, Visit


class Rules:
    """Lookups built once for a problem; ``visit`` and ``plan`` then check cheaply."""

    def __init__(self, problem: Problem) -> None:
        self.p = problem
        self.execs = {x.id: x for x in problem.executives}
        self.agents = {a.id: a for a in problem.agents}
        self.sites = {s.id: s for s in problem.sites}
        self.window = frozenset(problem.dates)
        self.shifts = {(s.agent, s.date) for s in problem.shifts}

    def visit(self, v: Visit) -> tuple[str, ...]:
        """Rules 1, 2, 3 and 6 and the series rule: those a single visit can break alone."""
        out = []
        x = self.execs.get(v.executive)
        a = self.agents.get(v.agent)
        if x is None:
            out.append("unknown_executive")
        if a is None:
            out.append("unknown_agent")
        if v.date not in self.window:
            out.append("outside_window")
        if x is not None and x.available is not None and v.date not in x.available:
            out.append("availability")
        if a is not None and (v.agent, v.date) not in self.shifts:
            out.append("shift")
        if x is not None and a is not None:
            if not (x.languages & a.languages):
                out.append("language")
            if x.id == a.id or x.id in a.managers[: self.p.reporting_depth]:
                out.append("reporting_line")
            if (x.id, a.id) in self.p.series_pairs:
                out.append("series_repeat")
            if not self.p.allow_cross_region:
                home, site = self.sites.get(x.home_site), self.sites.get(a.site)
                if home is None or site is None or home.region != site.region:
                    out.append("region")
        return tuple(out)

    def plan(self, visits: Iterable[Visit]) -> dict[Visit, tuple[str, ...]]:
        """Every rule over a whole set of visits; only visits that break something appear.

        A capacity rule (4, 5, 7) broken by a group of visits is charged to all of them.
        """
        visits = sorted(set(visits))
        found: dict[Visit, set[str]] = defaultdict(set)
        for v in visits:
            found[v].update(self.visit(v))

        def group(key, limit, code):
            buckets: dict[object, list[Visit]] = defaultdict(list)
            for v in visits:
                k = key(v)
                if k is not None:
                    buckets[k].append(v)
            for members in buckets.values():
                if limit(members) is not None and len(members) > limit(members):
                    for v in members:
                        found[v].add(code)

        p = self.p
        group(lambda v: (v.agent, v.date), lambda _: 1, "agent_one_per_day")
        group(lambda v: v.agent, lambda _: p.max_days_per_agent, "agent_max_days")
        group(lambda v: v.executive, lambda _: p.days_per_executive, "executive_max_days")
        group(lambda v: (v.executive, v.date), lambda _: 1, "executive_same_date")
        group(lambda v: (v.executive, v.agent), lambda _: 1, "executive_same_agent")

        def site_day(v: Visit):
            a = self.agents.get(v.agent)
            return None if a is None else (a.site, v.date)

        def site_limit(members: list[Visit]):
            a = self.agents[members[0].agent]
            site = self.sites.get(a.site)
            return None if site is None else site.daily_visitor_limit

        group(site_day, site_limit, "site_limit")
        return {v: tuple(sorted(c)) for v, c in found.items() if c}


def visit_violations(problem: Problem, visit: Visit) -> tuple[str, ...]:
    """Rules a single visit breaks on its own (1, 2, 3, 6), as codes."""
    return Rules(problem).visit(visit)


def plan_violations(problem: Problem, visits: Iterable[Visit]) -> dict[Visit, tuple[str, ...]]:
    """Every hard rule over a set of visits; maps each offending visit to its rule codes."""
    return Rules(problem).plan(visits)
