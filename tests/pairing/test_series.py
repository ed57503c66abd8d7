"""Waves of a series in the engine: a pair from another wave is a hard rule (never proposed,
named when it leaves an executive unpaired), and a channel the executive already saw costs
more than a new one."""

import random
from dataclasses import replace
from datetime import date

import pytest

from shadowing.pairing import Agent, Costs, Executive, Problem, Shift, Site, Visit, solve
from shadowing.pairing.rules import visit_violations
from tests.pairing.reference import random_problem, reference_optimum, violations

D1, D2 = date(2027, 4, 5), date(2027, 4, 6)
CALL, STORE = Site(1, "North", channel="call_centre"), Site(2, "North", channel="retail")
EVE = Executive(1, department=7, home_site=1, languages=frozenset({"en"}))
ADA = Agent(100, site=1, languages=frozenset({"en"}))
BOB = Agent(101, site=2, languages=frozenset({"en"}))


def problem(**changes) -> Problem:
    fields = dict(
        executives=(EVE,),
        agents=(ADA, BOB),
        sites=(CALL, STORE),
        shifts=(Shift(100, D1), Shift(101, D1)),
        dates=(D1, D2),
    )
    fields.update(changes)
    return Problem(**fields)


def test_an_agent_from_another_wave_is_never_proposed_even_at_home():
    plan = solve(problem(series_pairs=frozenset({(1, 100)})))
    assert [v.visit for v in plan.visits] == [Visit(1, 101, D1)]


def test_when_every_eligible_agent_hosted_before_the_reason_says_so():
    plan = solve(problem(series_pairs=frozenset({(1, 100), (1, 101)})))
    assert plan.visits == ()
    [unpaired] = plan.unpaired
    assert unpaired.reason == "paired_in_series"
    assert dict(unpaired.params)["agents"] == "2"
    assert "another wave" in unpaired.message


def test_a_locked_visit_from_another_wave_is_kept_and_reported_as_a_conflict():
    plan = solve(problem(series_pairs=frozenset({(1, 100)}), locked=(Visit(1, 100, D1),)))
    assert [v.visit for v in plan.visits] == [Visit(1, 100, D1)]
    assert plan.stats.conflicts[0].rules == ("series_repeat",)


def test_rules_name_the_series_repeat_for_a_hand_made_visit():
    p = problem(series_pairs=frozenset({(1, 100)}))
    assert visit_violations(p, Visit(1, 100, D1)) == ("series_repeat",)
    assert visit_violations(p, Visit(1, 101, D1)) == ()


def test_a_channel_seen_in_an_earlier_wave_loses_to_a_new_one():
    # Without history the home site wins (no travel); having seen call centres, the store wins.
    assert [v.agent for v in solve(problem()).visits] == [100]
    seen = replace(EVE, seen_channels=frozenset({"call_centre"}))
    plan = solve(problem(executives=(seen,), costs=Costs(seen_channel=20)))
    assert [v.agent for v in plan.visits] == [101]
    assert "new_channel:retail" in plan.visits[0].reasons


def test_the_new_channel_reason_is_only_said_after_an_earlier_wave():
    plan = solve(problem(shifts=(Shift(101, D1),)))
    assert not [r for r in plan.visits[0].reasons if r.startswith("new_channel")]


@pytest.mark.parametrize("seed", range(40))
def test_random_series_match_the_reference_optimum_and_never_repeat(seed):
    rng = random.Random(1000 + seed)
    base = random_problem(seed)
    channels = ["call_centre", "retail", "field"]
    sites = tuple(replace(s, channel=rng.choice(channels)) for s in base.sites)
    executives = tuple(
        replace(x, seen_channels=frozenset(rng.sample(channels, rng.randint(0, 2))))
        for x in base.executives
    )
    series = frozenset(
        (x.id, a.id) for x in base.executives for a in base.agents if rng.random() < 0.3
    )
    p = replace(base, sites=sites, executives=executives, series_pairs=series)
    plan = solve(p)
    visits = [v.visit for v in plan.visits]
    assert not {(v.executive, v.agent) for v in visits} & series
    assert violations(p, visits) == []
    count, _kept, cost = reference_optimum(p)
    assert (len(visits), plan.stats.cost) == (count, cost)
