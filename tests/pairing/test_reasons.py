"""Reasons on visits, and the package's boundary (no Django)."""

import subprocess
import sys
from dataclasses import replace
from datetime import date

from shadowing.pairing import Agent, Executive, Problem, Shift, Site, Unpaired, Visit, solve

D1, D2 = date(2027, 4, 5), date(2027, 4, 6)


def org(**changes):
    fields = dict(
        executives=(
            Executive(1, 7, 1, frozenset({"en", "fr"})),
            Executive(2, 7, 1, frozenset({"en"})),
            Executive(3, 8, 2, frozenset({"fr"})),
        ),
        agents=(
            Agent(100, 1, frozenset({"en", "fr"}), hosted_before=2),
            Agent(101, 1, frozenset({"en"})),
            Agent(102, 1, frozenset({"fr"})),
        ),
        sites=(Site(1, "North"), Site(2, "North")),
        shifts=(Shift(100, D1), Shift(101, D1), Shift(102, D2)),
        dates=(D1, D2),
        past_pairs=frozenset({(3, 102)}),
    )
    fields.update(changes)
    return Problem(**fields)


def reasons_by_exec(plan):
    return {v.executive: v.reasons for v in plan.visits}


def test_each_visit_says_why():
    # the cheapest plan: 3 travels to agent 100 (10 + 2 for hosting before) rather than to its
    # past partner 102 (10 + 15), which leaves 102 to executive 1 at home
    plan = solve(org())
    assert reasons_by_exec(plan) == {
        1: ("shared_language:fr", "home_site"),
        2: ("shared_language:en", "home_site"),
        3: ("shared_language:fr", "travel_same_region", "agent_hosted_before:2"),
    }


def test_department_together_and_repeat_pair():
    problem = org(shifts=(Shift(100, D1), Shift(101, D1), Shift(102, D1)))
    problem = replace(problem, agents=(*problem.agents[:2], replace(problem.agents[2], site=2)))
    r = reasons_by_exec(solve(problem))
    assert "department_together:1" in r[1]
    assert "department_together:1" in r[2]
    assert r[3] == ("shared_language:fr", "home_site", "repeat_pair")


def test_kept_moved_and_locked_are_named_first():
    problem = org(
        previous=(Visit(1, 100, D1), Visit(2, 100, D2)),  # 2's shift on D2 does not exist
        locked=(Visit(3, 102, D2),),
    )
    r = reasons_by_exec(solve(problem))
    assert (r[1][0], r[2][0], r[3][0]) == ("kept", "moved", "locked")


def test_unpaired_messages_say_what_to_change():
    problem = org(
        executives=(Executive(1, 7, 1, frozenset({"de"})),),
    )
    (u,) = solve(problem).unpaired
    assert u == Unpaired(
        1, "no_shared_language_in_region", (("languages", "de"), ("region", "North"))
    )
    assert u.message == "No agent with a shift in region North speaks de."


def test_full_agents_and_full_sites_are_told_apart():
    problem = org(
        executives=(Executive(1, 7, 1, frozenset({"en"})), Executive(2, 7, 1, frozenset({"en"}))),
        shifts=(Shift(100, D1), Shift(101, D1)),
    )
    assert solve(problem).unpaired == ()
    limited = replace(problem, sites=(Site(1, "North", 1), Site(2, "North")))
    (u,) = solve(limited).unpaired
    assert u.reason == "sites_full"
    single = replace(problem, shifts=(Shift(100, D1),))
    (u,) = solve(single).unpaired
    assert u.reason == "all_eligible_agents_full"
    assert "1 eligible agent-days" in u.message


def test_the_package_imports_nothing_from_django_or_the_app():
    code = (
        "import sys, shadowing.pairing as p; p.solve; "
        "bad = sorted(m for m in sys.modules if m.startswith('django') or "
        "(m.startswith('shadowing.') and not m.startswith('shadowing.pairing'))); "
        "print(bad); sys.exit(1 if bad else 0)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.returncode == 0, out.stdout + out.stderr
