"""Exact lexicographic optimisation by column generation: most visits, then most kept, then cost.

One objective carries the three levels with integer weights chosen per instance so that they
never trade against each other: every column (a candidate visit) costs
``cost - W1 - W2 * kept`` where ``W2 > U * cmax`` and ``W1 > U * (W2 + cmax)`` (``U`` bounds the
number of visits, ``cmax`` the cost of one visit). One more visit beats any number of kept
visits and any cost; one more kept visit beats any cost.

Phase 1, a min-cost flow (OR-Tools ``SimpleMinCostFlow``): source -> executive -> [executive-date
for executives who want several days] -> agent-day -> agent -> sink, with a free source-sink
bypass. It holds rules 1 to 6 except "distinct agents" and has no floor limits (rule 7). It is
solved on a restricted set of columns (each executive's cheapest ones), node potentials are
recovered from the residual graph (Bellman-Ford, exact integers), and every column left out is
priced against them a whole group at a time (see ``space.Space.price``). Columns with a negative
reduced cost are added and the flow re-solved until none is left: then the restricted optimum
is the optimum over all triples (a feasible potential certifies that no negative cycle exists).

If that flow optimum also keeps the floor limits and distinct agents, it is the answer.
Otherwise phase 2 solves the full model as an integer program (HiGHS through SciPy): the LP
relaxation is column-generated the same way with its duals, giving a proven lower bound ``LB``
over all triples. The MIP is then solved on the columns; if its value ``z`` is within 1 of
``LB`` (objective values are integers) it is optimal, else every column with reduced cost
below ``z - LB`` is added (no better solution can use any other column, since
``obj(x) >= LB + sum(rc_j x_j)`` with all ``rc_j >= 0``) and the MIP solved once more.
"""

from __future__ import annotations

import time

import numpy as np

from shadowing.pairing.flow import flow_master
from shadowing.pairing.master import Columns, Weights
from shadowing.pairing.mip import Rows, solve_lp, solve_mip
from shadowing.pairing.selection import tie_key, top_k_per_exec
from shadowing.pairing.space import Space

SEED_PER_EXEC = 24
ADD_PER_EXEC = 8
LP_START_PER_EXEC = 6


class _Clock:
    """Wall time per phase, summed over rounds (for the benchmark's breakdown)."""

    def __init__(self, into: dict) -> None:
        self.into = into
        self.t = time.perf_counter()

    def __call__(self, name: str) -> None:
        now = time.perf_counter()
        self.into[name] = self.into.get(name, 0.0) + now - self.t
        self.t = now


def _feasible_extra(space: Space, cols: Columns, chosen: np.ndarray) -> bool:
    """Does a flow solution also keep floor limits and distinct agents?"""
    s = space
    e = cols.e[chosen]
    slot = cols.slot[chosen]
    sd, cnt = np.unique(s.slot_sd[slot], return_counts=True)
    if (cnt > s.sd_cap.reshape(-1)[sd]).any():
        return False
    ea = e * s.n_agents + s.slot_agent[slot]
    return len(np.unique(ea)) == len(ea)


def solve_columns(space: Space) -> tuple[np.ndarray, np.ndarray, dict]:
    """The optimal columns (executive positions, slot positions) and how they were found.

    Guarantees: the returned columns keep every hard rule given what ``space`` leaves after
    locked visits; their number is the maximum over all feasible triples; among such plans
    they keep the most ``previous`` visits, then have the least cost.
    """
    s = space
    info = {"rounds": 0, "method": "empty", "columns": 0, "phases": {}}
    clock = _Clock(info["phases"])
    if s.n_pairs == 0 or s.n_slots == 0:
        z = np.zeros(0, np.int64)
        return z, z.copy(), info
    weights = Weights(s)
    cols = Columns(s, *s.seed(SEED_PER_EXEC))
    clock("seed")
    info["method"] = "min_cost_flow"
    while True:
        info["rounds"] += 1
        chosen, (u_exec, v_slot, u_ed) = flow_master(s, cols, weights)
        clock("flow")
        new, complete = s.price(u_exec, v_slot, u_ed, cols.keys, 0, ADD_PER_EXEC)
        if len(new[0]) == 0 and not complete:
            new, complete = s.price(u_exec, v_slot, u_ed, cols.keys, 0, None)
        clock("pricing")
        if len(new[0]) == 0:
            break
        cols.add(*new)
    if _feasible_extra(s, cols, chosen):
        info["columns"] = len(cols)
        return cols.e[chosen], cols.slot[chosen], info

    info["method"] = "mip"
    # The LP is re-solved from scratch each round, so start it small: the flow's chosen and
    # kept columns and each executive's few best by flow reduced cost. Dropping columns is
    # safe: pricing is complete, so any column the LP needs comes back.
    rc = cols.cost + u_exec[cols.e] + v_slot[cols.slot]
    if u_ed is not None:
        rc = rc + u_ed[cols.e, s.slot_date[cols.slot]]
    keep = chosen | cols.keep
    best = top_k_per_exec(cols.e, rc, tie_key(cols.e, cols.slot), LP_START_PER_EXEC)
    keep[best] = True
    cols = Columns(s, cols.e[keep], cols.slot[keep], cols.cost[keep])
    tol = 1e-6 + 64 * np.finfo(float).eps * weights.w1
    while True:
        info["rounds"] += 1
        rows = Rows(s, cols)
        obj = weights.objective(cols).astype(np.float64)
        clock("rows")
        x, y = solve_lp(rows, obj)
        clock("lp")
        u_exec, v_slot, u_ed, ea = rows.prices(s, y, weights.w1)
        new, complete = s.price(u_exec, v_slot, u_ed, cols.keys, -tol, ADD_PER_EXEC, ea)
        if len(new[0]) == 0 and not complete:
            new, complete = s.price(u_exec, v_slot, u_ed, cols.keys, -tol, None, ea)
        clock("pricing")
        if len(new[0]) == 0:
            break
        cols.add(*new)
    if np.all(np.abs(x - np.rint(x)) < 1e-7):
        # An integral LP optimum over all columns is the integer optimum.
        best = np.rint(x).astype(np.int64)
    else:
        best = solve_mip(rows, obj)
        clock("mip")
        # For any plan x: obj(x) >= b.y + sum(rc_j x_j), and x_j <= 1, so this bounds every
        # plan from below; the columns left out have rc_j >= -tol, at most U of them in a plan.
        rc = obj + rows.matrix.T @ y
        lower = float(-y @ rows.rhs) + float(np.minimum(rc, 0.0).sum()) - weights.u * tol
        lower -= 1e-12 * abs(lower)
        z = float(obj @ best)
        info["gap"] = z - lower
        if z - lower >= 1.0:
            # Only columns with reduced cost below the gap can be in a better plan: add them.
            new, _ = s.price(u_exec, v_slot, u_ed, cols.keys, z - lower, None, ea)
            info["gap_columns"] = len(new[0])
            if len(new[0]):
                cols.add(*new)
                rows = Rows(s, cols)
                obj = weights.objective(cols).astype(np.float64)
                best = solve_mip(rows, obj)
            clock("gap_closing")
    info["columns"] = len(cols)
    pick = best > 0
    return cols.e[pick], cols.slot[pick], info
