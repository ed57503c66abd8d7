"""Phase 1: the min-cost flow over the current columns (OR-Tools), and the node potentials
recovered from its residual graph (Bellman-Ford), turned into prices for ``Space.price``.
"""

from __future__ import annotations

import numpy as np

from shadowing.pairing.master import Columns, Weights
from shadowing.pairing.space import Space


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


def flow_master(space: Space, cols: Columns, weights: Weights):
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
