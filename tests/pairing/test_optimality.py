"""The engine's count, kept visits and cost equal an independent exact optimum over all triples."""

import random

import pytest

from shadowing.pairing import Costs, solve
from tests.pairing.reference import (
    random_problem,
    reference_optimum,
    triples,
    violations,
)


def engine_result(problem):
    plan = solve(problem)
    visits = plan.as_visits()
    assert violations(problem, visits) == []
    assert plan.stats.optimal
    return plan.stats.visits, plan.stats.kept, plan.stats.cost


def some_previous(problem, seed):
    """A rule-abiding set of visits that is not the optimum: what an older run proposed."""
    rng = random.Random(seed)
    ts = triples(problem)
    rng.shuffle(ts)
    chosen = []
    for v in ts:
        if not violations(problem, [*chosen, v]):
            chosen.append(v)
    return tuple(chosen[: max(1, len(chosen) // 2)])


@pytest.mark.parametrize("seed", range(60))
def test_count_kept_and_cost_equal_an_exact_integer_program_over_all_triples(seed):
    problem = random_problem(seed)
    assert engine_result(problem) == reference_optimum(problem)


@pytest.mark.parametrize("seed", range(60, 90))
def test_with_previous_visits_the_engine_keeps_as_many_as_the_optimum_allows(seed):
    problem = random_problem(seed)
    problem = problem.__class__(
        **{
            **{f: getattr(problem, f) for f in problem.__dataclass_fields__},
            "previous": some_previous(problem, seed),
        }
    )
    assert engine_result(problem) == reference_optimum(problem)


@pytest.mark.parametrize("seed", range(90, 110))
def test_floor_limits_and_two_day_executives_on_scarce_hosts(seed):
    problem = random_problem(
        seed,
        n_exec=12,
        n_agent=6,
        n_days=3,
        days_per_executive=2,
        max_days_per_agent=2,
        costs=Costs(travel_same_region=3, department_spread=7, repeat_pair=2),
    )
    assert engine_result(problem) == reference_optimum(problem)


@pytest.fixture
def tiny_pricing(monkeypatch):
    """One seed column and one added column per executive per round: every optimum must then
    come from pricing and from closing the MIP gap, not from the seed."""
    from shadowing.pairing import solver

    monkeypatch.setattr(solver, "SEED_PER_EXEC", 1)
    monkeypatch.setattr(solver, "ADD_PER_EXEC", 1)


@pytest.mark.parametrize("seed", range(110, 150))
def test_pruned_to_one_candidate_the_priced_optimum_is_still_exact(seed, tiny_pricing):
    problem = random_problem(seed, n_exec=20, n_agent=14, n_days=4)
    assert engine_result(problem) == reference_optimum(problem)


@pytest.mark.parametrize("seed", range(150, 170))
def test_pruned_with_previous_and_two_days(seed, tiny_pricing):
    problem = random_problem(seed, n_exec=16, n_agent=10, n_days=4, days_per_executive=2)
    problem = problem.__class__(
        **{
            **{f: getattr(problem, f) for f in problem.__dataclass_fields__},
            "previous": some_previous(problem, seed),
        }
    )
    assert engine_result(problem) == reference_optimum(problem)


def test_a_fractional_relaxation_is_closed_by_adding_every_column_under_the_gap(tiny_pricing):
    """Odd cycles (executive X, agent A, a site with room for one) make the LP relaxation
    fractional: 1.5 visits per gadget where only one fits. The engine must prove the integer
    optimum with the reduced-cost gap step, and it must equal the reference."""
    from datetime import date

    from shadowing.pairing import Agent, Executive, Problem, Shift, Site

    d1, d2 = date(2027, 1, 4), date(2027, 1, 5)
    execs, agents, sites, shifts = [], [], [], []
    for k in range(5):
        site = Site(k + 1, "N", 1)
        x = Executive(10 * k + 1, 1, site.id, frozenset({"en"}), frozenset({d1, d2}))
        y = Executive(10 * k + 2, 1, site.id, frozenset({"fr"}), frozenset({d1}))
        a = Agent(1000 + 10 * k, site.id, frozenset({"en", "fr"}))
        b = Agent(1001 + 10 * k, site.id, frozenset({"en"}))
        sites.append(site)
        execs += [x, y]
        agents += [a, b]
        shifts += [Shift(a.id, d1), Shift(a.id, d2), Shift(b.id, d1)]
    problem = Problem(
        tuple(execs), tuple(agents), tuple(sites), tuple(shifts), (d1, d2), max_days_per_agent=1
    )
    plan = solve(problem)
    assert "gap_closing" in dict(plan.stats.phases)
    assert engine_result(problem) == reference_optimum(problem)
