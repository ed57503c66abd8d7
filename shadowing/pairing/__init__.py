"""The pairing engine (placeholder docstring, completed below)."""

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
