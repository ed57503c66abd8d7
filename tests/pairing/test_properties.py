"""Invariants on random small problems (hypothesis): rules, locks, reasons, determinism, optimum."""

from collections import Counter
from datetime import date, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shadowing.pairing import Agent, Executive, Problem, Shift, Site, Visit, solve
from shadowing.pairing.model import UNPAIRED
from tests.pairing.reference import reference_optimum, violations

START = date(2027, 6, 7)
LANGS = st.frozensets(st.sampled_from(["en", "fr", "es"]), min_size=1, max_size=2)


@st.composite
def problems(draw, with_locked=True):
    n_days = draw(st.integers(1, 3))
    dates = tuple(START + timedelta(days=i) for i in range(n_days))
    sites = tuple(
        Site(i + 1, draw(st.sampled_from(["N", "S"])), draw(st.sampled_from([None, 1, 2])))
        for i in range(draw(st.integers(1, 3)))
    )
    site_ids = st.sampled_from([s.id for s in sites])
    n_exec = draw(st.integers(1, 6))
    execs = tuple(
        Executive(
            id=i + 1,
            department=draw(st.integers(1, 2)),
            home_site=draw(site_ids),
            languages=draw(LANGS),
            available=draw(st.none() | st.frozensets(st.sampled_from(dates))),
        )
        for i in range(n_exec)
    )
    agents = tuple(
        Agent(
            id=10 + j,
            site=draw(site_ids),
            languages=draw(LANGS),
            managers=tuple(draw(st.lists(st.integers(1, n_exec), max_size=3, unique=True))),
            hosted_before=draw(st.integers(0, 6)),
        )
        for j in range(draw(st.integers(1, 6)))
    )
    shifts = tuple(Shift(a.id, d) for a in agents for d in dates if draw(st.booleans()))
    visit = st.builds(
        Visit,
        st.sampled_from([x.id for x in execs]),
        st.sampled_from([a.id for a in agents]),
        st.sampled_from(dates),
    )
    return Problem(
        executives=execs,
        agents=agents,
        sites=sites,
        shifts=shifts,
        dates=dates,
        days_per_executive=draw(st.integers(1, 2)),
        max_days_per_agent=draw(st.integers(1, 2)),
        reporting_depth=draw(st.integers(0, 3)),
        allow_cross_region=draw(st.booleans()),
        locked=tuple(draw(st.lists(visit, max_size=2))) if with_locked else (),
        previous=tuple(draw(st.lists(visit, max_size=3))),
        past_pairs=frozenset((v.executive, v.agent) for v in draw(st.lists(visit, max_size=2))),
    )


SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def capacity_excess(problem, visits, locked):
    """Capacity buckets over their limit by more than the locked visits alone already are."""
    agents = {a.id: a for a in problem.agents}
    sites = {s.id: s for s in problem.sites}
    buckets = [
        (lambda v: (v.agent, v.date), lambda k: 1),
        (lambda v: v.agent, lambda k: problem.max_days_per_agent),
        (lambda v: v.executive, lambda k: problem.days_per_executive),
        (lambda v: (v.executive, v.date), lambda k: 1),
        (lambda v: (v.executive, v.agent), lambda k: 1),
        (
            lambda v: (agents[v.agent].site, v.date) if v.agent in agents else None,
            lambda k: sites[k[0]].daily_visitor_limit,
        ),
    ]
    out = []
    for key, limit in buckets:
        all_n = Counter(key(v) for v in visits)
        locked_n = Counter(key(v) for v in locked)
        for k, n in all_n.items():
            cap = limit(k) if k is not None else None
            if cap is not None and n > max(cap, locked_n[k]):
                out.append((k, n, cap))
    return out


@SETTINGS
@given(problems())
def test_no_plan_breaks_a_hard_rule_and_locked_visits_stay(problem):
    plan = solve(problem)
    locked = set(problem.locked)
    visits = plan.as_visits()
    assert locked <= set(visits)
    free = [v for v in visits if v not in locked]
    assert violations(problem, free) == []
    assert capacity_excess(problem, visits, locked) == []
    assert [v.visit for v in plan.visits if "locked" in v.reasons] == sorted(locked)
    conflicted = {c.visit for c in plan.stats.conflicts}
    assert {v for v in locked if violations(problem, [v])} <= conflicted <= locked
    if not violations(problem, sorted(locked)):
        assert conflicted == set()


@SETTINGS
@given(problems())
def test_every_executive_short_of_visits_is_unpaired_with_a_known_reason(problem):
    plan = solve(problem)
    got = Counter(v.executive for v in plan.visits)
    short = {x.id for x in problem.executives if got[x.id] < problem.days_per_executive}
    assert {u.executive for u in plan.unpaired} == short
    for u in plan.unpaired:
        assert u.reason in UNPAIRED
        assert u.message
        assert "{" not in u.message
        if got[u.executive]:
            assert u.reason == "fewer_days_than_requested"
            assert dict(u.params)["cause"] in UNPAIRED


@SETTINGS
@given(problems(), st.randoms(use_true_random=False))
def test_the_same_problem_in_any_order_gives_the_same_plan(problem, rnd):
    def shuffled(items):
        items = list(items)
        rnd.shuffle(items)
        return tuple(items)

    again = Problem(
        **{
            **{f: getattr(problem, f) for f in problem.__dataclass_fields__},
            "executives": shuffled(problem.executives),
            "agents": shuffled(problem.agents),
            "shifts": shuffled(problem.shifts),
            "sites": shuffled(problem.sites),
            "previous": shuffled(problem.previous),
        }
    )
    assert solve(problem) == solve(again)


@settings(max_examples=60, deadline=None)
@given(problems(with_locked=False))
def test_the_count_is_the_true_maximum(problem):
    plan = solve(problem)
    count, kept, cost = reference_optimum(problem)
    assert (plan.stats.visits, plan.stats.kept, plan.stats.cost) == (count, kept, cost)


@SETTINGS
@given(problems())
def test_rerunning_a_plan_returns_it_unchanged(problem):
    first = solve(problem)
    locked = set(problem.locked)
    previous = tuple(v for v in first.as_visits() if v not in locked)
    second = solve(
        Problem(
            **{
                **{f: getattr(problem, f) for f in problem.__dataclass_fields__},
                "previous": previous,
            }
        )
    )
    assert second.as_visits() == first.as_visits()
    assert second.stats.moved == 0
    assert all("kept" in v.reasons or "locked" in v.reasons for v in second.visits)
