"""Plain data in and out of the pairing engine: frozen dataclasses, no behaviour beyond checks.

The one text it renders is an unpaired reason's English message (``UNPAIRED``), kept here
with ``Unpaired`` so that the data imports no other module of the engine.

Ids are ints (the Django side passes primary keys). Executives and agents are people, so their
ids share one space: an agent's ``managers`` are people ids, compared with executive ids.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, time


class ProblemError(ValueError):
    """The input is inconsistent (an unknown id, a duplicate, a negative setting).

    Raised before any solving, with a message naming the offending item.
    """


@dataclass(frozen=True, slots=True)
class Executive:
    id: int
    department: int
    home_site: int
    languages: frozenset[str]
    available: frozenset[date] | None = None  # None: any date of the programme
    seen_channels: frozenset[str] = frozenset()  # site channels visited in earlier waves


@dataclass(frozen=True, slots=True)
class Agent:
    """An agent who may host. Agents who opted out of hosting are simply not passed in."""

    id: int
    site: int
    languages: frozenset[str]
    managers: tuple[int, ...] = ()  # management chain, nearest first, as far as known
    hosted_before: int = 0  # visits hosted in earlier programmes


@dataclass(frozen=True, slots=True)
class Site:
    id: int
    region: str
    daily_visitor_limit: int | None = None  # None: no floor limit
    channel: str = ""  # the site's kind (call_centre, retail, field, digital)


@dataclass(frozen=True, slots=True)
class Shift:
    """At most one per agent and date; a visit lasts the shift."""

    agent: int
    date: date
    start: time = time(9, 0)
    end: time = time(17, 0)


@dataclass(frozen=True, slots=True, order=True)
class Visit:
    executive: int
    agent: int
    date: date


@dataclass(frozen=True, slots=True)
class Costs:
    """Weights of the secondary objective, in whole units per visit (all >= 0).

    They only choose among plans with the most visits (the count always comes first), and after
    the count, keeping a ``previous`` visit unchanged outweighs any sum of these.

    - ``travel_same_region``: the agent's site is not the executive's home site but in its region.
    - ``travel_cross_region``: the agent's site is in another region (only when allowed).
    - ``department_spread``: clustering a department on one site and day. The true objective
      (pairs of same-department executives sharing a site-day) is quadratic; the engine uses a
      linear stand-in that keeps the solver exact: a visit of department P to site S on date D
      costs ``round(department_spread * (1 - n(P,S,D) / max n(P,.,.)))``, where n(P,S,D) counts
      P's executives whose home site is S and who are available on D. Site-days where the
      department naturally gathers are free, so its executives are drawn to the same ones.
    - ``hosted_before``: per visit the agent hosted in earlier programmes, counted up to
      ``hosted_before_cap`` (spreads the load to agents who hosted less).
    - ``repeat_pair``: the executive and the agent were paired in an earlier programme.
    - ``seen_channel``: the site's channel is one of the executive's ``seen_channels`` (an
      earlier wave of the series took them to that kind of front line already).
    """

    travel_same_region: int = 10
    travel_cross_region: int = 30
    department_spread: int = 4
    hosted_before: int = 1
    hosted_before_cap: int = 5
    repeat_pair: int = 15
    seen_channel: int = 6

    def __post_init__(self) -> None:
        for name in self.__dataclass_fields__:
            value = getattr(self, name)
            if not isinstance(value, int) or isinstance(value, bool) or value < 0:
                raise ProblemError(f"Costs.{name} must be a whole number >= 0, got {value!r}")


@dataclass(frozen=True, slots=True)
class Problem:
    """One programme to pair. See the package docstring for the rules and the objective."""

    executives: tuple[Executive, ...]
    agents: tuple[Agent, ...]
    sites: tuple[Site, ...]
    shifts: tuple[Shift, ...]
    dates: tuple[date, ...]  # the programme window; shifts and availability outside are ignored
    days_per_executive: int = 1
    max_days_per_agent: int = 2
    reporting_depth: int = 3
    allow_cross_region: bool = False
    locked: tuple[Visit, ...] = ()  # locked or published: kept exactly, they use capacity
    previous: tuple[Visit, ...] = ()  # current proposals: kept as far as the optimum allows
    past_pairs: frozenset[tuple[int, int]] = frozenset()  # (executive, agent) of past programmes
    # (executive, agent) paired in another wave of the same series: a hard rule, never waived
    series_pairs: frozenset[tuple[int, int]] = frozenset()
    costs: Costs = field(default_factory=Costs)


@dataclass(frozen=True, slots=True)
class PlannedVisit:
    """A visit with the reasons it was chosen, as codes (see ``reasons.VISIT_REASONS``)."""

    executive: int
    agent: int
    date: date
    reasons: tuple[str, ...] = ()

    @property
    def visit(self) -> Visit:
        return Visit(self.executive, self.agent, self.date)


@dataclass(frozen=True, slots=True)
class Unpaired:
    """An executive who got fewer visits than requested, and why (see ``UNPAIRED``).

    ``params`` are (name, value) pairs the message is built from; ``message`` renders English.
    """

    executive: int
    reason: str
    params: tuple[tuple[str, str], ...] = ()

    @property
    def message(self) -> str:
        return unpaired_message(self)


UNPAIRED = {
    "no_availability_in_window": "No available date left in the programme window "
    "({available_dates} available): add availability.",
    "no_agents_in_region": "No agent has a shift in region {region}: add shifts there, "
    "or allow cross-region visits.",
    "no_shared_language_in_region": "No agent with a shift in region {region} speaks {languages}.",
    "only_own_reports_available": "Every agent in region {region} who speaks {languages} "
    "reports to this executive (within the reporting depth).",
    "no_date_in_common": "No eligible agent has a shift on a date this executive is available.",
    "all_eligible_agents_full": "All {candidates} eligible agent-days went to other "
    "executives, or those agents reached their day limit.",
    "sites_full": "Eligible agents were free, but their sites reached the daily visitor limit "
    "({site_days} site-days).",
    "paired_in_series": "Every eligible agent already hosted this executive in another wave "
    "of the series ({agents} agents).",
    "fewer_days_than_requested": "Got {got} of {requested} days. {cause_text}",
}


def unpaired_message(u: Unpaired) -> str:
    params = dict(u.params)
    if u.reason == "fewer_days_than_requested":
        cause = Unpaired(u.executive, params.get("cause", ""), u.params)
        params["cause_text"] = unpaired_message(cause) if cause.reason in UNPAIRED else ""
    template = UNPAIRED.get(u.reason, u.reason)
    try:
        return template.format(**params)
    except (KeyError, IndexError):
        return template


@dataclass(frozen=True, slots=True)
class Conflict:
    """A locked visit that breaks a hard rule today; it is kept, and reported here."""

    visit: Visit
    rules: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class PlanStats:
    executives: int = 0
    requested_visits: int = 0  # sum of what each executive asks (days_per_executive each)
    visits: int = 0  # including locked ones
    paired_executives: int = 0
    upper_bound: int = 0  # the proven most visits (equals ``visits`` when ``optimal``)
    cost: int = 0  # secondary cost of the plan's unlocked visits (Costs units)
    kept: int = 0  # previous visits kept unchanged
    moved: int = 0  # previous visits not kept
    candidates: int = 0  # feasible executive-agent-date triples
    columns: int = 0  # triples the solver actually looked at
    rounds: int = 0  # pricing rounds
    method: str = "empty"  # "min_cost_flow", "mip" or "empty"
    optimal: bool = True
    conflicts: tuple[Conflict, ...] = ()
    seconds: float = field(default=0.0, compare=False)
    phases: tuple[tuple[str, float], ...] = field(default=(), compare=False)  # seconds by phase


@dataclass(frozen=True, slots=True)
class Plan:
    visits: tuple[PlannedVisit, ...]
    unpaired: tuple[Unpaired, ...]
    stats: PlanStats = field(default_factory=PlanStats)

    def as_visits(self) -> tuple[Visit, ...]:
        return tuple(v.visit for v in self.visits)
