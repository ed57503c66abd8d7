"""One case per hard rule: a base problem that pairs, changed so that exactly one rule bites."""

from dataclasses import replace
from datetime import date, time

import pytest

from shadowing.pairing import (
    Agent,
    Executive,
    Problem,
    ProblemError,
    Shift,
    Site,
    Visit,
    plan_violations,
    solve,
)

D1, D2, D3 = date(2027, 4, 5), date(2027, 4, 6), date(2027, 4, 7)
NORTH, NORTH2, SOUTH = Site(1, "North"), Site(2, "North"), Site(3, "South")
EVE = Executive(1, department=7, home_site=1, languages=frozenset({"en"}), available=None)
ADA = Agent(100, site=1, languages=frozenset({"en"}), managers=(50, 51, 52))


def base(**changes) -> Problem:
    fields = dict(
        executives=(EVE,),
        agents=(ADA,),
        sites=(NORTH, NORTH2, SOUTH),
        shifts=(Shift(100, D1),),
        dates=(D1, D2, D3),
    )
    fields.update(changes)
    return Problem(**fields)


def outcome(problem):
    plan = solve(problem)
    return [v.visit for v in plan.visits], [(u.executive, u.reason) for u in plan.unpaired]


def test_the_base_case_pairs():
    assert outcome(base()) == ([Visit(1, 100, D1)], [])


CASES = [
    # (name, problem, expected unpaired reason of executive 1)
    (
        "rule 1: available only outside the window",
        base(executives=(replace(EVE, available=frozenset({date(2027, 5, 1)})),)),
        "no_availability_in_window",
    ),
    (
        "rule 1: available, but not on the agent's shift date",
        base(executives=(replace(EVE, available=frozenset({D2})),)),
        "no_date_in_common",
    ),
    (
        "rule 1: the agent's only shift is outside the window",
        base(shifts=(Shift(100, date(2027, 5, 1)),)),
        "no_agents_in_region",
    ),
    (
        "rule 2: no shared language",
        base(agents=(replace(ADA, languages=frozenset({"fr"})),)),
        "no_shared_language_in_region",
    ),
    (
        "rule 3: the executive is the agent's manager",
        base(agents=(replace(ADA, managers=(1,)),)),
        "only_own_reports_available",
    ),
    (
        "rule 3: three levels up, within the default depth",
        base(agents=(replace(ADA, managers=(50, 51, 1)),)),
        "only_own_reports_available",
    ),
    (
        "rule 3: nobody shadows themself",
        base(agents=(replace(ADA, id=1),), shifts=(Shift(1, D1),)),
        "only_own_reports_available",
    ),
    (
        "rule 6: the only agent is in another region",
        base(agents=(replace(ADA, site=3),)),
        "no_agents_in_region",
    ),
]


@pytest.mark.parametrize(("name", "problem", "reason"), CASES, ids=[c[0] for c in CASES])
def test_a_rule_that_leaves_no_candidate_names_itself(name, problem, reason):
    visits, unpaired = outcome(problem)
    assert visits == []
    assert unpaired == [(1, reason)]


def test_rule_3_stops_at_the_reporting_depth():
    problem = base(agents=(replace(ADA, managers=(50, 51, 1)),), reporting_depth=2)
    assert outcome(problem) == ([Visit(1, 100, D1)], [])


def test_rule_6_cross_region_when_allowed_costs_travel():
    problem = base(agents=(replace(ADA, site=3),), allow_cross_region=True)
    plan = solve(problem)
    assert [v.visit for v in plan.visits] == [Visit(1, 100, D1)]
    assert "travel_cross_region" in plan.visits[0].reasons


def test_rule_4_an_agent_hosts_one_executive_a_day():
    bob = replace(EVE, id=2)
    visits, unpaired = outcome(base(executives=(EVE, bob)))
    assert len(visits) == 1
    assert unpaired == [(2 if visits[0].executive == 1 else 1, "all_eligible_agents_full")]


def test_rule_4_an_agent_hosts_at_most_max_days():
    execs = tuple(
        replace(EVE, id=i, available=frozenset({d})) for i, d in [(1, D1), (2, D2), (3, D3)]
    )
    shifts = (Shift(100, D1), Shift(100, D2), Shift(100, D3))
    visits, unpaired = outcome(base(executives=execs, shifts=shifts, max_days_per_agent=2))
    assert len(visits) == 2
    assert [r for _, r in unpaired] == ["all_eligible_agents_full"]


def test_rule_5_two_days_need_two_agents():
    shifts = (Shift(100, D1), Shift(100, D2))
    plan = solve(base(shifts=shifts, days_per_executive=2))
    assert len(plan.visits) == 1
    (u,) = plan.unpaired
    assert u.reason == "fewer_days_than_requested"
    assert dict(u.params)["cause"] == "no_date_in_common"
    assert u.message.startswith("Got 1 of 2 days.")


def test_rule_5_two_days_need_two_dates():
    cy = replace(ADA, id=101)
    shifts = (Shift(100, D1), Shift(101, D1))
    plan = solve(base(agents=(ADA, cy), shifts=shifts, days_per_executive=2))
    assert len(plan.visits) == 1
    assert plan.unpaired[0].reason == "fewer_days_than_requested"


def test_rule_5_two_days_on_two_dates_with_two_agents():
    cy = replace(ADA, id=101)
    shifts = (Shift(100, D1), Shift(101, D2))
    visits, unpaired = outcome(base(agents=(ADA, cy), shifts=shifts, days_per_executive=2))
    assert visits == [Visit(1, 100, D1), Visit(1, 101, D2)]
    assert unpaired == []


def test_rule_7_a_site_takes_no_more_than_its_daily_limit():
    bob = replace(EVE, id=2)
    cy = replace(ADA, id=101)
    problem = base(
        executives=(EVE, bob),
        agents=(ADA, cy),
        shifts=(Shift(100, D1), Shift(101, D1)),
        sites=(replace(NORTH, daily_visitor_limit=1), NORTH2, SOUTH),
    )
    visits, unpaired = outcome(problem)
    assert len(visits) == 1
    assert [r for _, r in unpaired] == ["sites_full"]


def test_rule_7_the_limit_sends_the_second_executive_to_another_site_of_the_region():
    bob = replace(EVE, id=2)
    cy = replace(ADA, id=101, site=2)
    problem = base(
        executives=(EVE, bob),
        agents=(ADA, cy),
        shifts=(Shift(100, D1), Shift(101, D1)),
        sites=(replace(NORTH, daily_visitor_limit=1), NORTH2, SOUTH),
    )
    plan = solve(problem)
    assert len(plan.visits) == 2
    assert sorted(r for v in plan.visits for r in v.reasons if "site" in r or "travel" in r) == [
        "home_site",
        "travel_same_region",
    ]


def test_rule_8_a_locked_visit_is_kept_even_when_it_breaks_a_rule_and_is_reported():
    locked = Visit(1, 100, D2)  # no shift on D2 any more
    plan = solve(base(locked=(locked,)))
    assert [v.visit for v in plan.visits] == [locked]
    assert plan.visits[0].reasons[0] == "locked"
    assert [(c.visit, c.rules) for c in plan.stats.conflicts] == [(locked, ("shift",))]


def test_rule_8_locked_visits_use_capacity():
    bob = replace(EVE, id=2)
    plan = solve(base(executives=(EVE, bob), locked=(Visit(2, 100, D1),)))
    assert [v.visit for v in plan.visits] == [Visit(2, 100, D1)]
    assert [(u.executive, u.reason) for u in plan.unpaired] == [(1, "all_eligible_agents_full")]


RULE_CODES = [
    (
        "availability",
        base(executives=(replace(EVE, available=frozenset({D2})),)),
        [Visit(1, 100, D1)],
    ),
    ("shift", base(), [Visit(1, 100, D2)]),
    ("language", base(agents=(replace(ADA, languages=frozenset({"de"})),)), [Visit(1, 100, D1)]),
    ("reporting_line", base(agents=(replace(ADA, managers=(1,)),)), [Visit(1, 100, D1)]),
    ("region", base(agents=(replace(ADA, site=3),)), [Visit(1, 100, D1)]),
    ("outside_window", base(), [Visit(1, 100, date(2027, 6, 1))]),
    ("unknown_agent", base(), [Visit(1, 999, D1)]),
    (
        "agent_one_per_day",
        base(executives=(EVE, replace(EVE, id=2))),
        [Visit(1, 100, D1), Visit(2, 100, D1)],
    ),
    (
        "agent_max_days",
        base(
            executives=(EVE, replace(EVE, id=2)),
            shifts=(Shift(100, D1), Shift(100, D2)),
            max_days_per_agent=1,
        ),
        [Visit(1, 100, D1), Visit(2, 100, D2)],
    ),
    (
        "executive_max_days",
        base(shifts=(Shift(100, D1), Shift(100, D2))),
        [Visit(1, 100, D1), Visit(1, 100, D2)],
    ),
    (
        "executive_same_agent",
        base(shifts=(Shift(100, D1), Shift(100, D2)), days_per_executive=2),
        [Visit(1, 100, D1), Visit(1, 100, D2)],
    ),
    (
        "executive_same_date",
        base(
            agents=(ADA, replace(ADA, id=101)),
            shifts=(Shift(100, D1), Shift(101, D1)),
            days_per_executive=2,
        ),
        [Visit(1, 100, D1), Visit(1, 101, D1)],
    ),
    (
        "site_limit",
        base(
            executives=(EVE, replace(EVE, id=2)),
            agents=(ADA, replace(ADA, id=101)),
            shifts=(Shift(100, D1), Shift(101, D1)),
            sites=(replace(NORTH, daily_visitor_limit=1), NORTH2, SOUTH),
        ),
        [Visit(1, 100, D1), Visit(2, 101, D1)],
    ),
]


@pytest.mark.parametrize(("code", "problem", "visits"), RULE_CODES, ids=[c[0] for c in RULE_CODES])
def test_the_rule_checker_names_the_broken_rule(code, problem, visits):
    found = plan_violations(problem, visits)
    assert found, "expected a violation"
    assert all(code in codes for codes in found.values())


def test_the_rule_checker_accepts_a_valid_plan():
    assert plan_violations(base(), [Visit(1, 100, D1)]) == {}


@pytest.mark.parametrize(
    "problem",
    [
        base(executives=(EVE, EVE)),
        base(executives=(replace(EVE, home_site=99),)),
        base(agents=(replace(ADA, site=99),)),
        base(shifts=(Shift(100, D1), Shift(100, D1, start=time(13, 0)))),
        base(sites=(replace(NORTH, daily_visitor_limit=-1), NORTH2, SOUTH)),
        base(days_per_executive=-1),
    ],
    ids=[
        "duplicate executive",
        "unknown home site",
        "unknown agent site",
        "two shifts a day",
        "negative limit",
        "negative days",
    ],
)
def test_inconsistent_input_is_refused_before_solving(problem):
    with pytest.raises(ProblemError):
        solve(problem)


def test_shifts_of_agents_not_passed_in_are_ignored():
    # an agent who opted out is simply left out by the caller; their shifts may still come
    assert outcome(base(shifts=(Shift(100, D1), Shift(555, D1)))) == ([Visit(1, 100, D1)], [])
