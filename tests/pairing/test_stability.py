"""Re-runs: nothing changed moves nothing; vanished shifts move only their own visits."""

import random
from dataclasses import replace

import pytest

from benchmarks.bench_pairing import make_problem
from shadowing.pairing import solve
from tests.pairing.reference import random_problem, violations


@pytest.fixture(scope="module")
def organisation():
    problem = make_problem(150, 600, 10, seed=7)
    return problem, solve(problem)


def test_rerun_with_nothing_changed_returns_exactly_the_previous_plan(organisation):
    problem, first = organisation
    second = solve(replace(problem, previous=first.as_visits()))
    assert second.as_visits() == first.as_visits()
    assert (second.stats.kept, second.stats.moved) == (len(first.visits), 0)


def test_when_shifts_vanish_only_the_visits_on_them_move(organisation):
    problem, first = organisation
    rng = random.Random(1)
    hit = set(rng.sample(first.as_visits(), 12))
    gone = {(v.agent, v.date) for v in hit}
    also_gone = set(rng.sample([(s.agent, s.date) for s in problem.shifts], 200))
    shifts = tuple(s for s in problem.shifts if (s.agent, s.date) not in gone | also_gone)
    changed = replace(problem, shifts=shifts, previous=first.as_visits())
    second = solve(changed)
    on_vanished = {v for v in first.as_visits() if (v.agent, v.date) in gone | also_gone}
    assert hit <= on_vanished
    assert set(first.as_visits()) - on_vanished <= set(second.as_visits())
    assert second.stats.moved == len(on_vanished)
    assert second.stats.visits == first.stats.visits  # hosts are plentiful here
    assert violations(changed, second.as_visits()) == []
    moved = [v for v in second.visits if "moved" in v.reasons]
    assert {v.executive for v in moved} == {v.executive for v in on_vanished}


@pytest.mark.parametrize("seed", range(40))
def test_on_tight_problems_a_survivor_moves_only_to_pair_someone_more(seed):
    """Count comes first: a previous visit whose shift survived may move only when that lets
    more executives be paired than keeping every survivor would."""
    problem = random_problem(seed, n_exec=12, n_agent=8, n_days=3)
    first = solve(problem)
    rng = random.Random(seed)
    shifts = tuple(s for s in problem.shifts if rng.random() > 0.3)
    alive = {(s.agent, s.date) for s in shifts}
    changed = replace(problem, shifts=shifts, previous=first.as_visits())
    second = solve(changed)
    survivors = [v for v in first.as_visits() if (v.agent, v.date) in alive]
    if not set(survivors) <= set(second.as_visits()):
        pinned = solve(replace(changed, previous=(), locked=tuple(survivors)))
        assert pinned.stats.visits < second.stats.visits


def test_a_rerun_keeps_locked_visits_and_moves_none_of_the_rest(organisation):
    problem, first = organisation
    locked = first.as_visits()[::5]
    second = solve(replace(problem, locked=locked, previous=first.as_visits()))
    assert second.as_visits() == first.as_visits()
    assert second.stats.conflicts == ()
    assert {v.visit for v in second.visits if v.reasons[0] == "locked"} == set(locked)
