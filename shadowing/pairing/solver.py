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
priced against them a whole group at a time (see ``candidates``). Columns with a negative
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

from shadowing.pairing.candidates import NO_LIMIT, Space, _tie_key, _top_k_per_exec

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


class Columns:
    """The restricted master's columns, kept in insertion order (deterministic)."""

    def __init__(self, space: Space, e, slot, cost) -> None:
        self.space = space
        self.e, self.slot, self.cost = e, slot, cost
        self._sync()

    def _sync(self) -> None:
        s = self.space
        self.keys = np.sort(s.col_key(self.e, self.slot))
        self.keep = np.isin(s.col_key(self.e, self.slot), s.prev_keys)

    def add(self, e, slot, cost) -> None:
        self.e = np.r_[self.e, e]
        self.slot = np.r_[self.slot, slot]
        self.cost = np.r_[self.cost, cost]
        self._sync()

    def __len__(self) -> int:
        return len(self.e)


class Weights:
    def __init__(self, space: Space) -> None:
        s = space
        u = min(int(s.exec_days.sum()), int(s.agent_cap.sum()), s.n_slots)
        cmax = int(s.pair_base.max()) if s.n_pairs else 0
        cmax += int(s.slot_cost.max()) if s.n_slots else 0
        cmax += s.problem.costs.repeat_pair if len(s.past_keys) else 0
        self.u = max(u, 1)
        self.w2 = self.u * cmax + 1 if len(s.prev_keys) else 0
        self.w1 = self.u * (self.w2 + cmax) + 1

    def objective(self, cols: Columns) -> np.ndarray:
        return cols.cost - self.w1 - self.w2 * cols.keep.astype(np.int64)


# ----------------------------------------------------------------------------- phase 1: flow
def _bellman_ford(n: int, tail: np.ndarray, head: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Shortest distances from a virtual root joined to every node at cost 0 (all <= 0).

    Exact on int64. Only arcs leaving a node whose distance fell last round are relaxed.
    Raises if a negative cycle exists (an optimal flow's residual graph has none).
    """
    order = np.argsort(tail, kind="stable")
    tail, head, w = tail[order], head[order], w[order]
    start = np.searchsorted(tail, np.arange(n + 1))
    d = np.zeros(n, dtype=np.int64)
    active = np.arange(n)
    for _ in range(n + 1):
        lens = start[active + 1] - start[active]
        total = int(lens.sum())
        if total == 0:
            return d
        offs = np.repeat(np.cumsum(lens) - lens, lens)
        arcs = np.repeat(start[active], lens) + (np.arange(total) - offs)
        cand = d[tail[arcs]] + w[arcs]
        h = head[arcs]
        better = cand < d[h]
        if not better.any():
            return d
        h, cand = h[better], cand[better]
        new = d.copy()
        np.minimum.at(new, h, cand)
        active = np.flatnonzero(new < d)
        d = new
    raise RuntimeError("negative cycle in a residual graph: the flow was not optimal")


def _flow_master(space: Space, cols: Columns, weights: Weights):
    """Min-cost flow over the columns; returns (chosen mask, prices for ``Space.price``)."""
    from ortools.graph.python import min_cost_flow

    s = space
    E, D = s.n_execs, s.n_dates
    multi = s.exec_days >= 2
    slots, slot_pos = np.unique(cols.slot, return_inverse=True)
    agents, agent_pos = np.unique(s.slot_agent[slots], return_inverse=True)
    col_multi = multi[cols.e]
    ed_key = cols.e * D + s.slot_date[cols.slot]
    eds, ed_pos = np.unique(ed_key[col_multi], return_inverse=True)
    SRC, SNK, X0 = 0, 1, 2
    ED0 = X0 + E
    SL0 = ED0 + len(eds)
    AG0 = SL0 + len(slots)
    N = AG0 + len(agents)
    supply = int(s.exec_days.sum())
    col_tail = X0 + cols.e
    col_tail[col_multi] = ED0 + ed_pos
    tails = np.concatenate(
        [
            np.full(E, SRC),
            X0 + eds // D,
            col_tail,
            SL0 + np.arange(len(slots)),
            AG0 + np.arange(len(agents)),
            [SRC],
        ]
    ).astype(np.int64)
    heads = np.concatenate(
        [
            X0 + np.arange(E),
            ED0 + np.arange(len(eds)),
            SL0 + slot_pos,
            AG0 + agent_pos,
            np.full(len(agents), SNK),
            [SNK],
        ]
    ).astype(np.int64)
    caps = np.concatenate(
        [
            s.exec_days,
            np.ones(len(eds) + len(cols) + len(slots), np.int64),
            s.agent_cap[agents],
            [supply],
        ]
    ).astype(np.int64)
    costs = np.concatenate(
        [
            np.zeros(E + len(eds), np.int64),
            weights.objective(cols),
            np.zeros(len(slots) + len(agents) + 1, np.int64),
        ]
    ).astype(np.int64)
    # Solved as max flow, then min cost at that flow: the same optimum as the weighted costs
    # (W1 makes a visit outweigh any cost) but with small costs, so cost scaling runs fewer
    # phases (measured 2-3x faster). The bypass arc only matters for the potentials below.
    col0 = E + len(eds)
    solver_costs = costs[:-1].copy()
    solver_costs[col0 : col0 + len(cols)] += weights.w1
    f = min_cost_flow.SimpleMinCostFlow()
    f.add_arcs_with_capacity_and_unit_cost(tails[:-1], heads[:-1], caps[:-1], solver_costs)
    sup = np.zeros(N, dtype=np.int64)
    sup[SRC], sup[SNK] = supply, -supply
    f.set_nodes_supplies(np.arange(N), sup)
    status = f.solve_max_flow_with_min_cost()
    if status != f.OPTIMAL:
        raise RuntimeError(f"min-cost flow failed: {status}")
    flow = np.r_[f.flows(np.arange(len(tails) - 1)), [0]].astype(np.int64)
    flow[-1] = supply - int(f.maximum_flow())

    fwd = flow < caps
    bwd = flow > 0
    d = _bellman_ford(
        N,
        np.r_[tails[fwd], heads[bwd]],
        np.r_[heads[fwd], tails[bwd]],
        np.r_[costs[fwd], -costs[bwd]],
    )
    chosen = flow[col0 : col0 + len(cols)] > 0

    # Prices that extend the potentials to nodes outside the restricted network: an absent
    # agent-day sits at its agent's potential (or the sink's), an absent executive-date at its
    # executive's. These are the least favourable values a feasible potential allows, so a
    # column priced non-negative here cannot close a negative cycle.
    d_exec = d[X0 : X0 + E]
    agent_d = np.full(s.n_agents, d[SNK], dtype=np.int64)
    agent_d[agents] = d[AG0 : AG0 + len(agents)]
    slot_d = agent_d[s.slot_agent].copy()
    slot_d[slots] = d[SL0 : SL0 + len(slots)]
    u_exec = -weights.w1 + np.where(multi, 0, d_exec)
    u_ed = None
    if multi.any():
        u_ed = np.zeros((E, D), np.int64)
        u_ed[multi, :] = d_exec[multi, None]
        u_ed.reshape(-1)[eds] = d[ED0 : ED0 + len(eds)]
    return chosen, (u_exec, -slot_d, u_ed)


# ----------------------------------------------------------------------------- phase 2: MIP
class _Rows:
    """Constraint rows of the full model over the current columns (absent rows are slack)."""

    def __init__(self, space: Space, cols: Columns) -> None:
        s = space
        n = len(cols)
        A, D = s.n_agents, s.n_dates
        agent = s.slot_agent[cols.slot]
        date = s.slot_date[cols.slot]
        parts, rhs = [], []
        self.kind: list[tuple[str, np.ndarray]] = []
        r0 = 0

        def family(name, key, cap_of):
            nonlocal r0
            uniq, inv = np.unique(key, return_inverse=True)
            cap = cap_of(uniq)
            parts.append((inv + r0, np.arange(n)))
            rhs.append(cap)
            self.kind.append((name, uniq, r0))
            r0 += len(uniq)

        def family_if_shared(name, key, cap_of, keep_row):
            nonlocal r0
            uniq, inv, cnt = np.unique(key, return_inverse=True, return_counts=True)
            keep = keep_row(uniq, cnt)
            row_of = np.full(len(uniq), -1)
            row_of[keep] = r0 + np.arange(int(keep.sum()))
            sel = keep[inv]
            parts.append((row_of[inv[sel]], np.flatnonzero(sel)))
            rhs.append(cap_of(uniq[keep]))
            self.kind.append((name, uniq[keep], r0))
            r0 += int(keep.sum())

        family("exec", cols.e, lambda u: s.exec_days[u])
        family("slot", cols.slot, lambda u: np.ones(len(u), np.int64))
        family("agent", agent, lambda u: s.agent_cap[u])
        multi = s.exec_days[cols.e] >= 2
        if multi.any():
            family_if_shared(
                "exec_date",
                cols.e * D + date,
                lambda u: np.ones(len(u), np.int64),
                lambda u, c: (c > 1) & (s.exec_days[u // D] >= 2),
            )
            family_if_shared(
                "exec_agent",
                cols.e * A + agent,
                lambda u: np.ones(len(u), np.int64),
                lambda u, c: (c > 1) & (s.exec_days[u // A] >= 2),
            )
        sd = s.slot_sd[cols.slot]
        # a site-day row matters once more of its agent-days are columns than it can take
        sd_u, sd_n = np.unique(s.slot_sd[np.unique(cols.slot)], return_counts=True)
        cap_flat = s.sd_cap.reshape(-1)
        binding = sd_u[(cap_flat[sd_u] < NO_LIMIT) & (sd_n > cap_flat[sd_u])]
        family_if_shared("site_day", sd, lambda u: cap_flat[u], lambda u, c: np.isin(u, binding))
        import scipy.sparse as sp

        rows = np.concatenate([p[0] for p in parts])
        colsi = np.concatenate([p[1] for p in parts])
        self.matrix = sp.csc_matrix((np.ones(len(rows)), (rows, colsi)), shape=(r0, n))
        self.rhs = np.concatenate(rhs).astype(np.float64)
        self.n_rows = r0

    def prices(self, space: Space, duals: np.ndarray, w1: int):
        """Turn row prices (>= 0) into the arguments of ``Space.price``."""
        s = space
        E, D, A = s.n_execs, s.n_dates, s.n_agents
        u_exec = np.full(E, -float(w1))
        v_slot = np.zeros(s.n_slots)
        agent_p = np.zeros(A)
        sd_p = np.zeros(s.n_sites * D)
        u_ed = None
        ea = (np.zeros(0, np.int64), np.zeros(0))
        for name, uniq, r0 in self.kind:
            y = duals[r0 : r0 + len(uniq)]
            if name == "exec":
                u_exec[uniq] += y
            elif name == "slot":
                v_slot[uniq] += y
            elif name == "agent":
                agent_p[uniq] = y
            elif name == "site_day":
                sd_p[uniq] = y
            elif name == "exec_date":
                u_ed = np.zeros((E, D))
                u_ed.reshape(-1)[uniq] = y
            elif name == "exec_agent":
                ea = (uniq, y)
        v_slot += agent_p[s.slot_agent] + sd_p[s.slot_sd]
        if u_ed is None and (s.exec_days >= 2).any():
            u_ed = np.zeros((E, D))
        return u_exec, v_slot, u_ed, ea


def _solve_lp(rows: _Rows, obj: np.ndarray):
    from scipy.optimize import linprog

    res = linprog(
        obj,
        A_ub=rows.matrix,
        b_ub=rows.rhs,
        bounds=(0, None),
        method="highs-ds",
        options={"presolve": False},  # measured: presolve doubles the time on these LPs
    )
    if res.status != 0:
        raise RuntimeError(f"LP failed: {res.message}")
    return res.x, -res.ineqlin.marginals


def _solve_mip(rows: _Rows, obj: np.ndarray):
    from scipy.optimize import Bounds, LinearConstraint, milp

    res = milp(
        obj,
        constraints=LinearConstraint(rows.matrix, -np.inf, rows.rhs),
        integrality=np.ones(len(obj)),
        bounds=Bounds(0, 1),
        options={"mip_rel_gap": 0.0, "presolve": True},
    )
    if res.x is None or res.status != 0:
        raise RuntimeError(f"MIP failed: {res.message}")
    x = np.rint(res.x).astype(np.int64)
    return x


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
        chosen, (u_exec, v_slot, u_ed) = _flow_master(s, cols, weights)
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
    best = _top_k_per_exec(cols.e, rc, _tie_key(cols.e, cols.slot), LP_START_PER_EXEC)
    keep[best] = True
    cols = Columns(s, cols.e[keep], cols.slot[keep], cols.cost[keep])
    tol = 1e-6 + 64 * np.finfo(float).eps * weights.w1
    while True:
        info["rounds"] += 1
        rows = _Rows(s, cols)
        obj = weights.objective(cols).astype(np.float64)
        clock("rows")
        x, y = _solve_lp(rows, obj)
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
        best = _solve_mip(rows, obj)
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
                rows = _Rows(s, cols)
                obj = weights.objective(cols).astype(np.float64)
                best = _solve_mip(rows, obj)
            clock("gap_closing")
    info["columns"] = len(cols)
    pick = best > 0
    return cols.e[pick], cols.slot[pick], info
